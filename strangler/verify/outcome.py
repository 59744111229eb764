"""`strangler plan --verify`: the verification report as text, and the error to end with when a
request reached another upstream than the plan says."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from strangler.verify.verdict import MismatchError

if TYPE_CHECKING:
    from strangler.plan.extraction_plan import ExtractionPlan
    from strangler.proxy.phases import ProxyOptions


@dataclass(frozen=True, slots=True)
class Verification:
    """The report for people, and the error (exit 1) when there is a mismatch."""

    text: str
    error: MismatchError | None


def verification(plan: ExtractionPlan, options: ProxyOptions) -> Verification:
    """Run every phase of the plan's proxy live (see `verify_plan`) and judge the answers."""
    from strangler.verify import render_text, verify_plan

    report = verify_plan(plan, options)
    error = None
    if not report.ok:
        error = MismatchError(
            f"--verify: {len(report.mismatches())} request(s) reached another upstream than the plan says",
            hint="see the table above; the files are written, but do not deploy these configs",
        )
    return Verification(render_text(report), error)
