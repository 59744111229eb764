"""One line per module saying why it sits in its service, from the facts that tie it there.

E.g. "17 references to shop.orders.models, writes table orders, serves /orders/*".
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from functools import partial
from typing import Any

import networkx as nx

from analyzers.model import Codebase
from strangler.graph.coupling import common_route_prefix, route_segment

_SIGNAL_PHRASES = {
    "data": "shares tables with",
    "cochange": "changes together with",
    "routes": "serves the same URLs as",
    "names": "shares vocabulary with",
    "packages": "is in the package of",
    "imports": "imports or is imported by",
    "inheritance": "subclasses or is subclassed by",
}


class Explainer:
    """Indexes built once per decomposition, then `explain(module, service)` per module."""

    def __init__(self, codebase: Codebase, graph: nx.Graph, assignment: Mapping[str, str]) -> None:
        self.graph = graph
        self.assignment = assignment
        self.refs: Counter[tuple[str, str]] = Counter((r.source, r.target) for r in codebase.references)
        self.writes: dict[str, set[str]] = defaultdict(set)
        for access in codebase.accesses:
            if access.mode == "write":
                self.writes[access.module].add(access.table)
        common = common_route_prefix(r.path for r in codebase.routes)
        self.urls: dict[str, set[str]] = defaultdict(set)
        for route in codebase.routes:
            segment = route_segment(route.path, common)
            prefix = "/" + "/".join((*common, segment)) if segment else route.path
            self.urls[route.module].add(prefix + "/*" if segment else prefix)

    def explain(self, module: str, service: str) -> str:
        parts: list[str] = []
        mates = [
            (other, data)
            for other, data in (self.graph[module].items() if module in self.graph else [])
            if self.assignment.get(other) == service
        ]
        if mates:
            other, data = max(mates, key=_mate_weight)
            out, back = self.refs[(module, other)], self.refs[(other, module)]
            if out >= back and out:
                parts.append(f"{out} reference{'s' if out > 1 else ''} to {other}")
            elif back:
                parts.append(f"used {back} time{'s' if back > 1 else ''} by {other}")
            else:
                strongest = max(_SIGNAL_PHRASES, key=partial(_signal_weight, data))
                parts.append(f"{_SIGNAL_PHRASES[strongest]} {other}")
            if len(mates) > 1:
                parts.append(f"linked to {len(mates)} modules of {service}")
        tables = sorted(self.writes.get(module, ()))
        if tables:
            shown = ", ".join(tables[:3]) + (" …" if len(tables) > 3 else "")
            parts.append(f"writes table{'s' if len(tables) > 1 else ''} {shown}")
        urls = sorted(self.urls.get(module, ()))
        if urls:
            parts.append("serves " + ", ".join(urls[:3]) + (" …" if len(urls) > 3 else ""))
        if not parts:
            return f"no coupling inside {service}; placed by rule"
        return ", ".join(parts)


def _mate_weight(mate: tuple[str, Mapping[str, Any]]) -> tuple[Any, str]:
    """The heaviest edge to a module of the same service; of equal ones, the last name."""
    return mate[1].get("weight", 0.0), mate[0]


def _signal_weight(data: Mapping[str, Any], signal: str) -> tuple[float, str]:
    return float(data.get(signal, 0.0)), signal
