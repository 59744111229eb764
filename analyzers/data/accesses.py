"""The data part of scanning one file: which table accesses a call expresses, class table options.

`analyzers.frameworks.scanning` walks the file and hands every call here with the function's map of
local names (variables holding a model instance, and names bound by function-local imports); what
comes back are `AccessDecl`s with targets as written, or absolute (`absolute=True`) when a function-local
import bound the name. Class bodies give their table options, primary-key columns and
ManyToMany fields (for Django's automatic join tables).
"""

from __future__ import annotations

import ast
import builtins

from analyzers.data.models import AccessDecl, ClassDecl, ManyToMany
from analyzers.data.sql import QUICK_CHECK, SqlText, is_table_name, looks_like_sql, sql_tables
from analyzers.model import AccessMode
from analyzers.python.literals import dotted, keyword_value, last_name, string

# Keys of a function's local map that are not variable names: "import:X" holds the absolute
# dotted name a function-local import bound to X; "self.model" the model a class body names.
IMPORT_KEY = "import:"
_BUILTINS = frozenset(dir(builtins))
_DJANGO_WRITES = frozenset(
    {"create", "update", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
)
_QUERY_WRITES = frozenset({"update", "delete"})
_SESSION_WRITES = frozenset({"add", "add_all", "merge", "delete"})
_INSTANCE_WRITES = frozenset({"save", "delete"})
#: Method names that can access a table through their receiver (an attribute call of another name can
#: only do so on a query chain, see `has_query_base`, or as a construction `x.Model(...)`).
RECEIVER_CALLS = _SESSION_WRITES | _INSTANCE_WRITES | {"insert", "update", "select", "get", "query"}
RECEIVER_CALLS |= {"get_or_404", "get_one"}
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
FSA_CLASSES = frozenset({"flask_sqlalchemy.SQLAlchemy", "flask_sqlalchemy.extension.SQLAlchemy"})


def call_accesses(call: ast.Call, name: str, local: dict[str, str]) -> list[AccessDecl]:
    """The possible table accesses of `call` (whose called name is `name`)."""
    found = _Accesses(call, local)
    func = call.func
    if isinstance(func, ast.Attribute) and (name in RECEIVER_CALLS or has_query_base(func.value)):
        found.on_receiver(name, func.value)
    first = call.args[0] if call.args else None
    if name == "select":
        for argument_node in call.args:
            if target := dotted(argument_node):
                found.add(target, "read")
    elif (
        name in ("insert", "update", "delete")
        and (target := dotted(first))
        and not (isinstance(first, ast.Name) and first.id in local)
    ):
        found.add(target, "write")
    if name[:1].isupper() and (target := dotted(func)) and target not in _BUILTINS:
        found.add(target, "write", construction=True)
    return found.found


class _Accesses:
    """The accesses of one call, with targets read through the function's local names."""

    def __init__(self, call: ast.Call, local: dict[str, str]) -> None:
        self.call = call
        self.local = local
        self.found: list[AccessDecl] = []

    def add(self, target: str, mode: AccessMode, construction: bool = False) -> None:
        """An access of `target` as written: `self.model...` is the class's model, a name a
        function-local import binds is absolute."""
        local = self.local
        absolute = False
        if target.startswith("self.model") and "self.model" in local:
            target = local["self.model"] + target.removeprefix("self.model")
        head, dot, rest = target.partition(".")
        if IMPORT_KEY + head in local:
            target, absolute = local[IMPORT_KEY + head] + dot + rest, True
        self.found.append(AccessDecl(target, mode, self.call.lineno, construction, absolute))

    def on_receiver(self, name: str, value: ast.expr) -> None:
        """`receiver.name(...)`: a query chain, an instance saved or deleted, a session's writes,
        a table object's statements."""
        call, local = self.call, self.local
        receiver = dotted(value)
        base = _query_base(value)
        if base is not None:
            model, how = base
            writes = _DJANGO_WRITES if how == "objects" else _QUERY_WRITES
            self.add(model, "write" if name in writes else "read")
        if receiver in local and name in _INSTANCE_WRITES:
            self.add(local[receiver], "write")
        if name in _SESSION_WRITES:
            self._session_writes(name, receiver)
        if name in ("insert", "update") and not call.args and receiver:
            self.add(receiver, "write")
        if name == "select" and not call.args and receiver:
            self.add(receiver, "read")
        if name in ("get", "query", "get_or_404", "get_one") and (
            target := dotted(call.args[0] if call.args else None)
        ):
            self.add(target, "read")

    def _session_writes(self, name: str, receiver: str | None) -> None:
        """`session.add(order)`, `session.add_all([a, b])`; `orders_table.delete()`."""
        for argument_node in _elements(self.call.args[:1]):
            held = self.local.get(argument_node.id) if isinstance(argument_node, ast.Name) else None
            if held is not None:
                self.add(held, "write")
        if name == "delete" and not self.call.args and receiver and receiver not in self.local:
            self.add(receiver, "write")  # orders_table.delete()


def has_query_base(node: ast.expr) -> bool:
    """Cheap test whether `_query_base` can find anything: the chain has .objects/.query/query()."""
    while True:
        kind = type(node)
        if kind is ast.Attribute:
            if node.attr in ("objects", "query"):  # type: ignore[attr-defined]
                return True
            node = node.value  # type: ignore[attr-defined]
        elif kind is ast.Call:
            node = node.func  # type: ignore[attr-defined]
        else:
            return False


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


def model_of(value: ast.expr) -> str | None:
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


def import_bindings(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> dict[str, str]:
    """Local name → absolute dotted name bound by an import statement (relative ones resolved)."""
    bound: dict[str, str] = {}
    if isinstance(node, ast.Import):
        for alias in node.names:
            local = alias.asname or alias.name.partition(".")[0]
            bound[local] = alias.name if alias.asname else local
        return bound
    base = node.module or ""
    if node.level:
        parts = module.split(".") if is_package else module.split(".")[:-1]
        if node.level - 1 > len(parts):
            return bound
        parts = parts[: len(parts) - (node.level - 1)]
        base = ".".join([*parts, base] if base else parts)
    for alias in node.names:
        if alias.name != "*" and base:
            bound[alias.asname or alias.name] = f"{base}.{alias.name}"
    return bound


def class_decl(node: ast.ClassDef) -> ClassDecl:
    """Bases as written and the table options of a top-level class body."""
    body = _ClassBody()
    for statement in node.body:
        body.statement(statement)
    fields, meta = body.fields, body.meta
    tablename = fields.get("__tablename__")
    db_table = meta.get("db_table")
    label = meta.get("app_label")
    return ClassDecl(
        name=node.name,
        line=node.lineno,
        bases=tuple(b for b in (dotted(base) for base in node.bases) if b),
        tablename=tablename if isinstance(tablename, str) else None,
        sa_abstract=fields.get("__abstract__") is True,
        db_table=db_table if isinstance(db_table, str) else None,
        abstract=meta.get("abstract") is True,
        proxy=meta.get("proxy") is True,
        app_label=label if isinstance(label, str) else "",
        primary_key=body.primary_key,
        many_to_many=tuple(body.many),
        django_fields=body.django_fields,
        generated_tablename=body.generated,
        declarative=any(
            last_name(d.func if isinstance(d, ast.Call) else d) == "as_declarative"
            for d in node.decorator_list
        ),
        sqlmodel_table=any(
            k.arg == "table" and isinstance(k.value, ast.Constant) and k.value.value is True
            for k in node.keywords
        ),
    )


class _ClassBody:
    """What the statements of a class body say about its table: constants assigned (`__tablename__`,
    `__abstract__`), `Meta` options, columns and fields, a generated `__tablename__`."""

    def __init__(self) -> None:
        self.fields: dict[str, object] = {}
        self.meta: dict[str, object] = {}
        self.primary_key = False
        self.django_fields = False
        self.generated = ""
        self.many: list[ManyToMany] = []

    def statement(self, statement: ast.stmt) -> None:
        if isinstance(statement, ast.FunctionDef) and statement.name == "__tablename__":
            self._tablename(statement)
        elif isinstance(statement, ast.Assign | ast.AnnAssign) and isinstance(statement.value, ast.Constant):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    self.fields[target.id] = statement.value.value
        elif isinstance(statement, ast.Assign | ast.AnnAssign) and isinstance(statement.value, ast.Call):
            target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target
            self._column(target, statement.value)
        elif isinstance(statement, ast.ClassDef) and statement.name == "Meta":
            for inner in statement.body:
                if isinstance(inner, ast.Assign) and isinstance(inner.value, ast.Constant):
                    for target in inner.targets:
                        if isinstance(target, ast.Name):
                            self.meta[target.id] = inner.value.value

    def _tablename(self, function: ast.FunctionDef) -> None:
        """`@declared_attr def __tablename__(cls)`: how it names the table."""
        if any(
            (dotted(d) or "").endswith(("declared_attr", "declared_attr.directive"))
            for d in function.decorator_list
        ):
            self.generated = "lower" if _returns_lower_name(function) else "snake"

    def _column(self, target: ast.expr, call: ast.Call) -> None:
        """`name = Column(...)`, `name = models.XField(...)`, a Django ManyToMany field."""
        self.primary_key = self.primary_key or _is_primary_key(call)
        self.django_fields = self.django_fields or _is_django_field(call.func)
        if last_name(call.func) == "ManyToManyField" and isinstance(target, ast.Name):
            table = string(keyword_value(call, "db_table"))
            through = keyword_value(call, "through") is not None
            self.many.append(ManyToMany(target.id, call.lineno, table or "", through))


def _returns_lower_name(function: ast.FunctionDef) -> bool:
    """`return cls.__name__.lower()`: the generated table name is the class name in lower case."""
    last = function.body[-1] if function.body else None
    value = last.value if isinstance(last, ast.Return) else None
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "lower"
        and isinstance(value.func.value, ast.Attribute)
        and value.func.value.attr == "__name__"
    )


def _is_django_field(func: ast.expr) -> bool:
    """`models.CharField(...)`, `models.ForeignKey(...)`: a Django model field in a class body."""
    return (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "models"
        and (func.attr.endswith("Field") or func.attr in ("ForeignKey", "OneToOneField"))
    )


def _is_primary_key(call: ast.Call) -> bool:
    """`Column(..., primary_key=True)` / `mapped_column(...)` / `db.Column(...)`."""
    value = keyword_value(call, "primary_key")
    return isinstance(value, ast.Constant) and value.value is True


def class_model_attribute(node: ast.ClassDef) -> str | None:
    """`model = Order` in a class body (Django generic views, DRF, managers): what `self.model` is."""
    for statement in node.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and statement.targets[0].id == "model"
            and (value := dotted(statement.value))
        ):
            return value
    return None


#: Calls that run SQL text: DB-API `cursor.execute`/`executemany`/`executescript` (SQLAlchemy's
#: `connection.execute`, `session.execute` and Alembic's `op.execute` alike), SQLAlchemy `text()`
#: and `exec_driver_sql()`, Django `Manager.raw()`, `RawSQL(...)`, `QuerySet.extra(...)` and
#: `migrations.RunSQL(...)`, asyncpg's and databases' fetch methods, pandas `read_sql`. Raw SQL is
#: read only from what these calls are given: a string literal anywhere else (a help text, a
#: message, a format string) is not taken for SQL, however much it reads like a statement.
SQL_CALLS = frozenset(
    {"execute", "executemany", "executescript", "exec_driver_sql", "text", "raw", "RawSQL", "extra"}
    | {"RunSQL", "fetchrow", "fetchval", "fetch_all", "fetch_one", "read_sql", "read_sql_query"}
)
#: The keyword a call of SQL_CALLS may give its statement by.
_SQL_KEYWORDS = ("sql", "statement", "query", "operation", "raw_query", "text", "clause")
MAX_SQL_DEPTH = 64  # operands of a concatenation read, at most, in depth

SqlLines = tuple[SqlText, int]  # (text, line of its first character)


class SqlCollector:
    """The raw SQL of one file: statements given to SQL_CALLS, directly or through a name the file
    binds to a string (`DAILY = "SELECT ..."` ... `session.execute(DAILY)`)."""

    def __init__(self) -> None:
        self.texts: list[SqlLines] = []
        self.tables: list[tuple[str, AccessMode, int]] = []  # Django `.extra(tables=[...])`
        self.names: set[str] = set()  # names (or attributes) handed to an SQL call
        self.bound: dict[str, list[SqlLines]] = {}  # name → statements assigned to it

    def call(self, call: ast.Call, name: str) -> None:
        """A call named `name` (one of SQL_CALLS): its statement arguments."""
        if name == "extra":
            for keyword in call.keywords:
                if keyword.arg == "select" and isinstance(keyword.value, ast.Dict):
                    self._argument(*(v for v in keyword.value.values if v is not None))
                elif keyword.arg == "tables" and isinstance(keyword.value, ast.List | ast.Tuple):
                    self.tables += (
                        (text, "read", node.lineno)
                        for node in keyword.value.elts
                        if (text := string(node)) is not None and is_table_name(text)
                    )
            return
        given = [k.value for k in call.keywords if k.arg in _SQL_KEYWORDS]
        self._argument(*(call.args[:1] or given[:1]))

    def _argument(self, *nodes: ast.expr) -> None:
        for node in nodes:
            if isinstance(node, ast.List | ast.Tuple):  # RunSQL(["UPDATE ...", "DELETE ..."])
                self._argument(*node.elts)
                continue
            text = sql_text(node)
            if text is not None:
                self.texts.append((text, node.lineno))
            self.names.update(_names(node))

    def assign(self, targets: list[ast.expr], value: ast.expr) -> None:
        """`name = <string>`: remembered in case the name is handed to an SQL call."""
        kind = type(value)
        if kind is ast.Constant:
            if type(value.value) is not str or not QUICK_CHECK.search(value.value):  # type: ignore[attr-defined]
                return
        elif kind is not ast.JoinedStr and kind is not ast.BinOp and kind is not ast.Call:
            return
        text = sql_text(value)
        if text is None or not looks_like_sql(text.scanned()):
            return
        for target in targets:
            key = target.id if isinstance(target, ast.Name) else last_name(target)
            if key:
                self.bound.setdefault(key, []).append((text, value.lineno))

    def facts(self) -> tuple[tuple[str, AccessMode, int], ...]:
        """(table, mode, line) of every table the file's SQL reads or writes, sorted."""
        texts = [*self.texts, *(t for name in sorted(self.names) for t in self.bound.get(name, ()))]
        found = set(self.tables)
        for text, line in texts:
            found.update((table, mode, line + offset) for table, mode, offset in sql_tables(text.scanned()))
        return tuple(sorted(found))


def sql_text(node: ast.expr, depth: int = 0) -> SqlText | None:
    """The text of a string expression, its computed parts marked: a literal, an f-string, a
    concatenation, `"..." % args`, `"...".format(...)`; None if no literal is in it (or it is
    nested deeper than MAX_SQL_DEPTH: generated code, not a statement someone wrote)."""
    kind = type(node)
    if depth > MAX_SQL_DEPTH:
        return None
    if kind is ast.Constant:
        value = node.value  # type: ignore[attr-defined]
        return SqlText((value,)) if type(value) is str else None
    if kind is ast.JoinedStr:
        return SqlText(
            tuple(
                v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else None
                for v in node.values  # type: ignore[attr-defined]
            )
        )
    if kind is ast.BinOp:
        return _operation_text(node, depth)  # type: ignore[arg-type]
    if kind is ast.Call and isinstance(node.func, ast.Attribute) and node.func.attr == "format":  # type: ignore[attr-defined]
        return sql_text(node.func.value, depth + 1)  # type: ignore[attr-defined]
    return None


def _operation_text(node: ast.BinOp, depth: int) -> SqlText | None:
    """`"..." % args`: the left text; `a + b`: both, an operand without text computed."""
    left = sql_text(node.left, depth + 1)
    if type(node.op) is ast.Mod:
        return left
    if type(node.op) is not ast.Add:
        return None
    right = sql_text(node.right, depth + 1)
    if left is None and right is None:
        return None
    return SqlText(_or_computed(left) + _or_computed(right))


def _or_computed(text: SqlText | None) -> tuple[str | None, ...]:
    """The parts of an operand's text; one computed part for an operand without (or with empty) text."""
    return text.parts if text is not None and text.scanned() else (None,)


def _names(node: ast.expr, depth: int = 0) -> set[str]:
    """Names (or last attributes: `self.query`) whose value a string expression is built from."""
    kind = type(node)
    if kind is ast.Name or kind is ast.Attribute:
        return {last_name(node)}
    if depth > MAX_SQL_DEPTH:
        return set()
    if kind is ast.BinOp:
        return _names(node.left, depth + 1) | _names(node.right, depth + 1)  # type: ignore[attr-defined]
    if kind is ast.Call and isinstance(node.func, ast.Attribute) and node.func.attr == "format":  # type: ignore[attr-defined]
        return _names(node.func.value, depth + 1)  # type: ignore[attr-defined]
    return set()
