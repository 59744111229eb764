"""Where every module of a service skeleton goes, and what it reaches over the network instead.

The rule that makes a skeleton run on its own (documented in docs/skeletons.md):
- the service's modules move under a package named after the service, keeping their layout below
  the deepest package they all share (`shop.inventory.service` -> `inventory.service`);
- a module outside the service is *vendored* (copied read-only under `<package>/vendored/`, with its
  original dotted path) when it is shared kernel, or when the moved code uses anything from it that
  cannot be called remotely: a class (ORM models of shared tables), a constant, a module imported for
  its side effects, a star import. Vendored modules are scanned in turn, up to a fixed point;
- every other use is a call of a function that stays in the monolith: it goes through the generated
  client `<package>/clients/monolith.py`, which keeps the function's signature.
The monolith's Flask app factory is vendored with the registrations of blueprints that did not move
removed, so the service answers with the monolith's error handlers, JSON settings and request hooks.
"""

from __future__ import annotations

import keyword
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from analyzers.model import Codebase
from strangler.decomposition import SHARED_KERNEL, Decomposition
from strangler.errors import StranglerError
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
    python_requires: str = ">=3.10"


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
        rest = name.split(".")[len(prefix):]
        mapping[name] = ".".join([package, *rest])
        if rest and rest[0] in RESERVED:
            raise SkeletonError(
                f"module {name} would become {mapping[name]}, a name the skeleton reserves",
                hint="pin the module to another service or rename it before extracting",
            )
    return mapping


def plan_layout(
    codebase: Codebase,
    decomposition: Decomposition,
    service: str,
    texts: Mapping[str, ModuleText],
) -> ServiceLayout:
    """Decide moved, vendored and remote for `service`; `texts` is every parsed code module."""
    owner = decomposition.service_of()
    # The monolith's entry point (`__main__`) does not move: the skeleton generates its own.
    members = sorted(
        m for m, s in owner.items()
        if s == service and m in texts and not m.endswith("__main__")
    )
    if not members:
        raise SkeletonError(
            f"service {service!r} has no modules with readable source",
            hint="check the service name against `strangler boundaries` output",
        )
    package = package_name(service, frozenset(e.name.partition(".")[0] for e in codebase.externals))
    moved = _new_names(package, [(m, texts[m].is_package) for m in members])
    app_module, factory = _app_factory(texts, frozenset(moved))
    vendored: dict[str, str] = {}
    remote: set[RemoteFunction] = set()
    remote_modules: set[str] = set()
    refs = _module_attribute_uses(codebase)
    queue = sorted(moved)
    if app_module and app_module not in moved:
        vendored[app_module] = f"{package}.vendored.{app_module}"
        queue.append(app_module)
    seen = set(queue)
    orm_modules: set[str] = set()
    while queue:
        source = queue.pop(0)
        text = texts[source]
        dropped = dropped_imports(text, frozenset(moved)) if source == app_module else set()
        attrs = dict[str, set[str]]()
        for alias, attr in text.attributes:
            attrs.setdefault(alias, set()).add(attr)
        for target in _orm_dependencies(codebase, text):
            if target not in moved and target in texts and target not in seen:
                seen.add(target)
                orm_modules.add(target)
                vendored[target] = f"{package}.vendored.{target}"
                queue.append(target)
        for use in text.imports:
            target = use.target
            if target in moved or target not in texts or use.bound in dropped:
                continue
            if use.name:
                used = {use.name}
            else:
                used = attrs.get(use.bound, set()) | refs.get((source, target), set())
            functions = {n for n in used if texts[target].kind_of(n) == "function"}
            callable_remotely = (
                owner.get(target) != SHARED_KERNEL
                and not use.star
                and bool(used)
                and functions == used
                and target != app_module
            )
            if callable_remotely:
                remote.update(RemoteFunction(target, n) for n in functions)
                if not use.name:
                    remote_modules.add(target)
            elif target not in seen:
                seen.add(target)
                vendored[target] = f"{package}.vendored.{target}"
                queue.append(target)
    # A module vendored for its classes is local: calls into it need no client either.
    remote_left = {r for r in remote if r.module not in vendored}
    return ServiceLayout(
        service=service,
        package=package,
        moved=tuple(sorted(moved.items())),
        vendored=tuple(sorted(vendored.items())),
        remote=tuple(sorted(remote_left)),
        remote_modules=tuple(sorted(m for m in remote_modules if m not in vendored)),
        app_module=app_module,
        factory=factory,
        orm_modules=tuple(sorted(orm_modules)),
    )


def _orm_dependencies(codebase: Codebase, text: ModuleText) -> list[str]:
    """Modules declaring the tables and model classes this module's models refer to by name:
    the ORM metadata needs them to map (foreign keys, relationships) even if no code imports them."""
    code = {m.name for m in codebase.modules if m.role == "code"}  # (migrations declare tables too)
    declared = [t for t in codebase.tables if t.module in code]
    by_table = {t.name: t.module for t in declared}
    by_model = {t.model: t.module for t in declared if t.model}
    found = {by_table[n] for n in text.foreign_tables if n in by_table}
    found |= {by_model[n] for n in text.related_models if n in by_model}
    return sorted(found - {text.name})


def _module_attribute_uses(codebase: Codebase) -> dict[tuple[str, str], set[str]]:
    """(source, target) -> symbols of target that source uses, from the analyzers' references."""
    uses: dict[tuple[str, str], set[str]] = {}
    for ref in codebase.references:
        if ref.symbol:
            uses.setdefault((ref.source, ref.target), set()).add(ref.symbol)
    return uses


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
        u.bound
        for u in text.imports
        if (u.target, u.name) in staying or (not u.name and u.target in modules)
    }
