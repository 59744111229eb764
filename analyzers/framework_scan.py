"""One pass over a parsed file collecting the raw framework facts `frameworks.resolve` joins.

It looks only where such facts can be: top-level imports, assignments and classes (apps,
blueprints, routers, urlpatterns, settings, models, `Table(...)`), decorators of functions,
calls of known shapes, and string literals that pass a quick SQL check. Names stay as written;
inside each function a small map remembers which local variables hold model instances
(`order = Order(...)`, `order = Order.objects.get(...)`) so `order.save()` is a write of Order.
"""

from __future__ import annotations

import ast
import builtins
import re

from analyzers.data import AccessDecl, ClassDecl, DataFacts, TableDecl
from analyzers.django_routes import PATTERN_CALLS, UrlEntry, UrlList, url_entries
from analyzers.django_strings import DottedString
from analyzers.frameworks import FrameworkFacts
from analyzers.fw_ast import argument, dotted, last_name, string, strings
from analyzers.model import AccessMode
from analyzers.routes import (
    AppFacts,
    Mount,
    RouteDecl,
    RouteOwner,
    owner_of,
    route_of_call,
    route_of_decorator,
)
from analyzers.sql_tables import QUICK_CHECK, sql_tables

_BUILTINS = frozenset(dir(builtins))
_RELATION_FIELDS = frozenset({"ForeignKey", "ManyToManyField", "OneToOneField"})
_DJANGO_WRITES = frozenset(
    {"create", "update", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
)
_QUERY_WRITES = frozenset({"update", "delete"})
_SESSION_WRITES = frozenset({"add", "add_all", "merge", "delete"})
_INSTANCE_WRITES = frozenset({"save", "delete"})
_ONE_OBJECT = frozenset(
    {
        "get",
        "first",
        "last",
        "one",
        "one_or_none",
        "scalar",
        "scalar_one",
        "scalar_one_or_none",
        "get_or_404",
        "first_or_404",
        "one_or_404",
        "create",
        "get_or_create",
        "update_or_create",
        "earliest",
        "latest",
    }
)
_FRAMEWORKS = ("flask", "fastapi")
_SETTINGS_NAMES = frozenset({"INSTALLED_APPS", "ROOT_URLCONF", "MIDDLEWARE"})
_UPPER = re.compile(r"^[A-Z][A-Z0-9_]*$")
_DOTTED = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$")


def scan(tree: ast.Module, module: str, path: str) -> FrameworkFacts:
    """The raw framework facts of `tree`, the parsed source of `module` at `path`."""
    scanner = _Scanner(module)
    scanner.settings = _is_settings(tree, module)
    for statement in _top_level(tree.body):
        scanner.top(statement)
    scanner.body(tree.body, "", "", {})
    return FrameworkFacts(
        module=module,
        path=path,
        apps=AppFacts(
            owners=tuple(sorted(scanner.owners)),
            decls=tuple(sorted(scanner.decls)),
            mounts=tuple(sorted(scanner.mounts)),
            imports_framework=tuple(sorted(scanner.frameworks)),
        ),
        urlconf=tuple(
            UrlList(name, tuple(entries)) for name, entries in sorted(scanner.urls.items()) if entries
        ),
        data=DataFacts(
            classes=tuple(sorted(scanner.classes)),
            tables=tuple(sorted(set(scanner.tables))),
            accesses=tuple(sorted(set(scanner.accesses))),
            sql=tuple(sorted(set(scanner.sql))),
            imports=tuple(sorted(scanner.imports.items())),
        ),
        strings=tuple(sorted(set(scanner.strings))),
        root_urlconf=scanner.root_urlconf,
    )


def _top_level(body: list[ast.stmt]) -> list[ast.stmt]:
    """Module-level statements, including those under top-level `if`/`try` blocks."""
    found: list[ast.stmt] = []
    for statement in body:
        if isinstance(statement, ast.If):
            found += _top_level(statement.body) + _top_level(statement.orelse)
        elif isinstance(statement, ast.Try):
            found += _top_level(statement.body) + _top_level(statement.orelse)
            for handler in statement.handlers:
                found += _top_level(handler.body)
            found += _top_level(statement.finalbody)
        else:
            found.append(statement)
    return found


def _is_settings(tree: ast.Module, module: str) -> bool:
    parts = module.split(".")
    if parts[-1].startswith("settings") or "settings" in parts[:-1]:
        return True
    for statement in _top_level(tree.body):
        if isinstance(statement, ast.Assign):
            names = {t.id for t in statement.targets if isinstance(t, ast.Name)}
            if names & _SETTINGS_NAMES:
                return True
    return False


class _Scanner:
    def __init__(self, module: str) -> None:
        self.module = module
        self.settings = False
        self.owners: list[RouteOwner] = []
        self.decls: list[RouteDecl] = []
        self.mounts: list[Mount] = []
        self.frameworks: set[str] = set()
        self.urls: dict[str, list[UrlEntry]] = {}
        self.classes: list[ClassDecl] = []
        self.tables: list[TableDecl] = []
        self.accesses: list[AccessDecl] = []
        self.sql: list[tuple[str, AccessMode, int]] = []
        self.imports: dict[str, str] = {}
        self.strings: list[DottedString] = []
        self.root_urlconf = ""

    # --- module level ------------------------------------------------------------------------

    def top(self, statement: ast.stmt) -> None:
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                local = alias.asname or alias.name.partition(".")[0]
                self.imports[local] = alias.name if alias.asname else local
                self._framework(alias.name)
        elif isinstance(statement, ast.ImportFrom) and statement.level == 0 and statement.module:
            self._framework(statement.module)
            for alias in statement.names:
                if alias.name != "*":
                    self.imports[alias.asname or alias.name] = f"{statement.module}.{alias.name}"
        elif isinstance(statement, ast.ClassDef):
            self.classes.append(_class_decl(statement))
        elif isinstance(statement, ast.Assign | ast.AugAssign | ast.AnnAssign):
            self._top_assignment(statement)

    def _framework(self, name: str) -> None:
        top = name.partition(".")[0]
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
        if _has_url_patterns(value):
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

    def body(self, statements: list[ast.stmt], qual: str, scope: str, local: dict[str, str]) -> None:
        for statement in statements:
            if (
                isinstance(statement, ast.Expr)
                and isinstance(statement.value, ast.Constant)
                and isinstance(statement.value.value, str)
            ):
                continue  # docstrings and bare strings are prose, not SQL
            self.node(statement, qual, scope, local)

    def node(self, node: ast.AST, qual: str, scope: str, local: dict[str, str]) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            name = f"{qual}.{node.name}" if qual else node.name
            for decorator in node.decorator_list:
                decl = route_of_decorator(decorator, scope, name)
                if decl is not None:
                    self.decls.append(decl)
                self.node(decorator, qual, scope, local)
            for default in [*node.args.defaults, *node.args.kw_defaults]:
                if default is not None:
                    self.node(default, qual, scope, local)
            self.body(node.body, name, name, {})
            return
        if isinstance(node, ast.ClassDef):
            for expression in [*node.bases, *node.decorator_list, *(k.value for k in node.keywords)]:
                self.node(expression, qual, scope, local)
            self.body(node.body, f"{qual}.{node.name}" if qual else node.name, scope, {})
            return
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            self._assignment(node, node.value, scope, local)
        elif isinstance(node, ast.Call):
            self._call(node, scope, local)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, str) and QUICK_CHECK.search(node.value):
                self._sql(node.value, node.lineno)
            return
        elif isinstance(node, ast.JoinedStr):
            text = "".join(
                v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "\x00"
                for v in node.values
            )
            if QUICK_CHECK.search(text):
                self._sql(text, node.lineno)
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                self.body([child], qual, scope, local)
            else:
                self.node(child, qual, scope, local)

    def _sql(self, text: str, line: int) -> None:
        for table, mode, offset in sql_tables(text):
            self.sql.append((table, mode, line + offset))

    def _assignment(
        self, node: ast.Assign | ast.AnnAssign, value: ast.expr, scope: str, local: dict[str, str]
    ) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Tuple) and target.elts:
                target = target.elts[0]  # obj, created = Model.objects.get_or_create(...)
            if not isinstance(target, ast.Name):
                continue
            if isinstance(value, ast.Call):
                owner = owner_of(value)
                if owner is not None:
                    kind, prefix, label = owner
                    self.owners.append(RouteOwner(scope, target.id, kind, prefix, value.lineno, label))
                if last_name(value.func) == "Table" and (name := string(argument(value, 0, "name"))):
                    self.tables.append(TableDecl("" if scope else target.id, name, value.lineno))
            model = _model_of(value)
            if model is not None:
                local[target.id] = model
            else:
                local.pop(target.id, None)

    def _call(self, call: ast.Call, scope: str, local: dict[str, str]) -> None:
        func = call.func
        name = last_name(func)
        found = route_of_call(call, scope)
        if isinstance(found, RouteDecl):
            self.decls.append(found)
        elif isinstance(found, Mount):
            self.mounts.append(found)
        if name == "Table" and (table := string(argument(call, 0, "name"))) and len(call.args) > 1:
            self.tables.append(TableDecl("", table, call.lineno))
        self._strings(call, name)
        line = call.lineno
        first = call.args[0] if call.args else None
        if isinstance(func, ast.Attribute):
            receiver = dotted(func.value)
            base = _query_base(func.value)
            if base is not None:
                model, how = base
                if how == "objects":
                    self._access(model, "write" if name in _DJANGO_WRITES else "read", line)
                else:
                    self._access(model, "write" if name in _QUERY_WRITES else "read", line)
            if receiver in local and name in _INSTANCE_WRITES:
                self._access(local[receiver], "write", line)
            if name in _SESSION_WRITES:
                for argument_node in _elements(call.args[:1]):
                    held = local.get(argument_node.id) if isinstance(argument_node, ast.Name) else None
                    if held is not None:
                        self._access(held, "write", line)
                if name == "delete" and not call.args and receiver and receiver not in local:
                    self._access(receiver, "write", line)  # orders_table.delete()
            if name in ("insert", "update") and not call.args and receiver:
                self._access(receiver, "write", line)
            if name == "select" and not call.args and receiver:
                self._access(receiver, "read", line)
            if name in ("get", "query", "get_or_404", "get_one") and (target := dotted(first)):
                self._access(target, "read", line)
        if name == "select":
            for argument_node in call.args:
                if target := dotted(argument_node):
                    self._access(target, "read", line)
        elif (
            name in ("insert", "update", "delete")
            and (target := dotted(first))
            and not (isinstance(first, ast.Name) and first.id in local)
        ):
            self._access(target, "write", line)
        target = dotted(func)
        if target and target.rpartition(".")[2][:1].isupper() and target not in _BUILTINS:
            self._access(target, "write", line, construction=True)

    def _access(self, target: str, mode: AccessMode, line: int, construction: bool = False) -> None:
        self.accesses.append(AccessDecl(target, mode, line, construction))

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


def _elements(nodes: list[ast.expr]) -> list[ast.expr]:
    """The arguments, with a list/tuple literal argument (`add_all([a, b])`) opened up."""
    found: list[ast.expr] = []
    for node in nodes:
        found += node.elts if isinstance(node, ast.List | ast.Tuple) else [node]
    return found


def _query_base(node: ast.expr) -> tuple[str, str] | None:
    """The model a query chain starts from: `M.objects...`, `M.query...`, `session.query(M)...`."""
    while True:
        if isinstance(node, ast.Attribute):
            if node.attr in ("objects", "query") and (model := dotted(node.value)):
                if node.attr == "query" and not model.rpartition(".")[2][:1].isupper():
                    return None  # db.session.query is the session method, not Model.query
                return model, node.attr
            node = node.value
        elif isinstance(node, ast.Call):
            if last_name(node.func) == "query" and node.args and (model := dotted(node.args[0])):
                return model, "query"
            node = node.func
        else:
            return None


def _model_of(value: ast.expr) -> str | None:
    """The model a local variable holds after `x = value`, when the value makes that plain."""
    if not isinstance(value, ast.Call):
        return None
    target = dotted(value.func)
    if target and target.rpartition(".")[2][:1].isupper() and target not in _BUILTINS:
        return target
    name = last_name(value.func)
    if name not in _ONE_OBJECT:
        return None
    if (
        name in ("get", "get_or_404", "one_or_404")
        and value.args
        and (model := dotted(value.args[0]))
        and model.rpartition(".")[2][:1].isupper()
    ):
        return model  # session.get(Order, 1)
    base = _query_base(value.func)
    return base[0] if base is not None else None


def _has_url_patterns(value: ast.expr) -> bool:
    for node in ast.walk(value):
        if isinstance(node, ast.Call) and last_name(node.func) in PATTERN_CALLS:
            return True
    return False


def _class_decl(node: ast.ClassDef) -> ClassDecl:
    bases = tuple(b for b in (dotted(base) for base in node.bases) if b)
    fields: dict[str, object] = {}
    meta: dict[str, object] = {}
    for statement in node.body:
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    fields[target.id] = statement.value.value
        elif isinstance(statement, ast.ClassDef) and statement.name == "Meta":
            for inner in statement.body:
                if isinstance(inner, ast.Assign) and isinstance(inner.value, ast.Constant):
                    for target in inner.targets:
                        if isinstance(target, ast.Name):
                            meta[target.id] = inner.value.value
    tablename = fields.get("__tablename__")
    db_table = meta.get("db_table")
    label = meta.get("app_label")
    return ClassDecl(
        name=node.name,
        line=node.lineno,
        bases=bases,
        tablename=tablename if isinstance(tablename, str) else None,
        sa_abstract=fields.get("__abstract__") is True,
        db_table=db_table if isinstance(db_table, str) else None,
        abstract=meta.get("abstract") is True,
        proxy=meta.get("proxy") is True,
        app_label=label if isinstance(label, str) else "",
    )
