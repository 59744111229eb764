"""Propose service boundaries from the coupling graph, and describe any assignment of modules.

`propose` finds the shared kernel, clusters the rest (several seeds, steered to a count when asked,
refined, fragments merged), applies the configured constraints, names the services, and hands the
assignment to `describe`, which computes everything a Decomposition reports. `describe` also serves
an assignment the user edited (`--boundaries FILE`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping

import networkx as nx

from analyzers.model import Codebase
from strangler.boundaries import clustering, constraints
from strangler.boundaries.kernel import find_kernel
from strangler.boundaries.naming import name_clusters
from strangler.boundaries.reasons import Explainer
from strangler.boundaries.services import build_services
from strangler.config import BoundaryOptions
from strangler.decomposition import SHARED_KERNEL, Assignment, Decomposition
from strangler.graph import build_graph, undirected

__all__ = ["describe", "propose"]


def propose(
    codebase: Codebase, graph: nx.DiGraph | None = None, options: BoundaryOptions | None = None
) -> Decomposition:
    """A proposed decomposition of `codebase` (graph built from `options.weights` when not given)."""
    options = options or BoundaryOptions()
    if graph is None:
        graph = build_graph(codebase, options.weight_map(), include_tests=options.include_tests)
    flat = undirected(graph)
    whole = clustering.canonical(flat)

    found: dict[frozenset[str], dict[str, int]] = {}

    def preliminary(excluded: frozenset[str]) -> dict[str, int]:
        if excluded not in found:  # the last kernel round and the final check share a kernel
            sub = clustering.canonical(clustering.induced(whole, (n for n in whole if n not in excluded)))
            parts = clustering.louvain(sub, options.resolution, options.seed)
            found[excluded] = {n: i for i, part in enumerate(parts) for n in part}
        return found[excluded]

    kernel = find_kernel(graph, whole, preliminary, codebase, options)

    rest = clustering.induced(whole, (n for n in whole if n not in kernel))
    isolated = sorted(n for n in rest.nodes if rest.degree(n) == 0)
    islands = clustering.islands(rest, options.services)
    isolated = sorted({*isolated, *islands})
    linked = clustering.canonical(clustering.induced(rest, (n for n in rest if n not in isolated)))
    group = constraints.groups(linked.nodes, options)
    contracted, members = constraints.contract(linked, group)
    contracted = clustering.canonical(clustering.normalised(contracted))

    runs: list[tuple[float, int, clustering.Partition]] = []
    steered: float | None = None
    for offset in range(max(1, options.seeds)):
        seed = options.seed + offset
        if options.services is not None and steered is not None:
            resolution = steered  # the first seed's search is reused: one search per proposal
            parts = clustering.steer_at(contracted, options.services, seed, resolution)
        elif options.services is not None:
            parts, resolution = clustering.steer(contracted, options.services, seed)
            steered = resolution
        else:
            resolution = options.resolution
            parts = clustering.merge_fragments(
                contracted, clustering.louvain(contracted, resolution, seed)
            )
        parts = clustering.refine(contracted, parts, resolution)
        score = clustering.modularity(contracted, parts)
        expanded = [frozenset(m for node in p for m in members[node]) for p in parts]
        runs.append((score, offset, expanded))
    best = max(runs, key=lambda run: (round(run[0], 9), -run[1]))
    primary = clustering.ordered(best[2], linked) if linked.number_of_nodes() else []
    agreement: dict[str, int] = defaultdict(int)
    for _, _, other in runs:
        for module, agrees in clustering.align(primary, other).items():
            agreement[module] += int(agrees)
    primary, notes = constraints.separate(linked, primary, options, group)
    primary = clustering.ordered(primary, linked) if primary else []

    fixed: dict[int, str] = {}
    for index, part in enumerate(primary):
        pins = sorted({group[m] for m in part if constraints.pinned_service(group.get(m, ""))})
        if pins:
            fixed[index] = constraints.pinned_service(pins[0]) or ""
    names = name_clusters(codebase, primary, fixed)
    assignment: dict[str, str] = {m: names[i] for i, part in enumerate(primary) for m in part}
    reasons: dict[str, str] = dict(kernel)
    for module in kernel:
        assignment[module] = SHARED_KERNEL
    use_packages = options.weight_map().get("packages", 0.0) > 0.0
    for module in isolated:
        service, why = _place_isolated(module, assignment, use_packages)
        assignment[module] = service
        reasons[module] = why
    pinned = {m for m, g in group.items() if constraints.pinned_service(g)}
    for module in pinned:
        reasons.setdefault(module, f"pinned to {assignment[module]} by [tool.strangler.services]")
    total = len(runs)
    confidence = {m: round(agreement.get(m, total) / total, 4) for m in assignment}
    return describe(
        codebase,
        assignment,
        graph=graph,
        flat=flat,
        reasons=reasons,
        confidence=confidence,
        pinned=pinned,
        seed=options.seed,
        notes=tuple(notes),
    )


def _place_isolated(module: str, assignment: Mapping[str, str], use_packages: bool) -> tuple[str, str]:
    """A module no signal links to anything: follows its package's service when the package
    signal is on (most modules of the same package), else goes to the shared kernel."""
    if use_packages:
        parent = module.rpartition(".")[0]
        while parent:
            votes: dict[str, int] = defaultdict(int)
            for other, service in assignment.items():
                if service != SHARED_KERNEL and (other == parent or other.startswith(parent + ".")):
                    votes[service] += 1
            if votes:
                service = max(votes, key=lambda s: (votes[s], s))
                return service, f"no coupling to any module; follows its package {parent}"
            parent = parent.rpartition(".")[0]
    return SHARED_KERNEL, "no coupling to any module outside the shared kernel and a few modules like it"


def describe(
    codebase: Codebase,
    assignment: Mapping[str, str],
    *,
    graph: nx.DiGraph | None = None,
    flat: nx.Graph | None = None,
    reasons: Mapping[str, str] | None = None,
    confidence: Mapping[str, float] | None = None,
    pinned: Collection[str] = (),
    seed: int = 0,
    notes: tuple[str, ...] = (),
) -> Decomposition:
    """The full Decomposition of an assignment (module → service or SHARED_KERNEL); `flat` is
    `undirected(graph)` when the caller has it already."""
    from strangler.metrics import structure_metrics

    if graph is None:
        graph = build_graph(codebase)
    reasons = reasons or {}
    confidence = confidence or {}
    pinned_set = frozenset(pinned)
    if flat is None:
        flat = undirected(graph)
    services = build_services(codebase, flat, assignment)
    explainer = Explainer(codebase, flat, assignment)
    assignments = tuple(
        Assignment(
            module=module,
            service=service,
            reason=reasons.get(module) or explainer.explain(module, service),
            confidence=1.0 if module in pinned_set else float(confidence.get(module, 1.0)),
            pinned=module in pinned_set,
        )
        for module, service in sorted(assignment.items())
    )
    metrics = structure_metrics(graph, dict(assignment), codebase)
    return Decomposition(
        services=services,
        shared_kernel=tuple(sorted(m for m, s in assignment.items() if s == SHARED_KERNEL)),
        assignments=assignments,
        metrics=tuple(sorted((k, round(float(v), 6)) for k, v in metrics.items())),
        signals=tuple(sorted(graph.graph.get("weights", ()))),
        seed=seed,
        notes=notes,
    )
