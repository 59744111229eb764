"""Constraints from configuration: pins, `together` groups (contracted before clustering) and
`apart` groups (enforced after it)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar

import networkx as nx

from strangler.boundaries.settings import BoundaryOptions, matches
from strangler.exceptions import ConfigError


class GroupNode(str):
    """The node standing for a contracted group of modules: pinned to a service, or a `together` group.

    It is a `str` whose text sorts before every module name and hashes like that text, so the
    contracted graph clusters exactly as a graph of names does; code asks it `service` instead of
    reading the text.
    """

    __slots__ = ()
    _PIN: ClassVar[str] = "\x00pin:"
    _TOGETHER: ClassVar[str] = "\x00together:"

    @classmethod
    def pin(cls, service: str) -> GroupNode:
        return cls(cls._PIN + service)

    @classmethod
    def together(cls, index: int) -> GroupNode:
        return cls(f"{cls._TOGETHER}{index}")

    @property
    def service(self) -> str | None:
        """The service the group is pinned to; None for a `together` group."""
        return str(self[len(self._PIN) :]) if self.startswith(self._PIN) else None


#: Module → the group node it is contracted into (modules in no group are absent).
Groups = dict[str, GroupNode]


def pinned_service(node: str | None) -> str | None:
    """The service `node` (a group node, or anything else) is pinned to, if any."""
    return node.service if isinstance(node, GroupNode) else None


def _is_pin(node: str | None) -> bool:
    return pinned_service(node) is not None


def groups(nodes: Iterable[str], options: BoundaryOptions) -> Groups:
    """Module → group node for pinned and `together` modules (others are absent).

    A together group touching a pin joins that pin; touching two pins is a ConfigError.
    """
    ordered_nodes = sorted(nodes)
    group: Groups = {}
    for service, globs in options.pins:
        _pin(group, service, [m for m in ordered_nodes if matches(m, globs)])
    for index, globs in enumerate(options.together):
        _join(group, index, globs, [m for m in ordered_nodes if matches(m, globs)])
    return group


def _pin(group: Groups, service: str, members: list[str]) -> None:
    node = GroupNode.pin(service)
    for module in members:
        if module in group and group[module] != node:
            raise ConfigError(
                f"{module} is pinned to two services: {pinned_service(group[module])} and {service}",
                path="[tool.strangler.services]",
                hint="make the module globs of the services disjoint",
            )
        group[module] = node


def _join(group: Groups, index: int, globs: Sequence[str], members: list[str]) -> None:
    """Put `members` (the together group `index`) into one group, with the pin it touches if any."""
    pins = sorted({group[m] for m in members if _is_pin(group.get(m))})
    if len(pins) > 1:
        raise ConfigError(
            f"together group {list(globs)} spans pinned services "
            f"{', '.join(str(pinned_service(p)) for p in pins)}",
            path="[tool.strangler] together",
            hint="a together group may touch at most one pinned service",
        )
    target = pins[0] if pins else GroupNode.together(index)
    previous = {group[m] for m in members if m in group} - {target}
    for module, current in list(group.items()):
        if current in previous:
            group[module] = target
    for module in members:
        group[module] = target


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


def separate(
    graph: nx.Graph,
    parts: list[frozenset[str]],
    options: BoundaryOptions,
    group: Mapping[str, str],
) -> tuple[list[frozenset[str]], list[str]]:
    """Enforce pins sharing a cluster (split it between them) and `apart` groups (move the group
    less tied to the cluster to its next best one, or a new cluster). Returns notes on moves."""
    notes: list[str] = []
    clusters = _split_pins(graph, parts, group, notes)
    for globs in options.apart:
        clusters = _keep_apart(graph, clusters, globs, notes)
    return [frozenset(c) for c in clusters if c], notes


def _split_pins(
    graph: nx.Graph, parts: list[frozenset[str]], group: Mapping[str, str], notes: list[str]
) -> list[set[str]]:
    """Split every cluster holding two or more pins between them; each other node follows the pin
    it is most tied to."""
    label = {n: i for i, p in enumerate(parts) for n in p}
    clusters = [set(p) for p in parts]
    for index in range(len(clusters)):
        pins = sorted({group[n] for n in clusters[index] if _is_pin(group.get(n))})
        if len(pins) < 2:
            continue
        for node in sorted(clusters[index]):
            if not _is_pin(group.get(node)):
                label[node] = -pins.index(_nearest_pin(graph, node, pins, group)) - 1
        for pin_index, pin in enumerate(pins):
            for node in clusters[index]:
                if group.get(node) == pin:
                    label[node] = -pin_index - 1
        notes.append(
            f"pinned services {', '.join(str(pinned_service(p)) for p in pins)} "
            "fell into one cluster and were split apart"
        )
        clusters = _relabel(label)
    return clusters


def _nearest_pin(graph: nx.Graph, node: str, pins: list[str], group: Mapping[str, str]) -> str:
    """The pin `node` has the most weight to (the first pin on a tie)."""
    weight = {p: 0.0 for p in pins}
    for other, data in graph[node].items():
        if group.get(other) in weight:
            weight[group[other]] += data["weight"]
    weight[pins[0]] += 1e-9
    return max(pins, key=weight.__getitem__)


def _keep_apart(
    graph: nx.Graph, clusters: list[set[str]], globs: Sequence[str], notes: list[str]
) -> list[set[str]]:
    """Apply one `apart` group: every two of its globs end in different clusters."""
    label = {n: i for i, p in enumerate(clusters) for n in p}
    sets = [sorted(n for n in label if matches(n, [g])) for g in globs]
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            shared = {label[n] for n in sets[i]} & {label[n] for n in sets[j]}
            for cluster in sorted(shared):
                a = [n for n in sets[i] if label[n] == cluster]
                b = [n for n in sets[j] if label[n] == cluster]
                weaker = _move_weaker(graph, label, (a, b), cluster, len(clusters))
                notes.append(f"kept apart: moved {', '.join(weaker[:3])} out of a shared cluster")
                clusters = _relabel(label)
                label = {n: k for k, p in enumerate(clusters) for n in p}
    return clusters


def _move_weaker(
    graph: nx.Graph, label: dict[str, int], pair: tuple[list[str], list[str]], cluster: int, count: int
) -> list[str]:
    """Relabel the side of `pair` less tied to `cluster` to its next best cluster (or a new one,
    numbered `count`); returns that side."""
    a, b = pair
    weaker = a if _ties(graph, label, a).get(cluster, 0.0) < _ties(graph, label, b).get(cluster, 0.0) else b
    around = {k: w for k, w in _ties(graph, label, weaker).items() if k != cluster}
    target = -max((w, -k) for k, w in around.items())[1] if around else count
    for node in weaker:
        label[node] = target
    return weaker


def _ties(graph: nx.Graph, label: Mapping[str, int], members: Iterable[str]) -> dict[int, float]:
    """The weight from `members` to each cluster."""
    result: dict[int, float] = defaultdict(float)
    for node in members:
        for other, data in graph[node].items():
            result[label[other]] += data["weight"]
    return result


def _relabel(label: Mapping[str, int]) -> list[set[str]]:
    grouped: dict[int, set[str]] = defaultdict(set)
    for node, index in label.items():
        grouped[index].add(node)
    return [grouped[k] for k in sorted(grouped)]
