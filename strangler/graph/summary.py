"""Coupling summary of an analyzed codebase: import cycles, afferent/efferent coupling, hubs.

Pure functions over a `Codebase` (import edges between the modules in scope: code only, unless
tests are included), shared by the text report and the JSON document of `strangler analyze`.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass

from analyzers.files.discovery import SKIP_REASONS
from analyzers.model import Codebase
from strangler.graph.signals import TEMPLATE_MARKER


@dataclass(frozen=True, slots=True, order=True)
class Cycle:
    """A strongly connected component of the import graph and one shortest cycle through it."""

    modules: tuple[str, ...]  # sorted
    path: tuple[str, ...]  # a → b → … → a, starting at the smallest module name


@dataclass(frozen=True, slots=True, order=True)
class PackageCoupling:
    """Robert C. Martin's package metrics, counted in modules."""

    package: str
    modules: int
    afferent: int  # Ca: modules outside that import a module inside
    efferent: int  # Ce: modules outside that a module inside imports

    @property
    def instability(self) -> float:
        total = self.afferent + self.efferent
        return round(self.efferent / total, 3) if total else 0.0


def in_scope(codebase: Codebase, include_tests: bool) -> frozenset[str]:
    return frozenset(m.name for m in codebase.modules if include_tests or m.role == "code")


def import_pairs(codebase: Codebase, include_tests: bool) -> dict[str, frozenset[str]]:
    """Module → modules it imports (any marker but a template use's), within scope, no self loops."""
    nodes = in_scope(codebase, include_tests)
    out: dict[str, set[str]] = defaultdict(set)
    for edge in codebase.imports:
        if TEMPLATE_MARKER in edge.markers:
            continue  # a template's use of an app is coupling, no import: no cycle, hub or Ca/Ce
        if edge.source in nodes and edge.target in nodes and edge.source != edge.target:
            out[edge.source].add(edge.target)
    return {k: frozenset(v) for k, v in out.items()}


def import_cycles(codebase: Codebase, include_tests: bool = False) -> tuple[Cycle, ...]:
    """Every import cycle component (Tarjan, iterative) with one shortest cycle, sorted by size then name."""
    graph = import_pairs(codebase, include_tests)
    cycles = []
    for component in _strongly_connected(graph):
        if len(component) < 2:
            continue
        members = frozenset(component)
        start = min(members)
        cycles.append(Cycle(tuple(sorted(members)), _shortest_cycle(graph, start, members)))
    return tuple(sorted(cycles, key=lambda c: (-len(c.modules), c.modules)))


def package_coupling(codebase: Codebase, include_tests: bool = False) -> tuple[PackageCoupling, ...]:
    """Ca/Ce per package (a package is a module's parent, or itself for an __init__)."""
    nodes = in_scope(codebase, include_tests)
    package_of = {
        m.name: (m.name if m.is_package else m.name.rpartition(".")[0]) or m.name
        for m in codebase.modules
        if m.name in nodes
    }
    graph = import_pairs(codebase, include_tests)
    members: dict[str, set[str]] = defaultdict(set)
    incoming: dict[str, set[str]] = defaultdict(set)
    outgoing: dict[str, set[str]] = defaultdict(set)
    for module, package in package_of.items():
        members[package].add(module)
    for source, targets in graph.items():
        for target in targets:
            a, b = package_of[source], package_of[target]
            if a != b:
                outgoing[a].add(target)
                incoming[b].add(source)
    return tuple(
        PackageCoupling(p, len(members[p]), len(incoming[p]), len(outgoing[p])) for p in sorted(members)
    )


def most_depended_on(
    codebase: Codebase, include_tests: bool = False, top: int = 10
) -> tuple[tuple[str, int], ...]:
    """Modules imported by the most other modules (afferent count), ties by name."""
    counts: dict[str, int] = defaultdict(int)
    for targets in import_pairs(codebase, include_tests).values():
        for target in targets:
            counts[target] += 1
    return _top(counts.items(), top)


def most_depending(
    codebase: Codebase, include_tests: bool = False, top: int = 10
) -> tuple[tuple[str, int], ...]:
    """Modules importing the most other modules (efferent count), ties by name."""
    return _top(((s, len(t)) for s, t in import_pairs(codebase, include_tests).items()), top)


def skipped(codebase: Codebase, shown: int = 5) -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    """What discovery left out, by reason (analyzers.files.discovery.SKIP_REASONS): (reason, count, the
    first `shown` paths), most frequent first."""
    found: dict[str, list[str]] = defaultdict(list)
    for diagnostic in codebase.diagnostics:
        if diagnostic.kind in SKIP_REASONS:
            found[SKIP_REASONS[diagnostic.kind]].append(diagnostic.path)
    return tuple(
        (reason, len(paths), tuple(sorted(paths)[:shown]))
        for reason, paths in sorted(found.items(), key=lambda item: (-len(item[1]), item[0]))
    )


def _top(items: Iterable[tuple[str, int]], top: int) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(items, key=lambda item: (-item[1], item[0]))[:top])


def _shortest_cycle(graph: dict[str, frozenset[str]], start: str, members: frozenset[str]) -> tuple[str, ...]:
    """Breadth-first from `start` back to itself inside the component; successors in name order."""
    parent: dict[str, str] = {}
    queue = deque([start])
    seen = {start}
    while queue:
        node = queue.popleft()
        for successor in sorted(graph.get(node, ())):
            if successor not in members:
                continue
            if successor == start:
                path = [start]
                while node != start:
                    path.append(node)
                    node = parent[node]
                path.append(start)
                path.reverse()
                return tuple(path)
            if successor not in seen:
                seen.add(successor)
                parent[successor] = node
                queue.append(successor)
    return (start,)


def _strongly_connected(graph: dict[str, frozenset[str]]) -> list[list[str]]:
    """Tarjan's algorithm without recursion (deep import chains exceed the recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    nodes = sorted(set(graph) | {t for targets in graph.values() for t in targets})
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph.get(successor, ())))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(component)
    return result
