"""What issue #13 asks of every development corpus besides its scores, with default settings.

Run: python benchmarks/decomposition/bench_shape.py [NAME ...] [--into /tmp/corpora] [--repeat 3]
     [--save FILE]

For each corpus of corpora.toml checked out under `--into` (corpora.py materialize):

- **cost**: `strangler analyze --no-cache` (its text report) and `strangler boundaries --no-cache`
  (history off), each in fresh child processes, after one warm-up of each (the file system's cache,
  not the tool's), medians of `--repeat`; wall and CPU (user + sys of the child and its workers).
  Target: boundaries <= 3x analyze.
- **services**: `strangler boundaries --format json`: a service whose modules are all non-runtime
  code (tests, docs, examples, settings variants, scripts: the analysis' module roles) breaks the rule.
- **waves**: `strangler plan --format json` into a scratch directory: a wave whose service holds no
  module serving a route, declaring, reading or writing a table, or being a job (a management command
  or a background task: `strangler.boundaries.jobs`) breaks the rule. Roles, routes, tables and jobs
  come from the analysis of the same tree, run here in process.

Prints one row per corpus and exits 1 when a rule is broken (cost over 3x counts too).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpora  # noqa: E402

#: Cold boundaries over cold analyze at most (issue #13).
MAX_COST = 3.0


@dataclass(frozen=True, slots=True)
class Shape:
    """One corpus's row."""

    corpus: str
    analyze_s: float
    analyze_cpu_s: float
    boundaries_s: float
    boundaries_cpu_s: float
    services: int
    non_runtime_services: tuple[str, ...]
    waves: int
    waves_owning_nothing: tuple[str, ...]

    @property
    def cost(self) -> float:
        return self.boundaries_s / self.analyze_s

    @property
    def cost_cpu(self) -> float:
        return self.boundaries_cpu_s / self.analyze_cpu_s

    @property
    def ok(self) -> bool:
        return self.cost <= MAX_COST and not self.non_runtime_services and not self.waves_owning_nothing


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process (its workers included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def medians(argv: list[str], repeat: int) -> tuple[float, float]:
    timed(argv)  # warm-up: the file system's cache
    runs = [timed(argv) for _ in range(repeat)]
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def command_json(argv: list[str]) -> dict[str, object]:
    done = subprocess.run(argv, check=True, capture_output=True, text=True)
    found: dict[str, object] = json.loads(done.stdout)
    return found


def measure(corpus: corpora.Corpus, into: Path, repeat: int) -> Shape:
    from analyzers import AnalysisOptions, analyze
    from strangler.boundaries.jobs import business_modules, job_modules

    tree = str(corpus.analyzed(into))
    cli = [sys.executable, "-m", "strangler"]
    common = [tree, "--no-history", "-q"]
    analyze_s, analyze_cpu = medians([*cli, "analyze", *common, "--no-cache"], repeat)
    bounds_s, bounds_cpu = medians([*cli, "boundaries", *common, "--no-cache"], repeat)
    codebase = analyze(tree, AnalysisOptions(history=False))
    roles = {m.name: m.role for m in codebase.modules}
    business = business_modules(codebase, job_modules(codebase))
    decomposition = command_json([*cli, "boundaries", *common, "--format", "json"])
    services = _services(decomposition)
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [*cli, "plan", *common, "-o", out, "--force", "--format", "json"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        plan = json.loads((Path(out) / "plan.json").read_text(encoding="utf-8"))
    waves = [str(w["service"]) for w in plan["waves"]]
    return Shape(
        corpus=corpus.name,
        analyze_s=round(analyze_s, 2),
        analyze_cpu_s=round(analyze_cpu, 2),
        boundaries_s=round(bounds_s, 2),
        boundaries_cpu_s=round(bounds_cpu, 2),
        services=len(services),
        non_runtime_services=tuple(
            sorted(n for n, ms in services.items() if ms and all(roles.get(m) != "code" for m in ms))
        ),
        waves=len(waves),
        waves_owning_nothing=tuple(sorted(w for w in waves if not set(services.get(w, ())) & business)),
    )


def _services(decomposition: dict[str, object]) -> dict[str, tuple[str, ...]]:
    """Service name -> its modules, from a decomposition document."""
    listed = decomposition["services"]
    assert isinstance(listed, list)
    return {str(s["name"]): tuple(s["modules"]) for s in listed}


def _cost(row: Shape) -> float:
    return row.cost


def show(rows: list[Shape]) -> None:
    print(
        f"{'corpus':14} {'analyze s':>9} {'bounds s':>9} {'ratio':>6} {'(cpu)':>6}"
        f" {'services':>8} {'non-runtime':>11} {'waves':>5} {'owning nothing':>14}"
    )
    for r in rows:
        print(
            f"{r.corpus:14} {r.analyze_s:9.2f} {r.boundaries_s:9.2f} {r.cost:6.2f} {r.cost_cpu:6.2f}"
            f" {r.services:8} {len(r.non_runtime_services):11} {r.waves:5} {len(r.waves_owning_nothing):14}"
        )
        for name in (*r.non_runtime_services, *r.waves_owning_nothing):
            print(f"  breaks a rule: {name}")
    worst = max(rows, key=_cost)
    print(f"largest boundaries/analyze: {worst.cost:.2f} ({worst.corpus}) [<= {MAX_COST:g}]")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="corpora to run (default: all)")
    parser.add_argument("--into", type=Path, default=corpora.DEFAULT_INTO)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save", type=Path, help="write the rows as JSON")
    args = parser.parse_args(argv)
    rows = []
    for corpus in corpora.select(corpora.load(), args.names):
        rows.append(measure(corpus, args.into, args.repeat))
        print(f"{corpus.name}: done", file=sys.stderr, flush=True)
    show(rows)
    if args.save is not None:
        args.save.write_text(json.dumps([asdict(r) for r in rows], indent=2) + "\n", encoding="utf-8")
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
