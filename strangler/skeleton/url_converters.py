"""URL converters a Django service's urlconfs use that a urlconf staying behind registers.

A urlconf can name a converter (`path("cloaked/<sha1:unique_key>/", ...)`) that another module
registers at import (`register_converter(SHA1Converter, "sha1")` in healthchecks' `hc.api.urls`): in
the monolith the root urlconf imports both; a service that moves the first without the second fails
at start ("uses invalid converter 'sha1'"). The service's root urls register each such converter
before its patterns: the converter class is carried when it is self-contained (copied_code: its
methods read only builtins, the standard library and Django; a converter is a regex and two short
methods), written back with `ast.unparse`. A converter the service's own modules register is left
to them (registering a name twice is an error in Django 6), and one that cannot be carried is named
in a comment.
"""

from __future__ import annotations

import ast
import functools
import operator
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from strangler.skeleton.copied_code import free_names, import_lines, import_order
from strangler.skeleton.escaping import identifier, one_line, py_string
from strangler.skeleton.source_text import parsed

#: Converters Django registers itself.
DJANGO_CONVERTERS = frozenset({"str", "int", "slug", "uuid", "path"})
#: Names of the generated urls a carried class must not take.
TAKEN_NAMES = frozenset({"include", "internal_api", "path", "re_path", "register_converter", "urlpatterns"})
#: `<converter:name>` in a route.
ROUTE_PARAMETER = re.compile(r"<(\w+):\w+>")


@dataclass(frozen=True, slots=True)
class Registration:
    """`register_converter(<class>, <name>)` at the top level of `module`; `code` and `imports` the
    class written back with what it needs ("" when it cannot be carried)."""

    name: str
    module: str
    class_name: str
    code: str
    imports: tuple[str, ...]


def converter_lines(sources: Mapping[str, str], local: Mapping[str, str]) -> list[str]:
    """The lines of a service's root urls that register the converters its modules (`local`:
    original -> new) name and no module of it registers."""
    registered = _registrations(sources)
    own = {r.name for r in registered.values() if r.module in local}
    wanted = sorted(_named(sources[m] for m in sorted(local) if m in sources) - DJANGO_CONVERTERS - own)
    carried: dict[str, Registration] = {}
    notes: list[str] = []
    for name in wanted:
        found = registered.get(name)
        if found is None:
            notes.append(f"# strangler: URL converter {one_line(name)} is registered nowhere in the monolith")
        elif not _carriable(found, carried.values()):
            where = f"{one_line(found.module)} with {one_line(found.class_name)}"
            notes.append(f"# strangler: URL converter {one_line(name)} (registered by {where}) not carried")
        else:
            carried[name] = found
    return _lines(carried) + notes


def _carriable(found: Registration, carried: Iterable[Registration]) -> bool:
    """Whether the class can be written into the urls: self-contained, its name free."""
    if not found.code or found.class_name in TAKEN_NAMES:
        return False
    return all(c.class_name != found.class_name for c in carried)


def _lines(carried: Mapping[str, Registration]) -> list[str]:
    if not carried:
        return []
    imports = sorted({line for r in carried.values() for line in r.imports}, key=import_order)
    modules = ", ".join(sorted({r.module for r in carried.values()}))
    lines = [
        "from django.urls import register_converter",
        *imports,
        "",
        f"# strangler: URL converters registered by {one_line(modules)} in the monolith (its code)",
    ]
    ordered = sorted(carried.values(), key=operator.attrgetter("name"))
    for registration in ordered:
        lines += ["", "", *registration.code.split("\n")]
    lines += ["", ""]
    lines += [
        f"register_converter({identifier(r.class_name, 'class')}, {py_string(r.name)})" for r in ordered
    ]
    return [*lines, ""]


def _named(sources: Iterable[str]) -> set[str]:
    """The converters the route strings of `sources` name."""
    names: set[str] = set()
    for source in sources:
        if ROUTE_PARAMETER.search(source):  # (most modules name no route: not parsed again)
            names |= _route_converters(source)
    return names


@functools.lru_cache(maxsize=256)
def _route_converters(source: str) -> frozenset[str]:
    tree = parsed(source)
    if tree is None:
        return frozenset()
    return frozenset(
        name
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "<" in node.value
        for name in ROUTE_PARAMETER.findall(node.value)
    )


def _registrations(sources: Mapping[str, str]) -> dict[str, Registration]:
    """Converter name -> its first registration (by module name) in the monolith."""
    found: dict[str, Registration] = {}
    for module in sorted(sources):
        if "register_converter" in sources[module]:
            for registration in _registered_in(module, sources[module]):
                found.setdefault(registration.name, registration)
    return found


@functools.lru_cache(maxsize=256)
def _registered_in(module: str, source: str) -> tuple[Registration, ...]:
    tree = parsed(source)
    if tree is None:
        return ()
    classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
    bound = import_lines(tree)
    result = []
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        if not (isinstance(call, ast.Call) and _is_register(call.func) and len(call.args) == 2):
            continue
        cls, name = call.args
        if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
            continue
        if isinstance(cls, ast.Name):
            code, imports = _carried(classes.get(cls.id), bound)
            result.append(Registration(name.value, module, cls.id, code, imports))
        else:  # (a class of another module: named in the note, never carried)
            result.append(Registration(name.value, module, ast.unparse(cls), "", ()))
    return tuple(result)


def _is_register(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "register_converter") or (
        isinstance(func, ast.Attribute) and func.attr == "register_converter"
    )


def _carried(definition: ast.ClassDef | None, bound: Mapping[str, str]) -> tuple[str, tuple[str, ...]]:
    """The class written back and its import lines, when self-contained; ("", ()) otherwise."""
    if definition is None:
        return "", ()
    free = free_names(definition)
    if not all(name in bound for name in free):
        return "", ()
    return ast.unparse(definition), tuple(sorted(bound[name] for name in free))
