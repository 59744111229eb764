"""Extraction order: services from least to most entangled with the rest, and the cycles to break first.

Entanglement is a weighted sum of numbers a reviewer can check (inbound call sites, shared tables,
services in a dependency cycle, thousands of lines), so every wave's position comes with its arithmetic.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import partial

import networkx as nx

from strangler.plan.extraction_plan import CallSite, CycleCut, Entanglement, PlanOptions

#: Call sites shown as examples for a cycle's cut edge.
CUT_EXAMPLES = 3


def service_graph(sites: Iterable[CallSite]) -> nx.DiGraph:
    """Services (and the monolith remainder) as nodes; an edge caller → callee per pair with call sites."""
    counts: Counter[tuple[str, str]] = Counter((s.caller_service, s.callee_service) for s in sites)
    graph = nx.DiGraph()
    for (source, target), count in sorted(counts.items()):
        graph.add_edge(source, target, call_sites=count)
    return graph


def cycle_partners(graph: nx.DiGraph, service: str) -> tuple[str, ...]:
    """The other nodes in the strongly connected component of `service`, sorted."""
    if service not in graph:
        return ()
    for component in nx.strongly_connected_components(graph):
        if service in component:
            return tuple(sorted(component - {service}))
    return ()  # pragma: no cover - every node is in a component


def cycles_through(
    graph: nx.DiGraph, service: str, sites: Iterable[CallSite], limit: int
) -> tuple[CycleCut, ...]:
    """Simple cycles through `service` (at most `limit`), each with its cheapest edge to cut."""
    partners = cycle_partners(graph, service)
    if not partners:
        return ()
    component = graph.subgraph((service, *partners))
    by_edge: dict[tuple[str, str], list[CallSite]] = defaultdict(list)
    for site in sites:
        by_edge[(site.caller_service, site.callee_service)].append(site)
    found = []
    for ordered in _cycles_from(component, service, limit):
        edges = [(ordered[i], ordered[(i + 1) % len(ordered)]) for i in range(len(ordered))]
        source, target = min(edges, key=partial(_edge_cost, graph))
        examples = tuple(sorted(by_edge[(source, target)])[:CUT_EXAMPLES])
        found.append(
            CycleCut(
                cycle=ordered,
                cut_source=source,
                cut_target=target,
                call_sites=int(graph.edges[source, target]["call_sites"]),
                examples=examples,
            )
        )
    return tuple(sorted(found, key=_shortest_first))


def _edge_cost(graph: nx.DiGraph, edge: tuple[str, str]) -> tuple[int, tuple[str, str]]:
    """Fewest call sites first, then by name."""
    return graph.edges[edge]["call_sites"], edge


def _shortest_first(cut: CycleCut) -> tuple[int, tuple[str, ...]]:
    return len(cut.cycle), cut.cycle


#: Path extensions tried per cycle search; bounds the work on a dense service graph.
CYCLE_SEARCH_BUDGET = 200_000


def _cycles_from(graph: nx.DiGraph, service: str, limit: int) -> list[tuple[str, ...]]:
    """Up to `limit` simple cycles starting at `service`, shortest first, in name order.

    Deterministic by construction (successors in sorted order, iterative deepening by length):
    networkx's `simple_cycles` walks sets of nodes, so which cycles fall under the limit would
    depend on the interpreter's hash seed and the plan would differ between two runs.
    """
    found: list[tuple[str, ...]] = []
    successors = {n: sorted(graph.successors(n)) for n in graph}
    budget = CYCLE_SEARCH_BUDGET
    for length in range(2, len(graph) + 1):
        stack: list[tuple[str, ...]] = [(service,)]
        while stack and len(found) < limit and budget > 0:
            path = stack.pop()
            budget -= 1
            if len(path) == length:
                if service in successors[path[-1]]:
                    found.append(path)
                continue
            stack.extend((*path, n) for n in reversed(successors[path[-1]]) if n not in path)
        if len(found) >= limit or budget <= 0:
            break
    return found


def entanglement(
    *,
    inbound: int,
    outbound: int,
    shared_tables: int,
    partners: int,
    loc: int,
    options: PlanOptions,
) -> Entanglement:
    score = (
        options.weight_call_site * inbound
        + options.weight_shared_table * shared_tables
        + options.weight_cycle * partners
        + options.weight_kloc * loc / 1000
    )
    return Entanglement(
        inbound_call_sites=inbound,
        outbound_call_sites=outbound,
        shared_tables=shared_tables,
        cycle_partners=partners,
        loc=loc,
        score=round(score, 2),
    )


def order_services(scores: Mapping[str, Entanglement]) -> tuple[str, ...]:
    """Least entangled first; ties broken by fewer lines, then by name, so the order is stable."""
    return tuple(sorted(scores, key=partial(_entanglement_order, scores)))


def _entanglement_order(scores: Mapping[str, Entanglement], service: str) -> tuple[float, int, str]:
    return scores[service].score, scores[service].loc, service


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def rationale(service: str, position: int, total: int, ent: Entanglement, options: PlanOptions) -> str:
    """One paragraph with the arithmetic behind the wave's position."""
    terms = [
        f"{_plural(ent.inbound_call_sites, 'inbound call site')} × {options.weight_call_site:g}",
        f"{_plural(ent.shared_tables, 'shared table')} × {options.weight_shared_table:g}",
        f"{_plural(ent.cycle_partners, 'cycle partner')} × {options.weight_cycle:g}",
        f"{ent.loc / 1000:.1f} kLOC × {options.weight_kloc:g}",
    ]
    place = (
        "least entangled of the services"
        if position == 1
        else f"position {position} of {total} by entanglement"
    )
    return (
        f"{service}: score {ent.score:g} = " + " + ".join(terms) + f"; {place}. "
        f"It calls the rest {_plural(ent.outbound_call_sites, 'time')} (not scored: "
        "outbound calls need a client, not a change in the monolith)."
    )
