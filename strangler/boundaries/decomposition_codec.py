"""`strangler.decomposition/1`: a Decomposition as JSON, and an edited file read back.

The document is what `boundaries --format json` prints (and `boundaries -o FILE` writes) and what a
user edits and passes back with `--boundaries FILE`. Reading accepts the full document or a
hand-written subset:

- `services`: [{"name": ..., "modules": [...]}] and `shared_kernel`: [...] — the one place that says
  where a module lives: moving a module is moving one string, renaming a service is editing its
  `name`, adding one is appending an entry. A module in two of these lists is an error.
- `assignments`: {module: {"service": name, ...}} or {module: name} — read-only beside the lists
  (reasons and confidence for the reader); when the lists name no module, the assignment is read
  from here (a hand-written file). Where it disagrees with the lists, the lists decide and the
  reader returns one note that says so (`EditedAssignment.notes`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analyzers.config import read_config_bytes
from strangler.boundaries.decomposition import SHARED_KERNEL, Decomposition, Departure
from strangler.exceptions import BoundariesFileError, ConfigError
from strangler.names import SERVICE_NAME_HINT, service_name_problem

SCHEMA = "strangler.decomposition/1"
#: An edited decomposition of a 100,000-module monolith is a few tens of MB.
MAX_BOUNDARIES_BYTES = 200_000_000


def to_document(d: Decomposition) -> dict[str, Any]:
    """The JSON-ready document of `d` (write it with `strangler.jsonio.dumps`)."""
    return {
        "schema": SCHEMA,
        "seed": d.seed,
        "signals": dict(d.signals),
        "metrics": dict(d.metrics),
        "notes": list(d.notes),
        **({"verdict": {"clear": d.verdict.clear, "reason": d.verdict.reason}} if d.verdict else {}),
        "capability_packages": list(d.capability_packages),
        "departures": [_departure(x) for x in d.departures],
        "shared_kernel": list(d.shared_kernel),
        "services": [
            {
                "name": s.name,
                "modules": list(s.modules),
                "loc": s.loc,
                "routes": list(s.routes),
                "tables": list(s.tables),
                "shared_tables": [
                    {"table": t.table, "services": list(t.services), "writers": list(t.writers)}
                    for t in s.shared_tables
                ],
                "interface": [
                    {"symbol": o.symbol, "call_sites": o.call_sites, "callers": list(o.callers)}
                    for o in s.interface
                ],
                "cohesion": s.cohesion,
                "coupling": s.coupling,
                **({"library": True} if s.library else {}),
            }
            for s in d.services
        ],
        "assignments": {
            a.module: {
                "service": a.service,
                "reason": a.reason,
                "confidence": a.confidence,
                "pinned": a.pinned,
            }
            for a in d.assignments
        },
    }


@dataclass(frozen=True, slots=True)
class EditedAssignment:
    """Module → service as an edited decomposition file says, and what reading it noticed."""

    service_of: dict[str, str]
    notes: tuple[str, ...] = ()  # one line each, e.g. that `assignments` disagrees with `services`


def read_assignment(path: Path) -> dict[str, str]:
    """Module → service from an edited decomposition file; BoundariesFileError when unusable."""
    return read_edited(path).service_of


def read_edited(path: Path) -> EditedAssignment:
    """Module → service from an edited decomposition file, with notes; BoundariesFileError when unusable."""
    where = str(path)
    try:
        text = read_config_bytes(path, MAX_BOUNDARIES_BYTES).decode("utf-8-sig")
    except ConfigError as exc:
        raise BoundariesFileError(
            f"cannot read the boundaries file: {exc.message}",
            path=where,
            hint="write one with `strangler boundaries PATH -o FILE`",
        ) from None
    except UnicodeDecodeError as exc:
        raise BoundariesFileError(
            f"not UTF-8 text (byte {exc.start}); JSON files are UTF-8",
            path=where,
            hint="save it as UTF-8",
        ) from None
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise BoundariesFileError("nested too deeply to be a decomposition", path=where) from None
    except ValueError as exc:
        if not isinstance(exc, json.JSONDecodeError):
            raise BoundariesFileError(str(exc), path=where) from None
        raise BoundariesFileError(
            f"not valid JSON: {exc.msg}",
            path=where,
            line=exc.lineno,
            hint="check commas and quotes near that line",
        ) from exc
    return edited_from_document(document, where)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def edited_from_document(document: Any, where: str = "<document>") -> EditedAssignment:
    """Module → service from a parsed document, with notes (see the module docstring)."""
    _check_schema(document, where)
    from_lists = _from_lists(document, where)
    from_assignments = _from_assignments(document, where)
    if from_lists:
        notes = _disagreement(from_lists, from_assignments or {}, where)
        return EditedAssignment(from_lists, notes)
    if from_assignments is None:
        raise BoundariesFileError(
            "the file assigns no module",
            path=where,
            hint="list modules under `services` [{name, modules}] (or give `assignments` {module: service})",
        )
    return EditedAssignment(from_assignments)


def _check_schema(document: Any, where: str) -> None:
    if not isinstance(document, dict):
        raise BoundariesFileError("the top level must be a JSON object", path=where)
    schema = document.get("schema", SCHEMA)
    if not isinstance(schema, str) or not schema.startswith("strangler.decomposition/"):
        raise BoundariesFileError(
            f"not a decomposition document (schema {schema!r})",
            path=where,
            hint=f"expected schema {SCHEMA!r}, as written by `strangler boundaries -o FILE`",
        )
    if schema != SCHEMA:
        raise BoundariesFileError(
            f"unsupported version {schema!r}", path=where, hint=f"this strangler reads {SCHEMA!r}"
        )


def _disagreement(
    from_lists: dict[str, str], from_assignments: dict[str, str], where: str
) -> tuple[str, ...]:
    """The note that `assignments` (read-only) says otherwise than the lists for some modules."""
    differ = sorted(m for m, s in from_assignments.items() if from_lists.get(m) != s)
    if not differ:
        return ()
    first = differ[0]
    return (
        f"{len(differ)} module(s) differ under `assignments` (read-only) in {where}; `services` decides, "
        f"e.g. {first}: {from_assignments[first]!r} there, {_listed(from_lists.get(first))}",
    )


def _listed(service: str | None) -> str:
    """Where the lists put a module, in words."""
    if service is None:
        return "in no list (placed by coupling)"
    if service == SHARED_KERNEL:
        return "in `shared_kernel`"
    return f"{service!r} in `services`"


def _service_name(value: Any, where: str, context: str) -> str:
    problem = service_name_problem(value)
    if problem is not None:
        raise BoundariesFileError(f"{context}: {problem}", path=where, hint=SERVICE_NAME_HINT)
    assert isinstance(value, str)
    return value


def _from_assignments(document: dict[str, Any], where: str) -> dict[str, str] | None:
    raw = document.get("assignments")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise BoundariesFileError("`assignments` must be an object {module: ...}", path=where)
    result: dict[str, str] = {}
    for module, value in raw.items():
        service = value.get("service") if isinstance(value, dict) else value
        if service == SHARED_KERNEL:
            result[module] = SHARED_KERNEL
            continue
        result[module] = _service_name(service, where, f"assignments[{module!r}]")
    return result


def _from_lists(document: dict[str, Any], where: str) -> dict[str, str] | None:
    services = document.get("services")
    kernel = document.get("shared_kernel")
    if services is None and kernel is None:
        return None
    result: dict[str, str] = {}
    if services is not None:
        if not isinstance(services, list):
            raise BoundariesFileError("`services` must be a list", path=where)
        for index, entry in enumerate(services):
            _put_service(result, entry, f"services[{index}]", where)
    if kernel is not None:
        if not isinstance(kernel, list):
            raise BoundariesFileError("`shared_kernel` must be a list of modules", path=where)
        for module in kernel:
            _put(result, module, SHARED_KERNEL, "shared_kernel", where)
    return result


def _put_service(result: dict[str, str], entry: Any, context: str, where: str) -> None:
    """Assign the modules of one `services` entry (`{"name": ..., "modules": [...]}`)."""
    if not isinstance(entry, dict):
        raise BoundariesFileError(f"{context} must be an object", path=where)
    name = _service_name(entry.get("name"), where, context)
    modules = entry.get("modules", [])
    if not isinstance(modules, list):
        raise BoundariesFileError(f"{context}.modules must be a list", path=where)
    for module in modules:
        _put(result, module, name, context, where)


def _put(result: dict[str, str], module: Any, service: str, context: str, where: str) -> None:
    """Assign `module` to `service`; a module in two services is an error."""
    if not isinstance(module, str) or not module:
        raise BoundariesFileError(f"{context}: module names must be strings", path=where)
    if module in result and result[module] != service:
        raise BoundariesFileError(
            f"{module} is listed in two services: {result[module]!r} and {service!r}",
            path=where,
            hint="a module belongs to exactly one service; remove one of the entries",
        )
    result[module] = service


def _departure(x: Departure) -> dict[str, Any]:
    return {
        "module": x.module,
        "package": x.package,
        "service": x.service,
        "pulls": [{"module": m, "uses": n} for m, n in x.pulls],
        "tables": list(x.tables),
        "home_uses": x.home_uses,
        "reason": x.reason,
    }
