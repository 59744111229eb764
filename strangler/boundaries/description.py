"""`describe`: the full Decomposition of any assignment of modules to services.

A proposal ends here, and so does an assignment the user edited (`--boundaries FILE`): the services
with their numbers, a reason and a confidence per module, and the structure metrics of the cut.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import networkx as nx

from analyzers.model import Codebase
from strangler.boundaries.decomposition import SHARED_KERNEL, Assignment, Decomposition, Departure, Verdict
from strangler.boundaries.reasons import Explainer
from strangler.boundaries.services import build_services
from strangler.graph.coupling import build_graph, undirected


@dataclass(frozen=True, slots=True)
class Evidence:
    """What is known about an assignment besides the assignment itself.

    `graph` is built from the codebase when not given, `flat` is `undirected(graph)` when the caller
    has it already; a module without a reason is explained from the graph, one without a confidence
    (or pinned) gets 1.0.
    """

    graph: nx.DiGraph | None = None
    flat: nx.Graph | None = None
    reasons: Mapping[str, str] = field(default_factory=dict)
    confidence: Mapping[str, float] = field(default_factory=dict)
    pinned: frozenset[str] = frozenset()
    seed: int = 0
    notes: tuple[str, ...] = ()
    capability_packages: tuple[str, ...] = ()
    departures: tuple[Departure, ...] = ()
    verdict: Verdict | None = None


def describe(
    codebase: Codebase, assignment: Mapping[str, str], evidence: Evidence | None = None
) -> Decomposition:
    """The full Decomposition of an assignment (module → service or SHARED_KERNEL)."""
    from strangler.metrics import structure_metrics

    evidence = evidence or Evidence()
    graph = evidence.graph if evidence.graph is not None else build_graph(codebase)
    flat = evidence.flat if evidence.flat is not None else undirected(graph)
    services = build_services(codebase, flat, assignment)
    assignments = _assignments(codebase, flat, assignment, evidence)
    metrics = structure_metrics(graph, dict(assignment), codebase)
    return Decomposition(
        services=services,
        shared_kernel=tuple(sorted(m for m, s in assignment.items() if s == SHARED_KERNEL)),
        assignments=assignments,
        metrics=tuple(sorted((k, round(float(v), 6)) for k, v in metrics.items())),
        signals=tuple(sorted(graph.graph.get("weights", ()))),
        seed=evidence.seed,
        notes=evidence.notes,
        capability_packages=evidence.capability_packages,
        departures=evidence.departures,
        verdict=evidence.verdict,
    )


def _assignments(
    codebase: Codebase, flat: nx.Graph, assignment: Mapping[str, str], evidence: Evidence
) -> tuple[Assignment, ...]:
    explainer = Explainer(codebase, flat, assignment)
    pinned = evidence.pinned
    return tuple(
        Assignment(
            module=module,
            service=service,
            reason=evidence.reasons.get(module) or explainer.explain(module, service),
            confidence=1.0 if module in pinned else float(evidence.confidence.get(module, 1.0)),
            pinned=module in pinned,
        )
        for module, service in sorted(assignment.items())
    )
