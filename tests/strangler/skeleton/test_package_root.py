"""`plan` of a tree whose root is itself a package (the Django source tree given as `src/django`)."""

from __future__ import annotations

import shutil
from pathlib import Path

from strangler.cli import main
from tests.conftest import EXAMPLE_APP


def test_plan_of_a_package_root_writes_the_generated_package_inside_it(tmp_path: Path) -> None:
    root = tmp_path / "shop"
    shutil.copytree(EXAMPLE_APP / "shop", root, ignore=shutil.ignore_patterns("__pycache__"))
    out = tmp_path / "out"
    code = main(["plan", str(root), "-o", str(out), "--no-history", "--no-cache", "--quiet"])
    assert code == 0
    generated = sorted(
        p.relative_to(out).as_posix() for p in (out / "monolith_patch").rglob("_strangler/*.py")
    )
    assert "monolith_patch/files/_strangler/__init__.py" in generated
    assert all(p.startswith("monolith_patch/files/_strangler/") for p in generated)
