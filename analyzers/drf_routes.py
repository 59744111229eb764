"""Django REST framework routers: `router = DefaultRouter()` and `router.register("prefix", ViewSet)`.

A router's URL patterns are generated at run time (`router.urls`), so a urlconf that includes them
names no pattern a reader can see. Scanning records, per file, the routers created at module level
by a call named `DefaultRouter`/`SimpleRouter` (DRF's or a project's own subclass of that name, as
taiga's) or by a call of a codebase class deriving from one of them (netbox's `NetBoxRouter`), and
the `register` calls on them at module level of the same file. Resolving (in
`django_routes`) lists, for each registration, DRF's two conventional routes, handled by the ViewSet:

- list: `prefix/` — GET, POST
- detail: `prefix/<pk>/` — DELETE, GET, PATCH, PUT

(`trailing_slash=False` drops the final slash; a prefix holding regular-expression syntax gives
regex routes `^prefix/$` and `^prefix/(?P<pk>[^/.]+)/$`). Not listed: routes of `@action` methods,
the API root view and format-suffix variants of `DefaultRouter`, a ViewSet's own `lookup_field`
(the detail parameter is always `pk`), and methods a ViewSet does not implement (all are listed).
Route names are `<basename>-list` / `<basename>-detail` when `basename=` is given, else empty.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass

from analyzers.fw_ast import argument, dotted, keyword_value, last_name, string
from analyzers.scope import Scope
from analyzers.subclasses import Bases, derives_from

ROUTER_CALLS = frozenset({"DefaultRouter", "SimpleRouter"})
LIST_METHODS = ("GET", "POST")
DETAIL_METHODS = ("DELETE", "GET", "PATCH", "PUT")
_REGEX_SYNTAX = frozenset("()[]\\^$?*+{}|")


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


def expand(router: Router) -> tuple[RouterRoute, ...]:
    """The conventional list and detail routes of every registration of `router`."""
    slash = "/" if router.trailing_slash else ""
    found: list[RouterRoute] = []
    for entry in router.registrations:
        names = (f"{entry.basename}-list", f"{entry.basename}-detail") if entry.basename else ("", "")
        prefix = entry.prefix.strip("/")
        if _REGEX_SYNTAX & set(prefix):
            head = prefix.removeprefix("^").removesuffix("$")
            head = head + "/" if head else ""
            patterns = [(f"^{head.rstrip('/')}{slash}$" if head else "^$", True)]
            patterns.append((f"^{head}(?P<pk>[^/.]+){slash}$", True))
        else:
            head = prefix + "/" if prefix else ""
            patterns = [(f"{head.rstrip('/')}{slash}" if head else "", False), (f"{head}<pk>{slash}", False)]
        for (pattern, regex), methods, name in zip(
            patterns, (LIST_METHODS, DETAIL_METHODS), names, strict=True
        ):
            found.append(RouterRoute(pattern, regex, methods, entry.viewset, entry.line, name))
    return tuple(found)
