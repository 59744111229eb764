"""Flask, Flask-RESTful and Flask-RESTX: what their calls declare, scanned per file.

Blueprints (`Blueprint(name, url_prefix=...)`) and their registration (`register_blueprint`, whose
`url_prefix` replaces the blueprint's), `add_url_rule` (a `MethodView.as_view(...)` answers the verbs
its class defines), APIs and namespaces (`Api(app, prefix=...)`, `api.namespace("cats")`,
`Namespace(name, path=...)`, `add_namespace`, `init_app`) and resources: `api.add_resource(Cls,
"/a", "/b")` (a wrapper named `add_<...>resource` called alike) and `@ns.route("/a")` on a class
take their methods from the verbs the class and its bases define.
"""

from __future__ import annotations

import ast

from analyzers.python.literals import argument, dotted, keyword_value, string
from analyzers.web.app_facts import VERBS, Mount, ResourceClass, RouteDecl
from analyzers.web.route_rules import as_view_class, computed_prefix, declared_methods, rule_of, view_target

#: Calls on an owner that this module reads (besides resource calls, `is_resource_call`).
CALLS = frozenset({"add_url_rule", "register_blueprint", "add_namespace", "init_app"})


def owner_fields(kind: str, call: ast.Call) -> tuple[str, str, str]:
    """(prefix, label, computed prefix as written) of a blueprint, API or namespace `call` creates."""
    if kind == "blueprint":
        node = keyword_value(call, "url_prefix")
        return string(node) or "", string(argument(call, 0, "name")) or "", computed_prefix(node)
    if kind == "api":
        node = keyword_value(call, "prefix")
        return string(node) or "", "", computed_prefix(node)
    return _namespace_fields(call)


def _namespace_fields(call: ast.Call) -> tuple[str, str, str]:
    """`Namespace(name, path=...)`: the path, else "/" and the name."""
    name = string(argument(call, 0, "name")) or ""
    node = keyword_value(call, "path")
    path = string(node)
    if node is None and not name:  # `Namespace(NAME)`: the path is "/" and the name
        node = argument(call, 0, "name")
    return path if path is not None else (f"/{name}" if name else ""), "", computed_prefix(node)


def namespace_parent(call: ast.Call) -> str | None:
    """`api.namespace("cats")`: the API the new namespace is added to, as written."""
    func = call.func
    return dotted(func.value) if isinstance(func, ast.Attribute) and func.attr == "namespace" else None


def view_class(node: ast.expr) -> str | None:
    """`View.as_view("name")`: the view class as written, then \\x1f and the endpoint name (the
    form the scanner keeps in its map of local names)."""
    found = as_view_class(node)
    return None if found is None else "\x1f".join(found)


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


def resource_routes(call: ast.Call, owner: str, scope: str) -> list[RouteDecl] | None:
    """`api.add_resource(Cls, "/a", "/b", endpoint="x")`: one RouteDecl per path given."""
    handler = dotted(call.args[0]) if call.args else dotted(keyword_value(call, "resource"))
    nodes = [a for a in call.args[1:] if not isinstance(a, ast.Starred)]
    if handler is None or not nodes:
        return None  # (a wrapper's own `self.add_resource(resource, *urls)` names no path)
    endpoint = string(keyword_value(call, "endpoint")) or ""
    return [
        RouteDecl(scope, owner, rule, (), handler, False, call.lineno, endpoint, True, source)
        for rule, source in map(rule_of, nodes)
    ]


def url_rule(call: ast.Call, owner: str, scope: str) -> RouteDecl | None:
    """`owner.add_url_rule(rule, endpoint, view_func, methods=[...])`."""
    node = argument(call, 0, "rule")
    if node is None:
        return None
    rule, source = rule_of(node)
    target = view_target(argument(call, 2, "view_func"))
    if target is None:
        return None
    endpoint = string(argument(call, 1, "endpoint")) or target.endpoint
    methods = declared_methods(call, "add_url_rule")
    return RouteDecl(
        scope, owner, rule, methods, target.handler, False, call.lineno, endpoint, target.as_view, source
    )


def mount(call: ast.Call, method: str, owner: str, scope: str) -> Mount | None:
    """`register_blueprint`, `add_namespace` and `init_app` on `owner` as a Mount."""
    if method == "add_namespace":
        child = dotted(argument(call, 0, "ns"))
        given = string(argument(call, 1, "path"))
        return Mount(scope, owner, child, given, call.lineno) if child else None
    if method == "init_app":  # api.init_app(app): the API's routes go on `app`
        parent = dotted(argument(call, 0, "app"))
        return Mount(scope, parent, owner, None, call.lineno, False) if parent else None
    child = dotted(argument(call, 0, "blueprint"))
    if child is None:
        return None
    node = keyword_value(call, "url_prefix")
    prefix = string(node) if node is not None else None
    return Mount(scope, owner, child, prefix, call.lineno, True, computed_prefix(node))
