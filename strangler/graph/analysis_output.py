"""`strangler analyze`: the facts and coupling summary of a tree, as text or `strangler.analysis/1`."""

from __future__ import annotations

from dataclasses import dataclass

from strangler.request import AnalysisRequest, OutputFormat, load_codebase


@dataclass(frozen=True, slots=True)
class AnalyzeRequest:
    """The tree, and what to report of it."""

    analysis: AnalysisRequest
    include_tests: bool = False  # keep test and migration modules in the graph and figures
    fmt: OutputFormat = OutputFormat.TEXT


def analysis_output(request: AnalyzeRequest) -> str:
    """The report of the tree: modules, edges, cycles, routes and tables."""
    from strangler.graph.analysis_report import analysis_document, render_text

    codebase = load_codebase(request.analysis)
    if request.fmt is OutputFormat.TEXT:
        return render_text(codebase, include_tests=request.include_tests)
    from strangler.jsonio import dumps

    return dumps(analysis_document(codebase, include_tests=request.include_tests))
