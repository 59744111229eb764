"""FastAPI and Starlette: what their calls declare, scanned per file.

Routers (`APIRouter(prefix=...)`) and their inclusion (`include_router(router, prefix=...)`, whose
prefix is prepended to the router's own), `add_api_route`, and sub-applications mounted at a path
(`app.mount("/api/v1", app=api)`). Decorators (`@router.get("/x")`) are read in `analyzers.web.apps`,
alike for Flask.
"""

from __future__ import annotations

import ast

from analyzers.python.literals import argument, dotted, keyword_value, string
from analyzers.web.app_facts import Mount, RouteDecl
from analyzers.web.route_rules import computed_prefix, declared_methods, rule_of, view_target

#: Calls on an owner that this module reads.
CALLS = frozenset({"add_api_route", "include_router", "mount"})


def owner_fields(call: ast.Call) -> tuple[str, str, str]:
    """(prefix, label, computed prefix as written) of the router `call` creates."""
    node = keyword_value(call, "prefix")
    return string(node) or "", "", computed_prefix(node)


def api_route(call: ast.Call, owner: str, scope: str) -> RouteDecl | None:
    """`owner.add_api_route(path, endpoint, methods=[...], name=...)`."""
    node = argument(call, 0, "path")
    if node is None:
        return None
    rule, source = rule_of(node)
    target = view_target(argument(call, 1, "endpoint"))
    if target is None:
        return None
    endpoint = string(keyword_value(call, "name")) or target.endpoint
    methods = declared_methods(call, "add_api_route")
    return RouteDecl(scope, owner, rule, methods, target.handler, False, call.lineno, endpoint, False, source)


def mount(call: ast.Call, method: str, owner: str, scope: str) -> Mount | None:
    """`include_router` and Starlette's `mount` on `owner` as a Mount: its prefix is prepended."""
    if method == "mount":  # `app.mount("/api/v1", app=api)`: a sub-application
        child = dotted(argument(call, 1, "app"))
        at = argument(call, 0, "path")
        if child is None or at is None:
            return None
        return Mount(scope, owner, child, string(at) or "", call.lineno, False, computed_prefix(at))
    child = dotted(argument(call, 0, "router"))
    if child is None:
        return None
    node = keyword_value(call, "prefix")
    prefix = string(node) if node is not None else None
    return Mount(scope, owner, child, prefix, call.lineno, False, computed_prefix(node))
