"""`strangler progress`: findings of each recent commit against today's decomposition."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from strangler.cli import main
from tests.conftest import EXAMPLE_APP, FIXTURES, require_tool
from tests.e2e.test_check_example import NEW_CALL
from tests.e2e.test_check_precommit import git


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """Three commits of the example: as it is, plus a call into orders' internals, then reviews'
    views importing nothing from accounts any more (the file removed)."""
    require_tool("git")
    root = tmp_path / "shop_app"
    shutil.copytree(EXAMPLE_APP, root, ignore=shutil.ignore_patterns("tests", "__pycache__"))
    shutil.copy(FIXTURES / "check_example" / "strangler-boundaries.json", root / "strangler-boundaries.json")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the monolith")
    with (root / "shop" / "reviews" / "service.py").open("a") as stream:
        stream.write(NEW_CALL)
    git(root, "commit", "-q", "-am", "reviews calls into orders")
    git(root, "rm", "-q", "shop/reviews/views.py")
    git(root, "commit", "-q", "-m", "drop reviews views")
    return root


def test_progress_counts_findings_per_commit(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["progress", str(history), "--format", "json", "-q"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["schema"] == "strangler.progress/1"
    commits = document["commits"]
    assert [c["subject"] for c in commits] == [
        "the monolith",
        "reviews calls into orders",
        "drop reviews views",
    ]
    first, second, third = (c["findings"] for c in commits)
    assert second == first + 2
    assert commits[1]["by_pair"]["reviews -> orders"] == 2
    assert "reviews -> orders" not in commits[0]["by_pair"]
    assert third < second
    assert main(["check", str(history), "-q", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["summary"]["new"] == third  # the last commit is today's tree


def test_text_and_commit_limit(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["progress", str(history), "--commits", "2", "-q"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith(" reviews calls into orders")
    assert lines[1].endswith(" drop reviews views") and "(-" in lines[1]
    assert lines[2] == "left to cut at the last commit:"


def test_no_filter_or_hook_of_the_repository_runs(history: Path, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    with (history / ".git" / "config").open("a") as stream:
        stream.write(f'[filter "evil"]\n\tsmudge = touch {marker}\n\tclean = touch {marker}\n')
        stream.write(f"[core]\n\tfsmonitor = touch {marker}\n")
    (history / ".gitattributes").write_text("*.py filter=evil\n")
    assert main(["progress", str(history), "--commits", "1", "-q"]) == 0
    assert not marker.exists()


def test_not_a_repository_is_a_failure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "plain"
    shutil.copytree(EXAMPLE_APP / "shop", root / "shop")
    shutil.copy(FIXTURES / "check_example" / "strangler-boundaries.json", root / "strangler-boundaries.json")
    assert main(["progress", str(root), "-q"]) == 1
    assert "git log failed" in capsys.readouterr().err
