"""The policy of `strangler check`: from a committed decomposition file, or from the services
pinned in `[tool.strangler.services.*]`.

Beyond `strangler.decomposition/1` (read by `strangler.boundaries.decomposition_codec.read_assignment`), each
entry of `services` may carry two optional keys, read here:

- `depends_on`: [service, ...] — the services this one may use;
- `exposes`: [module or module.symbol, ...] — what the others may use of this one, when they
  depend on it.

The same keys are read from `[tool.strangler.services.NAME]` when no decomposition file is given.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from analyzers.config import read_config_bytes
from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.boundaries.decomposition_codec import MAX_BOUNDARIES_BYTES, read_assignment
from strangler.check.findings import Policy
from strangler.exceptions import BoundariesFileError, ConfigError

#: The decomposition `check` reads when `--boundaries` is not given, at the root of PATH.
DEFAULT_BOUNDARIES = "strangler-boundaries.json"


def first_segment(route_path: str) -> str:
    """The first literal segment of a route path ("/orders/<int:id>" → "orders"), "" if none."""
    head = route_path.lstrip("/^").split("/", 1)[0]
    if not head or any(c in head for c in "<{(*[\\$"):
        return ""
    return head


def policy_from_file(path: Path) -> Policy:
    """The policy of a decomposition file; BoundariesFileError (exit 2) when it is unusable."""
    assignment = read_assignment(path)
    try:
        document = json.loads(read_config_bytes(path, MAX_BOUNDARIES_BYTES).decode("utf-8-sig"))
    except (ConfigError, ValueError) as exc:  # read_assignment has already vetted the file
        raise BoundariesFileError(str(exc), path=str(path)) from None
    services = document.get("services") or []
    if not isinstance(services, list):
        raise BoundariesFileError("`services` must be a list", path=str(path))
    entries = [e for e in services if isinstance(e, dict) and isinstance(e.get("name"), str)]
    names = {e["name"] for e in entries}
    return Policy(
        service_of=tuple(sorted(assignment.items())),
        depends_on=_lists(entries, "depends_on", str(path), names),
        exposes=_lists(entries, "exposes", str(path), None),
        route_owners=_route_owners(entries, str(path)),
        source=str(path),
    )


def _strings(value: Any, context: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise BoundariesFileError(f"{context} must be a list of non-empty strings", path=where)
    return tuple(sorted(set(value)))


def _lists(
    entries: Iterable[Mapping[str, Any]], key: str, where: str, known: set[str] | None
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    result = []
    for entry in entries:
        if key not in entry:
            continue
        values = _strings(entry[key], f"services[{entry['name']!r}].{key}", where)
        unknown = sorted(set(values) - known - {SHARED_KERNEL}) if known is not None else []
        if unknown:
            raise BoundariesFileError(
                f"services[{entry['name']!r}].{key} names unknown service {unknown[0]!r}",
                path=where,
                hint="depends_on lists names of services of this file",
            )
        result.append((entry["name"], values))
    return tuple(sorted(result))


def _route_owners(entries: Iterable[Mapping[str, Any]], where: str) -> tuple[tuple[str, str], ...]:
    """First path segment → service, from the routes each service records; a segment claimed by
    two services has no owner (nothing can be said about it)."""
    owners: dict[str, set[str]] = {}
    for entry in entries:
        for route in _strings(entry.get("routes", []), f"services[{entry['name']!r}].routes", where):
            segment = first_segment(route.rpartition(" ")[2])
            if segment:
                owners.setdefault(segment, set()).add(entry["name"])
    return tuple(sorted((seg, next(iter(s))) for seg, s in owners.items() if len(s) == 1))


def policy_from_config(table: Mapping[str, Any], modules: Iterable[str], source: str) -> Policy | None:
    """The policy of `[tool.strangler.services.*]` pins over `modules`; None when nothing is pinned."""
    from strangler.boundaries.settings import boundary_options, matches

    options = boundary_options(table, source=source)
    if not options.pins:
        return None
    service_of: dict[str, str] = {}
    for module in sorted(modules):
        if matches(module, options.shared):
            service_of[module] = SHARED_KERNEL
            continue
        for service, globs in options.pins:
            if matches(module, globs):
                service_of[module] = service
                break
    raw = table.get("services")
    specs = raw if isinstance(raw, dict) else {}
    entries = [{"name": name, **spec} for name, spec in sorted(specs.items()) if isinstance(spec, dict)]
    try:
        return Policy(
            service_of=tuple(sorted(service_of.items())),
            depends_on=_lists(entries, "depends_on", source, set(specs)),
            exposes=_lists(entries, "exposes", source, None),
            source=source,
        )
    except BoundariesFileError as exc:
        raise ConfigError(
            exc.message.replace("services[", "[tool.strangler.services]["), path=source
        ) from None
