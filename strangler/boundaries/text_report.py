"""The text report of `strangler boundaries`: the verdict when the coupling shows no capability
structure, the capability packages and the modules moved away from them (what a person most needs to
review), the services table, the shared kernel with reasons, the uncertain assignments, and the
metrics of the proposal beside those of the references."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from strangler.boundaries.decomposition import Decomposition

#: Capability packages named in the report's first line (the rest are counted).
LISTED_PACKAGES = 12
#: Metrics shown in the text comparison table, in this order.
SHOWN_METRICS = ("modularity", "icp", "sm", "ifn", "ned", "cross_service_call_sites", "shared_tables")
#: Columns of the services table.
HEADER = ("service", "modules", "lines", "routes", "tables", "interface", "cohesion")
#: An assignment below this confidence (across seeds) is listed as uncertain.
UNCERTAIN = 0.6
#: At most this many uncertain assignments are listed.
UNCERTAIN_SHOWN = 10

#: Named columns of figures: (name, metric -> value).
Columns = Sequence[tuple[str, Mapping[str, float]]]


def render_text(
    decomposition: Decomposition,
    comparisons: Columns,
    agreement: Columns,
    left: Mapping[str, int] | None = None,
) -> str:
    """The human report: services table, shared kernel with reasons, metrics side by side, and
    `left` (role -> modules the graph left out, strangler.graph.coupling.left_out)."""
    lines = [
        *_verdict(decomposition),
        *_departures(decomposition),
        *_services_table(decomposition),
        "",
        *_kernel(decomposition),
        *_uncertain(decomposition),
        "",
        *_metrics_table(comparisons),
        *_agreement(agreement),
        *(f"note: {note}" for note in decomposition.notes),
        *_left_out(left or {}),
    ]
    return "\n".join(lines) + "\n"


def _verdict(decomposition: Decomposition) -> list[str]:
    verdict = decomposition.verdict
    if verdict is None or verdict.clear:
        return []
    return [f"cannot tell: {verdict.reason}; read the services below as a guess, not a cut", ""]


def _departures(decomposition: Decomposition) -> list[str]:
    packages = decomposition.capability_packages
    if not packages:
        return []
    more = len(packages) - LISTED_PACKAGES
    shown = ", ".join(packages[:LISTED_PACKAGES]) + (f" and {more} more" if more > 0 else "")
    moved = decomposition.departures
    return [
        f"capability packages ({len(packages)}): {shown}",
        f"departures ({len(moved)} modules moved away from their package):",
        *(f"  {d.module} -> {d.service}: {d.reason}" for d in moved),
        *([] if moved else ["  none: every module stays with its package"]),
        "",
    ]


def _services_table(decomposition: Decomposition) -> list[str]:
    rows = [
        (
            s.name + (" (library)" if s.library else ""),
            str(len(s.modules)),
            str(s.loc),
            str(len(s.routes)),
            str(len(s.tables)),
            str(len(s.interface)),
            f"{s.cohesion:.2f}",
        )
        for s in decomposition.services
    ]
    widths = [max(len(r[i]) for r in [HEADER, *rows]) for i in range(len(HEADER))]
    return [_row(row, widths) for row in [HEADER, *rows]]


def _row(row: Sequence[str], widths: Sequence[int]) -> str:
    cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
    return "  ".join(cells).rstrip()


def _kernel(decomposition: Decomposition) -> list[str]:
    reasons = {a.module: a.reason for a in decomposition.assignments}
    lines = [f"shared kernel ({len(decomposition.shared_kernel)} modules):"]
    return lines + [f"  {module}: {reasons.get(module, '')}" for module in decomposition.shared_kernel]


def _uncertain(decomposition: Decomposition) -> list[str]:
    low = [a for a in decomposition.assignments if a.confidence < UNCERTAIN and not a.pinned]
    if not low:
        return []
    lines = ["", f"uncertain assignments ({len(low)}, confidence < {UNCERTAIN} across seeds):"]
    return lines + [f"  {a.module} -> {a.service} ({a.confidence:.2f})" for a in low[:UNCERTAIN_SHOWN]]


def _metrics_table(comparisons: Columns) -> list[str]:
    width = max(len(m) for m in SHOWN_METRICS)
    lines = ["metric".ljust(width) + "".join(f"  {name:>12}" for name, _ in comparisons)]
    for metric in SHOWN_METRICS:
        values = "".join(f"  {_number(values.get(metric)):>12}" for _, values in comparisons)
        lines.append(metric.ljust(width) + values)
    return lines


def _number(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" if float(value).is_integer() and abs(value) >= 1 else f"{value:.3f}"


def _agreement(agreement: Columns) -> list[str]:
    lines = []
    for name, scores in agreement:
        text = ", ".join(f"{k} {scores[k]:.3f}" for k in ("ari", "ami", "mojofm") if k in scores)
        lines.append(f"agreement with {name}: {text}")
    return lines


def _left_out(left: Mapping[str, int]) -> list[str]:
    if not left:
        return []
    from strangler.graph.coupling import INCLUDE_HINT

    shown = ", ".join(f"{n} {role}" for role, n in left.items())
    return [f"left out of the graph: {shown} ({INCLUDE_HINT})"]
