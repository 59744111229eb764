"""Flask and FastAPI routes resolved across files (the scanning side is `analyzers.web.apps`).

Each route declared is placed on the owners its expression may be (`analyzers.web.owner_targets`),
under every prefix those owners are reached by (`analyzers.web.mount_prefixes`); routes added
through helper functions are declared at each call (`analyzers.web.route_helpers`). A prefix that
cannot be read (an owner created with a computed prefix, a parameter no call binds, an owner the
code does not show) makes the route's path start with `UNKNOWN_PREFIX`, with `Route.unknown_prefix`
saying where it comes from and a diagnostic saying how to make it readable: such a route stays with
the monolith, and is never taken for a root route.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from analyzers.files.discovery import RUNTIME_BY_PATH, role_of
from analyzers.model import UNKNOWN_PREFIX, Diagnostic, Framework, Route
from analyzers.python.scope import Scope
from analyzers.web.app_facts import (
    FLASK_KINDS,
    LITERAL,
    MAX_MOUNT_DEPTH,
    UNREAD,
    AppFacts,
    RouteDecl,
    join_paths,
)
from analyzers.web.app_findings import Findings, RouteUnder
from analyzers.web.mount_prefixes import MountPrefixes, Prefix
from analyzers.web.owner_targets import ROOT, OwnerKey, OwnerTargets, Target, app_like
from analyzers.web.owners import OwnerHelper
from analyzers.web.route_constants import ConstantReader
from analyzers.web.route_helpers import helper_routes

_ANNOTATED_FRAMEWORK: Mapping[str, Framework] = {
    "Flask": "flask",
    "Blueprint": "flask",
    "Api": "flask",
    "Namespace": "flask",
    "FastAPI": "fastapi",
    "APIRouter": "fastapi",
}


def resolve_app_routes(
    files: Mapping[str, AppFacts], scope: Scope, paths: Mapping[str, str] | None = None
) -> tuple[tuple[Route, ...], tuple[Diagnostic, ...]]:
    """Every Flask/FastAPI route with its prefixes composed along the mounts reaching its owner;
    diagnostics (at the files of `paths`) for computed paths and unknown prefixes."""
    resolver = _AppResolver(files, scope, paths or {})
    return resolver.routes(), resolver.findings.all()


@dataclass(frozen=True, slots=True)
class _ReadRule:
    """A declaration with its rule read, and what an unknown head of the rule comes from."""

    decl: RouteDecl
    unknown: str = ""


class _AppResolver:
    def __init__(self, files: Mapping[str, AppFacts], scope: Scope, paths: Mapping[str, str]) -> None:
        self.files = files
        self.scope = scope
        self.findings = Findings(paths)
        self.constants = ConstantReader({m: f.constants for m, f in files.items()}, scope)
        self.classes = {(m, c.name): c for m, facts in files.items() for c in facts.resources}
        self.targets = OwnerTargets(files, scope, self.findings)
        self.mounts = MountPrefixes(files, self.targets, self.constants, self.findings)

    def routes(self) -> tuple[Route, ...]:
        expanded, helped = helper_routes(self.files, self.scope)
        routes: set[Route] = set()
        for module, facts in sorted(self.files.items()):
            for decl in (*facts.decls, *expanded.get(module, ())):
                if decl.source.kind == "name" and (module, decl.scope) in helped:
                    continue  # followed from each call of the helper (expanded above)
                routes.update(self._routes_of(module, facts, decl))
        return tuple(sorted(routes))

    def _routes_of(self, module: str, facts: AppFacts, decl: RouteDecl) -> list[Route]:
        targets = self.targets.targets(module, decl.scope, decl.owner)
        read = self._read_rule(module, decl, bool(targets) or bool(facts.imports_framework))
        if read is None:
            return []
        if not targets:
            targets = self._unresolved(module, facts, read.decl)
        found: list[Route] = []
        for target in targets:
            framework = self._framework(target, module, facts, read.decl)
            if framework is not None:
                found += self._routes_on(module, read, target, framework)
        for route in found:
            if route.unknown_prefix and UNKNOWN_PREFIX in route.path:  # (else a mount's diagnostic says it)
                where = RouteUnder(self.findings.where(module), decl.line, f"{route.path} ({route.handler})")
                self.findings.route_under(route.unknown_prefix, where)
        return found

    def _read_rule(self, module: str, decl: RouteDecl, known: bool) -> _ReadRule | None:
        """The declaration with its rule read from constants where the code names one; None (and a
        diagnostic where the owner is known) for a rule not read at all."""
        if decl.source.kind == "name":  # a name: a constant of the codebase, or unread
            read = self.constants.read_rule(module, decl.scope, decl.source.name)
            if read is not None:  # a settings default keeps its source: the diagnostic says it may differ
                decl = replace(
                    decl, rule=read.text + decl.rule, source=decl.source if read.default else LITERAL
                )
            elif decl.rule:  # `PREFIX + "/x"`: the literal tail under an unknown head
                return _ReadRule(
                    replace(decl, rule=join_paths(UNKNOWN_PREFIX, decl.rule), source=LITERAL),
                    decl.source.name,
                )
            else:
                decl = replace(decl, source=UNREAD)
        if decl.source.kind != "literal" and known:
            self.findings.diagnostics.add(_computed(decl, self.findings.where(module)))
        return None if decl.source.kind == "unread" else _ReadRule(decl)

    def _unresolved(self, module: str, facts: AppFacts, decl: RouteDecl) -> list[Target]:
        """Where a route declared on an owner the code does not create goes: the site root for an
        app (`app`, from a factory), else an unknown prefix (said by a diagnostic)."""
        if not facts.imports_framework:
            where = self.findings.where(module)
            if (
                decl.rule.startswith("/")
                and decl.source.kind == "literal"
                and role_of(where) in RUNTIME_BY_PATH
            ):
                message = (
                    f"route {decl.rule} of {decl.handler} is declared on {decl.owner}, which is no "
                    "app, blueprint or router the code creates: not listed, not routed"
                )
                self.findings.add(module, decl.line, "unresolved-route", message)
            return []
        if app_like(decl.owner):
            return [ROOT]
        return [
            self.targets.unknown(
                f"{decl.owner}, which the code does not show to be an app, blueprint or router"
            )
        ]

    def _framework(self, target: Target, module: str, facts: AppFacts, decl: RouteDecl) -> Framework | None:
        owner = self.targets.owners.get(target) if isinstance(target, OwnerKey) and target != ROOT else None
        if owner is not None:
            return "flask" if owner.kind in FLASK_KINDS else "fastapi"
        if len(facts.imports_framework) == 1:
            return "flask" if facts.imports_framework[0] == "flask" else "fastapi"
        helper = self.targets.helper(module, decl.scope, decl.owner)
        annotation = dict(helper.annotations).get(decl.owner, "") if helper is not None else ""
        return _ANNOTATED_FRAMEWORK.get(annotation)

    def _routes_on(self, module: str, read: _ReadRule, target: Target, framework: Framework) -> list[Route]:
        decl = read.decl
        handler_module, handler = _handler(module, decl, self.scope)
        methods, line = self._methods_and_line(decl, handler_module, handler)
        endpoint = decl.endpoint or handler.rsplit(".", 1)[-1]
        if decl.resource and not decl.endpoint and not decl.decorated:
            endpoint = endpoint.lower()  # Flask-RESTful's default endpoint: the class name, lower
        return [
            Route(
                path=join_paths(prefix.path, decl.rule),
                methods=methods,
                handler=handler,
                module=handler_module,
                line=line,
                framework=framework,
                name=_endpoint_name(prefix, endpoint, framework),
                unknown_prefix=prefix.unknown or read.unknown,
            )
            for prefix in self.mounts.prefixes(target)
        ]

    def _methods_and_line(self, decl: RouteDecl, module: str, handler: str) -> tuple[tuple[str, ...], int]:
        """The route's methods (a resource's: the verbs its class defines) and the line it is listed at
        (a resource's class, whose registration may sit in another file)."""
        methods, line = decl.methods, decl.line
        if decl.resource:
            defined = (module, handler.rsplit(".", 1)[-1])
            methods = methods or self._verbs_of(defined)
            if not decl.decorated and defined in self.classes:
                line = self.classes[defined].line
        return methods or ("GET",), line

    def _verbs_of(self, key: tuple[str, str], depth: int = 0) -> tuple[str, ...]:
        """Upper-case verbs the class defines or inherits from classes of the codebase."""
        found = self.classes.get(key)
        if found is None or depth > MAX_MOUNT_DEPTH:
            return ()
        verbs = {v.upper() for v in found.verbs}
        for base in found.bases:
            parent = self.scope.resolve_name(key[0], base)
            if parent is not None and parent[1]:
                verbs.update(self._verbs_of(parent, depth + 1))
        return tuple(sorted(verbs))


def _endpoint_name(prefix: Prefix, endpoint: str, framework: Framework) -> str:
    """Flask's endpoint name: the blueprints' labels, then the endpoint; FastAPI's: the endpoint."""
    return f"{prefix.label}.{endpoint}" if prefix.label and framework == "flask" else endpoint


def _computed(decl: RouteDecl, path: str) -> Diagnostic:
    source = decl.source
    if source.kind == "name":
        message = (
            f"route {decl.rule} of {decl.handler} is {source.name}'s default: the environment may "
            "set another (check the proxy rules)"
        )
    elif source.kind == "unread" and decl.scope and not decl.decorated:
        helper = decl.scope.partition(".")[0]
        message = (
            f"route of {decl.handler} has a path computed at run time: not listed, not routed "
            f"(a helper? every route added through {helper}(...) is missing)"
        )
    elif source.kind == "unread":
        message = f"route of {decl.handler} has a path computed at run time: not listed, not routed"
    else:
        message = (
            f"route {decl.rule} of {decl.handler} passes through {source.name}(...): listed as "
            f"written, but the served path may differ (check the proxy rules for it)"
        )
    return Diagnostic(path, decl.line, "computed-route", message)


def _handler(module: str, decl: RouteDecl, scope: Scope) -> tuple[str, str]:
    if decl.decorated:
        return module, f"{module}.{decl.handler}"
    found = scope.resolve_name(module, decl.handler)
    if found is None or not found[1]:
        return module, f"{module}.{decl.handler}"
    return found[0], f"{found[0]}.{found[1]}"


__all__ = ["OwnerHelper", "Prefix", "resolve_app_routes"]
