"""Reference decompositions to score a proposal against: today's package layout, or a file.

`--reference packages` is the layout the monolith already has; `--reference FILE` is business ground
truth or an edited proposal, in one of the shapes docs/metrics.md lists. Names in a file are module
names or globs over them; what matches no module of the codebase is ignored and reported, not an
error, so one ground-truth file serves several versions of a codebase.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from fnmatch import translate
from pathlib import Path
from typing import Any

from analyzers.model import Codebase
from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.exceptions import BoundariesFileError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

__all__ = ["PACKAGES", "ReferenceLoad", "load_reference", "package_layout", "read_reference"]

#: The `spec` naming today's package layout rather than a file.
PACKAGES = "packages"

_HINT = (
    'write {module: service}, {"assignments": {module: {"service": ...}}} (as `strangler '
    'boundaries --format json` does), {"services": {name: [modules or globs]}}, or TOML '
    '`[services] name = ["glob", ...]`; or pass `packages`'
)
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class ReferenceLoad:
    """A reference read against one codebase: the mapping, and what in it matched nothing."""

    source: str  # "packages" or the file path as given
    assignment: tuple[tuple[str, str], ...]  # (module, service), sorted by module
    unknown: tuple[str, ...]  # module names and globs of the file that match no module, sorted

    def as_dict(self) -> dict[str, str]:
        return dict(self.assignment)


def load_reference(spec: str, codebase: Codebase) -> dict[str, str]:
    """Module -> service of the reference `spec` ("packages" or a JSON/TOML path).

    Unknown names are dropped; `read_reference` gives their count and names.
    """
    return read_reference(spec, codebase).as_dict()


def read_reference(spec: str, codebase: Codebase) -> ReferenceLoad:
    """Read `spec` against `codebase`; BoundariesFileError (path and hint) for an unusable file."""
    if spec == PACKAGES:
        layout = package_layout(codebase)
        return ReferenceLoad(PACKAGES, tuple(sorted(layout.items())), ())
    rules = _rules(_parse(Path(spec)), spec)
    assignment, unknown = _resolve(rules, sorted(codebase.module_names()), spec)
    return ReferenceLoad(spec, tuple(sorted(assignment.items())), unknown)


def package_layout(codebase: Codebase) -> dict[str, str]:
    """Each module to its package one level below its top-level package.

    shop.orders.service and shop.orders go to "shop.orders"; shop.app and shop go to "shop". A
    top-level package without code subpackages (only tests or migrations below it, or nothing) is
    one service as a whole. A top-level plain module (manage.py) joins the top-level package when
    there is exactly one, else stands as its own service.
    """
    by_name = {m.name: m for m in codebase.modules}
    tops = {name.split(".")[0] for name in by_name if "." in name}
    tops |= {name for name, m in by_name.items() if "." not in name and m.is_package}
    with_subpackages = {
        name.split(".")[0]
        for name, m in by_name.items()
        if m.role == "code" and (name.count(".") >= 2 or (name.count(".") == 1 and m.is_package))
    }
    only_top = next(iter(tops)) if len(tops) == 1 else None
    layout: dict[str, str] = {}
    for name, module in sorted(by_name.items()):
        parts = name.split(".")
        top = parts[0]
        if top not in tops:
            layout[name] = only_top or name
        elif top in with_subpackages and (len(parts) >= 3 or (len(parts) == 2 and module.is_package)):
            layout[name] = ".".join(parts[:2])
        else:
            layout[name] = top
    return layout


def _parse(path: Path) -> Any:
    """The document in `path`: TOML for .toml, JSON for .json, else whichever parses."""
    where = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BoundariesFileError("reference file not found", path=where, hint=_HINT) from None
    except OSError as exc:
        raise BoundariesFileError(f"cannot read: {exc.strerror}", path=where) from exc
    suffix = path.suffix.lower()
    errors: list[str] = []
    if suffix in (".json", ""):
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            errors.append(f"not valid JSON: {exc}")
    if suffix in (".toml", ""):
        try:
            return tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            errors.append(f"not valid TOML: {exc}")
    if not errors:
        errors.append(f"unknown file type {suffix!r}: expected .json or .toml")
    raise BoundariesFileError("; ".join(errors), path=where, hint=_HINT)


def _strings(value: Any, what: str, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise BoundariesFileError(f"{what} must be a list of module names or globs", path=where, hint=_HINT)


def _service_rules(services: Any, where: str) -> list[tuple[str, str]]:
    """Rules of {"services": {name: [globs] | {"modules": [globs]}}} or [{"name", "modules"}]."""
    rules: list[tuple[str, str]] = []
    if isinstance(services, list):
        entries: list[tuple[Any, Any]] = []
        for entry in services:
            if not isinstance(entry, dict) or "name" not in entry:
                raise BoundariesFileError(
                    "each entry of `services` needs `name` and `modules`", path=where, hint=_HINT
                )
            entries.append((entry["name"], entry.get("modules", [])))
    elif isinstance(services, dict):
        entries = list(services.items())
    else:
        raise BoundariesFileError("`services` must be a table or a list", path=where, hint=_HINT)
    for name, value in entries:
        if not isinstance(name, str):
            raise BoundariesFileError("service names must be strings", path=where, hint=_HINT)
        modules = value.get("modules", []) if isinstance(value, dict) else value
        rules.extend((pattern, name) for pattern in _strings(modules, f"service {name!r}", where))
    return rules


def _rules(document: Any, where: str) -> list[tuple[str, str]]:
    """(module name or glob, service) pairs in the file's order, whatever its shape."""
    if not isinstance(document, dict):
        raise BoundariesFileError(
            "the reference must be a JSON object or a TOML table", path=where, hint=_HINT
        )
    tool = document.get("tool")
    if isinstance(tool, dict) and isinstance(tool.get("strangler"), dict):
        document = tool["strangler"]  # a pyproject.toml: [tool.strangler.services.*]
    if "assignments" in document:
        assignments = document["assignments"]
        if not isinstance(assignments, dict):
            raise BoundariesFileError(
                '`assignments` must map modules to {"service": name}', path=where, hint=_HINT
            )
        rules: list[tuple[str, str]] = []
        for module, value in assignments.items():
            service = value.get("service") if isinstance(value, dict) else value
            if not isinstance(service, str):
                raise BoundariesFileError(
                    f"assignment of {module!r} has no service name", path=where, hint=_HINT
                )
            rules.append((module, service))
        return rules
    if "services" in document:
        rules = _service_rules(document["services"], where)
        kernel = document.get("shared_kernel", [])
        rules.extend((m, SHARED_KERNEL) for m in _strings(kernel, "`shared_kernel`", where))
        return rules
    rules = []
    for module, service in document.items():
        if module == "schema":
            continue
        if not isinstance(service, str):
            raise BoundariesFileError(f"service of {module!r} must be a string", path=where, hint=_HINT)
        rules.append((module, service))
    return rules


def _is_glob(pattern: str) -> bool:
    return any(c in _GLOB_CHARS for c in pattern)


def _resolve(
    rules: list[tuple[str, str]], modules: list[str], where: str
) -> tuple[dict[str, str], tuple[str, ...]]:
    """Apply the rules to the module names: the most specific rule wins.

    An exact name beats any glob; among globs, the one with more literal characters; two rules of
    equal strength naming different services for one module are a contradiction (an error).
    `pkg.*` also matches `pkg` itself.
    """
    known = set(modules)
    exact: dict[str, str] = {}
    globs: list[tuple[str, str, re.Pattern[str], re.Pattern[str] | None]] = []
    unknown: set[str] = set()
    for pattern, service in rules:
        if not _is_glob(pattern):
            if exact.get(pattern, service) != service:
                raise BoundariesFileError(
                    f"module {pattern!r} is given to both {exact[pattern]!r} and {service!r}",
                    path=where,
                    hint="name each module in one service only",
                )
            exact[pattern] = service
            if pattern not in known:
                unknown.add(pattern)
            continue
        parent = re.compile(translate(pattern[:-2])) if pattern.endswith(".*") else None
        globs.append((pattern, service, re.compile(translate(pattern)), parent))
    matched: set[str] = set()
    assignment: dict[str, str] = {}
    for module in modules:
        best: tuple[int, str, str] | None = None
        for pattern, service, regex, parent in globs:
            if not (regex.match(module) or (parent is not None and parent.match(module))):
                continue
            matched.add(pattern)
            if module in exact:
                continue
            strength = sum(1 for c in pattern if c not in _GLOB_CHARS)
            if best is None or strength > best[0]:
                best = (strength, service, pattern)
            elif strength == best[0] and service != best[1]:
                raise BoundariesFileError(
                    f"module {module!r} matches {best[2]!r} ({best[1]}) and {pattern!r} ({service}) equally",
                    path=where,
                    hint="make one pattern more specific or name the module",
                )
        if module in exact:
            assignment[module] = exact[module]
        elif best is not None:
            assignment[module] = best[1]
    unknown |= {pattern for pattern, _service, _regex, _parent in globs if pattern not in matched}
    return assignment, tuple(sorted(unknown))
