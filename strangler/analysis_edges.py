"""The observed-coupling edges of the analysis document, computed without networkx.

`strangler analyze` reports, per module pair, the signals observed in the code and its history
(imports, references, inheritance, shared tables, co-change) and their weighted combination. They are
exactly the per-signal attributes `strangler.graph.build_graph` gives those signals (a test holds
the two together), but computed here directly: importing networkx alone costs more than a warm run.
The constants below mirror strangler.graph's; tests/test_analyze_edges.py checks they agree.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from analyzers.model import Codebase

#: Signals of the analysis document's edges: facts observed in the code or its history.
OBSERVED_SIGNALS = ("imports", "references", "inheritance", "data", "cochange")
#: strangler.graph.DEFAULT_WEIGHTS of the observed signals.
WEIGHTS: Mapping[str, float] = {
    "imports": 1.0,
    "references": 0.5,
    "inheritance": 1.0,
    "data": 2.0,
    "cochange": 0.5,
}
#: strangler.graph.COUNT_SIGNALS among the observed signals (damped with log1p).
COUNT_SIGNALS = frozenset({"imports", "references", "inheritance", "cochange"})
#: strangler.graph.IMPORT_MARKER_WEIGHTS, REFERENCE_KIND_WEIGHTS and DATA_MODE_WEIGHTS.
IMPORT_MARKER_WEIGHTS: Mapping[str, float] = {
    "function": 0.7,
    "try_except": 0.5,
    "type_checking": 0.3,
    "dynamic": 0.3,
    "string": 1.0,
    "star": 1.0,
}
REFERENCE_KIND_WEIGHTS: Mapping[str, float] = {
    "base": 3.0,
    "decorator": 1.0,
    "call": 1.5,
    "name": 1.0,
    "attribute": 1.0,
    "annotation": 0.5,
}
DATA_MODE_WEIGHTS: Mapping[str, float] = {"write": 1.0, "read": 0.5}


def observed_edges(codebase: Codebase, nodes: frozenset[str]) -> list[dict[str, Any]]:
    """One entry per (source, target) with some observed signal, sorted: source, target, weight, signals."""
    values: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)

    def add(source: str, target: str, signal: str, amount: float) -> None:
        if source == target or source not in nodes or target not in nodes or amount <= 0.0:
            return
        entry = values[(source, target)]
        entry[signal] = entry.get(signal, 0.0) + amount

    for edge in codebase.imports:
        factor = min((IMPORT_MARKER_WEIGHTS.get(m, 1.0) for m in edge.markers), default=1.0)
        add(edge.source, edge.target, "imports", factor)
    kinds = REFERENCE_KIND_WEIGHTS
    bases: set[tuple[str, str, str, str]] = set()
    for ref in codebase.references:
        add(ref.source, ref.target, "references", kinds.get(ref.kind, 1.0))
        if ref.kind == "base":
            bases.add((ref.source, ref.target, ref.caller, ref.symbol))
    inheritance: dict[tuple[str, str], int] = defaultdict(int)
    for source, target, _, _ in bases:
        inheritance[(source, target)] += 1
    for (source, target), count in inheritance.items():
        add(source, target, "inheritance", float(count))
    for (a, b), amount in _data_similarity(codebase, nodes).items():
        add(a, b, "data", amount)
        add(b, a, "data", amount)
    for change in codebase.cochange:
        add(change.a, change.b, "cochange", float(change.count))
        add(change.b, change.a, "cochange", float(change.count))

    edges: list[dict[str, Any]] = []
    for (source, target), signals in sorted(values.items()):
        attrs = {s: round(signals.get(s, 0.0), 6) for s in OBSERVED_SIGNALS}
        if not any(value > 0.0 for value in attrs.values()):
            continue
        edges.append({"source": source, "target": target, "weight": _combine(attrs), **attrs})
    return edges


def _combine(signals: Mapping[str, float]) -> float:
    total = 0.0
    for signal in OBSERVED_SIGNALS:
        value = signals[signal]
        if value <= 0.0:
            continue
        if signal in COUNT_SIGNALS:
            value = math.log1p(value)
        total += WEIGHTS[signal] * value
    return round(total, 6)


def _data_similarity(codebase: Codebase, nodes: frozenset[str]) -> dict[tuple[str, str], float]:
    """strangler.graph.data_similarity: touchers of one table, mode products over (touchers - 1)."""
    roles: dict[str, dict[str, float]] = defaultdict(dict)
    for table in codebase.tables:
        if table.module in nodes:
            roles[table.name][table.module] = DATA_MODE_WEIGHTS["write"]
    for access in codebase.accesses:
        if access.module in nodes:
            current = roles[access.table].get(access.module, 0.0)
            roles[access.table][access.module] = max(current, DATA_MODE_WEIGHTS[access.mode])
    result: dict[tuple[str, str], float] = defaultdict(float)
    for touchers in roles.values():
        if len(touchers) < 2:
            continue
        spread = len(touchers) - 1
        ordered = sorted(touchers)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                result[(a, b)] += touchers[a] * touchers[b] / spread
    return result
