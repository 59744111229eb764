"""`strangler plan` on the example app as a user runs it: every stage on a terminal, one line of
stage times on stderr otherwise (none with `--quiet`), stdout the same either way, and the
decomposition's notes in the summary."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from strangler.cli import main
from tests.builders import Terminal
from tests.conftest import EXAMPLE_APP

#: The stages of `plan`, in order (the analysis's parts in parentheses).
STAGES = ("analysis", "graph", "proposal", "plan", "proxy", "skeletons", "documents", "writing")
PARTS = ("discover", "parse", "resolve", "history")


def _plan(out: Path, *extra: str) -> int:
    return main(["plan", str(EXAMPLE_APP), "-o", str(out), "--no-history", *extra])


def test_off_a_terminal_only_the_stage_times_are_added_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _plan(tmp_path / "out", "-q") == 0
    quiet = capsys.readouterr()
    assert quiet.err == ""
    assert _plan(tmp_path / "out") == 0
    shown = capsys.readouterr()
    assert shown.out == quiet.out
    seconds = r"\d+\.\d s"
    parts = ", ".join(f"{p} {seconds}" for p in PARTS)
    stages = ", ".join(f"{s} {seconds}" + (f" \\({parts}\\)" if s == "analysis" else "") for s in STAGES)
    assert re.fullmatch(f"stages: {stages}; total {seconds}\n", shown.err), shown.err


def test_on_a_terminal_every_stage_ends_on_its_line_with_its_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _plan(tmp_path / "out", "-q", "--no-cache") == 0
    quiet = capsys.readouterr()
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert _plan(tmp_path / "out", "--no-cache") == 0  # (a warm run reuses the parsed facts)
    assert capsys.readouterr().out == quiet.out
    screen = [line.split("\r")[-1].split() for line in terminal.getvalue().split("\n")]
    names = [line[0] for line in screen if line and line[0] in (*STAGES, *PARTS)]
    assert names == [STAGES[0], *PARTS, *STAGES[1:]]
    parse = next(line for line in screen if line and line[0] == "parse")
    assert re.fullmatch(r"(\d+)/\1", parse[1])  # every file parsed, counted
    writing = next(line for line in screen if line and line[0] == "writing")
    assert writing[-1] == "s" and re.fullmatch(r"\d+\.\d", writing[-2])
    assert screen[-2][0] == "stages:" and screen[-1] == []


def test_the_summary_tells_the_decomposition_s_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _plan(tmp_path / "out", "-q", "--services", "500") == 0
    lines = capsys.readouterr().out.splitlines()
    notes = [i for i, line in enumerate(lines) if line.startswith("note: ")]
    asked = [lines[i] for i in notes if "asked for 500 services, the code supports" in lines[i]]
    assert len(asked) == 1
    last_wave = max(i for i, line in enumerate(lines) if re.match(r"\s+\d+\. ", line))
    wrote = next(i for i, line in enumerate(lines) if line.startswith("wrote "))
    assert last_wave < min(notes) and max(notes) < wrote
