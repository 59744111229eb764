"""write_plan_tree on a re-run: a plan already in place, byte for byte, is left as it is; any
difference (a changed, missing or extra file, a link or a FIFO in place of a file) writes it again.
write_file_atomically gives the mode `open` would."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from strangler.writing import MARKER, write_file_atomically, write_plan_tree

PLAN = {"plan.md": "# plan\n", "services/a/app.py": "print('a')\n", "services/b/README.md": "b\n"}


def _inodes(out: Path) -> dict[str, int]:
    return {rel: (out / rel).stat().st_ino for rel in [*PLAN, MARKER]}


def test_an_identical_plan_is_not_written_again(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_plan_tree(out, PLAN, force=False)
    before = _inodes(out)
    write_plan_tree(out, dict(PLAN), force=False)
    assert _inodes(out) == before
    assert {rel: (out / rel).read_text() for rel in PLAN} == PLAN


def test_a_changed_file_writes_the_plan(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_plan_tree(out, PLAN, force=False)
    changed = {**PLAN, "services/a/app.py": "print('A')\n"}
    write_plan_tree(out, changed, force=False)
    assert (out / "services/a/app.py").read_text() == "print('A')\n"


def test_a_file_more_or_less_writes_the_plan(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_plan_tree(out, PLAN, force=False)
    fewer = {k: v for k, v in PLAN.items() if k != "plan.md"}
    write_plan_tree(out, fewer, force=False)
    assert not (out / "plan.md").exists()
    assert (out / MARKER).read_text().splitlines() == sorted(fewer)


def test_a_file_edited_by_hand_is_restored(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_plan_tree(out, PLAN, force=False)
    (out / "plan.md").write_text("# plan!\n")
    write_plan_tree(out, PLAN, force=False)
    assert (out / "plan.md").read_text() == PLAN["plan.md"]


def test_a_link_or_fifo_in_place_of_a_file_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_plan_tree(out, PLAN, force=False)
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_text(PLAN["plan.md"])
    (out / "plan.md").unlink()
    (out / "plan.md").symlink_to(elsewhere)
    (out / "services/b/README.md").unlink()
    os.mkfifo(out / "services/b/README.md")
    write_plan_tree(out, PLAN, force=False)
    assert not (out / "plan.md").is_symlink() and (out / "plan.md").read_text() == PLAN["plan.md"]
    assert (out / "services/b/README.md").read_text() == PLAN["services/b/README.md"]
    assert elsewhere.read_text() == PLAN["plan.md"]


def test_an_atomic_write_has_the_mode_open_would_give(tmp_path: Path) -> None:
    """A file people edit (`boundaries -o cut.json`) is readable as usual, not mkstemp's 0600."""
    old = os.umask(0o022)
    try:
        write_file_atomically(tmp_path / "cut.json", b"{}")
        os.umask(0o077)
        write_file_atomically(tmp_path / "private.json", b"{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "cut.json").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "private.json").stat().st_mode) == 0o600
