"""Pass 2 of the extraction: uses of import-bound names in the expression sites of one file.

A site is an expression (or simple statement) collected by analyzers.extraction with the top-level
caller it sits in, a fixed reference kind (base, decorator, annotation) or None, and the import
markers in force there. Every Name-rooted attribute chain whose root an import binds is a use;
`importlib.import_module("x.y")` / `__import__("x.y")` with literal arguments are dynamic imports.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Collection, Container
from typing import Any

from analyzers.model import IMPORT_DYNAMIC, ReferenceKind
from analyzers.raw_facts import RawImport, RawUse

DYNAMIC_FUNCS = frozenset({"import_module", "__import__"})
_BUILTINS = frozenset(dir(builtins))
_SELF = frozenset({"self", "cls"})
# A site: (expression or simple statement, caller, fixed reference kind or None, markers)
Site = tuple[ast.AST, str, "ReferenceKind | None", frozenset[str]]


class _Unbound:
    """The names a file with a star import may have received through it: every name an import binds,
    and every other name that is neither defined at top level nor a builtin (resolution keeps the
    ones a star-imported module of the codebase exports)."""

    __slots__ = ("bound", "local")

    def __init__(self, bound: set[str], local: frozenset[str]) -> None:
        self.bound = bound
        self.local = local

    def __contains__(self, name: object) -> bool:
        return name in self.bound or name not in self.local


def bound_names(imports: list[RawImport], defined: Collection[str] = ()) -> Container[str]:
    """The names whose uses are recorded: every name an import binds; in a file with a star
    import, also every name not bound here (`defined`: its top-level names) nor a builtin."""
    bound: set[str] = set()
    star = False
    for raw in imports:
        if raw.is_from:
            bound.update(local for name, local in raw.names if name != "*")
            star = star or raw.names[:1] == (("*", ""),)
        else:
            bound.add(raw.bound)
    if star:
        return _Unbound(bound, frozenset(defined) | _BUILTINS | _SELF)
    return bound


class UseSink:
    """Where a walk that is not `find_uses` (the framework scanner's, analyzers.scan_walk) records
    name uses. `dynamic` says it met a call that may be a literal dynamic import (whose markers only
    the two-pass extraction knows); `complete` that the walk covered the whole file."""

    __slots__ = ("complete", "dynamic", "names", "out")

    def __init__(self, names: Container[str]) -> None:
        self.names = names
        self.out: list[RawUse] = []
        self.dynamic = False
        self.complete = False


def find_uses(
    sites: list[Site], imports: list[RawImport], defined: Collection[str] = ()
) -> tuple[RawUse, ...]:
    """Uses of import-bound names in `sites`; literal dynamic imports found there join `imports`.

    In a file with a star import, uses of names not bound here (`defined`: its top-level names)
    are recorded too: they may come from the star-imported module.
    """
    names = bound_names(imports, defined)
    out: list[RawUse] = []
    for node, caller, kind, markers in sites:
        _walk(node, caller, kind, markers, names, out, imports)
    return tuple(out)


def _walk(
    root: ast.AST,
    caller: str,
    fixed: ReferenceKind | None,
    markers: frozenset[str],
    bound: Container[str],
    out: list[RawUse],
    imports: list[RawImport],
) -> None:
    """Record every Name-rooted chain whose root is import-bound; look for dynamic imports.

    A hand-written child table instead of ast.iter_child_nodes: this loop is the hot path.
    """
    stack: list[Any] = [root]
    pop, push, extend = stack.pop, stack.append, stack.extend
    children = CHILDREN
    while stack:
        node = pop()
        kind = type(node)
        if kind is ast.Name:
            if node.id in bound:
                out.append(RawUse(caller, node.lineno, (node.id,), fixed or "name"))
        elif kind is ast.Attribute:
            chain = name_chain(node)
            if chain is None:
                push(node.value)
            elif chain[0] in bound:
                out.append(RawUse(caller, node.lineno, chain, fixed or "attribute"))
        elif kind is ast.Call:
            func = node.func
            chain = name_chain(func)
            if chain is not None:
                if chain[-1] in DYNAMIC_FUNCS:
                    _dynamic(node, chain, caller, markers, imports)
                if chain[0] in bound:
                    out.append(RawUse(caller, func.lineno, chain, fixed or "call"))
            else:
                push(func)
            extend(node.args)
            for keyword in node.keywords:
                push(keyword.value)
        elif kind is ast.Constant or node is None:
            continue
        else:
            fields = children.get(kind)
            if fields is None:
                extend(ast.iter_child_nodes(node))
                continue
            for name in fields:
                value = getattr(node, name)
                if type(value) is list:
                    extend(value)
                elif value is not None:
                    push(value)


def _dynamic(
    call: ast.Call, chain: tuple[str, ...], caller: str, markers: frozenset[str], imports: list[RawImport]
) -> None:
    if chain not in (("importlib", "import_module"), ("import_module",), ("__import__",)):
        return
    if not call.args or not isinstance(call.args[0], ast.Constant):
        return
    target = call.args[0].value
    if not isinstance(target, str) or not target.strip(".") or " " in target:
        return
    level = len(target) - len(target.lstrip("."))
    if level:
        package = next((k.value for k in call.keywords if k.arg == "package"), None)
        if len(call.args) > 1:
            package = call.args[1]
        if not (isinstance(package, ast.Constant) and isinstance(package.value, str)):
            return
        target = _absolute(package.value, target)
        if target is None:
            return
    imports.append(RawImport(call.lineno, target, 0, False, (), "", markers | {IMPORT_DYNAMIC}, caller))


# Child fields that can hold expressions, per node type (contexts and operators left out).
CHILDREN: dict[type, tuple[str, ...]] = {
    ast.Expr: ("value",),
    ast.Assign: ("targets", "value"),
    ast.AugAssign: ("target", "value"),
    ast.Return: ("value",),
    ast.Delete: ("targets",),
    ast.Raise: ("exc", "cause"),
    ast.Assert: ("test", "msg"),
    ast.Global: (),
    ast.Nonlocal: (),
    ast.Pass: (),
    ast.Break: (),
    ast.Continue: (),
    ast.BoolOp: ("values",),
    ast.BinOp: ("left", "right"),
    ast.UnaryOp: ("operand",),
    ast.Lambda: ("args", "body"),
    ast.IfExp: ("test", "body", "orelse"),
    ast.Dict: ("keys", "values"),
    ast.Set: ("elts",),
    ast.List: ("elts",),
    ast.Tuple: ("elts",),
    ast.ListComp: ("elt", "generators"),
    ast.SetComp: ("elt", "generators"),
    ast.GeneratorExp: ("elt", "generators"),
    ast.DictComp: ("key", "value", "generators"),
    ast.comprehension: ("target", "iter", "ifs"),
    ast.Await: ("value",),
    ast.Yield: ("value",),
    ast.YieldFrom: ("value",),
    ast.Compare: ("left", "comparators"),
    ast.FormattedValue: ("value", "format_spec"),
    ast.JoinedStr: ("values",),
    ast.Subscript: ("value", "slice"),
    ast.Starred: ("value",),
    ast.Slice: ("lower", "upper", "step"),
    ast.NamedExpr: ("target", "value"),
    ast.arguments: ("posonlyargs", "args", "vararg", "kwonlyargs", "kw_defaults", "kwarg", "defaults"),
    ast.arg: ("annotation",),
}


def _absolute(package: str, relative: str) -> str | None:
    level = len(relative) - len(relative.lstrip("."))
    parts = package.split(".")
    if level - 1 > len(parts) - 1:
        return None
    base = parts[: len(parts) - (level - 1)]
    rest = relative[level:]
    return ".".join([*base, rest] if rest else base)


def name_chain(node: ast.AST) -> tuple[str, ...] | None:
    parts: list[str] = []
    while type(node) is ast.Attribute:
        parts.append(node.attr)
        node = node.value
    if type(node) is not ast.Name:
        return None
    parts.append(node.id)
    parts.reverse()
    return tuple(parts)
