"""Tables and who touches them: SQLAlchemy and Django models, `Table(...)`, raw SQL.

Scanning (in `frameworks`) records per file every class with its bases and table options, every
`Table("name", metadata, ...)`, and every expression that may name a model where it is queried,
written or constructed, as written. Resolving decides which classes are models (following base
classes across modules through the `Scope`), gives each its table (`__tablename__`, `db_table`,
Django's default `<app_label>_<model>`, proxies and single-table inheritance sharing the parent's),
and keeps the accesses whose expression resolves to a model or a table object.

SQLModel: a class declared with `table=True` is a table model, named `__tablename__` or else its
class name in lower case (SQLModel's default).

SQLAlchemy declarative bases: `Base = declarative_base(cls=CustomBase)` (or `generate_base()`),
`@as_declarative()` and `DeclarativeBase` subclasses are bases, not models; a class deriving from
one is a model with its own `__tablename__`, else, when a class on the way (or `cls=`) generates it
with `@declared_attr def __tablename__`, the generated name: `cls.__name__.lower()` is read as such,
any other body is taken to give CamelCase to snake_case (`IncidentCost` → `incident_cost`).

Flask-SQLAlchemy: a class whose bases reach `db.Model` (`db = SQLAlchemy()` from flask_sqlalchemy,
followed through imports) or `flask_sqlalchemy.Model` gets, without `__tablename__`, the name
Flask-SQLAlchemy 3 generates: CamelCase to snake_case (`OrderLine` → `order_line`,
`HTTPLog` → `http_log`). A subclass of a model with a table that declares no primary-key column
is single-table inheritance (the parent's table), as Flask-SQLAlchemy decides it.

Django ManyToMany fields without `through=` get the join table Django creates:
`<model's table>_<field>` (`auth_user_groups`), or the field's `db_table=`; fields of abstract
parents count for each concrete child. The name is not truncated to a backend's identifier
limit. Join-table accesses are approximate: every module that writes a model (create, save,
delete...) is taken to write that model's join tables too, at the same line; reads of the
model are not copied to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from analyzers.model import AccessMode, AccessVia, Table, TableAccess, picklable
from analyzers.ordering import in_order
from analyzers.python.scope import Scope

# External base classes (fully qualified, as imported) that make a class a Django model.
DJANGO_MODEL_BASES = frozenset(
    {
        "django.db.models.Model",
        "django.db.models.base.Model",
        "django.contrib.auth.models.AbstractUser",
        "django.contrib.auth.models.AbstractBaseUser",
        "django.contrib.auth.base_user.AbstractBaseUser",
        "django.contrib.auth.models.PermissionsMixin",
        "django.contrib.sessions.base_session.AbstractBaseSession",
    }
)
_MODEL_ROOTS = frozenset({"django.db.models.Model", "django.db.models.base.Model"})
FSA_MODEL = "flask_sqlalchemy.Model"  # the marker every Flask-SQLAlchemy root base is given
_FSA_BASES = frozenset({FSA_MODEL, "flask_sqlalchemy.model.Model"})
# SQLAlchemy 2 declarative base classes: a subclass of one is a declarative base itself.
_SA_DECLARATIVE_ROOTS = frozenset(
    {
        "sqlalchemy.orm.DeclarativeBase",
        "sqlalchemy.orm.DeclarativeBaseNoMeta",
        "sqlalchemy.orm.decl_api.DeclarativeBase",
        "sqlalchemy.orm.decl_api.DeclarativeBaseNoMeta",
    }
)
_SNAKE = re.compile(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))")
MAX_BASE_DEPTH = 32


class ManyToMany(NamedTuple):
    """A Django `name = models.ManyToManyField(...)` of a class body."""

    name: str
    line: int
    db_table: str = ""  # the field's db_table=, naming the join table
    through: bool = False  # through= given: the join table is that model's


class ClassDecl(NamedTuple):
    """A top-level class with bases as written and the table options of its body."""

    name: str
    line: int
    bases: tuple[str, ...]
    tablename: str | None = None  # SQLAlchemy `__tablename__ = "..."`
    sa_abstract: bool = False  # SQLAlchemy `__abstract__ = True`
    db_table: str | None = None  # Django `class Meta: db_table = "..."`
    abstract: bool = False  # Django `Meta.abstract = True`
    proxy: bool = False  # Django `Meta.proxy = True`
    app_label: str = ""  # Django `Meta.app_label`
    primary_key: bool = False  # some column of the body has primary_key=True
    many_to_many: tuple[ManyToMany, ...] = ()
    django_fields: bool = False  # the body declares `models.XField(...)`: a Django model whatever
    # its (third-party) bases, e.g. treebeard's MP_Node
    generated_tablename: str = ""  # `@declared_attr def __tablename__`: "lower" (cls.__name__.lower())
    # or "snake" (anything else, taken as CamelCase to snake_case)
    declarative: bool = False  # `@as_declarative()`: a declarative base, not a model
    sqlmodel_table: bool = False  # `class X(SQLModel, table=True)`: a SQLModel table model


class TableDecl(NamedTuple):
    """`var = Table("name", metadata, ...)`; `var` is "" when the table is not assigned."""

    var: str
    name: str
    line: int


class AccessDecl(NamedTuple):
    """A possible access: `target` (as written) may be a model or table object."""

    target: str
    mode: AccessMode
    line: int
    construction: bool = False  # `Model(...)`: a write for SQLAlchemy, nothing yet for Django
    absolute: bool = False  # `target` is an absolute dotted name (a function-local import bound it)


@picklable
@dataclass(frozen=True, slots=True)
class DataFacts:
    """The data part of one file's raw facts."""

    classes: tuple[ClassDecl, ...] = ()
    tables: tuple[TableDecl, ...] = ()
    accesses: tuple[AccessDecl, ...] = ()
    sql: tuple[tuple[str, AccessMode, int], ...] = ()  # (table, mode, line) of the SQL given to SQL calls
    imports: tuple[tuple[str, str], ...] = ()  # (local name, absolute dotted name) of imports
    sa_instances: tuple[str, ...] = ()  # top-level names bound to flask_sqlalchemy.SQLAlchemy(...)
    sa_bases: tuple[tuple[str, str], ...] = ()  # `Base = declarative_base(cls=X)`: (name, X or "")


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """A resolved model class: its table and which ORM it belongs to."""

    module: str
    name: str
    table: str
    django: bool
    owns_table: bool  # False for proxies and single-table-inheritance children
    line: int
    app_label: str = ""  # Django app label ("auth" for django.contrib.auth.models.User)
    join_tables: tuple[tuple[str, int], ...] = ()  # Django ManyToMany join tables (name, line)


ClassKey = tuple[str, str]


def resolve_models(files: Mapping[str, DataFacts], scope: Scope) -> dict[ClassKey, ModelInfo]:
    """Every model class of the codebase with its table, keyed by (module, class name)."""
    lineage = _Lineage(files, scope)
    tables = _Tables(lineage)
    models: dict[ClassKey, ModelInfo] = {}
    for key in sorted(lineage.classes):
        if f"{key[0]}.{key[1]}" not in _MODEL_ROOTS and (model := tables.model(key)) is not None:
            models[key] = model
    return models


class _Lineage:
    """Every class of the codebase with its parents in the codebase, the external bases it names
    (qualified through the file's imports) and the declarative base variable it derives from."""

    def __init__(self, files: Mapping[str, DataFacts], scope: Scope) -> None:
        self.scope = scope
        self.classes = {(m, c.name): c for m, facts in files.items() for c in facts.classes}
        self.imports = {m: dict(facts.imports) for m, facts in files.items()}
        self.instances = {(m, name) for m, facts in files.items() for name in facts.sa_instances}
        self.sa_bases = {(m, name): cls for m, facts in files.items() for name, cls in facts.sa_bases}
        self.parents: dict[ClassKey, list[ClassKey]] = {}
        self.externals: dict[ClassKey, set[str]] = {}
        # a class deriving from `Base = declarative_base(cls=X)`: X's class (None without cls=)
        self.declared: dict[ClassKey, ClassKey | None] = {}
        for key, decl in self.classes.items():
            self.parents[key], self.externals[key] = [], set()
            for base in decl.bases:
                self._base(key, base)

    def _base(self, key: ClassKey, base: str) -> None:
        module = key[0]
        found = self.scope.resolve_name(module, base)
        if found is not None and found in self.classes:
            self.parents[key].append(found)
        elif found is not None and found in self.sa_bases:
            written = self.sa_bases[found]
            cls = self.scope.resolve_name(found[0], written) if written else None
            self.declared[key] = cls if cls in self.classes else None
        elif _is_fsa_model(module, base, self.scope, self.instances):
            self.externals[key].add(FSA_MODEL)
        else:
            self.externals[key].add(_qualify(base, self.imports[module]))


class _Kinds:
    """Which ORM a class belongs to, through its parents (remembered per class and depth)."""

    def __init__(self, lineage: _Lineage) -> None:
        self.lineage = lineage
        self.any_fsa = any(found & _FSA_BASES for found in lineage.externals.values())
        self.django_known: dict[tuple[ClassKey, int], bool] = {}
        self.fsa_known: dict[tuple[ClassKey, int], bool] = {}
        self.declarative_known: dict[tuple[ClassKey, int], bool] = {}

    def is_django(self, key: ClassKey, depth: int = 0) -> bool:
        known = self.django_known.get((key, depth))
        if known is None:
            known = self.django_known[(key, depth)] = self._is_django(key, depth)
        return known

    def _is_django(self, key: ClassKey, depth: int) -> bool:
        externals = self.lineage.externals[key]
        if externals & DJANGO_MODEL_BASES or f"{key[0]}.{key[1]}" in DJANGO_MODEL_BASES:
            return True  # the second test holds when the analyzed code is Django itself
        if self.lineage.classes[key].django_fields and externals and not externals & _FSA_BASES:
            return True  # fields of a Django model on a third-party base (treebeard's MP_Node)
        return depth < MAX_BASE_DEPTH and any(self.is_django(p, depth + 1) for p in self.lineage.parents[key])

    def is_fsa(self, key: ClassKey, depth: int = 0) -> bool:
        """Whether the class derives from a Flask-SQLAlchemy base."""
        if not self.any_fsa:
            return False  # no class of the codebase derives from a Flask-SQLAlchemy base
        if (key, depth) not in self.fsa_known:
            self.fsa_known[(key, depth)] = bool(self.lineage.externals[key] & _FSA_BASES) or (
                depth < MAX_BASE_DEPTH and any(self.is_fsa(p, depth + 1) for p in self.lineage.parents[key])
            )
        return self.fsa_known[(key, depth)]

    def is_root(self, key: ClassKey) -> bool:
        """A declarative base itself (not a model)."""
        return self.lineage.classes[key].declarative or bool(
            self.lineage.externals[key] & _SA_DECLARATIVE_ROOTS
        )

    def is_declarative(self, key: ClassKey, depth: int = 0) -> bool:
        """Whether the class derives from a declarative base (variable, `as_declarative` class,
        `DeclarativeBase` subclass)."""
        known = self.declarative_known.get((key, depth))
        if known is None:
            known = self.declarative_known[(key, depth)] = (
                key in self.lineage.declared or bool(depth and self.is_root(key))
            ) or (
                depth < MAX_BASE_DEPTH
                and any(self.is_declarative(p, depth + 1) for p in self.lineage.parents[key])
            )
        return known

    def generated(self, key: ClassKey, depth: int = 0) -> str:
        """How a `@declared_attr __tablename__` on the way names the class's table ("" if none)."""
        decl = self.lineage.classes[key]
        if decl.generated_tablename:
            return decl.generated_tablename
        if depth >= MAX_BASE_DEPTH:
            return ""
        origin = self.lineage.declared.get(key)
        if origin is not None and (rule := self.generated(origin, depth + 1)):
            return rule
        return next((r for p in self.lineage.parents[key] if (r := self.generated(p, depth + 1))), "")

    def generated_table(self, key: ClassKey) -> str | None:
        """The generated name of a declarative model's table, when a base generates it."""
        if self.is_root(key) or not self.is_declarative(key):
            return None
        rule = self.generated(key)
        name = self.lineage.classes[key].name
        return (name.lower() if rule == "lower" else snake_case(name)) if rule else None


class _Tables:
    """The table of each model class: (name, whether the class owns it)."""

    def __init__(self, lineage: _Lineage) -> None:
        self.lineage = lineage
        self.kinds = _Kinds(lineage)
        self.sa_known: dict[tuple[ClassKey, int], tuple[str, bool] | None] = {}

    def model(self, key: ClassKey) -> ModelInfo | None:
        """The class as a model, if it is one."""
        django = self.kinds.is_django(key)
        table_of = self.django_table(key) if django else self.sa_table(key)
        if table_of is None:
            return None
        table, owns = table_of
        decl = self.lineage.classes[key]
        label = (decl.app_label or app_label(key[0])) if django else ""
        joins = (
            _join_tables(key, table, self.lineage.classes, self.lineage.parents) if django and owns else ()
        )
        return ModelInfo(key[0], key[1], table, django, owns, decl.line, label, joins)

    def sa_table(self, key: ClassKey, depth: int = 0) -> tuple[str, bool] | None:
        if (key, depth) not in self.sa_known:
            self.sa_known[(key, depth)] = self._sa_table(key, depth)
        return self.sa_known[(key, depth)]

    def _sa_table(self, key: ClassKey, depth: int) -> tuple[str, bool] | None:
        decl = self.lineage.classes[key]
        if decl.tablename:
            return decl.tablename, True
        if decl.sqlmodel_table:
            return decl.name.lower(), True  # SQLModel's default __tablename__
        if decl.sa_abstract or depth >= MAX_BASE_DEPTH:
            return None
        inherited = self._inherited(key, depth)
        if inherited is not None:
            return inherited
        if self.kinds.is_fsa(key):
            return snake_case(decl.name), True
        if (table := self.kinds.generated_table(key)) is not None:
            return table, True
        return None

    def _inherited(self, key: ClassKey, depth: int) -> tuple[str, bool] | None:
        """The table of the first parent with one (single-table inheritance), unless the class has
        its own generated table (joined-table inheritance: a primary key of its own)."""
        for parent in self.lineage.parents[key]:
            inherited = self.sa_table(parent, depth + 1)
            if inherited is not None:
                own = self.kinds.is_fsa(key) or self.kinds.generated_table(key)
                return None if own and self.lineage.classes[key].primary_key else (inherited[0], False)
        return None

    def django_table(self, key: ClassKey, depth: int = 0) -> tuple[str, bool] | None:
        decl = self.lineage.classes[key]
        if decl.abstract or depth >= MAX_BASE_DEPTH:
            return None
        if decl.proxy:
            for parent in self.lineage.parents[key]:
                inherited = self.django_table(parent, depth + 1)
                if inherited is not None:
                    return inherited[0], False
            return None
        if decl.db_table:
            return decl.db_table, True
        label = decl.app_label or app_label(key[0])
        return f"{label}_{decl.name.lower()}", True


def snake_case(name: str) -> str:
    """Flask-SQLAlchemy 3's generated table name: `OrderLine` → `order_line`."""
    return _SNAKE.sub(r"_\1", name).lower().lstrip("_")


def _is_fsa_model(module: str, base: str, scope: Scope, instances: set[tuple[str, str]]) -> bool:
    """Whether base expression `base` is `<SQLAlchemy instance>.Model` (here or imported)."""
    head, dot, attribute = base.rpartition(".")
    if not dot or attribute != "Model":
        return False
    if (module, head) in instances:
        return True
    found = scope.resolve_name(module, head)
    return found is not None and found in instances


def _join_tables(
    key: ClassKey,
    table: str,
    classes: Mapping[ClassKey, ClassDecl],
    parents: Mapping[ClassKey, list[ClassKey]],
) -> tuple[tuple[str, int], ...]:
    """Join tables of the ManyToMany fields of a concrete Django model and its abstract parents."""
    found: dict[str, tuple[str, int]] = {}
    chain: list[ClassKey] = [key]
    seen: set[ClassKey] = set()
    while chain and len(seen) < MAX_BASE_DEPTH:
        current = chain.pop()
        if current in seen:
            continue
        seen.add(current)
        for field in classes[current].many_to_many:
            if not field.through and field.name not in found:
                found[field.name] = (field.db_table or f"{table}_{field.name}", field.line)
        chain += [p for p in parents[current] if classes[p].abstract]
    return tuple(sorted(found.values()))


def app_label(module: str) -> str:
    """Django's default app label for a model module: the package holding models.py / models/."""
    parts = module.split(".")
    if "models" in parts[1:]:
        index = len(parts) - 1 - parts[::-1].index("models")
        if index > 0:
            return parts[index - 1]
    return parts[-2] if len(parts) > 1 else parts[0]


def resolve_data(
    files: Mapping[str, DataFacts], scope: Scope
) -> tuple[tuple[Table, ...], tuple[TableAccess, ...], dict[ClassKey, ModelInfo]]:
    """Declared tables, accesses through models, table objects and SQL, and the model index."""
    models = resolve_models(files, scope)
    tables: set[Table] = {
        Table(info.table, info.module, info.name, info.line) for info in models.values() if info.owns_table
    }
    tables |= {Table(name, i.module, "", line) for i in models.values() for name, line in i.join_tables}
    joins = {i.table: [name for name, _ in i.join_tables] for i in models.values() if i.join_tables}
    objects: dict[ClassKey, tuple[str, bool]] = {k: (i.table, i.django) for k, i in models.items()}
    for module, facts in files.items():
        for decl in facts.tables:
            tables.add(Table(decl.name, module, "", decl.line))
            if decl.var:
                objects[(module, decl.var)] = (decl.name, False)
    accesses: set[TableAccess] = set()
    for module, facts in sorted(files.items()):
        for access in facts.accesses:
            target = _lookup(module, access, scope, objects)
            if target is None:
                continue
            table, django = target
            if access.construction and django:
                continue  # Model(...) alone writes nothing in Django; .save() does
            via: AccessVia = "django" if django else "orm"
            accesses.add(TableAccess(module, table, access.mode, access.line, via))
            if access.mode == "write":
                accesses.update(
                    TableAccess(module, j, "write", access.line, via) for j in joins.get(table, ())
                )
        for table, mode, line in facts.sql:
            accesses.add(TableAccess(module, table, mode, line, "sql"))
    declared = {t.name for t in tables}
    tables |= {Table(a.table, "") for a in accesses if a.via == "sql" and a.table not in declared}
    return in_order(tables), in_order(accesses), models


def _lookup(
    module: str, access: AccessDecl, scope: Scope, objects: Mapping[ClassKey, tuple[str, bool]]
) -> tuple[str, bool] | None:
    """The (table, is Django) a target expression names, trying `a.b.c`, then `a.b`, then `a`."""
    if access.absolute:
        return _lookup_absolute(access.target, scope, objects)
    for candidate in _prefixes(access.target):
        if (module, candidate) in objects:
            return objects[(module, candidate)]
        found = scope.resolve_name(module, candidate)
        if found is not None and found in objects:
            return objects[found]
    return None


def _lookup_absolute(
    target: str, scope: Scope, objects: Mapping[ClassKey, tuple[str, bool]]
) -> tuple[str, bool] | None:
    """`shop.models.Order.objects` → the longest module prefix, then the name inside it."""
    parts = target.split(".")
    for end in range(len(parts) - 1, 0, -1):
        owner = scope.resolve_module(".".join(parts[:end]))
        if owner is None:
            continue
        for candidate in _prefixes(".".join(parts[end:])):
            if (owner, candidate) in objects:
                return objects[(owner, candidate)]
            found = scope.resolve_name(owner, candidate)
            if found is not None and found in objects:
                return objects[found]
        return None
    return None


def _prefixes(dotted: str) -> Iterator[str]:
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        yield ".".join(parts[:end])


def _qualify(expression: str, imports: Mapping[str, str]) -> str:
    """`models.Model` → `django.db.models.Model` when the file did `from django.db import models`."""
    head, _, rest = expression.partition(".")
    if head in imports:
        return imports[head] + ("." + rest if rest else "")
    return expression
