"""Time `strangler graph -o x.svg` (service and module level) beside pydeps on the Django source tree.

Usage: python benchmarks/graph/bench_graph.py [--runs N] [--pydeps-runs N]

Copies the installed Django package to a temporary directory (so neither tool reads site-packages
state), then runs each command N times as a separate process and prints the medians and ratios.
strangler runs once first to fill its per-file cache (in a private XDG cache dir); its cold time is
printed too. pydeps runs with its defaults plus `--noshow -T svg` (its default `--max-bacon 2` already
limits the graph it draws). Target (issue 5): module-level SVG under 5 s and at least 5x faster
than pydeps.

Then, in this process, the time of each stage apart (median of --runs): analysis (warm cache) and
boundaries, building each view and its DOT text, and `dot -Tsvg` on that text; with the boxes and
edges drawn, the module view both as bounded by default and with the bounds of the first version
(400 boxes, no edge bound) for comparison, and the size of the .html report.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def _timed(cmd: list[str], env: dict[str, str], cwd: Path, timeout: float | None = None) -> float:
    """Wall-clock seconds of one run; `inf` when it is still running after `timeout`."""
    started = time.perf_counter()
    try:
        done = subprocess.run(
            cmd, env=env, cwd=cwd, capture_output=True, text=True, check=False, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return math.inf
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr[-2000:]}")
    return elapsed


def _seconds(value: float, timeout: float) -> str:
    return f"{value:7.2f} s" if math.isfinite(value) else f"> {timeout:.0f} s (stopped)"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pydeps-runs", type=int, default=1)
    parser.add_argument("--pydeps-timeout", type=float, default=600.0, help="seconds per pydeps run")
    args = parser.parse_args()

    import django  # type: ignore[import-untyped]

    pydeps = shutil.which("pydeps")
    if pydeps is None:
        raise SystemExit("pydeps is not installed (pip install -e .[test])")
    with tempfile.TemporaryDirectory(prefix="strangler-bench-graph-") as tmp:
        work = Path(tmp)
        tree = work / "tree"
        shutil.copytree(Path(django.__file__).parent, tree / "django")
        modules = sum(1 for _ in tree.rglob("*.py"))
        print(f"Django {django.__version__}: {modules} files, {os.cpu_count()} CPUs", flush=True)
        env = dict(os.environ, XDG_CACHE_HOME=str(work / "cache"))
        strangler = [sys.executable, "-m", "strangler", "graph", str(tree), "--no-history", "-q"]
        commands = {
            "strangler service": [*strangler, "-o", str(work / "service.svg")],
            "strangler module": [*strangler, "--level", "module", "-o", str(work / "module.svg")],
        }
        cold = _timed(
            [*strangler, "--no-cache", "--level", "module", "-o", str(work / "cold.svg")], env, work
        )
        print(f"  {'strangler module (no cache)':<30} {cold:7.2f} s  (1 run)", flush=True)
        _timed(commands["strangler service"], env, work)  # fills the cache
        medians: dict[str, float] = {}
        for name, cmd in commands.items():
            medians[name] = statistics.median(_timed(cmd, env, work) for _ in range(args.runs))
            print(f"  {name:<30} {medians[name]:7.2f} s  (median of {args.runs})", flush=True)
        pydeps_cmd = [pydeps, str(tree / "django"), "--noshow", "-T", "svg", "-o", str(work / "pydeps.svg")]
        limit = args.pydeps_timeout
        medians["pydeps"] = statistics.median(
            _timed(pydeps_cmd, env, work, timeout=limit) for _ in range(args.pydeps_runs)
        )
        print(f"  {'pydeps':<30} {_seconds(medians['pydeps'], limit)}  (median of {args.pydeps_runs})")
        for name in commands:
            ratio = medians["pydeps"] / medians[name]
            shown = f"{ratio:.1f}x" if math.isfinite(ratio) else f"> {limit / medians[name]:.0f}x"
            print(f"  pydeps / {name:<21} {shown}")
        sizes = {p.name: p.stat().st_size for p in work.glob("*.svg")}
        print("  svg bytes: " + ", ".join(f"{k} {v:,}" for k, v in sorted(sizes.items())))
        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]
        _stages(tree, args.runs)
    return 0


def _median_time(action: Callable[[], T], runs: int) -> tuple[float, T]:
    times = []
    for _ in range(max(1, runs)):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _stages(tree: Path, runs: int) -> None:
    """Analysis, boundaries, view building and `dot`, timed apart in this process."""
    from strangler.cli.graph_command import _decomposition, build_output
    from strangler.cli.shared_options import load_codebase
    from strangler.render import dot, moduledot, rendering
    from strangler.render.modulegraph import module_view
    from strangler.render.servicegraph import service_graph

    print("stages (in process, median of runs):")
    seconds, codebase = _median_time(
        lambda: load_codebase(tree, no_history=True, no_cache=False, exclude=(), quiet=True), runs
    )
    print(f"  {'analysis (warm cache)':<40} {seconds:7.3f} s")
    seconds, decomposition = _median_time(
        lambda: _decomposition(codebase, tree, None, None, None, None),
        runs,
    )
    print(f"  {'boundaries':<40} {seconds:7.3f} s")
    views: dict[str, Callable[[], str]] = {
        "service view": lambda: dot.service_dot(service_graph(codebase, decomposition)),
        "module view (default bounds)": lambda: moduledot.module_dot(module_view(codebase, decomposition)),
        "module view (400 boxes, no edge bound)": lambda: moduledot.module_dot(
            module_view(codebase, decomposition, max_nodes=400, max_edges=10**9)
        ),
    }
    for name, build in views.items():
        seconds, text = _median_time(build, runs)
        drawn = sum(1 for line in text.splitlines() if " -> " in line and "tooltip=" in line)
        boxes = sum(1 for line in text.splitlines() if "tooltip=" in line and " -> " not in line)
        dot_seconds, _ = _median_time(lambda text=text: rendering.render(text, "svg"), runs)  # type: ignore[misc]
        print(f"  {name:<40} build {seconds:6.3f} s, dot {dot_seconds:6.3f} s ({boxes} boxes, {drawn} edges)")
    page, _ = build_output(codebase, decomposition, "html", level="service", focus=None, max_nodes=150)
    print(f"  {'html report':<40} {len(page):,} bytes")


if __name__ == "__main__":
    sys.exit(main())
