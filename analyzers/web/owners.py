"""Apps, blueprints and routers handed to a function that adds routes to them.

CKAN writes `def register_dataset_plugin_rules(blueprint): blueprint.add_url_rule("/new", ...)` and
calls it as `register_dataset_plugin_rules(dataset)`, `dataset` being a Blueprint with
`url_prefix="/dataset"`: the routes are `/dataset/new`..., not `/new`. Scanning records, per file,
the functions whose routes or mounts are declared on one of their parameters (`OwnerHelper`, with the
class each parameter is annotated with) and the calls that may hand an owner to such a function
(`OwnerCall`: a call with a plain name among its arguments, in a file where that can matter).
Resolving (`analyzers.web.owner_targets`) binds the parameter to the argument at every call of the
function, in any module, through chains of such functions; what stays unbound is an unknown prefix,
except for a parameter that is an app by its annotation (`app: Flask`) or its name (`app`), at the
site root.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass

from analyzers.model import picklable
from analyzers.python.literals import dotted, last_name
from analyzers.python.scope import Scope

#: Annotations and names of a parameter that is the application itself: its routes are at the root.
APP_CLASSES = frozenset({"Flask", "FastAPI", "Starlette", "Quart", "Sanic"})
APP_NAMES = frozenset({"app", "application", "flask_app", "fastapi_app"})
#: Called names that never add a route (a call of them with an owner as argument is not recorded).
_NOT_HELPERS = frozenset(
    {"isinstance", "issubclass", "getattr", "setattr", "hasattr", "len", "print", "str", "repr", "type"}
    | {"super", "list", "dict", "set", "tuple", "sorted", "id", "callable", "iter", "next", "vars"}
    | {"dir", "hash", "bool", "int", "float", "any", "all", "min", "max", "map", "filter", "zip"}
    | {"enumerate", "reversed", "range", "cast", "delattr", "format", "open"}
)
#: Bound on the chain of helpers followed from a route to the owner created for it.
MAX_DEPTH = 8
#: Marks a called name resolved at scan time through an import inside the function (absolute).
ABSOLUTE = "/"


@picklable
@dataclass(frozen=True, slots=True, order=True)
class OwnerHelper:
    """A function (`scope`: its qualified name) adding routes or mounts on its parameters."""

    scope: str
    params: tuple[str, ...]  # in order: positional-only, positional, keyword-only
    annotations: tuple[tuple[str, str], ...] = ()  # (parameter, class named by its annotation)


@picklable
@dataclass(frozen=True, slots=True, order=True)
class OwnerCall:
    """`register_rules(bp)` inside function `scope` ("" at top level): the called name as written
    (or ABSOLUTE and the absolute name, when a local import binds it) and its plain-name arguments,
    each (position or keyword, name as written)."""

    scope: str
    callee: str
    line: int
    args: tuple[tuple[str, str], ...]


def owner_helper(function: ast.FunctionDef | ast.AsyncFunctionDef, scope: str) -> OwnerHelper:
    args = function.args
    every = (*args.posonlyargs, *args.args, *args.kwonlyargs)
    annotations = tuple(sorted((a.arg, _annotated(a.annotation)) for a in every if a.annotation is not None))
    return OwnerHelper(scope, tuple(a.arg for a in every), tuple((p, c) for p, c in annotations if c))


def _annotated(node: ast.expr) -> str:
    """`Blueprint` for `Blueprint`, `flask.Blueprint`, `"Blueprint"` and `Blueprint | None`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.rpartition(".")[2].split("|")[0].strip()
    if isinstance(node, ast.BinOp):
        return _annotated(node.left)
    return last_name(node) if isinstance(node, ast.Name | ast.Attribute) else ""


def owner_call(
    call: ast.Call, scope: str, wanted: Container[str], local: Mapping[str, str]
) -> OwnerCall | None:
    """The call as an `OwnerCall` when one of its plain-name arguments is in `wanted`; `local`
    maps names bound by imports inside the function to absolute names."""
    callee = dotted(call.func)
    if callee is None or callee in _NOT_HELPERS or callee.rpartition(".")[2][:1].isupper():
        return None
    found: list[tuple[str, str]] = []
    for index, value in enumerate(call.args):
        if type(value) is ast.Name and value.id in wanted:
            found.append((str(index), value.id))
    for keyword in call.keywords:
        if keyword.arg and type(keyword.value) is ast.Name and keyword.value.id in wanted:
            found.append((keyword.arg, keyword.value.id))
    if not found:
        return None
    head, dot, rest = callee.partition(".")
    if head in local:
        callee = ABSOLUTE + local[head] + dot + rest
    return OwnerCall(scope, callee, call.lineno, tuple(found))


def resolve_absolute(scope: Scope, name: str) -> tuple[str, str] | None:
    """(module, symbol) of an absolute dotted name (`ckan.views.dataset.register_rules`)."""
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module = scope.resolve_module(".".join(parts[:cut]))
        if module is not None:
            return scope.resolve_name(module, ".".join(parts[cut:])) or (module, ".".join(parts[cut:]))
    return None


@dataclass(frozen=True, slots=True)
class Binding:
    """A parameter bound at a call: the argument (a name as written) in the calling `module`,
    inside function `scope` there, at `line`."""

    module: str
    scope: str
    name: str
    line: int


class HelperIndex:
    """Every helper of the codebase and, per helper, the calls binding its parameters."""

    def __init__(
        self,
        helpers: Iterable[tuple[str, OwnerHelper]],
        calls: Iterable[tuple[str, OwnerCall]],
        scope: Scope,
    ) -> None:
        self.helpers = {(module, h.scope): h for module, h in helpers}
        self.calls: dict[tuple[str, str], list[tuple[str, OwnerCall]]] = defaultdict(list)
        if not self.helpers:
            return
        for module, call in calls:
            target = self._target(module, call, scope)
            if target in self.helpers:
                self.calls[target].append((module, call))

    def _target(self, module: str, call: OwnerCall, scope: Scope) -> tuple[str, str] | None:
        """The function called: one nested in the calling function, else one the name resolves to."""
        callee = call.callee
        if callee.startswith(ABSOLUTE):
            return resolve_absolute(scope, callee[1:])
        if call.scope and (module, f"{call.scope}.{callee}") in self.helpers:
            return (module, f"{call.scope}.{callee}")
        return scope.resolve_name(module, callee) or (module, callee)

    def parameter(self, module: str, function: str, name: str) -> OwnerHelper | None:
        """The helper `function` of `module` when `name` (or its first part) is one of its parameters."""
        helper = self.helpers.get((module, function))
        head = name.partition(".")[0]
        return helper if helper is not None and head in helper.params else None

    def bindings(self, module: str, helper: OwnerHelper, name: str) -> list[Binding]:
        """The argument given for parameter `name` at every call of the helper."""
        position = str(helper.params.index(name))
        found = []
        for caller, call in self.calls.get((module, helper.scope), ()):
            given = dict(call.args)
            argument = given.get(name) or given.get(position)
            if argument is not None:
                found.append(Binding(caller, call.scope, argument, call.line))
        return found


def is_app_parameter(helper: OwnerHelper, name: str) -> bool:
    """Whether the parameter is the application itself, by its annotation or else its name."""
    annotation = dict(helper.annotations).get(name)
    if annotation is not None:
        return annotation in APP_CLASSES
    return name in APP_NAMES or name.endswith("_app")
