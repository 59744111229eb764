"""Respect a good structure: find the package level that already holds the capabilities, start
the proposal from it, and move a module away from its package only when its ties elsewhere clearly
dominate (issue #13).

Everything here reads the code alone (the coupling graph, the tables, the routes); it never reads
a ground truth and never looks for particular package names.

1. The capability cut (`infer`). Over the package tree, a dynamic programme chooses for every
   package whether it stays one group or splits into its own modules plus its sub-packages (each
   cut again), whichever gives the higher modularity on the coupling graph WITHOUT the packages
   signal (the tree is the hypothesis; the other signals are the evidence). A package whose parts
   own nothing (no route served, no table declared) never splits: a family of plugins or helpers
   is one piece. The cut qualifies as the capability level when what the services would own is
   spread over its groups: for routes or declared tables, at least OWNERS_MIN groups own some and
   no group owns more than OWNER_MAX_SHARE of them; or at least CO_OWNERS groups own both routes
   and tables and hold most of each (a few apps of very different sizes). A layered tree
   (`routes/`, `services/`, `db/` with the same domains repeated under each) fails both: one
   package holds every route, another every table. When no cut qualifies, `infer` returns None
   and the proposer runs as before.
2. Departures (`departures`). A module leaves its group only when its ties (again without the
   packages signal) to one other capability group are at least DOMINANCE times its ties to its
   own group, and weigh at least MIN_PULL. Each departure keeps the evidence a person can check:
   the modules of the destination that pulled it with the number of imports and symbol uses,
   the tables it shares with them, and its uses inside its own package.
   A family of small stateless capability packages under one parent, beside other capabilities
   (FAMILY_MIN or more, owning routes and no table, the median under FAMILY_LINES lines: thirty
   notification channels of a hundred lines each, every one serving a route or two) is one
   capability at the parent (`fold_families`): a hundred lines are not worth a service and a
   network hop, and the family shares its parent's protocol.
3. The verdict (`verdict`): when the coupling shows no capability structure, the decomposition
   says so instead of presenting a confident cut (see `verdict` for the criterion).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from itertools import pairwise

import networkx as nx

from analyzers.model import Codebase
from strangler.boundaries.decomposition import Departure, Verdict
from strangler.boundaries.layers import Layer, LayerMove, find_layers, layer_moves
from strangler.boundaries.settings import BoundaryOptions, matches
from strangler.graph.coupling import undirected

__all__ = [
    "Departure",
    "Structure",
    "Verdict",
    "applies",
    "departures",
    "infer",
    "verdict",
]

#: A kind of owned thing (routes, declared tables) is spread when at least this many groups own
#: some of it ...
OWNERS_MIN = 3
#: ... and no group owns more than this share of it.
OWNER_MAX_SHARE = 0.5
#: A kind with fewer items than this says nothing about where capabilities are.
OWNED_MIN_ITEMS = 4
#: Or: at least this many groups own both routes and tables ...
CO_OWNERS = 2
#: ... and together hold more than this share of each (`_co_owned`).
CO_OWNED_SHARE = 0.5
#: A module leaves its package when its ties to another capability weigh this many times its ties
#: to its own package ...
DOMINANCE = 3.0
#: ... and at least this much (a combined edge weight: about two plain imports).
MIN_PULL = 2.0
#: ... from at least this many modules of the other capability.
MIN_PULLERS = 2
#: A module tied to this many other capability packages pulls no module away (`_hubs`).
HUB_GROUPS = 3
#: Module names a package shares with the capability packages to be built like one: at least
#: ALIKE_LEAVES of the names that a third (ALIKE_SHARE) of the capability packages have.
ALIKE_LEAVES = 2
ALIKE_SHARE = 1 / 3
#: Pulling modules named in a departure's reason (the rest are counted).
LISTED_PULLS = 3
#: A family: at least this many capability packages under one parent ...
FAMILY_MIN = 5
#: ... whose median size is under this many lines of code (the development set's smallest median
#: elsewhere is 390; a plugin family's, 107: docs/boundaries.md).
FAMILY_LINES = 200
#: A level whose parts own under this share of the routes and tables is infrastructure beside the
#: capabilities (`infrastructure`; on the development set indico's web and core layers own 2.6 %,
#: oscar's project package 5.6 %, every capability level at least 19 %: docs/boundaries.md).
MINOR_SHARE = 0.1
#: Verdict: the proposal agrees with the package layout no better than this ARI ...
RANDOM_ARI = 0.1
#: ... or this share of the modules sits in one service (or the shared kernel).
ONE_CLUSTER_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class Structure:
    """A package cut that holds the capabilities: `groups` are (label, modules), the label the
    package (`=pkg` for the modules directly in a package whose sub-packages are groups of their
    own); `capabilities` the labels of groups owning routes or tables; `evidence` one line."""

    groups: tuple[tuple[str, tuple[str, ...]], ...]
    capabilities: frozenset[str]
    evidence: str

    def group_of(self) -> dict[str, str]:
        return {m: label for label, members in self.groups for m in members}

    @property
    def packages(self) -> tuple[str, ...]:
        """The capability packages, as a person names them."""
        return tuple(sorted(label.lstrip("=") for label in self.capabilities))


def applies(options: BoundaryOptions) -> bool:
    """Structure is read only when the packages signal is on (the blind setting never sees
    packages) and no pin, `together` or `apart` group is configured (they keep the clustering
    they were written for; `shared` globs still put modules in the kernel)."""
    if options.weight_map().get("packages", 0.0) <= 0.0:
        return False
    return not (options.pins or options.together or options.apart)


def evidence_graph(graph: nx.DiGraph) -> nx.Graph:
    """The undirected coupling graph without the packages signal."""
    weights = dict(graph.graph.get("weights", ()))
    weights["packages"] = 0.0
    return undirected(graph, weights)


def _home(graph: nx.DiGraph, module: str) -> str:
    """The package a module sits in ("" for a top-level plain module: the project's glue)."""
    return str(graph.nodes[module].get("package") or "")


def _ancestors(package: str) -> list[str]:
    if not package:
        return []
    parts = package.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _lca(a: str, b: str) -> str:
    x, y = a.split("."), b.split(".")
    k = 0
    while k < min(len(x), len(y)) and x[k] == y[k]:
        k += 1
    return ".".join(x[:k])


def owned_items(codebase: Codebase, nodes: Collection[str]) -> dict[str, dict[str, int]]:
    """Kind ("routes", "tables") -> module -> how many it owns (serves, declares)."""
    found: dict[str, dict[str, int]] = {"routes": defaultdict(int), "tables": defaultdict(int)}
    for route in codebase.routes:
        if route.module in nodes:
            found["routes"][route.module] += 1
    for table in codebase.tables:
        if table.module in nodes:
            found["tables"][table.module] += 1
    return {k: dict(v) for k, v in found.items()}


class _PackageTree:
    """The package tree of the graph's modules with what the cut's modularity needs: the weight
    inside each package and between its sub-packages, and the volume of its own modules."""

    def __init__(self, homes: Mapping[str, str], flat: nx.Graph, owners: Collection[str]) -> None:
        self.total = float(flat.size(weight="weight"))
        self.children: dict[str, set[str]] = defaultdict(set)
        self.direct: dict[str, list[str]] = defaultdict(list)
        self.direct_vol: dict[str, float] = defaultdict(float)
        self.direct_in: dict[str, float] = defaultdict(float)
        self.lca_in: dict[str, float] = defaultdict(float)
        self.owning: set[str] = {""}  # packages whose subtree owns a route or table
        for n, home in homes.items():
            chain = ["", *_ancestors(home)]
            for parent, child in pairwise(chain):
                self.children[parent].add(child)
            self.direct[home].append(n)
            self.direct_vol[home] += flat.degree(n, weight="weight") if n in flat else 0.0
            if n in owners:
                self.owning.update(chain)
        for u, v, w in flat.edges(data="weight"):
            hu, hv = homes[u], homes[v]
            if hu == hv:
                self.direct_in[hu] += w
            self.lca_in[_lca(hu, hv)] += w

    def modularity(self, inside: float, volume: float) -> float:
        return inside / self.total - (volume / (2 * self.total)) ** 2

    def solve(self, package: str) -> tuple[float, list[tuple[str, list[str]]], float, float]:
        """The better cut of `package`'s subtree, whole or split: (modularity, groups, weight
        inside the subtree, volume of the subtree)."""
        inside = self.lca_in.get(package, 0.0)
        volume = self.direct_vol.get(package, 0.0)
        kids = sorted(self.children.get(package, ()))
        split: list[tuple[str, list[str]]] = []
        score = 0.0
        if self.direct.get(package):
            split.append(("=" + package, sorted(self.direct[package])))
            score += self.modularity(self.direct_in.get(package, 0.0), volume)
        for child in kids:
            c_score, c_groups, c_in, c_vol = self.solve(child)
            inside += c_in
            volume += c_vol
            score += c_score
            split.extend(c_groups)
        if not package:
            return score, split, inside, volume
        whole = self.modularity(inside, volume)
        if not kids or not any(c in self.owning for c in kids) or whole >= score:
            return whole, [(package, sorted(m for _, members in split for m in members))], inside, volume
        return score, split, inside, volume


def infer(codebase: Codebase, graph: nx.DiGraph, evidence: nx.Graph | None = None) -> Structure | None:
    """The package cut holding the capabilities, or None when no cut qualifies (module docstring)."""
    nodes = sorted(graph.nodes)
    if len(nodes) < 4:
        return None
    flat = evidence if evidence is not None else evidence_graph(graph)
    owned = owned_items(codebase, nodes)
    owners = {m for kind in owned.values() for m in kind}
    tree = _PackageTree({n: _home(graph, n) for n in nodes}, flat, owners)
    if tree.total <= 0.0:
        return None
    score, groups, _, _ = tree.solve("")
    groups = fold_families(groups, owned, {m.name: m.loc for m in codebase.modules})
    label = {m: g for g, members in groups for m in members}
    # the modules directly in a top-level package are the project's glue (app factory, settings,
    # root URLs, a models module every package uses), never a capability of their own
    capabilities = {label[m] for m in owners if not is_glue(label[m])}
    spread = _spread(owned, label)
    if not spread or len(capabilities) < 2:
        return None
    evidence_text = (
        f"{len(capabilities)} packages own routes or tables ({'; '.join(spread)}); "
        f"package cut modularity {score:.2f} without the packages signal"
    )
    return Structure(
        groups=tuple((g, tuple(members)) for g, members in groups),
        capabilities=frozenset(capabilities),
        evidence=evidence_text,
    )


def _spread(owned: Mapping[str, Mapping[str, int]], label: Mapping[str, str]) -> list[str]:
    """For each kind of owned thing spread over the groups (OWNERS_MIN, OWNER_MAX_SHARE), one line;
    else one line when the packages owning both kinds hold most of each (`_co_owned`)."""
    spread = _spread_kinds(owned, label)
    return spread or _co_owned(owned, label)


def _co_owned(owned: Mapping[str, Mapping[str, int]], label: Mapping[str, str]) -> list[str]:
    """One line when at least CO_OWNERS groups own both routes and tables (each kind at least
    OWNED_MIN_ITEMS) and together hold more than CO_OWNED_SHARE of each: a few large apps, each
    serving its routes over its own tables, however unevenly sized. A layered tree fails it: the
    package serving the routes declares no table."""
    counts = {kind: Counter[str]() for kind in ("routes", "tables")}
    for kind, counter in counts.items():
        for module, n in owned.get(kind, {}).items():
            counter[label[module]] += n
    routes, tables = counts["routes"], counts["tables"]
    if min(sum(routes.values()), sum(tables.values())) < OWNED_MIN_ITEMS:
        return []
    both = set(routes) & set(tables)
    held = [sum(c[g] for g in both) / sum(c.values()) for c in (routes, tables)]
    if len(both) < CO_OWNERS or min(held) <= CO_OWNED_SHARE:
        return []
    shares = f"{held[0]:.0%} of the routes, {held[1]:.0%} of the tables"
    return [f"{len(both)} packages own both routes and tables ({shares})"]


def _spread_kinds(owned: Mapping[str, Mapping[str, int]], label: Mapping[str, str]) -> list[str]:
    spread: list[str] = []
    for kind, items in sorted(owned.items()):
        counts: Counter[str] = Counter()
        for module, n in items.items():
            counts[label[module]] += n
        amount = sum(counts.values())
        if amount < OWNED_MIN_ITEMS:
            continue
        largest = max(counts.values())
        if len(counts) >= OWNERS_MIN and largest <= OWNER_MAX_SHARE * amount:
            spread.append(f"{amount} {kind} over {len(counts)} packages, at most {largest} in one")
    return spread


def fold_families(
    groups: Sequence[tuple[str, list[str]]], owned: Mapping[str, Mapping[str, int]], loc: Mapping[str, int]
) -> list[tuple[str, list[str]]]:
    """The groups with each family of small capability packages folded into one group labelled by
    their parent, with the parent's own modules (module docstring): at least FAMILY_MIN packages
    under one parent owning routes and no table, their median under FAMILY_LINES lines, and other
    capabilities beside the family (a project made only of small packages is no plugin family)."""
    routes, tables = owned.get("routes", {}), owned.get("tables", {})
    sizes: dict[str, list[int]] = defaultdict(list)
    stateful: set[str] = set()
    capabilities = 0
    for label, members in groups:
        if label.startswith("=") or not any(m in routes or m in tables for m in members):
            continue
        capabilities += 1
        sizes[_level(label)].append(sum(loc.get(m, 0) for m in members))
        if any(m in tables for m in members):
            stateful.add(_level(label))
    families = {
        level
        for level, found in sizes.items()
        if level
        and level not in stateful
        and FAMILY_MIN <= len(found) < capabilities
        and statistics.median(found) < FAMILY_LINES
    }
    if not families:
        return list(groups)
    folded: dict[str, list[str]] = defaultdict(list)
    kept: list[tuple[str, list[str]]] = []
    for label, members in groups:
        family = next((f for f in _ancestors(_level(label)) if f in families), None)
        if family is None:
            kept.append((label, members))
        else:
            folded[family].extend(members)
    return kept + [(family, sorted(members)) for family, members in sorted(folded.items())]


def keep_capabilities(
    structure: Structure, kernel: Mapping[str, str], options: BoundaryOptions
) -> dict[str, str]:
    """The shared kernel without the modules of capability packages (they stay with their
    package: a capability's helpers are its own), unless configured as shared."""
    group = structure.group_of()
    return {
        m: why
        for m, why in kernel.items()
        if group.get(m) not in structure.capabilities
        or (matches(m, options.shared) and not matches(m, options.not_shared))
    }


def _level(label: str) -> str:
    """The package a group sits in: its parent package, or the package itself for `=pkg`."""
    return label[1:] if label.startswith("=") else label.rpartition(".")[0]


def capability_level(structure: Structure) -> frozenset[str]:
    """The groups at the level of the capabilities (siblings of a capability package)."""
    levels = {_level(label) for label in structure.capabilities}
    return frozenset(label for label, _ in structure.groups if _level(label) in levels)


def built_like_capabilities(structure: Structure) -> frozenset[str]:
    """The groups at the capability level built as the capability packages are: at least
    ALIKE_LEAVES of their module names (`views`, `forms`, `apps`...) are among those a third of
    the capability packages have. Such a package is one of the capabilities even when no route or
    table was found in it (routes registered in a way the analysis misses), and is never merged as
    a library; a helper package beside them (`text.slugs`, `text.markup`) is."""
    members = dict(structure.groups)
    leaves = {g: {m.rpartition(".")[2] for m in ms if m != g} for g, ms in members.items()}
    counts: Counter[str] = Counter()
    for label in structure.capabilities:
        counts.update(leaves.get(label, set()))
    common = {leaf for leaf, n in counts.items() if ALIKE_SHARE * len(structure.capabilities) <= n}
    return frozenset(
        label
        for label in capability_level(structure)
        if label in structure.capabilities or len(leaves.get(label, set()) & common) >= ALIKE_LEAVES
    )


def fold_into_level(
    parts: Mapping[str, Collection[str]], level: Collection[str], flat: nx.Graph
) -> dict[str, set[str]]:
    """Each part outside the capability level merged into the level part its modules are tied to
    most (kept when tied to none): used when a service count is asked for, so that the count is
    spent on capabilities, not on helpers."""
    result = {label: set(members) for label, members in parts.items() if label in level}
    if not result:
        return {label: set(members) for label, members in parts.items()}
    where = {m: label for label, members in result.items() for m in members}
    for label, members in sorted(parts.items()):
        if label in level:
            continue
        ties: dict[str, float] = defaultdict(float)
        for module in members:
            if module not in flat:
                continue
            for other, data in flat[module].items():
                if other in where:
                    ties[where[other]] += float(data.get("weight", 0.0))
        if ties:
            result[max(ties, key=lambda g: (ties[g], g))] |= set(members)
        else:
            result[label] = set(members)
    return result


def merge_down(
    parts: dict[str, set[str]],
    target: int,
    flat: nx.Graph,
    owned: Mapping[str, int],
    alike: Collection[str],
) -> dict[str, set[str]]:
    """While there are more parts than `target` (`owned`: module -> routes and tables it owns;
    `alike`: the parts built like the capabilities): a sub-capability rejoins its parent first
    (`_rejoin_parents`); the parts that are no capability (`infrastructure`) join one another
    until one is left (the platform every capability uses, one service, not a service per helper);
    then the smallest part joins the part it is tied to most: first the parts owning no route or
    table, then any. Smallest first: a small capability merged costs the cut less than two large
    ones welded together."""
    owners = frozenset(m for m, n in owned.items() if n > 0)
    _rejoin_parents(parts, target)
    infra = infrastructure(parts, owned, alike)
    _merge_smallest(parts, max(target, len(parts) - len(infra) + 1), flat, infra, infra)
    _join_nearest(parts, max(target, len(parts) - len(infra & parts.keys()) + 1), infra)
    idle = frozenset(g for g, members in parts.items() if not members & owners)
    _merge_smallest(parts, target, flat, idle, None)
    _merge_smallest(parts, target, flat, None, None)
    return parts


def _merge_smallest(
    parts: dict[str, set[str]],
    target: int,
    flat: nx.Graph,
    candidates: Collection[str] | None,
    into: Collection[str] | None,
) -> None:
    """While there are more parts than `target`, the smallest of the `candidates` (None: any) joins
    the part of `into` (None: any) its modules are tied to most; one tied to none stays."""
    stuck: set[str] = set()
    while len(parts) > target:
        pool = [g for g in parts if g not in stuck and (candidates is None or g in candidates)]
        if not pool:
            return
        smallest = min(pool, key=partial(_size_then_label, parts))
        where = {
            m: g
            for g, members in parts.items()
            if g != smallest and (into is None or g in into)
            for m in members
        }
        ties: dict[str, float] = defaultdict(float)
        for module in parts[smallest]:
            for other, data in flat[module].items() if module in flat else ():
                if other in where:
                    ties[where[other]] += float(data.get("weight", 0.0))
        if not ties:
            stuck.add(smallest)
            continue
        # the strongest tie; of equal ties, the last label
        parts[max(sorted(ties, reverse=True), key=ties.__getitem__)] |= parts.pop(smallest)


def _join_nearest(parts: dict[str, set[str]], target: int, infra: Collection[str]) -> None:
    """While there are more parts than `target`, the smallest part of `infra` (one tied to no other:
    `_merge_smallest` left it) joins the part of `infra` nearest in the package tree (the longest
    package prefix shared; of equal, the larger, then the last label)."""
    while len(parts) > target:
        pool = sorted(g for g in parts if g in infra)
        if len(pool) < 2:
            return
        smallest = min(pool, key=partial(_size_then_label, parts))
        nearest = max(
            (g for g in pool if g != smallest), key=partial(_nearness, parts, smallest.lstrip("=").split("."))
        )
        parts[nearest] |= parts.pop(smallest)


def _nearness(parts: Mapping[str, set[str]], path: list[str], label: str) -> tuple[int, int, str]:
    shared = 0
    for mine, theirs in zip(path, label.lstrip("=").split("."), strict=False):
        if mine != theirs:
            break
        shared += 1
    return shared, len(parts[label]), label


def infrastructure(
    parts: Mapping[str, Collection[str]], owned: Mapping[str, int], alike: Collection[str]
) -> frozenset[str]:
    """The parts that are no capability: the helper packages (owning no route or table, and not
    built like the capabilities: `built_like_capabilities`) and the parts of a minor level, a level
    (the package parts sit in) whose parts together own under MINOR_SHARE of the routes and tables
    of all the parts (a web layer serving static assets, a core with a settings table: they own a
    little, beside the capabilities, which own the rest)."""
    items: dict[str, int] = defaultdict(int)
    for label, members in parts.items():
        items[_level(label)] += sum(owned.get(m, 0) for m in members)
    total = sum(items.values())
    minor = {level for level, n in items.items() if n < MINOR_SHARE * total}
    return frozenset(
        label
        for label, members in parts.items()
        if _level(label) in minor or (label not in alike and not any(owned.get(m, 0) for m in members))
    )


def _rejoin_parents(parts: dict[str, set[str]], target: int) -> None:
    """While there are more parts than `target`, the smallest part nested in the package of another
    part that is no glue rejoins it, when fewer than FAMILY_MIN parts are nested there (a capability
    with a sub-capability or two is one capability; a package of many is a level of its own)."""
    while len(parts) > target:
        nested = _nested_parts(parts)
        if not nested:
            return
        smallest = min(nested, key=partial(_size_then_label, parts))
        parts[nested[smallest]] |= parts.pop(smallest)


def _nested_parts(parts: Mapping[str, set[str]]) -> dict[str, str]:
    """Part -> the part it is nested in (the nearest enclosing package that is a part and no glue),
    for the parts whose enclosing part holds fewer than FAMILY_MIN nested parts."""
    parent_of: dict[str, str] = {}
    for label in parts:
        enclosing = [
            key
            for package in _ancestors(label.lstrip("="))[:-1]
            for key in (package, "=" + package)
            if key in parts and not is_glue(key)
        ]
        if enclosing:
            parent_of[label] = enclosing[-1]
    counts = Counter(parent_of.values())
    return {label: parent for label, parent in parent_of.items() if counts[parent] < FAMILY_MIN}


def _size_then_label(parts: Mapping[str, set[str]], label: str) -> tuple[int, str]:
    return len(parts[label]), label


def is_glue(label: str) -> bool:
    """Whether a group is the project's glue: the modules directly in a top-level package, or
    the top-level plain modules."""
    return label.startswith("=") and "." not in label


def package_names(labels: Sequence[str]) -> dict[int, str]:
    """Part index -> its package's last segment as a service name, for the parts whose package
    names them unambiguously (glue and repeated segments are left to strangler.boundaries.naming)."""
    from strangler.boundaries.naming import slug
    from strangler.names import fit_service_name

    wanted = {
        i: fit_service_name(slug(label.lstrip("=").rpartition(".")[2]))
        for i, label in enumerate(labels)
        if label and not is_glue(label)
    }
    counts = Counter(wanted.values())
    return {i: name for i, name in wanted.items() if counts[name] == 1}


def preliminary(structure: Structure) -> dict[str, int]:
    """Module -> group index: the preliminary clustering the shared kernel is judged against."""
    return {m: i for i, (_, members) in enumerate(structure.groups) for m in members}


@dataclass(frozen=True, slots=True)
class _Uses:
    """Imports and symbol uses between module pairs, and the tables each module touches."""

    pair: Counter[tuple[str, str]]
    tables: dict[str, frozenset[str]]

    @classmethod
    def of(cls, codebase: Codebase) -> _Uses:
        pair: Counter[tuple[str, str]] = Counter()
        for edge in codebase.imports:
            if edge.source != edge.target:
                pair[_key(edge.source, edge.target)] += 1
        for ref in codebase.references:
            if ref.source != ref.target:
                pair[_key(ref.source, ref.target)] += 1
        touched: dict[str, set[str]] = defaultdict(set)
        for table in codebase.tables:
            touched[table.module].add(table.name)
        for access in codebase.accesses:
            touched[access.module].add(access.table)
        return cls(pair, {m: frozenset(t) for m, t in touched.items()})

    def between(self, a: str, b: str) -> int:
        return self.pair.get(_key(a, b), 0)


def _key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def departures(
    codebase: Codebase,
    structure: Structure,
    flat: nx.Graph,
    kernel: Collection[str],
) -> tuple[dict[str, str], list[Departure], frozenset[str]]:
    """Module -> new group label for each module whose ties to another capability group clearly
    dominate its ties to its own (module docstring), with the evidence; decided on the groups as
    `infer` cut them (one pass: a departure never pulls another). A module of the project's glue
    (directly in a top-level package, outside the kernel) joins the capability it is tied to most,
    with no departure: it had no capability package to leave. The modules of a technical layer
    (`layers`) join the capability their code is tied to most, whatever their ties to the layer:
    the third item names them."""
    group = structure.group_of()
    hubs = _hubs(structure, flat, group)
    uses: _Uses | None = None
    moves: dict[str, str] = {}
    found: list[Departure] = []
    layered = _layer_moves(codebase, structure, flat, kernel)
    for module in sorted(group):
        home = group[module]
        if module in kernel or module not in flat:
            continue
        if module in layered:
            uses = uses or _Uses.of(codebase)
            moves[module] = layered[module][0].target
            found.append(_layer_departure(module, layered[module], flat, uses, group, kernel))
            continue
        ties: dict[str, float] = defaultdict(float)
        for other, data in flat[module].items():
            if other in kernel or other not in group or (other in hubs and group[other] != home):
                continue
            ties[group[other]] += float(data.get("weight", 0.0))
        mine = ties.pop(home, 0.0)
        targets = {g: w for g, w in ties.items() if g in structure.capabilities}
        if not targets:
            continue
        target = max(targets, key=lambda g: (targets[g], g))
        pull = targets[target]
        if is_glue(home):
            moves[module] = target  # the project's glue has no package to leave: no departure
            continue
        if module in hubs:
            continue  # tied to many capabilities: none of them dominates
        if pull < MIN_PULL or pull < DOMINANCE * mine:
            continue
        pullers = [m for m in flat[module] if group.get(m) == target and m not in kernel and m not in hubs]
        if len(pullers) < MIN_PULLERS:
            continue  # one module (a registry every package plugs into) pulls nothing away
        uses = uses or _Uses.of(codebase)
        pulled = _Pulled.of(module, pullers, [m for m in flat[module] if group.get(m) == home], uses, kernel)
        moves[module] = target
        reason = _reason(
            home.lstrip("="), target.lstrip("="), pulled.pulls, pulled.tables, pulled.home_uses, pull, mine
        )
        found.append(pulled.departure(module, home, reason))
    return moves, found, frozenset(layered)


@dataclass(frozen=True, slots=True)
class _Pulled:
    """The evidence of a departure: the modules that pulled it with their imports/uses, the tables
    it shares with them, its imports/uses inside its own package."""

    pulls: list[tuple[str, int]]
    tables: list[str]
    home_uses: int

    @classmethod
    def of(
        cls, module: str, pullers: Sequence[str], home: Sequence[str], uses: _Uses, kernel: Collection[str]
    ) -> _Pulled:
        pulls = sorted(
            ((m, uses.between(module, m)) for m in pullers if uses.between(module, m)),
            key=lambda item: (-item[1], item[0]),
        )
        mine = uses.tables.get(module, frozenset())
        shared = sorted(mine & frozenset(t for m in pullers for t in uses.tables.get(m, ())))
        return cls(pulls, shared, sum(uses.between(module, m) for m in home if m not in kernel))

    def departure(self, module: str, home: str, reason: str) -> Departure:
        return Departure(
            module=module,
            package=home.lstrip("="),
            service="",
            pulls=tuple(self.pulls),
            tables=tuple(self.tables),
            home_uses=self.home_uses,
            reason=reason,
        )


def _layer_moves(
    codebase: Codebase, structure: Structure, flat: nx.Graph, held: Collection[str]
) -> dict[str, tuple[LayerMove, Layer]]:
    """The modules of the groups that are technical layers (`layers`: a `models` package declaring
    most tables and serving no route), each with the capability group its code is tied to most;
    the kernel (`held`) stays."""
    label_of = {m: g for m, g in structure.group_of().items() if m not in held}
    found = find_layers(codebase, label_of)
    if not found:
        return {}
    by_label = {layer.label: layer for layer in found}
    others = set(label_of.values()) - structure.capabilities
    return {
        move.module: (move, by_label[move.layer]) for move in layer_moves(label_of, flat, found, held, others)
    }


def _layer_departure(
    module: str,
    found: tuple[LayerMove, Layer],
    flat: nx.Graph,
    uses: _Uses,
    group: Mapping[str, str],
    kernel: Collection[str],
) -> Departure:
    """The departure of a layer's module, with the modules that pulled it and the tables they share."""
    move, layer = found
    pullers = [m for m in flat[module] if group.get(m) == move.target]
    pulled = _Pulled.of(
        module, pullers, [m for m in flat[module] if group.get(m) == move.layer], uses, kernel
    )
    reason = move.reason(replace(layer, label=layer.label.lstrip("=")), move.target.lstrip("="))
    return pulled.departure(module, move.layer, reason)


def _hubs(structure: Structure, flat: nx.Graph, group: Mapping[str, str]) -> frozenset[str]:
    """Modules tied to HUB_GROUPS or more other capability packages: a registry or base every
    package plugs into (a `queues` module per package registering with the task manager), whose
    ties say nothing about where one of its users belongs."""
    found = set()
    for module in flat:
        own = group.get(module)
        reached = {group.get(o) for o in flat[module]} & structure.capabilities
        reached.discard(own)
        if len(reached) >= HUB_GROUPS:
            found.add(module)
    return frozenset(found)


def _reason(
    home: str,
    target: str,
    pulls: Sequence[tuple[str, int]],
    tables: Sequence[str],
    home_uses: int,
    pull: float,
    mine: float,
) -> str:
    parts: list[str] = []
    if pulls:
        total = sum(n for _, n in pulls)
        shown = ", ".join(f"{m} ×{n}" for m, n in pulls[:LISTED_PULLS])
        more = f" and {len(pulls) - LISTED_PULLS} more" if len(pulls) > LISTED_PULLS else ""
        modules = f"{len(pulls)} module{'s' if len(pulls) > 1 else ''}"
        parts.append(f"{total} imports/uses with {modules} of {target} ({shown}{more})")
    if tables:
        shown = ", ".join(tables[:LISTED_PULLS]) + (" …" if len(tables) > LISTED_PULLS else "")
        parts.append(f"shares table{'s' if len(tables) > 1 else ''} {shown} with {target}")
    if not parts:
        parts.append(f"tied to {target} by shared vocabulary or co-change")
    ratio = "no tie" if mine <= 0.0 else f"{pull / mine:.1f}× the tie"
    parts.append(f"against {home_uses} imports/uses inside {home} ({ratio} to its own package)")
    return f"moved out of package {home}: " + "; ".join(parts)


def verdict(
    assignment: Mapping[str, str],
    packages: Mapping[str, str],
    structure: Structure | None,
) -> Verdict:
    """Whether the proposal is a cut a person can trust. Yes when a package level holds the
    capabilities (`infer`: the cut follows it). Otherwise not when one service (or the shared
    kernel) holds more than ONE_CLUSTER_SHARE of the modules, nor when the proposal agrees with
    the package layout (strangler.metrics.reference.package_layout) barely better than chance
    (ARI ≤ RANDOM_ARI)."""
    from strangler.metrics import compare

    if not assignment:
        return Verdict(False, "no module to cut")
    if structure is not None:
        return Verdict(True, f"the packages hold the capabilities: {structure.evidence}")
    sizes = Counter(assignment.values())
    largest, count = max(sizes.items(), key=lambda item: (item[1], item[0]))
    share = count / len(assignment)
    if share > ONE_CLUSTER_SHARE:
        return Verdict(
            False,
            f"{count} of {len(assignment)} modules ({share:.0%}) sit in {largest}: the coupling "
            "shows no capability structure to cut along",
        )
    ari = compare(dict(assignment), dict(packages)).get("ari", 0.0)
    if ari <= RANDOM_ARI:
        return Verdict(
            False,
            f"the proposal agrees with the package layout barely above chance (ARI {ari:.2f} ≤ "
            f"{RANDOM_ARI}) and no package level owns the routes and tables: no capability "
            "structure the coupling confirms",
        )
    return Verdict(True, f"clusters of the coupling (ARI {ari:.2f} against the package layout)")
