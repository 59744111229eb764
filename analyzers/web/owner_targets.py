"""Which app, blueprint or router an expression of the code is, across files.

An owner is found where the code creates it, through the import `Scope`; a parameter of a function
adding routes (`def register_rules(blueprint)`) is whatever every call of the function gives it
(`analyzers.web.owners`), through chains of such functions. What the code does not show is an
`UnknownOwner` (its prefix unknown, its cause said), or the application itself (`ROOT`) for a
name that is the app's (`app`, `flask_app`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from analyzers.python.scope import Scope
from analyzers.python.subclasses import derives_from
from analyzers.web.app_facts import KIND_CLASSES, MAX_MOUNT_DEPTH, AppFacts, RouteOwner
from analyzers.web.app_findings import Findings
from analyzers.web.owners import APP_NAMES, Binding, HelperIndex, OwnerHelper, is_app_parameter


@dataclass(frozen=True, slots=True, order=True)
class OwnerKey:
    """An owner the code creates: `name` inside function `scope` ("" at top level) of `module`."""

    module: str
    scope: str
    name: str


@dataclass(frozen=True, slots=True, order=True)
class UnknownOwner:
    """An owner the code does not show: its routes are under an unknown prefix, from `cause`."""

    cause: str


Target = OwnerKey | UnknownOwner
ROOT = OwnerKey("", "", "")  # the application itself: routes at the site root
_ROOT_OWNER = RouteOwner("", "", "flask", "", 0)
Visit = tuple[str, str, str]  # (module, function, expression)


def app_like(name: str) -> bool:
    """`app`, `application`, `flask_app`, `current_app`: the application, by its name."""
    last = name.rpartition(".")[2]
    return last in APP_NAMES or last.endswith("_app")


def owners_created(files: Mapping[str, AppFacts], scope: Scope) -> dict[OwnerKey, RouteOwner]:
    """The owners the code creates (a class only named like the framework's must derive from it)."""
    found = {ROOT: _ROOT_OWNER}
    bases = {(m, r.name): r.bases for m, f in files.items() for r in f.resources}
    for module, facts in files.items():
        for owner in facts.owners:
            if owner.cls and not derives_from(module, owner.cls, KIND_CLASSES[owner.kind], bases, scope):
                continue  # named like an APIRouter or a Blueprint, but no subclass of one
            found[OwnerKey(module, owner.scope, owner.name)] = owner
    return found


class OwnerTargets:
    """The owners an expression may be, remembered per (module, function, expression)."""

    def __init__(self, files: Mapping[str, AppFacts], scope: Scope, findings: Findings) -> None:
        self.scope = scope
        self.findings = findings
        self.owners = owners_created(files, scope)
        self.index = HelperIndex(
            ((m, h) for m, f in files.items() for h in f.owner_helpers),
            ((m, c) for m, f in files.items() for c in f.owner_calls),
            scope,
        )
        self.resolved: dict[Visit, list[Target]] = {}
        self.visiting: set[Visit] = set()

    def find(self, module: str, where: str, expr: str) -> OwnerKey | None:
        """The owner `expr` names inside function `where` of `module`, if the code creates it."""
        for key in (OwnerKey(module, where, expr), OwnerKey(module, "", expr)):
            if key in self.owners:
                return key
        found = self.scope.resolve_name(module, expr)
        created = OwnerKey(found[0], "", found[1]) if found is not None else None
        return created if created in self.owners else None

    def targets(self, module: str, where: str, expr: str) -> list[Target]:
        """The owners `expr` may be: one the code creates, or, for a parameter of a function adding
        routes, what every call of the function gives it; [] when `expr` is neither."""
        return self._targets((module, where, expr)) or []

    def helper(self, module: str, where: str, expr: str) -> OwnerHelper | None:
        """The function adding routes of which `expr` is a parameter, if it is one."""
        return self.index.parameter(module, where, expr)

    def unknown(self, what: str) -> UnknownOwner:
        """An owner the code does not show, whose prefix is unknown."""
        self.findings.cause(what, "unresolved-route")
        return UnknownOwner(what)

    def _targets(self, visit: Visit) -> list[Target] | None:
        """`targets`, remembered; None while `visit` is being resolved (a helper calling itself)."""
        if visit in self.resolved:
            return self.resolved[visit]
        if visit in self.visiting or len(self.visiting) > MAX_MOUNT_DEPTH:
            return None
        self.visiting.add(visit)
        try:
            found = self._bound_targets(*visit)
        finally:
            self.visiting.discard(visit)
        self.resolved[visit] = found
        return found

    def _bound_targets(self, module: str, where: str, expr: str) -> list[Target]:
        key = self.find(module, where, expr)
        if key is not None:
            return [key]
        helper = self.helper(module, where, expr)
        if helper is None:
            return []
        name = expr.partition(".")[0]
        if name != expr:  # `self.blueprint`, `api.namespace_of_it`: an attribute of a parameter
            return [self.unknown(f"{expr} (in {where}())")]
        found: list[Target] = []
        for bound in self.index.bindings(module, helper, name):
            found += self._given(helper, bound)
        if found:
            return sorted(set(found), key=target_order)
        if is_app_parameter(helper, name):
            return [ROOT]
        return [self.unknown(f"{name}, a parameter of {helper.scope}() no call of the code binds")]

    def _given(self, helper: OwnerHelper, bound: Binding) -> list[Target]:
        """What one call of `helper` gives its parameter: the owners of its argument, the app by its
        name, else an owner the code does not show."""
        given = self._targets((bound.module, bound.scope, bound.name))
        if given is None:
            return []  # (a recursive call: what the outer calls give)
        if given:
            return given
        place = (self.findings.where(bound.module), bound.line)
        what = f"{bound.name} given to {helper.scope}() at {place[0]}:{place[1]}"
        self.findings.places.setdefault(what, place)
        return [ROOT] if app_like(bound.name) else [self.unknown(what)]


def target_order(target: Target) -> tuple[str, int, str, str]:
    """The site root first, then unknown owners, then the owners of each module."""
    if isinstance(target, UnknownOwner):
        return ("", 1, target.cause, "")
    return (target.module, 0, target.scope, target.name)
