"""The tables of the HTML report, as HTML text: the plan's waves, the services, the metrics.

Every name from the analyzed code is escaped; each metric links to the section of docs/metrics.md
that defines it.
"""

from __future__ import annotations

from html import escape
from typing import Any

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


def format_metric(name: str, value: float) -> str:
    """A metric as people write it: counts whole (`102`), ratios with two decimals (`0.66`)."""
    if name in COUNT_METRICS or (value == int(value) and abs(value) >= 2):
        return f"{round(value):,}"
    if abs(value) >= 10:
        return f"{value:,.1f}"
    return f"{value:.2f}"


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


def metrics_table(metrics: dict[str, float]) -> str:
    if not metrics:
        return '<p class="muted">No metrics in this decomposition.</p>'
    rows = "".join(_metric_row(name, value) for name, value in sorted(metrics.items()))
    return (
        '<table class="metrics"><thead><tr><th scope="col">Metric</th><th scope="col">Value</th>'
        f'<th scope="col">Meaning</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def services_table(services: list[dict[str, Any]]) -> str:
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


def waves_table(waves: list[dict[str, Any]]) -> str:
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
