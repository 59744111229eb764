"""One wave's file, `waves/NN-<service>.md`: the numbers behind its place, its steps, what moves
(modules, routes, proxy files), its interface with every call site, its data, its hazards and its
skeleton's size; linked to plan.md and to the waves before and after it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from strangler.plan.cycle_groups import WaveCycle
from strangler.plan.extraction_plan import ExtractionPlan, InterfaceOperation, Wave
from strangler.plan.markdown_text import (
    SUMMARY,
    MarkdownInputs,
    cell,
    plural,
    proxy_phases,
    route_line,
    wave_file,
)

#: Call sites listed per operation before "... and N more" (the JSON has them all).
SITES_SHOWN = 5

_RECOMMENDATION = {
    "owned": "moves with the service",
    "owner-api": "owner serves an API",
    "read-model": "replicate a read model",
    "shared-database": "shared database for a phase",
}


@dataclass(frozen=True, slots=True)
class WavePage:
    """A wave, where it sits in the plan, and what its file shows besides the wave itself."""

    plan: ExtractionPlan
    wave: Wave
    cycle: WaveCycle | None
    inputs: MarkdownInputs


def render_wave(page: WavePage) -> str:
    """The whole file of one wave."""
    wave = page.wave
    proxy = proxy_phases(page.inputs.files).get(wave.order, [])
    lines = [
        *_head(page),
        *_steps(wave),
        *_moves(wave, proxy),
        *_interface(wave),
        *_data(wave),
        *_hazards(wave),
        *_skeleton(wave.service, page.inputs),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


def _neighbour(plan: ExtractionPlan, order: int, arrow: str) -> list[str]:
    if not 1 <= order <= len(plan.waves):
        return []
    other = plan.waves[order - 1]
    name = f"wave {other.order}: {other.service}"
    text = f"← {name}" if arrow == "previous" else f"{name} →"
    return [f"{arrow}: [{text}]({wave_file(plan, other).rsplit('/', 1)[1]})"]


def _head(page: WavePage) -> list[str]:
    wave, e = page.wave, page.wave.entanglement
    links = [
        f"[↑ plan]({'../' + SUMMARY})",
        *_neighbour(page.plan, wave.order - 1, "previous"),
        *_neighbour(page.plan, wave.order + 1, "next"),
    ]
    left = len(page.cycle.remaining) if page.cycle else 0
    return [
        f"# Wave {wave.order}: {wave.service}",
        "",
        " · ".join(links),
        "",
        wave.rationale,
        "",
        "| inbound call sites | outbound call sites | shared tables | cycle partners | partners left "
        "| lines | score |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {e.inbound_call_sites} | {e.outbound_call_sites} | {e.shared_tables} | {e.cycle_partners} "
        f"| {left} | {e.loc} | {e.score:g} |",
        "",
        *_cycle(wave, page.cycle),
    ]


def _cycle(wave: Wave, cycle: WaveCycle | None) -> list[str]:
    if cycle is None:
        return ["Not in a dependency cycle with another service.", ""]
    group = cycle.group
    members = ", ".join(group.services) + (" and the monolith" if group.monolith else "")
    still = f" ({', '.join(cycle.remaining)})" if cycle.remaining else ""
    gone = len(cycle.partners) - len(cycle.remaining)
    earlier = f"; {gone} already left in earlier waves" if gone else ""
    verb = "is" if len(cycle.remaining) == 1 else "are"
    return [
        f"In {group.describe()}: {members} call each other in a loop. When {wave.service} leaves, "
        f"{plural(len(cycle.remaining), 'cycle partner')} of {len(cycle.partners)} {verb} still in "
        f"the monolith{still}{earlier}.",
        "",
    ]


def _steps(wave: Wave) -> list[str]:
    lines = ["## Steps", ""]
    for step in wave.steps:
        tag = " *(prerequisite)*" if step.prerequisite else ""
        lines.append(f"{step.order}. **{cell(step.title)}**{tag} — {cell(step.detail)}")
    return lines


def _moves(wave: Wave, proxy: list[str]) -> list[str]:
    """The modules and routes that move, and the proxy files that move the routes."""
    lines = ["", f"## Modules that move ({len(wave.modules)})", ""]
    lines += [f"- `{m}` ({p})" for m, p in zip(wave.modules, wave.paths)]
    lines += ["", f"## Routes that move ({len(wave.routes)})", ""]
    if wave.routes:
        lines += [route_line(r) for r in wave.routes]
    else:
        lines.append("None: the service has no HTTP routes; only the interface calls reach it.")
    if proxy:
        lines += ["", "Proxy: " + ", ".join(f"`{f}`" for f in proxy)]
    return lines


def _operations(ops: tuple[InterfaceOperation, ...], heading: str, empty: str) -> list[str]:
    lines = [f"### {heading}", ""]
    if not ops:
        return [*lines, empty, ""]
    for op in ops:
        sig = f" `{cell(op.signature)}`" if op.signature else f" ({op.symbol_kind})" if op.symbol_kind else ""
        lines.append(
            f"- **`{op.symbol}`**{sig} — {len(op.call_sites)} call site(s) from {', '.join(op.callers)}"
        )
        for site in op.call_sites[:SITES_SHOWN]:
            lines.append(f"  - `{site.path}:{site.line}` in `{site.caller}` ({site.kind})")
        if len(op.call_sites) > SITES_SHOWN:
            lines.append(f"  - … and {len(op.call_sites) - SITES_SHOWN} more (see plan.json)")
    return [*lines, ""]


def _interface(wave: Wave) -> list[str]:
    return [
        "",
        "## Interface",
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


def _data(wave: Wave) -> list[str]:
    lines = ["## Data", ""]
    if not wave.tables:
        return [*lines, "The service touches no table."]
    lines += ["| table | owner | readers | writers | recommendation | why |", "|---|---|---|---|---|---|"]
    for t in wave.tables:
        lines.append(
            f"| `{t.table}` | {t.owner or '—'} | {', '.join(t.readers) or '—'} | "
            f"{', '.join(t.writers) or '—'} | {_RECOMMENDATION[t.recommendation]} | {cell(t.reason)} |"
        )
    return lines


def _hazards(wave: Wave) -> list[str]:
    lines = ["", f"## Hazards at the boundary ({len(wave.hazards)})", ""]
    if not wave.hazards:
        return [*lines, "None found."]
    for h in wave.hazards:
        lines.append(f"- **{h.kind}** `{h.path}:{h.line}` — {cell(h.detail)}. *Do:* {cell(h.advice)}.")
    return lines


def _skeleton(service: str, inputs: MarkdownInputs) -> list[str]:
    """The size of the wave's service skeleton and its notes, when skeletons were generated."""
    doc = inputs.skeletons.get(service)
    if doc is None:
        return []
    readme = f"services/{service}/README.md"
    where = f"[`services/{service}/`](../{readme})" if readme in inputs.files else f"`services/{service}/`"
    return [
        "",
        "## Service skeleton",
        "",
        f"{where} holds the moved code, read-only copies of what it still imports (vendored) and what "
        "strangler generated (clients, web app, internal API, project files, smoke test).",
        "",
        "| moved lines | vendored lines | generated lines | Python lines | cut |",
        "|---:|---:|---:|---:|---:|",
        f"| {doc['moved']['lines']} | {doc['vendored']['lines']} | {doc['generated']['lines']} | "
        f"{doc['python_lines']} | {len(doc.get('cut', []))} |",
        *_skeleton_notes(doc),
    ]


def _skeleton_notes(doc: Mapping[str, Any]) -> list[str]:
    notes = [f"- hazard: {cell(str(cut['hazard']))}" for cut in doc.get("cut", [])]
    notes += [f"- {cell(str(note))}" for note in doc.get("dependency_notes", [])]
    return ["", *notes] if notes else []
