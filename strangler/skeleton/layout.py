"""Where every module of a service skeleton goes, and what it reaches over the network instead.

The rule that makes a skeleton run on its own (documented in docs/skeletons.md):
- the service's modules move under a package named after the service, keeping their layout below
  the deepest package they all share (`shop.inventory.service` -> `inventory.service`);
- a module outside the service is *vendored* (copied read-only under `<package>/vendored/`, with its
  original dotted path) when it is in the closure of the moved code (closure.py): shared kernel it
  reaches, modules it uses anything from that cannot be called remotely (a class, a constant, a
  star import, a side-effect import), transitively; god modules are cut from that closure;
- every other use is a call of a function that stays in the monolith: it goes through the generated
  client `<package>/clients/monolith.py`, which keeps the function's signature (a class or constant
  of a cut god module is a stand-in there).
The monolith's Flask app factory is vendored with the registrations of blueprints that did not move
removed, so the service answers with the monolith's error handlers, JSON settings and request hooks.
"""

from __future__ import annotations

import dataclasses
import keyword
import re
import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from analyzers.model import Codebase
from strangler.boundaries.decomposition import SHARED_KERNEL, Decomposition
from strangler.exceptions import StranglerError
from strangler.skeleton.closure import GOD_SHARE, Cut, ModuleGraph, build_graph, service_closure
from strangler.skeleton.sources import ModuleText

#: Files the generator writes inside the service package; a moved module may not take these names.
RESERVED = ("__main__", "clients", "internal_api", "vendored", "webapp")


class SkeletonError(StranglerError):
    """A service cannot be turned into a skeleton as asked."""

    exit_code = 1


@dataclass(frozen=True, slots=True)
class SkeletonOptions:
    """How skeletons are generated; the defaults suit a local run next to the monolith."""

    timeout_seconds: float = 10.0
    internal_prefix: str = "/_strangler/ops"  # URL prefix of internal API endpoints, both sides
    monolith_url_env: str = "MONOLITH_URL"
    default_port: int = 8000
    python_requires: str = ">=3.10"  # unless the monolith declares its own `requires-python`
    # a module whose own closure holds more than this share of the monolith's lines is cut from
    # a service's closure (a god module): see closure.py
    god_share: float = GOD_SHARE


@dataclass(frozen=True, slots=True, order=True)
class RemoteFunction:
    """A function of the monolith (or of another service) that a caller reaches over HTTP."""

    module: str
    name: str

    @property
    def operation(self) -> str:
        return f"{self.module}.{self.name}"

    @property
    def client_name(self) -> str:
        return f"{mangle(self.module)}__{self.name}"


@dataclass(frozen=True, slots=True)
class ServiceLayout:
    """The decided shape of one service skeleton."""

    service: str
    package: str
    moved: tuple[tuple[str, str], ...]  # (original module, new module), sorted
    vendored: tuple[tuple[str, str], ...]  # (original module, new module), sorted
    remote: tuple[RemoteFunction, ...]  # monolith functions the service calls, sorted
    remote_modules: tuple[str, ...]  # monolith modules used as module objects (namespaces), sorted
    app_module: str  # original name of the vendored app factory module, "" if none
    factory: str  # its factory function name
    # vendored only so the ORM can map foreign keys/relationships: imported by the web app
    orm_modules: tuple[str, ...] = ()
    # (cut module, class or constant) the closure uses: stand-ins in the client
    stand_ins: tuple[tuple[str, str], ...] = ()
    # (cut module, `name` or `name.attribute`) used as a decorator: it fails closed in the client
    decorators: tuple[tuple[str, str], ...] = ()
    cuts: tuple[Cut, ...] = ()  # god modules the closure stops at
    left_out: tuple[str, ...] = ()  # subscriber modules whose signals the service never sends

    def local(self) -> dict[str, str]:
        """Original module name -> module name inside the skeleton, for moved and vendored code."""
        return dict(self.moved + self.vendored)

    @property
    def client_module(self) -> str:
        return f"{self.package}.clients.monolith"


def mangle(module: str) -> str:
    """`shop.accounts.auth` -> `shop_accounts_auth`: a module name as one identifier."""
    return module.replace(".", "_")


#: Top-level modules of the standard library, which a service package must not shadow.
STDLIB = frozenset(sys.stdlib_module_names)


def package_name(service: str, reserved: frozenset[str] = frozenset()) -> str:
    """A Python package name for a service name ("order-history" -> "order_history"); a name in
    `reserved` (a standard-library or third-party module the code imports: a service `email` would
    shadow the standard library's) gets a `_service` suffix."""
    name = re.sub(r"[^0-9a-zA-Z_]+", "_", service).strip("_").lower() or "service"
    if name[0].isdigit() or keyword.iskeyword(name):
        name = f"svc_{name}"
    if name in reserved or name in STDLIB:
        name = f"{name}_service"
    return name


def _new_names(package: str, modules: list[tuple[str, bool]]) -> dict[str, str]:
    """Moved modules below `package`, keeping their layout under the deepest shared package."""
    packages = [name.split(".") if is_pkg else name.split(".")[:-1] for name, is_pkg in modules]
    prefix = packages[0]
    for parts in packages[1:]:
        while parts[: len(prefix)] != prefix:
            prefix = prefix[:-1]
    mapping = {}
    for name, _ in modules:
        rest = name.split(".")[len(prefix) :]
        mapping[name] = ".".join([package, *rest])
        if rest and rest[0] in RESERVED:
            raise SkeletonError(
                f"module {name} would become {mapping[name]}, a name the skeleton reserves",
                hint="pin the module to another service or rename it before extracting",
            )
    return mapping


def _members(
    decomposition: Decomposition, service: str, texts: Mapping[str, ModuleText], graph: ModuleGraph
) -> list[str]:
    """The service's modules that move, sorted: those with readable source, but the monolith's entry
    point (`__main__`): the skeleton generates its own; and the package markers that go with them
    (`package_markers`, found once per run in `graph`)."""
    owner = {**graph.markers, **decomposition.service_of()}
    members = sorted(
        m for m, s in owner.items() if s == service and m in texts and not m.endswith("__main__")
    )
    if not members:
        raise SkeletonError(
            f"service {service!r} has no modules with readable source",
            hint="check the service name against `strangler boundaries` output",
        )
    return members


def package_markers(codebase: Codebase, decomposition: Decomposition) -> dict[str, str]:
    """Package `__init__` modules with no code that the decomposition leaves out (they carry no
    coupling: the graph leaves them out) -> the service holding more than half of the modules below
    them: a moved package keeps its own `__init__`, so its name (a Django app's, `hc.accounts`)
    stays the name of a module of the service. A package holding packages of other services (a
    project's root package) goes with none: the skeleton writes its own empty `__init__`."""
    owner = decomposition.service_of()
    counts: dict[str, Counter[str]] = {}
    for module in codebase.modules:
        if module.is_package and module.loc == 0 and module.role == "code" and module.name not in owner:
            counts[module.name] = Counter()
    for name, service in owner.items():
        parts = name.split(".")
        for depth in range(1, len(parts)):
            marker = ".".join(parts[:depth])
            if marker in counts:
                counts[marker][service] += 1
    found = {}
    for marker, services in sorted(counts.items()):
        top = min(services, key=partial(_most_then_name, services), default="")
        if top and top != SHARED_KERNEL and 2 * services[top] > sum(services.values()):
            found[marker] = top
    packages = {m.name for m in codebase.modules if m.is_package}
    held = {**{p: owner[p] for p in packages if p in owner}, **found}
    return {m: s for m, s in found.items() if not _holds_others(m, s, held)}


def _holds_others(marker: str, service: str, held: Mapping[str, str]) -> bool:
    """Whether a package below `marker` belongs to another service than `service` (the marker is
    then of a level above the services, as a project's root package: it goes with none)."""
    prefix = f"{marker}."
    return any(p.startswith(prefix) and s != service for p, s in held.items())


def _most_then_name(counts: Mapping[str, int], name: str) -> tuple[int, str]:
    return -counts[name], name


def plan_layout(
    codebase: Codebase,
    decomposition: Decomposition,
    service: str,
    texts: Mapping[str, ModuleText],
    *,
    graph: ModuleGraph | None = None,
    god_share: float = GOD_SHARE,
) -> ServiceLayout:
    """Decide moved, vendored and remote for `service`; `texts` is every parsed code module and
    `graph` their uses (`module_graph`, built here when not given: pass it for several services)."""
    graph = graph or module_graph(codebase, decomposition, texts)
    members = _members(decomposition, service, texts, graph)
    package = package_name(service, frozenset(e.name.partition(".")[0] for e in codebase.externals))
    moved = _new_names(package, [(m, texts[m].is_package) for m in members])
    app_module, factory = _app_factory(texts, frozenset(moved))
    roots = [app_module] if app_module and app_module not in moved else []
    dropped = (
        {app_module: frozenset(dropped_imports(texts[app_module], frozenset(moved)))} if app_module else {}
    )
    closure = service_closure(graph, texts, frozenset(moved), roots, dropped, god_share)
    return ServiceLayout(
        service=service,
        package=package,
        moved=tuple(sorted(moved.items())),
        vendored=tuple((m, f"{package}.vendored.{m}") for m in closure.vendored),
        remote=tuple(RemoteFunction(m, n) for m, n in closure.remote),
        remote_modules=closure.namespaces,
        app_module=app_module,
        factory=factory,
        orm_modules=closure.orm_modules,
        stand_ins=closure.stand_ins,
        decorators=closure.decorators,
        cuts=closure.cuts,
        left_out=closure.left_out,
    )


def module_graph(
    codebase: Codebase, decomposition: Decomposition, texts: Mapping[str, ModuleText]
) -> ModuleGraph:
    """Every module's uses and own closure, for the layouts of every service of one run."""
    factories = {
        name: frozenset(dropped_imports(text, frozenset()))
        for name, text in texts.items()
        if text.factory and text.registrations
    }
    graph = build_graph(
        codebase, texts, decomposition.service_of(), {m: t.lines for m, t in texts.items()}, factories
    )
    return dataclasses.replace(graph, markers=package_markers(codebase, decomposition))


def _app_factory(texts: Mapping[str, ModuleText], moved: frozenset[str]) -> tuple[str, str]:
    """The module whose factory registers a moved blueprint (the monolith's Flask app), if any."""
    for name in sorted(texts):
        text = texts[name]
        if text.factory and any(r.module in moved for r in text.registrations):
            return name, text.factory
    return "", ""


def dropped_imports(text: ModuleText, moved: frozenset[str]) -> set[str]:
    """Names the app factory imports only to register blueprints that do not move."""
    staying = {(r.module, r.name) for r in text.registrations if r.module and r.module not in moved}
    modules = {module for module, _ in staying}
    return {
        u.bound for u in text.imports if (u.target, u.name) in staying or (not u.name and u.target in modules)
    }
