"""The framework scanner: hooks into the one walk of a parsed file (analyzers.python.walk) and
collects the raw framework facts (`FrameworkFacts`) that `joining.resolve` joins.

It looks only where such facts can be: top-level imports, assignments and classes (apps,
blueprints, routers, urlpatterns, settings, models, `Table(...)`, `SQLAlchemy()`), decorators of
functions, calls of known shapes, and the SQL that calls running it are given. Names stay as
written; inside each function a small map remembers which local variables hold model instances
(`order = Order(...)`, `order = Order.objects.get(...)`) so `order.save()` is a write of Order,
which names function-local imports bound (`from shop.models import Order` inside a function),
and what `self.model` is in the methods of a class whose body says `model = Order`.

The walk contains a failure of the scanner: the file keeps its other facts, and its framework
facts are only a `framework-scan` diagnostic.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace

from analyzers.data.accesses import (
    FSA_CLASSES,
    IMPORT_KEY,
    RECEIVER_CALLS,
    SQL_CALLS,
    SqlCollector,
    call_accesses,
    class_decl,
    class_model_attribute,
    has_query_base,
    import_bindings,
    model_of,
)
from analyzers.data.models import AccessDecl, ClassDecl, DataFacts, TableDecl
from analyzers.frameworks.django_loading import LOADERS, LoadingCollector
from analyzers.frameworks.django_strings import DottedString
from analyzers.frameworks.file_facts import FrameworkFacts
from analyzers.model import Diagnostic
from analyzers.python.literals import argument, dotted, keyword_value, last_name, string, strings, top_level
from analyzers.python.walk import FileWalk, Local, WalkHooks
from analyzers.web.app_facts import (
    AppFacts,
    HelperCall,
    Mount,
    ResourceClass,
    RouteDecl,
    RouteHelper,
    RouteOwner,
)
from analyzers.web.appbuilder import (
    REGISTRATIONS,
    AppBuilderFacts,
    ExposeClass,
    ViewRegistration,
    expose_class,
    flavour_of,
    view_registration,
)
from analyzers.web.apps import api_parent, owner_candidate, owner_of, route_of_call, route_of_decorator
from analyzers.web.django_converters import ConverterRegistration, converter_registration
from analyzers.web.django_urls import UrlEntry, UrlList, has_url_patterns, names_only, url_entries
from analyzers.web.drf import Registration, Router, ViewSetClass, registration_of, router_of, viewset_class
from analyzers.web.flask import is_resource_call, namespace_parent, resource_class, view_class
from analyzers.web.owners import OwnerCall, OwnerHelper, owner_call, owner_helper
from analyzers.web.route_constants import string_constants
from analyzers.web.route_helpers import helper_call, route_helper

_VIEW_KEY = "view:"  # in a function's locals: a name bound to `View.as_view(...)`
_RELATION_FIELDS = frozenset({"ForeignKey", "ManyToManyField", "OneToOneField"})
_FRAMEWORKS = ("flask", "fastapi")
_SETTINGS_NAMES = frozenset({"INSTALLED_APPS", "ROOT_URLCONF", "MIDDLEWARE"})
_UPPER = re.compile(r"^[A-Z][A-Z0-9_]*$")
_DOTTED = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")
_MOUNT_CALLS = frozenset(
    {"register_blueprint", "include_router", "add_url_rule", "add_api_route", "add_namespace", "init_app"}
    | {"mount"}
)
_STRING_CALLS = _RELATION_FIELDS | {"get_model", "include", "import_string", "get_callable"}
# Plain-name calls that can mean something (uppercase names are constructions, always kept).
_NAMED_CALLS = _STRING_CALLS | {"select", "insert", "update", "delete", "text"}
# Method names whose calls are looked at whatever their receiver.
_KEPT_METHODS = _STRING_CALLS | RECEIVER_CALLS | SQL_CALLS


def scan_file(tree: ast.Module, module: str, path: str, walk: FileWalk | None = None) -> FrameworkFacts:
    """The raw framework facts of `tree`, the parsed source of `module` at `path`; never raises (a
    failure is a diagnostic). The scanner hooks into `walk` (parse_file's: the one walk of the file,
    whose other facts outlive a failure of the scanner) and runs it; without, into a walk of its own."""
    if walk is None:
        try:
            return scan_file(tree, module, path, FileWalk())
        except Exception as exc:  # (a tree no parser made)
            return _failed(module, path, exc)
    scanner = _Scanner(module, path.endswith("__init__.py"))
    walk.run(tree, scanner)
    failure = walk.failure
    if failure is None:
        try:
            return scanner.facts(tree, module, path)
        except Exception as exc:
            failure = exc
    return _failed(module, path, failure)


def _failed(module: str, path: str, exc: Exception) -> FrameworkFacts:
    """A scanner bug must not lose the file's other facts: its framework facts are a diagnostic."""
    message = f"framework facts not extracted: {type(exc).__name__}: {exc}"
    return FrameworkFacts(
        module=module, path=path, diagnostics=(Diagnostic(path, 0, "framework-scan", message),)
    )


def _mount_order(mount: Mount) -> tuple[object, ...]:
    """Mounts sorted though one gives no prefix (None) and another does: polar includes the same
    router twice, `include_router(inner, prefix="/custom")` and `include_router(inner)`."""
    return (mount.scope, mount.parent, mount.child, mount.prefix is not None, mount.prefix or "", mount.line)


def _may_pass_paths(call: ast.Call) -> bool:
    """A cheap first look: is some argument a literal path, or a list or tuple starting with one?"""
    for value in call.args:
        if _path_like(value):
            return True
    return any(_path_like(keyword.value) for keyword in call.keywords) if call.keywords else False


def _path_like(node: ast.expr) -> bool:
    kind = type(node)
    if kind is ast.List or kind is ast.Tuple:
        if not node.elts:  # type: ignore[attr-defined]
            return False
        node = node.elts[0]  # type: ignore[attr-defined]
        kind = type(node)
    if kind is not ast.Constant:
        return False
    value = node.value  # type: ignore[attr-defined]
    return type(value) is str and value[:1] == "/"


def _local_view(decl: RouteDecl, local: dict[str, str]) -> RouteDecl:
    """The route with its view read from a local variable bound to `View.as_view(...)`."""
    bound = local.get(_VIEW_KEY + decl.handler)
    if bound is None:
        return decl
    cls, _, endpoint = bound.partition("\x1f")
    return replace(decl, handler=cls, endpoint=decl.endpoint or endpoint, resource=True)


def _owner_helpers(
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef],
    decls: list[RouteDecl],
    mounts: list[Mount],
    calls: list[OwnerCall],
) -> tuple[OwnerHelper, ...]:
    """The functions declaring routes or mounts on one of their parameters, or handing one to
    another function (which may: `def register_all(bp): register_rules(bp)`)."""
    used = {(d.scope, d.owner.partition(".")[0]) for d in decls if d.scope}
    used.update((c.scope, name) for c in calls if c.scope for _, name in c.args)
    used.update(
        (m.scope, (name or "").partition(".")[0]) for m in mounts if m.scope for name in (m.parent, m.child)
    )
    found = []
    for scope in sorted({where for where, _ in used}):
        node = functions.get(scope)
        if node is not None:
            helper = owner_helper(node, scope)
            if any((scope, param) in used for param in helper.params):
                found.append(helper)
    return tuple(found)


def _helpers(tree: ast.Module, decls: list[RouteDecl]) -> tuple[RouteHelper, ...]:
    """Top-level functions adding a route whose path is one of their parameters (or its items)."""
    names = {d.scope for d in decls if d.source.kind == "name" and d.scope and "." not in d.scope}
    if not names:
        return ()
    return tuple(
        sorted(
            route_helper(node)
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in names
        )
    )


def _is_settings(tree: ast.Module, module: str) -> bool:
    parts = module.split(".")
    if parts[-1].startswith("settings") or "settings" in parts[:-1]:
        return True
    for statement in top_level(tree.body):
        if isinstance(statement, ast.Assign):
            names = {t.id for t in statement.targets if isinstance(t, ast.Name)}
            if names & _SETTINGS_NAMES:
                return True
    return False


class _Scanner(WalkHooks):
    """The hooks of the framework scanner, and what they collected."""

    def __init__(self, module: str, is_package: bool) -> None:
        self.module = module
        self.is_package = is_package
        self.settings = False
        self.owners: list[RouteOwner] = []
        self.decls: list[RouteDecl] = []
        self.mounts: list[Mount] = []
        self.resources: list[ResourceClass] = []
        self.helper_calls: list[HelperCall] = []
        self.owner_names: set[str] = set()  # names bound to an owner anywhere in the file
        self.owner_calls: list[OwnerCall] = []
        self.functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}  # qualified name -> node
        self.params: dict[str, frozenset[str]] = {}
        self.viewsets: list[ViewSetClass] = []
        self.converters: list[ConverterRegistration] = []
        self.fab_classes: list[ExposeClass] = []
        self.fab_views: list[ViewRegistration] = []
        self.frameworks: set[str] = set()
        self.urls: dict[str, list[UrlEntry]] = {}
        self.classes: list[ClassDecl] = []
        self.tables: list[TableDecl] = []
        self.accesses: list[AccessDecl] = []
        self.sql = SqlCollector()
        self.imports: dict[str, str] = {}
        self.strings: list[DottedString] = []
        self.root_urlconf = ""
        self.sa_instances: set[str] = set()
        self.sa_bases: set[tuple[str, str]] = set()
        self.routers: dict[str, tuple[int, bool, str]] = {}
        self.registrations: dict[str, list[Registration]] = {}
        self.loading = LoadingCollector()

    def begin(self, tree: ast.Module) -> None:
        self.settings = _is_settings(tree, self.module)
        for statement in top_level(tree.body):
            self.top(statement)

    def facts(self, tree: ast.Module, module: str, path: str) -> FrameworkFacts:
        """What the walk of `tree` (`module` at `path`) told the hooks."""
        routers = tuple(
            Router(name, line, slash, tuple(sorted(self.registrations.get(name, ()))), cls)
            for name, (line, slash, cls) in sorted(self.routers.items())
        )
        return FrameworkFacts(
            module=module,
            path=path,
            apps=AppFacts(
                owners=tuple(sorted(self.owners)),
                decls=tuple(sorted(self.decls)),
                mounts=tuple(sorted(self.mounts, key=_mount_order)),
                imports_framework=tuple(sorted(self.frameworks)),
                resources=tuple(sorted(self.resources)),
                constants=string_constants(tree.body),
                helpers=_helpers(tree, self.decls),
                helper_calls=tuple(sorted(self.helper_calls)),
                owner_helpers=_owner_helpers(self.functions, self.decls, self.mounts, self.owner_calls),
                owner_calls=tuple(sorted(self.owner_calls)),
            ),
            urlconf=tuple(
                UrlList(name, tuple(entries)) for name, entries in sorted(self.urls.items()) if entries
            ),
            data=DataFacts(
                classes=tuple(sorted(self.classes)),
                tables=tuple(sorted(set(self.tables))),
                accesses=tuple(sorted(set(self.accesses))),
                sql=self.sql.facts(),
                imports=tuple(sorted(self.imports.items())),
                sa_instances=tuple(sorted(self.sa_instances)),
                sa_bases=tuple(sorted(self.sa_bases)),
            ),
            strings=tuple(sorted(set(self.strings))),
            root_urlconf=self.root_urlconf,
            routers=routers,
            loading=self.loading.facts(),
            viewsets=tuple(sorted(self.viewsets)),
            converters=tuple(sorted(self.converters)),
            appbuilder=AppBuilderFacts(tuple(sorted(self.fab_classes)), tuple(sorted(self.fab_views))),
        )

    # --- module level ------------------------------------------------------------------------

    def top(self, statement: ast.stmt) -> None:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            for alias in statement.names:
                self._framework(statement.module if isinstance(statement, ast.ImportFrom) else alias.name)
            self.imports.update(import_bindings(statement, self.module, self.is_package))
        elif isinstance(statement, ast.ClassDef):
            self.classes.append(class_decl(statement))
            if (resource := resource_class(statement)) is not None:
                self.resources.append(resource)
            if (viewset := viewset_class(statement)) is not None:
                self.viewsets.append(viewset)
            if (view := expose_class(statement, flavour_of(self.imports))) is not None:
                self.fab_classes.append(view)
        elif isinstance(statement, ast.Assign | ast.AugAssign | ast.AnnAssign):
            self._top_assignment(statement)
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            found = registration_of(statement.value)
            if found is not None and found[0] in self.routers:
                self.registrations.setdefault(found[0], []).append(found[1])
            self._list_call(statement.value)

    def _list_call(self, call: ast.Call) -> None:
        """`urlpatterns.extend(documents_urls)`, `urlpatterns.append(path(...))` (Mayan EDMS builds
        every urlconf so, from an empty list)."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)) or len(call.args) != 1:
            return
        name, argument_node = func.value.id, call.args[0]
        if func.attr == "append" and isinstance(argument_node, ast.Call):
            argument_node = ast.List(elts=[argument_node], ctx=ast.Load())
        elif func.attr != "extend":
            return
        if self._holds_urls(argument_node, [name]):
            self.urls.setdefault(name, []).extend(url_entries(argument_node))

    def _holds_urls(self, value: ast.expr, names: list[str]) -> bool:
        """Whether `value`, given to the lists `names`, holds URL patterns: pattern calls, generated
        patterns, or other lists by name joined into `urlpatterns` anywhere or into any list of a
        urlconf module (DefectDojo gathers its apps' lists so: `ur += finding_urls`)."""
        if has_url_patterns(value):
            return True
        joins = "urlpatterns" in names or self.module.rpartition(".")[2] == "urls"
        return joins and names_only(value)

    def _framework(self, name: str | None) -> None:
        top = (name or "").partition(".")[0]
        if top in _FRAMEWORKS:
            self.frameworks.add(top)

    def _top_assignment(self, statement: ast.Assign | ast.AugAssign | ast.AnnAssign) -> None:
        value = statement.value
        if value is None:
            return
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if not names:
            return
        if isinstance(value, ast.Call):
            router = router_of(value)
            if router is not None:
                self.routers.update((name, (value.lineno, *router)) for name in names)
            called = dotted(value.func) or ""
            head, dot, rest = called.partition(".")
            if self.imports.get(head, head) + dot + rest in FSA_CLASSES:
                self.sa_instances.update(names)
            if last_name(value.func) in ("declarative_base", "generate_base"):
                cls = dotted(keyword_value(value, "cls")) or ""
                self.sa_bases.update((name, cls) for name in names)
        if self._holds_urls(value, names):
            entries = url_entries(value)
            for name in names:
                if isinstance(statement, ast.AugAssign):
                    self.urls.setdefault(name, []).extend(entries)
                else:
                    self.urls[name] = list(entries)
        if self.settings and any(_UPPER.match(n) for n in names):
            if "ROOT_URLCONF" in names and (text := string(value)):
                self.root_urlconf = text
            for node in ast.walk(value):
                text = string(node) if isinstance(node, ast.expr) else None
                if text and _DOTTED.match(text):
                    self.strings.append(DottedString(text, node.lineno, "setting"))  # type: ignore[attr-defined]

    # --- everywhere ---------------------------------------------------------------------------

    def enter_class(self, node: ast.ClassDef, scope: str, local: Local) -> Local:
        self.loading.class_def(node)
        inner = {k: v for k, v in local.items() if k.startswith(IMPORT_KEY)}
        if (model := class_model_attribute(node)) is not None:
            inner["self.model"] = model
        return inner

    def enter_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, name: str, local: Local) -> Local:
        self.functions[name] = node
        if not local:
            return {}
        return {k: v for k, v in local.items() if k.startswith(IMPORT_KEY) or k == "self.model"}

    def decorator(self, node: ast.expr, scope: str, qualified: str, on_class: bool) -> None:
        decl = route_of_decorator(node, scope, qualified, on_class=on_class)
        if decl is not None:
            self.decls.append(decl)

    def assignment(self, node: ast.Assign | ast.AnnAssign, scope: str, local: Local) -> None:
        if type(node) is ast.Assign:
            self.loading.assign(node)
        assert node.value is not None
        self._assignment(node, node.value, scope, local)

    def local_import(self, node: ast.Import | ast.ImportFrom, local: Local) -> None:
        """A function-local import: its names may be models."""
        bound = import_bindings(node, self.module, self.is_package)
        local.update((IMPORT_KEY + name, target) for name, target in bound.items())

    def loader_call(self, call: ast.Call) -> None:
        self.loading.call(call)

    def formatted(self, part: ast.FormattedValue) -> None:
        self.loading.walk(part)

    def _assignment(
        self, node: ast.Assign | ast.AnnAssign, value: ast.expr, scope: str, local: dict[str, str]
    ) -> None:
        self.sql.assign(node.targets if isinstance(node, ast.Assign) else [node.target], value)
        if type(value) is not ast.Call and not local:
            return  # no owner, table or model can come of it, and no local to forget
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Tuple) and target.elts:
                target = target.elts[0]  # obj, created = Model.objects.get_or_create(...)
            if not isinstance(target, ast.Name):
                continue
            if isinstance(value, ast.Call):
                owner = owner_of(value, scope, target.id, self.imports) or owner_candidate(
                    value, scope, target.id
                )
                if owner is not None:  # (a candidate: `UserAPIRouter(...)`, confirmed by resolving)
                    self.owners.append(owner)
                    self.owner_names.add(target.id)
                    parent = api_parent(value, self.imports) or namespace_parent(value)
                    if parent is not None:  # Api(app), app_api.namespace("x"): its routes go on the parent
                        self.mounts.append(Mount(scope, parent, target.id, None, value.lineno, False))
                if last_name(value.func) == "Table" and (name := string(argument(value, 0, "name"))):
                    self.tables.append(TableDecl("" if scope else target.id, name, value.lineno))
                if (view := view_class(value)) is not None:  # `_edit_view = EditView.as_view("edit")`
                    local[_VIEW_KEY + target.id] = view
            model = model_of(value)
            if model is not None:
                local[target.id] = model
            else:
                local.pop(target.id, None)

    def call(self, call: ast.Call, scope: str, local: Local) -> None:
        if (self.owner_names or self.frameworks) and (call.args or call.keywords):
            self._owner_call(call, scope, local)  # maybe `register_rules(bp)`
        # Most calls can mean nothing here; they are turned away on their called name first.
        if _may_pass_paths(call) and (helper := helper_call(call, scope)) is not None:
            self.helper_calls.append(helper)  # maybe `register_view(bp, routes=["/a"], ...)`
        func = call.func
        kind = type(func)
        if kind is ast.Name:
            name = func.id  # type: ignore[attr-defined]
            if name in LOADERS:
                self.loading.call(call)
            if name not in _NAMED_CALLS and not name[:1].isupper():
                if name == "register_converter":
                    self._registration(call, name, scope, local)
                return  # f(...): no route, string, table or access can come of it
        elif kind is ast.Attribute:
            name = func.attr  # type: ignore[attr-defined]
            value = func.value  # type: ignore[attr-defined]
            if name in LOADERS or (type(value) is ast.Attribute and value.attr == "objects"):
                self.loading.call(call)
            if name in REGISTRATIONS or name == "register_converter":
                self._registration(call, name, scope, local)
            if name in _MOUNT_CALLS or is_resource_call(name):
                found = route_of_call(call, scope)
                if isinstance(found, RouteDecl):
                    self.decls.append(_local_view(found, local))
                elif isinstance(found, Mount):
                    self.mounts.append(found)
                elif found is not None:
                    self.decls += found
            elif name not in _KEPT_METHODS and not name[:1].isupper() and not has_query_base(value):
                return  # x.f(...) off any query chain: no table, string or access
        else:
            return
        if name == "Table" and (table := string(argument(call, 0, "name"))) and len(call.args) > 1:
            self.tables.append(TableDecl("", table, call.lineno))
        if name in _STRING_CALLS:
            self._strings(call, name)
        if name in SQL_CALLS:
            self.sql.call(call, name)
        self.accesses += call_accesses(call, name, local)

    def _registration(self, call: ast.Call, name: str, scope: str, local: dict[str, str]) -> None:
        """`register_converter(Cls, "name")`, `appbuilder.add_view(View, ...)` and the like."""
        if name == "register_converter":
            converter = converter_registration(call)
            if converter is not None:
                self.converters.append(converter)
            return
        bound = {k.removeprefix(IMPORT_KEY): v for k, v in local.items() if k.startswith(IMPORT_KEY)}
        view = view_registration(call, scope, flavour_of(self.imports), bound)
        if view is not None:
            self.fab_views.append(view)

    def _owner_call(self, call: ast.Call, scope: str, local: dict[str, str]) -> None:
        """Record a call that may hand an owner to a function adding routes on its parameter: one
        with an owner of the file, or (in a file of a web framework) a parameter of the calling
        function or an imported name, among its arguments."""
        params = self.params.get(scope)
        if params is None:
            node = self.functions.get(scope)
            params = frozenset(owner_helper(node, scope).params) if node is not None else frozenset()
            self.params[scope] = params
        wanted = set()
        for value in (*call.args, *(k.value for k in call.keywords)):
            if type(value) is ast.Name:
                name = value.id
                if name in self.owner_names or (
                    self.frameworks and (name in params or name in self.imports or IMPORT_KEY + name in local)
                ):
                    wanted.add(name)
        if wanted:
            head = last_name(call.func) if type(call.func) is ast.Name else ""
            bound = {head: local[IMPORT_KEY + head]} if head and IMPORT_KEY + head in local else {}
            found = owner_call(call, scope, wanted, bound)
            if found is not None:
                self.owner_calls.append(found)

    def _strings(self, call: ast.Call, name: str) -> None:
        if name in _RELATION_FIELDS:
            text = string(argument(call, 0, "to"))
            if text and text != "self":
                self.strings.append(DottedString(text, call.lineno, "model"))
        elif name == "get_model":
            parts = strings(ast.List(elts=list(call.args[:2]), ctx=ast.Load()))
            if parts:
                self.strings.append(DottedString(".".join(parts), call.lineno, "model"))
        elif name == "include":
            included = argument(call, 0, "arg")
            if isinstance(included, ast.Tuple) and included.elts:
                included = included.elts[0]  # include(("app.urls", "app_name"))
            if text := string(included):
                self.strings.append(DottedString(text, call.lineno, "module"))
        elif name in ("import_string", "get_callable") and (text := string(argument(call, 0, "dotted_path"))):
            self.strings.append(DottedString(text, call.lineno, "setting"))
