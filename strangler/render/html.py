"""The self-contained HTML report: the interactive service graph, the plan's waves, details per
service, search, the services and metrics tables, and the data.

One file that works offline: the graph library (vis-network, read from the installed `pyvis`
package, see `visjs`), the style and the script are inline; no fonts or scripts are fetched. The
data the page shows is embedded as JSON (`<script type="application/json" id="strangler-data">`,
schema `strangler.graph-report/1`) so other tools can read it back; the graph is drawn inside the
element with `id="graph"`. Without the library the page lists the services as boxes (same ids).
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

from analyzers.model import Codebase
from strangler.boundaries.decomposition import Decomposition
from strangler.plan.extraction_plan import ExtractionPlan
from strangler.render import palette, visjs
from strangler.render.graph_script import GRAPH_SCRIPT, GRAPH_STYLE, TABLE_WEIGHT
from strangler.render.report_assets import SCRIPT, STYLE
from strangler.render.report_document import SCHEMA, embed_json, report_data
from strangler.render.report_tables import (
    COUNT_METRICS,
    METRIC_NOTES,
    METRICS_DOC,
    format_metric,
    metrics_table,
    services_table,
    waves_table,
)
from strangler.render.servicegraph import ServiceGraph

__all__ = [
    "COUNT_METRICS",
    "METRICS_DOC",
    "METRIC_NOTES",
    "SCHEMA",
    "embed_json",
    "format_metric",
    "report_data",
    "report_html",
]


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
{_header(project, _summary(decomposition, graph), data["notes"])}
<main class="layout">
<section class="graph" id="graph" aria-label="Service dependency graph">
{_picture(data, library)}
</section>
{PANEL}
</main>
{_tables(data)}
{_footer(library)}
{_scripts(data, library)}
</body>
</html>
"""


#: The side panel: module search and the details of what is clicked.
PANEL = """<aside class="panel" aria-label="Details">
<div class="search">
<label for="search">Find a module</label>
<input id="search" type="search" placeholder="e.g. orders.views" autocomplete="off" spellcheck="false">
<ul id="matches" class="matches" role="listbox"></ul>
</div>
<div id="details" class="details" aria-live="polite">
<p class="muted">Click a service in the graph (or in the table below) to see its modules,
routes, tables, interface and why each module belongs to it; click an arrow for its call sites.</p>
</div>
</aside>"""


def _summary(decomposition: Decomposition, graph: ServiceGraph) -> str:
    cycles = len(graph.cycles)
    return (
        f"{len(decomposition.services):,} services · {len(decomposition.assignments):,} modules · "
        f"{len(decomposition.shared_kernel):,} in the shared kernel · "
        f"{cycles:,} dependency cycle{'' if cycles == 1 else 's'}"
    )


def _header(project: str, summary: str, notes: list[str]) -> str:
    """The title, the summary line and the decomposition's notes (an empty line when none)."""
    items = "".join(f"<li>{escape(n)}</li>" for n in notes)
    return f"""<header class="top">
<h1>Services of <span class="project">{project}</span></h1>
<p class="summary">{escape(summary)}</p>
{f'<ul class="notes">{items}</ul>' if items else ""}
</header>"""


def _tables(data: dict[str, Any]) -> str:
    return f"""<section class="tables">
<h2>Extraction plan</h2>
{waves_table(data["waves"])}
<h2>Services</h2>
{services_table(data["services"])}
<h2>Metrics</h2>
{metrics_table(data["metrics"])}
</section>"""


def _footer(library: str | None) -> str:
    credit = (
        f"{visjs.LIBRARY} {visjs.VERSION} ({visjs.LICENCE})" if library is not None else "no graph library"
    )
    return (
        f"<footer>Generated by strangler from static analysis; graph drawn with {escape(credit)}. "
        "The data of\nthis page is in the <code>strangler-data</code> script element "
        f"({SCHEMA}).</footer>"
    )
