"""Reading a Flask or FastAPI route's path, prefix, methods and view out of the expressions that
give them.

A path is a literal, the literal inside a call (`org_scoped_rule("/x")`), a name (`PREFIX`), a name
and a literal tail (`PREFIX + "/x"`, `f"{self.base}/x"`), or unreadable: `rule_of` says which with
a `RuleSource`. A prefix that is no literal is kept as written (`computed_prefix`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from analyzers.python.literals import argument, dotted, keyword_value, string, strings, unwrapped_view
from analyzers.web.app_facts import LITERAL, UNREAD, VERBS, RuleSource

_MAX_WRITTEN = 80  # characters of an expression kept as written


def rule_of(node: ast.expr | None) -> tuple[str, RuleSource]:
    """(path, its source) of a route's path argument: a literal; the literal inside a call, the
    prefix such a helper may add being unknown; a name, or a name and a literal tail: the tail,
    the name's value being what resolving may read; else ("", UNREAD)."""
    text = string(node)
    if text is not None:
        return text, LITERAL
    if isinstance(node, ast.Call) and node.args and (inner := string(node.args[0])) is not None:
        return inner, RuleSource("call", dotted(node.func) or "a call")
    named = dotted(node)
    if named is not None:
        return "", RuleSource("name", named)  # its value may be a constant of the codebase
    head, tail = _head_and_tail(node)
    if head is not None and tail is not None:
        return tail, RuleSource("name", head)
    return "", UNREAD


def _head_and_tail(node: ast.expr | None) -> tuple[str | None, str | None]:
    """(name, literal) of `name + "literal"` and `f"{name}literal"`; Nones for anything else."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return dotted(node.left), string(node.right)
    if isinstance(node, ast.JoinedStr) and node.values:
        return _formatted_head_and_tail(node.values[0], node.values[1:])
    return None, None


def _formatted_head_and_tail(first: ast.expr, rest: list[ast.expr]) -> tuple[str | None, str | None]:
    """`f"{name}literal"`: a plain replacement field first, then literal text only."""
    if not (isinstance(first, ast.FormattedValue) and first.conversion == -1 and first.format_spec is None):
        return None, None
    texts = [string(value) if isinstance(value, ast.Constant) else None for value in rest]
    if any(text is None for text in texts):
        return None, None
    return dotted(first.value), "".join(t for t in texts if t is not None)


def computed_prefix(node: ast.expr | None) -> str:
    """The expression of a prefix that is not a literal, as written ("" for a literal or none)."""
    if node is None or string(node) is not None:
        return ""
    return ast.unparse(node)[:_MAX_WRITTEN]


def declared_methods(call: ast.Call, verb: str) -> tuple[str, ...]:
    """The methods of `@x.get(...)` (GET), or those `methods=[...]` declares (upper-case, sorted)."""
    if verb in VERBS:
        return (verb.upper(),)
    declared = strings(keyword_value(call, "methods"))
    return tuple(sorted({m.upper() for m in declared})) if declared else ()


@dataclass(frozen=True, slots=True)
class ViewTarget:
    """What handles a route added by a call: `handler` as written; the endpoint `View.as_view(name)`
    names ("" if none); `as_view`: the handler is that view class."""

    handler: str
    endpoint: str = ""
    as_view: bool = False


def view_target(view: ast.expr | None) -> ViewTarget | None:
    """The handler of a view argument: the view a wrapper wraps, the class of `View.as_view("x")`,
    the function called to make it (`make_view("x")`); None when none is named."""
    node = unwrapped_view(view) if view is not None else None
    if (found := as_view_class(node)) is not None:
        return ViewTarget(*found, True)
    if isinstance(node, ast.Call):
        node = node.func  # `make_view("x")`: the function called makes the view
    handler = dotted(node)
    return None if handler is None else ViewTarget(handler)


def as_view_class(node: ast.expr | None) -> tuple[str, str] | None:
    """`View.as_view("name")`: (the view class as written, the endpoint name or "")."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "as_view":
        view = dotted(node.func.value)
        return None if view is None else (view, string(argument(node, 0, "name")) or "")
    return None
