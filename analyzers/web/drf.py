"""Django REST framework routers: `router = DefaultRouter()` and `router.register("prefix", ViewSet)`.

A router's URL patterns are generated at run time (`router.urls`), so a urlconf that includes them
names no pattern a reader can see. Scanning records, per file, the routers created at module level
by a call named `DefaultRouter`/`SimpleRouter` (DRF's or a project's own subclass of that name, as
taiga's) or by a call of a codebase class deriving from one of them (netbox's `NetBoxRouter`), and
the `register` calls on them at module level of the same file. Resolving (in
`django_routes`) lists, for each registration, DRF's two conventional routes, handled by the ViewSet:

- list: `prefix/` — GET, POST
- detail: `prefix/<pk>/` — DELETE, GET, PATCH, PUT

and one route per `@action` method of the ViewSet and of its bases in the codebase (`@list_route`
and `@detail_route` of older DRF too; `@<action>.mapping.<verb>` adds a verb to one):

- `detail=False`: `prefix/<url_path>/`
- `detail=True`: `prefix/<lookup>/<url_path>/`

with the methods given (GET by default), `url_path` defaulting to the method's name. The lookup
parameter is the ViewSet's `lookup_url_kwarg`, else its `lookup_field`, else `pk`; a
`lookup_value_regex` (or a `url_path` holding a regular expression) makes the route a regex route
(`^prefix/(?P<slug>[^/]+)/$`). A project's own router (a subclass) may build multi-field lookups from
a ViewSet's `lookup_fields` (`(?P<a>...)/(?P<b>...)`); DRF's own routers ignore that attribute.

(`trailing_slash=False` drops the final slash; a prefix holding regular-expression syntax gives
regex routes `^prefix/$` and `^prefix/(?P<pk>[^/.]+)/$`). Not listed: the API root view and
format-suffix variants of `DefaultRouter`, and methods a ViewSet does not implement (all are listed).
Route names are `<basename>-list` / `<basename>-detail` / `<basename>-<url_name>` when `basename=`
is given, else empty.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass

from analyzers.model import picklable
from analyzers.python.literals import argument, dotted, keyword_value, last_name, string, strings
from analyzers.python.scope import Scope
from analyzers.python.subclasses import MAX_DEPTH, Bases, derives_from

ROUTER_CALLS = frozenset({"DefaultRouter", "SimpleRouter"})
LIST_METHODS = ("GET", "POST")
DETAIL_METHODS = ("DELETE", "GET", "PATCH", "PUT")
_REGEX_SYNTAX = frozenset("()[]\\^$?*+{}|")
_ACTION_DECORATORS = {"action": None, "list_route": False, "detail_route": True}
_LOOKUP_ATTRIBUTES = frozenset({"lookup_field", "lookup_url_kwarg", "lookup_value_regex", "lookup_fields"})
_DEFAULT_LOOKUP_VALUE = "[^/.]+"


@dataclass(frozen=True, slots=True, order=True)
class Registration:
    """`router.register(prefix, viewset, basename=...)` with the ViewSet as written."""

    prefix: str
    viewset: str
    line: int
    basename: str = ""


@dataclass(frozen=True, slots=True, order=True)
class Router:
    """A DRF router created at module level, with what the same module registers on it."""

    name: str
    line: int
    trailing_slash: bool = True
    registrations: tuple[Registration, ...] = ()
    cls: str = ""  # the router's class as written when it is not DRF's own (a subclass, maybe)


@dataclass(frozen=True, slots=True, order=True)
class RouterRoute:
    """One generated route: pattern relative to where the router's urls are included."""

    pattern: str
    regex: bool
    methods: tuple[str, ...]
    viewset: str
    line: int
    name: str


def router_of(call: ast.Call) -> tuple[bool, str] | None:
    """None unless `call` may create a DRF router; else whether its patterns end in a slash, and
    the class as written when it is not DRF's own name (`NetBoxRouter()`: a subclass or not, which
    `confirmed_routers` decides once every file is known)."""
    name = last_name(call.func)
    if name in ROUTER_CALLS:
        written = ""
    elif name and name.endswith("Router") and name[:1].isupper() and name != "APIRouter":
        written = dotted(call.func) or ""
        if not written:
            return None
    else:
        return None
    slash = keyword_value(call, "trailing_slash")
    return not (isinstance(slash, ast.Constant) and slash.value in (False, "")), written


def confirmed_routers(
    routers: Mapping[str, tuple[Router, ...]], bases: Bases, scope: Scope
) -> dict[str, tuple[Router, ...]]:
    """The routers of every module whose class is DRF's router or derives from it."""
    out: dict[str, tuple[Router, ...]] = {}
    for module, found in routers.items():
        kept = tuple(r for r in found if not r.cls or derives_from(module, r.cls, ROUTER_CALLS, bases, scope))
        if kept:
            out[module] = kept
    return out


def registration_of(call: ast.Call) -> tuple[str, Registration] | None:
    """(router expression, registration) for `router.register("prefix", ViewSet, ...)`."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr == "register"):
        return None
    owner = dotted(call.func.value)
    prefix = string(argument(call, 0, "prefix"))
    viewset = dotted(argument(call, 1, "viewset"))
    if owner is None or prefix is None or viewset is None:
        return None
    basename = string(keyword_value(call, "basename")) or string(keyword_value(call, "base_name"))
    return owner, Registration(prefix, viewset, call.lineno, basename or "")


def expand(router: Router, module: str = "", viewsets: ViewSetIndex | None = None) -> tuple[RouterRoute, ...]:
    """The conventional list and detail routes of every registration of `router` (created in
    `module`), with the lookups and actions of its ViewSets when `viewsets` knows them."""
    slash = "/" if router.trailing_slash else ""
    found: list[RouterRoute] = []
    for entry in router.registrations:
        facts = viewsets.facts(module, entry.viewset) if viewsets is not None else ViewSetFacts({}, ())
        kwargs = _lookup_kwargs(facts.lookups, bool(router.cls))
        value = facts.lookups.get("lookup_value_regex", "")
        names = (f"{entry.basename}-list", f"{entry.basename}-detail") if entry.basename else ("", "")
        patterns = _base_patterns(entry.prefix.strip("/"), kwargs, value, slash)
        for (pattern, regex), methods, name in zip(
            patterns, (LIST_METHODS, DETAIL_METHODS), names, strict=True
        ):
            found.append(RouterRoute(pattern, regex, methods, entry.viewset, entry.line, name))
        found += action_routes(router, entry, facts)
    return tuple(found)


def _base_patterns(prefix: str, kwargs: list[str], value: str, slash: str) -> list[tuple[str, bool]]:
    """(pattern, is_regex) of the list and the detail route; a regex for a prefix holding regex
    syntax, and for the detail route of a ViewSet with a `lookup_value_regex`."""
    if _REGEX_SYNTAX & set(prefix):
        head = prefix.removeprefix("^").removesuffix("$")
        head = head + "/" if head else ""
        return [
            (f"^{head.rstrip('/')}{slash}$" if head else "^$", True),
            (f"^{head}{_lookup(kwargs, value, True)}{slash}$", True),
        ]
    head = prefix + "/" if prefix else ""
    listed = (f"{head.rstrip('/')}{slash}" if head else "", False)
    if value:
        escaped = re.escape(prefix) + "/" if prefix else ""
        return [listed, (f"^{escaped}{_lookup(kwargs, value, True)}{slash}$", True)]
    return [listed, (f"{head}{_lookup(kwargs, value, False)}{slash}", False)]


# --- @action methods and lookups of ViewSets --------------------------------------------------------


@picklable
@dataclass(frozen=True, slots=True, order=True)
class ViewSetAction:
    """An `@action(detail=..., methods=[...], url_path=..., url_name=...)` method."""

    name: str
    detail: bool
    methods: tuple[str, ...]  # upper-case, sorted
    line: int
    url_path: str = ""  # "" = the method's name
    url_name: str = ""  # "" = the method's name, with dashes


@picklable
@dataclass(frozen=True, slots=True, order=True)
class ViewSetClass:
    """A top-level class with `@action` methods or lookup attributes (a ViewSet, or a mixin of one)."""

    name: str
    line: int
    actions: tuple[ViewSetAction, ...] = ()
    lookups: tuple[tuple[str, str], ...] = ()  # (attribute, literal value); lookup_fields joined by "/"
    defined: tuple[str, ...] = ()  # every method it defines: one hides an inherited action


def viewset_class(node: ast.ClassDef) -> ViewSetClass | None:
    """The actions and lookup attributes of a top-level class, if it has any."""
    actions: dict[str, ViewSetAction] = {}
    extra: list[tuple[str, str]] = []
    lookups: list[tuple[str, str]] = []
    defined: list[str] = []
    for statement in node.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            defined.append(statement.name)
            for decorator in statement.decorator_list:
                found = _action(decorator, statement.name)
                if found is not None:
                    actions[statement.name] = found
                elif (mapped := _mapping(decorator)) is not None:
                    extra.append(mapped)
        elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name) and target.id in _LOOKUP_ATTRIBUTES:
                values = strings(statement.value)
                if values:
                    lookups.append((target.id, "/".join(values)))
    for name, verb in extra:  # `@members.mapping.post`: one more verb for the action `members`
        if name in actions:
            action = actions[name]
            methods = tuple(sorted({*action.methods, verb.upper()}))
            actions[name] = ViewSetAction(
                action.name, action.detail, methods, action.line, action.url_path, action.url_name
            )
    if not actions and not lookups:
        return None
    return ViewSetClass(
        node.name,
        node.lineno,
        tuple(sorted(actions.values())),
        tuple(sorted(lookups)),
        tuple(sorted(defined)),
    )


def _action(decorator: ast.expr, name: str) -> ViewSetAction | None:
    if not isinstance(decorator, ast.Call) or last_name(decorator.func) not in _ACTION_DECORATORS:
        return None
    detail = _ACTION_DECORATORS[last_name(decorator.func)]
    if detail is None:
        given = keyword_value(decorator, "detail")
        detail = isinstance(given, ast.Constant) and given.value is True
    methods = strings(keyword_value(decorator, "methods")) or ("get",)
    path = string(keyword_value(decorator, "url_path")) or ""
    url_name = string(keyword_value(decorator, "url_name")) or ""
    upper = tuple(sorted({m.upper() for m in methods}))
    return ViewSetAction(name, detail, upper, decorator.lineno, path, url_name)


def _mapping(decorator: ast.expr) -> tuple[str, str] | None:
    """(action, verb) of `@<action>.mapping.<verb>`."""
    if isinstance(decorator, ast.Attribute) and isinstance(decorator.value, ast.Attribute):
        inner = decorator.value
        if inner.attr == "mapping" and isinstance(inner.value, ast.Name):
            return inner.value.id, decorator.attr
    return None


@dataclass(frozen=True, slots=True)
class ViewSetFacts:
    """What a registered ViewSet adds to its router's routes: its lookups and its actions,
    inherited ones included (the nearest definition wins)."""

    lookups: Mapping[str, str]
    actions: tuple[ViewSetAction, ...]


class ViewSetIndex:
    """The ViewSet classes of the codebase, followed through their bases."""

    def __init__(self, classes: Mapping[str, tuple[ViewSetClass, ...]], bases: Bases, scope: Scope) -> None:
        self.classes = {(m, c.name): c for m, found in classes.items() for c in found}
        self.bases = bases
        self.scope = scope

    def facts(self, module: str, written: str) -> ViewSetFacts:
        """The lookups and actions of the ViewSet `written` in `module` (none when unknown)."""
        lookups: dict[str, str] = {}
        actions: dict[str, ViewSetAction] = {}
        hidden: set[str] = set()
        found = self.scope.resolve_name(module, written)
        for key in self._lineage(found, 0, []) if found is not None and found[1] else ():
            cls = self.classes.get(key)
            if cls is None:
                continue
            for name, value in cls.lookups:
                lookups.setdefault(name, value)
            for action in cls.actions:
                if action.name not in hidden:
                    actions.setdefault(action.name, action)
            hidden.update(cls.defined)
        return ViewSetFacts(lookups, tuple(sorted(actions.values())))

    def _lineage(
        self, key: tuple[str, str], depth: int, seen: list[tuple[str, str]]
    ) -> list[tuple[str, str]]:
        """`key` and its codebase bases, depth first, left to right (the order of Python's MRO for
        the usual mixin trees)."""
        if key in seen or depth > MAX_DEPTH:
            return seen
        seen.append(key)
        for base in self.bases.get(key, ()):
            parent = self.scope.resolve_name(key[0], base)
            if parent is not None and parent[1]:
                self._lineage(parent, depth + 1, seen)
        return seen


def action_routes(router: Router, entry: Registration, facts: ViewSetFacts) -> list[RouterRoute]:
    """The detail route with the ViewSet's lookup and the routes of its actions."""
    slash = "/" if router.trailing_slash else ""
    prefix = entry.prefix.strip("/")
    regex_prefix = bool(_REGEX_SYNTAX & set(prefix))
    if regex_prefix:
        prefix = prefix.removeprefix("^").removesuffix("$")
    kwargs = _lookup_kwargs(facts.lookups, bool(router.cls))
    value = facts.lookups.get("lookup_value_regex", "")
    found = []
    for action in facts.actions:
        path = action.url_path or action.name
        regex_path = bool(_REGEX_SYNTAX & set(path))
        regex = regex_prefix or (action.detail and bool(value)) or regex_path
        head = (prefix if regex_prefix or not regex else re.escape(prefix)) + "/" if prefix else ""
        path = path if regex_path or not regex else re.escape(path)
        if action.detail:
            head += _lookup(kwargs, value, regex) + "/"
        pattern = f"^{head}{path}{slash}$" if regex else f"{head}{path}{slash}"
        url_name = action.url_name or action.name.replace("_", "-")
        name = f"{entry.basename}-{url_name}" if entry.basename else ""
        found.append(
            RouterRoute(pattern, regex, action.methods, f"{entry.viewset}.{action.name}", entry.line, name)
        )
    return found


def _lookup_kwargs(lookups: Mapping[str, str], custom_router: bool) -> list[str]:
    if custom_router and lookups.get("lookup_fields"):
        return lookups["lookup_fields"].split("/")
    return [lookups.get("lookup_url_kwarg") or lookups.get("lookup_field") or "pk"]


def _lookup(kwargs: list[str], value: str, regex: bool) -> str:
    if regex:
        return "/".join(f"(?P<{kwarg}>{value or _DEFAULT_LOOKUP_VALUE})" for kwarg in kwargs)
    return "/".join(f"<{kwarg}>" for kwarg in kwargs)
