"""One `strangler check` run: policy, findings, baseline, as one function over the filesystem."""

from __future__ import annotations

import enum
from dataclasses import replace
from pathlib import Path

from analyzers.model import Codebase
from strangler.check.baseline import (
    DEFAULT_BASELINE,
    BaselineError,
    classify,
    counts_of,
    ratcheted,
    read_baseline,
    write_baseline,
)
from strangler.check.findings import CheckReport, Policy
from strangler.check.policy import DEFAULT_BOUNDARIES, policy_from_config, policy_from_file
from strangler.check.rules import find_violations
from strangler.exceptions import BoundariesFileError


class BaselineMode(enum.Enum):
    """What to do with the baseline file."""

    READ = "read"  # use it when it exists
    WRITE = "write"  # record today's findings
    UPDATE = "update"  # drop what is gone, add nothing


def load_policy(root: Path, boundaries: Path | None, codebase: Codebase) -> Policy:
    """The decomposition given, else `strangler-boundaries.json` at the root, else the pins of
    `[tool.strangler.services.*]`; BoundariesFileError (exit 2) when there is none."""
    from analyzers.config import load_project_config

    if boundaries is not None:
        return policy_from_file(boundaries)
    default = root / DEFAULT_BOUNDARIES
    if default.is_file():
        return policy_from_file(default)
    names = (m.name for m in codebase.modules)
    policy = policy_from_config(load_project_config(root), names, str(root / "pyproject.toml"))
    if policy is None:
        raise BoundariesFileError(
            "no decomposition to check against",
            path=str(root),
            hint=f"commit one: `strangler boundaries PATH --format json > PATH/{DEFAULT_BOUNDARIES}`, "
            "or pin services in [tool.strangler.services.NAME]",
        )
    return policy


def default_baseline(root: Path, policy: Policy) -> Path:
    """`strangler-baseline.json` beside the decomposition file (at the root for config pins)."""
    source = Path(policy.source)
    return (source.parent if source.suffix == ".json" else root) / DEFAULT_BASELINE


def check(
    codebase: Codebase,
    policy: Policy,
    baseline: Path,
    mode: BaselineMode = BaselineMode.READ,
) -> CheckReport:
    """Today's findings against the baseline file (written or ratcheted as `mode` asks)."""
    findings = find_violations(policy, codebase)
    if mode is BaselineMode.WRITE:
        write_baseline(baseline, counts_of(findings))
        report = classify(findings, counts_of(findings))
    elif mode is BaselineMode.UPDATE or baseline.is_file():
        if not baseline.is_file():
            raise BaselineError(
                "there is no baseline to update", path=str(baseline), hint="write one with --write-baseline"
            )
        recorded = read_baseline(baseline)
        report = classify(findings, recorded)
        if mode is BaselineMode.UPDATE:
            write_baseline(baseline, ratcheted(recorded, findings))
    else:
        return replace(classify(findings, {}), boundaries=policy.source)
    return replace(report, boundaries=policy.source, baseline=str(baseline))
