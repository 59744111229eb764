"""Time `strangler plan` on the Django source tree beside `analyze` and `boundaries` of the same run.

Run: python benchmarks/plan/bench_plan.py [--repeat 3] [--tree PATH]
Each measurement is a fresh child process (start-up included, as a user sees it): cold runs pass
`--no-cache` (no cache read or written), warm runs re-run on an unchanged tree after a run that
filled the cache. Medians of the repetitions after one warm-up; CPU time (user + sys of the child
and its workers) is printed too, steadier than wall time on a shared machine; peak memory is the
child's max RSS. A cold `plan` writes into a directory removed before each run; a warm one into
the same directory each time (`-o`, `--force`), where it finds the plan of the run before.

"plan warm (skeleton cache)" is the same command with the skeleton cache passed explicitly
(`plan_skeletons(..., cache_dir=...)`); the command passes the analysis cache's directory itself
now, so it equals "plan warm" (kept to compare with earlier runs). A warm plan reuses the skeleton
files of the previous build when nothing they are made from changed (skeleton/buildcache.py) and
leaves an identical plan directory unwritten (strangler/writing.py). The breakdown after the table
times each stage of one warm plan in process. Targets (issue #16): plan cold <= 2x boundaries
cold, peak < 300 MB; plan warm <= 1.5x boundaries warm. The generated services' Python lines are
compared with the tree's (<= 2x).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: `strangler plan` with the skeleton cache on (what the command does once it passes cache_dir).
PLAN_WITH_CACHE = """
import functools, sys
import strangler.skeleton
from analyzers.files.cache import cache_directory
directory = None if "--no-cache" in sys.argv else cache_directory(None)
strangler.skeleton.plan_skeletons = functools.partial(strangler.skeleton.plan_skeletons, cache_dir=directory)
from strangler.cli import main
sys.exit(main(sys.argv[1:]))
"""
#: One warm plan in process, stage by stage (the command's own steps).
BREAKDOWN = """
import json, sys, time
from pathlib import Path
from analyzers.files.cache import cache_directory
from strangler.cli.shared_options import load_codebase
from strangler.boundaries.pipeline import decomposition_for
from strangler.plan import PlanOptions, make_plan
from strangler.proxy import render_proxy
from strangler.skeleton import plan_skeletons
path, out = Path(sys.argv[1]), Path(sys.argv[2])
times = {}
start = time.perf_counter()
codebase = load_codebase(path, no_history=True, no_cache=False, exclude=(), quiet=True)
times["analysis (warm facts)"] = time.perf_counter() - start; start = time.perf_counter()
decomposition = decomposition_for(codebase, None)
times["boundaries"] = time.perf_counter() - start; start = time.perf_counter()
plan = make_plan(codebase, decomposition, PlanOptions())
files = dict(render_proxy(plan))
times["plan and proxy"] = time.perf_counter() - start; start = time.perf_counter()
skeletons = plan_skeletons(codebase, decomposition, [w.service for w in plan.waves], path,
                           cache_dir=cache_directory(None))
times["skeletons (cache on)"] = time.perf_counter() - start; start = time.perf_counter()
skeletons = plan_skeletons(codebase, decomposition, [w.service for w in plan.waves], path)
times["skeletons (no cache)"] = time.perf_counter() - start
print(json.dumps(times))
"""


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + sys, worker processes included) of one child process."""
    fresh_output(argv)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(done.stderr.decode(errors="replace"))
        raise subprocess.CalledProcessError(done.returncode, argv)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def fresh_output(argv: list[str]) -> None:
    """Remove the output directory of a cold plan: it writes a whole plan, as a first run does.
    Then flush the file system: deleting a thousand files just before a run makes the run's own
    file creations wait for the journal (Django's plan: writing 0.26 s after a sync, 0.74 s
    right after the removal), which a user's first run never pays."""
    if "--no-cache" in argv and "-o" in argv:
        shutil.rmtree(argv[argv.index("-o") + 1], ignore_errors=True)
        if hasattr(os, "sync"):
            os.sync()


def peak_of(argv: list[str], env: dict[str, str]) -> float:
    """Max RSS in MiB of one run in a fresh measuring process (RUSAGE_CHILDREN keeps the maximum)."""
    fresh_output(argv)
    code = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *argv], check=True, capture_output=True, text=True, env=env
    )
    return int(out.stdout.strip()) / 1024


def python_lines(root: Path) -> int:
    return sum(len(p.read_bytes().splitlines()) for p in root.rglob("*.py"))


def cases(tree: Path, out: Path) -> dict[str, list[str]]:
    cli = [sys.executable, "-m", "strangler"]
    common = [str(tree), "--no-history", "-q"]
    plan = ["plan", *common, "-o", str(out), "--force"]
    return {
        "analyze cold": [*cli, "analyze", *common, "--format", "json", "--no-cache"],
        "boundaries cold": [*cli, "boundaries", *common, "--no-cache"],
        "plan cold": [*cli, "plan", *common, "-o", f"{out}-cold", "--force", "--no-cache"],
        "analyze warm": [*cli, "analyze", *common, "--format", "json"],
        "boundaries warm": [*cli, "boundaries", *common],
        "plan warm": [*cli, *plan],
        "plan warm (skeleton cache)": [sys.executable, "-c", PLAN_WITH_CACHE, *plan],
    }


def measure(
    named: dict[str, list[str]], env: dict[str, str], repeat: int
) -> dict[str, tuple[float, float, float]]:
    found = {}
    for name, argv in named.items():
        run(argv, env)  # warm-up (fills the caches the warm cases read)
        runs = [run(argv, env) for _ in range(repeat)]
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        found[name] = (wall, cpu, peak_of(argv, env))
        print(f"  {name:30} {wall:7.2f} s   cpu {cpu:6.2f} s   peak {found[name][2]:6.1f} MiB", flush=True)
    return found


def report(found: dict[str, tuple[float, float, float]]) -> None:
    print("Ratios, wall (CPU) [target]")
    pairs = [
        ("plan cold", "boundaries cold", "<= 2"),
        ("plan warm", "boundaries warm", "<= 1.5"),
        ("plan warm (skeleton cache)", "boundaries warm", "<= 1.5"),
        ("boundaries cold", "analyze cold", ""),
    ]
    for top, bottom, target in pairs:
        wall = found[top][0] / found[bottom][0]
        cpu = found[top][1] / found[bottom][1]
        print(f"  {top + ' / ' + bottom:50} {wall:5.2f} ({cpu:4.2f})  {f'[{target}]' if target else ''}")
    print(f"  peak of plan cold: {found['plan cold'][2]:.0f} MiB [< 300]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tree", type=Path, help="a tree to plan instead of the installed Django package")
    args = parser.parse_args()
    if args.tree is None:
        spec = importlib.util.find_spec("django")
        assert spec is not None and spec.origin is not None
        source = Path(spec.origin).parent
    else:
        source = args.tree.resolve()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        tree = work / "src" / source.name
        shutil.copytree(source, tree, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        env = dict(os.environ, XDG_CACHE_HOME=str(work / "xdg"), PYTHONPYCACHEPREFIX=str(work / "pyc"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        files = sum(1 for _ in tree.rglob("*.py"))
        print(f"{source.name}: {files} files, {python_lines(tree)} Python lines, at {tree}")
        print(f"{args.repeat} repetitions after a warm-up; medians")
        found = measure(cases(tree, work / "out"), env, args.repeat)
        report(found)
        services = python_lines(work / "out" / "services")
        print(
            f"Python of the generated services: {services} lines, {services / python_lines(tree):.2f}x"
            " the tree [<= 2]"
        )
        for stats in sorted((work / "out" / "services").glob("*/STRANGLER-STATS.json")):
            data = json.loads(stats.read_text())
            moved, vendored = data["moved"]["lines"], data["vendored"]["lines"]
            print(
                f"  {data['service']:16} moved {moved:6}  vendored {vendored:6}"
                f"  generated {data['generated']['lines']:6}  cut {len(data['cut'])}"
            )
        out = subprocess.run(
            [sys.executable, "-c", BREAKDOWN, str(tree), str(work / "breakdown")],
            check=True,
            capture_output=True,
            env=env,
        )
        print("A warm plan by stage (in process, wall)")
        for stage, seconds in json.loads(out.stdout).items():
            print(f"  {stage:30} {seconds * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
