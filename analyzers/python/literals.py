"""Reading names and literals out of `ast` expressions, for the framework extractors.

Framework facts are recorded with names as written (`views.bp`, `models.Model`); these helpers
turn the expression shapes that can carry such facts into strings, and give up (None) on the rest.
"""

from __future__ import annotations

import ast

#: Decorator calls unwrapped around a view (`csrf_exempt(login_required(view))`).
MAX_WRAPPERS = 8


def dotted(node: ast.expr | None) -> str | None:
    """`a.b.c` for a Name/Attribute chain; None for anything else (calls, subscripts...)."""
    kind = type(node)
    if kind is ast.Name:  # the common case, no list to build
        return node.id  # type: ignore[union-attr,no-any-return]
    parts: list[str] = []
    while kind is ast.Attribute:
        parts.append(node.attr)  # type: ignore[union-attr]
        node = node.value  # type: ignore[union-attr]
        kind = type(node)
    if kind is ast.Name:
        parts.append(node.id)  # type: ignore[union-attr]
        return ".".join(reversed(parts))
    return None


def last_name(node: ast.expr) -> str:
    """The last component of a called name: `Blueprint` for `flask.Blueprint(...)`; "" if none."""
    kind = type(node)  # (parsed trees hold no subclasses of the node types)
    if kind is ast.Attribute:
        return node.attr  # type: ignore[attr-defined,no-any-return]
    if kind is ast.Name:
        return node.id  # type: ignore[attr-defined,no-any-return]
    return ""


def string(node: ast.expr | None) -> str | None:
    """The value of a string literal, or None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def argument(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    """The argument at position `index` or given as `keyword=`, whichever the call has."""
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    if index < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: index + 1]):
        return call.args[index]
    return None


def strings(node: ast.expr | None) -> tuple[str, ...] | None:
    """The strings of a list/tuple/set literal of string literals (a lone string too); else None."""
    single = string(node)
    if single is not None:
        return (single,)
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        values = [string(element) for element in node.elts]
        if all(v is not None for v in values):
            return tuple(v for v in values if v is not None)
    return None


def keyword_value(call: ast.Call, name: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def unwrapped_view(view: ast.expr) -> ast.expr:
    """The view a decorator call wraps (`login_required(views.index)`, `cache_page(60)(view)`,
    `ensure_csrf_cookie(TokenView.as_view())`), through several; `view` itself otherwise."""
    for _ in range(MAX_WRAPPERS):
        if not isinstance(view, ast.Call) or not view.args:
            break
        func = view.func
        if isinstance(func, ast.Attribute) and func.attr == "as_view":
            break
        inner = view.args[0]
        if not (isinstance(inner, ast.Call) or dotted(inner) is not None):
            break  # `make_view("x")`: no view given, a view made
        view = inner
    return view


def top_level(body: list[ast.stmt]) -> list[ast.stmt]:
    """Module-level statements, including those under top-level `if`/`try` blocks."""
    found: list[ast.stmt] = []
    for statement in body:
        if isinstance(statement, ast.If):
            found += top_level(statement.body) + top_level(statement.orelse)
        elif isinstance(statement, ast.Try):
            found += top_level(statement.body) + top_level(statement.orelse)
            for handler in statement.handlers:
                found += top_level(handler.body)
            found += top_level(statement.finalbody)
        else:
            found.append(statement)
    return found
