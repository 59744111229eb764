"""What every command asks of the library: the tree to analyze and how (`AnalysisRequest`), the
format of a report (`OutputFormat`), and the step from such a request to a `Codebase`.

The options of `[tool.strangler]` in the project come first; the request's values override them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from strangler.progress import Progress, Stage, StageTime

if TYPE_CHECKING:
    from analyzers.model import Codebase
    from analyzers.options import AnalysisOptions

#: Called with the codebase as soon as it is loaded, before any later stage runs.
AfterLoad = Callable[["Codebase"], None]


class OutputFormat(enum.Enum):
    """How a command reports: text for people, or a versioned JSON document."""

    TEXT = "text"
    JSON = "json"


@dataclass(frozen=True, slots=True)
class AnalysisRequest:
    """The tree to analyze and how: the analysis options of every command that takes PATH."""

    path: Path
    no_history: bool = False  # do not read git history for co-change
    no_cache: bool = False  # neither read nor write the per-file facts cache
    exclude: tuple[str, ...] = ()  # adds to [tool.strangler] exclude
    quiet: bool = False  # no progress output
    after_load: AfterLoad | None = None  # e.g. the command line's warnings about the loaded facts
    # Where the command's stages report (the analysis's, and those of the command that loads it);
    # silenced when `quiet`.
    progress: Progress = field(default_factory=Progress, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.quiet:
            self.progress.enabled = False


def analysis_options_for(request: AnalysisRequest) -> AnalysisOptions:
    """AnalysisOptions from the project's `[tool.strangler]`, overridden by the request."""
    from analyzers.config import load_project_config, positive_int, source_roots, string_list
    from analyzers.options import MAX_FILE_BYTES, AnalysisOptions

    table = load_project_config(request.path)
    source = str(request.path / "pyproject.toml")
    return AnalysisOptions(
        exclude=string_list(table, "exclude", source) + tuple(request.exclude),
        source_roots=source_roots(table, source),
        max_file_bytes=positive_int(table, "max_file_bytes", source, MAX_FILE_BYTES),
        history=not request.no_history and bool(table.get("history", True)),
        cache=not request.no_cache,
    )


def load_codebase(request: AnalysisRequest) -> Codebase:
    """Analyze the tree as the request asks, as the stage `analysis` of its progress (with the times
    of its parts: discover, parse, resolve, history); then `after_load`."""
    import analyzers

    options = analysis_options_for(request)
    progress = request.progress
    progress.begin(Stage.ANALYSIS)
    try:
        codebase = analyzers.analyze(request.path, options, progress=progress)
    except BaseException:
        progress.end()
        raise
    progress.end(analysis_parts(codebase))
    if request.after_load is not None:
        request.after_load(codebase)
    return codebase


#: The analysis's parts, each the sum of the timings (`Codebase.stats`) it covers.
_PARTS = (
    (Stage.DISCOVER, ("seconds_discover",)),
    (Stage.PARSE, ("seconds_snapshot", "seconds_read", "seconds_parse")),
    (Stage.RESOLVE, ("seconds_resolve", "seconds_templates")),
    (Stage.HISTORY, ("seconds_history",)),
)


def analysis_parts(codebase: Codebase) -> tuple[StageTime, ...]:
    """The time of each part of the analysis, as the analysis measured it (`Codebase.stats`)."""
    stats = dict(codebase.stats)
    return tuple(StageTime(stage.value, sum(stats.get(key, 0.0) for key in keys)) for stage, keys in _PARTS)


def unparsed_warning(codebase: Codebase) -> str | None:
    """The warning about the files the analysis could not parse (every result leaves them out)."""
    failed = sorted(d for d in codebase.diagnostics if d.kind == "syntax-error")
    if not failed:
        return None
    first = failed[0]
    more = f" and {len(failed) - 1} more" if len(failed) > 1 else ""
    return (
        f"warning: {len(failed)} file(s) could not be parsed and are left out of this result "
        f"({first.path}:{first.line}: {first.message}{more}); `strangler analyze` lists them"
    )
