"""Attack 2 of issue #12 and its neighbours: the tree's own `[tool.strangler]` is untrusted input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.builders import write_tree
from tests.security.hostile import SHOP, assert_clean_failure, files_under, run_cli


def shop(tmp_path: Path, pyproject: str) -> Path:
    root = write_tree(tmp_path / "tree", dict(SHOP))
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    "name",
    [
        "../../../../elsewhere",
        "a/b",
        "Orders",
        "x\ny",
        "monolith",
        "shared-kernel",
        "internal-denied",
        "a" * 42,
        "",
    ],
)
def test_a_hostile_pin_name_is_refused_before_anything_is_written(tmp_path: Path, name: str) -> None:
    key = name.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    root = shop(tmp_path, f'[tool.strangler.services."{key}"]\nmodules = ["shop.orders"]\n')
    out = tmp_path / "work" / "out"
    before = files_under(tmp_path)
    completed = run_cli("plan", str(root), "-o", str(out), "--no-history")
    assert_clean_failure(completed, 2, "service name")
    assert files_under(tmp_path) == before, "nothing may be written"


def test_source_roots_outside_the_tree_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    write_tree(secret, {"creds.py": "TOKEN = 'hunter2'\n"})
    for entry in ("../secret", "/etc", "shop/../../secret", "C:/x"):
        root = shop(tmp_path, f"[tool.strangler]\nsource_roots = [{entry!r}]\n".replace("'", '"'))
        completed = run_cli("analyze", str(root), "--no-history", "--no-cache")
        assert_clean_failure(completed, 2, "source_roots")


def test_a_source_root_that_is_a_link_out_of_the_tree_is_not_followed(tmp_path: Path) -> None:
    secret = write_tree(tmp_path / "secret", {"creds.py": "TOKEN = 'hunter2'\n"})
    root = shop(tmp_path, '[tool.strangler]\nsource_roots = ["src", "."]\n')
    os.symlink(secret, root / "src")
    completed = run_cli("analyze", str(root), "--no-history", "--no-cache", "--format", "json")
    assert "creds" not in completed.stdout.replace('"symlink-outside"', "")
    assert "symlink-outside" in completed.stdout


def test_links_out_of_the_tree_are_never_read_or_copied(tmp_path: Path) -> None:
    secret = write_tree(tmp_path / "secret", {"keys/__init__.py": "", "keys/vault.py": "TOKEN = 'hunter2'\n"})
    root = shop(tmp_path, "")
    os.symlink(secret / "keys", root / "shop" / "keys")
    os.symlink(secret / "keys" / "vault.py", root / "shop" / "vault.py")
    (root / "shop" / "stock.py").write_text("from shop.keys import vault\nfrom shop import vault as v\n")
    out = tmp_path / "out"
    completed = run_cli("plan", str(root), "-o", str(out), "--no-history", "--no-cache")
    assert completed.returncode == 0, completed.stderr
    for path in out.rglob("*"):
        if path.is_file():
            assert "hunter2" not in path.read_text(encoding="utf-8", errors="replace"), path
    analysis = run_cli("analyze", str(root), "--no-history", "--format", "json").stdout
    assert analysis.count("symlink-outside") >= 2


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ("[tool.strangler.weights]\nimports = nan\n", "finite"),
        ("[tool.strangler.weights]\nimports = inf\n", "finite"),
        ("[tool.strangler]\nmax_file_bytes = -1\n", "max_file_bytes"),
        ("[tool.strangler]\ntool = 3\nexclude = 7\n", "exclude"),
        ('[tool.strangler.upstreams]\nmonolith = "127.0.0.1:80\\nserver evil"\n', "upstream"),
        ('[tool.strangler.upstreams]\norders = "evil;host:1"\n', "upstream"),
        ('[tool.strangler.upstreams]\n"../x" = "127.0.0.1:9000"\n', "service name"),
    ],
)
def test_bad_values_in_the_trees_config_are_clear_usage_errors(
    tmp_path: Path, table: str, words: str
) -> None:
    root = shop(tmp_path, table)
    completed = run_cli("plan", str(root), "-o", str(tmp_path / "out"), "--no-history")
    assert_clean_failure(completed, 2, words)
    assert not (tmp_path / "out").exists()


def test_signal_weights_on_the_command_line_are_finite(tmp_path: Path) -> None:
    root = shop(tmp_path, "")
    completed = run_cli("boundaries", str(root), "--no-history", "--signals", "imports=nan")
    assert_clean_failure(completed, 2, "finite")


def test_a_config_file_that_is_no_regular_file_does_not_hang_or_exhaust_memory(tmp_path: Path) -> None:
    root = shop(tmp_path, "")
    (root / "pyproject.toml").unlink()
    os.mkfifo(root / "pyproject.toml")
    completed = run_cli("analyze", str(root), "--no-history", timeout=30)
    assert_clean_failure(completed, 2, "regular file")
    (root / "pyproject.toml").unlink()
    os.symlink("/dev/zero", root / "strangler.toml")
    completed = run_cli("analyze", str(root), "--no-history", timeout=30)
    assert_clean_failure(completed, 2, "regular file")


def test_a_huge_config_file_is_refused(tmp_path: Path) -> None:
    root = shop(tmp_path, "# " + "x" * 2_000_000 + "\n")
    completed = run_cli("analyze", str(root), "--no-history", timeout=30)
    assert_clean_failure(completed, 2, "more than")
