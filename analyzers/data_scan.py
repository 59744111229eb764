"""The data part of scanning one file: which table accesses a call expresses, class table options.

`framework_scan` walks the file and hands every call here with the function's map of local names
(variables holding a model instance, and names bound by function-local imports); what comes back
are `AccessDecl`s with targets as written, or absolute (`absolute=True`) when a function-local
import bound the name. Class bodies give their table options, primary-key columns and
ManyToMany fields (for Django's automatic join tables).
"""

from __future__ import annotations

import ast
import builtins

from analyzers.data import AccessDecl, ClassDecl, ManyToMany
from analyzers.fw_ast import dotted, keyword_value, last_name, string
from analyzers.model import AccessMode

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
    found: list[AccessDecl] = []

    def access(target: str, mode: AccessMode, construction: bool = False) -> None:
        absolute = False
        head, dot, rest = target.partition(".")
        if target.startswith("self.model") and "self.model" in local:
            target, absolute = local["self.model"] + target.removeprefix("self.model"), False
            head, dot, rest = target.partition(".")
        if IMPORT_KEY + head in local:
            target, absolute = local[IMPORT_KEY + head] + dot + rest, True
        found.append(AccessDecl(target, mode, call.lineno, construction, absolute))

    func = call.func
    first = call.args[0] if call.args else None
    if isinstance(func, ast.Attribute) and (name in RECEIVER_CALLS or has_query_base(func.value)):
        receiver = dotted(func.value)
        base = _query_base(func.value)
        if base is not None:
            model, how = base
            writes = _DJANGO_WRITES if how == "objects" else _QUERY_WRITES
            access(model, "write" if name in writes else "read")
        if receiver in local and name in _INSTANCE_WRITES:
            access(local[receiver], "write")
        if name in _SESSION_WRITES:
            for argument_node in _elements(call.args[:1]):
                held = local.get(argument_node.id) if isinstance(argument_node, ast.Name) else None
                if held is not None:
                    access(held, "write")
            if name == "delete" and not call.args and receiver and receiver not in local:
                access(receiver, "write")  # orders_table.delete()
        if name in ("insert", "update") and not call.args and receiver:
            access(receiver, "write")
        if name == "select" and not call.args and receiver:
            access(receiver, "read")
        if name in ("get", "query", "get_or_404", "get_one") and (target := dotted(first)):
            access(target, "read")
    if name == "select":
        for argument_node in call.args:
            if target := dotted(argument_node):
                access(target, "read")
    elif (
        name in ("insert", "update", "delete")
        and (target := dotted(first))
        and not (isinstance(first, ast.Name) and first.id in local)
    ):
        access(target, "write")
    if name[:1].isupper() and (target := dotted(func)) and target not in _BUILTINS:
        access(target, "write", construction=True)
    return found


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
    bases = tuple(b for b in (dotted(base) for base in node.bases) if b)
    fields: dict[str, object] = {}
    meta: dict[str, object] = {}
    primary_key = False
    django_fields = False
    generated = ""
    many: list[ManyToMany] = []
    for statement in node.body:
        if isinstance(statement, ast.FunctionDef) and statement.name == "__tablename__":
            if any((dotted(d) or "").endswith(("declared_attr", "declared_attr.directive"))
                   for d in statement.decorator_list):
                generated = "lower" if _returns_lower_name(statement) else "snake"
            continue
        if isinstance(statement, ast.Assign | ast.AnnAssign) and isinstance(statement.value, ast.Constant):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    fields[target.id] = statement.value.value
        elif isinstance(statement, ast.Assign | ast.AnnAssign) and isinstance(statement.value, ast.Call):
            call = statement.value
            primary_key = primary_key or _is_primary_key(call)
            django_fields = django_fields or _is_django_field(call.func)
            target = statement.targets[0] if isinstance(statement, ast.Assign) else statement.target
            if last_name(call.func) == "ManyToManyField" and isinstance(target, ast.Name):
                table = string(keyword_value(call, "db_table"))
                through = keyword_value(call, "through") is not None
                many.append(ManyToMany(target.id, call.lineno, table or "", through))
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
        primary_key=primary_key,
        many_to_many=tuple(many),
        django_fields=django_fields,
        generated_tablename=generated,
        declarative=any(
            last_name(d.func if isinstance(d, ast.Call) else d) == "as_declarative"
            for d in node.decorator_list
        ),
        sqlmodel_table=any(
            k.arg == "table" and isinstance(k.value, ast.Constant) and k.value.value is True
            for k in node.keywords
        ),
    )


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
