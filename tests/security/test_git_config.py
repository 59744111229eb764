"""Attack 1 of issue #12: the analyzed repository's own git config must never run a program."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from analyzers.history import git_command, git_environment
from tests.builders import write_tree
from tests.conftest import require_tool
from tests.security.hostile_git import arm, git, signed_commit

FILES = {
    "shop/__init__.py": "",
    "shop/orders.py": "from shop import stock\n\ndef place():\n    return stock.take()\n",
    "shop/stock.py": "def take():\n    return 1\n",
}


def hostile_repository(tmp_path: Path) -> tuple[Path, Path]:
    require_tool("git")
    root = tmp_path / "tree"
    write_tree(root, FILES)
    git(root, "init", "-q")
    git(root, "add", "-A")
    signed_commit(root, "one")
    (root / "shop" / "orders.py").write_text(FILES["shop/orders.py"] + "# two\n", encoding="utf-8")
    (root / "shop" / "stock.py").write_text(FILES["shop/stock.py"] + "# two\n", encoding="utf-8")
    git(root, "add", "-A")
    signed_commit(root, "two")
    marker = tmp_path / "PWNED"
    arm(root, marker)
    return root, marker


def test_the_attack_is_real_for_a_plain_git_log(tmp_path: Path) -> None:
    """The fixture really arms git: a plain `git log` runs the script (else the test below proves nothing)."""
    root, marker = hostile_repository(tmp_path)
    subprocess.run(["git", "log", "-1"], cwd=root, capture_output=True, check=False)
    assert marker.exists()


def test_hardened_git_log_runs_no_program_of_the_tree(tmp_path: Path) -> None:
    root, marker = hostile_repository(tmp_path)
    completed = subprocess.run(
        git_command(
            "git", "log", "--no-show-signature", "--no-ext-diff", "--no-textconv", "-p", "--name-only"
        ),
        cwd=root,
        env=git_environment(),
        capture_output=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert not marker.exists()


@pytest.mark.parametrize("command", ["analyze", "boundaries", "graph", "plan"])
def test_commands_read_history_without_running_the_trees_programs(tmp_path: Path, command: str) -> None:
    root, marker = hostile_repository(tmp_path)
    out = tmp_path / "out"
    arguments = [sys.executable, "-m", "strangler", command, str(root), "--no-cache", "--quiet"]
    if command == "graph":
        arguments += ["-o", str(tmp_path / "g.dot")]
    elif command == "plan":
        arguments += ["-o", str(out)]
    else:
        arguments += ["--format", "json"]
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    completed = subprocess.run(arguments, capture_output=True, text=True, env=environment, check=False)
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr
    assert not marker.exists(), f"{command} ran a program named by the tree's .git/config"
    if command == "analyze":
        edges = json.loads(completed.stdout)["edges"]
        cochange = {(e["source"], e["target"]): e.get("cochange", 0) for e in edges}
        assert any(count for count in cochange.values()), "history was still read"
