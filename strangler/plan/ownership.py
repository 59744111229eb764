"""Data ownership: which tables a service takes with it, which it shares, and what to do about each.

A table gets one owner after the split: its only writer, or (when several services write it) the one
with most write sites, which makes "one writer per table" a prerequisite step of the other writers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from analyzers.model import AccessMode, Codebase
from strangler.plan.extraction_plan import MONOLITH, PlanOptions, Recommendation, TableUse

#: Service → {(module, line)}: where each service reads, or writes, one table.
Places = dict[str, set[tuple[str, int]]]


def _places() -> Places:
    return defaultdict(set)


@dataclass(frozen=True, slots=True)
class TableSites:
    """Where code modules read and write one table, by service."""

    read: Places = field(default_factory=_places)
    write: Places = field(default_factory=_places)

    def of(self, mode: AccessMode) -> Places:
        return self.read if mode == "read" else self.write


@dataclass(frozen=True, slots=True)
class _Spread:
    """How one table is spread over the services, seen from its future owner."""

    writers: tuple[str, ...]
    owner: str
    owner_writes: int  # write sites of the owner
    others: tuple[str, ...]  # services other than the owner that touch it
    foreign_reads: int
    foreign_writes: int


def _sites(codebase: Codebase, owner: Mapping[str, str]) -> dict[str, TableSites]:
    """table -> its read and write sites, over code modules."""
    roles = {m.name: m.role for m in codebase.modules}
    found: dict[str, TableSites] = defaultdict(TableSites)
    for access in codebase.accesses:
        if roles.get(access.module, "code") != "code":
            continue
        service = owner.get(access.module, MONOLITH)
        found[access.table].of(access.mode)[service].add((access.module, access.line))
    return found


def table_uses(codebase: Codebase, owner: Mapping[str, str], options: PlanOptions) -> dict[str, TableUse]:
    """Every accessed table with its readers, writers, future owner and recommendation."""
    declared = {t.name: owner.get(t.module, "") for t in codebase.tables if t.module}
    return {
        table: _table_use(table, sites, declared.get(table), options)
        for table, sites in sorted(_sites(codebase, owner).items())
    }


def _table_use(table: str, sites: TableSites, declared: str | None, options: PlanOptions) -> TableUse:
    """The use of one table; `declared` is the service of the module declaring it, if any."""
    readers = tuple(sorted(sites.read))
    writers = tuple(sorted(sites.write))
    write_counts = {s: len(v) for s, v in sites.write.items()}
    table_owner = _future_owner(readers, write_counts, declared)
    spread = _Spread(
        writers=writers,
        owner=table_owner,
        owner_writes=write_counts.get(table_owner, 0),
        others=tuple(sorted((set(readers) | set(writers)) - {table_owner})),
        foreign_reads=sum(len(v) for s, v in sites.read.items() if s != table_owner),
        foreign_writes=sum(len(v) for s, v in sites.write.items() if s != table_owner),
    )
    recommendation, reason = _recommend(spread, options)
    return TableUse(
        table=table,
        readers=readers,
        writers=writers,
        owner=table_owner,
        recommendation=recommendation,
        reason=reason,
        read_sites=spread.foreign_reads,
        write_sites=spread.foreign_writes,
    )


def _future_owner(readers: tuple[str, ...], write_counts: Mapping[str, int], declared: str | None) -> str:
    """The writer with most write sites (the declaring service breaks a tie), else the only reader."""
    if write_counts:
        return min((-count, s != declared, s) for s, count in write_counts.items())[2]
    if declared is not None and declared in readers:
        return declared
    return readers[0] if len(readers) == 1 else (declared if declared is not None else "")


def _recommend(spread: _Spread, options: PlanOptions) -> tuple[Recommendation, str]:
    owner, others = spread.owner, ", ".join(spread.others)
    if len(spread.writers) > 1:
        return "shared-database", (
            f"written by {len(spread.writers)} parts ({', '.join(spread.writers)}); share the database "
            f"for a phase, then make {owner} (most write sites: {spread.owner_writes}) the only writer "
            f"and move the other {spread.foreign_writes} write site(s) behind its API"
        )
    if not spread.others:
        return "owned", f"only {owner} touches it: it moves to {owner}'s database"
    if spread.foreign_reads > options.read_model_threshold or len(spread.others) > 1:
        return "read-model", (
            f"{owner} writes it; {spread.foreign_reads} read site(s) in {others}: "
            f"publish changes and keep a replicated read model where it is read"
        )
    return "owner-api", (
        f"{owner or 'nobody'} owns it; {spread.foreign_reads} read site(s) in "
        f"{others}: read it through an API of {owner or 'its owner'}"
    )


def tables_of(service: str, uses: Mapping[str, TableUse]) -> tuple[TableUse, ...]:
    """The tables `service` reads or writes, sorted by name."""
    return tuple(
        use for name, use in sorted(uses.items()) if service in use.readers or service in use.writers
    )


def shared(service: str, use: TableUse) -> bool:
    """Whether someone other than `service` touches the table (the shared kernel included)."""
    return bool((set(use.readers) | set(use.writers)) - {service})
