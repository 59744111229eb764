"""The `strangler-check` pre-commit hook (.pre-commit-hooks.yaml), run for real with `pre-commit try-repo`.

The hook repository is a committed copy of this project (pre-commit installs it into a virtualenv
of its own, from PyPI); the checked repository is a copy of the example with its decomposition and
baseline committed. Slow (an install), so marked `slow`; skipped where pre-commit is missing, except
under CI."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_APP, FIXTURES, REPO, require_tool
from tests.e2e.test_check_example import NEW_CALL

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


def committed(root: Path) -> Path:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "snapshot")
    return root


def hook_repo(tmp_path: Path) -> Path:
    """This project as pre-commit sees a hook repository: its sources and the hooks file, committed."""
    root = tmp_path / "hooks"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("strangler", "analyzers"):
        shutil.copytree(REPO / package, root / package, ignore=ignore)
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy(REPO / name, root / name)
    return committed(root)


def try_repo(hooks: Path, target: Path, home: Path) -> subprocess.CompletedProcess[str]:
    pre_commit = require_tool("pre-commit")
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(home)}
    return subprocess.run(
        [pre_commit, "try-repo", str(hooks), "strangler-check", "--all-files", "--verbose"],
        cwd=target,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


@pytest.mark.slow
def test_hook_passes_on_the_baseline_and_fails_on_a_new_call(tmp_path: Path) -> None:
    from strangler.cli import main

    target = tmp_path / "shop_app"
    shutil.copytree(EXAMPLE_APP, target, ignore=shutil.ignore_patterns("tests", "__pycache__"))
    shutil.copy(
        FIXTURES / "check_example" / "strangler-boundaries.json", target / "strangler-boundaries.json"
    )
    assert main(["check", str(target), "--write-baseline", "-q"]) == 0
    committed(target)
    hooks, home = hook_repo(tmp_path), tmp_path / "pre-commit-home"
    clean = try_repo(hooks, target, home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "strangler check (service boundaries)" in clean.stdout
    with (target / "shop" / "reviews" / "service.py").open("a") as stream:
        stream.write(NEW_CALL)
    git(target, "commit", "-q", "-am", "reviews calls into orders' internals")
    failed = try_repo(hooks, target, home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "shop/reviews/service.py:82: call shop.orders.states.can_transition" in failed.stdout
    assert "2 new cross-boundary dependencies" in failed.stdout
