"""Attack 3 and item 8 of issue #12: writes stay inside the output, never follow a link, and are atomic."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import write_tree
from tests.security.hostile import SHOP, assert_clean_failure, files_under, run_cli


def victim(tmp_path: Path) -> dict[str, Path]:
    """Files of the user's home an attacker wants overwritten, with their original text."""
    home = tmp_path / "home"
    home.mkdir()
    targets = {"bashrc": home / ".bashrc", "keys": home / "authorized_keys"}
    for name, path in targets.items():
        path.write_text(f"original {name}\n", encoding="utf-8")
    return targets


def planted_output(tmp_path: Path, targets: dict[str, Path], *, marker: bool) -> tuple[Path, Path]:
    """A tree shipping `strangler-out/` whose files are links into the victim's home."""
    root = write_tree(tmp_path / "tree", dict(SHOP))
    out = root / "strangler-out"
    (out / "services" / "stock").mkdir(parents=True)
    os.symlink(targets["bashrc"], out / "plan.md")
    os.symlink(targets["keys"], out / "services" / "stock" / "service.py")
    os.symlink(targets["keys"], out / "dangling-later.md")
    if marker:
        (out / ".strangler-plan").write_text("plan.md\nservices/stock/service.py\n../../home/.bashrc\n")
    return root, out


def assert_untouched(targets: dict[str, Path]) -> None:
    for name, path in targets.items():
        assert path.read_text(encoding="utf-8") == f"original {name}\n", f"{name} was written through a link"


@pytest.mark.parametrize("marker", [True, False])
def test_plan_never_writes_through_links_planted_in_the_output(tmp_path: Path, marker: bool) -> None:
    targets = victim(tmp_path)
    root, out = planted_output(tmp_path, targets, marker=marker)
    extra = () if marker else ("--force",)
    completed = run_cli("plan", str(root), "-o", str(out), "--no-history", *extra)
    assert completed.returncode == 0, completed.stderr
    assert_untouched(targets)
    assert (out / "plan.md").is_file() and not (out / "plan.md").is_symlink()
    assert "# " in (out / "plan.md").read_text(encoding="utf-8")


def test_a_directory_link_in_the_output_is_refused_not_followed(tmp_path: Path) -> None:
    targets = victim(tmp_path)
    root = write_tree(tmp_path / "tree", dict(SHOP))
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")
    os.symlink(targets["keys"].parent, out / "proxy")
    completed = run_cli("plan", str(root), "-o", str(out), "--no-history", "--force")
    assert_clean_failure(completed, 1, "symbolic link")
    assert_untouched(targets)
    assert sorted(p.name for p in targets["keys"].parent.iterdir()) == [".bashrc", "authorized_keys"]
    assert (out / "notes.txt").read_text() == "mine\n"


def test_an_output_path_that_is_a_link_is_refused(tmp_path: Path) -> None:
    targets = victim(tmp_path)
    root = write_tree(tmp_path / "tree", dict(SHOP))
    os.symlink(targets["keys"].parent, tmp_path / "out")
    completed = run_cli("plan", str(root), "-o", str(tmp_path / "out"), "--no-history", "--force")
    assert_clean_failure(completed, 1, "symbolic link")
    assert_untouched(targets)


def test_the_next_plan_removes_exactly_the_old_plans_files(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "tree", dict(SHOP))
    out = tmp_path / "out"
    assert run_cli("plan", str(root), "-o", str(out), "--no-history").returncode == 0
    first = files_under(out)
    (out / "notes.txt").write_text("mine\n")
    (out / "proxy" / "my-own.conf").write_text("# mine\n")
    (out / "old-plan-file.md").write_text("stale\n")
    marker = out / ".strangler-plan"
    marker.write_text(marker.read_text() + "old-plan-file.md\n")
    assert run_cli("plan", str(root), "-o", str(out), "--no-history").returncode == 0
    assert (out / "notes.txt").read_text() == "mine\n"
    assert (out / "proxy" / "my-own.conf").read_text() == "# mine\n"
    assert not (out / "old-plan-file.md").exists()
    assert files_under(out) == first | {"notes.txt", "proxy/my-own.conf"}


def test_force_keeps_the_users_files(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "tree", dict(SHOP))
    out = tmp_path / "out"
    write_tree(out, {"README.txt": "mine\n", "plan.md": "my own plan\n"})
    refused = run_cli("plan", str(root), "-o", str(out), "--no-history")
    assert_clean_failure(refused, 1, "not empty")
    assert run_cli("plan", str(root), "-o", str(out), "--no-history", "--force").returncode == 0
    assert (out / "README.txt").read_text() == "mine\n"
    assert (out / "plan.md").read_text() != "my own plan\n"


def _interrupted_plan(out: Path, root: Path, after: int) -> subprocess.CompletedProcess[str]:
    """`strangler plan` in a process that is killed (SIGKILL) after writing `after` staged files."""
    script = (
        "import os, sys, signal\n"
        "import strangler.writing as w\n"
        "count = [0]\n"
        "real = w._create\n"
        "def dying(target, data):\n"
        "    real(target, data)\n"
        "    count[0] += 1\n"
        f"    if count[0] == {after}:\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "w._create = dying\n"
        "from strangler.cli import main\n"
        f"sys.argv = ['strangler', 'plan', {str(root)!r}, '-o', {str(out)!r}, '--no-history', '--quiet']\n"
        "main()\n"
    )
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)


def test_a_killed_plan_leaves_the_previous_plan_intact_and_no_partial_one(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "tree", dict(SHOP))
    out = tmp_path / "out"
    assert run_cli("plan", str(root), "-o", str(out), "--no-history").returncode == 0
    before = {p: (out / p).read_bytes() for p in files_under(out) if (out / p).is_file()}
    (root / "shop" / "stock.py").write_text("def take(item):\n    return 2 * item\n")
    killed = _interrupted_plan(out, root, after=3)
    assert killed.returncode == -9
    assert {p: (out / p).read_bytes() for p in files_under(out) if (out / p).is_file()} == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".strangler-staging-")]
    assert leftovers, "the killed run left its staging directory beside the output"
    assert run_cli("plan", str(root), "-o", str(out), "--no-history").returncode == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".strangler-staging-")]


def test_a_killed_first_plan_leaves_no_output_directory(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "tree", dict(SHOP))
    out = tmp_path / "out"
    killed = _interrupted_plan(out, root, after=2)
    assert killed.returncode == -9
    assert not out.exists()
    assert run_cli("plan", str(root), "-o", str(out), "--no-history").returncode == 0


def test_a_file_where_the_output_directory_should_be(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "tree", dict(SHOP))
    (tmp_path / "out").write_text("a file\n")
    completed = run_cli("plan", str(root), "-o", str(tmp_path / "out"), "--no-history")
    assert_clean_failure(completed, 2, "is a file")


def test_a_file_where_a_plan_directory_should_be(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "tree", dict(SHOP))
    out = write_tree(tmp_path / "out", {"proxy": "a file of mine\n"})
    completed = run_cli("plan", str(root), "-o", str(out), "--no-history", "--force")
    assert_clean_failure(completed, 1, "proxy")
    assert (out / "proxy").read_text() == "a file of mine\n"


def test_a_name_too_long_and_a_full_disk_are_one_line_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from strangler import writing

    with pytest.raises(writing.OutputPathError, match="not a plain relative path"):
        writing.write_plan_tree(tmp_path / "out", {"x" * 300 + ".md": "text"}, force=False)

    def full(target: Path, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writing, "_create", full)
    with pytest.raises(writing.OutputPathError) as raised:
        writing.write_plan_tree(tmp_path / "out", {"plan.md": "text"}, force=False)
    assert "No space left" in raised.value.render() and "free some disk space" in raised.value.render()
    assert not (tmp_path / "out").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".strangler-staging-")]


@pytest.mark.parametrize("rel", ["../x", "/etc/passwd", "a/../../b", "a\x00b", "a\nb", "", "a//b", "a\\b"])
def test_generated_paths_must_stay_inside(tmp_path: Path, rel: str) -> None:
    from strangler import writing

    with pytest.raises(writing.OutputPathError):
        writing.write_plan_tree(tmp_path / "out", {rel: "text"}, force=False)
    assert not (tmp_path / "out").exists()


def test_apply_never_writes_through_a_link_in_the_tree(tmp_path: Path) -> None:
    from strangler import writing

    targets = victim(tmp_path)
    root = write_tree(tmp_path / "tree", dict(SHOP))
    os.symlink(targets["bashrc"], root / "shop" / "app.py")
    os.symlink(targets["keys"].parent / "new-file", root / "shop" / "dangling.py")
    os.symlink(targets["keys"].parent, root / "linked")
    for rel in ("shop/app.py", "shop/dangling.py", "linked/x.py", "../escape.py"):
        with pytest.raises(writing.OutputPathError):
            writing.apply_into_tree(root, {rel: "hostile = True\n"})
    assert_untouched(targets)
    assert sorted(p.name for p in targets["keys"].parent.iterdir()) == [".bashrc", "authorized_keys"]
    written = writing.apply_into_tree(root, {"shop/stock.py": "x = 1\n", "shop/new/mod.py": "y = 2\n"})
    assert [p.relative_to(root).as_posix() for p in written] == ["shop/new/mod.py", "shop/stock.py"]
    assert (root / "shop" / "stock.py").read_text() == "x = 1\n"
