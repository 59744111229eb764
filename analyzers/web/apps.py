"""Apps, blueprints, routers, APIs and namespaces, and the routes and mounts declared on them.

What Flask and FastAPI share is read here: the app-like objects a file creates (`owner_of`, and
`owner_candidate` for a class only named like the framework's: a project subclass, maybe, which
resolving confirms through analyzers.python.subclasses), route decorators (`@owner.route("/x",
methods=[...])`, `@owner.get("/x")`), and the calls on an owner, each handed to the framework
module that knows it (`analyzers.web.flask`, `analyzers.web.fastapi`).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from analyzers.python.literals import argument, dotted, keyword_value, last_name, string
from analyzers.web import fastapi, flask
from analyzers.web.app_facts import OWNER_CALLS, VERBS, Mount, OwnerKind, RouteDecl, RouteOwner
from analyzers.web.route_rules import declared_methods, rule_of

ROUTE_DECORATORS = VERBS | {"route", "api_route", "websocket"}
# Names a project gives its subclasses: `UserAPIRouter`, `IndicoBlueprint`, prefect's `PrefectRouter`.
_CANDIDATE_SUFFIXES: tuple[tuple[str, OwnerKind], ...] = (*OWNER_CALLS.items(), ("Router", "router"))
_OWNER_SUFFIXES = tuple(suffix for suffix, _ in _CANDIDATE_SUFFIXES)

RouteFound = RouteDecl | Mount | list[RouteDecl] | None


def owner_kind(call: ast.Call, aliases: Mapping[str, str] | None = None) -> OwnerKind | None:
    """The kind of app-like object `call` creates; `aliases` (local name -> imported dotted name)
    finds it under another name (`from flask_restx import Api as RestxApi`)."""
    name = last_name(call.func)
    kind = OWNER_CALLS.get(name)
    if kind is None and aliases and isinstance(call.func, ast.Name) and name in aliases:
        kind = OWNER_CALLS.get(aliases[name].rpartition(".")[2])
    return kind


def owner_of(
    call: ast.Call, scope: str, name: str, aliases: Mapping[str, str] | None = None
) -> RouteOwner | None:
    """The owner `name = call` creates inside `scope` when `call` creates a Flask/FastAPI app,
    blueprint or router, or a Flask-RESTful/RESTX API or namespace (`api.namespace("cats")` too)."""
    kind = owner_kind(call, aliases)
    if kind is None and isinstance(call.func, ast.Attribute) and call.func.attr == "namespace":
        kind = "namespace"  # Flask-RESTX `api.namespace(name, path=...)`: created on `api`
    if kind is None:
        return None
    prefix, label, computed = _owner_fields(kind, call)
    return RouteOwner(scope, name, kind, prefix, call.lineno, label, computed=computed)


def owner_candidate(call: ast.Call, scope: str, name: str) -> RouteOwner | None:
    """The owner `name = call` may create when `call` creates an object of a class named like an
    app-like class of the frameworks (`UserAPIRouter(prefix="/groups")`)."""
    called = last_name(call.func)
    if not called or not called.endswith(_OWNER_SUFFIXES) or called in OWNER_CALLS:
        return None  # (one C call turns away the calls of every assignment in a file)
    for suffix, kind in _CANDIDATE_SUFFIXES:
        if called.endswith(suffix) and (written := dotted(call.func)):
            prefix, label, computed = _owner_fields(kind, call)
            return RouteOwner(scope, name, kind, prefix, call.lineno, label, written, computed)
    return None


def _owner_fields(kind: OwnerKind, call: ast.Call) -> tuple[str, str, str]:
    """(prefix, label, computed prefix as written) of the app-like object `call` creates."""
    if kind == "router":
        return fastapi.owner_fields(call)
    if kind in ("blueprint", "api", "namespace"):
        return flask.owner_fields(kind, call)
    return "", "", ""


def api_parent(call: ast.Call, aliases: Mapping[str, str] | None = None) -> str | None:
    """`Api(app)` / `Api(blueprint)`: the object the API's routes are added to, as written."""
    if owner_kind(call, aliases) != "api":
        return None
    return dotted(argument(call, 0, "app"))


def route_of_decorator(
    decorator: ast.expr, scope: str, handler: str, on_class: bool = False
) -> RouteDecl | None:
    """A RouteDecl for `@owner.route("/x", methods=[...])`, `@owner.get("/x")`..., or None;
    `on_class`: the decorated object is a resource class (Flask-RESTX `@ns.route`)."""
    if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
        return None
    verb = decorator.func.attr
    owner = dotted(decorator.func.value)
    if verb not in ROUTE_DECORATORS or owner is None:
        return None
    node = argument(decorator, 0, "path") or keyword_value(decorator, "rule")
    if node is None or (on_class and verb != "route"):
        return None
    rule, source = rule_of(node)
    methods = declared_methods(decorator, verb)
    endpoint = string(keyword_value(decorator, "endpoint")) or string(keyword_value(decorator, "name")) or ""
    return RouteDecl(scope, owner, rule, methods, handler, True, decorator.lineno, endpoint, on_class, source)


def route_of_call(call: ast.Call, scope: str) -> RouteFound:
    """`add_url_rule`/`add_api_route` as a RouteDecl, a resource added on its paths as RouteDecls;
    `register_blueprint`/`include_router`/`mount`/`add_namespace`/`init_app` as a Mount."""
    if not isinstance(call.func, ast.Attribute):
        return None
    method = call.func.attr
    owner = dotted(call.func.value)
    if owner is None:
        return None
    if flask.is_resource_call(method):
        return flask.resource_routes(call, owner, scope)
    if method == "add_url_rule":
        return flask.url_rule(call, owner, scope)
    if method == "add_api_route":
        return fastapi.api_route(call, owner, scope)
    if method in flask.CALLS:
        return flask.mount(call, method, owner, scope)
    if method in fastapi.CALLS:
        return fastapi.mount(call, method, owner, scope)
    return None
