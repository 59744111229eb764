"""DOT text for the module view: one `cluster_` per service, cross-boundary edges strong.

Small views are laid out by `dot` from the edges (the flow of dependencies reads left to right).
Large views would not: with hundreds of boxes, edges that span many ranks stretch every cluster
over the whole picture, clusters overlap, and `dot` spends seconds minimising crossings that stay
unreadable anyway. So from `GRID_FROM` boxes on, the picture is a grid we choose: the clusters in
rows (sorted by service, the shared kernel last), the boxes of a cluster in a compact block of
columns (sorted by name, so a package's modules stay together), held in place by invisible edges;
the real edges take no part in ranking (`constraint=false`) and are drawn as straight lines over
it. Clusters cannot overlap, the layout is predictable, and `dot` has almost nothing to solve.

Edges between a service and the shared kernel are numerous (every service uses the kernel, and an
application factory in it registers every service); drawn one by one they ran across every cluster
title between a service and the kernel. They are bundled: one grey arrow per service and direction,
from cluster border to cluster border (`compound`, `ltail`/`lhead`), its width by the summed
weight, the module pairs in its tooltip. An edge that closes a service cycle (vermillion) stays
drawn on its own.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.render import palette
from strangler.render.dot import FONT, _plural, _swatches, attrs, quote
from strangler.render.modulegraph import ModuleEdge, ModuleNode, ModuleView

#: Layout settings measured on Django (docs/graph.md): they bound the work of `dot`'s
#: network-simplex ranking and crossing minimisation, and drop spline routing.
MODULE_LAYOUT: dict[str, str | int | float] = {
    "rankdir": "LR",
    "newrank": "true",
    "splines": "line",
    "nslimit": 0.2,
    "nslimit1": 0.2,
    "mclimit": 0.1,
    "remincross": "false",
    "searchsize": 20,
    "outputorder": "edgesfirst",
}

#: From this many boxes on, the grid layout (module docstring).
GRID_FROM = 40
GRID_LAYOUT: dict[str, str | int | float] = {
    "rankdir": "TB",
    "splines": "line",
    "outputorder": "edgesfirst",
}
#: Bounding `dot`'s network simplex and crossing minimisation disturbs the grid (clusters of a row
#: overlap), so the grid uses them only past this many edges, where unbounded `dot` takes
#: tens of seconds (Django, 400 boxes, 2,379 edges: 50 s unbounded, 4–9 s bounded).
GRID_BOUNDED_FROM = 600
GRID_LIMITS: dict[str, str | int | float] = {
    "nslimit": 0.2,
    "nslimit1": 0.2,
    "mclimit": 0.1,
    "remincross": "false",
}
#: Module pairs named in the tooltip of a bundled kernel edge before "and N more".
BUNDLE_TOOLTIP_PAIRS = 8
#: Boxes are about four times wider than tall: a block of n boxes is square-ish with
#: sqrt(n / BOX_ASPECT) columns.
BOX_ASPECT = 4.0


def _module_node(node: ModuleNode, colour: palette.Swatch, dimmed: bool) -> str:
    if node.folded:
        label = f"{node.name}.*\n{_plural(node.members, 'module')} · {node.loc:,} lines"
    else:
        label = node.name
    return f"    {quote(node.key)} " + attrs(
        label=label,
        tooltip=f"{node.key} ({node.service}, {node.loc} lines)",
        fillcolor="white" if dimmed else colour.fill,
        color=colour.stroke,
        style="filled,bold" if node.folded else "filled",
    )


def _module_edge(edge: ModuleEdge, colour: palette.Swatch, to_kernel: bool, heaviest: int, grid: bool) -> str:
    # width grows with the weight (import and reference lines summed between folded boxes)
    boost = math.sqrt(edge.weight / heaviest) if heaviest else 0.0
    extra: dict[str, str | int] = (
        {"constraint": "false", "weight": 0} if grid else {"weight": 1 if edge.cross else 2}
    )
    if edge.cross:
        if edge.feedback:  # the service dependency to invert, as in the service view
            stroke, width = palette.CYCLE, 1.4 + 2.4 * boost
            extra["style"] = "bold"
        elif to_kernel:  # expected: every service uses the kernel
            stroke, width = palette.MUTED, 0.7 + 1.2 * boost
        else:
            stroke, width = colour.stroke, 1.0 + 2.4 * boost
        if edge.in_cycle and not edge.feedback:
            extra["arrowhead"] = "normalodot"  # the marker of a module cycle
    else:
        stroke = palette.FAINT
        width = 0.6 + 0.8 * boost
    return f"  {quote(edge.source)} -> {quote(edge.target)} " + attrs(
        tooltip=f"{edge.source} -> {edge.target}: {_plural(edge.weight, 'import/reference line')}",
        color=stroke,
        penwidth=round(width, 2),
        **extra,
    )


#: A bundle: (service, "in") for its edges into the kernel, (service, "out") for the kernel's into it.
Bundle = tuple[str, str]


def bundle_kernel_edges(
    view: ModuleView,
) -> tuple[tuple[ModuleEdge, ...], dict[Bundle, tuple[ModuleEdge, ...]]]:
    """The edges drawn one by one, and the edges between a service and the kernel bundled per
    service and direction.

    Bundled: cross-service edges into or out of a kernel box that do not close a service cycle.
    """
    service_of = {n.key: n.service for n in view.nodes}
    single: list[ModuleEdge] = []
    bundles: dict[Bundle, list[ModuleEdge]] = {}
    for edge in view.edges:
        source, target = service_of[edge.source], service_of[edge.target]
        if edge.feedback or source == target or SHARED_KERNEL not in (source, target):
            single.append(edge)
        elif target == SHARED_KERNEL:
            bundles.setdefault((source, "in"), []).append(edge)
        else:
            bundles.setdefault((target, "out"), []).append(edge)
    return tuple(single), {key: tuple(edges) for key, edges in sorted(bundles.items())}


def _bundle_edge(
    key: Bundle,
    edges: tuple[ModuleEdge, ...],
    clusters: dict[str, int],
    first: dict[str, str],
    heaviest: int,
    grid: bool,
) -> str:
    """One grey arrow between the cluster of a service and the kernel's, standing for `edges`."""
    service, direction = key
    weight = sum(e.weight for e in edges)
    boost = math.sqrt(min(weight, heaviest) / heaviest) if heaviest else 0.0
    grid_free: dict[str, str | int] = {"constraint": "false", "weight": 0} if grid else {}
    pairs = "; ".join(f"{e.source} -> {e.target}" for e in edges[:BUNDLE_TOOLTIP_PAIRS])
    more = len(edges) - BUNDLE_TOOLTIP_PAIRS
    if more > 0:
        pairs += f"; and {more:,} more"
    tail, head = (service, SHARED_KERNEL) if direction == "in" else (SHARED_KERNEL, service)
    what = f"{service} uses the shared kernel" if direction == "in" else f"the shared kernel uses {service}"
    return f"  {quote(first[tail])} -> {quote(first[head])} " + attrs(
        tooltip=f"{what}: {_plural(len(edges), 'module edge')}, "
        f"{_plural(weight, 'import/reference line')} ({pairs})",
        color=palette.MUTED,
        penwidth=round(0.8 + 2.4 * boost, 2),
        ltail=f"cluster_{clusters[tail]}",
        lhead=f"cluster_{clusters[head]}",
        **grid_free,
    )


def _heading(view: ModuleView, title: str) -> str:
    heading = title or "Modules by service"
    if view.focus:
        heading += f" — focus: {view.focus}"
    if view.folded:
        heading += f"\n{view.folded:,} of {view.modules:,} modules folded into packages"
    cross = sum(1 for e in view.edges if e.cross)
    cyclic = sum(1 for e in view.edges if e.cross and e.in_cycle)
    invert = sum(1 for e in view.edges if e.feedback)
    heading += f"\n{_plural(cross, 'cross-service edge')}, {cyclic:,} of them in a module cycle (o▶)"
    if invert:
        verb = "crosses" if invert == 1 else "cross"
        heading += f"; {invert:,} in vermillion {verb} a service dependency to invert"
    if any(bundle_kernel_edges(view)[1].values()):
        heading += "\nedges between a service and the shared kernel: one grey arrow per service and way"
    if view.hidden_edges:
        heading += (
            f"\n{view.hidden_edges:,} weaker edges not drawn (inside services and into the kernel first"
        )
        heading += f"; {view.hidden_cross:,} between services)" if view.hidden_cross else ")"
    return heading


def _grid_edges(view: ModuleView, by_service: dict[str, list[ModuleNode]]) -> list[str]:
    """Invisible edges that place each cluster's boxes in a block and the clusters in rows."""
    lines: list[str] = []
    tops: dict[str, list[str]] = {}
    bottoms: dict[str, list[str]] = {}
    for service, nodes in by_service.items():
        keys = [n.key for n in nodes]
        columns = max(1, round(math.sqrt(len(keys) / BOX_ASPECT)))
        lines += [f"  {quote(keys[i])} -> {quote(keys[i + columns])}" for i in range(len(keys) - columns)]
        tops[service] = keys[:columns]
        bottoms[service] = keys[-columns:]
    services = [s for s in view.services if s != SHARED_KERNEL]
    per_row = max(1, math.ceil(math.sqrt(len(services))))
    rows = [services[i : i + per_row] for i in range(0, len(services), per_row)]
    if SHARED_KERNEL in by_service:
        rows.append([SHARED_KERNEL])
    for upper, lower in itertools.pairwise(rows):
        for a in upper:
            for b in lower:
                lines.append(f"  {quote(bottoms[a][0])} -> {quote(tops[b][0])}")
    return lines


def module_dot(view: ModuleView, *, title: str = "") -> str:
    """DOT for the module view: one `cluster_` per service, cross-boundary edges strong."""
    colours = _swatches(view.services)
    grid = len(view.nodes) >= GRID_FROM
    lines = _preamble(view, title, grid)
    by_service: dict[str, list[ModuleNode]] = {}
    for node in view.nodes:
        by_service.setdefault(node.service, []).append(node)
    for index, service in enumerate(view.services):
        lines += _cluster(view, index, colours[service], by_service[service])
    if grid:
        lines.append("  edge [style=invis, weight=10];")
        lines += _grid_edges(view, by_service)
        lines.append("  edge [style=solid, weight=1];")
    lines += _edges(view, by_service, colours, grid)
    lines.append("}")
    return "\n".join(lines) + "\n"


def _preamble(view: ModuleView, title: str, grid: bool) -> list[str]:
    """The opening line and the graph, node and edge defaults (the layout by the view's size)."""
    layout = MODULE_LAYOUT
    if grid:
        layout = GRID_LAYOUT | (GRID_LIMITS if len(view.edges) >= GRID_BOUNDED_FROM else {})
    return [
        'digraph "strangler-modules" {',
        "  graph "
        + attrs(
            id="strangler-modules",
            **layout,
            fontname=FONT,
            fontsize=14,
            label=_heading(view, title),
            labelloc="t",
            labeljust="l",
            nodesep=0.15,
            ranksep=0.55 if grid else 0.6,
            pad=0.2,
            compound="true",
        )
        + ";",
        "  node " + attrs(shape="box", fontname=FONT, fontsize=9, height=0.25, margin="0.06,0.03") + ";",
        "  edge " + attrs(arrowsize=0.5) + ";",
    ]


def _cluster(view: ModuleView, index: int, colour: palette.Swatch, nodes: list[ModuleNode]) -> list[str]:
    """The `cluster_` subgraph of the `index`-th service, with its boxes."""
    service = view.services[index]
    dimmed = view.focus is not None and service != view.focus
    name = "shared kernel" if service == SHARED_KERNEL else service
    return [
        f"  subgraph {quote(f'cluster_{index}')} {{",
        "    graph "
        + attrs(
            id=f"strangler-modules-cluster{index}",  # (else each inherits the graph's id)
            label=name,
            fontsize=13,
            fontcolor=palette.INK,
            style="rounded,filled" + ("" if colour.pattern == "solid" else f",{colour.pattern}"),
            color=colour.stroke,
            fillcolor=palette.tint(colour.fill, 0.6),
            penwidth=1.0 if dimmed else 2.0,
        )
        + ";",
        *(_module_node(n, colour, dimmed) for n in nodes),
        "  }",
    ]


def _edges(
    view: ModuleView,
    by_service: dict[str, list[ModuleNode]],
    colours: Mapping[str, palette.Swatch],
    grid: bool,
) -> list[str]:
    """The edges drawn one by one, then the bundles between services and the kernel."""
    service_of = {n.key: n.service for n in view.nodes}
    heaviest = max((e.weight for e in view.edges), default=0)
    single, bundles = bundle_kernel_edges(view)
    lines = [
        _module_edge(e, colours[service_of[e.source]], service_of[e.target] == SHARED_KERNEL, heaviest, grid)
        for e in single
    ]
    clusters = {service: index for index, service in enumerate(view.services)}
    first = {service: nodes[0].key for service, nodes in by_service.items()}
    heaviest_bundle = max((sum(e.weight for e in edges) for edges in bundles.values()), default=0)
    lines += [
        _bundle_edge(key, edges, clusters, first, heaviest_bundle, grid) for key, edges in bundles.items()
    ]
    return lines
