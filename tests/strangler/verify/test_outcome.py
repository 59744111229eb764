"""`strangler.verify.outcome`: the verification report, and the error to end `plan --verify` with."""

from __future__ import annotations

import pytest

import strangler.verify
from strangler.plan import make_plan
from strangler.proxy.phases import ProxyOptions
from strangler.verify.outcome import verification
from strangler.verify.verdict import Mismatch, MismatchError, PhaseResult, VerifyReport, render_text
from tests import plan_support

MISMATCH = Mismatch("phase-1", "GET /orders", "route", "/orders", ("orders",), "monolith")


@pytest.mark.parametrize("mismatches", [(), (MISMATCH,)])
def test_the_report_and_an_error_only_on_a_mismatch(
    monkeypatch: pytest.MonkeyPatch, mismatches: tuple[Mismatch, ...]
) -> None:
    report = VerifyReport((PhaseResult("phase-1", 3, 9, mismatches, (), 0),))
    monkeypatch.setattr(strangler.verify, "verify_plan", lambda plan, options: report)
    verified = verification(make_plan(plan_support.codebase(), plan_support.decomposition()), ProxyOptions())
    assert verified.text == render_text(report)
    if not mismatches:
        assert verified.error is None
        return
    assert isinstance(verified.error, MismatchError) and verified.error.exit_code == 1
    assert verified.error.message == "--verify: 1 request(s) reached another upstream than the plan says"
