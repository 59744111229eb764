"""plan.md: the extraction plan for people, readable on its own, with the numbers behind each choice."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath

from analyzers.model import Route
from strangler.plan.extraction_plan import ExtractionPlan, InterfaceOperation, Wave

#: Call sites listed per operation before "... and N more" (the JSON has them all).
SITES_SHOWN = 5

_TERMS = (
    ("call_site", "inbound call sites"),
    ("shared_table", "shared tables"),
    ("cycle", "services in a dependency cycle with it"),
    ("kloc", "thousands of lines that move"),
)
_RECOMMENDATION = {
    "owned": "moves with the service",
    "owner-api": "owner serves an API",
    "read-model": "replicate a read model",
    "shared-database": "shared database for a phase",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _operations(ops: tuple[InterfaceOperation, ...], heading: str, empty: str) -> list[str]:
    lines = [f"#### {heading}", ""]
    if not ops:
        return [*lines, empty, ""]
    for op in ops:
        sig = (
            f" `{_cell(op.signature)}`" if op.signature else f" ({op.symbol_kind})" if op.symbol_kind else ""
        )
        lines.append(
            f"- **`{op.symbol}`**{sig} — {len(op.call_sites)} call site(s) from {', '.join(op.callers)}"
        )
        for site in op.call_sites[:SITES_SHOWN]:
            lines.append(f"  - `{site.path}:{site.line}` in `{site.caller}` ({site.kind})")
        if len(op.call_sites) > SITES_SHOWN:
            lines.append(f"  - … and {len(op.call_sites) - SITES_SHOWN} more (see plan.json)")
    return [*lines, ""]


def _route_line(route: Route) -> str:
    return f"- `{','.join(route.methods) or 'ANY'} {_cell(route.path)}` → `{route.handler}`"


def _wave(wave: Wave, proxy: Mapping[int, list[str]]) -> list[str]:
    return [
        *_wave_head(wave),
        *_wave_steps(wave),
        *_wave_moves(wave, proxy.get(wave.order, [])),
        *_wave_interface(wave),
        *_wave_data(wave),
        *_wave_hazards(wave),
        "",
    ]


def _wave_head(wave: Wave) -> list[str]:
    e = wave.entanglement
    return [
        f"## Wave {wave.order}: {wave.service}",
        "",
        wave.rationale,
        "",
        "| inbound call sites | outbound call sites | shared tables | cycle partners | lines | score |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {e.inbound_call_sites} | {e.outbound_call_sites} | {e.shared_tables} | {e.cycle_partners} "
        f"| {e.loc} | {e.score:g} |",
        "",
    ]


def _wave_steps(wave: Wave) -> list[str]:
    lines = ["### Steps", ""]
    for step in wave.steps:
        tag = " *(prerequisite)*" if step.prerequisite else ""
        lines.append(f"{step.order}. **{_cell(step.title)}**{tag} — {_cell(step.detail)}")
    return lines


def _wave_moves(wave: Wave, files: list[str]) -> list[str]:
    """The modules and routes that move, and the proxy files that move the routes."""
    lines = ["", f"### Modules that move ({len(wave.modules)})", ""]
    lines += [f"- `{m}` ({p})" for m, p in zip(wave.modules, wave.paths)]
    lines += ["", f"### Routes that move ({len(wave.routes)})", ""]
    if wave.routes:
        lines += [_route_line(r) for r in wave.routes]
    else:
        lines.append("None: the service has no HTTP routes; only the interface calls reach it.")
    if files:
        lines += ["", "Proxy: " + ", ".join(f"`{f}`" for f in files)]
    return lines


def _wave_interface(wave: Wave) -> list[str]:
    return [
        "",
        "### Interface",
        "",
        *_operations(
            wave.interface, f"Operations {wave.service} must offer ({len(wave.interface)})", "None."
        ),
        *_operations(
            wave.callbacks,
            f"Calls {wave.service} makes back into the rest ({len(wave.callbacks)})",
            "None: the service needs nothing from the monolith but the shared kernel.",
        ),
    ]


def _wave_data(wave: Wave) -> list[str]:
    lines = ["### Data", ""]
    if not wave.tables:
        return [*lines, "The service touches no table."]
    lines += ["| table | owner | readers | writers | recommendation | why |", "|---|---|---|---|---|---|"]
    for t in wave.tables:
        lines.append(
            f"| `{t.table}` | {t.owner or '—'} | {', '.join(t.readers) or '—'} | "
            f"{', '.join(t.writers) or '—'} | {_RECOMMENDATION[t.recommendation]} | {_cell(t.reason)} |"
        )
    return lines


def _wave_hazards(wave: Wave) -> list[str]:
    lines = ["", f"### Hazards at the boundary ({len(wave.hazards)})", ""]
    if not wave.hazards:
        return [*lines, "None found."]
    for h in wave.hazards:
        lines.append(f"- **{h.kind}** `{h.path}:{h.line}` — {_cell(h.detail)}. *Do:* {_cell(h.advice)}.")
    return lines


def render(plan: ExtractionPlan, proxy_files: Mapping[str, str] | None = None) -> str:
    """The whole plan.md; `proxy_files` (paths under the output dir) are linked from their waves."""
    by_phase = _proxy_by_phase(proxy_files or {})
    lines = [*_order(plan), *_kernel(plan), *_monolith_routes(plan)]
    for wave in plan.waves:
        lines += _wave(wave, by_phase)
    return "\n".join(lines).rstrip("\n") + "\n"


def _proxy_by_phase(proxy_files: Mapping[str, str]) -> dict[int, list[str]]:
    """The nginx phase files (canaries included, server blocks not) by phase number."""
    by_phase: dict[int, list[str]] = {}
    for path in sorted(proxy_files):
        name = path.rsplit("/", 1)[-1]
        if (
            path.startswith("proxy/nginx/")
            and name.startswith("phase-")
            and not name.endswith(".server.conf")
        ):
            number = int(name.split(".")[0].split("-")[1])
            by_phase.setdefault(number, []).append(path)
    return by_phase


def _order(plan: ExtractionPlan) -> list[str]:
    """The title, the scoring formula and the table of waves."""
    weights = dict(plan.weights)
    lines = [
        "# Extraction plan",
        "",
        f"Generated by `strangler plan` for `{PurePosixPath(plan.root).name}`. Services leave the monolith "
        "one wave at a time, least entangled first, behind a strangler-fig proxy that moves their routes "
        "over.",
        "",
        "## Order of extraction",
        "",
        "Score = "
        + " + ".join(f"{weights[n]:g} × {label}" for n, label in _TERMS if n in weights)
        + ". Lower goes first.",
        "",
        "| wave | service | modules | lines | routes | inbound | outbound | shared tables "
        "| cycle partners | score | prerequisites |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    return lines + [_order_row(w) for w in plan.waves]


def _order_row(w: Wave) -> str:
    e = w.entanglement
    pre = sum(1 for s in w.steps if s.prerequisite)
    return (
        f"| {w.order} | [{w.service}](#wave-{w.order}-{w.service}) | {len(w.modules)} | {e.loc} | "
        f"{len(w.routes)} | {e.inbound_call_sites} | {e.outbound_call_sites} | {e.shared_tables} | "
        f"{e.cycle_partners} | {e.score:g} | {pre} |"
    )


def _kernel(plan: ExtractionPlan) -> list[str]:
    lines = [
        "",
        "Phase 0 of the proxy sends everything to the monolith; phase *k* sends the routes of waves "
        "1..*k* to their services. Each phase has canary variants that send a share of the wave's "
        "traffic to the new service (`proxy/nginx/phase-k.canary-W.conf`); roll back by loading the "
        "previous phase.",
        "",
        "## Shared kernel",
        "",
        plan.kernel_note,
        "",
    ]
    lines += [f"- `{m}`" for m in plan.shared_kernel]
    if plan.notes:
        lines += ["", "Findings to fix before the kernel can become a library:", ""]
        lines += [f"- {_cell(n)}" for n in plan.notes]
    return lines


def _monolith_routes(plan: ExtractionPlan) -> list[str]:
    lines = ["", f"## Routes that stay in the monolith ({len(plan.monolith_routes)})", ""]
    return [*lines, *(_route_line(r) for r in plan.monolith_routes), ""]
