"""A library (a cluster with no route, table or job, issue #13) is shared code, never a wave."""

from __future__ import annotations

import dataclasses

import analyzers
from analyzers.options import AnalysisOptions
from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.boundaries.pipeline import decomposition_for
from strangler.plan import PlanOptions, make_plan
from strangler.plan.interface import owners
from tests.conftest import EXAMPLE_APP


def test_a_library_service_is_no_wave_and_owns_nothing() -> None:
    codebase = analyzers.analyze(EXAMPLE_APP, AnalysisOptions(history=False, cache=False))
    proposal = decomposition_for(codebase, None)
    first = proposal.services[0]
    marked = dataclasses.replace(first, library=True)
    decomposition = dataclasses.replace(proposal, services=(marked, *proposal.services[1:]))
    plan = make_plan(codebase, decomposition, PlanOptions())
    assert first.name not in {w.service for w in plan.waves}
    assert len(plan.waves) == len(proposal.services) - 1
    owner = owners(codebase, decomposition)
    assert {owner[m] for m in first.modules} == {SHARED_KERNEL}
