"""`strangler progress`: the findings of `strangler check` on each recent commit of a tree, against
today's decomposition, as text or `strangler.progress/1`, and optionally as an SVG chart."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from strangler.request import AnalysisRequest, OutputFormat, analysis_options_for, load_codebase


@dataclass(frozen=True, slots=True)
class ProgressRequest:
    """The tree, the decomposition to check each commit against, how far back, and the report."""

    analysis: AnalysisRequest
    boundaries_file: Path | None = None  # default: PATH/strangler-boundaries.json, else the config's pins
    commits: int = 10  # how many recent commits touching the tree to check
    fmt: OutputFormat = OutputFormat.TEXT
    chart: Path | None = None  # also draw the findings per commit and service (SVG)


@dataclass(frozen=True, slots=True)
class ProgressOutput:
    """The report, and the SVG chart when the request asks for one."""

    text: str
    chart: str | None


def progress_output(request: ProgressRequest) -> ProgressOutput:
    """Check each recent commit (analyzed without history) against today's decomposition."""
    from strangler.check.run import load_policy
    from strangler.check.trend import progress, render_text, to_document
    from strangler.jsonio import dumps

    analysis = replace(request.analysis, no_history=True)
    codebase = load_codebase(analysis)
    policy = load_policy(analysis.path, request.boundaries_file, codebase)
    rows = progress(analysis.path, policy, analysis_options_for(analysis), request.commits)
    chart = None
    if request.chart is not None:
        from strangler.check.chart import progress_svg

        chart = progress_svg(rows)
    text = dumps(to_document(rows, policy.source)) if request.fmt is OutputFormat.JSON else render_text(rows)
    return ProgressOutput(text, chart)
