"""The `strangler.plan/1` JSON document: the plan as data for other tools (sorted, stable)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from analyzers.model import Route
from strangler.plan.cycle_groups import WaveCycle, wave_cycles
from strangler.plan.extraction_plan import (
    CallSite,
    ExtractionPlan,
    Hazard,
    InterfaceOperation,
    TableUse,
    Wave,
)
from strangler.plan.markdown_text import DETAILS, SUMMARY, wave_files

SCHEMA = "strangler.plan/1"


def _route(route: Route) -> dict[str, Any]:
    return {
        "path": route.path,
        "methods": list(route.methods),
        "handler": route.handler,
        "module": route.module,
        "line": route.line,
        "framework": route.framework,
        "is_regex": route.is_regex,
    }


def _site(site: CallSite) -> dict[str, Any]:
    return {
        "path": site.path,
        "line": site.line,
        "caller": site.caller,
        "callee": site.callee,
        "kind": site.kind,
        "caller_service": site.caller_service,
    }


def _operation(op: InterfaceOperation) -> dict[str, Any]:
    return {
        "symbol": op.symbol,
        "service": op.service,
        "kind": op.symbol_kind,
        "signature": op.signature,
        "callers": list(op.callers),
        "call_sites": [_site(s) for s in op.call_sites],
    }


def _table(use: TableUse) -> dict[str, Any]:
    return {
        "table": use.table,
        "owner": use.owner,
        "readers": list(use.readers),
        "writers": list(use.writers),
        "recommendation": use.recommendation,
        "reason": use.reason,
        "foreign_read_sites": use.read_sites,
        "foreign_write_sites": use.write_sites,
    }


def _hazard(h: Hazard) -> dict[str, Any]:
    return {
        "kind": h.kind,
        "symbol": h.symbol,
        "path": h.path,
        "line": h.line,
        "detail": h.detail,
        "advice": h.advice,
    }


def _cycle_group(cycle: WaveCycle | None) -> dict[str, Any] | None:
    """An extension of `strangler.plan/1`: the wave's cycle, named, and its partners left."""
    if cycle is None:
        return None
    return {
        "label": cycle.group.label,
        "services": list(cycle.group.services),
        "monolith": cycle.group.monolith,
        "partners": list(cycle.partners),
        "partners_left": list(cycle.remaining),
    }


def _wave(wave: Wave, cycle: WaveCycle | None) -> dict[str, Any]:
    e = wave.entanglement
    return {
        "service": wave.service,
        "order": wave.order,
        "rationale": wave.rationale,
        "entanglement": {
            "inbound_call_sites": e.inbound_call_sites,
            "outbound_call_sites": e.outbound_call_sites,
            "shared_tables": e.shared_tables,
            "cycle_partners": e.cycle_partners,
            "loc": e.loc,
            "score": e.score,
        },
        "modules": list(wave.modules),
        "paths": list(wave.paths),
        "steps": [
            {
                "order": s.order,
                "kind": s.kind,
                "title": s.title,
                "detail": s.detail,
                "prerequisite": s.prerequisite,
            }
            for s in wave.steps
        ],
        "interface": [_operation(op) for op in wave.interface],
        "callbacks": [_operation(op) for op in wave.callbacks],
        "tables": [_table(t) for t in wave.tables],
        "hazards": [_hazard(h) for h in wave.hazards],
        "cycles": [
            {
                "cycle": list(c.cycle),
                "cut": {"source": c.cut_source, "target": c.cut_target, "call_sites": c.call_sites},
            }
            for c in wave.cycles
        ],
        "routes": [_route(r) for r in wave.routes],
        "cycle_group": _cycle_group(cycle),
    }


def to_document(
    plan: ExtractionPlan,
    proxy_files: Mapping[str, str] | None = None,
    services: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The plan as a JSON-ready dict. `proxy_files` are the paths (under the output dir) of the
    proxy configurations, grouped by phase; `services` maps a service to its skeleton directory."""
    phases: dict[str, list[str]] = {}
    for path in sorted(proxy_files or {}):
        name = path.rsplit("/", 1)[-1]
        phase = name.split(".", 1)[0]
        phases.setdefault(phase, []).append(path)
    cycles = wave_cycles(plan)
    return {
        "schema": SCHEMA,
        "root": plan.root,
        "weights": dict(plan.weights),
        "waves": [_wave(w, cycles.get(w.service)) for w in plan.waves],
        "shared_kernel": {"modules": list(plan.shared_kernel), "note": plan.kernel_note},
        "monolith_routes": [_route(r) for r in plan.monolith_routes],
        "notes": list(plan.notes),
        "proxy": phases,
        "services": dict(sorted((services or {}).items())),
        "markdown": {"summary": SUMMARY, "details": DETAILS, "waves": wave_files(plan)},
    }
