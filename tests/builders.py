"""Builders of the values the tests need: facts (`Codebase` and its parts), cuts (`Decomposition`),
files on disk (`write_tree`) and loopback ports (`free_port`).

A test describes a codebase in a few lines and gets the frozen facts the analyzers would produce,
so each stage is tested without parsing. Every collection of `codebase` takes the model's values or
plain tuples whose layout is the positional parameters of the matching builder below:

    imports      (source, target[, line])                   edge()
    references   (source, target, symbol[, kind[, line]])   reference()
    routes       (path, module[, methods])                  route()   methods: "GET" or "GET,POST"
    tables       (name, module[, model])                    table()
    accesses     (module, table, mode)                      access()
    cochange     (a, b, count)

An import, reference or route given as a tuple is at line position + 1 (repeated tuples stay
distinct facts); a route tuple's handler is `<module>.view<position>`.
"""

from __future__ import annotations

import io
import socket
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, cast

from analyzers.model import (
    AccessMode,
    AccessVia,
    CoChange,
    Codebase,
    ExternalImport,
    Framework,
    ImportEdge,
    Module,
    ModuleRole,
    Reference,
    ReferenceKind,
    Route,
    Symbol,
    Table,
    TableAccess,
)
from strangler.boundaries.decomposition import SHARED_KERNEL, Assignment, Decomposition, Service

if TYPE_CHECKING:
    from typing_extensions import Unpack

ImportSpec = ImportEdge | tuple[str, str] | tuple[str, str, int]
ReferenceSpec = Reference | tuple[str, str, str] | tuple[str, str, str, str] | tuple[str, str, str, str, int]
RouteSpec = Route | tuple[str, str] | tuple[str, str, str]
TableSpec = Table | tuple[str, str] | tuple[str, str, str]
AccessSpec = TableAccess | tuple[str, str, str]
CoChangeSpec = CoChange | tuple[str, str, int]
ModulesSpec = Mapping[str, int] | Iterable[str | Module]

# -- facts ------------------------------------------------------------------------------------------


def module(
    name: str,
    loc: int = 10,
    *,
    symbols: Iterable[Symbol] = (),
    role: str = "code",
    package: bool = False,
    terms: Mapping[str, int] | None = None,
) -> Module:
    """A module at the path its dotted name gives (`a/b.py`, or `a/b/__init__.py` for a package)."""
    return Module(
        name=name,
        path=name.replace(".", "/") + ("/__init__.py" if package else ".py"),
        loc=loc,
        is_package=package,
        role=cast(ModuleRole, role),
        symbols=tuple(symbols),
        terms=tuple(sorted((terms or {}).items())),
    )


def edge(source: str, target: str, line: int = 1) -> ImportEdge:
    return ImportEdge(source, target, line)


def reference(
    source: str, target: str, symbol: str, kind: str = "call", line: int = 1, *, caller: str = "f"
) -> Reference:
    """`source` uses `symbol` of `target` (a call from function `f` unless told)."""
    return Reference(source, line, target, symbol, cast(ReferenceKind, kind), caller)


def route(
    path: str,
    module: str,
    methods: str = "GET",
    *,
    handler: str = "",
    line: int = 1,
    framework: str = "flask",
    regex: bool = False,
) -> Route:
    """A route of `module` (handler `<module>.view` unless told); `methods` comma-separated."""
    return Route(
        path,
        tuple(methods.split(",")) if methods else (),
        handler or f"{module}.view",
        module,
        line,
        cast(Framework, framework),
        is_regex=regex,
    )


def table(name: str, module: str, model: str = "", line: int = 0) -> Table:
    return Table(name, module, model, line)


def access(module: str, table: str, mode: str, line: int = 1, via: str = "orm") -> TableAccess:
    return TableAccess(module, table, cast(AccessMode, mode), line, cast(AccessVia, via))


def _modules(modules: ModulesSpec, facts: Facts) -> list[Module]:
    sized: Iterable[str | Module | tuple[str, int]]
    sized = modules.items() if isinstance(modules, Mapping) else modules
    built = []
    for item in sized:
        if isinstance(item, Module):
            built.append(item)
            continue
        name, loc = item if isinstance(item, tuple) else (item, 10)
        role, terms = facts.roles.get(name, "code"), facts.terms.get(name)
        built.append(module(name, loc, package=name in facts.packages, role=role, terms=terms))
    return built


def _edge(spec: ImportSpec, index: int) -> ImportEdge:
    if isinstance(spec, ImportEdge):
        return spec
    return edge(spec[0], spec[1], spec[2] if len(spec) > 2 else index + 1)


def _reference(spec: ReferenceSpec, index: int) -> Reference:
    if isinstance(spec, Reference):
        return spec
    kind = spec[3] if len(spec) > 3 else "call"
    return reference(spec[0], spec[1], spec[2], kind, spec[4] if len(spec) > 4 else index + 1)


def _route(spec: RouteSpec, index: int) -> Route:
    if isinstance(spec, Route):
        return spec
    path, owner = spec[0], spec[1]
    methods = spec[2] if len(spec) > 2 else "GET"
    return route(path, owner, methods, handler=f"{owner}.view{index}", line=index + 1)


def _table(spec: TableSpec) -> Table:
    return spec if isinstance(spec, Table) else table(*spec)


def _access(spec: AccessSpec) -> TableAccess:
    return spec if isinstance(spec, TableAccess) else access(*spec)


def _cochange(spec: CoChangeSpec) -> CoChange:
    if isinstance(spec, CoChange):
        return spec
    a, b, count = spec
    return CoChange(min(a, b), max(a, b), count)


class FactsArgs(TypedDict, total=False):
    """The keyword arguments of `codebase` (the module docstring gives the tuple layouts)."""

    imports: Iterable[ImportSpec]
    references: Iterable[ReferenceSpec]
    routes: Iterable[RouteSpec]
    tables: Iterable[TableSpec]
    accesses: Iterable[AccessSpec]
    cochange: Iterable[CoChangeSpec]
    externals: Iterable[ExternalImport]
    root: str  # "/synthetic" unless given
    packages: Iterable[str]  # modules that are packages (path `<name>/__init__.py`)
    roles: Mapping[str, str]  # module -> ModuleRole, "code" unless given
    terms: Mapping[str, Mapping[str, int]]  # module -> term -> count


@dataclass(frozen=True, slots=True)
class Facts:
    """FactsArgs with their defaults."""

    imports: Iterable[ImportSpec] = ()
    references: Iterable[ReferenceSpec] = ()
    routes: Iterable[RouteSpec] = ()
    tables: Iterable[TableSpec] = ()
    accesses: Iterable[AccessSpec] = ()
    cochange: Iterable[CoChangeSpec] = ()
    externals: Iterable[ExternalImport] = ()
    root: str = "/synthetic"
    packages: Iterable[str] = ()
    roles: Mapping[str, str] = field(default_factory=dict)
    terms: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


def codebase(modules: ModulesSpec, **facts: Unpack[FactsArgs]) -> Codebase:
    """A Codebase: `modules` are names (10 lines each), name -> lines, or Module values; the
    keyword collections take values or tuples laid out as the module docstring says. Every
    collection is sorted, as the analyzers sort theirs."""
    given = Facts(**facts)
    return Codebase(
        root=given.root,
        modules=tuple(sorted(_modules(modules, given))),
        imports=tuple(sorted(_edge(s, i) for i, s in enumerate(given.imports))),
        references=tuple(sorted(_reference(s, i) for i, s in enumerate(given.references))),
        routes=tuple(sorted(_route(s, i) for i, s in enumerate(given.routes))),
        tables=tuple(sorted(_table(s) for s in given.tables)),
        accesses=tuple(sorted(_access(s) for s in given.accesses)),
        cochange=tuple(sorted(_cochange(s) for s in given.cochange)),
        externals=tuple(sorted(given.externals)),
    )


# -- cuts -------------------------------------------------------------------------------------------


def decomposition(
    services: Mapping[str, Iterable[str]],
    kernel: Iterable[str] = (),
    *,
    reasons: Mapping[str, str] | None = None,
    metrics: Mapping[str, float] | None = None,
    extra: Mapping[str, Mapping[str, object]] | None = None,
) -> Decomposition:
    """services: name -> modules; `kernel` the shared kernel; `reasons` per module ("reason for
    <module>" unless given); `extra` further Service fields per service name."""
    given = reasons or {}
    built = tuple(
        sorted(
            Service(name=name, modules=tuple(sorted(mods)), **dict((extra or {}).get(name, {})))  # type: ignore[arg-type]
            for name, mods in services.items()
        )
    )
    shared = tuple(sorted(kernel))
    owner = {m: s.name for s in built for m in s.modules} | dict.fromkeys(shared, SHARED_KERNEL)
    assignments = tuple(
        Assignment(m, svc, given.get(m, f"reason for {m}")) for m, svc in sorted(owner.items())
    )
    return Decomposition(
        services=built,
        shared_kernel=shared,
        assignments=assignments,
        metrics=tuple(sorted((metrics or {}).items())),
    )


def decomposition_by_owner(
    codebase: Codebase, owner: Callable[[str], str], services: Sequence[str], reason: str = "fixture"
) -> Decomposition:
    """Every module of `codebase` to `owner(name)` (a name of `services`, or SHARED_KERNEL)."""
    assignments = tuple(Assignment(m.name, owner(m.name), reason) for m in sorted(codebase.modules))
    built = tuple(
        Service(name, tuple(sorted(a.module for a in assignments if a.service == name))) for name in services
    )
    kernel = tuple(sorted(a.module for a in assignments if a.service == SHARED_KERNEL))
    return Decomposition(services=built, shared_kernel=kernel, assignments=assignments)


# -- files and ports --------------------------------------------------------------------------------


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    """Write `files` (relative POSIX path -> text, UTF-8) under `root`, making directories; returns `root`."""
    for relpath, text in files.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(text, encoding="utf-8")
    return root


_HANDED_OUT: set[int] = set()


def free_port() -> int:
    """A free local port never handed out before in this test run.

    The kernel may give the same ephemeral port to two `bind(0)` calls once the first socket is
    closed; two servers of one test then race for it and the loser's requests reach the winner.
    """
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in _HANDED_OUT:
            _HANDED_OUT.add(port)
            return port


class Terminal(io.StringIO):
    """A text stream that says it is a terminal (what `strangler.progress` draws on)."""

    def isatty(self) -> bool:
        return True
