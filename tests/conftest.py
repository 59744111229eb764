"""Shared test fixtures and paths (builders of values and files: tests/builders.py).

Tests that drive a real system program (`dot`, `nginx`, `git`, `chromium`) ask for it through
`require_tool`: on a developer machine without it they skip; under CI (CI=true) a missing tool fails,
because .ci/run installs every one of them and a skip there would hide a broken install step.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLE_APP = REPO / "examples" / "monolith_app"


def require_tool(name: str) -> str:
    """Absolute path of system program `name`; skip (or fail under CI) when it is missing."""
    found = shutil.which(name)
    if found:
        return found
    message = f"system program {name!r} is not installed"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; .ci/run should have installed it")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own XDG cache so runs never share or pollute ~/.cache/strangler."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))


@pytest.fixture
def example_app() -> Path:
    return EXAMPLE_APP


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
