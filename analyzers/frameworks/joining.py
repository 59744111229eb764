"""Framework facts: HTTP routes, ORM tables and table accesses, Django dotted strings.

Two steps, so that the per-file part runs in the parsing worker pool and caches with the file:
`scan_file` (analyzers.frameworks.scanning) reads one parsed module and records raw facts
(`FrameworkFacts`) with names exactly as written there; `resolve` joins every file's raw facts
through the import `Scope` (blueprint prefixes given in another module, Django
`include("app.urls")`, models used through imports) into final facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from analyzers.data.models import resolve_data
from analyzers.frameworks.django_loading import resolve_loading
from analyzers.frameworks.django_strings import resolve_strings
from analyzers.frameworks.file_facts import FrameworkFacts
from analyzers.model import Diagnostic, ImportEdge, Module, Route, Table, TableAccess
from analyzers.ordering import in_order
from analyzers.python.scope import Scope
from analyzers.web.app_facts import AppFacts
from analyzers.web.app_resolution import resolve_app_routes
from analyzers.web.appbuilder import AppBuilderFacts, resolve_appbuilder
from analyzers.web.django_converters import resolve_converters
from analyzers.web.django_urls import UrlconfFacts, resolve_urls
from analyzers.web.drf import ViewSetIndex, confirmed_routers

__all__ = ["FrameworkFacts", "FrameworkResult", "resolve"]


def __getattr__(name: str) -> Any:
    """`scan_file`, the scanner's (analyzers.frameworks.scanning), imported only when asked for:
    resolving needs none of the scanner."""
    if name == "scan_file":
        from analyzers.frameworks.scanning import scan_file

        return scan_file
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True, slots=True)
class FrameworkResult:
    """Resolved framework facts of the whole codebase, every tuple sorted."""

    routes: tuple[Route, ...] = ()
    tables: tuple[Table, ...] = ()
    accesses: tuple[TableAccess, ...] = ()
    imports: tuple[ImportEdge, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


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
    constants = {m: dict(f.apps.constants.texts) for m, f in facts.items() if f.apps.constants.texts}
    converters, converter_diagnostics = resolve_converters(
        {m: f.converters for m, f in facts.items() if f.converters}, constants, bases, scope, paths
    )
    urlconfs = {m: f.urlconf for m, f in facts.items() if f.urlconf}
    django_urls = UrlconfFacts(urlconfs, roots, routers, viewsets, converters)
    django_routes, django_diagnostics = resolve_urls(django_urls, scope, paths)
    fab_routes, fab_diagnostics = resolve_appbuilder(
        {m: f.appbuilder for m, f in facts.items() if f.appbuilder != AppBuilderFacts()}, bases, scope, paths
    )
    tables, accesses, models = resolve_data({m: f.data for m, f in facts.items()}, scope)
    # Django dynamic loading by app label (analyzers/frameworks/django_loading.py): string edges, accesses
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
