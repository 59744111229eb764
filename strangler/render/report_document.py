"""The JSON document the HTML report embeds (`strangler.graph-report/1`) and renders from.

Keys and lists are sorted, so two reports of the same code are the same bytes; `embed_json` makes
the text safe inside a `<script>` element.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from analyzers.model import Codebase
from strangler.boundaries.decomposition import SHARED_KERNEL, Decomposition, Service
from strangler.plan.extraction_plan import ExtractionPlan
from strangler.render import palette
from strangler.render.interactive import graph_document, wave_documents
from strangler.render.servicegraph import ServiceGraph

SCHEMA = "strangler.graph-report/1"


def _round(value: float) -> float:
    return round(value, 4)


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
            "modules": sorted(members.get(node.name, []), key=_by_name),
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


def _by_name(member: dict[str, Any]) -> str:
    return str(member["name"])
