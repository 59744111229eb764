"""The development set of `strangler boundaries` (benchmarks/decomposition): pinned corpora with
written ground-truth rules, their checkouts, and the scoring and baselines of bench_devset.py."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import codebase
from tests.conftest import REPO

BENCH = REPO / "benchmarks" / "decomposition"
sys.path.insert(0, str(BENCH))

import bench_devset  # noqa: E402
import corpora  # noqa: E402


def test_at_least_ten_pinned_corpora_each_with_a_rule() -> None:
    found = corpora.load()
    assert len(found) >= 10
    assert len({c.name for c in found}) == len(found)
    assert len({c.repo for c in found}) == len(found)
    for corpus in found:
        assert re.fullmatch(r"[0-9a-f]{40}", corpus.commit), corpus.name
        assert re.fullmatch(r"[\w.-]+/[\w.-]+", corpus.repo), corpus.name
        assert corpus.rule and corpus.services, corpus.name
        assert not Path(corpus.path).is_absolute() and ".." not in Path(corpus.path).parts


def _corpus(name: str) -> corpora.Corpus:
    return next(c for c in corpora.load() if c.name == name)


def test_app_rule_with_unscored_parts() -> None:
    truth = corpora.truth(
        _corpus("django-oscar"),
        [
            "oscar.apps.order.models",
            "oscar.apps.order.views",
            "oscar.apps.catalogue.reviews.models",
            "oscar.apps.catalogue.models",
            "oscar.apps.dashboard.orders.views",
            "oscar.core.loading",
            "oscar.apps.wishlists.models",  # alone in its label: below min_size
        ],
    )
    assert truth["oscar.apps.order.models"] == truth["oscar.apps.order.views"] == "order"
    assert truth["oscar.apps.catalogue.reviews.models"] == "catalogue"
    assert truth["oscar.apps.dashboard.orders.views"] == ""
    assert truth["oscar.core.loading"] == ""
    assert truth["oscar.apps.wishlists.models"] == ""


def test_layered_rule_joins_the_domain_segment_of_each_layer() -> None:
    mealie = corpora.truth(
        _corpus("mealie"),
        [
            "mealie.routes.recipe.recipe_crud_routes",
            "mealie.services.recipe.recipe_service",
            "mealie.schema.recipe.recipe",
            "mealie.db.models.recipe.recipe",
            "mealie.repos.repository_recipes",
            "mealie.routes.users.crud",
            "mealie.services.user_services.user_service",
            "mealie.routes._base.base_controllers",
            "mealie.core.config",
        ],
    )
    assert {mealie[m] for m in mealie if ".recipe" in m or "recipes" in m} == {"recipe"}
    assert (
        mealie["mealie.routes.users.crud"] == mealie["mealie.services.user_services.user_service"] == "user"
    )
    assert mealie["mealie.routes._base.base_controllers"] == mealie["mealie.core.config"] == ""
    polar = corpora.truth(
        _corpus("polar"),
        ["polar.order.service", "polar.order.endpoints", "polar.models.order", "polar.models.campaign_x"],
    )
    assert polar["polar.models.order"] == "order"  # a domain `order` exists
    assert polar["polar.models.campaign_x"] == ""  # no domain of that name


def test_materialize_writes_the_pinned_python_files_only(tmp_path: Path) -> None:
    repo = tmp_path / "mirrors" / "someone+shop" / "repo"
    repo.mkdir(parents=True)
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], check=True)
    (repo / "shop").mkdir()
    (repo / "shop" / "__init__.py").write_text("")
    (repo / "shop" / "models.py").write_text("X = 1\n")
    (repo / "pyproject.toml").write_text("[project]\nname = 'shop'\n")
    (repo / "logo.png").write_bytes(b"\x89PNG")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "one"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True)
    (repo / "shop" / "models.py").write_text("X = 2\n")
    subprocess.run([*git, "commit", "-qam", "two"], check=True)
    corpus = corpora.Corpus(
        name="shop", repo="someone/shop", commit=commit.stdout.strip(), path=".", shape="", rule="",
        unscored=(), services=(), layers=(), aliases=(), min_size=2,
    )  # fmt: skip
    target = corpora.materialize(corpus, tmp_path / "into", tmp_path / "mirrors")
    files = sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
    assert files == ["pyproject.toml", "shop/__init__.py", "shop/models.py"]
    assert (target / "shop" / "models.py").read_text() == "X = 1\n"  # the pinned commit


def test_hubs_baseline_removes_modules_most_modules_import() -> None:
    names = [f"m{i}" for i in range(40)] + ["hub"]
    cb = codebase(names, imports=[(n, "hub") for n in names[:3]] + [("m1", "m2")])
    assert bench_devset.hubs(cb, names) == frozenset({"hub"})  # 3 importers > 5 % of 41
    graph = bench_devset.import_graph(cb, names)
    assignment = bench_devset.louvain(graph, seed=0, removed={"hub"})
    assert assignment["hub"] == "hubs" and set(assignment) == set(names)


def test_macro_average_is_over_corpora() -> None:
    def row(corpus: str, ari: float) -> bench_devset.Row:
        score = bench_devset.Score(ari=ari, ami=ari, mojofm=ari, kernel=0.1, services=3, seconds=0.0)
        return bench_devset.Row(corpus, "strangler", "blind", "7", (score, score))

    averaged = bench_devset.macro([row("a", 0.2), row("b", 0.6)])
    assert averaged[("strangler", "blind", "N")]["ari"] == pytest.approx(0.4)
    assert averaged[("strangler", "blind", "N")]["corpora"] == 2


def test_baseline_steered_to_n_counts_clusters_of_two_or_more() -> None:
    """Four cliques of five, chained by one edge each, and two isolated modules: asked for 4, the
    steered Louvain finds the four cliques (isolated modules are no cluster); asked for 1, it goes
    as coarse as its lowest resolution allows."""
    names = [f"m{i}" for i in range(20)] + ["alone1", "alone2"]
    edges = [
        (f"m{a}", f"m{b}") for k in range(4) for a in range(5 * k, 5 * k + 5) for b in range(a + 1, 5 * k + 5)
    ]
    edges += [("m4", "m5"), ("m9", "m10"), ("m14", "m15")]
    graph = bench_devset.import_graph(codebase(names, imports=edges), names)
    four = bench_devset.SteeredLouvain(graph, 4)(0)
    assert bench_devset.clusters(four) == 4
    assert {frozenset(m for m in names if four[m] == four[f"m{5 * k}"]) for k in range(4)} == {
        frozenset(f"m{i}" for i in range(5 * k, 5 * k + 5)) for k in range(4)
    }
    assert four["alone1"] != four["alone2"]
    assert bench_devset.clusters(bench_devset.SteeredLouvain(graph, 1)(0)) < 4


def test_blind_is_set_beside_the_better_baseline_of_the_same_target() -> None:
    def row(corpus: str, method: str, setting: str, target: str, ari: float) -> bench_devset.Row:
        score = bench_devset.Score(ari=ari, ami=ari, mojofm=ari, kernel=0.0, services=3, seconds=0.0)
        return bench_devset.Row(corpus, method, setting, target, (score,))

    rows = [
        row("a", "strangler", "blind", "7", 0.5),
        row("a", "louvain", "imports", "7", 0.2),
        row("a", "louvain-nohubs", "imports", "7", 0.3),
        row("a", "louvain", "imports", "free", 0.9),  # another target: not compared with N
        row("b", "strangler", "blind", "5", 0.1),
        row("b", "louvain", "imports", "5", 0.2),
        row("b", "louvain-nohubs", "imports", "5", 0.0),
    ]
    lines = bench_devset.against_baselines(rows)
    assert "| a | N | 0.500 | 0.300 | +0.200 |" in lines
    assert "| b | N | 0.100 | 0.200 | -0.100 |" in lines
    assert lines[-1] == "| **macro** (1 of 2 below) | N | 0.300 | 0.250 | +0.050 |"
    assert not any("| free |" in line for line in lines)
