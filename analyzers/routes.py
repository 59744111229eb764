"""Flask and FastAPI routes: decorators and `add_url_rule` on apps, blueprints and routers.

Scanning records, per file, the app-like objects created (`Flask`, `Blueprint`, `FastAPI`,
`APIRouter`) with their prefix, the routes declared on them and the mounts of one on another
(`register_blueprint`, `include_router`), each with names as written. Resolving follows names
through the import `Scope` and composes prefixes along every chain of mounts.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from analyzers.fw_ast import argument, dotted, keyword_value, last_name, string, strings
from analyzers.model import Diagnostic, Framework, Route, picklable
from analyzers.scope import Scope

OwnerKind = Literal["flask", "blueprint", "fastapi", "router"]
OWNER_CALLS: Mapping[str, OwnerKind] = {
    "Flask": "flask",
    "Blueprint": "blueprint",
    "FastAPI": "fastapi",
    "APIRouter": "router",
}
VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace"})
ROUTE_DECORATORS = VERBS | {"route", "api_route", "websocket"}
MAX_MOUNT_DEPTH = 16


@picklable
@dataclass(frozen=True, slots=True, order=True)
class RouteOwner:
    """`name = Blueprint(...)` and the like, inside function `scope` ("" at top level)."""

    scope: str
    name: str
    kind: OwnerKind
    prefix: str
    line: int
    label: str = ""  # a blueprint's name, the first part of its endpoints


@picklable
@dataclass(frozen=True, slots=True, order=True)
class RouteDecl:
    """A route declared on `owner` (expression as written) inside function `scope`."""

    scope: str
    owner: str
    rule: str
    methods: tuple[str, ...]  # declared, upper-case; () = the framework's default
    handler: str  # qualified name in this module (decorated) or an expression (add_url_rule)
    decorated: bool
    line: int
    endpoint: str = ""


@picklable
@dataclass(frozen=True, slots=True, order=True)
class Mount:
    """`parent.register_blueprint(child, url_prefix=...)` / `parent.include_router(child, prefix=...)`."""

    scope: str
    parent: str
    child: str
    prefix: str | None  # None: no prefix given at the mount
    line: int
    replaces: bool = True  # Flask's url_prefix replaces the blueprint's; FastAPI's is prepended


def owner_of(call: ast.Call) -> tuple[OwnerKind, str, str] | None:
    """(kind, prefix, label) when `call` creates a Flask/FastAPI app, blueprint or router."""
    kind = OWNER_CALLS.get(last_name(call.func))
    if kind is None:
        return None
    if kind == "blueprint":
        prefix = string(keyword_value(call, "url_prefix")) or ""
        return kind, prefix, string(argument(call, 0, "name")) or ""
    if kind == "router":
        return kind, string(keyword_value(call, "prefix")) or "", ""
    return kind, "", ""


def route_of_decorator(decorator: ast.expr, scope: str, handler: str) -> RouteDecl | None:
    """A RouteDecl for `@owner.route("/x", methods=[...])`, `@owner.get("/x")`..., or None."""
    if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
        return None
    verb = decorator.func.attr
    owner = dotted(decorator.func.value)
    if verb not in ROUTE_DECORATORS or owner is None:
        return None
    rule = string(argument(decorator, 0, "path"))
    if rule is None:
        rule = string(keyword_value(decorator, "rule"))
    if rule is None:
        return None
    methods = _methods(decorator, verb)
    endpoint = string(keyword_value(decorator, "endpoint")) or string(keyword_value(decorator, "name"))
    return RouteDecl(scope, owner, rule, methods, handler, True, decorator.lineno, endpoint or "")


def route_of_call(call: ast.Call, scope: str) -> RouteDecl | Mount | None:
    """`add_url_rule`/`add_api_route` as a RouteDecl; `register_blueprint`/`include_router` as a Mount."""
    if not isinstance(call.func, ast.Attribute):
        return None
    method = call.func.attr
    owner = dotted(call.func.value)
    if owner is None:
        return None
    if method in ("register_blueprint", "include_router"):
        child = dotted(argument(call, 0, "blueprint" if method == "register_blueprint" else "router"))
        if child is None:
            return None
        key = "url_prefix" if method == "register_blueprint" else "prefix"
        prefix_node = keyword_value(call, key)
        prefix = string(prefix_node) if prefix_node is not None else None
        return Mount(scope, owner, child, prefix, call.lineno, method == "register_blueprint")
    if method not in ("add_url_rule", "add_api_route"):
        return None
    rule = string(argument(call, 0, "rule" if method == "add_url_rule" else "path"))
    if rule is None:
        return None
    if method == "add_url_rule":
        endpoint = string(argument(call, 1, "endpoint")) or ""
        view = argument(call, 2, "view_func")
    else:
        endpoint = string(keyword_value(call, "name")) or ""
        view = argument(call, 1, "endpoint")
    if isinstance(view, ast.Call) and isinstance(view.func, ast.Attribute):
        if view.func.attr == "as_view":
            endpoint = endpoint or string(argument(view, 0, "name")) or ""
        view = view.func.value  # View.as_view("name"): the class handles the route
    handler = dotted(view)
    if handler is None:
        return None
    return RouteDecl(scope, owner, rule, _methods(call, method), handler, False, call.lineno, endpoint)


def _methods(call: ast.Call, verb: str) -> tuple[str, ...]:
    if verb in VERBS:
        return (verb.upper(),)
    declared = strings(keyword_value(call, "methods"))
    return tuple(sorted({m.upper() for m in declared})) if declared else ()


# --- resolution ------------------------------------------------------------------------------

OwnerKey = tuple[str, str, str]  # (module, scope, name)
_ANONYMOUS_APP: OwnerKey = ("", "", "")


@picklable
@dataclass(frozen=True, slots=True)
class AppFacts:
    """The Flask/FastAPI part of one file's raw facts."""

    owners: tuple[RouteOwner, ...] = ()
    decls: tuple[RouteDecl, ...] = ()
    mounts: tuple[Mount, ...] = ()
    imports_framework: tuple[str, ...] = ()  # "flask" / "fastapi" when the file imports them


def resolve_app_routes(
    files: Mapping[str, AppFacts], scope: Scope
) -> tuple[tuple[Route, ...], tuple[Diagnostic, ...]]:
    """Every Flask/FastAPI route with its prefixes composed along the mounts reaching its owner."""
    owners: dict[OwnerKey, RouteOwner] = {_ANONYMOUS_APP: RouteOwner("", "", "flask", "", 0)}
    for module, facts in files.items():
        for owner in facts.owners:
            owners[(module, owner.scope, owner.name)] = owner

    def find(module: str, where: str, expr: str) -> OwnerKey | None:
        if (module, where, expr) in owners:
            return (module, where, expr)
        if (module, "", expr) in owners:
            return (module, "", expr)
        found = scope.resolve_name(module, expr)
        if found is not None and (found[0], "", found[1]) in owners:
            return (found[0], "", found[1])
        return None

    parents: dict[OwnerKey, list[tuple[OwnerKey, str]]] = defaultdict(list)
    for module, facts in sorted(files.items()):
        for mount in facts.mounts:
            parent = find(module, mount.scope, mount.parent)
            child = find(module, mount.scope, mount.child)
            if child is None or parent == child:
                continue
            # `def register(app): app.register_blueprint(bp, ...)`: the parent is a parameter;
            # whatever it is, the mount's prefix applies, so mount on an anonymous app.
            own = owners[child].prefix
            if mount.prefix is not None:
                own = mount.prefix if mount.replaces else join_paths(mount.prefix, own)
            parents[child].append((parent or _ANONYMOUS_APP, own))

    def prefixes(key: OwnerKey, depth: int) -> list[tuple[str, str]]:
        """(path prefix, endpoint prefix) of every way `key` is reachable from an app."""
        owner = owners[key]
        label = owner.label
        if depth > MAX_MOUNT_DEPTH or not parents.get(key):
            return [(owner.prefix, label)]
        found: list[tuple[str, str]] = []
        for parent, own in parents[key]:
            for path, name in prefixes(parent, depth + 1):
                found.append((join_paths(path, own), ".".join(p for p in (name, label) if p)))
        return found

    routes: set[Route] = set()
    for module, facts in sorted(files.items()):
        for decl in facts.decls:
            key = find(module, decl.scope, decl.owner)
            if key is not None:
                kind = owners[key].kind
                framework: Framework = "flask" if kind in ("flask", "blueprint") else "fastapi"
                mounted = prefixes(key, 0)
            elif len(facts.imports_framework) == 1:
                framework = "flask" if facts.imports_framework[0] == "flask" else "fastapi"
                mounted = [("", "")]
            else:
                continue  # `@cache.get("x")` and the like in a file without a web framework
            handler_module, handler = _handler(module, decl, scope)
            methods = decl.methods or ("GET",)
            endpoint = decl.endpoint or handler.rsplit(".", 1)[-1]
            for path, label in mounted:
                name = f"{label}.{endpoint}" if label and framework == "flask" else endpoint
                routes.add(
                    Route(
                        path=join_paths(path, decl.rule),
                        methods=methods,
                        handler=handler,
                        module=handler_module,
                        line=decl.line,
                        framework=framework,
                        name=name,
                    )
                )
    return tuple(sorted(routes)), ()


def _handler(module: str, decl: RouteDecl, scope: Scope) -> tuple[str, str]:
    if decl.decorated:
        return module, f"{module}.{decl.handler}"
    found = scope.resolve_name(module, decl.handler)
    if found is None or not found[1]:
        return module, f"{module}.{decl.handler}"
    return found[0], f"{found[0]}.{found[1]}"


def join_paths(prefix: str, rule: str) -> str:
    """`/orders` + `/<int:id>` → `/orders/<int:id>`: one slash between, none doubled, rule's trailing kept."""
    if not prefix:
        return rule if rule.startswith("/") or not rule else "/" + rule
    if not rule:
        return prefix if prefix.startswith("/") else "/" + prefix
    joined = prefix.rstrip("/") + "/" + rule.lstrip("/")
    return joined if joined.startswith("/") else "/" + joined
