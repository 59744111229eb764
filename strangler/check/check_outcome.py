"""`strangler check`: one check of a tree against its committed decomposition, as the report to
print and the error to end with when there are new cross-boundary dependencies."""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, replace
from pathlib import Path

from strangler.check.findings import CheckFailed
from strangler.check.report import RENDERERS
from strangler.check.run import BaselineMode, check, default_baseline, load_policy
from strangler.request import AnalysisRequest, load_codebase


class CheckFormat(enum.Enum):
    """How the findings are reported."""

    TEXT = "text"
    JSON = "json"  # strangler.check/1
    SARIF = "sarif"  # SARIF 2.1.0
    GITHUB = "github"  # workflow annotations


@dataclass(frozen=True, slots=True)
class CheckRequest:
    """The tree, the decomposition and baseline to check it against, and the report."""

    analysis: AnalysisRequest
    boundaries_file: Path | None = None  # default: PATH/strangler-boundaries.json, else the config's pins
    baseline_file: Path | None = None  # default: strangler-baseline.json beside the decomposition
    write_baseline: bool = False  # record today's findings as the baseline
    update_baseline: bool = False  # drop baseline entries that are gone; never add
    fmt: CheckFormat = CheckFormat.TEXT


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """The report, and the error (exit 1) when there are new findings."""

    text: str
    error: CheckFailed | None


def check_outcome(request: CheckRequest) -> CheckOutcome:
    """Check the tree (without its history) against its committed decomposition."""
    path = request.analysis.path
    codebase = load_codebase(replace(request.analysis, no_history=True))
    policy = load_policy(path, request.boundaries_file, codebase)
    report = check(codebase, policy, request.baseline_file or default_baseline(path, policy), _mode(request))
    error = None
    if report.failed:
        error = CheckFailed(
            f"{len(report.new)} new cross-boundary dependencies",
            hint="move the code, or allow it with depends_on/exposes in the decomposition",
        )
    return CheckOutcome(RENDERERS[request.fmt.value](report, path_prefix(path)), error)


def _mode(request: CheckRequest) -> BaselineMode:
    if request.write_baseline:
        return BaselineMode.WRITE
    return BaselineMode.UPDATE if request.update_baseline else BaselineMode.READ


def path_prefix(path: Path) -> str:
    """`path` relative to the working directory, so annotations name files from the repository root."""
    try:
        relative = os.path.relpath(path.resolve(), Path.cwd().resolve())
    except ValueError:
        return ""
    return "" if relative.startswith("..") else relative.replace(os.sep, "/")
