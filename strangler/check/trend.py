"""`strangler progress`: what is left to cut, commit by commit.

Each of the last N commits touching PATH (first parent only) is read from git's object store —
`ls-tree` and `cat-file --batch`, which run no filter, hook or other program of the repository —
into a temporary directory (Python files and the project's config only, regular files only, no
link), analyzed through the facts cache (files unchanged between commits are parsed once), and
checked against today's decomposition. The count of findings per commit is the work left.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from analyzers.history import GIT_TIMEOUT_SECONDS, git_command, git_environment
from analyzers.options import AnalysisOptions
from strangler.check.findings import Finding, Policy
from strangler.check.rules import find_violations
from strangler.exceptions import StranglerError, ToolMissingError

SCHEMA = "strangler.progress/1"
#: Files of a commit worth reading: the code and what configures its analysis.
_CONFIG_FILES = frozenset({"pyproject.toml", "strangler.toml"})
_FIELD_SEPARATOR = "\x1f"


class ProgressError(StranglerError):
    """PATH is not in a git repository, or git failed."""

    exit_code = 1


@dataclass(frozen=True, slots=True)
class CommitProgress:
    """The findings of one commit against today's decomposition."""

    commit: str
    date: str  # committer date, ISO 8601
    subject: str
    findings: int
    by_pair: tuple[tuple[str, int], ...]  # ("source -> target", count), sorted by pair


def _git(root: Path, *arguments: str, stdin: bytes | None = None) -> bytes:
    git = shutil.which("git")
    if git is None:
        raise ToolMissingError("git is not installed", hint="install git to read the history")
    try:
        completed = subprocess.run(
            git_command(git, *arguments),
            cwd=root,
            env=git_environment(),
            input=stdin if stdin is not None else b"",
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ProgressError(f"git {arguments[0]} did not complete: {exc}", path=str(root)) from None
    if completed.returncode != 0:
        message = completed.stderr.decode("utf-8", "replace").strip()[:300]
        raise ProgressError(f"git {arguments[0]} failed: {message}", path=str(root))
    return completed.stdout


def recent_commits(root: Path, count: int) -> list[tuple[str, str, str]]:
    """(sha, committer date, subject) of the last `count` first-parent commits touching `root`,
    oldest first."""
    output = _git(
        root, "log", f"--max-count={count}", "--first-parent", "--no-show-signature", "--no-mailmap",
        f"--format=%H{_FIELD_SEPARATOR}%cI{_FIELD_SEPARATOR}%s", "--", ".",
    )  # fmt: skip
    rows = []
    for line in output.decode("utf-8", "replace").splitlines():
        sha, date, subject = [*line.split(_FIELD_SEPARATOR, 2), "", ""][:3]
        rows.append((sha, date, subject))
    return rows[::-1]


def _wanted(path: str) -> bool:
    parts = PurePosixPath(path).parts
    safe = bool(parts) and all(p not in ("", ".", "..") for p in parts) and "\x00" not in path
    return safe and (path.endswith(".py") or path in _CONFIG_FILES)


def _blobs(root: Path, commit: str) -> list[tuple[str, str]]:
    """(object id, path relative to `root`) of the regular files of `commit` worth reading."""
    found = []
    for entry in _git(root, "ls-tree", "-r", "-z", commit, "--", ".").split(b"\x00"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, oid = meta.decode("ascii").split(" ")
        path = raw_path.decode("utf-8", "surrogateescape")
        if kind == "blob" and mode in ("100644", "100755") and _wanted(path):
            found.append((oid, path))
    return found


def _contents(root: Path, oids: list[str], limit: int) -> Iterator[bytes | None]:
    """The bytes of each object (None when larger than `limit`), in order, from one `cat-file`."""
    output = _git(root, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in oids).encode())
    position = 0
    for _ in oids:
        header_end = output.index(b"\n", position)
        size = int(output[position:header_end].split(b" ")[2])
        start = header_end + 1
        yield output[start : start + size] if size <= limit else None
        position = start + size + 1


def _create(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with os.fdopen(os.open(target, flags, 0o644), "wb") as stream:
        stream.write(data)


def materialize(root: Path, commit: str, into: Path, limit: int) -> None:
    """Write the Python files and config of `root` at `commit` under `into` (a fresh directory)."""
    blobs = _blobs(root, commit)
    for (_, path), data in zip(blobs, _contents(root, [oid for oid, _ in blobs], limit), strict=True):
        if data is not None:
            _create(into.joinpath(*PurePosixPath(path).parts), data)


def _pairs(findings: tuple[Finding, ...]) -> tuple[tuple[str, int], ...]:
    counts = Counter(f"{f.source_service} -> {f.target_service}" for f in findings)
    return tuple(sorted(counts.items()))


def progress(root: Path, policy: Policy, options: AnalysisOptions, count: int) -> tuple[CommitProgress, ...]:
    """The findings of each of the last `count` commits touching `root` against `policy`."""
    import analyzers

    root = root.resolve()
    options = replace(options, history=False)
    rows = []
    # One scratch tree for every commit: the facts cache is keyed by the analyzed root and each
    # file's content, so a file no commit changed is parsed once for the whole history.
    with tempfile.TemporaryDirectory(prefix="strangler-progress-") as scratch:
        tree = Path(scratch) / "tree"
        for sha, date, subject in recent_commits(root, count):
            shutil.rmtree(tree, ignore_errors=True)
            tree.mkdir()
            materialize(root, sha, tree, options.max_file_bytes)
            if not any(tree.rglob("*.py")):
                continue
            findings = find_violations(policy, analyzers.analyze(tree, options))
            rows.append(CommitProgress(sha, date, subject, len(findings), _pairs(findings)))
    return tuple(rows)


def by_service(row: CommitProgress) -> dict[str, int]:
    """Cross-boundary findings each service still takes part in (as user or as used) at one commit."""
    counts: Counter[str] = Counter()
    for pair, n in row.by_pair:
        source, _, target = pair.partition(" -> ")
        counts[source] += n
        if target != source:
            counts[target] += n
    return dict(counts)


def to_document(rows: tuple[CommitProgress, ...], boundaries: str) -> dict[str, object]:
    """The `strangler.progress/1` document (docs/schemas/check.md)."""
    return {
        "schema": SCHEMA,
        "boundaries": boundaries,
        "commits": [
            {
                "commit": r.commit,
                "date": r.date,
                "subject": r.subject,
                "findings": r.findings,
                "by_pair": dict(r.by_pair),
            }
            for r in rows
        ],
    }


def render_text(rows: tuple[CommitProgress, ...]) -> str:
    """One line per commit, oldest first: findings left and the change since the commit before."""
    lines = []
    previous: int | None = None
    for row in rows:
        delta = "" if previous is None else f" ({row.findings - previous:+d})"
        lines.append(f"{row.commit[:10]} {row.date[:10]} {row.findings:>6}{delta:<8} {row.subject}")
        previous = row.findings
    if rows:
        pairs = sorted(rows[-1].by_pair, key=lambda item: (-item[1], item[0]))
        lines.append("left to cut at the last commit:")
        lines += [f"  {pair}: {n}" for pair, n in pairs] or ["  nothing: every boundary holds"]
    else:
        lines.append("no commit touches PATH")
    return "\n".join(lines) + "\n"
