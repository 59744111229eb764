"""`strangler.cli.shared_options`: the request of a command, with its progress on a terminal."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from strangler.cli import main
from tests.builders import Terminal
from tests.conftest import EXAMPLE_APP


def _untimed(text: str) -> str:
    """`text` with its timings (`analyze` prints how long it parsed) masked."""
    return re.sub(r"\d+\.\d+ s\b", "_ s", text)


def _finished(written: str) -> list[list[str]]:
    """The words of each line a terminal shows at the end."""
    return [line.split("\r")[-1].split() for line in written.split("\n") if line.split("\r")[-1].strip()]


@pytest.mark.parametrize(
    ("arguments", "stage"),
    [
        (("boundaries", str(EXAMPLE_APP)), ("graph", "proposal", "report")),
        (("graph", str(EXAMPLE_APP), "-o", "{tmp}/g.dot"), ("graph", "proposal", "drawing")),
        (("analyze", str(EXAMPLE_APP)), ()),
    ],
)
def test_a_command_s_own_stage_follows_the_analysis_and_ends_before_it_prints(
    arguments: tuple[str, ...],
    stage: tuple[str, ...],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # (a cold run each time: `analyze` tells how many files came from the cache)
    argv = [a.replace("{tmp}", str(tmp_path)) for a in (*arguments, "--no-history", "--no-cache")]
    assert main(argv) == 0
    plain = capsys.readouterr()
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(argv) == 0
    assert _untimed(capsys.readouterr().out) == _untimed(plain.out)  # the same on a terminal
    lines = _finished(terminal.getvalue())
    stages = [line[0] for line in lines if line[-1] == "s" and line[0] != "note:"]
    assert stages == ["analysis", "discover", "parse", "resolve", "history", *stage]
    assert [line for line in lines if line[-1] != "s" or line[0] == "note:"] == _finished(plain.err)


def test_quiet_draws_nothing_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["boundaries", str(EXAMPLE_APP), "--no-history", "-q"]) == 0
    assert terminal.getvalue() == ""
