"""`strangler export`: the committed decomposition of a tree as import-linter or tach contracts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from strangler.check.export import ExportTarget
from strangler.request import AnalysisRequest, load_codebase


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """The tree, its committed decomposition, the tool to write contracts for, and where."""

    analysis: AnalysisRequest
    file: Path  # where the contracts go; `-` is standard output
    target: ExportTarget = ExportTarget.IMPORT_LINTER
    boundaries_file: Path | None = None  # default: PATH/strangler-boundaries.json, else the config's pins


def export_text(request: ExportRequest) -> str:
    """The contracts (the tree is analyzed without its history)."""
    from strangler.check.export import export
    from strangler.check.run import load_policy

    codebase = load_codebase(replace(request.analysis, no_history=True))
    policy = load_policy(request.analysis.path, request.boundaries_file, codebase)
    return export(policy, codebase, request.target)
