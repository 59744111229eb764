"""Framework facts: HTTP routes, ORM tables and table accesses, Django dotted strings.

Two steps, so that the per-file part runs in the parsing worker pool and caches with the file:
`scan_file` reads one parsed module and records raw facts with names exactly as written there;
`resolve` joins every file's raw facts through the import `Scope` (blueprint prefixes given in
another module, Django `include("app.urls")`, models used through imports) into final facts.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field

from analyzers.app_routes import resolve_app_routes
from analyzers.appbuilder_routes import AppBuilderFacts, resolve_appbuilder
from analyzers.data import DataFacts, resolve_data
from analyzers.django_converters import ConverterRegistration, resolve_converters
from analyzers.django_loading import LoadingFacts, resolve_loading
from analyzers.django_routes import UrlList, resolve_django_routes
from analyzers.django_strings import DottedString, resolve_strings
from analyzers.drf_routes import Router, ViewSetClass, ViewSetIndex, confirmed_routers
from analyzers.model import Diagnostic, ImportEdge, Module, Route, Table, TableAccess, picklable
from analyzers.name_uses import UseSink
from analyzers.ordering import in_order
from analyzers.routes import AppFacts
from analyzers.scope import Scope

# The files whose code decides what `scan_file` records: a per-file facts cache must be
# invalidated when any of them changes (analyzers.cache fingerprints them).
SOURCE_FILES = (
    "frameworks.py",
    "framework_scan.py",
    "routes.py",
    "django_routes.py",
    "data.py",
    "django_strings.py",
    "django_loading.py",
    "sql_tables.py",
    "fw_ast.py",
    "data_scan.py",
    "drf_routes.py",
    "scan_walk.py",
    "name_uses.py",
    "route_owners.py",
    "appbuilder_routes.py",
    "django_converters.py",
)


@picklable
@dataclass(frozen=True, slots=True)
class FrameworkFacts:
    """Raw, unresolved framework facts of one file (picklable; cached with the file)."""

    module: str
    path: str
    apps: AppFacts = field(default_factory=AppFacts)
    urlconf: tuple[UrlList, ...] = ()
    data: DataFacts = field(default_factory=DataFacts)
    strings: tuple[DottedString, ...] = ()
    root_urlconf: str = ""  # a settings module's ROOT_URLCONF
    routers: tuple[Router, ...] = ()  # Django REST framework routers and their registrations
    loading: LoadingFacts = field(default_factory=LoadingFacts)  # get_class / get_model / AppConfig
    viewsets: tuple[ViewSetClass, ...] = ()  # classes with DRF @action methods or lookup attributes
    converters: tuple[ConverterRegistration, ...] = ()  # Django register_converter() calls
    appbuilder: AppBuilderFacts = field(default_factory=AppBuilderFacts)  # Flask-AppBuilder views
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True)
class FrameworkResult:
    """Resolved framework facts of the whole codebase, every tuple sorted."""

    routes: tuple[Route, ...] = ()
    tables: tuple[Table, ...] = ()
    accesses: tuple[TableAccess, ...] = ()
    imports: tuple[ImportEdge, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


def scan_file(tree: ast.Module, module: str, path: str, uses: UseSink | None = None) -> FrameworkFacts:
    """Raw framework facts of one parsed file; never raises (a failure is a diagnostic).

    With `uses`, the name uses of the file are recorded there in the same walk (`uses.complete`
    is left False when the scan failed)."""
    from analyzers.framework_scan import scan

    try:
        return scan(tree, module, path, uses)
    except (Exception, RecursionError) as exc:  # a scanner bug must not lose the file's other facts
        message = f"framework facts not extracted: {type(exc).__name__}: {exc}"
        return FrameworkFacts(
            module=module,
            path=path,
            diagnostics=(Diagnostic(path, 0, "framework-scan", message),),
        )


def resolve(
    facts: Mapping[str, FrameworkFacts], scope: Scope, modules: Mapping[str, Module]
) -> FrameworkResult:
    """Join every file's raw facts into routes, tables, accesses and string import edges."""
    paths = {name: m.path for name, m in modules.items()}
    for name, found in facts.items():
        paths.setdefault(name, found.path)
    diagnostics: set[Diagnostic] = set()
    for found in facts.values():
        diagnostics.update(found.diagnostics)

    app_routes, app_diagnostics = resolve_app_routes(
        {m: f.apps for m, f in facts.items() if f.apps != AppFacts()}, scope, paths
    )
    roots = tuple(
        sorted(
            {
                target
                for f in facts.values()
                if f.root_urlconf and (target := _root_urlconf(f.module, f.root_urlconf, scope))
            }
        )
    )
    routers = {m: f.routers for m, f in facts.items() if f.routers}
    bases = {(m, c.name): c.bases for m, f in facts.items() for c in f.data.classes}
    if any(r.cls for found in routers.values() for r in found):
        routers = confirmed_routers(routers, bases, scope)
    viewsets = ViewSetIndex({m: f.viewsets for m, f in facts.items() if f.viewsets}, bases, scope)
    constants = {m: dict(f.apps.constants) for m, f in facts.items() if f.apps.constants}
    converters, converter_diagnostics = resolve_converters(
        {m: f.converters for m, f in facts.items() if f.converters}, constants, bases, scope, paths
    )
    django_routes, django_diagnostics = resolve_django_routes(
        {m: f.urlconf for m, f in facts.items() if f.urlconf},
        roots,
        scope,
        paths,
        routers,
        viewsets,
        converters,
    )
    fab_routes, fab_diagnostics = resolve_appbuilder(
        {m: f.appbuilder for m, f in facts.items() if f.appbuilder != AppBuilderFacts()}, bases, scope, paths
    )
    tables, accesses, models = resolve_data({m: f.data for m, f in facts.items()}, scope)
    # Django dynamic loading by app label (analyzers/django_loading.py): string edges, accesses
    packages = [name for name, m in modules.items() if m.is_package]
    loaded, loaded_accesses, _ = resolve_loading(
        {m: f.loading for m, f in facts.items()}, scope, paths.keys(), packages, tables
    )
    accesses = in_order({*accesses, *loaded_accesses})
    edges = resolve_strings({m: f.strings for m, f in facts.items() if f.strings}, scope, models)
    edges = in_order({*edges, *loaded})
    diagnostics.update(app_diagnostics, django_diagnostics, converter_diagnostics, fab_diagnostics)
    return FrameworkResult(
        routes=in_order({*app_routes, *django_routes, *fab_routes}),
        tables=tables,
        accesses=accesses,
        imports=edges,
        diagnostics=in_order(diagnostics),
    )


def _root_urlconf(settings: str, value: str, scope: Scope) -> str | None:
    """The module a ROOT_URLCONF names: absolute, else relative to a package above the settings
    module (`ROOT_URLCONF = "urls"` in `sandbox/settings.py`, run from `sandbox/`)."""
    found = scope.resolve_module(value)
    package = settings
    while found is None and "." in package:
        package = package.rpartition(".")[0]
        found = scope.resolve_module(f"{package}.{value}")
    return found
