"""Technical layers among the proposed parts: a part that declares most of the tables while serving
almost none of the routes is a data layer (polar's `models` package, mealie's `db`); one that serves
most of the routes while declaring almost none of the tables is a web layer. Neither is a business
capability: extracted, it would be called by every other service for its data, or would call
every other service for its pages. So each of its modules joins the capability part its code is
tied to most (issue #13: evidence of capability, not of layer), and says so; a module tied to no
capability part stays where it was.

The test reads the code alone (declared tables, served routes, the coupling without the packages
signal); it never looks for a name. Below LAYER_MIN_TABLES declared tables or LAYER_MIN_ROUTES
routes in the whole graph, nothing is a layer: a small project's one models module is no layer.
"""

from __future__ import annotations

import enum
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import networkx as nx

from analyzers.model import Codebase

#: A layer holds more than this share of one kind (tables for a data layer, routes for a web layer) ...
LAYER_MAJOR_SHARE = 0.5
#: ... and at most this share of the other kind.
LAYER_MINOR_SHARE = 0.05
#: A layer's module moves when its tie to one capability outweighs its tie to the next by this
#: factor; tied alike to several (a base every capability's code uses), it stays.
LAYER_LEAD = 1.5
#: Fewer declared tables, or routes, than this in the graph: no part is a layer.
LAYER_MIN_TABLES = 8
LAYER_MIN_ROUTES = 10


class LayerKind(enum.Enum):
    DATA = "data"
    WEB = "web"


@dataclass(frozen=True, slots=True, order=True)
class Layer:
    """A part that is a technical layer, with what it owns against the whole graph."""

    label: str
    kind: LayerKind
    tables: int
    routes: int
    all_tables: int
    all_routes: int

    @property
    def kind_text(self) -> str:
        return "a data layer" if self.kind is LayerKind.DATA else "a web layer"

    @property
    def owned(self) -> str:
        return f"{self.tables} of the {self.all_tables} tables, {self.routes} of the {self.all_routes} routes"


@dataclass(frozen=True, slots=True, order=True)
class LayerMove:
    """A module of a layer moved to the capability part its code is tied to most."""

    module: str
    layer: str
    target: str
    pull: float  # its combined tie weight to `target`
    kept: float  # its combined tie weight to the rest of its layer

    def reason(self, layer: Layer, target_name: str) -> str:
        return (
            f"left {layer.label}, {layer.kind_text} ({layer.owned}); joined {target_name}, the "
            f"capability its code is tied to most (tie {self.pull:.1f}, against {self.kept:.1f} to the "
            "rest of the layer)"
        )


def owned_by_part(codebase: Codebase, label_of: Mapping[str, str]) -> tuple[Counter[str], Counter[str]]:
    """Declared tables and served routes per part (modules outside `label_of` not counted)."""
    tables: Counter[str] = Counter(label_of[t.module] for t in codebase.tables if t.module in label_of)
    routes: Counter[str] = Counter(label_of[r.module] for r in codebase.routes if r.module in label_of)
    return tables, routes


def find_layers(
    codebase: Codebase, label_of: Mapping[str, str], excluded: Collection[str] = ()
) -> tuple[Layer, ...]:
    """The parts of `label_of` (module -> part) that are layers; parts in `excluded` (the shared
    kernel) are counted in the totals but never a layer."""
    tables, routes = owned_by_part(codebase, label_of)
    all_tables, all_routes = sum(tables.values()), sum(routes.values())
    if all_tables < LAYER_MIN_TABLES or all_routes < LAYER_MIN_ROUTES:
        return ()
    found = []
    for label in sorted(set(label_of.values()) - set(excluded)):
        table_share, route_share = tables[label] / all_tables, routes[label] / all_routes
        kind = None
        if table_share > LAYER_MAJOR_SHARE and route_share <= LAYER_MINOR_SHARE:
            kind = LayerKind.DATA
        elif route_share > LAYER_MAJOR_SHARE and table_share <= LAYER_MINOR_SHARE:
            kind = LayerKind.WEB
        if kind is not None:
            found.append(Layer(label, kind, tables[label], routes[label], all_tables, all_routes))
    return tuple(found)


def layer_moves(
    label_of: Mapping[str, str],
    evidence: nx.Graph,
    layers: Collection[Layer],
    stay: Collection[str] = (),
    excluded: Collection[str] = (),
) -> tuple[LayerMove, ...]:
    """For each module of a layer (not in `stay`: pinned or kernel modules), the capability part
    (neither a layer nor `excluded`) its ties in `evidence` weigh most to, decided on `label_of` as
    given (one pass: a move never pulls another). A module tied to no such part stays."""
    layered = {layer.label for layer in layers}
    barred = layered | set(excluded)
    held = set(stay)
    moves = []
    for module in sorted(m for m, label in label_of.items() if label in layered):
        if module in held or module not in evidence:
            continue
        ties: dict[str, float] = defaultdict(float)
        for other, data in evidence[module].items():
            label = label_of.get(other)
            if label is not None:
                ties[label] += float(data.get("weight", 0.0))
        own = ties.get(label_of[module], 0.0)
        targets = {label: weight for label, weight in ties.items() if label not in barred and weight > 0.0}
        if not targets:
            continue
        ranked = sorted(targets.items(), key=lambda item: (-item[1], item[0]))
        target = ranked[0][0]
        if len(ranked) > 1 and ranked[0][1] < LAYER_LEAD * ranked[1][1]:
            continue
        moves.append(LayerMove(module, label_of[module], target, round(targets[target], 6), round(own, 6)))
    return tuple(moves)


def layers_note(layers: Collection[Layer], moves: Collection[LayerMove], label_of: Mapping[str, str]) -> str:
    """One line for the text output: each layer taken apart, and how many of its modules left it."""
    left = Counter(move.layer for move in moves)
    size = Counter(label_of.values())
    shown = "; ".join(
        f"{layer.label}, {layer.kind_text} ({layer.owned}): {left[layer.label]} of its "
        f"{size[layer.label]} modules moved"
        for layer in sorted(layers)
    )
    return (
        f"{len(layers)} technical layer(s) taken apart, each module joining the capability its code "
        f"is tied to most: {shown}"
    )
