"""`strangler plan` on every corpus of the development set: times, output size, vendored code, installability.

Run: python benchmarks/plan/bench_corpora.py [NAME ...] [--into /tmp/corpora] [--save FILE] [--no-pip]

For each corpus of benchmarks/decomposition/corpora.toml checked out under `--into` (see
benchmarks/decomposition/corpora.py materialize), in fresh child processes (`python -m strangler`,
history off): `plan` cold (`--no-cache`, into a fresh directory), then `plan` twice more with the cache
on (the first fills it, the second is the warm time: nothing changed). From the plan directory: its file
count and size, and per service the moved, vendored and generated lines (`STRANGLER-STATS.json`). Then
`pip install --dry-run --ignore-installed` of every generated service, all services of a corpus in one
resolution (a conflict between two services' pins shows there too); when that fails, each service alone,
so the report names the ones that do not resolve. Needs the package registry (PyPI) for pip.

pip resolves for the Python the services require (their `requires-python`, the monolith's): under
this interpreter when it satisfies it, else under the oldest interpreter found that does (pyenv's
versions, `python3.N` on PATH), else under the newest one found (the newest pip) with
`--python-version` of the oldest satisfying version (3.12.2 for `>=3.12.2,<3.13`), wheels only, into
a scratch `--target` (a Python not installed here). The report says which (`pip_python`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "decomposition"))

import corpora  # noqa: E402
from packaging.specifiers import InvalidSpecifier, SpecifierSet  # noqa: E402

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib


@dataclass
class CorpusResult:
    name: str
    cold_seconds: float = 0.0
    warm_seconds: float = 0.0
    exit_code: int = 0
    error: str = ""
    files: int = 0
    megabytes: float = 0.0
    services: dict[str, dict[str, int]] = field(default_factory=dict)
    pip_ok: list[str] = field(default_factory=list)
    pip_failed: dict[str, str] = field(default_factory=dict)
    pip_python: str = ""  # the interpreter (and target Python) pip resolved for


def _plan(tree: Path, out: Path, cache: Path | None) -> tuple[float, subprocess.CompletedProcess[str]]:
    args = [sys.executable, "-m", "strangler", "plan", str(tree), "-o", str(out), "--force", "--quiet"]
    args += ["--no-history"] + (["--no-cache"] if cache is None else [])
    env = {**os.environ, "XDG_CACHE_HOME": str(cache or out.parent / "unused-cache")}
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=False)
    return time.perf_counter() - start, done


@dataclass(frozen=True)
class PipRun:
    """How pip resolves the services: which interpreter, with which extra options."""

    python: str
    options: tuple[str, ...] = ()
    shown: str = ""


def _interpreters() -> dict[str, str]:
    """Version "X.Y.Z" -> executable of every Python 3 found: this one, pyenv's, `python3.N` on PATH."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found = [sys.executable, *map(str, sorted(root.glob("3.*/bin/python")))]
    found += [w for w in (shutil.which(f"python3.{minor}") for minor in range(8, 30)) if w]
    versions: dict[str, str] = {}
    for executable in found:
        done = subprocess.run(
            [executable, "-c", "import sys; print('.'.join(map(str, sys.version_info[:3])))"],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode == 0:
            versions.setdefault(done.stdout.strip(), executable)
    return versions


def _requires_python(services: list[Path]) -> SpecifierSet:
    """The `requires-python` of the services (all the monolith's own); any Python when unreadable."""
    for service in services:
        try:
            text = tomllib.loads((service / "pyproject.toml").read_text(encoding="utf-8"))
            return SpecifierSet(text.get("project", {}).get("requires-python", ""))
        except (OSError, tomllib.TOMLDecodeError, InvalidSpecifier):
            continue
    return SpecifierSet()


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def pip_run(services: list[Path], work: Path) -> PipRun:
    """The interpreter and options pip resolves `services` with (see the module docstring)."""
    wanted = _requires_python(services)
    here = ".".join(map(str, sys.version_info[:3]))
    if here in wanted:
        return PipRun(sys.executable, (), here)
    found = _interpreters()
    fitting = sorted((v for v in found if v in wanted), key=_key)
    if fitting:
        return PipRun(found[fitting[0]], (), fitting[0])
    versions = (f"3.{minor}.{patch}" for minor in range(8, 40) for patch in range(0, 40))
    target = next((version for version in versions if version in wanted), "")
    newest = max(found, key=_key)
    if not target:
        return PipRun(found[newest], (), f"{newest} (nothing satisfies {wanted})")
    options = ("--python-version", target, "--only-binary=:all:", "--target", str(work / "pip-target"))
    return PipRun(found[newest], options, f"{newest} as {target} (wheels only; no {wanted} here)")


def _pip_dry_run(services: list[Path], work: Path, how: PipRun) -> subprocess.CompletedProcess[str]:
    args = [how.python, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet", *how.options]
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return subprocess.run(
        [*args, *map(str, services)], capture_output=True, text=True, env=env, cwd=work, check=False
    )


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR")]
    return (errors or lines or [""])[-1][:300]


def run_corpus(name: str, tree: Path, work: Path, pip: bool) -> CorpusResult:
    result = CorpusResult(name)
    out, cache = work / name / "plan", work / name / "cache"
    result.cold_seconds, done = _plan(tree, out, None)
    if done.returncode != 0:
        result.exit_code, result.error = done.returncode, _last_line(done.stderr + done.stdout)
        return result
    _plan(tree, out, cache)
    result.warm_seconds, done = _plan(tree, out, cache)
    files = [p for p in out.rglob("*") if p.is_file()]
    result.files = len(files)
    result.megabytes = round(sum(p.stat().st_size for p in files) / 1e6, 2)
    services = sorted(p.parent for p in out.glob("services/*/pyproject.toml"))
    for service in services:
        stats = service / "STRANGLER-STATS.json"
        if stats.is_file():
            document = json.loads(stats.read_text())
            result.services[service.name] = {
                f"{part}_lines": int(document.get(part, {}).get("lines", 0))
                for part in ("moved", "vendored", "generated")
            }
    if pip and services:
        how = pip_run(services, work)
        result.pip_python = how.shown
        together = _pip_dry_run(services, work, how)
        if together.returncode == 0:
            result.pip_ok = [s.name for s in services]
        else:
            for service in services:
                alone = _pip_dry_run([service], work, how)
                if alone.returncode == 0:
                    result.pip_ok.append(service.name)
                else:
                    result.pip_failed[service.name] = _last_line(alone.stderr + alone.stdout)
    return result


def _row(r: CorpusResult) -> str:
    if r.exit_code:
        return f"{r.name:16} plan failed (exit {r.exit_code}): {r.error}"
    vendored = sum(s.get("vendored_lines", 0) for s in r.services.values())
    moved = sum(s.get("moved_lines", 0) for s in r.services.values())
    pip = f"{len(r.pip_ok)}/{len(r.pip_ok) + len(r.pip_failed)}" if (r.pip_ok or r.pip_failed) else "-"
    return (
        f"{r.name:16} cold {r.cold_seconds:6.1f} s  warm {r.warm_seconds:6.1f} s  {r.files:6} files "
        f"{r.megabytes:7.2f} MB  {len(r.services):3} services  moved {moved:7}  vendored {vendored:7}  "
        f"pip {pip}" + (f" (Python {r.pip_python})" if r.pip_python else "")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--into", type=Path, default=Path("/tmp/corpora"))
    parser.add_argument("--save", type=Path)
    parser.add_argument("--no-pip", action="store_true")
    args = parser.parse_args()
    chosen = [c for c in corpora.load() if not args.names or c.name in args.names]
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-corpora-") as scratch:
        for corpus in chosen:
            tree = args.into / corpus.name / corpus.path
            if not tree.is_dir():
                print(f"{corpus.name:16} not checked out at {tree}: run corpora.py materialize", flush=True)
                continue
            result = run_corpus(corpus.name, tree, Path(scratch), pip=not args.no_pip)
            results.append(result)
            print(_row(result), flush=True)
            for service, reason in sorted(result.pip_failed.items()):
                print(f"{'':16}   pip: {service}: {reason}", flush=True)
            shutil.rmtree(Path(scratch) / corpus.name, ignore_errors=True)
    if args.save:
        args.save.write_text(json.dumps([asdict(r) for r in results], indent=2, sort_keys=True) + "\n")
    return 1 if any(r.exit_code or r.pip_failed for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
