"""Hazards at a boundary: what works in one process and breaks, or silently changes meaning, over a network.

Each check reads only facts the analyzers record (annotations as source text, `is_generator`,
`mutable`, decorators, table accesses), so a hazard always points at a file and line to look at.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from analyzers.model import Codebase, Symbol
from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.plan.extraction_plan import MONOLITH, Hazard, HazardKind, InterfaceOperation
from strangler.plan.interface import symbol_of

_CALLABLE = re.compile(r"\b(Callable|Awaitable|Coroutine)\b")
_GENERATOR = re.compile(r"\b(Iterator|Generator|AsyncIterator|AsyncGenerator|Iterable)\b")
_FILE = re.compile(r"\b(IO|TextIO|BinaryIO|IOBase|TextIOWrapper|BufferedReader|BufferedWriter)\b")
_SESSION_TYPE = re.compile(r"\b(Session|AsyncSession|Connection|Cursor|scoped_session|Transaction)\b")
_SESSION_NAME = re.compile(
    r"(?:^|[,(]\s*|\*\s*)(session|db|db_session|conn|connection|cursor|tx|transaction)\s*[:=,)]|"
    r"(?:^|,\s*)(session|db|db_session|conn|connection|cursor|tx|transaction)$"
)
_CALLBACK_NAME = re.compile(
    r"(?:^|,\s*)(callback|on_\w+|handler|fn|func|hook)\s*[:=,]|(?:^|,\s*)(callback|handler)$"
)
_FILE_NAME = re.compile(
    r"(?:^|,\s*)(fp|fh|file|stream|fileobj)\s*[:=,]|(?:^|,\s*)(fp|fh|file|stream|fileobj)$"
)
_EVENT_MODULE = re.compile(r"(^|\.)(events?|signals?|hooks|bus|dispatch(er)?|receivers?)$")
_EVENT_DECORATOR = re.compile(
    r"\.(connect|subscribe|listen|on|receiver)\b|^(receiver|subscribe|listens_for|on_event)\b"
)
_MODEL_BASES = re.compile(r"(^|\.)(Model|Base|DeclarativeBase|SQLModel|Document)$")


def model_classes(codebase: Codebase) -> frozenset[str]:
    """Class names that are ORM models: those declaring a table, or deriving from a model base."""
    names = {t.model for t in codebase.tables if t.model}
    for module in codebase.modules:
        for symbol in module.symbols:
            if symbol.kind == "class" and any(_MODEL_BASES.search(b) for b in symbol.bases):
                names.add(symbol.name)
    return frozenset(names)


def _mentions(text: str, names: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(n for n in names if re.search(rf"\b{re.escape(n)}\b", text)))


@dataclass(frozen=True, slots=True)
class _Definition:
    """Where the hazards of one operation point: its definition, and the call sites that use it."""

    symbol: str
    path: str
    line: int
    where: str  # "N call site(s), e.g. path:line"

    def hazard(self, kind: HazardKind, detail: str, advice: str) -> Hazard:
        return Hazard(kind, self.symbol, self.path, self.line, f"{detail} ({self.where})", advice)


def _signature_hazards(
    op: InterfaceOperation, symbol: Symbol, models: frozenset[str], path: str
) -> list[Hazard]:
    first = op.call_sites[0]
    where = f"{len(op.call_sites)} call site(s), e.g. {first.path}:{first.line}"
    at = _Definition(op.symbol, path, symbol.line, where)
    return [
        *_orm_hazards(at, symbol, models),
        *_behaviour_hazards(at, symbol),
        *_resource_hazards(at, symbol),
    ]


def _orm_hazards(at: _Definition, symbol: Symbol, models: frozenset[str]) -> list[Hazard]:
    found = []
    for side, text in (("takes", symbol.params), ("returns", symbol.returns)):
        named = _mentions(text, models)
        if named:
            found.append(
                at.hazard(
                    "orm-instance",
                    f"{at.symbol} {side} ORM instance(s) {', '.join(named)}",
                    "pass identifiers and plain data (a schema/DTO) instead; "
                    "the other side re-reads what it needs",
                )
            )
    return found


def _behaviour_hazards(at: _Definition, symbol: Symbol) -> list[Hazard]:
    """Callables and lazy iterators: behaviour, not data, crossing the cut."""
    params, returns = symbol.params, symbol.returns
    found = []
    if _CALLABLE.search(params) or _CALLBACK_NAME.search(params):
        found.append(
            at.hazard(
                "callable",
                f"{at.symbol} takes a callable",
                "replace the callback with a named operation or an event the caller subscribes to",
            )
        )
    if _CALLABLE.search(returns):
        found.append(at.hazard("callable", f"{at.symbol} returns a callable", "return data, not behaviour"))
    if symbol.is_generator or _GENERATOR.search(returns):
        found.append(
            at.hazard(
                "generator",
                f"{at.symbol} yields results lazily",
                "return a page (limit/cursor) or stream explicitly; a lazy iterator cannot cross the network",
            )
        )
    return found


def _resource_hazards(at: _Definition, symbol: Symbol) -> list[Hazard]:
    """Open files and database sessions: resources of one process passed to another."""
    params, returns = symbol.params, symbol.returns
    found = []
    if _FILE.search(params) or _FILE.search(returns) or _FILE_NAME.search(params):
        found.append(
            at.hazard(
                "open-file",
                f"{at.symbol} passes an open file",
                "send the bytes (or an object-store URL) instead of a file handle",
            )
        )
    if _SESSION_TYPE.search(params) or _SESSION_NAME.search(params):
        found.append(
            at.hazard(
                "transaction",
                f"{at.symbol} takes the caller's database session or connection",
                "the callee cannot join the caller's transaction over HTTP: give it its own unit of work, "
                "and make the pair idempotent or a saga with a compensating step",
            )
        )
    return found


def operation_hazards(
    codebase: Codebase, ops: Iterable[InterfaceOperation], models: frozenset[str]
) -> list[Hazard]:
    """Hazards in the signatures and kinds of the operations used across the cut."""
    paths = {m.name: m.path for m in codebase.modules}
    found: list[Hazard] = []
    for op in ops:
        symbol = symbol_of(codebase, op.symbol)
        if symbol is None:
            continue
        path = paths.get(op.symbol.rpartition(".")[0], "")
        if symbol.kind == "function":
            found.extend(_signature_hazards(op, symbol, models, path))
        elif symbol.kind in ("variable", "constant") and symbol.mutable:
            first = op.call_sites[0]
            found.append(
                Hazard(
                    "mutable-state",
                    op.symbol,
                    path,
                    symbol.line,
                    f"module-level mutable {op.symbol} is used from {', '.join(op.callers)} "
                    f"({len(op.call_sites)} site(s), e.g. {first.path}:{first.line})",
                    "after the cut each process has its own copy: move the state into the owner's "
                    "database or cache and read it through the owner's API",
                )
            )
    return found


def shared_write_hazards(
    codebase: Codebase, owner: Mapping[str, str], ops: Iterable[InterfaceOperation]
) -> list[Hazard]:
    """Operations whose caller and callee modules both write a table: one transaction becomes two."""
    writes: dict[str, set[str]] = defaultdict(set)
    for access in codebase.accesses:
        if access.mode == "write":
            writes[access.module].add(access.table)
    paths = {m.name: m.path for m in codebase.modules}
    found: list[Hazard] = []
    for op in ops:
        callee_module = op.symbol.rpartition(".")[0]
        callee_tables = writes.get(callee_module, set()) | writes.get(op.symbol, set())
        for site in op.call_sites:
            caller_module = site.caller.rpartition(".")[0]
            both = sorted(callee_tables & writes.get(caller_module, set()))
            if both:
                found.append(
                    Hazard(
                        "transaction",
                        op.symbol,
                        paths.get(caller_module, site.path),
                        site.line,
                        f"{site.caller} and {op.symbol} both write {', '.join(both)}: one transaction "
                        "today, two after the cut",
                        "decide which side owns the write; use an outbox or a saga so a failure "
                        "between the two commits cannot leave the data half-updated",
                    )
                )
                break
    return found


#: A signal's dotted name, and a side using it → where it first does (path, line).
_SignalUses = tuple[dict[str, set[str]], dict[tuple[str, str], tuple[str, int]]]


def signal_hazards(codebase: Codebase, owner: Mapping[str, str], service: str) -> list[Hazard]:
    """In-process signals and events whose publishers and receivers end up on different sides."""
    return [
        *_shared_signal_hazards(_signal_uses(codebase, owner), service),
        *_receiver_hazards(codebase, owner, service),
    ]


def _signal_uses(codebase: Codebase, owner: Mapping[str, str]) -> _SignalUses:
    """Every signal or event used by code, with the sides (kernel excluded) that use it."""
    users: dict[str, set[str]] = defaultdict(set)
    lines: dict[tuple[str, str], tuple[str, int]] = {}
    paths = {m.name: m.path for m in codebase.modules}
    roles = {m.name: m.role for m in codebase.modules}
    for ref in codebase.references:
        if roles.get(ref.source) != "code" or not ref.symbol:
            continue
        if not (_EVENT_MODULE.search(ref.target) or "signal" in ref.symbol.lower()):
            continue
        side = owner.get(ref.source, MONOLITH)
        if side == SHARED_KERNEL:
            continue
        name = f"{ref.target}.{ref.symbol}"
        users[name].add(side)
        lines.setdefault((name, side), (paths[ref.source], ref.line))
    return users, lines


def _shared_signal_hazards(uses: _SignalUses, service: str) -> list[Hazard]:
    users, lines = uses
    found: list[Hazard] = []
    for name, sides in sorted(users.items()):
        if service in sides and len(sides) > 1:
            path, line = lines[(name, service)]
            others = ", ".join(sorted(sides - {service}))
            found.append(
                Hazard(
                    "signal",
                    name,
                    path,
                    line,
                    f"in-process signal/event {name} is used by {service} and by {others}",
                    "receivers run inside the publisher's process and transaction today: replace the "
                    "signal with a message on a broker (outbox pattern) before the cut",
                )
            )
    return found


def _receiver_hazards(codebase: Codebase, owner: Mapping[str, str], service: str) -> list[Hazard]:
    """Functions of `service` registered as receivers by a decorator."""
    found: list[Hazard] = []
    for module in codebase.modules:
        if owner.get(module.name) != service or module.role != "code":
            continue
        for symbol in module.symbols:
            hooks = [d for d in symbol.decorators if _EVENT_DECORATOR.search(d)]
            if hooks:
                found.append(
                    Hazard(
                        "signal",
                        f"{module.name}.{symbol.name}",
                        module.path,
                        symbol.line,
                        f"{module.name}.{symbol.name} is registered as a receiver ({', '.join(hooks)})",
                        "after the cut it no longer hears events published in the monolith: subscribe "
                        "it to a broker topic instead",
                    )
                )
    return found
