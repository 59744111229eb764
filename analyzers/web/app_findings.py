"""What resolving Flask and FastAPI routes has to say: diagnostics, and the causes of unknown prefixes.

A route under a prefix that cannot be read is listed under `UNKNOWN_PREFIX` with its cause; each
cause becomes one diagnostic, at the place the cause is written (where the owner is created, the
call binding a parameter) or else at its first route, naming the routes and how to make the prefix
readable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from analyzers.model import UNKNOWN_PREFIX, Diagnostic

Place = tuple[str, int]  # (file, line)


@dataclass(frozen=True, slots=True, order=True)
class RouteUnder:
    """A route listed under an unknown prefix: where it is declared, and how the diagnostic names it."""

    path: str
    line: int
    text: str


class Findings:
    """The diagnostics of a resolution, and the routes under each unknown prefix by cause."""

    def __init__(self, paths: Mapping[str, str]) -> None:
        self.paths = paths
        self.diagnostics: set[Diagnostic] = set()
        self.kinds: dict[str, str] = {}  # cause -> its diagnostic's kind
        self.places: dict[str, Place] = {}  # cause -> where it is written
        self.routes: dict[str, list[RouteUnder]] = defaultdict(list)

    def where(self, module: str) -> str:
        """The file of `module`, for a diagnostic."""
        return self.paths.get(module, module)

    def add(self, module: str, line: int, kind: str, message: str) -> None:
        self.diagnostics.add(Diagnostic(self.where(module), line, kind, message))

    def cause(self, what: str, kind: str, place: Place | None = None) -> None:
        """`what` may make prefixes unknown: its diagnostic's kind and place (the first one said)."""
        self.kinds.setdefault(what, kind)
        if place is not None:
            self.places.setdefault(what, place)

    def route_under(self, cause: str, route: RouteUnder) -> None:
        self.routes[cause].append(route)

    def all(self) -> tuple[Diagnostic, ...]:
        """Every diagnostic, one for each cause of unknown prefixes among them, sorted."""
        for cause, found in sorted(self.routes.items()):
            kind = self.kinds.get(cause, "computed-route")
            first = min(found)
            place = self.places.get(cause) or (first.path, first.line)
            self.diagnostics.add(_unknown_diagnostic(place, cause, kind, sorted(found)))
        return tuple(sorted(self.diagnostics))


def _unknown_diagnostic(place: Place, cause: str, kind: str, found: list[RouteUnder]) -> Diagnostic:
    more = f" and {len(found) - 1} more route(s)" if len(found) > 1 else ""
    message = (
        f"route {found[0].text}{more}: prefix unknown, from {cause}; listed under {UNKNOWN_PREFIX!r} and "
        "kept on the monolith. To route it, create the blueprint or router with a literal prefix (or "
        "register it with one) where the code shows it, or write its proxy rule by hand"
    )
    return Diagnostic(*place, kind, message)
