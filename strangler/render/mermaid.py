"""Mermaid text of the service view, for Markdown (GitHub, GitLab and most wikis draw it inline).

`strangler graph PATH -o FILE.mmd`: a `flowchart LR` with one box per service (and the shared
kernel), the heaviest dependencies between them, and the same marks as the other views:
the dependencies that close a cycle are thick and vermillion (`==>`, a colour no service has),
shared tables without calls are dotted and undirected. A Markdown page cannot zoom, so the
picture is bounded: every cycle-closing dependency and then the heaviest others, up to
`MAX_EDGES`; service-to-kernel dependencies go into the boxes' labels (every service has one) and
wiring is left out. A comment line at the top says what was left out.

Every name passes through `text` (Mermaid entity codes, `#35;`-style, for anything but letters,
digits and plain punctuation), and node ids are `s1`, `s2`, … so no name can break the syntax.
"""

from __future__ import annotations

from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.render import palette
from strangler.render.servicegraph import ServiceEdge, ServiceGraph, ServiceNode

#: Dependencies drawn at most (cycle-closing ones always, then the heaviest).
MAX_EDGES = 30
#: Characters written as they are; every other one becomes a Mermaid entity code.
PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _.,:/()+-*·↻")


def text(value: str) -> str:
    """`value` safe inside a quoted Mermaid label: other characters as `#<code point>;`."""
    return "".join(ch if ch in PLAIN else f"#{ord(ch)};" for ch in value)


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _node_ids(graph: ServiceGraph) -> dict[str, str]:
    services = sorted(n.name for n in graph.nodes if not n.kernel)
    ids = {name: f"s{i}" for i, name in enumerate(services, start=1)}
    ids[SHARED_KERNEL] = "kernel"
    return ids


def _label(node: ServiceNode, kernel_calls: int) -> str:
    title = "shared kernel" if node.kernel else node.name
    lines = [text(title), text(f"{_plural(node.modules, 'module')} · {node.loc:,} lines")]
    if kernel_calls:
        lines.append(text(f"uses the kernel: {_plural(kernel_calls, 'call')}"))
    return "<br/>".join(lines)


def chosen_edges(graph: ServiceGraph) -> tuple[list[ServiceEdge], int]:
    """The dependencies drawn (cycle-closing first, then by weight) and how many were left out."""
    candidates = [
        e for e in graph.edges if not e.wires and not (e.target == SHARED_KERNEL and not e.feedback)
    ]
    candidates.sort(key=_drawing_order)
    budget = max(MAX_EDGES, sum(1 for e in candidates if e.feedback))
    return candidates[:budget], max(0, len(candidates) - budget)


def _edge_line(edge: ServiceEdge, ids: dict[str, str]) -> str:
    count = _plural(edge.call_sites, "call") if edge.call_sites else _plural(edge.imports, "import")
    if edge.shared_tables:
        count += f" · {_plural(len(edge.shared_tables), 'shared table')}"
    if edge.feedback:
        return f'  {ids[edge.source]} ==>|"{text(count + " · invert")}"| {ids[edge.target]}'
    mark = "↻ " if edge.in_cycle else ""
    return f'  {ids[edge.source]} -->|"{text(mark + count)}"| {ids[edge.target]}'


def _styles(graph: ServiceGraph, ids: dict[str, str]) -> list[str]:
    colours = palette.swatches(tuple(n.name for n in graph.nodes if not n.kernel))
    colours[SHARED_KERNEL] = palette.KERNEL
    lines = []
    for node in graph.nodes:
        swatch = colours[node.name]
        dash = ",stroke-dasharray:6 4" if swatch.pattern in ("dashed", "dotted") else ""
        width = "3px" if swatch.pattern == "bold" else "2px"
        lines.append(
            f"  style {ids[node.name]} fill:{swatch.fill},stroke:{swatch.stroke},"
            f"stroke-width:{width},color:{palette.INK}{dash}"
        )
    return lines


def _link_styles(graph: ServiceGraph, drawn: list[ServiceEdge], data_edges: int) -> list[str]:
    """Colour each drawn link (Mermaid numbers links in the order they are written)."""
    colours = palette.swatches(tuple(n.name for n in graph.nodes if not n.kernel))
    lines = []
    for index, edge in enumerate(drawn):
        if edge.feedback:
            lines.append(f"  linkStyle {index} stroke:{palette.CYCLE},stroke-width:4px,color:{palette.CYCLE}")
        else:
            colour = colours[edge.source].stroke if edge.source in colours else palette.KERNEL_STROKE
            lines.append(f"  linkStyle {index} stroke:{colour},stroke-width:2px")
    for index in range(len(drawn), len(drawn) + data_edges):
        lines.append(f"  linkStyle {index} stroke:{palette.DATA},stroke-width:1.5px,stroke-dasharray:3 4")
    return lines


def service_mermaid(graph: ServiceGraph, *, title: str = "") -> str:
    """Mermaid flowchart of the service view (module docstring)."""
    ids = _node_ids(graph)
    to_kernel = {
        e.source: e.weight for e in graph.edges if e.target == SHARED_KERNEL and not (e.feedback or e.wires)
    }
    drawn, left_out = chosen_edges(graph)
    data = [d for d in graph.data_edges if d.drawn][: max(0, MAX_EDGES - len(drawn))]
    services = sum(1 for n in graph.nodes if not n.kernel)
    comment = f"%% {text(title or 'Services')}: {_plural(services, 'service')}"
    comment += f"; {len(drawn):,} heaviest dependencies drawn, {left_out:,} lighter ones and wiring left out"
    lines = [comment, "flowchart LR"]
    lines += [f'  {ids[n.name]}["{_label(n, to_kernel.get(n.name, 0))}"]' for n in graph.nodes]
    lines += [_edge_line(e, ids) for e in drawn]
    lines += [f'  {ids[d.a]} -.-|"{text("tables: " + ", ".join(d.tables))}"| {ids[d.b]}' for d in data]
    lines += _styles(graph, ids)
    lines += _link_styles(graph, drawn, len(data))
    return "\n".join(lines) + "\n"


def _drawing_order(edge: ServiceEdge) -> tuple[bool, int, str, str]:
    """Cycle-closing edges first, then the heaviest, then by name."""
    return not edge.feedback, -edge.weight, edge.source, edge.target
