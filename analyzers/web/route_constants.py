"""String constants a route path or prefix written as a name may be read from.

Scanning records, per file, module-level `NAME = "text"`, `Cls.NAME` for `NAME: str = "text"` in a
top-level class body (a settings class's defaults), and the names bound to an instance
(`settings = Settings()`). Resolving reads `settings.API_V1_STR` as the default of `Settings`'s
`API_V1_STR`, through the import `Scope`, and says it is a default: the environment may set another.
Django's path converters read their `regex` from the same record (`analyzers.web.django_converters`).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass

from analyzers.python.literals import dotted
from analyzers.python.scope import Scope
from analyzers.web.app_facts import ModuleConstants


def string_constants(body: list[ast.stmt]) -> ModuleConstants:
    """The string constants and instance names of a module body (`ModuleConstants`)."""
    texts: list[tuple[str, str]] = []
    instances: list[tuple[str, str]] = []
    for statement in body:  # (run on every file: plain type tests, no helper calls)
        if type(statement) is ast.ClassDef:
            texts += _class_defaults(statement)
            continue
        names, value = _assigned(statement)
        if not names:
            continue
        if type(value) is ast.Constant and type(value.value) is str:
            texts += [(name, value.value) for name in names]
        elif type(value) is ast.Call and (cls := dotted(value.func)):
            instances += [(name, cls) for name in names]
    return ModuleConstants(tuple(sorted(texts)), tuple(sorted(instances)))


def _class_defaults(node: ast.ClassDef) -> list[tuple[str, str]]:
    """`Cls.NAME` and its text for each `NAME = "text"` of a class body."""
    found: list[tuple[str, str]] = []
    for inner in node.body:
        names, value = _assigned(inner)
        if names and type(value) is ast.Constant and type(value.value) is str:
            found += [(f"{node.name}.{name}", value.value) for name in names]
    return found


def _assigned(statement: ast.stmt) -> tuple[list[str], ast.expr | None]:
    """The plain names a (possibly annotated) assignment binds, and its value."""
    kind = type(statement)
    if kind is ast.Assign:
        return [t.id for t in statement.targets if type(t) is ast.Name], statement.value  # type: ignore[attr-defined]
    if kind is ast.AnnAssign and type(statement.target) is ast.Name:  # type: ignore[attr-defined]
        return [statement.target.id], statement.value  # type: ignore[attr-defined]
    return [], None


@dataclass(frozen=True, slots=True)
class Constant:
    """A string read for a name: its text, and whether it is a class attribute's default (a
    setting the environment may override)."""

    text: str
    default: bool


class ConstantReader:
    """The string constants of every module, read for the names a route or a mount gives."""

    def __init__(self, constants: Mapping[str, ModuleConstants], scope: Scope) -> None:
        self.scope = scope
        self.texts = {m: dict(c.texts) for m, c in constants.items() if c.texts}
        self.instances = {m: dict(c.instances) for m, c in constants.items() if c.instances}

    def read(self, module: str, expr: str) -> Constant | None:
        """The string a dotted name holds: a module constant, or a settings object's class
        default (`settings.API_V1_STR`)."""
        found = self.scope.resolve_name(module, expr)
        if found is None or not found[1]:
            return None
        home, path = found
        value = self.texts.get(home, {}).get(path)
        if value is not None:
            return Constant(value, "." in path)
        head, _, rest = path.partition(".")
        cls = self.instances.get(home, {}).get(head)
        return self._class_default(home, cls, rest) if rest and cls is not None else None

    def _class_default(self, module: str, cls: str, attribute: str) -> Constant | None:
        """The default of `attribute` in class `cls` (as written in `module`)."""
        key = self.scope.resolve_name(module, cls)
        value = self.texts.get(key[0], {}).get(f"{key[1]}.{attribute}") if key else None
        return None if value is None else Constant(value, True)

    def read_rule(self, module: str, where: str, name: str) -> Constant | None:
        """`read`, and `self.X` / `cls.X` in a method as the attribute of the method's class (a
        class constant, no setting)."""
        head, _, rest = name.partition(".")
        if head in ("self", "cls") and rest and "." in where:
            read = self.read(module, f"{where.rpartition('.')[0]}.{rest}")
            return None if read is None else Constant(read.text, False)
        return self.read(module, name)
