"""`strangler plan` writes the skeletons and the first wave's monolith patch; `--apply` patches PATH."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from strangler.cli import main
from tests.conftest import EXAMPLE_APP


def test_plan_writes_skeletons_and_applies_the_first_wave_patch_only_when_asked(
    tmp_path: Path,
) -> None:
    tree = tmp_path / "shop"
    shutil.copytree(EXAMPLE_APP, tree, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    before = {p: p.read_text() for p in tree.rglob("*.py")}

    assert main(["plan", str(tree), "-o", str(tmp_path / "out"), "--no-history", "-q"]) == 0
    plan = json.loads((tmp_path / "out" / "plan.json").read_text())
    waves = [w["service"] for w in plan["waves"]]
    assert sorted(plan["services"]) == sorted(waves)
    for service in waves:
        assert (tmp_path / "out" / plan["services"][service] / "pyproject.toml").is_file()
    patch = tmp_path / "out" / "monolith_patch"
    assert (patch / "monolith.diff").read_text().startswith("--- ")
    assert {p: p.read_text() for p in tree.rglob("*.py")} == before  # untouched without --apply

    assert main(["plan", str(tree), "-o", str(tmp_path / "out"), "--no-history", "-q", "--apply"]) == 0
    for changed in (patch / "files").rglob("*.py"):
        target = tree / changed.relative_to(patch / "files")
        assert target.read_text() == changed.read_text()
    assert (tree / "shop" / "_strangler" / "internal_api.py").is_file()
