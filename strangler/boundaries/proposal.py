"""`propose`: a proposed decomposition, from the coupling graph to an assignment of every module.

It finds the shared kernel, clusters the rest (several seeds, steered to a count when asked,
refined, fragments merged), applies the configured constraints, takes jobs out of the clusters they
make, names the services, merges the small libraries, places the jobs and the modules with no edge,
takes the services that are technical layers apart (`layers`), and hands the assignment to
`describe`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import networkx as nx

from analyzers.model import Codebase
from strangler.boundaries import clustering, constraints, steering, structure
from strangler.boundaries.decomposition import SHARED_KERNEL, Decomposition, Departure, Verdict
from strangler.boundaries.description import Evidence, describe
from strangler.boundaries.jobs import business_modules, job_modules, merge_libraries, place_jobs
from strangler.boundaries.kernel import find_kernel
from strangler.boundaries.layers import find_layers, layer_moves, layers_note, owned_by_part
from strangler.boundaries.naming import name_clusters
from strangler.boundaries.settings import BoundaryOptions
from strangler.graph.coupling import build_graph, undirected
from strangler.progress import CountCallback

#: Merged library clusters named in the note (the rest are counted).
LISTED_MERGES = 5


@dataclass(frozen=True, slots=True)
class _Context:
    """What every clustering of one proposal shares: the facts, the graphs, the kernel."""

    codebase: Codebase
    flat: nx.Graph
    whole: nx.Graph
    kernel: Mapping[str, str]
    options: BoundaryOptions
    progress: CountCallback | None = None  # told `seeds k/K` as the clusterings run
    graph: nx.DiGraph | None = None  # the coupling graph (`_without_layers` reads it without packages)
    evidence: nx.Graph | None = None  # that, when the structure step made it already


@dataclass(frozen=True, slots=True)
class _Cut:
    """One clustering, assigned: module -> service, reasons, confidence, notes."""

    assignment: dict[str, str]
    reasons: dict[str, str]
    confidence: dict[str, float]
    pinned: frozenset[str]
    notes: tuple[str, ...]
    merged: int  # library clusters merged away

    @property
    def count(self) -> int:
        return len({s for s in self.assignment.values() if s != SHARED_KERNEL})


def propose(
    codebase: Codebase,
    graph: nx.DiGraph | None = None,
    options: BoundaryOptions | None = None,
    *,
    progress: CountCallback | None = None,
) -> Decomposition:
    """A proposed decomposition of `codebase` (graph built from `options.weights` when not given;
    `progress` is told `seeds k/K` as the clusterings run).

    With `--services N`, when library clusters merged away leave fewer than N services, the
    clustering is steered once more to N plus that many, and kept when it comes closer to N
    without going over it."""
    options = options or BoundaryOptions()
    if graph is None:
        graph = build_graph(codebase, options.weight_map(), include_tests=options.include_tests)
    flat = undirected(graph)
    whole = clustering.canonical(flat)
    # Respect a good package structure (strangler.boundaries.structure): `found` is the package
    # cut holding the capabilities, or None: clustering alone.
    evidence_graph = structure.evidence_graph(graph) if structure.applies(options) else None
    found = structure.infer(codebase, graph, evidence_graph) if evidence_graph is not None else None
    preliminary = _Fixed(structure.preliminary(found)) if found else _Preliminary(whole, options)
    kernel = find_kernel(graph, whole, preliminary, codebase, options)
    if found is not None:
        kernel = structure.keep_capabilities(found, kernel, options)
    context = _Context(codebase, flat, whole, kernel, options, progress, graph, evidence_graph)
    asked = options.services
    if found is not None and evidence_graph is not None:
        cut, departures = _structured_cut(context, found, evidence_graph, asked)
    else:
        cut, departures = _clustered_cut(context, asked), ()
    evidence = Evidence(
        graph=graph,
        flat=flat,
        reasons=cut.reasons,
        confidence=cut.confidence,
        pinned=cut.pinned,
        seed=options.seed,
        notes=(*_request_notes(options, graph), *cut.notes, *_count_notes(cut.assignment, asked)),
        capability_packages=found.packages if found else (),
        departures=departures,
        verdict=_verdict(codebase, cut.assignment, found),
    )
    return describe(codebase, cut.assignment, evidence)


def _clustered_cut(context: _Context, asked: int | None) -> _Cut:
    """Clustering alone; with `--services N`, when library clusters merged away leave fewer than
    N services, steered once more to N plus that many, kept when it comes closer without going over."""
    cut = _cut(context, asked)
    if asked is not None and cut.merged and cut.count < asked:
        again = _cut(context, 2 * asked - cut.count)
        if cut.count < again.count <= asked:  # never more services than asked for
            cut = again
    return cut


@dataclass(frozen=True, slots=True)
class _Fixed:
    """A preliminary clustering given up front (the package cut), whatever the kernel excludes."""

    cluster_of: Mapping[str, int]

    def __call__(self, excluded: frozenset[str]) -> Mapping[str, int]:
        return self.cluster_of


@dataclass(frozen=True, slots=True)
class _Naming:
    """Names decided before clustering names the rest: parts kept whole (`keep`, by index) and
    names given (`given`: index -> package name)."""

    keep: Collection[int] = ()
    given: Mapping[int, str] = field(default_factory=dict)


def _structured_cut(
    context: _Context, found: structure.Structure, evidence: nx.Graph, target: int | None
) -> tuple[_Cut, tuple[Departure, ...]]:
    """The package cut as the proposal: the kernel out, the clearly dominated modules moved
    (structure.departures), fitted to `target` services when asked, named after their packages
    (where the name is unique), then completed as any clustering is (`_assign`)."""
    moves, departed, from_layers = structure.departures(context.codebase, found, evidence, context.kernel)
    parts, loose = _package_parts(context, found, moves)
    label = {m: moves.get(m, g) for m, g in found.group_of().items()}
    if target is not None and parts:
        primary = _fitted(context, found, parts, target)
    else:
        primary = [frozenset(p) for p in parts.values()]
    primary = clustering.ordered(primary, context.whole)
    alike = structure.built_like_capabilities(found)
    majority = [_majority(part, label) for part in primary]
    keep = [i for i, part in enumerate(primary) if majority[i] in alike and len(part) > 1]
    naming = _Naming(keep, structure.package_names(majority))
    cut = _assign(context, primary, {}, sorted(loose), (), naming)
    named = _named_departures(cut, found, departed, from_layers)
    reasons = dict(cut.reasons)
    for d in named:
        reasons[d.module] = d.reason
    confidence = dict.fromkeys(cut.assignment, 1.0)
    note = f"started from the packages that hold the capabilities: {found.evidence}"
    return replace(cut, reasons=reasons, confidence=confidence, notes=(note, *cut.notes)), named


def _package_parts(
    context: _Context, found: structure.Structure, moves: Mapping[str, str]
) -> tuple[dict[str, set[str]], set[str]]:
    """Package -> its modules (the kernel out, departures moved), and the glue tied to no
    capability (placed afterwards as modules with no edge are)."""
    parts: dict[str, set[str]] = defaultdict(set)
    loose: set[str] = set()
    for module, group in found.group_of().items():
        if module in context.kernel:
            continue
        if structure.is_glue(group) and module not in moves:
            loose.add(module)
        else:
            parts[moves.get(module, group)].add(module)
    return parts, loose


def _fitted(
    context: _Context, found: structure.Structure, parts: dict[str, set[str]], target: int
) -> clustering.Partition:
    """N services asked: the parts below or beside the capability level join the capability they
    are tied to most, then the parts are merged down (infrastructure first: structure.merge_down)
    or split up to N."""
    level = structure.capability_level(found)
    parts = structure.fold_into_level(parts, level, context.flat)
    owned: dict[str, int] = defaultdict(int)
    for kind in structure.owned_items(context.codebase, context.whole).values():
        for module, count in kind.items():
            owned[module] += count
    alike = structure.built_like_capabilities(found)
    parts = structure.merge_down(parts, target, context.flat, owned, alike)
    rest = clustering.induced(context.whole, (n for n in context.whole if n not in context.kernel))
    weighted = clustering.canonical(clustering.normalised(rest))
    smallest = steering.fragment_size(weighted.number_of_nodes(), target)
    ordered = clustering.ordered(parts.values(), weighted)  # fit's merges follow this order
    return steering.fit(weighted, ordered, target, context.options.seed, smallest)


def _named_departures(
    cut: _Cut, found: structure.Structure, departed: Sequence[Departure], from_layers: Collection[str]
) -> tuple[Departure, ...]:
    """The departures with the service each module went to; one that ended in its package's
    service anyway (merged down to N) is none, unless it left a technical layer (`from_layers`)."""
    gone = frozenset(d.module for d in departed)
    return tuple(
        sorted(
            replace(d, service=cut.assignment[d.module])
            for d in departed
            if d.module in from_layers
            or cut.assignment.get(d.module) != _service_of_package(cut.assignment, found, d, gone)
        )
    )


def _majority(part: Collection[str], label: Mapping[str, str]) -> str:
    return _most_common(label.get(module, "") for module in part)


def _service_of_package(
    assignment: Mapping[str, str], found: structure.Structure, departure: Departure, gone: Collection[str]
) -> str | None:
    """The service most of a departed module's package ended in, its other departed modules
    (`gone`) not counted (None when it has none: a layer taken apart whole)."""
    label = found.group_of()[departure.module]
    services = [
        assignment[module]
        for module, group in found.group_of().items()
        if group == label and module not in gone and module in assignment
    ]
    return _most_common(services) if services else None


def _most_common(values: Iterable[str]) -> str:
    """The value given most often; of equals, the last in sorted order."""
    votes = Counter(values)
    return max(sorted(votes, reverse=True), key=votes.__getitem__)


def _verdict(codebase: Codebase, assignment: Mapping[str, str], found: structure.Structure | None) -> Verdict:
    """`structure.verdict`; and not clear when a service is still a technical layer (its modules
    tied alike to several capabilities, `layers` moved none or few of them)."""
    from strangler.metrics.reference import package_layout

    verdict = structure.verdict(assignment, package_layout(codebase), found)
    left = find_layers(codebase, assignment, (SHARED_KERNEL,))
    if not verdict.clear or not left:
        return verdict
    layer = left[0]
    return Verdict(
        False,
        f"{layer.label} is still {layer.kind_text} ({layer.owned}), its modules tied alike to several "
        "services: the cut follows a technical layer there",
    )


@dataclass(frozen=True, slots=True)
class _Preliminary:
    """The kernel's preliminary clustering without the modules given, memoised (the last kernel
    round and the final check share a kernel)."""

    whole: nx.Graph
    options: BoundaryOptions
    found: dict[frozenset[str], dict[str, int]] = field(default_factory=dict)

    def __call__(self, excluded: frozenset[str]) -> dict[str, int]:
        if excluded not in self.found:
            whole = self.whole
            sub = clustering.canonical(clustering.induced(whole, (n for n in whole if n not in excluded)))
            # (resolution 1, not the free clustering's scaled one: the kernel's rules count clusters)
            resolution = 1.0 if self.options.resolution is None else self.options.resolution
            parts = clustering.louvain(sub, resolution, self.options.seed)
            self.found[excluded] = {n: i for i, part in enumerate(parts) for n in part}
        return self.found[excluded]


def _runs(
    contracted: nx.Graph,
    members: Mapping[str, Collection[str]],
    target: int | None,
    options: BoundaryOptions,
    progress: CountCallback | None = None,
) -> list[tuple[float, int, clustering.Partition]]:
    """One clustering per seed (steered to `target` when given): (modularity, offset, parts)."""
    runs: list[tuple[float, int, clustering.Partition]] = []
    steered: float | None = None
    count = max(1, options.seeds)
    for offset in range(count):
        if progress is not None:
            progress("seeds", offset, count)
        seed = options.seed + offset
        if target is not None and steered is not None:
            resolution = steered  # the first seed's search is reused: one search per proposal
            parts = steering.steer_at(contracted, target, seed, resolution)
        elif target is not None:
            parts, resolution = steering.steer(contracted, target, seed)
            steered = resolution
        else:
            resolution = (
                clustering.scaled_resolution(contracted) if options.resolution is None else options.resolution
            )
            parts = clustering.merge_fragments(contracted, clustering.louvain(contracted, resolution, seed))
        parts = clustering.refine(contracted, parts, resolution)
        score = clustering.modularity(contracted, parts)
        expanded = [frozenset(m for node in p for m in members[node]) for p in parts]
        runs.append((score, offset, expanded))
    if progress is not None:
        progress("seeds", count, count)
    return runs


def _rank(run: tuple[float, int, clustering.Partition]) -> tuple[float, int]:
    """Best modularity first (to 9 places), then the earlier seed."""
    return round(run[0], 9), -run[1]


def _cut(context: _Context, target: int | None) -> _Cut:
    """Cluster what the kernel leaves (steered to `target` services when given) and assign it."""
    options, kernel = context.options, context.kernel
    rest = clustering.induced(context.whole, (n for n in context.whole if n not in kernel))
    isolated = sorted(n for n in rest.nodes if rest.degree(n) == 0)
    isolated = sorted({*isolated, *steering.islands(rest, target)})
    linked = clustering.canonical(clustering.induced(rest, (n for n in rest if n not in isolated)))
    group = constraints.groups(linked.nodes, options)
    contracted, members = constraints.contract(linked, group)
    contracted = clustering.canonical(clustering.normalised(contracted))
    runs = _runs(contracted, members, target, options, context.progress)
    best = max(runs, key=_rank)
    primary = clustering.ordered(best[2], linked) if linked.number_of_nodes() else []
    agreement: dict[str, int] = defaultdict(int)
    for _, _, other in runs:
        for module, agrees in clustering.align(primary, other).items():
            agreement[module] += int(agrees)
    primary, notes = constraints.separate(linked, primary, options, group)
    primary = clustering.ordered(primary, linked) if primary else []
    primary, loose = _dissolve_job_clusters(primary, _jobs(context.codebase, context.whole, kernel, options))
    cut = _without_layers(context, _assign(context, primary, group, isolated, loose))
    total = len(runs)
    confidence = {m: round(agreement.get(m, total) / total, 4) for m in cut.assignment}
    return replace(cut, confidence=confidence, notes=tuple(notes) + cut.notes)


def _assign(
    context: _Context,
    primary: clustering.Partition,
    group: Mapping[str, str],
    isolated: Collection[str],
    loose: Collection[str],
    naming: _Naming | None = None,
) -> _Cut:
    """Name the clusters (`naming`: what is decided already), put the kernel in, merge the
    libraries, place the jobs taken out of clusters and the modules with no edge."""
    naming = naming or _Naming()
    codebase, flat = context.codebase, context.flat
    fixed: dict[int, str] = {}
    for index, part in enumerate(primary):
        pins = sorted({group[m] for m in part if constraints.pinned_service(group.get(m, ""))})
        if pins:
            fixed[index] = constraints.pinned_service(pins[0]) or ""
    names = name_clusters(codebase, primary, {**naming.given, **fixed})
    assignment: dict[str, str] = {m: names[i] for i, part in enumerate(primary) for m in part}
    reasons: dict[str, str] = dict(context.kernel)
    for module in context.kernel:
        assignment[module] = SHARED_KERNEL
    kept = {*fixed.values(), *(names[i] for i in naming.keep)}
    notes, merged = _merge_libraries(codebase, flat, assignment, reasons, kept)
    reasons.update(place_jobs(loose, assignment, flat, codebase))
    use_packages = context.options.weight_map().get("packages", 0.0) > 0.0
    for module in sorted({*isolated, *(j for j in loose if j not in assignment)}):
        service, why = _place_isolated(module, assignment, use_packages)
        assignment[module] = service
        reasons[module] = why
    pinned = frozenset(m for m, g in group.items() if constraints.pinned_service(g))
    for module in pinned:
        reasons.setdefault(module, f"pinned to {assignment[module]} by [tool.strangler.services]")
    return _Cut(assignment, reasons, {}, pinned, tuple(notes), merged)


def _without_layers(context: _Context, cut: _Cut) -> _Cut:
    """The services that are technical layers (`layers`) taken apart: each of their modules joins
    the service owning routes or tables its code is tied to most (never a library), with the
    reason; a note names the layers."""
    found = find_layers(context.codebase, cut.assignment, (SHARED_KERNEL,))
    if not found or context.graph is None:
        return cut
    evidence = context.evidence if context.evidence is not None else structure.evidence_graph(context.graph)
    stay = cut.pinned | frozenset(context.kernel)
    tables, routes = owned_by_part(context.codebase, cut.assignment)
    owning = {*tables, *routes}
    barred = {SHARED_KERNEL, *(s for s in cut.assignment.values() if s not in owning)}  # (libraries)
    moves = layer_moves(cut.assignment, evidence, found, stay, barred)
    if not moves:
        return cut
    by_label = {layer.label: layer for layer in found}
    assignment, reasons = dict(cut.assignment), dict(cut.reasons)
    for move in moves:
        assignment[move.module] = move.target
        reasons[move.module] = move.reason(by_label[move.layer], move.target)
    return replace(
        cut,
        assignment=assignment,
        reasons=reasons,
        notes=(*cut.notes, layers_note(found, moves, cut.assignment)),
    )


def _jobs(
    codebase: Codebase, whole: nx.Graph, kernel: Mapping[str, str], options: BoundaryOptions
) -> frozenset[str]:
    """Job modules of the graph that may be placed after clustering: not in the kernel, not
    constrained."""
    constrained = set(constraints.groups(whole.nodes, options))
    return frozenset(
        j for j in job_modules(codebase) if j in whole and j not in kernel and j not in constrained
    )


def _dissolve_job_clusters(
    parts: clustering.Partition, jobs: frozenset[str]
) -> tuple[clustering.Partition, frozenset[str]]:
    """Take the jobs out of every cluster made mostly of jobs (commands sharing a base class and a
    vocabulary find each other before their capabilities): they are placed afterwards with the
    capability whose data or code they use (`place_jobs`). Returns the parts left and the jobs
    taken out."""
    kept: clustering.Partition = []
    loose: set[str] = set()
    for part in parts:
        mine = part & jobs
        if len(mine) * 2 > len(part):
            loose |= mine
            part = part - mine
        if part:
            kept.append(part)
    return kept, frozenset(loose)


def _merge_libraries(
    codebase: Codebase,
    flat: nx.Graph,
    assignment: dict[str, str],
    reasons: dict[str, str],
    keep: set[str],
) -> tuple[list[str], int]:
    """Merge the small clusters owning no capability (strangler.boundaries.jobs), before the jobs
    are placed (a cluster is never a service for the jobs that would follow it); their modules'
    reasons say so. Returns the notes to add and how many clusters were merged."""
    loc = {m.name: m.loc for m in codebase.modules}
    business = business_modules(codebase, job_modules(codebase))  # (constrained jobs are clustered)
    merged = merge_libraries(assignment, flat, business, loc, keep)
    for entry in merged:
        into = "the shared kernel" if entry.into == SHARED_KERNEL else entry.into
        for module in entry.modules:
            reasons[module] = (
                f"its cluster ({len(entry.modules)} modules, {entry.loc} lines) served no route, "
                f"touched no table and ran no job: a library, merged into {into}, its strongest tie"
            )
    if not merged:
        return [], 0
    shown = ", ".join(
        f"{e.name} ({len(e.modules)} modules) into {e.into}" for e in merged[:LISTED_MERGES]
    ) + (" …" if len(merged) > LISTED_MERGES else "")
    return [f"{len(merged)} cluster(s) owning no route, table or job merged as libraries: {shown}"], len(
        merged
    )


def _count_notes(assignment: Mapping[str, str], asked: int | None) -> list[str]:
    """A note when fewer services came out than `--services` asked for."""
    found = len({s for s in assignment.values() if s != SHARED_KERNEL})
    if asked is None or found >= asked:
        return []
    return [
        f"asked for {asked} services, the code supports {found}: more would split capabilities into "
        "pieces that own no route, table or job, or into single modules"
    ]


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
                service = max((count, s) for s, count in votes.items())[1]
                return service, f"no coupling to any module; follows its package {parent}"
            parent = parent.rpartition(".")[0]
    return SHARED_KERNEL, "no coupling to any module outside the shared kernel and a few modules like it"


def _request_notes(options: BoundaryOptions, graph: nx.DiGraph) -> list[str]:
    """A warning when the request leaves nothing to cluster by: every signal off, or the signals
    left on tie no two modules together."""
    weights = options.weight_map()
    on = sorted(name for name, weight in weights.items() if weight > 0)
    if not on:
        return [
            "every coupling signal is off: nothing ties the modules together, so no service can be "
            "proposed; turn at least one on (--signals all, or e.g. --signals imports=1)"
        ]
    if graph.number_of_nodes() > 1 and not any(w > 0 for _, _, w in graph.edges(data="weight", default=0.0)):
        return [f"the signals left on ({', '.join(on)}) tie no two modules together: nothing to cluster by"]
    return []
