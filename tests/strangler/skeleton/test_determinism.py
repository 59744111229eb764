"""Skeleton output is the same bytes in any process: other hash seeds, cold or warm analysis cache.

Each run is `strangler plan` in a fresh interpreter (its own PYTHONHASHSEED) on a copy of the tree:
the first with an empty cache directory (cold: every file parsed, the cache written), the second
with the cache the first one wrote (warm). Every file written, skeletons and patch included, must
be byte-identical.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_APP, FIXTURES


def _plan(tree: Path, out: Path, cache: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "XDG_CACHE_HOME": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
    run = subprocess.run(
        [sys.executable, "-m", "strangler", "plan", str(tree), "-o", str(out), "--no-history", "-q"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    "source",
    [EXAMPLE_APP, FIXTURES / "fw_django_app", FIXTURES / "skel_fastapi_app", FIXTURES / "skel_django_app"],
    ids=["flask", "django", "fastapi-app", "django-app"],
)
def test_skeletons_are_byte_identical_across_seeds_and_cache_states(source: Path, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(source, tree, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    cache = tmp_path / "cache"
    cold = _plan(tree, tmp_path / "cold", cache, "1")
    assert any(p.startswith("services/") for p in cold), "no skeleton was generated"
    assert cache.is_dir() and any(cache.rglob("*")), "the first run should fill the cache"
    warm = _plan(tree, tmp_path / "warm", cache, "2")
    assert sorted(cold) == sorted(warm)
    assert [p for p in cold if cold[p] != warm[p]] == []
