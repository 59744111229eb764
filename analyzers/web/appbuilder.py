"""Flask-AppBuilder views and APIs: `@expose("/path", methods=[...])` methods of `BaseView`,
`ModelView`, `BaseApi`, `ModelRestApi`... subclasses registered with `appbuilder.add_view(...)`,
`add_view_no_menu(...)` or `add_api(...)`.

FAB gives each registered class a blueprint whose url_prefix is the class's `route_base`, by default
`/<class name, lower case>` for a view and `/api/<version>/<resource_name>` for an API (`version`
"v1", `resource_name` the class name, lower case), and adds a rule per exposed method (its own, and
those it inherits: from classes of the codebase, and from FAB's classes, whose routes are listed
below), keeping only those `include_route_methods` names and dropping those
`exclude_route_methods` names when the class gives them as literals. Scanning records, per file,
the top-level classes that expose methods or set these attributes (or any class with bases, in a
file importing flask_appbuilder or flask_admin) and the registration calls; resolving follows the
registered classes through their bases.

Flask-Admin (`flask_admin.expose`, `admin.add_view(MyView(url=...))`) mounts a view at the admin's
URL and the view's endpoint unless `url=` is an absolute path: without one the prefix is unknown.
A class exposing methods that no registration the code shows reaches is a diagnostic.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field

from analyzers.files.discovery import RUNTIME_BY_PATH, role_of
from analyzers.model import UNKNOWN_PREFIX, Diagnostic, Route, picklable
from analyzers.python.literals import dotted, keyword_value, last_name, string, strings
from analyzers.python.scope import Scope
from analyzers.python.subclasses import MAX_DEPTH, Bases
from analyzers.web.app_facts import join_paths
from analyzers.web.owners import ABSOLUTE, resolve_absolute

REGISTRATIONS = frozenset({"add_view", "add_view_no_menu", "add_api"})
_ATTRIBUTES = frozenset(
    {"route_base", "resource_name", "version", "include_route_methods", "exclude_route_methods"}
)
_API_BASES = frozenset({"BaseApi", "BaseModelApi", "ModelRestApi"})
_GET, _POST = ("GET",), ("POST",)
_BOTH = ("GET", "POST")
_FORM = (("this_form_get", "/form", _GET), ("this_form_post", "/form", _POST))
_CRUD = (
    ("list", "/list/", _GET),
    ("show", "/show/<pk>", _GET),
    ("add", "/add", _BOTH),
    ("edit", "/edit/<pk>", _BOTH),
    ("delete", "/delete/<pk>", _BOTH),
    ("download", "/download/<string:filename>", _GET),
    ("action", "/action/<string:name>/<pk>", _BOTH),
    ("action_post", "/action_post", _POST),
)
#: The routes FAB's own classes expose (Flask-AppBuilder 4): (method, rule, methods).
BUILTIN_EXPOSES: Mapping[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "IndexView": (("index", "/", _GET),),
    "UtilView": (("back", "/back", _GET),),
    "SimpleFormView": _FORM,
    "PublicFormView": _FORM,
    "ModelView": _CRUD,
    "MasterDetailView": (("list", "/list/", _GET), ("list", "/list/<pk>", _GET)),
    "MultipleView": (("list", "/list/", _GET),),
    "CompactCRUDMixin": (
        ("list", "/list/", _BOTH),
        ("add", "/add/", _BOTH),
        ("edit", "/edit/<pk>", _BOTH),
        ("delete", "/delete/<pk>", _BOTH),
    ),
    "ModelRestApi": (
        ("info", "/_info", _GET),
        ("get", "/<int:pk>", _GET),
        ("get_list", "/", _GET),
        ("post", "/", _POST),
        ("put", "/<pk>", ("PUT",)),
        ("delete", "/<pk>", ("DELETE",)),
    ),
}


@picklable
@dataclass(frozen=True, slots=True, order=True)
class Expose:
    """`@expose(rule, methods=...)` on `method`; `computed`: the rule as written when no literal."""

    method: str
    rule: str
    methods: tuple[str, ...]
    line: int
    computed: str = ""


@picklable
@dataclass(frozen=True, slots=True, order=True)
class ClassAttribute:
    """`route_base = "/x"`, `include_route_methods = ["list", "show"]`... in a class body: its literal
    strings (none for `None`), or, when it is no literal, the expression as written (`computed`)."""

    name: str
    values: tuple[str, ...] = ()
    computed: str = ""

    @property
    def text(self) -> str:
        """A literal string's text ("" for none or a computed value)."""
        return "".join(self.values[:1])

    @property
    def given(self) -> bool:
        """Whether the attribute gives literal strings (not empty)."""
        return any(self.values) and not self.computed


@picklable
@dataclass(frozen=True, slots=True, order=True)
class ExposeClass:
    """A top-level class that may be a FAB (or Flask-Admin) view: what it exposes and sets."""

    name: str
    line: int
    flavour: str  # "appbuilder" / "admin": what its file imports; "" neither
    exposes: tuple[Expose, ...] = ()
    defined: tuple[str, ...] = ()  # every method it defines: one hides an inherited exposed method
    attributes: tuple[ClassAttribute, ...] = ()  # route_base, include_route_methods...


@picklable
@dataclass(frozen=True, slots=True, order=True)
class ViewRegistration:
    """`appbuilder.add_view(MyView, ...)`, `add_api(MyApi)`, `admin.add_view(MyView(url="/x"))`."""

    scope: str
    view: str  # the class as written (ABSOLUTE and its absolute name when a local import binds it)
    line: int
    flavour: str
    url: str = ""  # url= given to the view's constructor (Flask-Admin)
    api: bool = False  # add_api


@picklable
@dataclass(frozen=True, slots=True)
class AppBuilderFacts:
    classes: tuple[ExposeClass, ...] = ()
    registrations: tuple[ViewRegistration, ...] = ()


def flavour_of(imports: Mapping[str, str]) -> str:
    """ "appbuilder" or "admin" when the file imports Flask-AppBuilder or Flask-Admin."""
    tops = {target.partition(".")[0] for target in imports.values()}
    return "appbuilder" if "flask_appbuilder" in tops else "admin" if "flask_admin" in tops else ""


def expose_class(node: ast.ClassDef, flavour: str) -> ExposeClass | None:
    """The exposed methods and FAB attributes of a top-level class, if it may be a view."""
    exposes: list[Expose] = []
    defined: list[str] = []
    attributes: list[ClassAttribute] = []
    for statement in node.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            defined.append(statement.name)
            exposes += [e for d in statement.decorator_list if (e := _expose(d, statement.name)) is not None]
        elif isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                if isinstance(target, ast.Name) and target.id in _ATTRIBUTES:
                    attributes.append(_attribute(target.id, statement.value))
    if not (exposes or attributes or (flavour and node.bases)):
        return None
    return ExposeClass(
        node.name,
        node.lineno,
        flavour,
        tuple(sorted(exposes)),
        tuple(sorted(defined)),
        tuple(sorted(attributes)),
    )


def _expose(decorator: ast.expr, method: str) -> Expose | None:
    if not isinstance(decorator, ast.Call) or last_name(decorator.func) != "expose":
        return None
    node = decorator.args[0] if decorator.args else keyword_value(decorator, "url")
    declared = strings(decorator.args[1] if len(decorator.args) > 1 else keyword_value(decorator, "methods"))
    methods = tuple(sorted({m.upper() for m in declared})) if declared else _GET
    if node is None:
        return Expose(method, "/", methods, decorator.lineno)
    rule = string(node)
    if rule is None:  # computed at run time: kept as written
        return Expose(method, "", methods, decorator.lineno, ast.unparse(node)[:80])
    return Expose(method, rule, methods, decorator.lineno)


def _attribute(name: str, value: ast.expr) -> ClassAttribute:
    texts = strings(value)
    if texts is not None:
        return ClassAttribute(name, texts)
    if isinstance(value, ast.Constant) and value.value is None:
        return ClassAttribute(name)
    return ClassAttribute(name, computed=ast.unparse(value)[:80])


def view_registration(
    call: ast.Call, scope: str, flavour: str, local: Mapping[str, str]
) -> ViewRegistration | None:
    """A registration call; `local` maps names bound by imports inside the function to absolute names."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr in REGISTRATIONS) or not call.args:
        return None
    given = call.args[0]
    url = ""
    if isinstance(given, ast.Call):  # an instance: `MyView()`, Flask-Admin's `MyView(Model, url="/x")`
        url = string(keyword_value(given, "url")) or ""
        given = given.func
    view = dotted(given) or ast.unparse(given)[:80]
    head, dot, rest = view.partition(".")
    if head in local:
        view = ABSOLUTE + local[head] + dot + rest
    return ViewRegistration(scope, view, call.lineno, flavour, url, call.func.attr == "add_api")


# --- resolution ------------------------------------------------------------------------------

Key = tuple[str, str]  # (module, class); module "" for a FAB class (its name)


@dataclass
class _Lineage:
    """A registered class and the classes it derives from, nearest first."""

    keys: list[Key] = field(default_factory=list)
    api: bool = False  # derives from a FAB API class


def resolve_appbuilder(
    facts: Mapping[str, AppBuilderFacts], bases: Bases, scope: Scope, paths: Mapping[str, str]
) -> tuple[tuple[Route, ...], tuple[Diagnostic, ...]]:
    """The routes of every registered view and API; diagnostics for what cannot be listed."""
    resolver = _Resolver(facts, bases, scope, paths)
    for module, found in sorted(facts.items()):
        for registration in found.registrations:
            resolver.register(module, registration)
    resolver.unregistered()
    return tuple(sorted(resolver.routes)), tuple(sorted(resolver.diagnostics))


class _Resolver:
    def __init__(
        self, facts: Mapping[str, AppBuilderFacts], bases: Bases, scope: Scope, paths: Mapping[str, str]
    ) -> None:
        self.classes = {(m, c.name): c for m, found in facts.items() for c in found.classes}
        self.bases = bases
        self.scope = scope
        self.paths = paths
        self.routes: set[Route] = set()
        self.diagnostics: set[Diagnostic] = set()
        self.reached: set[Key] = set()

    def register(self, module: str, registration: ViewRegistration) -> None:
        key = self._class(module, registration.view)
        if key is None or (key not in self.classes and key not in self.bases):
            where = self.paths.get(module, module)
            if (
                key is None
                and role_of(where) in RUNTIME_BY_PATH
                and not self.scope.is_external(module, registration.view)
            ):
                message = (
                    f"view {registration.view} registered here is no class the code shows: its routes "
                    "are not listed (they stay with the monolith)"
                )
                self.diagnostics.add(Diagnostic(where, registration.line, "unresolved-route", message))
            return  # (a view of FAB itself, or of another library)
        lineage = self._lineage(key, _Lineage(), 0)
        self.reached.update(lineage.keys)
        flavour = next((c.flavour for k in lineage.keys if (c := self.classes.get(k)) and c.flavour), "")
        flavour = flavour or registration.flavour
        if flavour == "admin":
            self._admin_routes(key, lineage, registration, module)
        else:
            self._appbuilder_routes(key, lineage, registration.api or lineage.api)

    def _class(self, module: str, written: str) -> Key | None:
        if written.startswith(ABSOLUTE):
            found = resolve_absolute(self.scope, written[1:])
        else:
            found = self.scope.resolve_name(module, written)
        return found if found is not None and found[1] else None

    def _lineage(self, key: Key, lineage: _Lineage, depth: int) -> _Lineage:
        """`key` and its bases, depth first, left to right; FAB's classes by name (module "")."""
        if key in lineage.keys or depth > MAX_DEPTH:
            return lineage
        lineage.keys.append(key)
        for base in self.bases.get(key, ()):
            parent = self.scope.resolve_name(key[0], base) if key[0] else None
            if parent is not None and parent[1] and (parent in self.bases or parent in self.classes):
                self._lineage(parent, lineage, depth + 1)
                continue
            name = base.rpartition(".")[2]
            lineage.api = lineage.api or name in _API_BASES
            if name in BUILTIN_EXPOSES and ("", name) not in lineage.keys:
                lineage.keys.append(("", name))
        return lineage

    def _attribute(self, lineage: _Lineage, name: str) -> ClassAttribute | None:
        """The attribute as the nearest class of the lineage setting it gives it."""
        for key in lineage.keys:
            cls = self.classes.get(key)
            found = [a for a in cls.attributes if a.name == name] if cls is not None else []
            if found:
                return found[-1]
        return None

    def _exposed(self, lineage: _Lineage) -> list[tuple[Key, Expose]]:
        """Every exposed method the registered class has, nearest definition first."""
        hidden: set[str] = set()
        found: list[tuple[Key, Expose]] = []
        for key in lineage.keys:
            if not key[0]:  # a FAB class
                builtin = BUILTIN_EXPOSES[key[1]]
                found += [(key, Expose(m, r, v, 0)) for m, r, v in builtin if m not in hidden]
                hidden.update(m for m, _, _ in builtin)
                continue
            cls = self.classes.get(key)
            if cls is None:
                continue
            found += [(key, e) for e in cls.exposes if e.method not in hidden]
            hidden.update(cls.defined)
        return self._filtered(lineage, found)

    def _filtered(self, lineage: _Lineage, found: list[tuple[Key, Expose]]) -> list[tuple[Key, Expose]]:
        include = self._attribute(lineage, "include_route_methods")
        exclude = self._attribute(lineage, "exclude_route_methods")
        if include is not None and include.given:
            found = [(k, e) for k, e in found if e.method in include.values]
        if exclude is not None and exclude.given:
            found = [(k, e) for k, e in found if e.method not in exclude.values]
        return found

    def _appbuilder_routes(self, key: Key, lineage: _Lineage, api: bool) -> None:
        given = self._attribute(lineage, "route_base")
        unknown = ""
        if given is not None and given.computed:
            base, unknown = "", f"route_base = {given.computed} of {key[1]}"
        elif given is not None and given.text:
            base = given.text
        else:
            base, unknown = self._default_base(key, lineage, api)
        if unknown:
            base = UNKNOWN_PREFIX
            self._unknown_prefix(key, unknown, "give the class a literal route_base")
        self._add(key, lineage, base, unknown)

    def _default_base(self, key: Key, lineage: _Lineage, api: bool) -> tuple[str, str]:
        """(FAB's route_base for the class, what makes it unknown): `/<class>` for a view,
        `/api/<version>/<resource_name>` for an API."""
        name = key[1].lower()
        if not api:
            return f"/{name}", ""
        resource = self._attribute(lineage, "resource_name")
        version = self._attribute(lineage, "version")
        if any(a is not None and a.computed for a in (resource, version)):
            return "", "resource_name / version of " + key[1]
        resource_name = (resource.text if resource is not None else "") or name
        return f"/api/{(version.text if version is not None else '') or 'v1'}/{resource_name.lower()}", ""

    def _admin_routes(self, key: Key, lineage: _Lineage, registration: ViewRegistration, module: str) -> None:
        if registration.url.startswith("/"):
            self._add(key, lineage, registration.url, "")
            return
        unknown = f"the Flask-Admin URL of {key[1]} (the admin's URL and the view's endpoint)"
        self._unknown_prefix(key, unknown, "register the view with an absolute url='/...'")
        self._add(key, lineage, UNKNOWN_PREFIX, unknown)

    def _add(self, key: Key, lineage: _Lineage, base: str, unknown: str) -> None:
        cls = self.classes.get(key)
        where = self.paths.get(key[0], key[0])
        for owner, expose in self._exposed(lineage):
            if expose.computed:
                message = (
                    f"@expose path {expose.computed} of {key[1]}.{expose.method} is computed at run time: "
                    "not listed, not routed"
                )
                self.diagnostics.add(Diagnostic(where, expose.line, "computed-route", message))
                continue
            line = expose.line if owner == key else (cls.line if cls is not None else 0)
            self.routes.add(
                Route(
                    path=join_paths(base, expose.rule),
                    methods=expose.methods,
                    handler=f"{key[0]}.{key[1]}.{expose.method}",
                    module=key[0],
                    line=line,
                    framework="flask",
                    name=f"{key[1]}.{expose.method}",
                    unknown_prefix=unknown,
                )
            )

    def _unknown_prefix(self, key: Key, unknown: str, remedy: str) -> None:
        cls = self.classes.get(key)
        message = (
            f"routes of {key[1]}: prefix unknown ({unknown}); listed under {UNKNOWN_PREFIX!r} and kept on "
            f"the monolith. To route them, {remedy}, or write their proxy rule by hand"
        )
        where = self.paths.get(key[0], key[0])
        self.diagnostics.add(Diagnostic(where, cls.line if cls else 0, "unresolved-route", message))

    def unregistered(self) -> None:
        """A diagnostic for each class exposing methods that no registration reaches."""
        for key, cls in sorted(self.classes.items()):
            runtime = role_of(self.paths.get(key[0], key[0])) in RUNTIME_BY_PATH
            if cls.exposes and key not in self.reached and runtime:
                message = (
                    f"{len(cls.exposes)} @expose route(s) of {cls.name} are not listed: no add_view, "
                    "add_view_no_menu or add_api call the code shows registers it or a subclass "
                    "(registered at run time?); they stay with the monolith"
                )
                self.diagnostics.add(
                    Diagnostic(self.paths.get(key[0], key[0]), cls.line, "unresolved-route", message)
                )
