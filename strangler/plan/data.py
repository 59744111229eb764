"""Data ownership: which tables a service takes with it, which it shares, and what to do about each.

A table gets one owner after the split: its only writer, or (when several services write it) the one
with most write sites, which makes "one writer per table" a prerequisite step of the other writers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from analyzers.model import Codebase
from strangler.plan.model import MONOLITH, PlanOptions, Recommendation, TableUse


def _sites(
    codebase: Codebase, owner: Mapping[str, str]
) -> dict[str, dict[str, dict[str, set[tuple[str, int]]]]]:
    """table -> mode -> service -> {(module, line)} over code modules."""
    roles = {m.name: m.role for m in codebase.modules}
    found: dict[str, dict[str, dict[str, set[tuple[str, int]]]]] = defaultdict(
        lambda: {"read": defaultdict(set), "write": defaultdict(set)}
    )
    for access in codebase.accesses:
        if roles.get(access.module, "code") != "code":
            continue
        service = owner.get(access.module, MONOLITH)
        found[access.table][access.mode][service].add((access.module, access.line))
    return found


def table_uses(codebase: Codebase, owner: Mapping[str, str], options: PlanOptions) -> dict[str, TableUse]:
    """Every accessed table with its readers, writers, future owner and recommendation."""
    declared = {t.name: owner.get(t.module, "") for t in codebase.tables if t.module}
    result: dict[str, TableUse] = {}
    for table, modes in sorted(_sites(codebase, owner).items()):
        readers = tuple(sorted(modes["read"]))
        writers = tuple(sorted(modes["write"]))
        write_counts = {s: len(v) for s, v in modes["write"].items()}
        if writers:
            table_owner = min(writers, key=lambda s: (-write_counts[s], s != declared.get(table), s))
        elif declared.get(table) in readers:
            table_owner = declared[table]
        else:
            table_owner = readers[0] if len(readers) == 1 else declared.get(table, "")
        others = sorted((set(readers) | set(writers)) - {table_owner})
        foreign_reads = sum(len(v) for s, v in modes["read"].items() if s != table_owner)
        foreign_writes = sum(len(v) for s, v in modes["write"].items() if s != table_owner)
        recommendation: Recommendation
        if len(writers) > 1:
            recommendation = "shared-database"
            reason = (
                f"written by {len(writers)} parts ({', '.join(writers)}); share the database for a phase, "
                f"then make {table_owner} (most write sites: {write_counts[table_owner]}) the only writer "
                f"and move the other {foreign_writes} write site(s) behind its API"
            )
        elif not others:
            recommendation = "owned"
            reason = f"only {table_owner} touches it: it moves to {table_owner}'s database"
        elif foreign_reads > options.read_model_threshold or len(others) > 1:
            recommendation = "read-model"
            reason = (
                f"{table_owner} writes it; {foreign_reads} read site(s) in {', '.join(others)}: "
                f"publish changes and keep a replicated read model where it is read"
            )
        else:
            recommendation = "owner-api"
            reason = (
                f"{table_owner or 'nobody'} owns it; {foreign_reads} read site(s) in "
                f"{', '.join(others)}: read it through an API of {table_owner or 'its owner'}"
            )
        result[table] = TableUse(
            table=table,
            readers=readers,
            writers=writers,
            owner=table_owner,
            recommendation=recommendation,
            reason=reason,
            read_sites=foreign_reads,
            write_sites=foreign_writes,
        )
    return result


def tables_of(service: str, uses: Mapping[str, TableUse]) -> tuple[TableUse, ...]:
    """The tables `service` reads or writes, sorted by name."""
    return tuple(
        use for name, use in sorted(uses.items()) if service in use.readers or service in use.writers
    )


def shared(service: str, use: TableUse) -> bool:
    """Whether someone other than `service` touches the table (the shared kernel included)."""
    return bool((set(use.readers) | set(use.writers)) - {service})
