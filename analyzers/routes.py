"""Flask and FastAPI routes: decorators and `add_url_rule` on apps, blueprints and routers, and
Flask-RESTful / Flask-RESTX resources.

Scanning records, per file, the app-like objects created (`Flask`, `Blueprint`, `FastAPI`,
`APIRouter`, `Api`, `Namespace`) with their prefix, the routes declared on them and the mounts of
one on another (`register_blueprint`, `include_router`, `mount`, `Api(app)`, `init_app`,
`add_namespace`),
each with names as written. A resource route (`api.add_resource(Cls, "/a", "/b")`, a wrapper named
`add_<...>resource` called alike, `@ns.route("/a")` on a class, `Cls.as_view(...)`) takes its
methods from the verbs the class and its bases define. Resolving (`analyzers.app_routes`) follows
names through the import `Scope` and the parameters of functions adding routes, and composes
prefixes along every chain of mounts.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from analyzers.fw_ast import argument, dotted, keyword_value, last_name, string, strings, unwrapped_view
from analyzers.model import picklable
from analyzers.route_owners import OwnerCall, OwnerHelper

#: In `string_constants`, the value of a name bound to an instance: this mark, then its class.
INSTANCE = "\x00"

OwnerKind = Literal["flask", "blueprint", "fastapi", "router", "api", "namespace"]
OWNER_CALLS: Mapping[str, OwnerKind] = {
    "Flask": "flask",
    "Blueprint": "blueprint",
    "FastAPI": "fastapi",
    "APIRouter": "router",
    "Api": "api",  # Flask-RESTful, Flask-RESTX
    "Namespace": "namespace",  # Flask-RESTX
}
# Names a project gives its subclasses: `UserAPIRouter`, `IndicoBlueprint`, prefect's `PrefectRouter`.
_CANDIDATE_SUFFIXES: tuple[tuple[str, OwnerKind], ...] = (*OWNER_CALLS.items(), ("Router", "router"))
_OWNER_SUFFIXES = tuple(suffix for suffix, _ in _CANDIDATE_SUFFIXES)
# The framework classes of each kind, which a project's subclass derives from.
KIND_CLASSES = {
    kind: frozenset(name for name, of in OWNER_CALLS.items() if of == kind)
    for kind in set(OWNER_CALLS.values())
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
    cls: str = ""  # the class called, when it is only named like the framework's (a subclass, maybe)
    computed: str = ""  # the prefix given is an expression (`url_prefix=f"/{kind}"`), as written


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
    resource: bool = False  # a class whose verb methods are the route's methods (when none declared)
    computed: str = ""  # the rule came out of a call (`org_scoped_rule("/x")`): its name; "?" = unread


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
    computed: str = ""  # the prefix given is an expression (`settings.API_V1_STR`), as written


@picklable
@dataclass(frozen=True, slots=True, order=True)
class ResourceClass:
    """A top-level class of the file: the HTTP verbs it defines as methods, its bases as written."""

    name: str
    verbs: tuple[str, ...]
    bases: tuple[str, ...]
    line: int = 0


@picklable
@dataclass(frozen=True, slots=True, order=True)
class RouteHelper:
    """A top-level function adding routes from its parameters (flaskbb's
    `register_view(bp_or_app, routes, view_func)`): its parameters in order, and the loop variables
    bound to a parameter's items (`for route in routes`)."""

    name: str
    params: tuple[str, ...]
    loops: tuple[tuple[str, str], ...] = ()  # (loop variable, parameter iterated)


@picklable
@dataclass(frozen=True, slots=True, order=True)
class HelperCall:
    """A call that may add routes through a helper: its literal path arguments and the names given
    as other arguments. `args` holds (position or keyword, value): "/a\x1f/b" paths after "p:",
    a dotted name after "n:", a view class after "v:" (`View.as_view(...)`)."""

    scope: str
    callee: str
    line: int
    args: tuple[tuple[str, str], ...]


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
    found: list[tuple[str, str]] = []
    paths = False
    items = [(str(i), a) for i, a in enumerate(call.args)] + [
        (k.arg, k.value) for k in call.keywords if k.arg
    ]
    for key, value in items:
        text = _paths(value)
        if text is not None:
            found.append((key, "p:" + text))
            paths = True
        elif (named := dotted(value)) is not None:
            found.append((key, "n:" + named))
        elif (view := view_class(value)) is not None:
            found.append((key, "v:" + view))
    callee = dotted(call.func)
    if not paths or callee is None:
        return None
    return HelperCall(scope, callee, call.lineno, tuple(found))


def view_class(node: ast.expr) -> str | None:
    """`View.as_view("name")`: the view class as written, then \x1f and the endpoint name."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "as_view":
        view = dotted(node.func.value)
        return None if view is None else f"{view}\x1f{string(argument(node, 0, 'name')) or ''}"
    return None


def _paths(node: ast.expr) -> str | None:
    """ "/a" or ["/a", "/b"]: the paths joined by \x1f; None for anything else."""
    texts = strings(node)
    if texts and all(t.startswith("/") for t in texts):
        return "\x1f".join(texts)
    return None


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
    app-like class of the frameworks (`UserAPIRouter(prefix="/groups")`): a project subclass, maybe,
    which resolving confirms (analyzers.subclasses)."""
    called = last_name(call.func)
    if not called or not called.endswith(_OWNER_SUFFIXES) or called in OWNER_CALLS:
        return None  # (one C call turns away the calls of every assignment in a file)
    for suffix, kind in _CANDIDATE_SUFFIXES:
        if called.endswith(suffix) and (written := dotted(call.func)):
            prefix, label, computed = _owner_fields(kind, call)
            return RouteOwner(scope, name, kind, prefix, call.lineno, label, written, computed)
    return None


def namespace_parent(call: ast.Call) -> str | None:
    """`api.namespace("cats")`: the API the new namespace is added to, as written."""
    func = call.func
    return dotted(func.value) if isinstance(func, ast.Attribute) and func.attr == "namespace" else None


def _owner_fields(kind: OwnerKind, call: ast.Call) -> tuple[str, str, str]:
    """(prefix, label, computed prefix as written) of the app-like object `call` creates."""
    if kind == "blueprint":
        node = keyword_value(call, "url_prefix")
        return string(node) or "", string(argument(call, 0, "name")) or "", _computed_prefix(node)
    if kind in ("router", "api"):
        node = keyword_value(call, "prefix")
        return string(node) or "", "", _computed_prefix(node)
    if kind == "namespace":
        name = string(argument(call, 0, "name")) or ""
        node = keyword_value(call, "path")
        path = string(node)
        if node is None and not name:  # `Namespace(NAME)`: the path is "/" and the name
            node = argument(call, 0, "name")
        return path if path is not None else (f"/{name}" if name else ""), "", _computed_prefix(node)
    return "", "", ""


def api_parent(call: ast.Call, aliases: Mapping[str, str] | None = None) -> str | None:
    """`Api(app)` / `Api(blueprint)`: the object the API's routes are added to, as written."""
    if owner_kind(call, aliases) != "api":
        return None
    return dotted(argument(call, 0, "app"))


def is_resource_call(method: str) -> bool:
    """`add_resource`, or a wrapper named like it (`add_org_resource`) called the same way."""
    return method.endswith("resource") and method.startswith("add_")


def resource_class(node: ast.ClassDef) -> ResourceClass | None:
    """The verbs a top-level class defines (`def get(self)`...), if any, with its bases."""
    verbs = tuple(
        sorted(
            s.name
            for s in node.body
            if isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) and s.name in VERBS
        )
    )
    bases = tuple(b for b in (dotted(base) for base in node.bases) if b)
    if not verbs and not bases:
        return None
    return ResourceClass(node.name, verbs, bases, node.lineno)


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
    rule, computed = rule_of(node)
    if node is None or (on_class and verb != "route"):
        return None
    methods = _methods(decorator, verb)
    endpoint = string(keyword_value(decorator, "endpoint")) or string(keyword_value(decorator, "name"))
    return RouteDecl(
        scope, owner, rule, methods, handler, True, decorator.lineno, endpoint or "", on_class, computed
    )


def rule_of(node: ast.expr | None) -> tuple[str, str]:
    """(path, computed) of a route's path argument: a literal (computed ""); the literal inside a
    call such as `org_scoped_rule("/x")` (computed: the call's name), the prefix such a helper may
    add being unknown; a name, or a name and a literal tail (`PREFIX + "/x"`, `f"{self.base}/x"`):
    the tail, and "=" and the name, whose value resolving may read; else ("", "?"), a path that
    cannot be read without running the code."""
    text = string(node)
    if text is not None:
        return text, ""
    if isinstance(node, ast.Call) and node.args and (inner := string(node.args[0])) is not None:
        return inner, dotted(node.func) or "a call"
    named = dotted(node)
    if named is not None:
        return "", "=" + named  # a name: its value may be a constant of the codebase (resolution)
    head, tail = _head_and_tail(node)
    if head is not None and tail is not None:
        return tail, "=" + head
    return "", "?"


def _head_and_tail(node: ast.expr | None) -> tuple[str | None, str | None]:
    """(name, literal) of `name + "literal"` and `f"{name}literal"`; Nones for anything else."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return dotted(node.left), string(node.right)
    if isinstance(node, ast.JoinedStr) and len(node.values) >= 1:
        first, rest = node.values[0], node.values[1:]
        if not (
            isinstance(first, ast.FormattedValue) and first.conversion == -1 and first.format_spec is None
        ):
            return None, None
        texts = [string(value) if isinstance(value, ast.Constant) else None for value in rest]
        if any(text is None for text in texts):
            return None, None
        return dotted(first.value), "".join(t for t in texts if t is not None)
    return None, None


def route_of_call(call: ast.Call, scope: str) -> RouteDecl | Mount | list[RouteDecl] | None:
    """`add_url_rule`/`add_api_route` as a RouteDecl, a resource added on its paths as RouteDecls;
    `register_blueprint`/`include_router`/`mount`/`add_namespace`/`init_app` as a Mount."""
    if not isinstance(call.func, ast.Attribute):
        return None
    method = call.func.attr
    owner = dotted(call.func.value)
    if owner is None:
        return None
    if is_resource_call(method):
        return _resource_routes(call, owner, scope)
    if method == "add_namespace":
        child = dotted(argument(call, 0, "ns"))
        given = string(argument(call, 1, "path"))
        return Mount(scope, owner, child, given, call.lineno) if child else None
    if method == "mount":  # Starlette/FastAPI `app.mount("/api/v1", app=api)`: a sub-application
        child = dotted(argument(call, 1, "app"))
        at = argument(call, 0, "path")
        if child is None or at is None:
            return None
        return Mount(scope, owner, child, string(at) or "", call.lineno, False, _computed_prefix(at))
    if method == "init_app":  # api.init_app(app): the API's routes go on `app`
        parent = dotted(argument(call, 0, "app"))
        return Mount(scope, parent, owner, None, call.lineno, False) if parent else None
    if method in ("register_blueprint", "include_router"):
        child = dotted(argument(call, 0, "blueprint" if method == "register_blueprint" else "router"))
        if child is None:
            return None
        key = "url_prefix" if method == "register_blueprint" else "prefix"
        prefix_node = keyword_value(call, key)
        prefix = string(prefix_node) if prefix_node is not None else None
        computed = _computed_prefix(prefix_node)
        return Mount(scope, owner, child, prefix, call.lineno, method == "register_blueprint", computed)
    if method not in ("add_url_rule", "add_api_route"):
        return None
    node = argument(call, 0, "rule" if method == "add_url_rule" else "path")
    if node is None:
        return None
    rule, computed = rule_of(node)
    if method == "add_url_rule":
        endpoint = string(argument(call, 1, "endpoint")) or ""
        view = argument(call, 2, "view_func")
    else:
        endpoint = string(keyword_value(call, "name")) or ""
        view = argument(call, 1, "endpoint")
    as_view = False
    view = unwrapped_view(view) if view is not None else None
    if isinstance(view, ast.Call) and isinstance(view.func, ast.Attribute) and view.func.attr == "as_view":
        endpoint = endpoint or string(argument(view, 0, "name")) or ""
        as_view = method == "add_url_rule"  # a MethodView answers the verbs it defines
        view = view.func.value  # View.as_view("name"): the class handles the route
    elif isinstance(view, ast.Call):
        view = view.func  # `make_view("x")`: the function called makes the view
    handler = dotted(view)
    if handler is None:
        return None
    methods = _methods(call, method)
    return RouteDecl(scope, owner, rule, methods, handler, False, call.lineno, endpoint, as_view, computed)


def _computed_prefix(node: ast.expr | None) -> str:
    """The expression of a prefix that is not a literal, as written ("" for a literal or none)."""
    if node is None or string(node) is not None:
        return ""
    return ast.unparse(node)[:80]


def string_constants(body: list[ast.stmt]) -> tuple[tuple[str, str], ...]:
    """Module-level `NAME = "text"`, and `Cls.NAME` for `NAME: str = "text"` in a top-level class
    body (a settings class's defaults), with `name=Cls` for `name = Cls(...)` instances: what a
    route path or prefix written as a name (`settings.API_V1_STR`) may be read from."""
    found: list[tuple[str, str]] = []
    for statement in body:  # (run on every file: plain type tests, no helper calls)
        kind = type(statement)
        if kind is ast.ClassDef:
            prefix = statement.name + "."  # type: ignore[attr-defined]
            for inner in statement.body:  # type: ignore[attr-defined]
                names, value = _assigned(inner)
                if names and type(value) is ast.Constant and type(value.value) is str:
                    found += [(prefix + name, value.value) for name in names]
            continue
        names, value = _assigned(statement)
        if not names:
            continue
        if type(value) is ast.Constant and type(value.value) is str:
            found += [(name, value.value) for name in names]
        elif type(value) is ast.Call and (cls := dotted(value.func)):
            found += [(name, INSTANCE + cls) for name in names]  # an instance of `cls`
    return tuple(sorted(found))


def _assigned(statement: ast.stmt) -> tuple[list[str], ast.expr | None]:
    """The plain names a (possibly annotated) assignment binds, and its value."""
    kind = type(statement)
    if kind is ast.Assign:
        return [t.id for t in statement.targets if type(t) is ast.Name], statement.value  # type: ignore[attr-defined]
    if kind is ast.AnnAssign and type(statement.target) is ast.Name:  # type: ignore[attr-defined]
        return [statement.target.id], statement.value  # type: ignore[attr-defined]
    return [], None


def _resource_routes(call: ast.Call, owner: str, scope: str) -> list[RouteDecl] | None:
    """`api.add_resource(Cls, "/a", "/b", endpoint="x")`: one RouteDecl per literal path."""
    handler = dotted(call.args[0]) if call.args else dotted(keyword_value(call, "resource"))
    nodes = [a for a in call.args[1:] if not isinstance(a, ast.Starred)]
    if handler is None or not nodes:
        return None  # (a wrapper's own `self.add_resource(resource, *urls)` names no path)
    endpoint = string(keyword_value(call, "endpoint")) or ""
    return [
        RouteDecl(scope, owner, rule, (), handler, False, call.lineno, endpoint, True, computed)
        for rule, computed in map(rule_of, nodes)
    ]


def _methods(call: ast.Call, verb: str) -> tuple[str, ...]:
    if verb in VERBS:
        return (verb.upper(),)
    declared = strings(keyword_value(call, "methods"))
    return tuple(sorted({m.upper() for m in declared})) if declared else ()


# --- resolution ------------------------------------------------------------------------------


@picklable
@dataclass(frozen=True, slots=True)
class AppFacts:
    """The Flask/FastAPI part of one file's raw facts."""

    owners: tuple[RouteOwner, ...] = ()
    decls: tuple[RouteDecl, ...] = ()
    mounts: tuple[Mount, ...] = ()
    imports_framework: tuple[str, ...] = ()  # "flask" / "fastapi" when the file imports them
    resources: tuple[ResourceClass, ...] = ()  # top-level classes with verb methods or bases
    constants: tuple[tuple[str, str], ...] = ()  # see `string_constants`
    helpers: tuple[RouteHelper, ...] = ()  # functions adding routes from their parameters
    helper_calls: tuple[HelperCall, ...] = ()  # calls with literal path arguments
    owner_helpers: tuple[OwnerHelper, ...] = ()  # functions adding routes on a parameter (route_owners)
    owner_calls: tuple[OwnerCall, ...] = ()  # calls that may hand them an owner


def join_paths(prefix: str, rule: str) -> str:
    """`/orders` + `/<int:id>` → `/orders/<int:id>`: one slash between, none doubled, rule's trailing kept."""
    if not prefix:
        return rule if rule.startswith("/") or not rule else "/" + rule
    if not rule:
        return prefix if prefix.startswith("/") else "/" + prefix
    joined = prefix.rstrip("/") + "/" + rule.lstrip("/")
    return joined if joined.startswith("/") else "/" + joined
