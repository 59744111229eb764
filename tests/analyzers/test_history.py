"""Co-change from a real git repository built in tmp_path."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from analyzers.history import cochange, count_pairs, parse_log
from analyzers.model import CoChange
from analyzers.options import AnalysisOptions
from tests.conftest import require_tool


def _git(repo: Path, *args: str, when: int = 0) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_AUTHOR_DATE": f"2024-01-01T00:00:{when:02d}Z",
        "GIT_COMMITTER_DATE": f"2024-01-01T00:00:{when:02d}Z",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def _commit(repo: Path, files: dict[str, str], when: int) -> None:
    for name, text in files.items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    _git(repo, "add", "-A", when=when)
    _git(repo, "commit", "-q", "-m", f"c{when}", when=when)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    require_tool("git")
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    # The analyzed tree is a subdirectory: git reports paths from the repository top.
    _commit(repo, {"app/shop/a.py": "1", "app/shop/b.py": "1", "app/shop/c.py": "1"}, 1)
    _commit(repo, {"app/shop/a.py": "2", "app/shop/b.py": "2"}, 2)
    _commit(repo, {"app/shop/a.py": "3", "app/shop/b.py": "3", "README": "x"}, 3)
    _commit(repo, {"app/shop/b.py": "4", "app/shop/c.py": "4"}, 4)
    _commit(repo, {"app/shop/space name.py": "1", "app/shop/a.py": "5"}, 5)
    return repo


MODULES = {
    "shop/a.py": "shop.a",
    "shop/b.py": "shop.b",
    "shop/c.py": "shop.c",
    "shop/space name.py": "shop.space_name",
}


def test_counts_pairs_changed_together(repo: Path) -> None:
    pairs, diagnostics = cochange(repo / "app", MODULES, AnalysisOptions())
    assert diagnostics == ()
    assert pairs == (
        CoChange("shop.a", "shop.b", 3),
        CoChange("shop.a", "shop.c", 1),
        CoChange("shop.a", "shop.space_name", 1),
        CoChange("shop.b", "shop.c", 2),
    )


def test_large_commits_are_ignored(repo: Path) -> None:
    pairs, _ = cochange(repo / "app", MODULES, AnalysisOptions(history_max_files=2))
    # The first commit (3 files) and the third (3 files, README included) no longer count.
    assert pairs == (
        CoChange("shop.a", "shop.b", 1),
        CoChange("shop.a", "shop.space_name", 1),
        CoChange("shop.b", "shop.c", 1),
    )


def test_only_recent_commits_are_read(repo: Path) -> None:
    pairs, _ = cochange(repo / "app", MODULES, AnalysisOptions(history_commits=2))
    assert pairs == (CoChange("shop.a", "shop.space_name", 1), CoChange("shop.b", "shop.c", 1))


def test_not_a_repository_gives_nothing(tmp_path: Path) -> None:
    require_tool("git")
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.py").write_text("x = 1\n")
    env_ceiling = os.environ.get("GIT_CEILING_DIRECTORIES")
    os.environ["GIT_CEILING_DIRECTORIES"] = str(tmp_path)
    try:
        assert cochange(plain, {"a.py": "a"}, AnalysisOptions()) == ((), ())
    finally:
        if env_ceiling is None:
            del os.environ["GIT_CEILING_DIRECTORIES"]
        else:
            os.environ["GIT_CEILING_DIRECTORIES"] = env_ceiling


def test_repository_without_commits_gives_nothing(tmp_path: Path) -> None:
    require_tool("git")
    _git(tmp_path, "init", "-q")
    assert cochange(tmp_path, {"a.py": "a"}, AnalysisOptions()) == ((), ())


def test_parse_log_and_count_pairs_without_git() -> None:
    output = "\x01strangler-commit\x01\x00\nx/a.py\x00x/b.py\x00\x01strangler-commit\x01\x00\nx/a.py\x00"
    commits = parse_log(output)
    assert commits == [("x/a.py", "x/b.py"), ("x/a.py",)]
    assert count_pairs(commits, "x", {"a.py": "a", "b.py": "b"}, 50) == (CoChange("a", "b", 1),)
    assert count_pairs(commits, "", {"a.py": "a", "b.py": "b"}, 50) == ()
