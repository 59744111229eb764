"""The Flask and FastAPI facts of one file, as scanning records them and the cache keeps them.

App-like objects (`RouteOwner`: `Flask`, `Blueprint`, `FastAPI`, `APIRouter`, `Api`, `Namespace`),
the routes declared on them (`RouteDecl`, its path's origin a `RuleSource`), the mounts of one on
another (`Mount`), resource classes, route helpers and the string constants a path may be read
from, each with names as written. Scanning fills them (`analyzers.web.apps`, `flask`, `fastapi`,
`route_helpers`, `route_constants`); resolving (`analyzers.web.app_resolution`) joins them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from analyzers.model import picklable
from analyzers.web.owners import OwnerCall, OwnerHelper

OwnerKind = Literal["flask", "blueprint", "fastapi", "router", "api", "namespace"]
OWNER_CALLS: Mapping[str, OwnerKind] = {
    "Flask": "flask",
    "Blueprint": "blueprint",
    "FastAPI": "fastapi",
    "APIRouter": "router",
    "Api": "api",  # Flask-RESTful, Flask-RESTX
    "Namespace": "namespace",  # Flask-RESTX
}
# The framework classes of each kind, which a project's subclass derives from.
KIND_CLASSES = {
    kind: frozenset(name for name, of in OWNER_CALLS.items() if of == kind)
    for kind in set(OWNER_CALLS.values())
}
#: The kinds whose routes are Flask's (endpoint names take the blueprint's label).
FLASK_KINDS = frozenset({"flask", "blueprint", "api", "namespace"})
VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "trace"})
MAX_MOUNT_DEPTH = 16

#: Where a route's path comes from: "literal" (the rule as written), "call" (the literal inside a
#: call such as `org_scoped_rule("/x")`, whose prefix is unknown), "name" (a name, or a name and a
#: literal tail: `PREFIX + "/x"`), "unread" (an expression that cannot be read without running it).
RuleKind = Literal["literal", "call", "name", "unread"]


@picklable
@dataclass(frozen=True, slots=True, order=True)
class RuleSource:
    """The origin of a route's path; `name`: the call's or the name's dotted text, as written."""

    kind: RuleKind = "literal"
    name: str = ""


LITERAL = RuleSource()
UNREAD = RuleSource("unread")


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
    """A route declared on `owner` (expression as written) inside function `scope`; `rule` is the
    path, or the literal part of it that `source` says."""

    scope: str
    owner: str
    rule: str
    methods: tuple[str, ...]  # declared, upper-case; () = the framework's default
    handler: str  # qualified name in this module (decorated) or an expression (add_url_rule)
    decorated: bool
    line: int
    endpoint: str = ""
    resource: bool = False  # a class whose verb methods are the route's methods (when none declared)
    source: RuleSource = LITERAL


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


#: What an argument of a route-helper call gives: literal paths, a dotted name, a view class
#: (`View.as_view("name")`).
ArgumentKind = Literal["paths", "name", "view"]


@picklable
@dataclass(frozen=True, slots=True, order=True)
class HelperArgument:
    """One argument of a possible route-helper call, at `position` (None: given by `keyword`)."""

    position: int | None
    keyword: str
    kind: ArgumentKind
    values: tuple[str, ...]  # the paths; the name; the view class and its endpoint name ("" if none)


@picklable
@dataclass(frozen=True, slots=True, order=True)
class HelperCall:
    """A call that may add routes through a helper: its literal path arguments and the names given
    as other arguments."""

    scope: str
    callee: str
    line: int
    args: tuple[HelperArgument, ...]


@picklable
@dataclass(frozen=True, slots=True, order=True)
class ModuleConstants:
    """What a route path or prefix written as a name (`settings.API_V1_STR`) may be read from:
    module-level `NAME = "text"` and `Cls.NAME` class defaults (`texts`), and the names bound to
    an instance (`settings = Settings()`: `instances`, with the class as written)."""

    texts: tuple[tuple[str, str], ...] = ()
    instances: tuple[tuple[str, str], ...] = ()


@picklable
@dataclass(frozen=True, slots=True)
class AppFacts:
    """The Flask/FastAPI part of one file's raw facts."""

    owners: tuple[RouteOwner, ...] = ()
    decls: tuple[RouteDecl, ...] = ()
    mounts: tuple[Mount, ...] = ()
    imports_framework: tuple[str, ...] = ()  # "flask" / "fastapi" when the file imports them
    resources: tuple[ResourceClass, ...] = ()  # top-level classes with verb methods or bases
    constants: ModuleConstants = ModuleConstants()  # see `analyzers.web.route_constants`
    helpers: tuple[RouteHelper, ...] = ()  # functions adding routes from their parameters
    helper_calls: tuple[HelperCall, ...] = ()  # calls with literal path arguments
    owner_helpers: tuple[OwnerHelper, ...] = ()  # functions adding routes on a parameter (owners)
    owner_calls: tuple[OwnerCall, ...] = ()  # calls that may hand them an owner


def join_paths(prefix: str, rule: str) -> str:
    """`/orders` + `/<int:id>` → `/orders/<int:id>`: one slash between, none doubled, rule's trailing kept."""
    if not prefix:
        return rule if rule.startswith("/") or not rule else "/" + rule
    if not rule:
        return prefix if prefix.startswith("/") else "/" + prefix
    joined = prefix.rstrip("/") + "/" + rule.lstrip("/")
    return joined if joined.startswith("/") else "/" + joined
