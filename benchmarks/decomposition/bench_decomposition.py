"""Score the boundary proposer against business ground truth on real Django monoliths.

    python benchmarks/decomposition/bench_decomposition.py /tmp/corpora/oscar /tmp/corpora/taiga \
        [--seeds 3] [--signals -packages] [--example]

Each argument is a checkout of one corpus (recognised by its layout: `src/oscar` or `taiga/projects`;
the corpus code is never committed here). Ground truth:
- django-oscar: `oscar.apps.<app>` is one service per app, except `dashboard`; everything else shared.
- taiga-back: `taiga.<app>` and `taiga.projects.<subapp>` are services; base, permissions, front,
  mdrender, events, routers, locale, celery, urls, wsgi are shared.
Shared modules are labelled but not scored. The proposer runs with `packages` off, with `--services`
set to the ground truth's count and free, over several seeds, beside baselines run in the same run:
plain Louvain on the unweighted import graph, random assignment with the ground truth's cluster
sizes, and all-in-one. Prints ARI, AMI and MoJoFM per corpus (mean over seeds, min–max of ARI).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx

import analyzers
from analyzers.model import Codebase
from analyzers.options import AnalysisOptions
from strangler.boundaries.pipeline import propose_for
from strangler.boundaries.settings import BoundaryOptions, parse_signals
from strangler.graph.coupling import build_graph
from strangler.metrics import compare

TAIGA_SHARED = frozenset(
    {"base", "permissions", "front", "mdrender", "events", "routers", "locale", "celery", "urls", "wsgi"}
)
EXAMPLE_CAPS = frozenset(
    [
        "accounts",
        "catalog",
        "inventory",
        "cart",
        "orders",
        "payments",
        "shipping",
        "notifications",
        "reviews",
        "reporting",
    ]
)


def oscar_truth(module: str) -> str:
    parts = module.split(".")
    if len(parts) >= 3 and parts[:2] == ["oscar", "apps"] and parts[2] != "dashboard":
        return parts[2]
    return ""


def taiga_truth(module: str) -> str:
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "taiga" or parts[1] in TAIGA_SHARED:
        return ""
    if parts[1] == "projects" and len(parts) >= 3:
        return f"projects.{parts[2]}"
    return parts[1]


def example_truth(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) >= 2 and parts[0] == "shop" and parts[1] in EXAMPLE_CAPS else ""


def recognise(directory: Path) -> tuple[str, Path, Callable[[str], str]]:
    if (directory / "src" / "oscar").is_dir():
        return "django-oscar", directory / "src", oscar_truth
    if (directory / "taiga" / "projects").is_dir():
        return "taiga-back", directory, taiga_truth
    if (directory / "shop").is_dir():
        return "monolith_app", directory, example_truth
    raise SystemExit(f"{directory}: neither django-oscar (src/oscar) nor taiga-back (taiga/projects)")


def louvain_imports(codebase: Codebase, nodes: list[str], seed: int) -> dict[str, str]:
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    present = set(nodes)
    graph.add_edges_from(
        (e.source, e.target)
        for e in codebase.imports
        if e.source in present and e.target in present and e.source != e.target
    )
    parts = nx.community.louvain_communities(graph, seed=seed)
    return {m: f"c{i}" for i, part in enumerate(parts) for m in part}


def random_sizes(truth: dict[str, str], nodes: list[str], seed: int) -> dict[str, str]:
    labels = [truth[m] or "shared" for m in nodes]
    random.Random(seed).shuffle(labels)
    return dict(zip(nodes, labels))


Row = tuple[str, str, str, float, float, float, float, float]


def run(directory: Path, seeds: int, signals: str) -> list[Row]:
    name, root, truth_of = recognise(directory)
    started = time.perf_counter()
    codebase = analyzers.analyze(root, AnalysisOptions(history=False, cache=False))
    analysed = time.perf_counter() - started
    nodes = sorted(build_graph(codebase).nodes)
    truth = {m: truth_of(m) for m in nodes}
    count = len({t for t in truth.values() if t})
    print(
        f"{name}: {len(codebase.modules)} modules ({len(nodes)} in the graph), "
        f"{sum(1 for t in truth.values() if t)} scored in {count} services; analysis {analysed:.1f}s",
        file=sys.stderr,
    )
    weights = tuple(sorted(parse_signals(signals).items()))
    rows = []

    def score(label: str, services: str, make: Callable[[int], dict[str, str]]) -> None:
        results, seconds = [], []
        for seed in range(seeds):
            began = time.perf_counter()
            assignment = make(seed)
            seconds.append(time.perf_counter() - began)
            results.append(compare(assignment, truth))
        aris = [r["ari"] for r in results]
        rows.append(
            (
                name,
                label,
                services,
                statistics.mean(aris),
                min(aris),
                max(aris),
                statistics.mean(r["ami"] for r in results),
                statistics.mean(r["mojofm"] for r in results),
            )
        )
        print(
            f"  {label} {services}: ARI {statistics.mean(aris):.3f} ({statistics.mean(seconds):.2f}s)",
            file=sys.stderr,
        )

    def proposer(services: int | None) -> Callable[[int], dict[str, str]]:
        def make(seed: int) -> dict[str, str]:
            options = BoundaryOptions(weights=weights, services=services, seed=seed * 101, seeds=3)
            return propose_for(codebase, options).service_of()

        return make

    score("strangler", str(count), proposer(count))
    score("strangler", "free", proposer(None))
    score("louvain-imports", "free", lambda seed: louvain_imports(codebase, nodes, seed))
    score("random-sizes", str(count), lambda seed: random_sizes(truth, nodes, seed))
    score("all-in-one", "1", lambda seed: dict.fromkeys(nodes, "all"))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="+", type=Path)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--signals", default="-packages", help="as `--signals` (default: all but packages)")
    args = parser.parse_args(argv)
    rows = []
    for directory in args.corpora:
        rows += run(directory, args.seeds, args.signals)
    print("| corpus | method | services | ARI mean (min–max) | AMI | MoJoFM |")
    print("|---|---|---|---|---|---|")
    for corpus, label, services, ari, low, high, ami, mojo in rows:
        print(
            f"| {corpus} | {label} | {services} | {ari:.3f} ({low:.3f}–{high:.3f}) | {ami:.3f} | {mojo:.3f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
