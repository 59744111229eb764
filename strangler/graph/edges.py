"""The observed-coupling edges of the analysis document, computed without networkx.

`strangler analyze` reports, per module pair, the signals observed in the code and its history
(imports, references, inheritance, shared tables, co-change) and their weighted combination: the
same values `strangler.graph.coupling.build_graph` gives those signals, read from the same
`strangler.graph.signals`, without paying for importing networkx.
"""

from __future__ import annotations

from typing import Any

from analyzers.model import Codebase
from strangler.graph.signals import DEFAULT_WEIGHTS, OBSERVED_SIGNALS, combine, observed_signals


def observed_edges(codebase: Codebase, nodes: frozenset[str]) -> list[dict[str, Any]]:
    """One entry per (source, target) with some observed signal, sorted: source, target, weight, signals."""
    edges: list[dict[str, Any]] = []
    zero = dict.fromkeys(OBSERVED_SIGNALS, 0.0)
    for (source, target), signals in sorted(observed_signals(codebase, nodes).items()):
        attrs = zero.copy()  # (the signals present are a few of the observed ones)
        for signal, value in signals.items():
            attrs[signal] = round(value, 6)
        if not any(value > 0.0 for value in attrs.values()):
            continue
        edge = {"source": source, "target": target, "weight": combine(attrs, DEFAULT_WEIGHTS)}
        edge.update(attrs)
        edges.append(edge)
    return edges
