"""The observed-coupling edges of the analysis document, computed without networkx.

`strangler analyze` reports, per module pair, the signals observed in the code and its history
(imports, references, inheritance, shared tables, co-change) and their weighted combination: the
same values `strangler.graph.build_graph` gives those signals, read from the same
`strangler.signals`, without paying for importing networkx.
"""

from __future__ import annotations

from typing import Any

from analyzers.model import Codebase
from strangler.signals import DEFAULT_WEIGHTS, OBSERVED_SIGNALS, combine, observed_signals


def observed_edges(codebase: Codebase, nodes: frozenset[str]) -> list[dict[str, Any]]:
    """One entry per (source, target) with some observed signal, sorted: source, target, weight, signals."""
    edges: list[dict[str, Any]] = []
    for (source, target), signals in sorted(observed_signals(codebase, nodes).items()):
        attrs = {s: round(signals.get(s, 0.0), 6) for s in OBSERVED_SIGNALS}
        if not any(value > 0.0 for value in attrs.values()):
            continue
        edges.append({"source": source, "target": target, "weight": combine(attrs, DEFAULT_WEIGHTS), **attrs})
    return edges
