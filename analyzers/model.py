"""The facts the analyzers produce: frozen values that later stages read and never change.

Everything here is plain data (str, int, tuples, frozensets) so that it pickles across
processes, caches compactly, and compares by value. Paths are POSIX paths relative to the
analyzed root; lines are 1-based; module names are dotted, exactly as Python would import them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, Literal, TypeVar

_T = TypeVar("_T")

# Every role but "code" is left out of the coupling graph by default (analyzers.files.discovery.role_of)
ModuleRole = Literal["code", "test", "migration", "docs", "example", "template", "settings", "script"]
SymbolKind = Literal["function", "class", "constant", "variable"]
ReferenceKind = Literal["call", "attribute", "base", "decorator", "annotation", "name"]
AccessMode = Literal["read", "write"]
AccessVia = Literal["orm", "sql", "django"]
Framework = Literal["flask", "fastapi", "django"]

# Markers on an import edge. An import with no marker is a plain module-level import.
IMPORT_FUNCTION = "function"  # inside a function or method body
IMPORT_TYPE_CHECKING = "type_checking"  # under `if TYPE_CHECKING:`
IMPORT_TRY = "try_except"  # inside `try:` with an `except ImportError` (or ModuleNotFoundError)
IMPORT_DYNAMIC = "dynamic"  # importlib.import_module("x.y") / __import__("x.y") with a literal
IMPORT_STRING = "string"  # a dotted string: Django "app.Model", settings paths, include("x.urls")
IMPORT_STAR = "star"  # from x import *
IMPORT_MARKERS = frozenset(
    {IMPORT_FUNCTION, IMPORT_TYPE_CHECKING, IMPORT_TRY, IMPORT_DYNAMIC, IMPORT_STRING, IMPORT_STAR}
)


def picklable(cls: type[_T]) -> type[_T]:
    """Pickle a frozen, slotted dataclass as its constructor call: the default pickling of such a
    class calls `dataclasses.fields` for every object, both ways, a large share of the cost of
    sending the facts of a file from a worker process (analyzers.files.pool)."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    values: Any = attrgetter(*names) if len(names) > 1 else (lambda self: (getattr(self, names[0]),))

    def __reduce__(self: _T) -> tuple[type[_T], tuple[Any, ...]]:
        return cls, values(self)

    setattr(cls, "__reduce__", __reduce__)  # noqa: B010 - a method added after @dataclass
    return cls


#: The first segment of a route path whose prefix is not known statically (`Route.unknown_prefix`):
#: white space, which no request path holds, so that no proxy rule is ever written for it.
UNKNOWN_PREFIX = "/{unknown prefix}"
#: `Route.unknown_prefix` of a Django route under `i18n_patterns(...)`: the language code of the
#: request (`/en/`, `/de/`; none for the default language with `prefix_default_language=False`).
LANGUAGE_PREFIX = "i18n_patterns(...), the language code of the request"


@picklable
@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """Something the analysis could not read or resolve, and what to do about it."""

    path: str
    line: int
    kind: str  # e.g. "syntax-error", "encoding", "binary", "too-large", "unreadable",
    # "symlink-loop", "vanished", "relative-import-beyond-top", "unresolved-route", "computed-route",
    # "dynamic-urls", "unknown-converter"
    message: str


@picklable
@dataclass(frozen=True, slots=True, order=True)
class Symbol:
    """A top-level definition of a module: the things another module can use."""

    name: str
    kind: SymbolKind
    line: int
    # For functions: the parameter list and return annotation as source text ("" if none);
    # the planner reads them to find values that cannot cross a network.
    params: str = ""
    returns: str = ""
    is_async: bool = False
    is_generator: bool = False
    # For variables: whether the value is a mutable container (list, dict, set, ...)
    mutable: bool = False
    # For classes: base class expressions as written ("Base", "models.Model").
    bases: tuple[str, ...] = ()
    decorators: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, order=True)
class Module:
    """One Python module of the analyzed codebase."""

    name: str  # dotted import name, e.g. "shop.orders.service"
    path: str  # relative POSIX path, e.g. "shop/orders/service.py"
    loc: int  # non-blank, non-comment source lines
    is_package: bool = False  # an __init__.py
    role: ModuleRole = "code"
    symbols: tuple[Symbol, ...] = ()
    docstring: str = ""
    # Identifier and docstring terms with counts, sorted by term: the input of the
    # name-similarity signal. Terms are lower-case words split from snake/camel case.
    terms: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True, order=True)
class ImportEdge:
    """`source` imports `target` (both modules of the codebase) at `line`."""

    source: str
    target: str
    line: int
    markers: frozenset[str] = frozenset()  # subset of IMPORT_MARKERS
    names: tuple[str, ...] = ()  # imported names for `from target import a, b`


@dataclass(frozen=True, slots=True, order=True)
class ExternalImport:
    """An import of something outside the codebase (standard library or third party)."""

    source: str
    name: str  # top-level distribution/package import name, e.g. "flask", "os"
    line: int
    stdlib: bool
    markers: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, order=True)
class Reference:
    """`source` uses top-level `symbol` of module `target`, at `line`, in a given way.

    `caller` is the top-level function or class of `source` the use sits in, or "<module>".
    `symbol` is "" when the module object itself is used without naming a symbol.
    These are the future API calls of a cut.
    """

    source: str
    line: int
    target: str
    symbol: str
    kind: ReferenceKind
    caller: str = "<module>"


@dataclass(frozen=True, slots=True, order=True)
class Route:
    """An HTTP route served by the codebase."""

    path: str  # full pattern as the framework writes it, prefixes applied, e.g. "/orders/<int:order_id>"
    methods: tuple[str, ...]  # upper-case, sorted; () means any method
    handler: str  # dotted symbol, e.g. "shop.orders.views.get_order"
    module: str  # module defining the handler
    line: int
    framework: Framework
    name: str = ""  # endpoint / route name where the framework has one
    is_regex: bool = False  # Django re_path / regex routes: `path` is a regular expression
    # Where the route's prefix comes from when it cannot be read statically, as the source writes
    # it (`url_prefix='/{}'.format(kind)`, `blueprint` of `register_rules(blueprint)`); "" when the
    # whole path is known. The request path served is then not `path`, which starts with
    # UNKNOWN_PREFIX (or, for a computed prefix given at a mount, is listed without it): such a
    # route must stay with the monolith.
    unknown_prefix: str = ""


@dataclass(frozen=True, slots=True, order=True)
class Table:
    """A database table declared by the codebase (ORM model or Table(...)) or only named in SQL."""

    name: str
    module: str  # module declaring it; "" when it only appears in raw SQL
    model: str = ""  # model class name, "" for Table(...) or raw SQL
    line: int = 0


@dataclass(frozen=True, slots=True, order=True)
class TableAccess:
    """`module` reads or writes `table` at `line`."""

    module: str
    table: str
    mode: AccessMode
    line: int
    via: AccessVia


@dataclass(frozen=True, slots=True, order=True)
class CoChange:
    """Modules `a` < `b` changed together in `count` commits."""

    a: str
    b: str
    count: int


@dataclass(frozen=True, slots=True)
class Codebase:
    """All facts about one analyzed source tree; the input of every later stage."""

    root: str  # absolute path of the analyzed directory
    modules: tuple[Module, ...]
    imports: tuple[ImportEdge, ...] = ()
    externals: tuple[ExternalImport, ...] = ()
    references: tuple[Reference, ...] = ()
    routes: tuple[Route, ...] = ()
    tables: tuple[Table, ...] = ()
    accesses: tuple[TableAccess, ...] = ()
    cochange: tuple[CoChange, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    # Counters about the run: files seen, parsed, cached, skipped, seconds per stage...
    stats: tuple[tuple[str, float], ...] = ()
    _index: dict[str, Module] = field(default_factory=dict, compare=False, repr=False)

    def module(self, name: str) -> Module:
        """The module named `name`; KeyError if the codebase has none."""
        if not self._index:
            self._index.update((m.name, m) for m in self.modules)
        return self._index[name]

    def module_names(self) -> frozenset[str]:
        return frozenset(m.name for m in self.modules)
