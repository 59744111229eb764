"""How much of a service skeleton is the monolith's code, and how much strangler wrote.

Each skeleton carries `STRANGLER-STATS.json` (schema `strangler.skeleton-stats/1`): files and lines
moved (the service's own modules, as written in the skeleton), vendored (read-only copies of the
closure's other modules) and generated (clients, web app, internal API, project files, smoke test;
the README and the stats file itself are not counted), the god modules cut from the closure, the
subscriber modules left in the monolith, the dependencies and the notes about them. `plan` reads
them back with `read_stats` to show them per wave.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from strangler.skeleton.closure import Cut
from strangler.skeleton.escaping import md_code, one_line

SCHEMA = "strangler.skeleton-stats/1"
STATS_FILE = "STRANGLER-STATS.json"
#: Files of a skeleton that describe it rather than make it: not counted as generated.
DESCRIPTIONS = ("README.md", STATS_FILE)


@dataclass(frozen=True, slots=True)
class Part:
    files: int
    lines: int


@dataclass(frozen=True, slots=True)
class SkeletonStats:
    service: str
    package: str
    moved: Part
    vendored: Part
    generated: Part
    generated_python_lines: int
    cuts: tuple[Cut, ...] = ()
    left_out: tuple[str, ...] = ()
    dependencies: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # about the dependencies

    @property
    def python_lines(self) -> int:
        """Every Python line of the skeleton: moved, vendored and generated."""
        return self.moved.lines + self.vendored.lines + self.generated_python_lines


def _lines(text: str) -> int:
    return text.count("\n") + (1 if text and not text.endswith("\n") else 0)


def _part(files: Mapping[str, str], paths: Sequence[str]) -> Part:
    return Part(len(paths), sum(_lines(files[p]) for p in paths))


@dataclass(frozen=True, slots=True)
class StatsInputs:
    """What the stats of one skeleton are computed from besides its files."""

    service: str
    package: str
    moved_paths: frozenset[str]  # paths of the moved modules' files
    vendored_paths: frozenset[str]
    cuts: tuple[Cut, ...] = ()
    left_out: tuple[str, ...] = ()
    dependencies: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def skeleton_stats(files: Mapping[str, str], root: str, given: StatsInputs) -> SkeletonStats:
    """The stats of the skeleton under `root/` in `files` (its description files left out)."""
    own = sorted(p for p in files if p.startswith(f"{root}/") and p[len(root) + 1 :] not in DESCRIPTIONS)
    generated = [p for p in own if p not in given.moved_paths and p not in given.vendored_paths]
    return SkeletonStats(
        service=given.service,
        package=given.package,
        moved=_part(files, sorted(given.moved_paths & set(own))),
        vendored=_part(files, sorted(given.vendored_paths & set(own))),
        generated=_part(files, generated),
        generated_python_lines=sum(_lines(files[p]) for p in generated if p.endswith(".py")),
        cuts=given.cuts,
        left_out=given.left_out,
        dependencies=given.dependencies,
        notes=given.notes,
    )


def stats_document(stats: SkeletonStats) -> dict[str, object]:
    """The JSON document of STRANGLER-STATS.json."""
    return {
        "schema": SCHEMA,
        "service": stats.service,
        "package": stats.package,
        "moved": {"files": stats.moved.files, "lines": stats.moved.lines},
        "vendored": {"files": stats.vendored.files, "lines": stats.vendored.lines},
        "generated": {
            "files": stats.generated.files,
            "lines": stats.generated.lines,
            "python_lines": stats.generated_python_lines,
        },
        "python_lines": stats.python_lines,
        "cut": [
            {
                "module": c.module,
                "lines": c.lines,
                "percent": c.percent,
                "reached_from": list(c.reached_from),
                "hazard": c.hazard(),
            }
            for c in stats.cuts
        ],
        "left_in_monolith": list(stats.left_out),
        "dependencies": list(stats.dependencies),
        "dependency_notes": list(stats.notes),
    }


def stats_text(stats: SkeletonStats) -> str:
    """STRANGLER-STATS.json: sorted keys, strict JSON (values from the tree are JSON strings)."""
    return json.dumps(stats_document(stats), indent=2, sort_keys=True, ensure_ascii=True) + "\n"


def read_stats(files: Mapping[str, str], services_dir: str = "services") -> dict[str, dict[str, object]]:
    """Service name -> its stats document, from the files `generate_skeletons` returned."""
    found = {}
    for path, text in sorted(files.items()):
        parts = path.split("/")
        if len(parts) == 3 and parts[0] == services_dir and parts[2] == STATS_FILE:
            found[parts[1]] = json.loads(text)
    return found


def skeleton_markdown(documents: Mapping[str, Mapping[str, Any]]) -> str:
    """The plan.md section on what each skeleton holds: lines moved, vendored and generated, the god
    modules cut with their hazard, and the dependency notes (values from the tree as code spans)."""
    if not documents:
        return ""
    lines = [
        "## What each service skeleton holds",
        "",
        "| service | moved lines | vendored lines | generated lines | Python lines | cut |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for service, doc in sorted(documents.items()):
        cuts = doc.get("cut", [])
        lines.append(
            f"| {md_code(service)} | {doc['moved']['lines']} | {doc['vendored']['lines']} | "
            f"{doc['generated']['lines']} | {doc['python_lines']} | {len(cuts)} |"
        )
    for service, doc in sorted(documents.items()):
        notes = [f"- hazard: {one_line(str(cut['hazard']))}" for cut in doc.get("cut", [])]
        notes += [f"- {one_line(str(note))}" for note in doc.get("dependency_notes", [])]
        if notes:
            lines += ["", f"### {md_code(service)}", "", *notes]
    return "\n".join(lines) + "\n"
