"""Score `strangler boundaries` on the whole development set, beside baselines of the same run.

    python benchmarks/decomposition/corpora.py materialize          # once: pinned checkouts
    python benchmarks/decomposition/bench_devset.py [NAME ...] [--seeds 3] [--save FILE] [--compare FILE]

For every corpus of corpora.toml (or the ones named), checked out under `--into` (default
/tmp/corpora), this analyzes the project directory (the tool's own per-file cache and snapshot make a
second run near-instant; `--cache-dir`), builds the graph once per setting and scores, over `--seeds`
seeds (proposal seed 101 k, 3 clustering runs each, as `strangler boundaries` does by default):

- strangler, `blind` (packages off: module names say nothing) and `default` (every default signal),
  each at the ground truth's service count N and free;
- louvain: plain Louvain on the unweighted, undirected import graph of the same modules;
- louvain-nohubs: the same without hubs, the modules imported by more than HUB_SHARE (5 %) of the
  modules (they form one cluster of their own, as a kernel does);
- both baselines free (Louvain's own resolution) and at N: the resolution searched (bisection over
  RESOLUTION_LOW..RESOLUTION_HIGH) for the count of clusters of two or more modules closest to the
  ground truth's N, so that strangler at N is compared with baselines told the same N.

Per corpus and as a macro average over the corpora: ARI (mean, min–max over seeds), AMI, MoJoFM, the
share of modules in the shared kernel (hubs for louvain-nohubs) and the number of services. Scored
modules are those of the graph with a ground-truth label (corpora.toml). `--save` writes every
number as JSON; `--compare` prints the macro averages of a saved run beside this one.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

import networkx as nx

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import corpora  # noqa: E402  (beside this script)

import analyzers  # noqa: E402
from analyzers.model import Codebase  # noqa: E402
from analyzers.options import AnalysisOptions  # noqa: E402
from strangler.boundaries import propose  # noqa: E402
from strangler.boundaries.decomposition import SHARED_KERNEL  # noqa: E402
from strangler.boundaries.settings import BoundaryOptions, parse_signals  # noqa: E402
from strangler.graph.coupling import build_graph  # noqa: E402
from strangler.metrics import compare  # noqa: E402

#: A module imported by more than this share of the modules is a hub (louvain-nohubs baseline).
HUB_SHARE = 0.05
#: Proposal seeds are SEED_STEP * k, as in the earlier benchmark (docs/boundaries.md).
SEED_STEP = 101
DEFAULT_CACHE = Path("/tmp/strangler-devset-cache")
#: Resolution bounds and bisection steps of the baselines steered to N clusters.
RESOLUTION_LOW, RESOLUTION_HIGH, RESOLUTION_STEPS = 0.01, 100.0, 24
#: (method, setting, target) in the order rows are printed.
STRANGLER_RUNS = (("blind", "N"), ("blind", "free"), ("default", "N"), ("default", "free"))


@dataclass(frozen=True, slots=True)
class Score:
    """One seed of one method on one corpus."""

    ari: float
    ami: float
    mojofm: float
    kernel: float  # share of the graph's modules in the shared kernel (hubs for the baseline)
    services: int  # clusters, the kernel not counted
    seconds: float


@dataclass(frozen=True, slots=True)
class Row:
    corpus: str
    method: str  # strangler, louvain, louvain-nohubs
    setting: str  # blind, default, imports
    target: str  # N as a number, or "free"
    scores: tuple[Score, ...]

    def mean(self, field: str) -> float:
        return statistics.mean(float(getattr(s, field)) for s in self.scores)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.method, self.setting, "free" if self.target == "free" else "N")


@dataclass(frozen=True, slots=True)
class Prepared:
    """One analysed corpus: its codebase, graph modules and ground truth."""

    corpus: corpora.Corpus
    codebase: Codebase
    graphs: dict[str, nx.DiGraph]  # setting (blind, default) -> coupling graph
    nodes: tuple[str, ...]
    truth: dict[str, str]
    count: int  # services of the ground truth


def analyse(corpus: corpora.Corpus, into: Path, cache_dir: Path, jobs: int | None, signals: str) -> Prepared:
    root = corpus.analyzed(into)
    if not root.is_dir():
        raise SystemExit(f"{root}: missing; run `python {HERE / 'corpora.py'} materialize {corpus.name}`")
    options = AnalysisOptions(history=False, cache=True, cache_dir=str(cache_dir), jobs=jobs)
    started = time.perf_counter()
    codebase = analyzers.analyze(root, options)
    analysed = time.perf_counter() - started
    default = parse_signals(signals)
    graphs = {
        "blind": build_graph(codebase, {**default, "packages": 0.0}),
        "default": build_graph(codebase, default),
    }
    nodes = tuple(sorted(graphs["default"].nodes))
    truth = corpora.truth(corpus, nodes)
    count = len({t for t in truth.values() if t})
    roles = Counter(m.role for m in codebase.modules)
    shown = ", ".join(f"{n} {r}" for r, n in sorted(roles.items()))
    print(
        f"{corpus.name}: {len(codebase.modules)} modules ({shown}), {len(nodes)} in the graph, "
        f"{sum(1 for t in truth.values() if t)} scored in {count} services; "
        f"analysis {analysed:.1f}s, graphs {time.perf_counter() - started - analysed:.1f}s",
        file=sys.stderr,
    )
    return Prepared(corpus, codebase, graphs, nodes, truth, count)


def score(
    prepared: Prepared, make: Callable[[int], dict[str, str]], kernel_label: str, seeds: int
) -> tuple[Score, ...]:
    results = []
    for seed in range(seeds):
        began = time.perf_counter()
        assignment = make(seed)
        seconds = time.perf_counter() - began
        found = compare(assignment, prepared.truth)
        labels = Counter(assignment.get(m, kernel_label) for m in prepared.nodes)
        in_kernel = labels.pop(kernel_label, 0)
        results.append(
            Score(
                ari=found["ari"],
                ami=found["ami"],
                mojofm=found["mojofm"],
                kernel=in_kernel / max(1, len(prepared.nodes)),
                services=len(labels),
                seconds=seconds,
            )
        )
    return tuple(results)


def strangler_rows(
    prepared: Prepared, seeds: int, runs: Sequence[tuple[str, str]] = STRANGLER_RUNS
) -> list[Row]:
    rows = []
    for setting, target in runs:
        graph = prepared.graphs[setting]
        weights = tuple(sorted(graph.graph["weights"]))
        services = prepared.count if target == "N" else None
        make = Proposer(prepared.codebase, graph, weights, services)
        scores = score(prepared, make, SHARED_KERNEL, seeds)
        rows.append(Row(prepared.corpus.name, "strangler", setting, str(services or "free"), scores))
        _progress(rows[-1])
    return rows


@dataclass(frozen=True, slots=True)
class Proposer:
    """seed -> the proposal's assignment (module -> service) for one graph and service count."""

    codebase: Codebase
    graph: nx.DiGraph
    weights: tuple[tuple[str, float], ...]
    services: int | None

    def __call__(self, seed: int) -> dict[str, str]:
        options = BoundaryOptions(weights=self.weights, services=self.services, seed=seed * SEED_STEP)
        return propose(self.codebase, self.graph, options).service_of()


def import_graph(codebase: Codebase, nodes: Sequence[str]) -> nx.Graph:
    present = set(nodes)
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(
        (e.source, e.target)
        for e in codebase.imports
        if e.source in present and e.target in present and e.source != e.target
    )
    return graph


def hubs(codebase: Codebase, nodes: Sequence[str], share: float = HUB_SHARE) -> frozenset[str]:
    """Modules imported by more than `share` of the modules (distinct importers)."""
    present = set(nodes)
    importers: dict[str, set[str]] = {}
    for edge in codebase.imports:
        if edge.source in present and edge.target in present and edge.source != edge.target:
            importers.setdefault(edge.target, set()).add(edge.source)
    return frozenset(m for m, users in importers.items() if len(users) > share * len(nodes))


def louvain(
    graph: nx.Graph, seed: int, removed: Iterable[str] = (), resolution: float = 1.0
) -> dict[str, str]:
    removed = frozenset(removed)
    rest = graph.subgraph(n for n in graph if n not in removed)
    parts = nx.community.louvain_communities(rest, seed=seed, resolution=resolution)
    assignment = {m: f"c{i}" for i, part in enumerate(parts) for m in part}
    assignment.update(dict.fromkeys(removed, "hubs"))
    return assignment


def clusters(assignment: dict[str, str]) -> int:
    """Clusters of two or more modules (the hubs not counted): an isolated module is no service."""
    sizes = Counter(label for label in assignment.values() if label != "hubs")
    return sum(1 for size in sizes.values() if size >= 2)


@dataclass(frozen=True, slots=True)
class SteeredLouvain:
    """seed -> Louvain at the resolution whose count of clusters (`clusters`) is closest to `count`
    (bisection on a log scale; of equally close counts, the lower resolution)."""

    graph: nx.Graph
    count: int
    removed: frozenset[str] = frozenset()

    def __call__(self, seed: int) -> dict[str, str]:
        low, high = RESOLUTION_LOW, RESOLUTION_HIGH
        best: tuple[int, float, dict[str, str]] | None = None
        for _ in range(RESOLUTION_STEPS):
            middle = (low * high) ** 0.5
            found = louvain(self.graph, seed, self.removed, middle)
            have = clusters(found)
            if best is None or (abs(have - self.count), middle) < (abs(best[0] - self.count), best[1]):
                best = (have, middle, found)
            if have == self.count:
                break
            low, high = (middle, high) if have < self.count else (low, middle)
        assert best is not None
        return best[2]


def baseline_rows(prepared: Prepared, seeds: int, targets: Sequence[str] = ("N", "free")) -> list[Row]:
    graph = import_graph(prepared.codebase, prepared.nodes)
    found = hubs(prepared.codebase, prepared.nodes)
    name = prepared.corpus.name
    rows = []
    for method, removed in (("louvain", frozenset[str]()), ("louvain-nohubs", found)):
        if "N" in targets:
            steered = SteeredLouvain(graph, prepared.count, removed)
            rows.append(
                Row(name, method, "imports", str(prepared.count), score(prepared, steered, "hubs", seeds))
            )
        if "free" in targets:
            make = partial(louvain, graph, removed=removed)
            rows.append(Row(name, method, "imports", "free", score(prepared, make, "hubs", seeds)))
    for row in rows:
        _progress(row)
    return rows


def _progress(row: Row) -> None:
    print(
        f"  {row.method} {row.setting} {row.target}: ARI {row.mean('ari'):.3f} "
        f"({row.mean('seconds'):.2f}s a proposal)",
        file=sys.stderr,
    )


def _label(key: tuple[str, str, str]) -> str:
    method, setting, target = key
    return f"{method} {setting} {target}"


def per_corpus_table(rows: list[Row]) -> list[str]:
    lines = [
        "| corpus | method | signals | services asked | ARI mean (min–max) | AMI | MoJoFM "
        "| kernel share | services |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        aris = [s.ari for s in row.scores]
        lines.append(
            f"| {row.corpus} | {row.method} | {row.setting} | {row.target} | {row.mean('ari'):.3f} "
            f"({min(aris):.3f}–{max(aris):.3f}) | {row.mean('ami'):.3f} | {row.mean('mojofm'):.3f} "
            f"| {row.mean('kernel'):.2f} | {row.mean('services'):.0f} |"
        )
    return lines


def macro(rows: list[Row]) -> dict[tuple[str, str, str], dict[str, float]]:
    """Per method: the mean over corpora of each corpus's mean over seeds."""
    grouped: dict[tuple[str, str, str], list[Row]] = {}
    for row in rows:
        grouped.setdefault(row.key, []).append(row)
    fields = ("ari", "ami", "mojofm", "kernel", "services")
    return {
        key: {f: statistics.mean(r.mean(f) for r in group) for f in fields} | {"corpora": len(group)}
        for key, group in grouped.items()
    }


def macro_table(
    current: dict[tuple[str, str, str], dict[str, float]],
    before: dict[tuple[str, str, str], dict[str, float]] | None = None,
) -> list[str]:
    head = "| method | corpora | ARI | AMI | MoJoFM | kernel share | services |"
    lines = [head, "|---|---|---|---|---|---|---|"]
    for key, values in current.items():
        cells = []
        for field, digits in (("ari", 3), ("ami", 3), ("mojofm", 3), ("kernel", 2), ("services", 1)):
            text = f"{values[field]:.{digits}f}"
            if before is not None and key in before:
                text = f"{before[key][field]:.{digits}f} → {text}"
            cells.append(text)
        lines.append(f"| {_label(key)} | {values['corpora']:.0f} | " + " | ".join(cells) + " |")
    return lines


def save(rows: list[Row], path: Path) -> None:
    """Every number of a run as JSON, one row (method on a corpus, its seeds) a line."""
    lines = ",\n".join(json.dumps(_as_json(r), sort_keys=True) for r in rows)
    path.write_text('{"rows": [\n' + lines + "\n]}\n", encoding="utf-8")


def _as_json(row: Row) -> dict[str, object]:
    scores = [
        {k: round(v, 6) if isinstance(v, float) else v for k, v in asdict(s).items()} for s in row.scores
    ]
    return {
        "corpus": row.corpus,
        "method": row.method,
        "setting": row.setting,
        "target": row.target,
        "scores": scores,
    }


def load_rows(path: Path) -> list[Row]:
    document = json.loads(path.read_text(encoding="utf-8"))
    return [
        Row(r["corpus"], r["method"], r["setting"], r["target"], tuple(Score(**s) for s in r["scores"]))
        for r in document["rows"]
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="corpora to run (default: all of corpora.toml)")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--signals", default="all", help="the default setting's signals (as --signals)")
    parser.add_argument("--corpora", type=Path, default=corpora.CORPORA_FILE, help="the corpora and rules")
    parser.add_argument("--into", type=Path, default=corpora.DEFAULT_INTO)
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--jobs", type=int, default=None, help="parsing processes (default: the tool's)")
    parser.add_argument("--no-baselines", action="store_true", help="strangler rows only")
    parser.add_argument("--settings", default="blind,default", help="strangler settings to run")
    parser.add_argument("--targets", default="N,free", help="service counts to run: N, free or both")
    parser.add_argument("--save", type=Path, help="write every number as JSON")
    parser.add_argument("--compare", type=Path, help="a run saved with --save: macro averages side by side")
    parser.add_argument("--show", type=Path, help="print the tables of a run saved with --save; run nothing")
    args = parser.parse_args(argv)
    if args.show:
        return report(load_rows(args.show), args.compare)
    settings, targets = args.settings.split(","), args.targets.split(",")
    runs = [(s, t) for s, t in STRANGLER_RUNS if s in settings and t in targets]
    rows: list[Row] = []
    began = time.perf_counter()
    for corpus in corpora.select(corpora.load(args.corpora), args.names):
        prepared = analyse(corpus, args.into, args.cache_dir, args.jobs, args.signals)
        rows += strangler_rows(prepared, args.seeds, runs)
        if not args.no_baselines:
            rows += baseline_rows(prepared, args.seeds, targets)
        del prepared
    print(f"whole run {time.perf_counter() - began:.0f}s", file=sys.stderr)
    if args.save:
        save(rows, args.save)
    return report(rows, args.compare)


def report(rows: list[Row], compare: Path | None) -> int:
    """Print the per-corpus table and the macro averages (beside those of `compare`, a saved run,
    over the same corpora)."""
    print("\n".join(per_corpus_table(rows)))
    print()
    before = None
    if compare:
        names = {r.corpus for r in rows}
        before = macro([r for r in load_rows(compare) if r.corpus in names])
    print("\n".join(macro_table(macro(rows), before)))
    against = against_baselines(rows)
    if len(against) > 2:
        print()
        print("\n".join(against))
    return 0


def against_baselines(rows: list[Row]) -> list[str]:
    """Issue #13's blind criterion: per corpus, strangler blind beside the better of the two
    baselines told the same target (N or free), and the difference; the macro of each column."""
    found = {(r.corpus, *r.key): r.mean("ari") for r in rows}
    corpora_seen = list(dict.fromkeys(r.corpus for r in rows))
    lines = [
        "| corpus | target | blind | better baseline | blind − better |",
        "|---|---|---|---|---|",
    ]
    totals: dict[str, list[tuple[float, float]]] = {}
    for corpus in corpora_seen:
        for target in ("N", "free"):
            blind = found.get((corpus, "strangler", "blind", target))
            baselines = [found.get((corpus, m, "imports", target)) for m in ("louvain", "louvain-nohubs")]
            known = [b for b in baselines if b is not None]
            if blind is None or not known:
                continue
            better = max(known)
            totals.setdefault(target, []).append((blind, better))
            lines.append(f"| {corpus} | {target} | {blind:.3f} | {better:.3f} | {blind - better:+.3f} |")
    for target, pairs in totals.items():
        blind = statistics.mean(b for b, _ in pairs)
        better = statistics.mean(o for _, o in pairs)
        below = sum(1 for b, o in pairs if b < o)
        lines.append(
            f"| **macro** ({below} of {len(pairs)} below) | {target} | {blind:.3f} | {better:.3f} "
            f"| {blind - better:+.3f} |"
        )
    return lines


if __name__ == "__main__":
    sys.exit(main())
