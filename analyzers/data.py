"""Tables and who touches them: SQLAlchemy and Django models, `Table(...)`, raw SQL.

Scanning (in `frameworks`) records per file every class with its bases and table options, every
`Table("name", metadata, ...)`, and every expression that may name a model where it is queried,
written or constructed, as written. Resolving decides which classes are models (following base
classes across modules through the `Scope`), gives each its table (`__tablename__`, `db_table`,
Django's default `<app_label>_<model>`, proxies and single-table inheritance sharing the parent's),
and keeps the accesses whose expression resolves to a model or a table object.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from analyzers.model import AccessMode, AccessVia, Table, TableAccess
from analyzers.scope import Scope

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
MAX_BASE_DEPTH = 32


@dataclass(frozen=True, slots=True, order=True)
class ClassDecl:
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


@dataclass(frozen=True, slots=True, order=True)
class TableDecl:
    """`var = Table("name", metadata, ...)`; `var` is "" when the table is not assigned."""

    var: str
    name: str
    line: int


@dataclass(frozen=True, slots=True, order=True)
class AccessDecl:
    """A possible access: `target` (as written) may be a model or table object."""

    target: str
    mode: AccessMode
    line: int
    construction: bool = False  # `Model(...)`: a write for SQLAlchemy, nothing yet for Django


@dataclass(frozen=True, slots=True)
class DataFacts:
    """The data part of one file's raw facts."""

    classes: tuple[ClassDecl, ...] = ()
    tables: tuple[TableDecl, ...] = ()
    accesses: tuple[AccessDecl, ...] = ()
    sql: tuple[tuple[str, AccessMode, int], ...] = ()  # (table, mode, line) from string literals
    imports: tuple[tuple[str, str], ...] = ()  # (local name, absolute dotted name) of imports


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


ClassKey = tuple[str, str]


def resolve_models(files: Mapping[str, DataFacts], scope: Scope) -> dict[ClassKey, ModelInfo]:
    """Every model class of the codebase with its table, keyed by (module, class name)."""
    classes = {(m, c.name): c for m, facts in files.items() for c in facts.classes}
    imports = {m: dict(facts.imports) for m, facts in files.items()}
    parents: dict[ClassKey, list[ClassKey]] = {}
    externals: dict[ClassKey, set[str]] = {}
    for key, decl in classes.items():
        module = key[0]
        parents[key], externals[key] = [], set()
        for base in decl.bases:
            found = scope.resolve_name(module, base)
            if found is not None and found in classes:
                parents[key].append(found)
            else:
                externals[key].add(_qualify(base, imports[module]))

    def is_django(key: ClassKey, depth: int = 0) -> bool:
        if externals[key] & DJANGO_MODEL_BASES or f"{key[0]}.{key[1]}" in DJANGO_MODEL_BASES:
            return True  # the second test holds when the analyzed code is Django itself
        return depth < MAX_BASE_DEPTH and any(is_django(p, depth + 1) for p in parents[key])

    def sa_table(key: ClassKey, depth: int = 0) -> tuple[str, bool] | None:
        decl = classes[key]
        if decl.tablename:
            return decl.tablename, True
        if decl.sa_abstract or depth >= MAX_BASE_DEPTH:
            return None
        for parent in parents[key]:
            inherited = sa_table(parent, depth + 1)
            if inherited is not None:
                return inherited[0], False
        return None

    def django_table(key: ClassKey, depth: int = 0) -> tuple[str, bool] | None:
        decl = classes[key]
        if decl.abstract or depth >= MAX_BASE_DEPTH:
            return None
        if decl.proxy:
            for parent in parents[key]:
                inherited = django_table(parent, depth + 1)
                if inherited is not None:
                    return inherited[0], False
            return None
        if decl.db_table:
            return decl.db_table, True
        label = decl.app_label or app_label(key[0])
        return f"{label}_{decl.name.lower()}", True

    models: dict[ClassKey, ModelInfo] = {}
    for key in sorted(classes):
        if f"{key[0]}.{key[1]}" in _MODEL_ROOTS:
            continue
        django = is_django(key)
        table_of = django_table(key) if django else sa_table(key)
        if table_of is not None:
            table, owns = table_of
            label = (classes[key].app_label or app_label(key[0])) if django else ""
            models[key] = ModelInfo(key[0], key[1], table, django, owns, classes[key].line, label)
    return models


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
    objects: dict[ClassKey, tuple[str, bool]] = {k: (i.table, i.django) for k, i in models.items()}
    for module, facts in files.items():
        for decl in facts.tables:
            tables.add(Table(decl.name, module, "", decl.line))
            if decl.var:
                objects[(module, decl.var)] = (decl.name, False)
    accesses: set[TableAccess] = set()
    for module, facts in sorted(files.items()):
        for access in facts.accesses:
            target = _lookup(module, access.target, scope, objects)
            if target is None:
                continue
            table, django = target
            if access.construction and django:
                continue  # Model(...) alone writes nothing in Django; .save() does
            via: AccessVia = "django" if django else "orm"
            accesses.add(TableAccess(module, table, access.mode, access.line, via))
        for table, mode, line in facts.sql:
            accesses.add(TableAccess(module, table, mode, line, "sql"))
    declared = {t.name for t in tables}
    tables |= {Table(a.table, "") for a in accesses if a.via == "sql" and a.table not in declared}
    return tuple(sorted(tables)), tuple(sorted(accesses)), models


def _lookup(
    module: str, target: str, scope: Scope, objects: Mapping[ClassKey, tuple[str, bool]]
) -> tuple[str, bool] | None:
    """The (table, is Django) a target expression names, trying `a.b.c`, then `a.b`, then `a`."""
    for candidate in _prefixes(target):
        if (module, candidate) in objects:
            return objects[(module, candidate)]
        found = scope.resolve_name(module, candidate)
        if found is not None and found in objects:
            return objects[found]
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
