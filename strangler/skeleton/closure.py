"""Which code a service skeleton holds: the closure of its moved code, cut where it would hold most.

A service holds its moved modules and, vendored (copied read-only), the modules that code needs in
process, transitively: the shared kernel it reaches, and every module it uses more than functions of
(a class, a constant, a star import, a module imported for its side effects), plus the modules
declaring the tables its ORM models name. Everything else it uses is a function called over the
network through the generated client.

Two rules keep that closure to what the service needs:
- **Subscribers wait for their signal.** A module imported only for its side effects whose side
  effect is connecting receivers to signals of the codebase (`@events.order_paid.connect`) joins the
  closure only when code of the closure sends one of those signals. A receiver of a signal from
  outside the codebase (Django's `post_save`) or one that is not resolved keeps its module in.
- **God modules are cut.** A module whose own closure holds more than a share of the lines of the
  monolith's code (`SkeletonOptions.god_share`, a quarter by default) is not vendored: it stays in
  the monolith and is reached through the client like a function would be. Its functions are
  called remotely; its classes and constants become stand-ins that raise `MonolithOnly` when used.
  The skeleton says so as a hazard naming the module and the modules of the closure that import it.
  Moved modules are never cut, nor the app factory, nor a module imported with `*` (its names are
  not known).

Sizes are module closures over the "needs in process" edges of the whole codebase, computed once
per run (strongly connected components, bit masks of what each module reaches), so every service's
cut is decided from the same numbers, whatever order the walk meets the modules in. The share is
of the code's lines: tests and migrations are left out of the measure (a test suite imports
everything and is often larger than the code; counted, it would lift the bar above what any module
of the code can pull in, and no god module would ever be cut).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from analyzers.model import Codebase
from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.skeleton.sources import ImportUse, ModuleText

#: Default share of the monolith's lines above which a module's own closure makes it a god module.
GOD_SHARE = 0.25

#: How one module uses another: a function call over the network, code needed in process, or a
#: side-effect import of a module that only connects receivers to signals.
REMOTE, VENDOR, SUBSCRIBE = "remote", "vendor", "subscribe"


@dataclass(frozen=True, slots=True)
class Use:
    """What one module uses of another module of the codebase, through one import."""

    target: str
    names: frozenset[str]  # symbols of `target` it uses (empty: none known)
    bound: str  # the name the import binds
    module_object: bool  # the module itself is bound (`from pkg import mod`, `import mod`)
    star: bool
    kind: str  # REMOTE, VENDOR or SUBSCRIBE


@dataclass(frozen=True, slots=True)
class Cut:
    """A god module the closure stops at: it stays in the monolith, behind the client."""

    module: str
    lines: int  # lines of its own closure, outside the service
    total: int  # lines of the monolith's code
    reached_from: tuple[str, ...]  # modules of the service's closure that import it

    @property
    def percent(self) -> int:
        return round(100 * self.lines / self.total) if self.total else 0

    def hazard(self) -> str:
        """One line for the README, the stats file and the plan."""
        return (
            f"god module {self.module} would pull in {self.lines} lines ({self.percent}% of the"
            f" monolith's code), imported by {', '.join(self.reached_from)}: cut there, it stays in the"
            " monolith; its functions are called remotely and its classes and constants are"
            " stand-ins that raise MonolithOnly when used"
        )


@dataclass(frozen=True, slots=True)
class ModuleGraph:
    """What every service's closure is computed from, built once per run."""

    uses: Mapping[str, tuple[Use, ...]]
    orm: Mapping[str, tuple[str, ...]]  # modules declaring the tables and models its models name
    models: frozenset[str]  # modules declaring tables (ORM models), migrations left out
    lines: Mapping[str, int]
    index: Mapping[str, int]  # module -> its bit in the masks
    reach: Mapping[str, int]  # module -> mask of its own closure (itself included)
    weights: tuple[int, ...]  # lines of the module of each bit
    total: int  # lines of the code's modules (every module's when none is code): see the docstring
    # empty package `__init__` modules the decomposition leaves out -> the service they move with
    # (layout.package_markers)
    markers: Mapping[str, str] = field(default_factory=dict)

    def mask(self, modules: Iterable[str]) -> int:
        found = 0
        for module in modules:
            if module in self.index:
                found |= 1 << self.index[module]
        return found

    def pull(self, module: str, without: int) -> int:
        """Lines of `module`'s own closure outside the modules of mask `without`."""
        rest, total = self.reach.get(module, 0) & ~without, 0
        while rest:
            low = rest & -rest
            total += self.weights[low.bit_length() - 1]
            rest ^= low
        return total


@dataclass(frozen=True, slots=True)
class Closure:
    """One service's closure: what it vendors, cuts, leaves out and calls remotely."""

    vendored: tuple[str, ...]
    orm_modules: tuple[str, ...]  # vendored only so the ORM can map: the web app imports them
    remote: tuple[tuple[str, str], ...]  # (module, function) called over the network
    stand_ins: tuple[tuple[str, str], ...]  # (cut module, class or constant) used by the closure
    namespaces: tuple[str, ...]  # modules outside the closure bound as module objects
    cuts: tuple[Cut, ...]
    left_out: tuple[str, ...]  # subscriber modules whose signals the closure never sends
    # (cut module, `name` or `name.attribute`) the closure decorates with: what it decorates fails
    # closed (the decorator cannot run here, and is never skipped)
    decorators: tuple[tuple[str, str], ...] = ()


def module_attribute_uses(codebase: Codebase) -> dict[tuple[str, str], set[str]]:
    """(source, target) -> symbols of target that source uses, from the analyzers' references."""
    uses: dict[tuple[str, str], set[str]] = {}
    for ref in codebase.references:
        if ref.symbol:
            uses.setdefault((ref.source, ref.target), set()).add(ref.symbol)
    return uses


def orm_dependencies(codebase: Codebase, texts: Mapping[str, ModuleText]) -> dict[str, tuple[str, ...]]:
    """Module -> modules declaring the tables and model classes its models refer to by name: the
    ORM needs them to map (foreign keys, relationships) even if no code imports them."""
    code = code_modules(codebase)  # (migrations declare tables too)
    declared = [t for t in codebase.tables if t.module in code]
    by_table = {t.name: t.module for t in declared}
    by_model = {t.model: t.module for t in declared if t.model}
    found: dict[str, tuple[str, ...]] = {}
    for name, text in texts.items():
        targets = {by_table[n] for n in text.foreign_tables if n in by_table}
        targets |= {by_model[n] for n in text.related_models if n in by_model}
        targets &= set(texts)
        if targets - {name}:
            found[name] = tuple(sorted(targets - {name}))
    return found


def _kind(
    use: ImportUse, names: frozenset[str], eager: frozenset[str], target: ModuleText, remote_ok: bool
) -> str:
    """How `use` of module `target` needs it, `names` being what it uses of it and `eager` what of
    those it needs at hand (decorators, calls while it is imported)."""
    star = use.star
    functions = {n for n in names if target.kind_of(n) == "function"} - eager
    if remote_ok and not star and names and functions == names:
        return REMOTE
    if not names and not star and target.receivers:
        return SUBSCRIBE
    return VENDOR


def module_uses(
    name: str,
    text: ModuleText,
    texts: Mapping[str, ModuleText],
    refs: Mapping[tuple[str, str], set[str]],
    never_remote: frozenset[str],
) -> tuple[Use, ...]:
    """Every use `name` makes of a module of the codebase; `never_remote` holds modules that are
    never called over the network (the shared kernel, the app factories)."""
    attrs: dict[str, set[str]] = {}
    for alias, attr in text.attributes:
        attrs.setdefault(alias, set()).add(attr)
    eager = frozenset(text.eager)
    found = []
    for use in text.imports:
        if use.target not in texts:
            continue
        names = frozenset(
            {use.name} if use.name else attrs.get(use.bound, set()) | refs.get((name, use.target), set())
        )
        at_hand = _at_hand(use, names, eager)
        kind = _kind(use, names, at_hand, texts[use.target], use.target not in never_remote)
        found.append(Use(use.target, names, use.bound, not use.name and not use.star, use.star, kind))
    return tuple(found)


def _at_hand(use: ImportUse, names: frozenset[str], eager: frozenset[str]) -> frozenset[str]:
    """The names of `names` the importing module needs at hand: bound by `use` and found in its
    `eager` names (`bound` for a name imported alone, `bound.name` through a module object)."""
    if use.name:
        return names if use.bound in eager else frozenset()
    return frozenset(n for n in names if f"{use.bound}.{n}" in eager)


def build_graph(
    codebase: Codebase,
    texts: Mapping[str, ModuleText],
    owner: Mapping[str, str],
    sizes: Mapping[str, int],
    app_dropped: Mapping[str, frozenset[str]],
) -> ModuleGraph:
    """The graph of every module's uses. `sizes` gives each module's lines; `app_dropped` the names
    each app factory imports only to register blueprints (left out of the god sizes: each service
    keeps the registrations of its own blueprints only)."""
    refs = module_attribute_uses(codebase)
    never_remote = frozenset(m for m in texts if owner.get(m) == SHARED_KERNEL) | frozenset(app_dropped)
    uses = {name: module_uses(name, texts[name], texts, refs, never_remote) for name in sorted(texts)}
    orm = orm_dependencies(codebase, texts)
    edges = {
        name: sorted(
            {u.target for u in found if u.kind == VENDOR and u.bound not in app_dropped.get(name, ())}
            | set(orm.get(name, ()))
        )
        for name, found in uses.items()
    }
    order = sorted(texts)
    index = {name: i for i, name in enumerate(order)}
    lines = {name: sizes.get(name, 0) for name in order}
    weights = tuple(lines[name] for name in order)
    code = code_modules(codebase)
    models = frozenset(t.module for t in codebase.tables if t.module in texts and t.module in code)
    total = sum(n for name, n in lines.items() if name in code) or sum(weights)
    return ModuleGraph(uses, orm, models, lines, index, _reach(edges, index), weights, total)


def code_modules(codebase: Codebase) -> frozenset[str]:
    """Modules of the codebase's code (not its tests or migrations, which declare tables too)."""
    return frozenset(m.name for m in codebase.modules if m.role == "code")


def _reach(edges: Mapping[str, Sequence[str]], index: Mapping[str, int]) -> dict[str, int]:
    """Module -> bit mask of every module it reaches through `edges` (itself included): strongly
    connected components, then their masks from the sinks up."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(index))
    graph.add_edges_from((s, t) for s, targets in sorted(edges.items()) for t in targets)
    dag = nx.condensation(graph)
    masks: dict[int, int] = {}
    for component in reversed(list(nx.topological_sort(dag))):
        own = 0
        for member in dag.nodes[component]["members"]:
            own |= 1 << index[member]
        for successor in dag.successors(component):
            own |= masks[successor]
        masks[component] = own
    mapping = dag.graph["mapping"]
    return {module: masks[mapping[module]] for module in index}


class _Walk:
    """The state of one service's walk, from its moved modules and roots (see `service_closure`)."""

    __slots__ = (
        "cut_from",
        "dropped",
        "graph",
        "limit",
        "moved",
        "pending",
        "queue",
        "roots",
        "texts",
        "too_large",
        "vendored",
        "without",
    )

    def __init__(
        self,
        graph: ModuleGraph,
        texts: Mapping[str, ModuleText],
        moved: frozenset[str],
        roots: frozenset[str],
        dropped: Mapping[str, frozenset[str]],
        limit: float,
    ) -> None:
        self.graph, self.texts, self.moved, self.dropped, self.limit = graph, texts, moved, dropped, limit
        self.roots = roots  # vendored whatever their size (the app factory)
        self.without = graph.mask(moved)  # (pulls count the lines outside the service)
        self.vendored: set[str] = set(roots - moved)
        self.cut_from: dict[str, set[str]] = {}  # god module -> modules importing it
        self.pending: dict[str, set[str]] = {}  # subscriber module -> modules importing it
        self.queue: list[str] = sorted(moved) + sorted(roots - moved)
        self.too_large: dict[str, bool] = {}  # module -> whether its pull passes the limit

    def admit(self, target: str, source: str, *, star: bool = False) -> None:
        if target in self.moved or target in self.vendored:
            return
        if not star and target not in self.roots and self._too_large(target):
            self.cut_from.setdefault(target, set()).add(source)
            return
        self.vendored.add(target)
        self.queue.append(target)

    def _too_large(self, target: str) -> bool:
        """Whether `target` would pull in more lines than the limit (once per module: a god
        module is met again from every module importing it)."""
        found = self.too_large.get(target)
        if found is None:
            found = self.too_large[target] = self.graph.pull(target, self.without) > self.limit
        return found

    def visit(self, source: str) -> None:
        for target in self.graph.orm.get(source, ()):
            self.admit(target, source)
        dropped = self.dropped.get(source, frozenset())
        for use in self.graph.uses.get(source, ()):
            if use.target in self.moved or use.bound in dropped:
                continue
            if use.kind == VENDOR:
                self.admit(use.target, source, star=use.star)
            elif use.kind == SUBSCRIBE and not (use.target in self.vendored or use.target in self.cut_from):
                self.pending.setdefault(use.target, set()).add(source)

    def run(self) -> None:
        while self.queue:
            self.visit(self.queue.pop(0))
            if not self.queue:
                for target, sources in self._due():
                    del self.pending[target]
                    self.admit(target, min(sources))

    def _due(self) -> list[tuple[str, set[str]]]:
        """Subscriber modules waiting for a signal the closure now sends."""
        sent = {s for m in self.moved | self.vendored for s in self.texts[m].sends}
        return [
            (target, sources)
            for target, sources in sorted(self.pending.items())
            if any(
                not module or module not in self.texts or (module, name) in sent
                for module, name in self.texts[target].receivers
            )
        ]


def service_closure(
    graph: ModuleGraph,
    texts: Mapping[str, ModuleText],
    moved: frozenset[str],
    roots: Sequence[str],
    dropped: Mapping[str, frozenset[str]],
    share: float = GOD_SHARE,
) -> Closure:
    """The closure of the moved modules (and of `roots`, vendored whatever their size); `dropped`
    gives the names a module's imports bind that the service leaves out (the app factory's
    registrations of blueprints that stay)."""
    walk = _Walk(graph, texts, moved, frozenset(roots), dropped, share * graph.total)
    walk.run()
    return _classify(walk)


def _decorated_with(use: Use, text: ModuleText) -> set[tuple[str, str]]:
    """(module, `name` or `name.attribute`) of what `text` decorates with through `use`."""
    original = "" if use.module_object else min(use.names, default="")
    found = set()
    for decorator in text.decorators:
        head, _, rest = decorator.partition(".")
        if head != use.bound:
            continue
        path = ".".join(p for p in (original, rest) if p)
        if path:
            found.add((use.target, path))
    return found


def _orm_targets(walk: _Walk, local: set[str] | frozenset[str]) -> set[str]:
    """Modules the ORM needs at start-up: those the closure's models name (however the walk first
    reached them), and every module of the closure declaring tables, so that creating the tables
    creates them all (a vendored model may otherwise be imported only after that)."""
    named = {target for source in local for target in walk.graph.orm.get(source, ())}
    return named | (walk.graph.models & set(local))


def _classify(walk: _Walk) -> Closure:
    """What the closure's modules use outside it: remote functions, stand-ins, namespaces."""
    local = walk.moved | walk.vendored
    cuts = {m: s for m, s in walk.cut_from.items() if m not in local}
    remote: set[tuple[str, str]] = set()
    stand_ins: set[tuple[str, str]] = set()
    decorators: set[tuple[str, str]] = set()
    namespaces: set[str] = set()
    for source in sorted(local):
        dropped = walk.dropped.get(source, frozenset())
        for use in walk.graph.uses.get(source, ()):
            if use.target in local or use.bound in dropped or use.star:
                continue
            kinds = {n: walk.texts[use.target].kind_of(n) for n in use.names}
            remote.update((use.target, n) for n, k in kinds.items() if k == "function")
            if use.target in cuts:
                stand_ins.update((use.target, n) for n, k in kinds.items() if k != "function")
                decorators.update(_decorated_with(use, walk.texts[source]))
            if use.module_object:
                namespaces.add(use.target)
    return Closure(
        vendored=tuple(sorted(walk.vendored - walk.moved)),
        orm_modules=tuple(sorted(_orm_targets(walk, local) & walk.vendored)),
        remote=tuple(sorted(remote)),
        stand_ins=tuple(sorted(stand_ins)),
        decorators=tuple(sorted(decorators)),
        namespaces=tuple(sorted(namespaces)),
        cuts=tuple(
            Cut(m, walk.graph.pull(m, walk.without), walk.graph.total, tuple(sorted(s)))
            for m, s in sorted(cuts.items())
        ),
        left_out=tuple(sorted(set(walk.pending) - local)),
    )
