"""DOT text for the service and module views, built from sorted data so runs are byte-identical.

Every identifier and label goes through `quote` (DOT strings) or `html_text` (Graphviz HTML-like
labels), so module names, service names and table names with quotes, backslashes, newlines or
`<&>` cannot break the file. The module view is in `moduledot`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.render import palette
from strangler.render.servicegraph import DataEdge, ServiceEdge, ServiceGraph, ServiceNode

FONT = "Helvetica"
MAX_TABLES_IN_LABEL = 3
MAX_DATA_LABELS = 4
#: Smallest font size of the service view, in points: 11 pt is 14.7 px at 100 % zoom (1 pt = 4/3 px
#: in SVG and in Graphviz's 96 dpi PNG), so every label reads without zooming in.
SMALL_FONT = 11


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
    lines = "".join(f'<br/><font point-size="{SMALL_FONT}">{html_text(f)}</font>' for f in facts)
    return Html(f'<<font point-size="15"><b>{html_text(title)}</b></font>{lines}>')


def _service_node(node: ServiceNode, colour: palette.Swatch, largest: int, kernel_calls: int) -> str:
    scale = math.sqrt(node.loc / largest) if largest else 0.0
    style = "rounded,filled" + ("" if colour.pattern == "solid" else f",{colour.pattern}")
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


CYCLE_MARK = "↻"  # on cycle edges that are not the ones to invert


def _service_edge(edge: ServiceEdge, colour: palette.Swatch, heaviest: int) -> str:
    weight = edge.weight
    if edge.wires:
        label = ""  # the dashed style and the legend say it; the tooltip keeps the counts
    elif edge.call_sites:
        label = _plural(edge.call_sites, "call")
    else:
        label = _plural(edge.imports, "import")
    if edge.shared_tables:
        label += f" · {_plural(len(edge.shared_tables), 'shared table')}"
    extra: dict[str, str | int | float] = {}
    if edge.feedback:
        stroke, style, fontcolor = palette.CYCLE, "bold", palette.CYCLE
    elif edge.wires:
        stroke, style, fontcolor = palette.MUTED, "dashed", palette.MUTED
        extra = {"arrowhead": "empty"}
    else:
        stroke, style, fontcolor = colour.stroke, "solid", palette.INK
        if edge.in_cycle:
            label = f"{CYCLE_MARK} {label}"
    if edge.wires:
        width = 1.0
    else:
        width = 1.0 + 3.0 * math.sqrt(weight / heaviest) if heaviest else 1.0
    tables = f"; shared tables: {', '.join(edge.shared_tables)}" if edge.shared_tables else ""
    if edge.feedback:
        note = " (the dependency to invert to break a cycle)"
    elif edge.in_cycle:
        note = " (in a dependency cycle)"
    elif edge.wires:
        note = " (wiring only: registers its blueprint/router or imports it for side effects)"
    else:
        note = ""
    return f"  {quote(edge.source)} -> {quote(edge.target)} " + attrs(
        id=f"edge-{edge.source}-{edge.target}",
        label=label,
        tooltip=f"{edge.source} uses {edge.target}: "
        f"{_plural(edge.call_sites, 'call site')}, {_plural(edge.imports, 'import')}{tables}{note}",
        color=stroke,
        fontcolor=fontcolor,
        style=style,
        penwidth=round(width + (1.0 if edge.feedback else 0.0), 2),
        weight=0 if edge.wires else max(1, min(weight, 100)),
        **extra,
    )


def _table_list(tables: tuple[str, ...]) -> str:
    shown = ", ".join(tables[:MAX_TABLES_IN_LABEL])
    more = len(tables) - MAX_TABLES_IN_LABEL
    return f"{shown} +{more}" if more > 0 else shown


def _row(sample: str, text: str) -> str:
    """One row of the legend: a sample of the drawing, and what it means."""
    return f'<tr><td align="center">{sample}</td><td align="left">{html_text(text)}</td></tr>'


def _legend(kernel: bool, cycles: bool, data: bool, wires: bool = False) -> str:
    rows = [
        _row(f'<font color="{palette.SERVICE_HUES[0]}">■</font>', "service (size: lines of code)"),
        _row(f'<font color="{palette.SERVICE_HUES[0]}">──▶</font>', "A uses B (call sites)"),
    ]
    if kernel:
        rows.append(_row(f'<font color="{palette.KERNEL_STROKE}">■</font>', "shared kernel"))
    if cycles:
        rows.append(
            _row(f'<font color="{palette.CYCLE}"><b>━━▶</b></font>', "closes a cycle: invert it first")
        )
        rows.append(_row(f"{CYCLE_MARK} 2 calls", "in a cycle, kept as it is"))
    if wires:
        rows.append(
            _row(
                f'<font color="{palette.MUTED}">- - ▷</font>',
                "wires it in (registers its routes, imports it for side effects)",
            )
        )
    if data:
        rows.append(_row(f'<font color="{palette.DATA}">- - -</font>', "tables used by both, no calls"))
    table = Html(
        '<<table border="0" cellborder="0" cellspacing="2" cellpadding="2">'
        '<tr><td colspan="2" align="left"><b>Legend</b></td></tr>' + "".join(rows) + "</table>>"
    )
    return "  legend " + attrs(
        id="legend", label=table, shape="box", style="rounded", color=palette.FAINT, fontsize=SMALL_FONT
    )


def service_dot(graph: ServiceGraph, *, title: str = "") -> str:
    """DOT for the service view: one box per service and the kernel, code and data edges."""
    colours = _swatches(n.name for n in graph.nodes)
    largest = max((n.loc for n in graph.nodes), default=0)
    heaviest = max((e.weight for e in graph.edges if e.target != SHARED_KERNEL), default=0)
    lines = _preamble(_heading(graph, title))
    # Every service uses the kernel: those edges go into the labels instead of across the picture
    # (a kernel that uses a service closes a cycle, and stays drawn).
    to_kernel = {
        e.source: e.weight for e in graph.edges if e.target == SHARED_KERNEL and not (e.feedback or e.wires)
    }
    lines += [_service_node(n, colours[n.name], largest, to_kernel.get(n.name, 0)) for n in graph.nodes]
    lines += [
        _service_edge(e, colours[e.source], heaviest)
        for e in graph.edges
        if not (e.target == SHARED_KERNEL and e.source in to_kernel)
    ]
    drawn = [d for d in graph.data_edges if d.drawn]
    # labels only while few: beyond that they crowd the picture (tooltips keep them)
    lines += [_data_edge(data, len(drawn) <= MAX_DATA_LABELS) for data in drawn]
    kernel = any(n.kernel for n in graph.nodes)
    lines.append(_legend(kernel, bool(graph.cycles), bool(drawn), any(e.wires for e in graph.edges)))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _heading(graph: ServiceGraph, title: str) -> str:
    """The title, and when there are cycles, what inverting the marked dependencies breaks."""
    heading = title or "Services"
    if graph.cycles:
        closing = sum(1 for e in graph.edges if e.feedback)
        caught = sum(len(c) for c in graph.cycles)
        heading += (
            f"\n{caught} services depend on each other in {_plural(len(graph.cycles), 'cycle')} "
            f"({CYCLE_MARK}); "
            f"inverting the {closing} {'dependency' if closing == 1 else 'dependencies'} in vermillion "
            f"breaks {'it' if len(graph.cycles) == 1 else 'them'}"
        )
    return heading


def _preamble(heading: str) -> list[str]:
    """The opening line and the graph, node and edge defaults."""
    return [
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
        "  edge " + attrs(fontname=FONT, fontsize=SMALL_FONT, arrowsize=0.8) + ";",
    ]


def _data_edge(data: DataEdge, labelled: bool) -> str:
    return f"  {quote(data.a)} -> {quote(data.b)} " + attrs(
        id=f"data-{data.a}-{data.b}",
        label=f"tables: {_table_list(data.tables)}" if labelled else "",
        tooltip=f"{data.a} and {data.b} both use: {', '.join(data.tables)}",
        dir="none",
        style="dashed",
        color=palette.DATA,
        fontcolor=palette.DATA,
        weight=0,
    )
