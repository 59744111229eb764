"""The development set: pinned corpora, their ground-truth rules, and their checkouts.

    python benchmarks/decomposition/corpora.py list
    python benchmarks/decomposition/corpora.py materialize [NAME ...] [--into /tmp/corpora]
        [--mirrors /work/.mirror]
    python benchmarks/decomposition/corpora.py truth NAME [--into /tmp/corpora]   # labels and sizes

`corpora.toml` (beside this file) names each corpus, its repository and pinned commit, the directory
analyzed, and its ground truth as regular expressions over module names (the file's header says how
they are read). `materialize` writes each pinned commit from the git snapshot the `fetch` tool brought
to `<mirrors>/<owner>+<repo>/repo` into `<into>/<name>`, as

    git --git-dir=<mirror> archive <commit> -- <the .py files and project files> | tar -x -C <into>/<name>

Only Python files and the files that decide source roots (pyproject.toml, setup.cfg, setup.py,
manage.py, strangler.toml) are written: the snapshots lack files of 4 MiB and more, which a whole
`git archive` would stop at, and nothing else is read by the analysis. The corpora's code is never
committed here.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
CORPORA_FILE = HERE / "corpora.toml"
DEFAULT_INTO = Path("/tmp/corpora")
DEFAULT_MIRRORS = Path("/work/.mirror")
#: Files besides `*.py` that the analysis reads to find source roots and configuration.
PROJECT_FILES = frozenset({"pyproject.toml", "setup.cfg", "strangler.toml"})


@dataclass(frozen=True, slots=True)
class Corpus:
    """One monolith of the development set and its ground-truth rule."""

    name: str
    repo: str
    commit: str
    path: str
    shape: str
    rule: str
    unscored: tuple[re.Pattern[str], ...]
    services: tuple[re.Pattern[str], ...]
    layers: tuple[re.Pattern[str], ...]
    aliases: tuple[tuple[str, str], ...]
    min_size: int

    def checkout(self, into: Path) -> Path:
        return into / self.name

    def analyzed(self, into: Path) -> Path:
        """The directory `strangler boundaries` runs on."""
        return (self.checkout(into) / self.path).resolve()

    def mirror(self, mirrors: Path) -> Path:
        owner, _, name = self.repo.partition("/")
        return mirrors / f"{owner}+{name}" / "repo"


def load(path: Path = CORPORA_FILE) -> list[Corpus]:
    """Every corpus of `path`, in the file's order."""
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    return [_corpus(entry) for entry in document["corpus"]]


def _corpus(entry: Mapping[str, Any]) -> Corpus:
    return Corpus(
        name=str(entry["name"]),
        repo=str(entry["repo"]),
        commit=str(entry["commit"]),
        path=str(entry.get("path", ".")),
        shape=str(entry.get("shape", "")),
        rule=str(entry["rule"]),
        unscored=_patterns(entry.get("unscored", ())),
        services=_patterns(entry["services"]),
        layers=_patterns(entry.get("layers", ())),
        aliases=tuple(sorted(dict(entry.get("aliases", {})).items())),
        min_size=int(entry.get("min_size", 2)),
    )


def _patterns(values: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(v) for v in values)


def select(corpora: list[Corpus], names: Iterable[str]) -> list[Corpus]:
    """The corpora named (case-insensitive), all when none is; SystemExit for an unknown name."""
    wanted = [n.lower() for n in names]
    if not wanted:
        return corpora
    known = {c.name.lower(): c for c in corpora}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise SystemExit(f"unknown corpus {', '.join(unknown)}; known: {', '.join(c.name for c in corpora)}")
    return [known[n] for n in wanted]


def _label(match: re.Match[str], aliases: Mapping[str, str]) -> str:
    return ".".join(aliases.get(g, g) for g in match.groups() if g)


def _first(patterns: Iterable[re.Pattern[str]], module: str, aliases: Mapping[str, str]) -> str:
    for pattern in patterns:
        found = pattern.match(module)
        if found:
            return _label(found, aliases)
    return ""


def truth(corpus: Corpus, modules: Iterable[str]) -> dict[str, str]:
    """Module -> ground-truth service ("" = not scored) for the modules given (the graph's)."""
    aliases = dict(corpus.aliases)
    names = sorted(modules)
    labels: dict[str, str] = {}
    for module in names:
        if any(p.search(module) for p in corpus.unscored):
            labels[module] = ""
            continue
        labels[module] = _first(corpus.services, module, aliases)
    domains = {label for label in labels.values() if label}
    for module in names:
        if not labels[module] and not any(p.search(module) for p in corpus.unscored):
            layered = _first(corpus.layers, module, aliases)
            labels[module] = layered if layered in domains else ""
    sizes = Counter(label for label in labels.values() if label)
    return {m: (label if sizes[label] >= corpus.min_size else "") for m, label in labels.items()}


def _wanted(path: str) -> bool:
    name = path.rpartition("/")[2]
    return name.endswith(".py") or name in PROJECT_FILES


def materialize(corpus: Corpus, into: Path, mirrors: Path) -> Path:
    """Write the pinned commit's Python and project files into `into/<name>` (replacing it)."""
    git_dir = corpus.mirror(mirrors)
    if (git_dir / ".git").is_dir():
        git_dir = git_dir / ".git"
    if not git_dir.is_dir():
        raise SystemExit(f"{corpus.name}: no snapshot at {git_dir}; fetch github:{corpus.repo} first")
    git = ["git", f"--git-dir={git_dir}", "-c", "core.hooksPath=/dev/null"]
    listing = subprocess.run(
        [*git, "ls-tree", "-r", "-z", "--name-only", corpus.commit],
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8", "surrogateescape")
    paths = [p for p in listing.split("\0") if p and _wanted(p)]
    target = corpus.checkout(into)
    if target.exists():
        subprocess.run(["rm", "-rf", "--", str(target)], check=True)
    target.mkdir(parents=True)
    # (git reports every blob the snapshot lacks, wanted or not: those messages are dropped)
    archive = subprocess.Popen(
        [*git, "archive", "--format=tar", corpus.commit, "--", *paths],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    subprocess.run(["tar", "-x", "-C", str(target)], stdin=archive.stdout, check=True)
    if archive.wait() != 0:
        raise SystemExit(f"{corpus.name}: git archive of {corpus.commit} failed")
    return target


def _show_truth(corpus: Corpus, into: Path) -> None:
    root = corpus.analyzed(into)
    modules = _module_names(root)
    labels = truth(corpus, modules)
    sizes = Counter(label for label in labels.values() if label)
    scored = sum(sizes.values())
    print(f"{corpus.name}: {len(modules)} modules, {scored} scored in {len(sizes)} services")
    for label, size in sorted(sizes.items()):
        print(f"  {label:40} {size}")


def _module_names(root: Path) -> list[str]:
    import analyzers
    from analyzers.options import AnalysisOptions

    codebase = analyzers.analyze(root, AnalysisOptions(history=False))
    return sorted(m.name for m in codebase.modules if m.role == "code")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["list", "materialize", "truth"])
    parser.add_argument("names", nargs="*", help="corpora (default: all)")
    parser.add_argument("--into", type=Path, default=DEFAULT_INTO)
    parser.add_argument("--mirrors", type=Path, default=DEFAULT_MIRRORS)
    args = parser.parse_args(argv)
    corpora = select(load(), args.names)
    for corpus in corpora:
        if args.action == "list":
            print(f"{corpus.name:14} {corpus.repo:32} {corpus.commit}  {corpus.path}")
        elif args.action == "materialize":
            print(f"{corpus.name}: {materialize(corpus, args.into, args.mirrors)}")
        else:
            _show_truth(corpus, args.into)
    return 0


if __name__ == "__main__":
    sys.exit(main())
