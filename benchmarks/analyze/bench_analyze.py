"""Time `strangler analyze` on the Django source tree beside pydeps, grimp and a bare parse.

Run: python benchmarks/analyze/bench_analyze.py [--repeat 5]
Each measurement is a fresh child process (start-up included, as a user sees it); medians of the
repetitions after one warm-up; peak memory is the child's max RSS (resource.getrusage). CPU time
(user + sys of the child and its workers) is printed too: on a shared, noisy machine it is steadier
than wall time.
The Django package is copied to a temporary directory first so cache paths are clean.
"parse + visit every node" is no tool: it is the floor under any analysis in Python that reads every
expression (symbol uses, calls, SQL strings), i.e. the bare parse plus a walk doing nothing per node.
Every tool runs from compiled bytecode, as an installed package does: the children write and read
their `.pyc` files under a scratch PYTHONPYCACHEPREFIX (the warm-up run fills it), which also keeps
an inherited PYTHONDONTWRITEBYTECODE from making each run compile strangler's own modules again.
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

BARE_PARSE = """
import ast, os, sys
from concurrent.futures import ProcessPoolExecutor
def parse(path):
    with open(path, 'rb') as f:
        ast.parse(f.read())
    return 0
files = [os.path.join(d, n) for d, _, ns in os.walk(sys.argv[1]) for n in ns if n.endswith('.py')]
with ProcessPoolExecutor(2) as pool:
    list(pool.map(parse, files, chunksize=16))
"""
# The floor of any full-facts analysis written in Python over `ast`: the bare parse plus one visit of
# every node that does nothing at the node (no fact, no result sent back). Facts cost on top of it.
VISIT_FLOOR = """
import ast, os, sys
from concurrent.futures import ProcessPoolExecutor
SKIP = {'ctx', 'op', 'ops', 'id', 'attr', 'arg', 'name', 'kind', 'conversion', 'is_async', 'simple',
        'level', 'module', 'type_comment'}
FIELDS = {}
def visit(tree):
    stack = [tree]
    while stack:
        node = stack.pop()
        kind = type(node)
        names = FIELDS.get(kind)
        if names is None:
            names = FIELDS[kind] = tuple(f for f in getattr(kind, '_fields', ()) if f not in SKIP)
        for name in names:
            value = getattr(node, name)
            if type(value) is list:
                stack.extend(value)
            elif value is not None:
                stack.append(value)
def parse(path):
    with open(path, 'rb') as f:
        visit(ast.parse(f.read()))
    return 0
files = [os.path.join(d, n) for d, _, ns in os.walk(sys.argv[1]) for n in ns if n.endswith('.py')]
with ProcessPoolExecutor(2) as pool:
    list(pool.map(parse, files, chunksize=16))
"""
BREAKDOWN = """
import time
started = time.perf_counter()
import gc, json, sys
from pathlib import Path
import analyzers
from strangler.graph.analysis_report import analysis_document
from strangler.cli.shared_options import analysis_options_for
from strangler.jsonio import dumps
imported = time.perf_counter()
path = Path(sys.argv[1])
codebase = analyzers.analyze(path, analysis_options_for(path, no_history=True, no_cache=True, exclude=()))
gc.freeze()
analysed = time.perf_counter()
text = dumps(analysis_document(codebase))
written = time.perf_counter()
stats = dict(codebase.stats)
print(json.dumps({
    "imports": imported - started,
    "discovery": stats["seconds_discover"],
    "read, parse and extract (2 processes)": stats["seconds_read"] + stats["seconds_parse"],
    "resolve imports, references, frameworks": stats["seconds_resolve"],
    "analysis document and JSON": written - analysed,
}))
"""
GRIMP = """
import sys
sys.path.insert(0, sys.argv[1])
import grimp
cache = sys.argv[2] if sys.argv[2] != '-' else None
grimp.build_graph('django', include_external_packages=False, cache_dir=cache)
"""


def run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + sys, worker processes included) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:  # (a tool's warnings are shown only when it fails)
        sys.stderr.write(done.stderr.decode(errors="replace"))
        raise subprocess.CalledProcessError(done.returncode, argv)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, cpu


def peak_of(argv: list[str], env: dict[str, str]) -> float:
    """Max RSS of one run in a fresh measuring process (RUSAGE_CHILDREN keeps the maximum ever)."""
    code = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL);"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *argv], check=True, capture_output=True, text=True, env=env
    )
    return int(out.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    spec = importlib.util.find_spec("django")
    assert spec is not None and spec.origin is not None
    source = Path(spec.origin).parent
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        tree = work / "src" / "django"
        shutil.copytree(source, tree, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        env = dict(os.environ, XDG_CACHE_HOME=str(work / "xdg"), PYTHONPYCACHEPREFIX=str(work / "pyc"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        files = sum(1 for _ in tree.rglob("*.py"))
        strangler = [
            sys.executable,
            "-m",
            "strangler",
            "analyze",
            str(tree),
            "--format",
            "json",
            "--no-history",
            "-q",
        ]
        grimp_cache = str(work / "grimp-cache")
        cases = {
            "bare ast.parse, 2 processes": [sys.executable, "-c", BARE_PARSE, str(tree)],
            "parse + visit every node (floor)": [sys.executable, "-c", VISIT_FLOOR, str(tree)],
            "strangler analyze cold (--no-cache)": [*strangler, "--no-cache"],
            "strangler analyze warm": strangler,
            "grimp build_graph cold": [sys.executable, "-c", GRIMP, str(tree.parent), "-"],
            "grimp build_graph cached": [sys.executable, "-c", GRIMP, str(tree.parent), grimp_cache],
            "pydeps --show-deps --no-output": [
                sys.executable,
                "-m",
                "pydeps",
                str(tree),
                "--show-deps",
                "--no-output",
                "--max-bacon",
                "0",
            ],
        }
        print(f"Django {files} files at {tree}; {args.repeat} repetitions after a warm-up; medians")
        medians: dict[str, float] = {}
        cpus: dict[str, float] = {}
        for name, argv in cases.items():
            run(argv, env)  # warm-up (fills the strangler and grimp caches for the warm cases)
            repeat = args.repeat if "pydeps" not in name else max(2, args.repeat // 2)
            runs = [run(argv, env) for _ in range(repeat)]
            medians[name] = statistics.median(wall for wall, _ in runs)
            cpus[name] = statistics.median(cpu for _, cpu in runs)
            peak = peak_of(argv, env)
            print(f"  {name:40} {medians[name]:7.3f} s   cpu {cpus[name]:6.3f} s   peak {peak:6.1f} MiB")
        bare = medians["bare ast.parse, 2 processes"]
        cold = medians["strangler analyze cold (--no-cache)"]
        bare_cpu, cold_cpu = cpus["bare ast.parse, 2 processes"], cpus["strangler analyze cold (--no-cache)"]
        warm = medians["strangler analyze warm"]
        print("Ratios (targets in brackets)")
        cpu_ratio = cold_cpu / bare_cpu
        print(f"  cold / bare 2-process parse   {cold / bare:5.2f}  [<= 1.5]  (CPU time {cpu_ratio:.2f})")
        print(
            f"  pydeps / cold                 {medians['pydeps --show-deps --no-output'] / cold:5.2f}  [>= 4]"
        )
        print(f"  warm / grimp cached           {warm / medians['grimp build_graph cached']:5.2f}  [<= 2]")
        floor = medians["parse + visit every node (floor)"]
        print(f"  floor / bare (no facts yet)   {floor / bare:5.2f}  (what the visit alone costs)")
        # Where a cold run's wall time goes, from the run's own clocks (median of each stage over
        # the repetitions; interpreter start-up, about the bare case's, comes on top).
        stages: dict[str, list[float]] = {}
        for _ in range(args.repeat):
            out = subprocess.run(
                [sys.executable, "-c", BREAKDOWN, str(tree)], check=True, capture_output=True, env=env
            )
            for stage, seconds in json.loads(out.stdout).items():
                stages.setdefault(stage, []).append(seconds)
        print("Cold run by stage (medians, wall)")
        for stage, values in stages.items():
            print(f"  {stage:42} {statistics.median(values) * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
