"""DOT text for the service and module views, built from sorted data so runs are byte-identical.

Every identifier and label goes through `quote` (DOT strings) or `html_text` (Graphviz HTML-like
labels), so module names, service names and table names with quotes, backslashes, newlines or
`<&>` cannot break the file. Layout settings for the module view keep `dot` fast on large graphs
(see docs/graph.md for the measurements): no edge splines, bounded network-simplex and mincross
iterations, and no second crossing pass over clusters.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from strangler.decomposition import SHARED_KERNEL
from strangler.render import palette
from strangler.render.modulegraph import ModuleEdge, ModuleNode, ModuleView
from strangler.render.servicegraph import ServiceEdge, ServiceGraph, ServiceNode

FONT = "Helvetica"
MAX_TABLES_IN_LABEL = 3
MAX_DATA_LABELS = 4


def quote(text: str) -> str:
    """A DOT double-quoted string holding `text` literally.

    Backslashes are doubled so `\\N`/`\\l` escapes cannot take effect, and `&` becomes `&amp;`
    because Graphviz decodes HTML entities even in plain labels and tooltips.
    """
    escaped = (
        text.replace("&", "&amp;")
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\r", "")
        .replace("\n", "\\n")
    )
    return f'"{escaped}"'


def html_text(text: str) -> str:
    """`text` escaped for a Graphviz HTML-like label; newlines become line breaks."""
    escaped = (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
        .replace("\r", "")
    )
    return escaped.replace("\n", "<br/>")


class Html(str):
    """A Graphviz HTML-like label, already escaped and wrapped in `<...>`: written unquoted."""

    __slots__ = ()


def attrs(**values: str | int | float) -> str:
    """`[k=v, ...]` in the given order; strings quoted (`Html` as is), numbers written plainly."""
    parts = []
    for key, value in values.items():
        if isinstance(value, Html):
            rendered = str(value)
        elif isinstance(value, str):
            rendered = quote(value)
        elif isinstance(value, float):
            rendered = f"{value:.2f}"
        else:
            rendered = str(value)
        parts.append(f"{key}={rendered}")
    return "[" + ", ".join(parts) + "]"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _swatches(names: Iterable[str]) -> dict[str, palette.Swatch]:
    services = tuple(sorted(n for n in set(names) if n != SHARED_KERNEL))
    colours = palette.swatches(services)
    colours[SHARED_KERNEL] = palette.KERNEL
    return colours


# ---------------------------------------------------------------- service level


def _service_label(node: ServiceNode, kernel_calls: int) -> Html:
    facts = [f"{_plural(node.modules, 'module')} · {node.loc:,} lines"]
    extra = []
    if node.routes:
        extra.append(_plural(node.routes, "route"))
    if node.tables:
        extra.append(_plural(node.tables, "table"))
    if node.shared_tables:
        extra.append(f"{node.shared_tables:,} shared")
    if extra:
        facts.append(" · ".join(extra))
    if kernel_calls:
        facts.append(f"uses the kernel: {_plural(kernel_calls, 'call')}")
    title = "shared kernel" if node.kernel else node.name
    lines = "".join(f'<br/><font point-size="10">{html_text(f)}</font>' for f in facts)
    return Html(f'<<font point-size="15"><b>{html_text(title)}</b></font>{lines}>')


def _service_node(node: ServiceNode, colour: palette.Swatch, largest: int, kernel_calls: int) -> str:
    scale = math.sqrt(node.loc / largest) if largest else 0.0
    style = "rounded,filled,dashed" if node.kernel else "rounded,filled"
    return f"  {quote(node.name)} " + attrs(
        id=node.node_id,
        label=_service_label(node, kernel_calls),
        tooltip=f"{node.name}: {node.modules} modules, {node.loc} lines",
        style=style,
        fillcolor=colour.fill,
        color=colour.stroke,
        penwidth=1.8,
        width=round(1.8 + 1.8 * scale, 2),
        height=round(0.7 + 0.9 * scale, 2),
    )


def _service_edge(edge: ServiceEdge, colour: palette.Swatch, heaviest: int) -> str:
    weight = edge.weight
    if edge.call_sites:
        label = _plural(edge.call_sites, "call")
    else:
        label = _plural(edge.imports, "import")
    if edge.shared_tables:
        label += f" · {_plural(len(edge.shared_tables), 'shared table')}"
    if edge.feedback:
        stroke, style = palette.CYCLE, "bold"
    else:
        stroke, style = colour.stroke, "solid"
    width = 1.0 + 3.0 * math.sqrt(weight / heaviest) if heaviest else 1.0
    tables = f"; shared tables: {', '.join(edge.shared_tables)}" if edge.shared_tables else ""
    return f"  {quote(edge.source)} -> {quote(edge.target)} " + attrs(
        id=f"edge-{edge.source}-{edge.target}",
        label=label,
        tooltip=f"{edge.source} uses {edge.target}: "
        f"{_plural(edge.call_sites, 'call site')}, {_plural(edge.imports, 'import')}{tables}"
        + (" (closes a dependency cycle)" if edge.feedback else ""),
        color=stroke,
        fontcolor=palette.CYCLE if edge.feedback else palette.INK,
        style=style,
        penwidth=round(width + (1.0 if edge.feedback else 0.0), 2),
        weight=max(1, min(weight, 100)),
    )


def _table_list(tables: tuple[str, ...]) -> str:
    shown = ", ".join(tables[:MAX_TABLES_IN_LABEL])
    more = len(tables) - MAX_TABLES_IN_LABEL
    return f"{shown} +{more}" if more > 0 else shown


def _legend(kernel: bool, cycles: bool, data: bool) -> str:
    def row(sample: str, text: str) -> str:
        return f'<tr><td align="center">{sample}</td><td align="left">{html_text(text)}</td></tr>'

    rows = [
        row(f'<font color="{palette.SERVICE_HUES[0]}">■</font>', "service (size: lines of code)"),
        row(f'<font color="{palette.SERVICE_HUES[0]}">──▶</font>', "A uses B (call sites)"),
    ]
    if kernel:
        rows.append(row(f'<font color="{palette.KERNEL_STROKE}">■</font>', "shared kernel"))
    if cycles:
        rows.append(
            row(f'<font color="{palette.CYCLE}"><b>━━▶</b></font>', "closes a cycle: invert it first")
        )
    if data:
        rows.append(row(f'<font color="{palette.DATA}">- - -</font>', "tables used by both, no calls"))
    table = Html(
        '<<table border="0" cellborder="0" cellspacing="2" cellpadding="2">'
        '<tr><td colspan="2" align="left"><b>Legend</b></td></tr>' + "".join(rows) + "</table>>"
    )
    return "  legend " + attrs(
        id="legend", label=table, shape="box", style="rounded", color=palette.FAINT, fontsize=10
    )


def service_dot(graph: ServiceGraph, *, title: str = "") -> str:
    """DOT for the service view: one box per service and the kernel, code and data edges."""
    colours = _swatches(n.name for n in graph.nodes)
    largest = max((n.loc for n in graph.nodes), default=0)
    heaviest = max((e.weight for e in graph.edges if e.target != SHARED_KERNEL), default=0)
    heading = title or "Services"
    if graph.cycles:
        closing = sum(1 for e in graph.edges if e.feedback)
        caught = sum(len(c) for c in graph.cycles)
        heading += (
            f"\n{caught} services depend on each other in {_plural(len(graph.cycles), 'cycle')}; "
            f"{closing} {'dependency' if closing == 1 else 'dependencies'} in vermillion "
            f"close{'s' if closing == 1 else ''} them"
        )
    lines = [
        'digraph "strangler-services" {',
        "  graph "
        + attrs(
            id="strangler-services",
            rankdir="LR",
            newrank="true",
            fontname=FONT,
            fontsize=16,
            fontcolor=palette.INK,
            label=heading,
            labelloc="t",
            labeljust="l",
            nodesep=0.6,
            ranksep=1.1,
            pad=0.3,
            bgcolor="white",
        )
        + ";",
        "  node " + attrs(shape="box", fontname=FONT, fontcolor=palette.INK, margin="0.2,0.1") + ";",
        "  edge " + attrs(fontname=FONT, fontsize=10, arrowsize=0.8) + ";",
    ]
    # Every service uses the kernel: those edges go into the labels instead of across the picture
    # (a kernel that uses a service closes a cycle, and stays drawn).
    to_kernel = {e.source: e.weight for e in graph.edges if e.target == SHARED_KERNEL and not e.feedback}
    lines += [_service_node(n, colours[n.name], largest, to_kernel.get(n.name, 0)) for n in graph.nodes]
    lines += [
        _service_edge(e, colours[e.source], heaviest)
        for e in graph.edges
        if not (e.target == SHARED_KERNEL and e.source in to_kernel)
    ]
    drawn = [d for d in graph.data_edges if d.drawn]
    for data in drawn:
        lines.append(
            f"  {quote(data.a)} -> {quote(data.b)} "
            + attrs(
                id=f"data-{data.a}-{data.b}",
                # labels only while few: beyond that they crowd the picture (tooltips keep them)
                label=f"tables: {_table_list(data.tables)}" if len(drawn) <= MAX_DATA_LABELS else "",
                tooltip=f"{data.a} and {data.b} both use: {', '.join(data.tables)}",
                dir="none",
                style="dashed",
                color=palette.DATA,
                fontcolor=palette.DATA,
                constraint="false",
            )
        )
    kernel = any(n.kernel for n in graph.nodes)
    lines.append(_legend(kernel, bool(graph.cycles), bool(drawn)))
    lines.append("}")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------- module level

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


def _module_edge(edge: ModuleEdge, colour: palette.Swatch, to_kernel: bool) -> str:
    if edge.cross:
        if edge.in_cycle:
            stroke, width = palette.CYCLE, 2.4
        elif to_kernel:  # expected: every service uses the kernel
            stroke, width = palette.MUTED, 0.9
        else:
            stroke, width = colour.stroke, 1.4
        extra = {"style": "bold"} if edge.in_cycle else {}
    else:
        stroke = palette.tint(palette.CYCLE, 0.5) if edge.in_cycle else palette.FAINT
        width = 0.6
        extra = {}
    return f"  {quote(edge.source)} -> {quote(edge.target)} " + attrs(
        color=stroke, penwidth=width, weight=1 if edge.cross else 2, **extra
    )


def module_dot(view: ModuleView, *, title: str = "") -> str:
    """DOT for the module view: one `cluster_` per service, cross-boundary edges strong."""
    colours = _swatches(view.services)
    heading = title or "Modules by service"
    if view.focus:
        heading += f" — focus: {view.focus}"
    if view.folded:
        heading += f"\n{view.folded:,} of {view.modules:,} modules folded into packages"
    cross = sum(1 for e in view.edges if e.cross)
    cyclic = sum(1 for e in view.edges if e.cross and e.in_cycle)
    heading += f"\n{cross:,} cross-service edges, {cyclic:,} of them in a dependency cycle"
    lines = [
        'digraph "strangler-modules" {',
        "  graph "
        + attrs(
            id="strangler-modules",
            **MODULE_LAYOUT,
            fontname=FONT,
            fontsize=14,
            label=heading,
            labelloc="t",
            labeljust="l",
            nodesep=0.15,
            ranksep=0.6,
            pad=0.2,
        )
        + ";",
        "  node " + attrs(shape="box", fontname=FONT, fontsize=9, height=0.25, margin="0.06,0.03") + ";",
        "  edge " + attrs(arrowsize=0.5) + ";",
    ]
    by_service: dict[str, list[ModuleNode]] = {}
    for node in view.nodes:
        by_service.setdefault(node.service, []).append(node)
    for index, service in enumerate(view.services):
        colour = colours[service]
        dimmed = view.focus is not None and service != view.focus
        name = "shared kernel" if service == SHARED_KERNEL else service
        lines.append(f"  subgraph {quote(f'cluster_{index}')} {{")
        lines.append(
            "    graph "
            + attrs(
                label=name,
                fontsize=13,
                fontcolor=palette.INK,
                style="rounded,filled" + (",dashed" if service == SHARED_KERNEL else ""),
                color=colour.stroke,
                fillcolor=palette.tint(colour.fill, 0.6),
                penwidth=1.0 if dimmed else 2.0,
            )
            + ";"
        )
        lines += [_module_node(n, colour, dimmed) for n in by_service[service]]
        lines.append("  }")
    service_of = {n.key: n.service for n in view.nodes}
    lines += [
        _module_edge(e, colours[service_of[e.source]], service_of[e.target] == SHARED_KERNEL)
        for e in view.edges
    ]
    lines.append("}")
    return "\n".join(lines) + "\n"
