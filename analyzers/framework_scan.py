"""One pass over a parsed file collecting the raw framework facts `frameworks.resolve` joins.

It looks only where such facts can be: top-level imports, assignments and classes (apps,
blueprints, routers, urlpatterns, settings, models, `Table(...)`, `SQLAlchemy()`), decorators of
functions, calls of known shapes, and the SQL that calls running it are given. Names stay as
written; inside each function a small map remembers which local variables hold model instances
(`order = Order(...)`, `order = Order.objects.get(...)`) so `order.save()` is a write of Order,
which names function-local imports bound (`from shop.models import Order` inside a function),
and what `self.model` is in the methods of a class whose body says `model = Order`.

Speed: statements are visited recursively, expressions with an explicit stack over only the
fields that can hold calls or strings (no `ctx`, operators or annotations, no `Name` leaves).
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace

from analyzers.appbuilder_routes import (
    REGISTRATIONS,
    AppBuilderFacts,
    ExposeClass,
    ViewRegistration,
    expose_class,
    flavour_of,
    view_registration,
)
from analyzers.data import AccessDecl, ClassDecl, DataFacts, TableDecl
from analyzers.data_scan import (
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
from analyzers.django_converters import ConverterRegistration, converter_registration
from analyzers.django_loading import LOADERS, LoadingCollector
from analyzers.django_routes import UrlEntry, UrlList, has_url_patterns, names_only, url_entries
from analyzers.django_strings import DottedString
from analyzers.drf_routes import Registration, Router, ViewSetClass, registration_of, router_of, viewset_class
from analyzers.frameworks import FrameworkFacts
from analyzers.fw_ast import argument, dotted, keyword_value, last_name, string, strings, top_level
from analyzers.name_uses import UseSink
from analyzers.raw_facts import MODULE_CALLER
from analyzers.route_owners import OwnerCall, OwnerHelper, owner_call, owner_helper
from analyzers.routes import (
    AppFacts,
    HelperCall,
    Mount,
    ResourceClass,
    RouteDecl,
    RouteHelper,
    RouteOwner,
    api_parent,
    helper_call,
    is_resource_call,
    namespace_parent,
    owner_candidate,
    owner_of,
    resource_class,
    route_helper,
    route_of_call,
    route_of_decorator,
    string_constants,
    view_class,
)
from analyzers.scan_walk import ExpressionWalk, fields_of

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


def scan(tree: ast.Module, module: str, path: str, uses: UseSink | None = None) -> FrameworkFacts:
    """The raw framework facts of `tree`, the parsed source of `module` at `path`; the uses of
    the names `uses.names` go to `uses.out` (analyzers.scan_walk)."""
    scanner = _Scanner(module, path.endswith("__init__.py"), uses or UseSink(frozenset()))
    scanner.settings = _is_settings(tree, module)
    for statement in top_level(tree.body):
        scanner.top(statement)
    scanner.statements(tree.body, "", "", {})
    routers = tuple(
        Router(name, line, slash, tuple(sorted(scanner.registrations.get(name, ()))), cls)
        for name, (line, slash, cls) in sorted(scanner.routers.items())
    )
    scanner.uses.complete = True
    return FrameworkFacts(
        module=module,
        path=path,
        apps=AppFacts(
            owners=tuple(sorted(scanner.owners)),
            decls=tuple(sorted(scanner.decls)),
            mounts=tuple(sorted(scanner.mounts, key=_mount_order)),
            imports_framework=tuple(sorted(scanner.frameworks)),
            resources=tuple(sorted(scanner.resources)),
            constants=string_constants(tree.body),
            helpers=_helpers(tree, scanner.decls),
            helper_calls=tuple(sorted(scanner.helper_calls)),
            owner_helpers=_owner_helpers(
                scanner.functions, scanner.decls, scanner.mounts, scanner.owner_calls
            ),
            owner_calls=tuple(sorted(scanner.owner_calls)),
        ),
        urlconf=tuple(
            UrlList(name, tuple(entries)) for name, entries in sorted(scanner.urls.items()) if entries
        ),
        data=DataFacts(
            classes=tuple(sorted(scanner.classes)),
            tables=tuple(sorted(set(scanner.tables))),
            accesses=tuple(sorted(set(scanner.accesses))),
            sql=scanner.sql.facts(),
            imports=tuple(sorted(scanner.imports.items())),
            sa_instances=tuple(sorted(scanner.sa_instances)),
            sa_bases=tuple(sorted(scanner.sa_bases)),
        ),
        strings=tuple(sorted(set(scanner.strings))),
        root_urlconf=scanner.root_urlconf,
        routers=routers,
        loading=scanner.loading.facts(),
        viewsets=tuple(sorted(scanner.viewsets)),
        converters=tuple(sorted(scanner.converters)),
        appbuilder=AppBuilderFacts(tuple(sorted(scanner.fab_classes)), tuple(sorted(scanner.fab_views))),
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
    names = {d.scope for d in decls if d.computed.startswith("=") and d.scope and "." not in d.scope}
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


class _Scanner(ExpressionWalk):
    def __init__(self, module: str, is_package: bool, uses: UseSink) -> None:
        self.uses = uses
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

    def statements(self, body: list[ast.stmt], qual: str, scope: str, local: dict[str, str]) -> None:
        caller = qual.partition(".")[0] or MODULE_CALLER  # the top-level name, as for name uses
        for statement in body:
            kind = type(statement)
            if kind is ast.Expr:
                value = statement.value  # type: ignore[attr-defined]
                if not (type(value) is ast.Constant and isinstance(value.value, str)):
                    self.expression(value, scope, local, caller)  # docstrings and bare strings are prose
            elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                self._function(statement, qual, scope, local)  # type: ignore[arg-type]
            elif kind is ast.ClassDef:
                assert isinstance(statement, ast.ClassDef)
                self.loading.class_def(statement)
                owner = caller if qual else statement.name
                for expression in statement.bases:
                    self.expression(expression, scope, local, owner, "base")
                qualified = f"{qual}.{statement.name}" if qual else statement.name
                for expression in statement.decorator_list:
                    decl = route_of_decorator(expression, scope, qualified, on_class=True)
                    if decl is not None:
                        self.decls.append(decl)
                    self.expression(expression, scope, local, owner, "decorator")
                for keyword in statement.keywords:
                    self.expression(keyword.value, scope, local, owner)
                inner = {k: v for k, v in local.items() if k.startswith(IMPORT_KEY)}
                if (model := class_model_attribute(statement)) is not None:
                    inner["self.model"] = model
                self.statements(statement.body, qualified, scope, inner)
            elif kind is ast.Assign or kind is ast.AnnAssign:
                assert isinstance(statement, ast.Assign | ast.AnnAssign)
                if statement.value is not None:
                    if kind is ast.Assign:
                        self.loading.assign(statement)  # type: ignore[arg-type]
                    self._assignment(statement, statement.value, scope, local)
                if kind is ast.Assign:
                    if statement.value is not None:
                        self.expression(statement.value, scope, local, caller)
                    for target in statement.targets:  # type: ignore[union-attr]
                        self.expression(target, scope, local, caller)
                else:
                    self.uses_only(statement.annotation, caller, "annotation")  # type: ignore[union-attr]
                    if statement.value is not None:
                        self.expression(statement.value, scope, local, caller)
                    self.scan_only(statement.target, scope, local)  # type: ignore[union-attr]  # not a use
            elif kind is ast.Return:
                if statement.value is not None:  # type: ignore[attr-defined]
                    self.expression(statement.value, scope, local, caller)  # type: ignore[attr-defined]
            elif kind is ast.If:
                self.expression(statement.test, scope, local, caller)  # type: ignore[attr-defined]
                self.statements(statement.body, qual, scope, local)  # type: ignore[attr-defined]
                if statement.orelse:  # type: ignore[attr-defined]
                    self.statements(statement.orelse, qual, scope, local)  # type: ignore[attr-defined]
            elif kind is ast.Import or kind is ast.ImportFrom:
                if scope:  # a function-local import: its names may be models
                    bound = import_bindings(statement, self.module, self.is_package)  # type: ignore[arg-type]
                    local.update((IMPORT_KEY + name, target) for name, target in bound.items())
            else:
                self._fields(statement, qual, scope, local, caller)

    def _function(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, qual: str, scope: str, local: dict[str, str]
    ) -> None:
        name = f"{qual}.{node.name}" if qual else node.name
        self.functions[name] = node
        caller = name.partition(".")[0]
        for decorator in node.decorator_list:
            decl = route_of_decorator(decorator, scope, name)
            if decl is not None:
                self.decls.append(decl)
            self.expression(decorator, scope, local, caller, "decorator")
        args = node.args
        for default in args.defaults:
            self.expression(default, scope, local, caller)
        for kw_default in args.kw_defaults:
            if kw_default is not None:
                self.expression(kw_default, scope, local, caller)
        self._annotations(node, caller)
        inner = (
            {k: v for k, v in local.items() if k.startswith(IMPORT_KEY) or k == "self.model"} if local else {}
        )
        self.statements(node.body, name, name, inner)

    def _annotations(self, node: ast.FunctionDef | ast.AsyncFunctionDef, caller: str) -> None:
        """Annotations hold no route, table or access, but a loader call there is still a call."""
        args = node.args
        for arg in (*args.posonlyargs, *args.args, args.vararg, *args.kwonlyargs, args.kwarg):
            if arg is not None and arg.annotation is not None:
                self.uses_only(arg.annotation, caller, "annotation")
        if node.returns is not None:
            self.uses_only(node.returns, caller, "annotation")

    def _fields(
        self, node: ast.AST, qual: str, scope: str, local: dict[str, str], caller: str, uses: bool = True
    ) -> None:
        """Statements nested in `node` (if/for/with/try/match bodies) and its expressions; with
        `uses` off (match patterns), expressions are scanned without recording name uses."""
        kind = type(node)
        if kind is ast.withitem:
            assert isinstance(node, ast.withitem)
            self.expression(node.context_expr, scope, local, caller)
            if node.optional_vars is not None:
                self.scan_only(node.optional_vars, scope, local)  # `as x`: not a use
            return
        if kind is ast.match_case:
            assert isinstance(node, ast.match_case)
            self._fields(node.pattern, qual, scope, local, caller, False)
            if node.guard is not None:
                self.scan_only(node.guard, scope, local)
            self.statements(node.body, qual, scope, local)
            return
        for field in fields_of(kind):
            value = getattr(node, field)
            if type(value) is list:
                if value and isinstance(value[0], ast.stmt):
                    self.statements(value, qual, scope, local)
                    continue
                for item in value:
                    if isinstance(item, ast.expr):
                        self._field_expression(item, scope, local, caller, uses)
                    elif isinstance(item, ast.AST):
                        self._fields(item, qual, scope, local, caller, uses)  # handlers, cases, items
            elif isinstance(value, ast.expr):
                self._field_expression(value, scope, local, caller, uses)
            elif isinstance(value, ast.AST):
                self._fields(value, qual, scope, local, caller, uses)

    def _field_expression(
        self, node: ast.expr, scope: str, local: dict[str, str], caller: str, uses: bool
    ) -> None:
        if uses:
            self.expression(node, scope, local, caller)
        else:
            self.scan_only(node, scope, local)

    def _sql(self, text: str, line: int) -> None:
        """A string literal alone is no SQL: only what an SQL call is given is (SqlCollector)."""

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

    def _call(self, call: ast.Call, scope: str, local: dict[str, str]) -> None:
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
