"""Django path converters a project registers: `register_converter(FourDigitYear, "yyyy")`.

A `path()` parameter `<yyyy:year>` matches what the converter class's `regex` attribute says, not
one path segment: `regex = ".+"` spans slashes. Scanning records every `register_converter(cls,
name)` call (any module: Django's registry is global) with the class as written; the class's
`regex` is a class-level string constant (`analyzers.web.route_constants.string_constants` records
those for every file), taken from the class or its bases in the codebase, or from Django's own
converter classes it derives from. A converter the code registers without a readable `regex` is unknown.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass

from analyzers.model import Diagnostic, picklable
from analyzers.python.literals import argument, dotted, string
from analyzers.python.scope import Scope
from analyzers.python.subclasses import MAX_DEPTH, Bases

#: Django's built-in path converters and the expressions they match (django.urls.converters).
BUILTIN = {
    "int": "[0-9]+",
    "str": "[^/]+",
    "slug": "[-a-zA-Z0-9_]+",
    "uuid": "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
    "path": ".+",
}
#: Django's converter classes, which a project's converter may derive from.
_BUILTIN_CLASSES = {
    "IntConverter": BUILTIN["int"],
    "StringConverter": BUILTIN["str"],
    "SlugConverter": BUILTIN["slug"],
    "UUIDConverter": BUILTIN["uuid"],
    "PathConverter": BUILTIN["path"],
}


@picklable
@dataclass(frozen=True, slots=True, order=True)
class ConverterRegistration:
    """`register_converter(cls, "name")` with the class as written."""

    name: str
    cls: str
    line: int


def converter_registration(call: ast.Call) -> ConverterRegistration | None:
    name = string(argument(call, 1, "type_name"))
    cls = dotted(argument(call, 0, "converter"))
    if name is None or cls is None:
        return None
    return ConverterRegistration(name, cls, call.lineno)


@dataclass(frozen=True, slots=True)
class Converters:
    """The custom converters of the codebase: name -> regex (those whose regex was read), and the
    names registered without a readable regex."""

    regexes: Mapping[str, str]
    unread: frozenset[str] = frozenset()


def resolve_converters(
    registrations: Mapping[str, tuple[ConverterRegistration, ...]],
    constants: Mapping[str, Mapping[str, str]],
    bases: Bases,
    scope: Scope,
    paths: Mapping[str, str],
) -> tuple[Converters, tuple[Diagnostic, ...]]:
    """Every registered converter's regex; a diagnostic for one whose regex cannot be read."""
    regexes: dict[str, str] = {}
    unread: set[str] = set()
    diagnostics = []
    for module, found in sorted(registrations.items()):
        for registration in found:
            key = scope.resolve_name(module, registration.cls)
            regex = _regex_of(key, constants, bases, scope, 0) if key is not None and key[1] else None
            if regex is None:
                regex = _BUILTIN_CLASSES.get(registration.cls.rpartition(".")[2])
            if regex is not None:
                regexes.setdefault(registration.name, regex)
                continue
            unread.add(registration.name)
            message = (
                f"path converter {registration.name!r} ({registration.cls}) has no `regex` class attribute "
                f"the code shows as a string: its parameters are taken as one path segment ([^/]+), as `str`"
            )
            diagnostics.append(
                Diagnostic(paths.get(module, module), registration.line, "unknown-converter", message)
            )
    return Converters(regexes, frozenset(unread - set(regexes))), tuple(diagnostics)


def _regex_of(
    key: tuple[str, str],
    constants: Mapping[str, Mapping[str, str]],
    bases: Bases,
    scope: Scope,
    depth: int,
) -> str | None:
    """The `regex` of class `key` or of its nearest base that has one."""
    value = constants.get(key[0], {}).get(f"{key[1]}.regex")
    if value is not None or depth > MAX_DEPTH:
        return value
    for base in bases.get(key, ()):
        builtin = _BUILTIN_CLASSES.get(base.rpartition(".")[2])
        parent = scope.resolve_name(key[0], base)
        if parent is not None and parent[1]:
            found = _regex_of(parent, constants, bases, scope, depth + 1)
            if found is not None:
                return found
        elif builtin is not None:
            return builtin
    return None
