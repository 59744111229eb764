"""Coupling signals and their weights, and the signals observed in code and history, without networkx.

Both the coupling graph (`strangler.graph.coupling`, for clustering and views) and the analysis document
(`strangler.graph.edges`, where importing networkx would cost more than a warm run) read the
observed signals from here, so the two never disagree.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from analyzers.model import Codebase

SIGNALS: tuple[str, ...] = (
    "imports",
    "references",
    "inheritance",
    "data",
    "cochange",
    "routes",
    "names",
    "packages",
)
DIRECTED_SIGNALS: frozenset[str] = frozenset({"imports", "references", "inheritance"})
SYMMETRIC_SIGNALS: frozenset[str] = frozenset(SIGNALS) - DIRECTED_SIGNALS
#: Signals whose raw value is a count (damped with log1p in the combination).
COUNT_SIGNALS: frozenset[str] = frozenset({"imports", "references", "inheritance", "cochange"})

#: Measured on examples/monolith_app, django-oscar and taiga-back (see docs/boundaries.md).
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "imports": 1.0,
    "references": 1.5,
    "inheritance": 1.0,
    "data": 2.0,
    "cochange": 0.5,
    "routes": 1.0,
    "names": 0.5,
    "packages": 1.0,
}

#: How much one import counts, by its marker: imports that do not run at module load, or only
#: name a module in a string, tie modules together less than a plain import.
IMPORT_MARKER_WEIGHTS: Mapping[str, float] = {
    "function": 0.7,
    "try_except": 0.5,
    "type_checking": 0.3,
    "dynamic": 0.3,
    "string": 1.0,
    "star": 1.0,
    "template": 1.0,  # a template's `{% load %}`/`{% include %}`/`{% extends %}`: no page renders without it
}
#: The import marker of a template use (analyzers.web.templates.TEMPLATE): such uses count in the
#: `imports` signal and, alone, in the edge count TEMPLATE_COUNT.
TEMPLATE_MARKER = "template"
TEMPLATE_COUNT = "templates"
#: How much one symbol use counts, by its kind: subclassing binds hardest, a type hint least.
REFERENCE_KIND_WEIGHTS: Mapping[str, float] = {
    "base": 3.0,
    "decorator": 1.0,
    "call": 1.5,
    "name": 1.0,
    "attribute": 1.0,
    "annotation": 0.5,
}
#: Data signal: a writer of a table counts fully, a reader half.
DATA_MODE_WEIGHTS: Mapping[str, float] = {"write": 1.0, "read": 0.5}
#: Names signal: keep the k most similar modules of each module, above a floor (a cosine under 0.3
#: is the vocabulary of a layer or a framework more than of a capability: measured on the
#: development set, docs/boundaries.md "Names signal floor").
NAMES_TOP_K = 5
NAMES_MIN_SIMILARITY = 0.3
#: Names signal: a module with fewer informative terms than this says too little to be compared
#: (two near-empty `__init__` modules sharing one term would otherwise score a cosine of 1).
NAMES_MIN_TERMS = 3


#: Signals observed directly in the code or its history (the others are similarities).
OBSERVED_SIGNALS: tuple[str, ...] = ("imports", "references", "inheritance", "data", "cochange")


def observed_signals(codebase: Codebase, nodes: frozenset[str]) -> dict[tuple[str, str], dict[str, float]]:
    """Per (source, target) pair of `nodes`, the raw value of each observed signal present.

    Directed counts go source → target; data and co-change are stored on both directions. Template
    uses count as imports, and are counted alone too under TEMPLATE_COUNT (an extension of the
    analysis document's edges; no signal of the combination).
    """
    values: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)

    def add(source: str, target: str, signal: str, amount: float) -> None:
        if source == target or source not in nodes or target not in nodes or amount <= 0.0:
            return
        entry = values[(source, target)]
        entry[signal] = entry.get(signal, 0.0) + amount

    for edge in codebase.imports:
        factor = min((IMPORT_MARKER_WEIGHTS.get(m, 1.0) for m in edge.markers), default=1.0)
        add(edge.source, edge.target, "imports", factor)
        if TEMPLATE_MARKER in edge.markers:
            add(edge.source, edge.target, TEMPLATE_COUNT, 1.0)
    for ref in codebase.references:
        add(ref.source, ref.target, "references", REFERENCE_KIND_WEIGHTS.get(ref.kind, 1.0))
    for (source, target), count in _inheritance(codebase).items():
        add(source, target, "inheritance", float(count))
    for (a, b), amount in data_similarity(codebase, nodes).items():
        add(a, b, "data", amount)
        add(b, a, "data", amount)
    for change in codebase.cochange:
        add(change.a, change.b, "cochange", float(change.count))
        add(change.b, change.a, "cochange", float(change.count))
    return values


def combine(signals: Mapping[str, float], weights: Mapping[str, float]) -> float:
    """The weighted combination of one edge's signal values (counts damped with log1p)."""
    total = 0.0
    for signal in SIGNALS:
        value = signals.get(signal, 0.0)
        if value <= 0.0:
            continue
        if signal in COUNT_SIGNALS:
            value = math.log1p(value)
        total += weights.get(signal, 0.0) * value
    return round(total, 6)


def _inheritance(codebase: Codebase) -> dict[tuple[str, str], int]:
    """Distinct (class, base) pairs per module pair, from base-class references."""
    seen: set[tuple[str, str, str, str]] = set()
    for ref in codebase.references:
        if ref.kind == "base":
            seen.add((ref.source, ref.target, ref.caller, ref.symbol))
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for source, target, _, _ in seen:
        counts[(source, target)] += 1
    return counts


def _pairs(members: Iterable[str]) -> Iterable[tuple[str, str]]:
    ordered = sorted(set(members))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            yield a, b


def data_similarity(codebase: Codebase, nodes: frozenset[str]) -> dict[tuple[str, str], float]:
    """Modules touching the same table: product of their mode weights (writer 1, reader 0.5; the
    declaring module counts as a writer), divided by (touchers - 1) so a table every module reads
    does not weld the whole codebase together."""
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
        for a, b in _pairs(touchers):
            result[(a, b)] += touchers[a] * touchers[b] / spread
    return result
