"""Which names of a file are import-bound, and what a literal dynamic import names.

A use is recorded for a Name-rooted chain whose root an import of the file binds (anywhere in the
file: `bound_by` per import). A file with a star import may have received any name through it, so
there every name that is neither defined at top level nor a builtin counts too (`Unbound`).
`importlib.import_module("x.y")` and `__import__("x.y")` with literal arguments are imports too
(`dynamic_import`).
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Collection, Container, Iterable

from analyzers.model import IMPORT_DYNAMIC
from analyzers.python.raw import RawImport

DYNAMIC_FUNCS = frozenset({"import_module", "__import__"})
_DYNAMIC_CHAINS = frozenset({("importlib", "import_module"), ("import_module",), ("__import__",)})
#: Names no star import is taken to provide.
NEVER_STARRED = frozenset(dir(builtins)) | frozenset({"self", "cls"})


class Unbound:
    """Every name in `bound`, and every other name not in `local` (a file with a star import: the
    names it may have received through it; resolution keeps the ones a module of the codebase exports)."""

    __slots__ = ("bound", "local")

    def __init__(self, bound: Container[str], local: Container[str]) -> None:
        self.bound = bound
        self.local = local

    def __contains__(self, name: object) -> bool:
        return name in self.bound or name not in self.local


class Missing:
    """The names of `wanted` not in `had`: what a walk that knew only `had` left unrecorded."""

    __slots__ = ("had", "wanted")

    def __init__(self, wanted: Container[str], had: Container[str]) -> None:
        self.wanted = wanted
        self.had = had

    def __contains__(self, name: object) -> bool:
        return name in self.wanted and name not in self.had


def is_star(raw: RawImport) -> bool:
    return raw.is_from and raw.names[:1] == (("*", ""),)


def bound_by(raw: RawImport) -> Iterable[str]:
    """The names an import statement binds in its file (none for a star import)."""
    if raw.is_from:
        return [local for name, local in raw.names if name != "*"]
    return (raw.bound,)


def bound_names(imports: Iterable[RawImport], defined: Collection[str] = ()) -> Container[str]:
    """The names whose uses are recorded: every name an import binds; in a file with a star
    import, also every name not bound here (`defined`: its top-level names) nor a builtin."""
    bound: set[str] = set()
    star = False
    for raw in imports:
        bound.update(bound_by(raw))
        star = star or is_star(raw)
    if star:
        return Unbound(bound, frozenset(defined) | NEVER_STARRED)
    return bound


def dynamic_import(
    call: ast.Call, chain: tuple[str, ...], caller: str, markers: frozenset[str]
) -> RawImport | None:
    """The import a call of `chain` makes, when it is a dynamic import of a literal module name."""
    if chain not in _DYNAMIC_CHAINS or not call.args or not isinstance(call.args[0], ast.Constant):
        return None
    target = call.args[0].value
    if not isinstance(target, str) or not target.strip(".") or " " in target:
        return None
    level = len(target) - len(target.lstrip("."))
    if level:
        package = next((k.value for k in call.keywords if k.arg == "package"), None)
        if len(call.args) > 1:
            package = call.args[1]
        if not (isinstance(package, ast.Constant) and isinstance(package.value, str)):
            return None
        absolute = _absolute(package.value, target)
        if absolute is None:
            return None
        target = absolute
    return RawImport(call.lineno, target, 0, False, (), "", markers | {IMPORT_DYNAMIC}, caller)


def _absolute(package: str, relative: str) -> str | None:
    level = len(relative) - len(relative.lstrip("."))
    parts = package.split(".")
    if level - 1 > len(parts) - 1:
        return None
    base = parts[: len(parts) - (level - 1)]
    rest = relative[level:]
    return ".".join([*base, rest] if rest else base)


def name_chain(node: ast.AST) -> tuple[str, ...] | None:
    """("a", "b", "c") for `a.b.c`; None when the chain does not start at a name."""
    parts: list[str] = []
    while type(node) is ast.Attribute:
        parts.append(node.attr)
        node = node.value
    if type(node) is not ast.Name:
        return None
    parts.append(node.id)
    parts.reverse()
    return tuple(parts)
