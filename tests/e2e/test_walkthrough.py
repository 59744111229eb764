"""The README walkthrough, run exactly as the README shows it: `bash examples/walkthrough.sh`.

Twice in a row (a second run must not trip over the first one's database or output), each time with
HOME and TMPDIR pointed at empty directories, so that what the script writes can be found: all of it
must sit in the one work directory it made under TMPDIR, nothing it started may outlive it, and the
example monolith must be left untouched.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_APP, REPO, require_tool

pytestmark = pytest.mark.slow


def _processes_under(path: Path) -> list[str]:
    """Command lines of running processes whose arguments or working directory are under `path`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(entry / "cwd")
        except OSError:
            continue
        if str(path) in cmdline or cwd.startswith(str(path)):
            found.append(cmdline)
    return found


def _toolchain_homes() -> dict[str, str]:
    """Where rustup keeps its toolchains, as it finds them under the real HOME.

    pip runs `rustc --version` for its user agent; where `rustc` is a rustup proxy, that creates
    `$HOME/.rustup` when it is missing: the machine's toolchain state, not something the script wrote."""
    real = Path.home()
    found = {"RUSTUP_HOME": real / ".rustup", "CARGO_HOME": real / ".cargo"}
    return {name: str(path) for name, path in found.items() if path.is_dir() and name not in os.environ}


def _example_state() -> str:
    done = subprocess.run(
        ["git", "status", "--porcelain", "--ignored", "--", str(EXAMPLE_APP)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def test_walkthrough_script_passes_twice_and_leaves_nothing_behind(tmp_path: Path) -> None:
    require_tool("nginx")
    if not Path("/proc/self/cmdline").exists():
        pytest.skip("needs /proc to look for leftover processes")
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    env = {**os.environ, "HOME": str(home), "TMPDIR": str(tmp), **_toolchain_homes()}
    example_before = _example_state()
    for run in (1, 2):
        done = subprocess.run(
            ["bash", "examples/walkthrough.sh"],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, f"run {run}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        assert "151/151 scenarios passed" in done.stdout
        served = re.search(r"(\w+) answered (\d+) requests through nginx", done.stdout)
        assert served is not None and int(served.group(2)) > 0, done.stdout[-500:]
        made = sorted(tmp.iterdir())
        assert len(made) == run and all(p.name.startswith("strangler-walkthrough.") for p in made)
        assert _processes_under(made[-1]) == []
    assert sorted(home.iterdir()) == []
    assert _example_state() == example_before
