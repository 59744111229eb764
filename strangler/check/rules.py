"""Every cross-boundary dependency of today's code that the decomposition does not allow.

Rules (docs/check.md):
- a module is in the service the policy names; a code module the policy does not name is put
  where most modules of its package are, else it is reported as `unassigned`;
- the shared kernel may be used by everyone, and what it uses is not checked (it is where the
  composition roots, which wire the services together, live);
- a service may use another one only when it lists it in `depends_on`, and then only what that
  one `exposes` (a module, or module.symbol);
- a table may be read and written only by the service declaring it (its owner);
- a route is served by the service owning the first segment of its path (from the routes the
  decomposition records).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping

from analyzers.model import Codebase, ImportEdge, Reference
from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.check.findings import UNASSIGNED, Finding, FindingKind, Policy
from strangler.check.policy import first_segment


def assign_modules(policy: Policy, codebase: Codebase) -> dict[str, str]:
    """Service of every module of `codebase` the check looks at (UNASSIGNED where unknown)."""
    known = {m: s for m, s in policy.service_of if s}
    votes = _votes_by_package(known)
    result: dict[str, str] = {}
    for module in codebase.modules:
        if module.name in known:
            result[module.name] = known[module.name]
        elif module.role == "code":
            result[module.name] = _by_package(module.name, votes)
    return result


def _votes_by_package(known: Mapping[str, str]) -> dict[str, Counter[str]]:
    """Package → how many of its modules (and the package itself) are in each service."""
    votes: dict[str, Counter[str]] = {}
    for module, service in known.items():
        votes.setdefault(module.rpartition(".")[0], Counter())[service] += 1
        votes.setdefault(module, Counter())[service] += 1
    return votes


def _by_package(module: str, votes: Mapping[str, Counter[str]]) -> str:
    """The service most modules of `module`'s package belong to; UNASSIGNED on a tie or none."""
    parent = module.rpartition(".")[0]
    ranked = votes[parent].most_common(2) if parent and parent in votes else []
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return UNASSIGNED
    return ranked[0][0]


class BoundaryRules:
    """The allowed-edge test of one policy over one assignment."""

    def __init__(self, policy: Policy, services: Mapping[str, str]) -> None:
        self.services = services
        self.depends = dict(policy.depends_on)
        self.exposed = {name: frozenset(items) for name, items in policy.exposes}

    def crossing(self, source: str, target: str) -> tuple[str, str] | None:
        """(source service, target service) when `source` → `target` crosses a checked boundary."""
        ours, theirs = self.services.get(source), self.services.get(target)
        if ours is None or theirs is None or ours == theirs:
            return None
        if SHARED_KERNEL in (ours, theirs) or UNASSIGNED in (ours, theirs):
            return None
        return ours, theirs

    def allowed(self, pair: tuple[str, str], target: str, symbols: tuple[str, ...]) -> bool:
        """Whether service pair[0] may use `symbols` of module `target` of service pair[1]
        (no symbol: the module itself, allowed when it or any of its symbols is exposed)."""
        if pair[1] not in self.depends.get(pair[0], ()):
            return False
        exposed = self.exposed.get(pair[1], frozenset())
        if target in exposed:
            return True
        if not symbols:
            return any(item.startswith(target + ".") for item in exposed)
        return all(f"{target}.{symbol}" in exposed for symbol in symbols)


def find_violations(policy: Policy, codebase: Codebase) -> tuple[Finding, ...]:
    """Every dependency of `codebase` that `policy` does not allow, sorted by file and line."""
    services = assign_modules(policy, codebase)
    rules = BoundaryRules(policy, services)
    paths = {m.name: m.path for m in codebase.modules}
    findings = {
        *_unassigned(services, paths),
        *_imports(codebase.imports, rules, paths),
        *_references(codebase.references, rules, paths),
        *_tables(codebase, services, paths),
        *_routes(codebase, policy, services, paths),
    }
    return tuple(sorted(findings, key=Finding.order))


def _unassigned(services: Mapping[str, str], paths: Mapping[str, str]) -> Iterator[Finding]:
    for module, service in services.items():
        if service == UNASSIGNED:
            yield Finding(paths[module], 1, FindingKind.UNASSIGNED, module, "", "", "", UNASSIGNED, "")


def _imports(
    edges: tuple[ImportEdge, ...], rules: BoundaryRules, paths: Mapping[str, str]
) -> Iterator[Finding]:
    for edge in edges:
        pair = rules.crossing(edge.source, edge.target)
        names = tuple(sorted(edge.names))
        if pair is None or rules.allowed(pair, edge.target, names):
            continue
        yield Finding(
            paths[edge.source], edge.line, FindingKind.IMPORT, edge.source, "",
            edge.target, ",".join(names), pair[0], pair[1],
        )  # fmt: skip


def _references(
    refs: tuple[Reference, ...], rules: BoundaryRules, paths: Mapping[str, str]
) -> Iterator[Finding]:
    for ref in refs:
        pair = rules.crossing(ref.source, ref.target)
        symbols = (ref.symbol,) if ref.symbol else ()
        if pair is None or rules.allowed(pair, ref.target, symbols):
            continue
        yield Finding(
            paths[ref.source], ref.line, FindingKind(ref.kind), ref.source, ref.caller,
            ref.target, ref.symbol, pair[0], pair[1],
        )  # fmt: skip


def _table_owners(codebase: Codebase, services: Mapping[str, str]) -> dict[str, frozenset[str]]:
    """Table → the services declaring it (the kernel and unplaced modules own nothing)."""
    owners: dict[str, set[str]] = {}
    for table in codebase.tables:
        service = services.get(table.module)
        if service is not None and service not in (SHARED_KERNEL, UNASSIGNED):
            owners.setdefault(table.name, set()).add(service)
    return {name: frozenset(s) for name, s in owners.items()}


def _tables(codebase: Codebase, services: Mapping[str, str], paths: Mapping[str, str]) -> Iterator[Finding]:
    owners = _table_owners(codebase, services)
    for access in codebase.accesses:
        ours = services.get(access.module)
        owned_by = owners.get(access.table, frozenset())
        if ours in (None, SHARED_KERNEL, UNASSIGNED) or not owned_by or ours in owned_by:
            continue
        kind = FindingKind.TABLE_WRITE if access.mode == "write" else FindingKind.TABLE_READ
        yield Finding(
            paths[access.module], access.line, kind, access.module, "",
            access.table, "", str(ours), ",".join(sorted(owned_by)),
        )  # fmt: skip


def _routes(
    codebase: Codebase, policy: Policy, services: Mapping[str, str], paths: Mapping[str, str]
) -> Iterator[Finding]:
    owners = dict(policy.route_owners)
    for route in codebase.routes:
        owner = owners.get(first_segment(route.path)) if not route.unknown_prefix else None
        ours = services.get(route.module)
        if owner is None or ours in (None, SHARED_KERNEL, UNASSIGNED, owner):
            continue
        yield Finding(
            paths[route.module], route.line, FindingKind.ROUTE, route.module,
            route.handler.rpartition(".")[2], route.path, ",".join(route.methods), str(ours), owner,
        )  # fmt: skip
