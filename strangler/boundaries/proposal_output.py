"""`strangler boundaries`: the proposed (or edited) decomposition of a tree, as the text report or
the `strangler.decomposition/1` document (also written to `-o FILE`, to edit and feed back with
`--boundaries FILE`), and the boundary options a command line asks for."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from strangler.request import AnalysisRequest, OutputFormat, load_codebase

if TYPE_CHECKING:
    from analyzers.model import Codebase
    from strangler.boundaries.decomposition import Decomposition
    from strangler.boundaries.settings import BoundaryOptions


@dataclass(frozen=True, slots=True)
class BoundaryChoices:
    """What a command line asks of the proposal; None keeps the project's `[tool.strangler]` value
    (or the default)."""

    services: int | None = None  # target number of services
    signals: str | None = None  # coupling signals and weights, as for `--signals`
    seed: int | None = None  # seed of the clustering
    seeds: int | None = None  # clustering runs for confidence
    include_tests: bool = False  # keep the modules that are no runtime code in the graph


@dataclass(frozen=True, slots=True)
class BoundariesRequest:
    """The tree, how to propose its services (or the edited file to describe), and the report."""

    analysis: AnalysisRequest
    services: int | None = None
    signals: str | None = None
    seed: int | None = None
    seeds: int | None = None
    reference: str | None = None  # also score against this decomposition: a JSON/TOML file or 'packages'
    boundaries_file: Path | None = None  # describe this edited decomposition instead of proposing one
    include_tests: bool = False
    fmt: OutputFormat = OutputFormat.TEXT
    output: Path | None = None  # also write the JSON document here (atomically), to edit and feed back

    def choices(self) -> BoundaryChoices:
        return BoundaryChoices(self.services, self.signals, self.seed, self.seeds, self.include_tests)


def boundary_options_for(path: Path, choices: BoundaryChoices) -> BoundaryOptions:
    """BoundaryOptions from the `[tool.strangler]` of the project at `path`, overridden by `choices`."""
    from analyzers.config import load_project_config
    from strangler.boundaries.settings import boundary_options

    options = boundary_options(
        load_project_config(path),
        source=str(path / "pyproject.toml"),
        services=choices.services,
        signals=choices.signals,
        seed=choices.seed,
        seeds=choices.seeds,
    )
    return replace(options, include_tests=True) if choices.include_tests else options


@dataclass(frozen=True, slots=True)
class BoundariesReport:
    """What `strangler boundaries` tells: the report, and the line naming the file `-o` wrote."""

    report: str  # the text report, or the JSON document
    wrote: str | None = None  # "wrote FILE (edit `services`, ...)" when the request has an output


def boundaries_output(request: BoundariesRequest) -> str:
    """The report of the decomposition: the text report, or the JSON document to edit and feed back
    (written to `request.output` too, when given)."""
    return boundaries_report(request).report


def boundaries_report(request: BoundariesRequest) -> BoundariesReport:
    """The report of the decomposition, after writing its document to `request.output` if asked."""
    from strangler.boundaries.decomposition_codec import to_document
    from strangler.boundaries.pipeline import decomposition_for
    from strangler.jsonio import dumps
    from strangler.progress import Stage, timed

    options = boundary_options_for(request.analysis.path, request.choices())
    codebase = load_codebase(request.analysis)
    progress = request.analysis.progress
    decomposition = decomposition_for(codebase, request.boundaries_file, options, progress)
    with timed(progress, Stage.REPORT):
        wanted = request.fmt is OutputFormat.JSON or request.output is not None
        document = dumps(to_document(decomposition)) if wanted else ""
        if request.fmt is OutputFormat.JSON:
            report = document
        else:
            report = boundaries_text(codebase, decomposition, request.reference, options.include_tests)
    wrote = None if request.output is None else write_document(request.output, document)
    return BoundariesReport(report, wrote)


def write_document(target: Path, document: str) -> str:
    """Write the decomposition document to `target` atomically; the line that says how to use it."""
    from strangler.writing import write_file_atomically

    write_file_atomically(target, document.encode("utf-8"))
    return f"wrote {target} (edit `services`, then pass it back with --boundaries {target})"


def boundaries_text(
    codebase: Codebase, decomposition: Decomposition, reference: str | None, include_tests: bool
) -> str:
    """The text report: the decomposition beside today's packages (and `reference` when given)."""
    from strangler.boundaries.text_report import render_text
    from strangler.graph.coupling import left_out
    from strangler.metrics.comparison import comparisons_for

    comparison = comparisons_for(codebase, decomposition, reference, include_tests)
    return render_text(
        decomposition, comparison.columns, comparison.agreement, left_out(codebase, include_tests)
    )
