"""Install every service `strangler plan` generates for a real monolith and run its smoke test.

Run: python benchmarks/plan/bench_smoke.py [NAME ...] [--mirrors /work/.mirror] [--keep DIR]

For each monolith of smoke.toml (beside this file): its pinned commit is written from the `fetch`
tool's snapshot (`git archive <commit> | tar -x`) into a scratch directory, `strangler plan` runs on
it (history off, cache off), and each generated service is installed with its test extra (`pip
install -c constraints.txt ./<service>[test]`, the monolith's pins) into one fresh virtualenv per
monolith made with the monolith's Python (`python3.N` on PATH or pyenv's), then its `tests/` run
with pytest. Prints, per service, whether it installed and whether its smoke test passed (with the
last error line when not), and exits 1 when any did not. Needs the package index (PyPI) for pip.

This runs the monolith's own code (the smoke tests import the moved and vendored modules), in the
virtualenv and its scratch directory: it is for the pinned, reviewed revisions listed here, never
for a tree you do not trust. `strangler plan` itself never runs it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class Monolith:
    name: str
    repo: str
    commit: str
    path: str
    python: str


@dataclass(frozen=True, slots=True)
class Outcome:
    service: str
    installed: bool
    passed: bool
    detail: str


def load(path: Path = HERE / "smoke.toml") -> list[Monolith]:
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    return [Monolith(**entry) for entry in document["monolith"]]


def interpreter(version: str) -> str:
    """An executable of Python `version` ("3.11"): pyenv's newest of that minor, else `pythonX.Y` on
    PATH when it runs (a pyenv shim of a version not selected does not)."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    versions = sorted(root.glob(f"{version}.*"), key=_numbers)
    if versions:
        return str(versions[-1] / "bin" / "python")
    found = shutil.which(f"python{version}")
    if found and subprocess.run([found, "-c", ""], capture_output=True, check=False).returncode == 0:
        return found
    raise SystemExit(f"no Python {version} found (pyenv or PATH)")


def _numbers(path: Path) -> list[int]:
    return [int(x) for x in path.name.split(".") if x.isdigit()]


def materialize(monolith: Monolith, mirrors: Path, into: Path) -> Path:
    owner, _, repo = monolith.repo.partition("/")
    git_dir = mirrors / f"{owner}+{repo}" / "repo"
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", f"--git-dir={git_dir}", "archive", monolith.commit], check=True, capture_output=True
    )
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into / monolith.path


def smoke(monolith: Monolith, mirrors: Path, work: Path) -> list[Outcome]:
    tree = materialize(monolith, mirrors, work / "tree")
    plan = work / "plan"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "strangler",
            "plan",
            str(tree),
            "-o",
            str(plan),
            "--no-history",
            "--no-cache",
            "-q",
        ],
        check=True,
    )
    venv = work / "venv"
    subprocess.run([interpreter(monolith.python), "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    return [_service(python, s) for s in sorted((plan / "services").iterdir()) if s.is_dir()]


def _service(python: str, service: Path) -> Outcome:
    constraints = service / "constraints.txt"
    pinned = ["-c", str(constraints)] if constraints.is_file() else []
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", *pinned, f"{service}[test]"],
        capture_output=True,
        text=True,
        check=False,
    )
    if install.returncode != 0:
        return Outcome(service.name, False, False, _last_error(install.stderr))
    test = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=service,
        capture_output=True,
        text=True,
        check=False,
    )
    return Outcome(
        service.name, True, test.returncode == 0, "" if test.returncode == 0 else _last_error(test.stdout)
    )


def _last_error(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("E ") or "Error" in line]
    return (lines or output.splitlines() or [""])[-1].strip()[:160]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"))
    parser.add_argument("--keep", type=Path, help="work here (kept) instead of a scratch directory")
    args = parser.parse_args(argv)
    chosen = [m for m in load() if not args.names or m.name in args.names]
    failed = 0
    for monolith in chosen:
        with tempfile.TemporaryDirectory() as scratch:
            work = args.keep / monolith.name if args.keep else Path(scratch)
            outcomes = smoke(monolith, args.mirrors, work)
        passed = sum(o.passed for o in outcomes)
        print(f"{monolith.name} @ {monolith.commit[:12]}: {passed}/{len(outcomes)} pass")
        for o in outcomes:
            state = "pass" if o.passed else ("smoke test fails" if o.installed else "does not install")
            print(f"  {o.service:24} {state}{': ' + o.detail if o.detail else ''}")
        failed += sum(not o.passed for o in outcomes)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
