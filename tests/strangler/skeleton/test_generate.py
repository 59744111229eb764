"""Skeleton generation on the small Flask fixture: golden output, determinism, standalone skeletons."""

from __future__ import annotations

import os
import py_compile
import sys
from pathlib import Path

import pytest

from strangler.skeleton import SkeletonError, SkeletonOptions, apply_patch, generate_skeletons
from strangler.skeleton.checking import import_problems
from strangler.skeleton.generate import load_sources, parse_texts, wire_source
from strangler.skeleton.layout import plan_layout
from tests.builders import write_tree
from tests.conftest import GOLDEN
from tests.skel_support import FIXTURE, minishop_codebase, minishop_decomposition

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

GOLDEN = GOLDEN / "skel_minishop"
UPDATE = os.environ.get("STRANGLER_UPDATE_GOLDEN") == "1"


def _generate(services: list[str]) -> dict[str, str]:
    codebase = minishop_codebase()
    return generate_skeletons(
        codebase, minishop_decomposition(codebase), FIXTURE, services, SkeletonOptions()
    )


def _golden_view(files: dict[str, str]) -> dict[str, str]:
    """Everything but the copies of the wire runtime (tested on their own) and the diff's copies."""
    return {p: t for p, t in files.items() if not p.endswith("wire.py")}


def test_stock_skeleton_matches_golden_files() -> None:
    files = _golden_view(_generate(["stock"]))
    if UPDATE:
        write_tree(GOLDEN, files)
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_text() for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(files) == sorted(expected)
    for path, text in files.items():
        assert text == expected[path], path


def test_generation_is_byte_identical_across_runs() -> None:
    assert _generate(["stock", "catalog"]) == _generate(["catalog", "stock"])


def test_wire_runtime_is_copied_verbatim_to_both_sides() -> None:
    files = _generate(["stock"])
    assert files["services/stock/stock/clients/wire.py"] == wire_source()
    assert files["monolith_patch/files/minishop/_strangler/wire.py"] == wire_source()


def test_layout_moves_vendors_and_calls_remotely() -> None:
    codebase = minishop_codebase()
    texts = parse_texts(codebase, load_sources(FIXTURE, codebase))
    layout = plan_layout(codebase, minishop_decomposition(codebase), "stock", texts)
    assert dict(layout.moved) == {
        "minishop.stock": "stock",
        "minishop.stock.models": "stock.models",
        "minishop.stock.service": "stock.service",
        "minishop.stock.views": "stock.views",
    }
    # kernel, the ORM model of a shared table, and the app factory are copied...
    assert [m for m, _ in layout.vendored] == [
        "minishop.app",
        "minishop.catalog.models",
        "minishop.core.db",
        "minishop.core.errors",
    ]
    # ...and the accounts function stays in the monolith, behind the client.
    assert [r.operation for r in layout.remote] == ["minishop.accounts.auth.require_user"]


@pytest.mark.parametrize("services", [["stock"], ["accounts", "catalog", "stock"]])
def test_every_skeleton_compiles_and_its_imports_resolve_inside_it(
    services: list[str], tmp_path: Path
) -> None:
    files = _generate(services)
    write_tree(tmp_path, files)
    for path in files:
        if path.endswith(".py"):
            py_compile.compile(str(tmp_path / path), doraise=True)
    for service in services:
        assert import_problems(files, f"services/{service}", frozenset({"minishop"})) == []


def test_project_files_are_valid() -> None:
    files = _generate(["stock"])
    project = tomllib.loads(files["services/stock/pyproject.toml"])
    assert project["project"]["name"] == "stock-service"
    # the fixture declares nothing: the generated code's own constraints, the rest as installed
    assert "httpx>=0.24,<1" in project["project"]["dependencies"]
    assert "sqlalchemy" in project["project"]["dependencies"]
    assert 'CMD ["python", "-m", "stock"' in files["services/stock/Dockerfile"]
    readme = files["services/stock/README.md"]
    assert "MONOLITH_URL" in readme and "SHOP_DATABASE_URL" in readme
    assert '.get("/stock/1")' in files["services/stock/tests/test_smoke.py"]


def test_generated_smoke_test_passes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _generate(["stock"])
    write_tree(tmp_path, files)
    service = tmp_path / "services" / "stock"
    monkeypatch.syspath_prepend(str(service))
    namespace: dict[str, object] = {}
    exec(compile((service / "tests" / "test_smoke.py").read_text(), "smoke", "exec"), namespace)
    test = namespace["test_app_starts_and_answers"]
    assert callable(test)
    test(tmp_path, monkeypatch)


def test_monolith_patch_rewires_callers_and_registers_internal_api(tmp_path: Path) -> None:
    files = _generate(["stock"])
    diff = files["monolith_patch/monolith.diff"]
    assert "-from minishop.stock import service as stock_service\n" in diff
    assert "+from minishop._strangler.clients.stock import minishop_stock_service as stock_service\n" in diff
    assert "+    app.register_blueprint(strangler_internal_api)\n" in diff
    # --apply writes the changed files into a tree (here a copy), nothing else
    copy = tmp_path / "mono"
    write_tree(copy, {p.relative_to(FIXTURE).as_posix(): p.read_text() for p in FIXTURE.rglob("*.py")})
    written = apply_patch(copy, files)
    assert sorted(p.relative_to(copy).as_posix() for p in written) == sorted(
        p.removeprefix("monolith_patch/files/") for p in files if p.startswith("monolith_patch/files/")
    )
    assert "minishop_stock_service" in (copy / "minishop/catalog/service.py").read_text()


def test_unknown_service_is_an_error_with_a_hint() -> None:
    with pytest.raises(SkeletonError) as info:
        _generate(["billing"])
    assert info.value.hint is not None and "stock" in info.value.hint


def test_a_patch_with_nothing_to_change_says_so() -> None:
    from strangler.skeleton.monolith_patch import NOTHING_TO_PATCH, patch_outputs

    quiet = patch_outputs({"shop/app.py": "x = 1\n"}, {})
    assert quiet == {"monolith_patch/monolith.diff": "", "monolith_patch/README.md": NOTHING_TO_PATCH}
    changed = patch_outputs({"shop/app.py": "x = 1\n"}, {"shop/app.py": "x = 2\n"})
    assert "monolith_patch/README.md" not in changed
    assert changed["monolith_patch/monolith.diff"].startswith("--- a/shop/app.py\n+++ b/shop/app.py\n")


def test_routes_declared_on_a_blueprint_that_stays_are_listed_to_wire_by_hand() -> None:
    # CTFd: a service's Flask-RESTX resources hang off the `api` blueprint of another service
    from analyzers.model import Route
    from strangler.skeleton.project import ProjectSpec, readme_text, smoke_route
    from strangler.skeleton.service_tree import unserved_routes

    own = Route("/stats", ("GET",), "shop.admin.stats", "shop.admin", 3, "flask", name="admin.stats")
    shared = Route(
        "/api/v1/configs",
        ("GET",),
        "shop.admin.api.Configs",
        "shop.admin.api",
        9,
        "flask",
        name="api.Configs",
    )
    plain = Route("/health", ("GET",), "shop.admin.health", "shop.admin", 5, "flask", name="health")
    assert unserved_routes([own, shared, plain], "flask", {"admin"}) == (shared,)
    assert unserved_routes([own, shared], "fastapi", set()) == ()
    spec = ProjectSpec(
        service="admin",
        package="admin",
        externals=(),
        env_vars=(),
        routes=(own, plain),
        monolith_url_env="MONOLITH_URL",
        default_port=8001,
        python_requires=">=3.10",
        moved=(),
        vendored=(),
        remote=(),
        served=(),
        unserved=(shared,),
    )
    text = readme_text(spec)
    assert "## Routes to wire by hand" in text and "- `GET /api/v1/configs` (shop.admin.api.Configs)" in text
    assert smoke_route(spec.routes) == "/health"  # the smoke test calls a route the app serves


def test_a_warm_cache_gives_the_same_files_and_a_damaged_one_is_ignored(tmp_path: Path) -> None:
    from strangler.skeleton import skelcache

    codebase = minishop_codebase()
    decomposition = minishop_decomposition(codebase)

    def generate() -> dict[str, str]:
        return generate_skeletons(
            codebase, decomposition, FIXTURE, ["stock"], SkeletonOptions(), cache_dir=tmp_path / "cache"
        )

    cold = generate()
    stored = skelcache.cache_path(tmp_path / "cache", FIXTURE)
    assert stored.is_file() and len(skelcache.load(stored, skelcache.fingerprint()).texts) > 10
    assert generate() == cold == _generate(["stock"])  # warm, and without any cache
    stored.write_text('{"layout": "strangler.skeleton-texts/1", "fingerprint": 1}')
    assert generate() == cold
    stored.unlink()
    stored.symlink_to(tmp_path / "elsewhere.json")  # never followed
    (tmp_path / "elsewhere.json").write_text("[]")
    assert generate() == cold


def test_progress_is_reported_for_reading_and_generating() -> None:
    codebase = minishop_codebase()
    seen: list[tuple[str, int, int]] = []
    generate_skeletons(
        codebase,
        minishop_decomposition(codebase),
        FIXTURE,
        ["stock", "catalog"],
        SkeletonOptions(),
        progress=lambda stage, done, total: seen.append((stage, done, total)),
    )
    assert seen[-1] == ("skeletons", 2, 2)
    assert ("reading", len(codebase.modules), len(codebase.modules)) in seen


def test_modules_read_once_are_not_parsed_again_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Clients and hazards read a function from its own lines and the module's ModuleText, and the
    monolith patch rewrites from the points read with it: a whole module is never parsed again."""
    from strangler.skeleton import client, moving

    expected = _generate(["stock"])  # (catalog stays: the patch rewires its calls into stock)
    moving._points_of.cache_clear()

    def refuse(text: str) -> None:
        raise AssertionError("a whole module parsed again")

    monkeypatch.setattr(client, "parse_ast", refuse)
    monkeypatch.setattr(moving, "_points_of", refuse)
    assert _generate(["stock"]) == expected


def test_the_collector_is_paused_while_generating_and_restored_after() -> None:
    import gc

    codebase = minishop_codebase()
    states: list[bool] = []
    generate_skeletons(
        codebase,
        minishop_decomposition(codebase),
        FIXTURE,
        ["stock"],
        SkeletonOptions(),
        progress=lambda stage, done, total: states.append(gc.isenabled()),
    )
    assert states and not any(states)
    assert gc.isenabled()
