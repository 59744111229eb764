"""The monolith patch excludes its generated `<top>/_strangler/` package from later analyses."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from strangler.skeleton.exclusion import exclusion_edit
from tests.conftest import EXAMPLE_APP


def _exclude(files: dict[str, str], name: str) -> list[str]:
    data = tomllib.loads(files[name])
    table = data.get("tool", {}).get("strangler", data if name == "strangler.toml" else {})
    return list(table["exclude"])


def test_existing_exclude_list_gains_the_package_and_keeps_the_rest() -> None:
    text = '[project]\nname = "x"\n\n[tool.strangler]\n# why\nexclude = ["a.py"]\n\n[tool.other]\nk = 1\n'
    out = exclusion_edit({"pyproject.toml": text}, "shop/_strangler")
    assert _exclude(out, "pyproject.toml") == ["shop/_strangler", "a.py"]
    assert "# why" in out["pyproject.toml"] and tomllib.loads(out["pyproject.toml"])["tool"]["other"]
    assert exclusion_edit(out, "shop/_strangler") == {}  # idempotent


def test_table_or_file_is_added_when_missing() -> None:
    out = exclusion_edit({"pyproject.toml": '[project]\nname = "x"\n'}, "shop/_strangler")
    assert _exclude(out, "pyproject.toml") == ["shop/_strangler"]
    out = exclusion_edit({"pyproject.toml": "[tool.strangler]\nservices = 3\n"}, "shop/_strangler")
    assert _exclude(out, "pyproject.toml") == ["shop/_strangler"]
    assert _exclude(exclusion_edit({}, "shop/_strangler"), "strangler.toml") == ["shop/_strangler"]
    flat = exclusion_edit(
        {"strangler.toml": "services = 3\n[upstreams]\nmonolith = 'h:1'\n", "pyproject.toml": ""},
        "p/_strangler",
    )
    assert list(flat) == ["strangler.toml"] and _exclude(flat, "strangler.toml") == ["p/_strangler"]


def test_a_file_that_cannot_be_edited_soundly_is_left_alone() -> None:
    assert exclusion_edit({"pyproject.toml": "not = [toml"}, "shop/_strangler") == {}
    assert exclusion_edit({"pyproject.toml": '[tool.strangler]\nexclude = "x"\n'}, "s/_strangler") == {}


def test_after_apply_the_generated_package_is_not_analyzed(tmp_path: Path) -> None:
    import analyzers
    from strangler.boundaries.pipeline import decomposition_for
    from strangler.cli.shared_options import analysis_options_for
    from strangler.plan import PlanOptions, make_plan
    from strangler.skeleton import plan_skeletons

    tree = tmp_path / "shop"
    shutil.copytree(EXAMPLE_APP, tree, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    codebase = analyzers.analyze(tree, analysis_options_for(tree, no_history=True, no_cache=True, exclude=()))
    decomposition = decomposition_for(codebase, None)
    waves = [w.service for w in make_plan(codebase, decomposition, PlanOptions()).waves]
    files = plan_skeletons(codebase, decomposition, waves, tree, apply=True)
    assert "monolith_patch/files/pyproject.toml" in files
    assert any((tree / "shop" / "_strangler").rglob("*.py"))
    again = analyzers.analyze(tree, analysis_options_for(tree, no_history=True, no_cache=True, exclude=()))
    assert [m.name for m in again.modules if "_strangler" in m.name] == []
    assert {m.name for m in again.modules} == {m.name for m in codebase.modules}
