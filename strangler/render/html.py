"""The self-contained HTML report: the interactive service graph, the plan's waves, details per
service, search, the services and metrics tables, and the data.

One file that works offline: the graph library (vis-network, read from the installed `pyvis`
package, see `visjs`), the style and the script are inline; no fonts or scripts are fetched. The
data the page shows is embedded as JSON (`<script type="application/json" id="strangler-data">`,
schema `strangler.graph-report/1`) so other tools can read it back; the graph is drawn inside the
element with `id="graph"`. Without the library the page lists the services as boxes (same ids).
"""

from __future__ import annotations

import json
import math
from html import escape
from pathlib import PurePath
from typing import Any

from analyzers.model import Codebase
from strangler.decomposition import SHARED_KERNEL, Decomposition, Service
from strangler.plan.model import ExtractionPlan
from strangler.render import palette, visjs
from strangler.render.graph_script import GRAPH_SCRIPT, GRAPH_STYLE, TABLE_WEIGHT
from strangler.render.interactive import graph_document, wave_documents
from strangler.render.report_assets import SCRIPT, STYLE
from strangler.render.servicegraph import ServiceGraph

SCHEMA = "strangler.graph-report/1"
#: Where the metrics are explained at length (relative to the strangler repository).
METRICS_DOC = "docs/metrics.md"

#: One line per metric, and the section of docs/metrics.md that defines it.
METRIC_NOTES: dict[str, tuple[str, str]] = {
    "modularity": (
        "Newman modularity of the services over the coupling graph; higher is better (below 1).",
        "modularity",
    ),
    "icp": (
        "Inter-partition call percentage: the share of call sites that cross services; lower is better.",
        "icp-and-cross_service_call_sites",
    ),
    "sm": (
        "Structural modularity: cohesion inside services minus coupling between them; higher is better.",
        "sm--structural-modularity",
    ),
    "ifn": (
        "Interface number: operations a service must offer, on average; lower is better.",
        "ifn--interface-number",
    ),
    "ned": (
        "Non-extreme distribution: share of modules in services of 5 to 20 modules; higher is better.",
        "ned--non-extreme-distribution",
    ),
    "ned_relative": (
        "The same, with sizes from half to twice the mean service size: how even the services are.",
        "ned--non-extreme-distribution",
    ),
    "cross_service_call_sites": (
        "Call sites from one service into another: the calls that go over the network once cut.",
        "icp-and-cross_service_call_sites",
    ),
    "shared_tables": (
        "Tables that modules of two or more services read or write (the kernel is no service).",
        "shared_tables",
    ),
    "services": ("Services with at least one scored module.", "structure_metrics-keys"),
    "modules": (
        "Scored modules: in a service, not the shared kernel, not tests or migrations.",
        "scope-which-modules-count",
    ),
    "ari": (
        "Adjusted Rand index against the reference decomposition; 1 is identical.",
        "compareassignment-reference",
    ),
    "ami": (
        "Adjusted mutual information against the reference; 1 is identical.",
        "compareassignment-reference",
    ),
    "mojofm": (
        "MoJoFM against the reference: 1 is identical, 0 the farthest possible.",
        "compareassignment-reference",
    ),
}
#: Metrics that are counts: printed as whole numbers.
COUNT_METRICS = frozenset(
    {"cross_service_call_sites", "shared_tables", "services", "modules", "scored_modules"}
)


def _round(value: float) -> float:
    return round(value, 4)


def format_metric(name: str, value: float) -> str:
    """A metric as people write it: counts whole (`102`), ratios with two decimals (`0.66`)."""
    if name in COUNT_METRICS or (value == int(value) and abs(value) >= 2):
        return f"{round(value):,}"
    if abs(value) >= 10:
        return f"{value:,.1f}"
    return f"{value:.2f}"


def _members(codebase: Codebase, decomposition: Decomposition) -> dict[str, list[dict[str, Any]]]:
    loc = {m.name: m.loc for m in codebase.modules}
    paths = {m.name: m.path for m in codebase.modules}
    members: dict[str, list[dict[str, Any]]] = {}
    for a in decomposition.assignments:
        members.setdefault(a.service, []).append(
            {
                "name": a.module,
                "reason": a.reason,
                "confidence": _round(a.confidence),
                "pinned": a.pinned,
                "loc": loc.get(a.module, 0),
                "path": paths.get(a.module, ""),
            }
        )
    return members


def _uses(graph: ServiceGraph) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """Per service, the services it uses and the services using it, with the counts."""
    uses: dict[str, list[dict[str, Any]]] = {}
    used_by: dict[str, list[dict[str, Any]]] = {}
    for e in graph.edges:
        counts = {"call_sites": e.call_sites, "imports": e.imports, "in_cycle": e.in_cycle}
        uses.setdefault(e.source, []).append({"service": e.target, **counts})
        used_by.setdefault(e.target, []).append({"service": e.source, **counts})
    return uses, used_by


def _service_facts(service: Service | None) -> dict[str, Any]:
    """What the decomposition says of a service (nothing for the kernel)."""
    return {
        "routes": list(service.routes) if service else [],
        "tables": list(service.tables) if service else [],
        "shared_tables": [
            {"table": t.table, "services": list(t.services), "writers": list(t.writers)}
            for t in (service.shared_tables if service else ())
        ],
        "interface": [
            {"symbol": op.symbol, "call_sites": op.call_sites, "callers": list(op.callers)}
            for op in (service.interface if service else ())
        ],
        "cohesion": _round(service.cohesion) if service else None,
        "coupling": _round(service.coupling) if service else None,
    }


def _service_entries(
    codebase: Codebase, decomposition: Decomposition, graph: ServiceGraph
) -> list[dict[str, Any]]:
    colours = palette.swatches(tuple(s.name for s in decomposition.services))
    colours[SHARED_KERNEL] = palette.KERNEL
    members = _members(codebase, decomposition)
    uses, used_by = _uses(graph)
    by_name = {s.name: s for s in decomposition.services}
    return [
        {
            "name": node.name,
            "node_id": node.node_id,
            "kernel": node.kernel,
            "colour": colours[node.name].stroke,
            "fill": colours[node.name].fill,
            "pattern": colours[node.name].pattern,
            "loc": node.loc,
            "in_cycle": node.in_cycle,
            "modules": sorted(members.get(node.name, []), key=lambda m: str(m["name"])),
            "uses": uses.get(node.name, []),
            "used_by": used_by.get(node.name, []),
            **_service_facts(by_name.get(node.name)),
        }
        for node in graph.nodes
    ]


def report_data(
    codebase: Codebase, decomposition: Decomposition, graph: ServiceGraph, plan: ExtractionPlan | None = None
) -> dict[str, Any]:
    """The JSON document the page embeds and renders from; keys and lists sorted."""
    return {
        "schema": SCHEMA,
        "project": PurePath(codebase.root).name,
        "services": _service_entries(codebase, decomposition, graph),
        "shared_kernel": list(decomposition.shared_kernel),
        "assignments": {
            a.module: {"service": a.service, "reason": a.reason} for a in decomposition.assignments
        },
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                "call_sites": e.call_sites,
                "imports": e.imports,
                "in_cycle": e.in_cycle,
                "feedback": e.feedback,
                "wires": e.wires,
                "shared_tables": list(e.shared_tables),
            }
            for e in graph.edges
        ],
        "data_edges": [
            {"services": [d.a, d.b], "tables": list(d.tables), "drawn": d.drawn} for d in graph.data_edges
        ],
        "cycles": [list(c) for c in graph.cycles],
        "metrics": {name: _round(value) for name, value in decomposition.metrics},
        "notes": list(getattr(decomposition, "notes", ())),
        "graph": graph_document(codebase, decomposition, graph),
        "waves": wave_documents(codebase, decomposition, plan) if plan is not None else [],
        "palette": {"cycle": palette.CYCLE, "kernel": palette.KERNEL_STROKE, "data": palette.DATA},
    }


def embed_json(document: dict[str, Any]) -> str:
    """JSON safe inside a `<script>` element: `</` and `<!--` cannot end or confuse it."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("</", "<\\/")
        .replace("<!--", "<\\u0021--")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _metric_row(name: str, value: float) -> str:
    note, anchor = METRIC_NOTES.get(name, ("", ""))
    link = (
        f' <a class="doc" href="{METRICS_DOC}#{anchor}" title="{METRICS_DOC}, section {escape(anchor)}">'
        "more in docs/metrics.md</a>"
        if anchor
        else ""
    )
    return (
        f'<tr><th scope="row"><code>{escape(name)}</code></th>'
        f'<td class="num">{format_metric(name, value)}</td>'
        f"<td>{escape(note)}{link}</td></tr>"
    )


def _metrics_table(metrics: dict[str, float]) -> str:
    if not metrics:
        return '<p class="muted">No metrics in this decomposition.</p>'
    rows = "".join(_metric_row(name, value) for name, value in sorted(metrics.items()))
    return (
        '<table class="metrics"><thead><tr><th scope="col">Metric</th><th scope="col">Value</th>'
        f'<th scope="col">Meaning</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def _services_table(services: list[dict[str, Any]]) -> str:
    rows = []
    for s in services:
        name = "shared kernel" if s["kernel"] else s["name"]
        cycle = ' <span class="badge cycle">cycle</span>' if s["in_cycle"] else ""
        rows.append(
            f'<tr data-service="{escape(s["name"])}"><th scope="row">'
            f'<span class="dot" style="background:{s["colour"]}"></span>'
            f'<button type="button" class="link" data-service="{escape(s["name"])}">'
            f"{escape(name)}</button>{cycle}</th>"
            f'<td class="num">{len(s["modules"]):,}</td><td class="num">{s["loc"]:,}</td>'
            f'<td class="num">{len(s["routes"]):,}</td><td class="num">{len(s["tables"]):,}</td>'
            f'<td class="num">{len(s["interface"]):,}</td>'
            f'<td class="num">{_fmt(s["cohesion"])}</td><td class="num">{_fmt(s["coupling"])}</td></tr>'
        )
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in ("Service", "Modules", "Lines", "Routes", "Tables", "Operations", "Cohesion", "Coupling")
    )
    return f'<table class="services"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _waves_table(waves: list[dict[str, Any]]) -> str:
    if not waves:
        return '<p class="muted">No plan: every service stays in the monolith.</p>'
    rows = "".join(
        f'<tr data-wave="{w["order"]}"><td class="num">{w["order"]:,}</td>'
        f'<th scope="row">{escape(w["service"])}</th><td class="num">{w["modules"]:,}</td>'
        f'<td class="num">{len(w["routes"]):,}</td><td class="num">{w["routes_moved"]:,}</td>'
        f'<td class="num">{w["calls_into_monolith"]:,}</td><td class="num">{w["calls_from_monolith"]:,}</td>'
        f'<td class="why">{escape(w["rationale"])}</td></tr>'
        for w in waves
    )
    head = "".join(
        f'<th scope="col">{h}</th>'
        for h in (
            "Wave",
            "Extracts",
            "Modules",
            "Its routes",
            "Routes moved so far",
            "Calls into the monolith",
            "Calls from the monolith",
            "Why this position",
        )
    )
    return f'<table class="waves"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _fallback_cards(services: list[dict[str, Any]], reason: str) -> str:
    """Service boxes drawn in HTML when the graph library is missing (same ids as the data)."""
    cards = "".join(
        f'<div class="node card" id="{escape(s["node_id"])}" '
        f'style="border-color:{s["colour"]}"><strong>'
        f"{escape('shared kernel' if s['kernel'] else s['name'])}</strong>"
        f"<span>{len(s['modules']):,} modules · {s['loc']:,} lines</span></div>"
        for s in services
    )
    return f'<p class="muted">{escape(reason)}</p><div class="cards">{cards}</div>'


def _wave_options(waves: list[dict[str, Any]]) -> str:
    options = ['<option value="0">today: nothing extracted</option>']
    options += [
        f'<option value="{w["order"]}">after wave {w["order"]}: {escape(w["service"])} out</option>'
        for w in waves
    ]
    return "".join(options)


def _max_weight(data: dict[str, Any]) -> int:
    weights: list[float] = [
        (e["call_sites"] or e["imports"]) + TABLE_WEIGHT * len(e["shared_tables"]) for e in data["edges"]
    ]
    weights += [w for _, _, w in data["graph"]["module_edges"]]
    return math.ceil(max([1, *weights]))


def _toolbar(data: dict[str, Any]) -> str:
    waves = data["waves"]
    plan = (
        f'<label class="control">Plan <select id="wave">{_wave_options(waves)}</select></label>'
        if waves
        else ""
    )
    return f"""<div class="toolbar" role="toolbar" aria-label="Graph controls">
<span class="group"><button type="button" id="zoom-in" title="Zoom in" aria-label="Zoom in">+</button><button
type="button" id="zoom-out" title="Zoom out" aria-label="Zoom out">−</button><button type="button"
id="zoom-fit" title="Fit the whole graph on screen">Fit</button></span>
<button type="button" id="collapse-all" title="Close every expanded service">Collapse all</button>
<label class="control"><input type="checkbox" id="show-kernel" checked> Shared kernel</label>
<label class="control">Hide edges below <input type="range" id="min-weight" min="1" max="{_max_weight(data)}"
value="1" step="1"> <output id="min-weight-value" for="min-weight">1</output></label>
{plan}
</div>"""


LEGEND = f"""<ul class="legend" aria-label="Legend">
<li><span class="swatch box"></span>service: size grows with its lines of code; click to open it into its
modules</li>
<li><span class="swatch line"></span>A uses B: width grows with call sites (imports when none) and shared
tables</li>
<li><span class="swatch line cycle" style="border-color:{palette.CYCLE}"></span>closes a dependency cycle:
invert it first (no service has this colour)</li>
<li><span class="swatch line kernel" style="border-color:{palette.MUTED}"></span>uses the shared kernel</li>
<li><span class="swatch line wires" style="border-color:{palette.MUTED}"></span>wires it in (registers its
routes)</li>
<li><span class="swatch line data" style="border-color:{palette.DATA}"></span>both use the same tables, no
calls</li>
<li><span class="mark">↻</span> in a dependency cycle</li>
</ul>"""


def _picture(data: dict[str, Any], library: str | None) -> str:
    if library is None:
        return _fallback_cards(data["services"], visjs.MISSING_HINT)
    return f"""{_toolbar(data)}
<div id="graph-canvas" class="canvas" tabindex="0" aria-label="Service graph: drag to pan, wheel or pinch to
zoom"></div>
<p id="graph-info" class="readout" aria-live="polite">Hover a service or an arrow for its numbers; click a
service to open it into its modules (its title bar closes it again), click an arrow for its call sites.</p>
<div id="wave-info" class="wave-info" aria-live="polite"></div>
{LEGEND}
<noscript><p class="muted">The graph needs JavaScript; the tables below list the same data.</p></noscript>"""


def _scripts(data: dict[str, Any], library: str | None) -> str:
    parts = [f'<script type="application/json" id="strangler-data">{embed_json(data)}</script>']
    if library is not None:
        parts.append(f'<script id="graph-library">{library}</script>')
    parts.append(f"<script>{SCRIPT}</script>")
    if library is not None:
        parts.append(f"<script>{GRAPH_SCRIPT}</script>")
    return "\n".join(parts)


def report_html(
    codebase: Codebase,
    decomposition: Decomposition,
    graph: ServiceGraph,
    plan: ExtractionPlan | None = None,
    *,
    library: str | None = None,
) -> str:
    """The whole page. `library` is the graph library's script (`visjs.library_script()`); None
    lists the services instead of drawing them. `plan` feeds the wave selector."""
    data = report_data(codebase, decomposition, graph, plan)
    project = escape(data["project"] or "codebase")
    modules = len(decomposition.assignments)
    services = len(decomposition.services)
    summary = (
        f"{services:,} services · {modules:,} modules · "
        f"{len(decomposition.shared_kernel):,} in the shared kernel · "
        f"{len(graph.cycles):,} dependency cycle{'' if len(graph.cycles) == 1 else 's'}"
    )
    notes = "".join(f"<li>{escape(n)}</li>" for n in data["notes"])
    credit = (
        f"{visjs.LIBRARY} {visjs.VERSION} ({visjs.LICENCE})" if library is not None else "no graph library"
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="strangler">
<title>Services of {project} — strangler</title>
<style>{STYLE}{GRAPH_STYLE}</style>
</head>
<body>
<header class="top">
<h1>Services of <span class="project">{project}</span></h1>
<p class="summary">{escape(summary)}</p>
{f'<ul class="notes">{notes}</ul>' if notes else ""}
</header>
<main class="layout">
<section class="graph" id="graph" aria-label="Service dependency graph">
{_picture(data, library)}
</section>
<aside class="panel" aria-label="Details">
<div class="search">
<label for="search">Find a module</label>
<input id="search" type="search" placeholder="e.g. orders.views" autocomplete="off" spellcheck="false">
<ul id="matches" class="matches" role="listbox"></ul>
</div>
<div id="details" class="details" aria-live="polite">
<p class="muted">Click a service in the graph (or in the table below) to see its modules,
routes, tables, interface and why each module belongs to it; click an arrow for its call sites.</p>
</div>
</aside>
</main>
<section class="tables">
<h2>Extraction plan</h2>
{_waves_table(data["waves"])}
<h2>Services</h2>
{_services_table(data["services"])}
<h2>Metrics</h2>
{_metrics_table(data["metrics"])}
</section>
<footer>Generated by strangler from static analysis; graph drawn with {escape(credit)}. The data of
this page is in the <code>strangler-data</code> script element ({SCHEMA}).</footer>
{_scripts(data, library)}
</body>
</html>
"""
