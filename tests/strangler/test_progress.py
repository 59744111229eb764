"""`strangler.progress`: stage lines on a terminal, nothing elsewhere, every stage's time recorded."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import pytest

from strangler.progress import Progress, Stage, StageTime
from strangler.writing import write_plan_tree
from tests.builders import Terminal


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def screen(written: str) -> list[str]:
    """What a terminal shows at the end: each line as its last carriage return left it."""
    return [line.split("\r")[-1].rstrip() for line in written.split("\n")]


def _progress(stream: io.StringIO, clock: Clock, *, quiet: bool = False) -> Progress:
    return Progress(quiet=quiet, stream=stream, clock=clock, redraw=None)


def _plan_like_run(progress: Progress, clock: Clock) -> None:
    """An analysis that parses 4 files, then a proposal over 2 seeds, then a stage without a count."""
    progress.begin(Stage.ANALYSIS)
    for done in range(5):
        clock.now += 0.5
        progress("parse", done, 4)
    progress.end((StageTime("discover", 0.25), StageTime("parse", 2.0)))
    with progress.stage(Stage.PROPOSAL):
        for done in range(3):
            progress("seeds", done, 2)
            clock.now += 1.0
    with progress.stage(Stage.PLAN):
        clock.now += 0.3


def test_each_stage_ends_on_a_line_of_its_own_with_its_count_and_time() -> None:
    stream, clock = Terminal(), Clock()
    _plan_like_run(_progress(stream, clock), clock)
    lines = [line.split() for line in screen(stream.getvalue()) if line]
    assert lines == [
        ["analysis", "2.5", "s"],
        ["discover", "0.2", "s"],  # (0.25 to one place, half to even)
        ["parse", "4/4", "2.0", "s"],  # the count the analysis reported for its part
        ["proposal", "seeds", "2/2", "3.0", "s"],
        ["plan", "0.3", "s"],
    ]


def test_the_live_line_shows_the_count_under_way_and_the_time_so_far() -> None:
    stream, clock = Terminal(), Clock()
    progress = _progress(stream, clock)
    progress.begin(Stage.ANALYSIS)
    clock.now += 1.5
    progress("parse", 2, 4)
    assert screen(stream.getvalue())[-1].split() == ["analysis", "parse", "2/4", "1.5", "s"]
    progress.end()
    progress.begin(Stage.GRAPH)
    clock.now += 0.7
    progress.end()
    assert ["graph", "…", "0.0", "s"] in [part.split() for part in stream.getvalue().split("\r")]  # at first
    assert screen(stream.getvalue())[-2].split() == ["graph", "0.7", "s"]


def test_redraws_are_at_most_ten_a_second_but_a_complete_count_always_shows() -> None:
    stream, clock = Terminal(), Clock()
    progress = _progress(stream, clock)
    progress.begin(Stage.WRITING)
    for done in range(1, 1001):
        clock.now += 0.001  # a thousand files in one second
        progress("writing", done, 1000)
    drawn = stream.getvalue().count("\r")
    assert 10 <= drawn <= 13  # the start, ten a second, the last
    assert screen(stream.getvalue())[-1].split() == ["writing", "1000/1000", "1.0", "s"]


def test_a_stage_without_a_count_is_redrawn_by_a_timer_until_it_ends() -> None:
    stream = Terminal()
    progress = Progress(stream=stream, redraw=0.01)
    threads = threading.active_count()
    progress.begin(Stage.PROPOSAL)
    time.sleep(0.2)
    progress.end()
    assert threading.active_count() == threads  # the timer is gone with its stage
    assert stream.getvalue().count("proposal") >= 5
    assert screen(stream.getvalue())[-2].startswith("proposal")


@pytest.mark.parametrize("stage", [Stage.ANALYSIS, Stage.SKELETONS])
def test_no_timer_while_a_stage_may_fork_workers(stage: Stage) -> None:
    # analyzers.files.pool parses in one process when another thread runs
    progress = Progress(stream=Terminal(), redraw=0.01)
    threads = threading.active_count()
    progress.begin(stage)
    assert threading.active_count() == threads
    progress.end()


def test_nothing_is_written_off_a_terminal_or_when_quiet_but_times_are_kept() -> None:
    for stream, quiet in ((io.StringIO(), False), (Terminal(), True)):
        clock = Clock()
        progress = _progress(stream, clock, quiet=quiet)
        _plan_like_run(progress, clock)
        progress.close()
        assert stream.getvalue() == ""
        assert [t.name for t in progress.times] == ["analysis", "proposal", "plan"]
        assert progress.times[1].count == (2, 2) and progress.times[1].unit == "seeds"


def test_the_summary_names_every_stage_with_its_time_and_the_total() -> None:
    clock = Clock()
    progress = _progress(io.StringIO(), clock)
    _plan_like_run(progress, clock)
    clock.now += 0.1  # between stages: counted in the total only
    assert progress.summary() == (
        "stages: analysis 2.5 s (discover 0.2 s, parse 2.0 s), proposal 3.0 s, plan 0.3 s; total 5.9 s"
    )


def test_a_count_with_no_stage_open_is_a_stage_of_its_own_until_complete() -> None:
    # what callers that only report counts (the skeletons, an analysis outside a command) see
    stream, clock = Terminal(), Clock()
    progress = _progress(stream, clock)
    for done in range(4):
        progress("skeletons", done, 3)
        clock.now += 0.4
    assert [t.name for t in progress.times] == ["skeletons"]
    assert screen(stream.getvalue())[-2].split() == ["skeletons", "3/3", "1.2", "s"]
    assert stream.getvalue().endswith("\n")


def test_closing_ends_the_open_stage_and_an_error_ends_a_with_stage() -> None:
    stream, clock = Terminal(), Clock()
    progress = _progress(stream, clock)
    with pytest.raises(KeyError), progress.stage(Stage.PROXY):
        clock.now += 0.2
        raise KeyError("x")
    progress.begin(Stage.CHECK)
    progress.close()
    progress.close()
    assert [t.name for t in progress.times] == ["proxy", "check"]
    assert stream.getvalue().endswith("\n")


def test_writing_a_plan_counts_its_files(tmp_path: Path) -> None:
    files = {"plan.md": "# plan\n", "proxy/nginx/a.conf": "a\n", "services/x/README.md": "x\n"}
    progress = Progress(stream=io.StringIO())
    with progress.stage(Stage.WRITING):
        write_plan_tree(tmp_path / "out", files, force=False, progress=progress)
    (writing,) = progress.times
    assert writing.name == "writing" and writing.count == (3, 3)
    assert (tmp_path / "out/services/x/README.md").read_text() == "x\n"
