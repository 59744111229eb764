"""Co-change between modules from `git log`: modules edited in the same commits belong together.

This is the one analyzer that runs a program. It is bounded (the last `history_commits`
commits, a timeout) and optional: no git, or a tree outside any git work tree, gives no facts
and no complaint; only a git that exists and then fails is reported as a diagnostic.

The repository is untrusted: its `.git/config` can name programs (a signature verifier, a pager, an
external diff, a textconv filter, an fsmonitor hook) that git would run as the user. Every call goes
through `git_command`, which overrides each of those keys on the command line (`-c` wins over every
config file), turns off the system config and the pager in the environment, and passes the flags that
keep `git log` from running diff drivers or verifying signatures (docs/security.md).
"""

from __future__ import annotations

import itertools
import os
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

#: Config keys that make git run a program, each pinned to a harmless value on every call; `-c` on
#: the command line outranks the repository's, the user's and the system's config files.
_SAFE_CONFIG: tuple[tuple[str, str], ...] = (
    ("core.quotepath", "off"),
    ("core.pager", "cat"),
    ("core.fsmonitor", "false"),
    ("core.hooksPath", "/dev/null"),
    ("core.sshCommand", "false"),
    ("core.askPass", "false"),
    ("core.editor", "false"),
    ("core.untrackedCache", "false"),
    ("diff.external", ""),
    ("log.showSignature", "false"),
    ("gpg.program", "false"),
    ("gpg.openpgp.program", "false"),
    ("gpg.ssh.program", "false"),
    ("gpg.x509.program", "false"),
    ("gpg.ssh.allowedSignersFile", "/dev/null"),
    ("log.mailmap", "false"),
    ("mailmap.file", "/dev/null"),
    ("mailmap.blob", ""),
    ("pager.log", "false"),
    ("color.ui", "false"),
    ("protocol.allow", "never"),
    ("credential.helper", ""),
    ("safe.bareRepository", "explicit"),
)
#: Environment variables that would point git at other repositories, configs or programs.
_UNSAFE_ENVIRONMENT = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_CONFIG",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
    "GIT_EXTERNAL_DIFF",
    "GIT_EXEC_PATH",
    "GIT_SSH",
    "GIT_SSH_COMMAND",
    "GIT_ASKPASS",
    "GIT_EDITOR",
    "GIT_TRACE",
)


def git_command(git: str, *arguments: str) -> list[str]:
    """`git` with every program-running config key neutralised, then `arguments`."""
    command = [git, "--no-pager"]
    for key, value in _SAFE_CONFIG:
        command += ["-c", f"{key}={value}"]
    return [*command, *arguments]


def git_environment() -> dict[str, str]:
    """The caller's environment without git redirections, with the system config and pager off."""
    environment = {k: v for k, v in os.environ.items() if k not in _UNSAFE_ENVIRONMENT}
    environment.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_PAGER="cat",
        PAGER="cat",
        GIT_TERMINAL_PROMPT="0",
        GIT_OPTIONAL_LOCKS="0",
        GIT_NO_REPLACE_OBJECTS="1",
        LC_ALL="C",
    )
    return environment


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
            git_command(
                git,
                "log",
                f"--max-count={options.history_commits}",
                "--no-show-signature",
                "--no-ext-diff",
                "--no-textconv",
                "--no-color",
                "--no-mailmap",
                "--no-renames",
                "--name-only",
                "--full-diff",  # the whole commit counts towards history_max_files
                "-z",
                "--format=%x01strangler-commit%x01",
                "--",
                ".",
            ),
            cwd=root,
            env=git_environment(),
            stdin=subprocess.DEVNULL,
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
            git_command(git, "rev-parse", "--show-toplevel"),
            cwd=root,
            env=git_environment(),
            stdin=subprocess.DEVNULL,
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
