"""The self-contained HTML report: the service graph, details per service, search, metrics, data.

One file that works offline: the SVG is inline, the style and script are inline, no fonts or
scripts are fetched. The same data the page shows is embedded as JSON
(`<script type="application/json" id="strangler-data">`, schema `strangler.graph-report/1`) so
other tools can read it back. Service boxes in the SVG carry the ids that the data names
(`node_id`), which is how a click on the picture finds its service.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import PurePath
from typing import Any

from analyzers.model import Codebase
from strangler.decomposition import SHARED_KERNEL, Decomposition
from strangler.render import palette
from strangler.render.report_assets import SCRIPT, STYLE
from strangler.render.servicegraph import ServiceGraph

SCHEMA = "strangler.graph-report/1"

METRIC_NOTES = {
    "modularity": "Newman modularity of the cut over the coupling graph; higher is better (0–1).",
    "icp": "Inter-partition call percentage: share of calls that cross services; lower is better.",
    "sm": "Structural modularity: cohesion within services minus coupling between them; higher is better.",
    "ifn": "Interface number: average operations each service must expose; lower is better.",
    "ned": "Non-extreme distribution: share of modules in services of reasonable size; higher is better.",
}


def _round(value: float) -> float:
    return round(value, 4)


def report_data(codebase: Codebase, decomposition: Decomposition, graph: ServiceGraph) -> dict[str, Any]:
    """The JSON document the page embeds and renders from; keys and lists sorted."""
    loc = {m.name: m.loc for m in codebase.modules}
    colours = palette.swatches(tuple(s.name for s in decomposition.services))
    colours[SHARED_KERNEL] = palette.KERNEL
    members: dict[str, list[dict[str, Any]]] = {}
    for a in decomposition.assignments:
        members.setdefault(a.service, []).append(
            {
                "name": a.module,
                "reason": a.reason,
                "confidence": _round(a.confidence),
                "pinned": a.pinned,
                "loc": loc.get(a.module, 0),
            }
        )
    uses: dict[str, list[dict[str, Any]]] = {}
    used_by: dict[str, list[dict[str, Any]]] = {}
    for e in graph.edges:
        counts = {"call_sites": e.call_sites, "imports": e.imports, "in_cycle": e.in_cycle}
        uses.setdefault(e.source, []).append({"service": e.target, **counts})
        used_by.setdefault(e.target, []).append({"service": e.source, **counts})
    by_name = {s.name: s for s in decomposition.services}
    services = []
    for node in graph.nodes:
        service = by_name.get(node.name)
        entry: dict[str, Any] = {
            "name": node.name,
            "node_id": node.node_id,
            "kernel": node.kernel,
            "colour": colours[node.name].stroke,
            "loc": node.loc,
            "in_cycle": node.in_cycle,
            "modules": sorted(members.get(node.name, []), key=lambda m: str(m["name"])),
            "uses": uses.get(node.name, []),
            "used_by": used_by.get(node.name, []),
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
        services.append(entry)
    return {
        "schema": SCHEMA,
        "project": PurePath(codebase.root).name,
        "services": services,
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
            }
            for e in graph.edges
        ],
        "data_edges": [{"services": [d.a, d.b], "tables": list(d.tables)} for d in graph.data_edges],
        "cycles": [list(c) for c in graph.cycles],
        "metrics": {name: _round(value) for name, value in decomposition.metrics},
        "notes": list(getattr(decomposition, "notes", ())),
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


def _metrics_table(metrics: dict[str, float]) -> str:
    if not metrics:
        return '<p class="muted">No metrics in this decomposition.</p>'
    rows = "".join(
        f'<tr><th scope="row">{escape(name)}</th><td class="num">{value:.3f}</td>'
        f"<td>{escape(METRIC_NOTES.get(name, ''))}</td></tr>"
        for name, value in sorted(metrics.items())
    )
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


def _fallback_cards(services: list[dict[str, Any]]) -> str:
    """Service boxes drawn in HTML when Graphviz is not installed (same ids as the SVG nodes)."""
    cards = "".join(
        f'<div class="node card" id="{escape(s["node_id"])}" '
        f'style="border-color:{s["colour"]}"><strong>'
        f"{escape('shared kernel' if s['kernel'] else s['name'])}</strong>"
        f"<span>{len(s['modules']):,} modules · {s['loc']:,} lines</span></div>"
        for s in services
    )
    return (
        '<p class="muted">Graphviz is not installed, so the graph is listed instead of drawn '
        "(install the <code>graphviz</code> package for the picture).</p>"
        f'<div class="cards">{cards}</div>'
    )


def report_html(
    codebase: Codebase, decomposition: Decomposition, graph: ServiceGraph, svg: str | None
) -> str:
    """The whole page. `svg` is the inline service graph, or None to list services instead."""
    data = report_data(codebase, decomposition, graph)
    project = escape(data["project"] or "codebase")
    modules = len(decomposition.assignments)
    services = len(decomposition.services)
    summary = (
        f"{services:,} services · {modules:,} modules · "
        f"{len(decomposition.shared_kernel):,} in the shared kernel · "
        f"{len(graph.cycles):,} dependency cycle{'' if len(graph.cycles) == 1 else 's'}"
    )
    notes = "".join(f"<li>{escape(n)}</li>" for n in data["notes"])
    picture = svg if svg is not None else _fallback_cards(data["services"])
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="strangler">
<title>Services of {project} — strangler</title>
<style>{STYLE}</style>
</head>
<body>
<header class="top">
<h1>Services of <span class="project">{project}</span></h1>
<p class="summary">{escape(summary)}</p>
{f'<ul class="notes">{notes}</ul>' if notes else ""}
</header>
<main class="layout">
<section class="graph" id="graph" aria-label="Service dependency graph">
{picture}
</section>
<aside class="panel" aria-label="Details">
<div class="search">
<label for="search">Find a module</label>
<input id="search" type="search" placeholder="e.g. orders.views" autocomplete="off" spellcheck="false">
<ul id="matches" class="matches" role="listbox"></ul>
</div>
<div id="details" class="details" aria-live="polite">
<p class="muted">Click a service in the graph (or in the table below) to see its modules,
routes, tables, interface and why each module belongs to it.</p>
</div>
</aside>
</main>
<section class="tables">
<h2>Services</h2>
{_services_table(data["services"])}
<h2>Metrics</h2>
{_metrics_table(data["metrics"])}
</section>
<footer>Generated by strangler from static analysis; the data of this page is in the
<code>strangler-data</code> script element ({SCHEMA}).</footer>
<script type="application/json" id="strangler-data">{embed_json(data)}</script>
<script>{SCRIPT}</script>
</body>
</html>
"""
