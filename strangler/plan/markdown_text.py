"""What the Markdown files of a plan share: their names, what they are rendered from besides the
plan, and the escaping of values from the analyzed tree (one table cell, one line)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from analyzers.model import Route
from strangler.plan.extraction_plan import ExtractionPlan, Wave

SUMMARY = "plan.md"
DETAILS = "details.md"
WAVES_DIR = "waves"
#: Entries of the routing section shown on plan.md itself; with more it goes to details.md.
ROUTING_INLINE = 5


@dataclass(frozen=True, slots=True)
class MarkdownInputs:
    """What the Markdown shows besides the plan: the other files of the plan directory, the
    skeletons' stats, and the sections other stages render (skeleton sizes, routes held back)."""

    files: frozenset[str] = frozenset()  # every other file of the plan directory (proxy, services, …)
    skeletons: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # service → its stats
    skeleton_section: str = ""  # the sizes of every skeleton, as one Markdown section
    routing_section: str = ""  # the routes the proxy keeps on the monolith, as one Markdown section
    held_back: int = 0  # entries of routing_section

    def routing_on_summary(self) -> bool:
        """Whether plan.md shows the routing section itself (else details.md does)."""
        return bool(self.routing_section) and self.held_back <= ROUTING_INLINE


def wave_file(plan: ExtractionPlan, wave: Wave) -> str:
    """`waves/NN-<service>.md`, NN the order zero-padded to the width of the last wave's (2 at least)."""
    width = max(2, len(str(len(plan.waves))))
    return f"{WAVES_DIR}/{wave.order:0{width}d}-{wave.service}.md"


def wave_files(plan: ExtractionPlan) -> dict[str, str]:
    """Service → the path of its wave file."""
    return {w.service: wave_file(plan, w) for w in plan.waves}


def _printable(char: str) -> str:
    return char if char.isprintable() else char.encode("unicode_escape").decode("ascii")


def cell(text: str) -> str:
    """Text on one line that cannot end a Markdown table cell (other control characters escaped)."""
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if text.isprintable() else "".join(_printable(c) for c in text)


def route_line(route: Route) -> str:
    return f"- `{','.join(route.methods) or 'ANY'} {cell(route.path)}` → `{route.handler}`"


def plural(count: int, word: str, words: str = "") -> str:
    return f"{count} {word}" if count == 1 else f"{count} {words or word + 's'}"


def proxy_phases(paths: frozenset[str]) -> dict[int, list[str]]:
    """The nginx phase files (canaries included, server blocks not) by phase number."""
    by_phase: dict[int, list[str]] = {}
    for path in sorted(paths):
        name = path.rsplit("/", 1)[-1]
        if (
            path.startswith("proxy/nginx/")
            and name.startswith("phase-")
            and not name.endswith(".server.conf")
        ):
            number = int(name.split(".")[0].split("-")[1])
            by_phase.setdefault(number, []).append(path)
    return by_phase
