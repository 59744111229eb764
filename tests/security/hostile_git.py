"""A git repository whose own `.git/config` names programs: each writes a marker file when run."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

#: Config keys that make a plain git run a program, each pointed at the evil script.
EVIL_KEYS = (
    "gpg.program",
    "gpg.openpgp.program",
    "gpg.ssh.program",
    "core.pager",
    "core.fsmonitor",
    "diff.external",
    "core.sshCommand",
)

_FAKE_SIGNATURE = (
    "gpgsig -----BEGIN PGP SIGNATURE-----\n"
    " \n"
    " iQEzBAABCAAdFiEEfakefakefakefakefakefakefakefakefake\n"
    " -----END PGP SIGNATURE-----\n"
)


def git(root: Path, *arguments: str) -> str:
    environment = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    completed = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *arguments],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return completed.stdout


def signed_commit(root: Path, message: str) -> None:
    """Commit the index as a commit object carrying a (fake) PGP signature header."""
    tree = git(root, "write-tree").strip()
    head = git(root, "rev-parse", "--verify", "-q", "HEAD").strip() if _has_head(root) else ""
    lines = [f"tree {tree}"]
    if head:
        lines.append(f"parent {head}")
    lines += [
        "author t <t@example.invalid> 1700000000 +0000",
        "committer t <t@example.invalid> 1700000000 +0000",
    ]
    body = "\n".join(lines) + "\n" + _FAKE_SIGNATURE + "\n" + message + "\n"
    completed = subprocess.run(
        ["git", "hash-object", "-t", "commit", "-w", "--stdin", "--literally"],
        cwd=root,
        input=body,
        capture_output=True,
        text=True,
        check=True,
    )
    git(root, "update-ref", "HEAD", completed.stdout.strip())


def _has_head(root: Path) -> bool:
    return (
        subprocess.run(
            ["git", "rev-parse", "--verify", "-q", "HEAD"], cwd=root, capture_output=True
        ).returncode
        == 0
    )


def arm(root: Path, marker: Path) -> Path:
    """Write `.git/evil.sh` (touches `marker`) and point every program-running key at it."""
    script = root / ".git" / "evil.sh"
    script.write_text(f'#!/bin/sh\ntouch "{marker}"\ncat >/dev/null\nexit 0\n', encoding="utf-8")
    script.chmod(0o755)
    for key in EVIL_KEYS:
        git(root, "config", key, str(script))
    git(root, "config", "log.showSignature", "true")
    git(root, "config", "core.hooksPath", str(root / ".git"))
    return script
