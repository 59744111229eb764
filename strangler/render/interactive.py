"""The data of the report's interactive graph: where each service and module goes, which modules
use which, every call site across a boundary, and what each wave of the plan moves.

All of it lands in the report's embedded JSON (`strangler.graph-report/1`, extended): the page's
script only reads it, so the picture is decided here, deterministically, and tests can check it
without a browser.

- services: a box each, sized by lines of code (`service_box`), placed by `layout.layout_boxes`
  from their call sites and imports;
- modules: per service a block of boxes (`layout.grid_block`) the page puts in the service's place
  when it is expanded; labels drop the prefix the service's modules share;
- `module_edges`: import and reference lines per module pair (as the module view counts them);
- `sites`: every reference (and import line) whose two modules belong to different services, the
  kernel counting as one, with its file and line: what a click on an edge lists;
- `waves`: from `strangler.plan.make_plan`, the services extracted after each wave, the routes
  moved so far, and the call sites still crossing between the extracted services and the rest.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from analyzers.model import Codebase, Route
from strangler.boundaries.decomposition import SHARED_KERNEL, Decomposition
from strangler.plan.extraction_plan import CallSite, ExtractionPlan
from strangler.plan.interface import cross_call_sites, owners
from strangler.render import placement as layout
from strangler.render.modulegraph import module_edges
from strangler.render.servicegraph import ServiceGraph, ServiceNode

#: Label font of a service box and of a module box, in px of the graph's own coordinates.
SERVICE_FONT = 16
MODULE_FONT = 14
#: Box margin (px) on each side of the text.
MARGIN = 10
#: Service boxes grow with the square root of their share of the largest service's lines.
MIN_SERVICE = (100.0, 46.0)
MAX_SERVICE = (220.0, 90.0)
#: Module labels longer than this keep their end, after an ellipsis.
MODULE_LABEL_CHARS = 40


def kernel_title(name: str) -> str:
    return "shared kernel" if name == SHARED_KERNEL else name


CYCLE_MARK = "↻"


def short_count(value: int) -> str:
    """A count in few characters: 950, 3.4k, 33k."""
    if value < 1000:
        return f"{value:,}"
    if value < 10_000:
        return f"{value / 1000:.1f}k"
    return f"{round(value / 1000):,}k"


def service_lines(node: ServiceNode) -> list[str]:
    """The text of a service box: its name (with the cycle mark), then its lines of code. Short,
    so thirty services still fit on a screen at a readable size; the rest is on hover."""
    name = kernel_title(node.name) + (f" {CYCLE_MARK}" if node.in_cycle else "")
    return [name, f"{short_count(node.loc)} lines"]


def service_box(node: ServiceNode, largest: int) -> layout.Box:
    """The box of a service: as large as its label, and larger the more lines of code it has."""
    text_w, text_h = layout.text_size(service_lines(node), SERVICE_FONT, MARGIN)
    scale = math.sqrt(node.loc / largest) if largest else 0.0
    width = MIN_SERVICE[0] + (MAX_SERVICE[0] - MIN_SERVICE[0]) * scale
    height = MIN_SERVICE[1] + (MAX_SERVICE[1] - MIN_SERVICE[1]) * scale
    return layout.Box(node.name, round(max(width, text_w), 1), round(max(height, text_h), 1))


def common_prefix(names: Sequence[str]) -> str:
    """The dotted package prefix all `names` share ("" if none), e.g. "shop.orders." ."""
    if not names:
        return ""
    parts = [n.split(".") for n in names]
    shared: list[str] = []
    for column in zip(*parts):
        if len(set(column)) != 1:
            break
        shared.append(column[0])
    if shared and any(len(p) == len(shared) for p in parts):
        shared = shared[:-1]  # a module that is the prefix itself keeps a label
    return ".".join(shared) + "." if shared else ""


def module_label(name: str, prefix: str) -> str:
    """`name` without the service's shared prefix, at most MODULE_LABEL_CHARS characters."""
    label = name[len(prefix) :] if prefix and name.startswith(prefix) else name
    if len(label) > MODULE_LABEL_CHARS:
        label = "…" + label[-(MODULE_LABEL_CHARS - 1) :]
    return label


MODULE_MARGIN = 7


def module_block(names: Sequence[str]) -> tuple[dict[str, str], dict[str, layout.Point], list[float]]:
    """Labels, offsets from the block's centre, and the block's [width, height, box width, box
    height] for a service's modules (every box of a block as wide as its longest label)."""
    prefix = common_prefix(names)
    labels = {n: module_label(n, prefix) for n in names}
    widths = [(n, layout.text_size([labels[n]], MODULE_FONT, MODULE_MARGIN)[0]) for n in sorted(names)]
    row_height = layout.text_size(["x"], MODULE_FONT, MODULE_MARGIN)[1]
    offsets, size = layout.grid_block(widths, row_height)
    box_width = max((w for _, w in widths), default=0.0)
    return labels, offsets, [size[0], size[1], box_width, row_height]


def service_weights(graph: ServiceGraph) -> dict[tuple[str, str], float]:
    """Coupling weight per service pair for the layout: call sites (or imports), and shared tables."""
    weights: dict[tuple[str, str], float] = defaultdict(float)
    for edge in graph.edges:
        weights[(edge.source, edge.target)] += edge.weight * (0.3 if edge.wires else 1.0)
    for data in graph.data_edges:
        weights[(data.a, data.b)] += 2.0 * len(data.tables)
    return dict(weights)


def crossing_sites(codebase: Codebase, owner: Mapping[str, str]) -> list[tuple[str, int, str, str]]:
    """(source module, line, target module, symbol) of every reference across two services (the
    kernel counting as one), and of every import line across them with symbol "import"."""
    found: set[tuple[str, int, str, str]] = set()
    for ref in codebase.references:
        a, b = owner.get(ref.source), owner.get(ref.target)
        if a is not None and b is not None and a != b:
            found.add((ref.source, ref.line, ref.target, ref.symbol or "(module)"))
    for imp in codebase.imports:
        a, b = owner.get(imp.source), owner.get(imp.target)
        if a is not None and b is not None and a != b:
            found.add((imp.source, imp.line, imp.target, "import"))
    return sorted(found)


def _service_layout(graph: ServiceGraph) -> dict[str, dict[str, Any]]:
    """Centre, size and label of every service box, placed by their coupling."""
    largest = max((n.loc for n in graph.nodes), default=0)
    boxes = {n.name: service_box(n, largest) for n in graph.nodes}
    positions = layout.layout_boxes(list(boxes.values()), service_weights(graph))
    return {
        n.name: {
            "x": positions[n.name][0],
            "y": positions[n.name][1],
            "w": boxes[n.name].width,
            "h": boxes[n.name].height,
            "label": "\n".join(service_lines(n)),
        }
        for n in graph.nodes
    }


def _module_rows(
    codebase: Codebase, owner: Mapping[str, str]
) -> tuple[list[list[Any]], dict[str, list[float]]]:
    """A row per module (sorted by name, see FIELDS) and the block of every service."""
    names = sorted(owner)
    members: dict[str, list[str]] = defaultdict(list)
    for name in names:
        members[owner[name]].append(name)
    paths = {m.name: m.path for m in codebase.modules}
    loc = {m.name: m.loc for m in codebase.modules}
    rows: dict[str, list[Any]] = {}
    blocks: dict[str, list[float]] = {}
    for service, inside in sorted(members.items()):
        labels, offsets, blocks[service] = module_block(inside)
        for name in inside:
            dx, dy = offsets[name]
            rows[name] = [name, service, labels[name], loc.get(name, 0), paths.get(name, ""), dx, dy]
    return [rows[name] for name in names], blocks


#: The columns of the compact rows of `graph_document` (written into the document too).
FIELDS = {
    "modules": ["name", "service", "label", "loc", "path", "dx", "dy"],
    "blocks": ["width", "height", "box_width", "box_height"],
    "module_edges": ["source", "target", "lines"],
    "sites": ["source", "line", "target", "symbol"],
}


def graph_document(codebase: Codebase, decomposition: Decomposition, graph: ServiceGraph) -> dict[str, Any]:
    """The `graph` object of the report data: layout, module blocks, module edges and call sites.
    Modules are referred to by their index in `modules` (sorted by name)."""
    owner = decomposition.service_of()
    modules, blocks = _module_rows(codebase, owner)
    index = {row[0]: i for i, row in enumerate(modules)}
    edges = sorted(
        [index[a], index[b], w] for (a, b), w in module_edges(codebase).items() if a in index and b in index
    )
    sites = [[index[s], line, index[t], symbol] for s, line, t, symbol in crossing_sites(codebase, owner)]
    return {
        "fields": FIELDS,
        "services": _service_layout(graph),
        "blocks": blocks,
        "modules": modules,
        "module_edges": edges,
        "sites": sites,
        "fonts": {"service": SERVICE_FONT, "module": MODULE_FONT},
        "margins": {"service": MARGIN, "module": MODULE_MARGIN},
    }


def route_text(route: Route) -> str:
    """A route as `METHODS path` (`*` when any method)."""
    return f"{','.join(route.methods) or '*'} {route.path}"


def _crossing_counts(sites: Iterable[CallSite], extracted: frozenset[str]) -> tuple[int, int]:
    """Call sites from extracted services into the rest, and from the rest into extracted ones."""
    into = out_of = 0
    for site in sites:
        caller_out = site.caller_service in extracted
        callee_out = site.callee_service in extracted
        if caller_out and not callee_out:
            into += 1
        elif callee_out and not caller_out:
            out_of += 1
    return into, out_of


def wave_documents(
    codebase: Codebase, decomposition: Decomposition, plan: ExtractionPlan
) -> list[dict[str, Any]]:
    """Per wave K: the service it extracts, the services out after it, the routes moved so far,
    and the cross-boundary call sites left (the plan's own counting: kernel and tests left out)."""
    sites = cross_call_sites(codebase, owners(codebase, decomposition))
    documents: list[dict[str, Any]] = []
    extracted: list[str] = []
    moved = 0
    for wave in plan.waves:
        extracted.append(wave.service)
        moved += len(wave.routes)
        into, out_of = _crossing_counts(sites, frozenset(extracted))
        documents.append(
            {
                "order": wave.order,
                "service": wave.service,
                "modules": len(wave.modules),
                "routes": [route_text(r) for r in wave.routes],
                "rationale": wave.rationale,
                "extracted": list(extracted),
                "routes_moved": moved,
                "calls_into_monolith": into,
                "calls_from_monolith": out_of,
            }
        )
    return documents
