"""Routes added through a helper function whose parameters give the paths, the owner and the view.

flaskbb writes `def register_view(bp_or_app, routes, view_func): for route in routes:
bp_or_app.add_url_rule(route, view_func=view_func)` and calls it as `register_view(forum_bp,
routes=["/a", "/b"], view_func=ForumView.as_view("forum"))`. Scanning records such a function
(`RouteHelper`: its parameters, and loop variables over them) and every call with a literal path
among its arguments (`HelperCall`); resolving declares the routes at each call of the helper, in
the calling module, with the call's paths, owner and view.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from analyzers.python.literals import dotted, strings
from analyzers.python.scope import Scope
from analyzers.web.app_facts import AppFacts, HelperArgument, HelperCall, RouteDecl, RouteHelper
from analyzers.web.route_rules import as_view_class

HelperKey = tuple[str, str]  # (module, function name)


def route_helper(function: ast.FunctionDef | ast.AsyncFunctionDef) -> RouteHelper:
    """The parameters and parameter loops of a function holding routes added from its parameters."""
    args = function.args
    params = tuple(a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs))
    loops = sorted(
        {
            (node.target.id, node.iter.id)
            for node in ast.walk(function)
            if isinstance(node, ast.For | ast.AsyncFor)
            and isinstance(node.target, ast.Name)
            and isinstance(node.iter, ast.Name)
            and node.iter.id in params
        }
    )
    return RouteHelper(function.name, params, tuple(loops))


def helper_call(call: ast.Call, scope: str) -> HelperCall | None:
    """The call as a possible route-helper call when an argument is a literal path or paths."""
    given = [(i, "", a) for i, a in enumerate(call.args)] + [
        (None, k.arg, k.value) for k in call.keywords if k.arg
    ]
    found = [a for position, keyword, value in given if (a := _argument(position, keyword, value))]
    callee = dotted(call.func)
    if callee is None or not any(a.kind == "paths" for a in found):
        return None
    return HelperCall(scope, callee, call.lineno, tuple(found))


def _argument(position: int | None, keyword: str, value: ast.expr) -> HelperArgument | None:
    """Literal paths, a dotted name or a view class given as an argument; None for anything else."""
    texts = strings(value)
    if texts and all(t.startswith("/") for t in texts):
        return HelperArgument(position, keyword, "paths", texts)
    if (named := dotted(value)) is not None:
        return HelperArgument(position, keyword, "name", (named,))
    if (view := as_view_class(value)) is not None:
        return HelperArgument(position, keyword, "view", view)
    return None


def helper_routes(
    files: Mapping[str, AppFacts], scope: Scope
) -> tuple[dict[str, list[RouteDecl]], set[HelperKey]]:
    """The routes each call of a route helper adds, declared at the call (its module, its
    arguments), and the helpers followed that way."""
    helpers = {(m, h.name): h for m, facts in files.items() for h in facts.helpers}
    if not helpers:
        return {}, set()
    inside: dict[HelperKey, list[RouteDecl]] = defaultdict(list)
    for module, facts in files.items():
        for decl in facts.decls:
            if decl.source.kind == "name" and (module, decl.scope) in helpers:
                inside[(module, decl.scope)].append(decl)
    expansion = _Expansion()
    for module, facts in sorted(files.items()):
        for call in facts.helper_calls:
            target = scope.resolve_name(module, call.callee) or (module, call.callee)
            helper = helpers.get(target)
            if helper is not None:
                expansion.add(module, target, _Binding(helper, call), inside[target])
    return expansion.routes, expansion.helped


@dataclass(frozen=True, slots=True)
class _Binding:
    """A call of a helper: the helper's parameters bound to the call's arguments."""

    helper: RouteHelper
    call: HelperCall

    def given(self, name: str) -> HelperArgument | None:
        """The argument a parameter (or a loop variable over one) is given."""
        params = self.helper.params
        wanted = name if name in params else dict(self.helper.loops).get(name)
        for argument in reversed(self.call.args):  # (the last given wins, as in a dict)
            position = argument.position
            bound = (
                argument.keyword if position is None else params[position] if position < len(params) else None
            )
            if bound is not None and bound == wanted:
                return argument
        return None


class _Expansion:
    """The routes declared at helper calls, by calling module, and the helpers they come from."""

    def __init__(self) -> None:
        self.routes: dict[str, list[RouteDecl]] = defaultdict(list)
        self.helped: set[HelperKey] = set()

    def add(self, module: str, target: HelperKey, binding: _Binding, decls: list[RouteDecl]) -> None:
        for decl in decls:
            paths = binding.given(decl.source.name)
            owner = binding.given(decl.owner)
            view = binding.given(decl.handler)
            if paths is None or paths.kind != "paths" or owner is None or owner.kind != "name":
                continue
            if view is None or view.kind == "paths":
                continue
            self.helped.add(target)
            self.routes[module] += _declared(binding.call, decl, owner.values[0], paths.values, view)


def _declared(
    call: HelperCall, decl: RouteDecl, owner: str, paths: tuple[str, ...], view: HelperArgument
) -> list[RouteDecl]:
    """The routes `decl` of a helper declares at `call`, one per path given."""
    handler, *named = view.values
    endpoint = (named[0] if named else "") or decl.endpoint
    resource = view.kind == "view"
    return [
        RouteDecl(
            call.scope, owner, path + decl.rule, decl.methods, handler, False, call.line, endpoint, resource
        )
        for path in paths
    ]
