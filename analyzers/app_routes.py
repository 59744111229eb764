"""Flask and FastAPI routes resolved across files (the scanning side is `analyzers.routes`).

An owner (app, blueprint, router, API, namespace) is found through the import `Scope`, or, when a
route is declared on a parameter of a function (`def register_rules(blueprint)`), through the
argument of every call of that function (`analyzers.route_owners`). Prefixes are composed along
every chain of mounts. A prefix that cannot be read (an owner created with a computed prefix, a
parameter no call binds, an owner the code does not show) makes the route's path start with
`UNKNOWN_PREFIX`, with `Route.unknown_prefix` saying where it comes from and a diagnostic saying how
to make it readable: such a route stays with the monolith, and is never taken for a root route.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace

from analyzers.discovery import RUNTIME_BY_PATH, role_of
from analyzers.model import UNKNOWN_PREFIX, Diagnostic, Framework, Route
from analyzers.route_owners import APP_NAMES, HelperIndex, OwnerHelper, is_app_parameter
from analyzers.routes import (
    INSTANCE,
    KIND_CLASSES,
    MAX_MOUNT_DEPTH,
    AppFacts,
    Mount,
    RouteDecl,
    RouteOwner,
    join_paths,
)
from analyzers.scope import Scope
from analyzers.subclasses import derives_from

OwnerKey = tuple[str, str, str]  # (module, scope, name); the scope is _UNKNOWN for an unknown owner
ROOT: OwnerKey = ("", "", "")  # the application itself: routes at the site root
_UNKNOWN = "\x00unknown"
_FLASK_KINDS = frozenset({"flask", "blueprint", "api", "namespace"})
_ANNOTATED_FRAMEWORK: Mapping[str, Framework] = {
    "Flask": "flask",
    "Blueprint": "flask",
    "Api": "flask",
    "Namespace": "flask",
    "FastAPI": "fastapi",
    "APIRouter": "fastapi",
}


@dataclass(frozen=True, slots=True)
class Prefix:
    """One way an owner is reached from an app: path and endpoint prefixes, and what an unknown
    part of the path comes from ("" when it is known)."""

    path: str
    label: str
    unknown: str = ""


def resolve_app_routes(
    files: Mapping[str, AppFacts], scope: Scope, paths: Mapping[str, str] | None = None
) -> tuple[tuple[Route, ...], tuple[Diagnostic, ...]]:
    """Every Flask/FastAPI route with its prefixes composed along the mounts reaching its owner;
    diagnostics (at the files of `paths`) for computed paths and unknown prefixes."""
    resolver = _AppResolver(files, scope, paths or {})
    return resolver.routes()


class _AppResolver:
    def __init__(self, files: Mapping[str, AppFacts], scope: Scope, paths: Mapping[str, str]) -> None:
        self.files = files
        self.scope = scope
        self.paths = paths
        self.owners: dict[OwnerKey, RouteOwner] = {ROOT: RouteOwner("", "", "flask", "", 0)}
        bases = {(m, r.name): r.bases for m, f in files.items() for r in f.resources}
        for module, facts in files.items():
            for owner in facts.owners:
                if owner.cls and not derives_from(module, owner.cls, KIND_CLASSES[owner.kind], bases, scope):
                    continue  # named like an APIRouter or a Blueprint, but no subclass of one
                self.owners[(module, owner.scope, owner.name)] = owner
        self.constants = {m: dict(f.constants) for m, f in files.items() if f.constants}
        self.classes = {(m, c.name): c for m, facts in files.items() for c in facts.resources}
        self.index = HelperIndex(
            ((m, h) for m, f in files.items() for h in f.owner_helpers),
            ((m, c) for m, f in files.items() for c in f.owner_calls),
            scope,
        )
        self.diagnostics: set[Diagnostic] = set()
        # cause -> (file, line, route) of the routes under an unknown prefix; cause -> its kind, and
        # the place to say it (where the owner is created, or the call binding the parameter)
        self.unknowns: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
        self.kinds: dict[str, str] = {}
        self.places: dict[str, tuple[str, int]] = {}
        self.parents: dict[OwnerKey, list[tuple[OwnerKey, str, str]]] = defaultdict(list)
        self.resolved: dict[tuple[str, str, str], list[OwnerKey]] = {}
        self.visiting: set[tuple[str, str, str]] = set()
        for module, facts in sorted(files.items()):
            for mount in facts.mounts:
                self._mount(module, mount)

    # --- owners ----------------------------------------------------------------------------------

    def find(self, module: str, where: str, expr: str) -> OwnerKey | None:
        """The owner `expr` names inside function `where` of `module`, if the code creates it."""
        if (module, where, expr) in self.owners:
            return (module, where, expr)
        if (module, "", expr) in self.owners:
            return (module, "", expr)
        found = self.scope.resolve_name(module, expr)
        if found is not None and (found[0], "", found[1]) in self.owners:
            return (found[0], "", found[1])
        return None

    def targets(self, module: str, where: str, expr: str) -> list[OwnerKey]:
        """The owners `expr` may be: one the code creates, or, for a parameter of a function adding
        routes, what every call of the function gives it; [] when `expr` is neither."""
        return self._targets(module, where, expr) or []

    def _targets(self, module: str, where: str, expr: str) -> list[OwnerKey] | None:
        """`targets`, remembered; None while `expr` is being resolved (a helper calling itself)."""
        visit = (module, where, expr)
        if visit in self.resolved:
            return self.resolved[visit]
        if visit in self.visiting or len(self.visiting) > MAX_MOUNT_DEPTH:
            return None
        self.visiting.add(visit)
        try:
            found = self._bound_targets(module, where, expr)
        finally:
            self.visiting.discard(visit)
        self.resolved[visit] = found
        return found

    def _bound_targets(self, module: str, where: str, expr: str) -> list[OwnerKey]:
        key = self.find(module, where, expr)
        if key is not None:
            return [key]
        helper = self.index.parameter(module, where, expr)
        if helper is None:
            return []
        name = expr.partition(".")[0]
        if name != expr:  # `self.blueprint`, `api.namespace_of_it`: an attribute of a parameter
            return [self.unknown_owner(f"{expr} (in {where}())")]
        found: list[OwnerKey] = []
        for bound in self.index.bindings(module, helper, name):
            given = self._targets(bound.module, bound.scope, bound.name)
            if given is None:
                continue  # (a recursive call: what the outer calls give)
            if not given:
                where_bound = f"{self.paths.get(bound.module, bound.module)}:{bound.line}"
                app = _app_like(bound.name)
                what = f"{bound.name} given to {helper.scope}() at {where_bound}"
                self.places.setdefault(what, (self.paths.get(bound.module, bound.module), bound.line))
                given = [ROOT] if app else [self.unknown_owner(what)]
            found += given
        if found:
            return sorted(set(found))
        if is_app_parameter(helper, name):
            return [ROOT]
        return [self.unknown_owner(f"{name}, a parameter of {helper.scope}() no call of the code binds")]

    def unknown_owner(self, what: str) -> OwnerKey:
        """An owner the code does not show, as a key whose prefix is unknown."""
        self.kinds.setdefault(what, "unresolved-route")
        return ("", _UNKNOWN, what)

    def _mount(self, module: str, mount: Mount) -> None:
        parents = self.targets(module, mount.scope, mount.parent) or [ROOT]
        children = [
            c for c in self.targets(module, mount.scope, mount.child) if c in self.owners and c != ROOT
        ]
        given = mount.prefix
        unknown = ""
        if mount.computed:
            read = self.constant(module, mount.computed)
            if read is not None:
                given = read[0]
            else:
                unknown = mount.computed  # listed without it, as the diagnostic says
            if read is None or read[1]:
                where = self.paths.get(module, module)
                message = _computed_prefix_message(mount, read)
                self.diagnostics.add(Diagnostic(where, mount.line, "computed-route", message))
        for child in children:
            own, own_unknown = self.owner_prefix(child)
            if given is not None:
                own, own_unknown = (given, "") if mount.replaces else (join_paths(given, own), own_unknown)
            for parent in parents:
                if parent != child:
                    self.parents[child].append((parent, own, unknown or own_unknown))

    def owner_prefix(self, key: OwnerKey) -> tuple[str, str]:
        """(prefix, what an unknown prefix comes from) the owner is created with."""
        owner = self.owners[key]
        if not owner.computed:
            return owner.prefix, ""
        read = self.constant(key[0], owner.computed)
        if read is not None:
            if read[1]:
                message = (
                    f"prefix {owner.computed} of {owner.name} taken as its default {read[0]!r}: the "
                    "environment may set another (check the proxy rules)"
                )
                where = self.paths.get(key[0], key[0])
                self.diagnostics.add(Diagnostic(where, owner.line, "computed-route", message))
            return read[0], ""
        cause = f"{owner.computed} (prefix of {owner.name})"
        self.kinds.setdefault(cause, "computed-route")
        self.places.setdefault(cause, (self.paths.get(key[0], key[0]), owner.line))
        return UNKNOWN_PREFIX, cause

    def prefixes(self, key: OwnerKey, depth: int = 0) -> list[Prefix]:
        """Every way `key` is reachable from an app."""
        if key[1] == _UNKNOWN:
            return [Prefix(UNKNOWN_PREFIX, "", key[2])]
        owner = self.owners[key]
        parents = self.parents.get(key)
        if depth > MAX_MOUNT_DEPTH or not parents:
            path, unknown = self.owner_prefix(key)
            return [Prefix(path, owner.label, unknown)]
        found: list[Prefix] = []
        for parent, own, unknown in parents:
            for above in self.prefixes(parent, depth + 1):
                label = ".".join(p for p in (above.label, owner.label) if p)
                found.append(Prefix(join_paths(above.path, own), label, above.unknown or unknown))
        return found

    def constant(self, module: str, expr: str) -> tuple[str, bool] | None:
        """(value, whether it is a class attribute's default) of the string a dotted name holds:
        a module constant, or a settings object's class default (`settings.API_V1_STR`)."""
        found = self.scope.resolve_name(module, expr)
        if found is None or not found[1]:
            return None
        home, path = found
        value = self.constants.get(home, {}).get(path)
        if value is not None and not value.startswith(INSTANCE):
            return value, "." in path
        head, _, rest = path.partition(".")
        instance = self.constants.get(home, {}).get(head, "")
        if rest and instance.startswith(INSTANCE):
            cls = self.scope.resolve_name(home, instance[1:])
            value = self.constants.get(cls[0], {}).get(f"{cls[1]}.{rest}") if cls else None
            if value is not None and not value.startswith(INSTANCE):
                return value, True
        return None

    def verbs_of(self, key: tuple[str, str], depth: int = 0) -> tuple[str, ...]:
        """Upper-case verbs the class defines or inherits from classes of the codebase."""
        found = self.classes.get(key)
        if found is None or depth > MAX_MOUNT_DEPTH:
            return ()
        verbs = {v.upper() for v in found.verbs}
        for base in found.bases:
            parent = self.scope.resolve_name(key[0], base)
            if parent is not None and parent[1]:
                verbs.update(self.verbs_of(parent, depth + 1))
        return tuple(sorted(verbs))

    # --- routes ----------------------------------------------------------------------------------

    def routes(self) -> tuple[tuple[Route, ...], tuple[Diagnostic, ...]]:
        expanded, helped = _helper_routes(self.files, self.scope)
        routes: set[Route] = set()
        for module, facts in sorted(self.files.items()):
            for decl in (*facts.decls, *expanded.get(module, ())):
                if decl.computed.startswith("=") and (module, decl.scope) in helped:
                    continue  # followed from each call of the helper (expanded above)
                routes.update(self._routes_of(module, facts, decl))
        for cause, found in sorted(self.unknowns.items()):
            kind = self.kinds.get(cause, "computed-route")
            place = self.places.get(cause) or min(found)[:2]
            self.diagnostics.add(_unknown_diagnostic(place, cause, kind, sorted(found)))
        return tuple(sorted(routes)), tuple(sorted(self.diagnostics))

    def _routes_of(self, module: str, facts: AppFacts, decl: RouteDecl) -> list[Route]:
        path = self.paths.get(module, module)
        targets = self.targets(module, decl.scope, decl.owner)
        read = self._read_rule(module, decl, bool(targets) or bool(facts.imports_framework))
        if read is None:
            return []
        decl, unknown_rule = read
        if not targets:
            targets = self._unresolved(module, facts, decl)
        found: list[Route] = []
        for key in targets:
            framework = self._framework(key, module, facts, decl)
            if framework is not None:
                found += self._routes_on(module, decl, key, framework, unknown_rule)
        for route in found:
            if route.unknown_prefix and UNKNOWN_PREFIX in route.path:  # (else a mount's diagnostic says it)
                self.unknowns[route.unknown_prefix].append(
                    (path, decl.line, f"{route.path} ({route.handler})")
                )
        return found

    def _read_rule(self, module: str, decl: RouteDecl, known: bool) -> tuple[RouteDecl, str] | None:
        """The declaration with its rule read from constants where the code names one, and what an
        unknown head of the rule comes from; None (and a diagnostic) for a rule not read at all."""
        unknown = ""
        if decl.computed.startswith("="):  # a name: a constant of the codebase, or unread
            name = decl.computed[1:]
            read = self._rule_constant(module, decl.scope, name)
            if read is not None:  # a settings default keeps its mark: the diagnostic says it may differ
                decl = replace(decl, rule=read[0] + decl.rule, computed=decl.computed if read[1] else "")
            elif decl.rule:  # `PREFIX + "/x"`: the literal tail under an unknown head
                return replace(decl, rule=join_paths(UNKNOWN_PREFIX, decl.rule), computed=""), name
            else:
                decl = replace(decl, computed="?")
        if decl.computed and known:
            self.diagnostics.add(_computed(decl, self.paths.get(module, module)))
            if decl.computed == "?":
                return None
        elif decl.computed == "?":
            return None
        return decl, unknown

    def _rule_constant(self, module: str, where: str, name: str) -> tuple[str, bool] | None:
        head, _, rest = name.partition(".")
        if head in ("self", "cls") and rest and "." in where:  # a class attribute of the method's class
            read = self.constant(module, f"{where.rpartition('.')[0]}.{rest}")
            return None if read is None else (read[0], False)
        return self.constant(module, name)

    def _unresolved(self, module: str, facts: AppFacts, decl: RouteDecl) -> list[OwnerKey]:
        """Where a route declared on an owner the code does not create goes: the site root for an
        app (`app`, from a factory), else an unknown prefix (said by a diagnostic)."""
        if not facts.imports_framework:
            where = self.paths.get(module, module)
            if decl.rule.startswith("/") and not decl.computed and role_of(where) in RUNTIME_BY_PATH:
                message = (
                    f"route {decl.rule} of {decl.handler} is declared on {decl.owner}, which is no "
                    "app, blueprint or router the code creates: not listed, not routed"
                )
                self.diagnostics.add(Diagnostic(where, decl.line, "unresolved-route", message))
            return []
        if _app_like(decl.owner):
            return [ROOT]
        return [
            self.unknown_owner(
                f"{decl.owner}, which the code does not show to be an app, blueprint or router"
            )
        ]

    def _framework(self, key: OwnerKey, module: str, facts: AppFacts, decl: RouteDecl) -> Framework | None:
        if key in self.owners and key != ROOT:
            return "flask" if self.owners[key].kind in _FLASK_KINDS else "fastapi"
        if len(facts.imports_framework) == 1:
            return "flask" if facts.imports_framework[0] == "flask" else "fastapi"
        helper = self.index.parameter(module, decl.scope, decl.owner)
        annotation = dict(helper.annotations).get(decl.owner, "") if helper is not None else ""
        return _ANNOTATED_FRAMEWORK.get(annotation)

    def _routes_on(
        self, module: str, decl: RouteDecl, key: OwnerKey, framework: Framework, unknown_rule: str
    ) -> list[Route]:
        handler_module, handler = _handler(module, decl, self.scope)
        methods = decl.methods
        line = decl.line
        if decl.resource:
            defined = (handler_module, handler.rsplit(".", 1)[-1])
            methods = methods or self.verbs_of(defined)
            if not decl.decorated and defined in self.classes:
                line = self.classes[defined].line  # (the registration may sit in another file)
        methods = methods or ("GET",)
        endpoint = decl.endpoint or handler.rsplit(".", 1)[-1]
        if decl.resource and not decl.endpoint and not decl.decorated:
            endpoint = endpoint.lower()  # Flask-RESTful's default endpoint: the class name, lower
        found = []
        for prefix in self.prefixes(key):
            name = f"{prefix.label}.{endpoint}" if prefix.label and framework == "flask" else endpoint
            found.append(
                Route(
                    path=join_paths(prefix.path, decl.rule),
                    methods=methods,
                    handler=handler,
                    module=handler_module,
                    line=line,
                    framework=framework,
                    name=name,
                    unknown_prefix=prefix.unknown or unknown_rule,
                )
            )
        return found


def _app_like(name: str) -> bool:
    """`app`, `application`, `flask_app`, `current_app`: the application, by its name."""
    last = name.rpartition(".")[2]
    return last in APP_NAMES or last.endswith("_app")


def _unknown_diagnostic(
    place: tuple[str, int], cause: str, kind: str, found: list[tuple[str, int, str]]
) -> Diagnostic:
    first = found[0][2]
    more = f" and {len(found) - 1} more route(s)" if len(found) > 1 else ""
    message = (
        f"route {first}{more}: prefix unknown, from {cause}; listed under {UNKNOWN_PREFIX!r} and kept on "
        "the monolith. To route it, create the blueprint or router with a literal prefix (or register "
        "it with one) where the code shows it, or write its proxy rule by hand"
    )
    return Diagnostic(*place, kind, message)


def _helper_routes(
    files: Mapping[str, AppFacts], scope: Scope
) -> tuple[dict[str, list[RouteDecl]], set[tuple[str, str]]]:
    """The routes each call of a route helper adds, declared at the call (its module, its
    arguments), and the helpers followed that way."""
    helpers = {(m, h.name): h for m, facts in files.items() for h in facts.helpers}
    if not helpers:
        return {}, set()
    inside: dict[tuple[str, str], list[RouteDecl]] = defaultdict(list)
    for module, facts in files.items():
        for decl in facts.decls:
            if decl.computed.startswith("=") and (module, decl.scope) in helpers:
                inside[(module, decl.scope)].append(decl)
    expanded: dict[str, list[RouteDecl]] = defaultdict(list)
    helped: set[tuple[str, str]] = set()
    for module, facts in sorted(files.items()):
        for call in facts.helper_calls:
            target = scope.resolve_name(module, call.callee) or (module, call.callee)
            helper = helpers.get(target)
            if helper is None:
                continue
            given = {
                helper.params[int(k)] if k.isdigit() and int(k) < len(helper.params) else k: v
                for k, v in call.args
            }
            loops = dict(helper.loops)
            for decl in inside[target]:
                variable = decl.computed[1:]
                paths = given.get(variable if variable in helper.params else loops.get(variable, ""), "")
                owner = given.get(decl.owner, "")
                view = given.get(decl.handler, "")
                if not (paths.startswith("p:") and owner.startswith("n:") and view[:2] in ("n:", "v:")):
                    continue
                handler, _, endpoint = view[2:].partition("\x1f")
                helped.add(target)
                expanded[module] += [
                    RouteDecl(
                        call.scope,
                        owner[2:],
                        path + decl.rule,
                        decl.methods,
                        handler,
                        False,
                        call.line,
                        endpoint or decl.endpoint,
                        view.startswith("v:"),
                    )
                    for path in paths[2:].split("\x1f")
                ]
    return expanded, helped


def _computed_prefix_message(mount: Mount, read: tuple[str, bool] | None) -> str:
    if read is None:
        return (
            f"prefix {mount.computed} of {mount.child} is computed at run time: the routes under it "
            "are listed without it (routed by the proxy without it)"
        )
    return (
        f"prefix {mount.computed} of {mount.child} taken as its default {read[0]!r}: the environment "
        "may set another (check the proxy rules)"
    )


def _computed(decl: RouteDecl, path: str) -> Diagnostic:
    if decl.computed.startswith("="):
        message = (
            f"route {decl.rule} of {decl.handler} is {decl.computed[1:]}'s default: the environment may "
            "set another (check the proxy rules)"
        )
        return Diagnostic(path, decl.line, "computed-route", message)
    if decl.computed == "?" and decl.scope and not decl.decorated:
        helper = decl.scope.partition(".")[0]
        message = (
            f"route of {decl.handler} has a path computed at run time: not listed, not routed "
            f"(a helper? every route added through {helper}(...) is missing)"
        )
    elif decl.computed == "?":
        message = f"route of {decl.handler} has a path computed at run time: not listed, not routed"
    else:
        message = (
            f"route {decl.rule} of {decl.handler} passes through {decl.computed}(...): listed as "
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
