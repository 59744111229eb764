"""Constraints from configuration: pins, `together` groups (contracted before clustering) and
`apart` groups (enforced after it)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

import networkx as nx

from strangler.config import BoundaryOptions, matches
from strangler.errors import ConfigError

PIN_PREFIX = "\x00pin:"
TOGETHER_PREFIX = "\x00together:"


def groups(nodes: Iterable[str], options: BoundaryOptions) -> dict[str, str]:
    """Module → group node for pinned and `together` modules (others are absent).

    A together group touching a pin joins that pin; touching two pins is a ConfigError.
    """
    ordered_nodes = sorted(nodes)
    group: dict[str, str] = {}
    for service, globs in options.pins:
        for module in ordered_nodes:
            if matches(module, globs):
                if module in group and group[module] != PIN_PREFIX + service:
                    raise ConfigError(
                        f"{module} is pinned to two services: "
                        f"{group[module][len(PIN_PREFIX):]} and {service}",
                        path="[tool.strangler.services]",
                        hint="make the module globs of the services disjoint",
                    )
                group[module] = PIN_PREFIX + service
    for index, globs in enumerate(options.together):
        members = [m for m in ordered_nodes if matches(m, globs)]
        pins = sorted({group[m] for m in members if group.get(m, "").startswith(PIN_PREFIX)})
        if len(pins) > 1:
            raise ConfigError(
                f"together group {list(globs)} spans pinned services "
                f"{', '.join(p[len(PIN_PREFIX):] for p in pins)}",
                path="[tool.strangler] together",
                hint="a together group may touch at most one pinned service",
            )
        target = pins[0] if pins else f"{TOGETHER_PREFIX}{index}"
        previous = {group[m] for m in members if m in group} - {target}
        for module, current in list(group.items()):
            if current in previous:
                group[module] = target
        for module in members:
            group[module] = target
    return group


def contract(graph: nx.Graph, group: Mapping[str, str]) -> tuple[nx.Graph, dict[str, frozenset[str]]]:
    """The graph with each group merged into one node; and node → the modules it stands for."""
    members: dict[str, set[str]] = defaultdict(set)
    for node in graph.nodes:
        members[group.get(node, node)].add(node)
    result = nx.Graph()
    for node, inside in members.items():
        result.add_node(node, loc=sum(graph.nodes[m].get("loc", 0) for m in inside))
    for u, v, data in graph.edges(data=True):
        a, b = group.get(u, u), group.get(v, v)
        if a == b:
            continue
        previous = result[a][b]["weight"] if result.has_edge(a, b) else 0.0
        result.add_edge(a, b, weight=previous + data["weight"])
    return result, {k: frozenset(v) for k, v in members.items()}


def pinned_service(node: str) -> str | None:
    return node[len(PIN_PREFIX) :] if node.startswith(PIN_PREFIX) else None


def separate(
    graph: nx.Graph,
    parts: list[frozenset[str]],
    options: BoundaryOptions,
    group: Mapping[str, str],
) -> tuple[list[frozenset[str]], list[str]]:
    """Enforce pins sharing a cluster (split it between them) and `apart` groups (move the group
    less tied to the cluster to its next best one, or a new cluster). Returns notes on moves."""
    notes: list[str] = []
    label = {n: i for i, p in enumerate(parts) for n in p}
    clusters = [set(p) for p in parts]

    def ties(members: Iterable[str]) -> dict[int, float]:
        result: dict[int, float] = defaultdict(float)
        for node in members:
            for other, data in graph[node].items():
                result[label[other]] += data["weight"]
        return result

    for index in range(len(clusters)):
        pins = sorted({group[n] for n in clusters[index] if group.get(n, "").startswith(PIN_PREFIX)})
        if len(pins) < 2:
            continue
        for node in sorted(clusters[index]):
            if group.get(node, "").startswith(PIN_PREFIX):
                continue
            weight = {p: 0.0 for p in pins}
            for other, data in graph[node].items():
                if group.get(other) in weight:
                    weight[group[other]] += data["weight"]
            weight[pins[0]] += 1e-9
            label[node] = -pins.index(max(pins, key=lambda p: weight[p])) - 1
        for pin_index, pin in enumerate(pins):
            mark = -pin_index - 1
            for node in clusters[index]:
                if group.get(node) == pin:
                    label[node] = mark
        notes.append(f"pinned services {', '.join(p[len(PIN_PREFIX):] for p in pins)} "
                     "fell into one cluster and were split apart")
        clusters = _relabel(label)

    for globs in options.apart:
        label = {n: i for i, p in enumerate(clusters) for n in p}
        sets = [sorted(n for n in label if matches(n, [g])) for g in globs]
        for i in range(len(sets)):
            for j in range(i + 1, len(sets)):
                shared = {label[n] for n in sets[i]} & {label[n] for n in sets[j]}
                for cluster in sorted(shared):
                    a = [n for n in sets[i] if label[n] == cluster]
                    b = [n for n in sets[j] if label[n] == cluster]
                    weaker = a if ties(a).get(cluster, 0.0) < ties(b).get(cluster, 0.0) else b
                    around = {k: w for k, w in ties(weaker).items() if k != cluster}
                    target = max(around, key=lambda k: (around[k], -k)) if around else len(clusters)
                    for node in weaker:
                        label[node] = target
                    notes.append(f"kept apart: moved {', '.join(weaker[:3])} out of a shared cluster")
                    clusters = _relabel(label)
                    label = {n: k for k, p in enumerate(clusters) for n in p}
    return [frozenset(c) for c in clusters if c], notes


def _relabel(label: Mapping[str, int]) -> list[set[str]]:
    grouped: dict[int, set[str]] = defaultdict(set)
    for node, index in label.items():
        grouped[index].add(node)
    return [grouped[k] for k in sorted(grouped)]
