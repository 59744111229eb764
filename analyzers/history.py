"""Co-change between modules from `git log`: modules edited in the same commits belong together.

This is the one analyzer that runs a program. It is bounded (the last `history_commits`
commits, a timeout) and optional: no git, or a tree outside any git work tree, gives no facts
and no complaint; only a git that exists and then fails is reported as a diagnostic.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from analyzers.model import CoChange, Diagnostic
from analyzers.options import AnalysisOptions

GIT_TIMEOUT_SECONDS = 60.0
# Marks the start of each commit in `git log -z` output (the format writes it as %x01...%x01);
# paths never contain \x01 in practice, and NUL separates the paths themselves.
_COMMIT_MARK = "\x01strangler-commit\x01"


def cochange(
    root: Path, path_to_module: Mapping[str, str], options: AnalysisOptions
) -> tuple[tuple[CoChange, ...], tuple[Diagnostic, ...]]:
    """Pairs of modules changed together in recent commits, with how many commits.

    `path_to_module` maps POSIX paths relative to `root` to module names. Commits touching
    more than `options.history_max_files` files are ignored (mass reformatting, renames).
    """
    git = shutil.which("git")
    if git is None or options.history_commits <= 0:
        return (), ()
    root = Path(root).resolve()
    top = _toplevel(git, root)
    if top is None:
        return (), ()
    try:
        prefix = root.relative_to(top).as_posix()
    except ValueError:
        return (), ()
    try:
        completed = subprocess.run(
            [
                git,
                "-c",
                "core.quotepath=off",
                "log",
                f"--max-count={options.history_commits}",
                "--no-renames",
                "--name-only",
                "--full-diff",  # the whole commit counts towards history_max_files
                "-z",
                "--format=%x01strangler-commit%x01",
                "--",
                ".",
            ],
            cwd=root,
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return (), (_failure(f"git log did not complete: {exc}"),)
    if completed.returncode != 0:
        stderr = completed.stderr.decode("utf-8", "replace").strip()
        if "does not have any commits" in stderr:
            return (), ()
        return (), (_failure(f"git log failed ({completed.returncode}): {stderr[:300]}"),)
    commits = parse_log(completed.stdout.decode("utf-8", "surrogateescape"))
    return count_pairs(commits, prefix, path_to_module, options.history_max_files), ()


def parse_log(output: str) -> list[tuple[str, ...]]:
    """The changed paths (relative to the repository top) of each commit in `git log -z` output."""
    commits: list[tuple[str, ...]] = []
    for chunk in output.split(_COMMIT_MARK)[1:]:
        paths = tuple(p.lstrip("\n") for p in chunk.split("\x00"))
        commits.append(tuple(p for p in paths if p))
    return commits


def count_pairs(
    commits: Iterable[tuple[str, ...]],
    prefix: str,
    path_to_module: Mapping[str, str],
    max_files: int,
) -> tuple[CoChange, ...]:
    """Count, per pair of modules, the commits that changed both (sorted by pair)."""
    base = "" if prefix in ("", ".") else prefix.rstrip("/") + "/"
    counts: Counter[tuple[str, str]] = Counter()
    for paths in commits:
        if len(paths) > max_files:
            continue
        changed: set[str] = set()
        for path in paths:
            if base and not path.startswith(base):
                continue
            relative = str(PurePosixPath(path[len(base) :]))
            module = path_to_module.get(relative)
            if module is not None:
                changed.add(module)
        for a, b in itertools.combinations(sorted(changed), 2):
            counts[(a, b)] += 1
    return tuple(CoChange(a, b, n) for (a, b), n in sorted(counts.items()))


def _toplevel(git: str, root: Path) -> Path | None:
    """The top of the git work tree holding `root`, or None when there is none."""
    try:
        completed = subprocess.run(
            [git, "rev-parse", "--show-toplevel"],
            cwd=root,
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if completed.returncode != 0:
        return None
    text = completed.stdout.decode("utf-8", "surrogateescape").strip()
    return Path(text).resolve() if text else None


def _failure(message: str) -> Diagnostic:
    return Diagnostic(path=".", line=0, kind="history", message=message)
