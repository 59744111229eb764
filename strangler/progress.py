"""Progress for long work: the stages of a command on a terminal's stderr, silent otherwise.

A command's work runs as a sequence of named stages (`Stage`): each shows its name, its count when
it has one (`parse 400/885`, `seeds 3/5`, `skeletons 12/34`, `writing 900/1021`) and the seconds it
has run, on one line redrawn at most ten times a second; a stage without a count shows
`name … 1.2 s`. When a stage ends its line stays, with its time. Nothing is written when the stream
is not a terminal or when asked to be quiet, but every stage's time is recorded either way, so a
command can print a summary (`summary()`, the last line of `strangler plan` on stderr).

Work that only reports counts (`progress("parse", done, total)`, the callback the analysis and the
skeletons take) runs inside the open stage; with no stage open, the count opens one of its name
that ends when the count is complete.
"""

from __future__ import annotations

import contextlib
import enum
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TextIO

#: Reports `done/total` of a named piece of work (a `Progress` is one).
CountCallback = Callable[[str, int, int], None]

#: Seconds between two redraws of the live line.
REDRAW = 0.1
#: Width of a stage's name on its line.
NAME_WIDTH = 11


class Stage(enum.Enum):
    """The stages of the commands, named as their lines and the summary name them."""

    ANALYSIS = "analysis"  # discover, parse, resolve, history (the analysis's own parts)
    DISCOVER = "discover"
    PARSE = "parse"
    RESOLVE = "resolve"
    HISTORY = "history"
    GRAPH = "graph"  # the coupling graph
    PROPOSAL = "proposal"  # kernel, clustering (seeds), naming, describe and metrics
    REPORT = "report"  # `strangler boundaries` after the proposal: metrics and the report
    DRAWING = "drawing"  # `strangler graph` after the proposal: layout, render, `dot`
    PLAN = "plan"  # waves, steps, interfaces, data
    PROXY = "proxy"  # proxy configurations per phase
    SKELETONS = "skeletons"  # service skeletons and the monolith patch
    DOCUMENTS = "documents"  # plan.md, plan.json
    WRITING = "writing"  # the plan directory
    VERIFY = "verify"  # `plan --verify`: every nginx phase live
    CHECK = "check"  # `strangler check` after the analysis
    EXPORT = "export"  # `strangler export` after the analysis
    COMMITS = "commits"  # `strangler progress`: each recent commit analyzed and checked

    @property
    def ticks(self) -> bool:
        """Whether a timer thread redraws its line: not while the stage may fork worker processes
        (a parsing pool stays single-process while another thread runs: analyzers.files.pool)."""
        return self not in _FORKING


_FORKING = frozenset({Stage.ANALYSIS, Stage.SKELETONS, Stage.COMMITS})


@dataclass(frozen=True, slots=True)
class StageTime:
    """How long one stage ran, its last count (done, total) when it had one (`unit`: what it
    counted, when not the stage itself, e.g. `seeds`), and its own parts."""

    name: str
    seconds: float
    count: tuple[int, int] | None = None
    parts: tuple[StageTime, ...] = ()
    unit: str = ""

    def text(self) -> str:
        """`analysis 1.8 s (discover 0.1 s, parse 1.5 s)`, as in the summary."""
        inner = f" ({', '.join(p.text() for p in self.parts)})" if self.parts else ""
        return f"{self.name} {seconds(self.seconds)}{inner}"

    def line(self, indent: str = "") -> str:
        """The stage's finished line on a terminal: name, count, time."""
        return stage_line(indent + self.name, count_text(self.unit, self.count), self.seconds)


def seconds(value: float) -> str:
    """`1.2 s`."""
    return f"{value:.1f} s"


def count_text(unit: str, count: tuple[int, int] | None) -> str:
    """`seeds 3/5`, `400/885` (no unit), or "" (no count)."""
    return f"{unit} {count[0]}/{count[1]}".strip() if count is not None else ""


def stage_line(name: str, count: str, elapsed: float) -> str:
    """`parse            400/885    2.1 s`: the name, the count (or `…`), the seconds, in columns."""
    return f"{name:<{NAME_WIDTH}} {count:>17} {seconds(elapsed):>8}"


class Progress:
    """Reports the stages of a command and `done/total` within them; records every stage's time.

    Draws only on a terminal and when not quiet. `clock` and `redraw` (seconds between the timer's
    redraws; None: no timer thread) are there for tests."""

    def __init__(
        self,
        *,
        quiet: bool = False,
        stream: TextIO | None = None,
        clock: Callable[[], float] = time.monotonic,
        redraw: float | None = REDRAW,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = not quiet and self.stream.isatty()
        self.clock = clock
        self.redraw = redraw
        self._lock = threading.Lock()
        self._created = clock()
        self._times: list[StageTime] = []
        self._name: str | None = None  # the open stage
        self._implicit = False  # opened by a count, ends when the count is complete
        self._since = 0.0
        self._counts: dict[str, tuple[int, int]] = {}
        self._current: str | None = None  # the count under way (not yet complete)
        self._drawn = float("-inf")
        self._width = 0  # of the live line on screen; 0: none
        self._ticker: threading.Thread | None = None
        self._stop = threading.Event()

    def __call__(self, stage: str, done: int, total: int) -> None:
        """`done` of `total` for the piece of work `stage` (opens a stage of that name if none is)."""
        with self._lock:
            if self._name is None:
                self._open(stage, implicit=True)
            self._counts[stage] = (done, total)
            self._current = stage if done < total else None
            if done >= total and self._implicit:
                self._finish(())
            else:
                self._draw(force=done >= total or done == 0)

    def begin(self, stage: Stage) -> None:
        """End the open stage, if any, and start `stage`."""
        self._stop_ticker()
        with self._lock:
            if self._name is not None:
                self._finish(())
            self._open(stage.value, implicit=False)
            self._draw(force=True)
        if self.enabled and stage.ticks and self.redraw is not None:
            self._start_ticker(self.redraw)

    def end(self, parts: Sequence[StageTime] = ()) -> StageTime | None:
        """End the open stage (its `parts`: what it measured of its own pieces); its time."""
        self._stop_ticker()
        with self._lock:
            return self._finish(tuple(parts)) if self._name is not None else None

    @contextlib.contextmanager
    def stage(self, stage: Stage) -> Iterator[None]:
        """`stage` for the duration of a `with` block."""
        self.begin(stage)
        try:
            yield
        finally:
            self.end()

    def close(self) -> None:
        """End the open stage and leave the terminal on a fresh line."""
        self.end()

    @property
    def times(self) -> tuple[StageTime, ...]:
        """Every ended stage, in order."""
        with self._lock:
            return tuple(self._times)

    def summary(self) -> str:
        """`stages: analysis 1.8 s (parse 1.5 s), …, writing 0.3 s; total 9.8 s` (total: since creation)."""
        total = self.clock() - self._created
        listed = ", ".join(t.text() for t in self.times)
        return f"stages: {listed or 'none'}; total {seconds(total)}"

    def _open(self, name: str, *, implicit: bool) -> None:
        self._name, self._implicit, self._since = name, implicit, self.clock()
        self._counts, self._current = {}, None

    def _finish(self, parts: tuple[StageTime, ...]) -> StageTime:
        """Record the open stage and put its line (and its parts') on screen for good."""
        name = self._name or ""
        counts = self._counts
        parts = tuple(replace(p, count=p.count or counts.get(p.name)) for p in parts)
        unit = self._unit(name) if not parts else name
        count = counts.get(unit)
        record = StageTime(name, self.clock() - self._since, count, parts, "" if unit == name else unit)
        self._times.append(record)
        self._name, self._current = None, None
        if self.enabled:
            first, *rest = [record.line(), *(p.line("  ") for p in parts)]
            self._write("\r" + first.ljust(self._width) + "\n" + "".join(f"{line}\n" for line in rest))
            self._width = 0
        return record

    def _draw(self, *, force: bool) -> None:
        """Redraw the live line (at most every REDRAW seconds unless forced)."""
        now = self.clock()
        if not self.enabled or self._name is None or (not force and now - self._drawn < REDRAW):
            return
        self._drawn = now
        text = self._live(now)
        self._write("\r" + text.ljust(self._width))
        self._width = len(text)

    def _live(self, now: float) -> str:
        """`analysis    parse 400/885    2.1 s`, or `proposal    …    1.2 s`."""
        name = self._name or ""
        unit = self._current or self._unit(name)
        shown = count_text("" if unit == name else unit, self._counts.get(unit)) or "…"
        return stage_line(name, shown, now - self._since)

    def _unit(self, name: str) -> str:
        """What the open stage counted: its own name if it did, else the last count it was told."""
        if name in self._counts or not self._counts:
            return name
        return next(reversed(self._counts))

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def _start_ticker(self, interval: float) -> None:
        self._stop = threading.Event()
        self._ticker = threading.Thread(
            target=self._tick, args=(self._stop, interval), name="strangler-progress", daemon=True
        )
        self._ticker.start()

    def _tick(self, stop: threading.Event, interval: float) -> None:
        while not stop.wait(interval):
            with self._lock:
                self._draw(force=True)

    def _stop_ticker(self) -> None:
        if self._ticker is not None:
            self._stop.set()
            self._ticker.join()
            self._ticker = None


def timed(progress: Progress | None, stage: Stage) -> contextlib.AbstractContextManager[None]:
    """`progress.stage(stage)`, or nothing when there is no progress to report to."""
    return progress.stage(stage) if progress is not None else contextlib.nullcontext()
