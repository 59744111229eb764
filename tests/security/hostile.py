"""Builders shared by the hostile-tree tests: a small monolith, and the CLI run as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: A small Flask-free monolith with two capabilities and a route each: enough for every command.
SHOP = {
    "shop/__init__.py": "",
    "shop/orders.py": (
        '"""Orders."""\nfrom shop import stock\n\n\ndef place(item):\n    return stock.take(item)\n'
    ),
    "shop/stock.py": '"""Stock."""\n\n\ndef take(item):\n    return item\n',
    "shop/billing.py": "from shop import orders\n\n\ndef bill(x):\n    return orders.place(x)\n",
}


def run_cli(
    *arguments: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`python -m strangler ARGUMENTS` in a subprocess, its own cache under the test's XDG cache."""
    return subprocess.run(
        [sys.executable, "-m", "strangler", *arguments],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONHASHSEED": "0"},
        timeout=timeout,
        check=False,
    )


def assert_clean_failure(completed: subprocess.CompletedProcess[str], code: int, *words: str) -> None:
    """Exit `code`, no traceback, and a one-line error naming `words`."""
    assert completed.returncode == code, (completed.returncode, completed.stdout, completed.stderr)
    assert "Traceback" not in completed.stderr, completed.stderr
    error_lines = [line for line in completed.stderr.splitlines() if "error" in line.lower()]
    assert error_lines, completed.stderr
    for word in words:
        assert word in completed.stderr, completed.stderr


def files_under(root: Path) -> set[str]:
    """Every path below `root` (relative, POSIX), links included, not followed."""
    found = set()
    for directory, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            found.add(os.path.relpath(os.path.join(directory, name), root).replace(os.sep, "/"))
    return found


def nginx_failures(out: Path, scratch: Path) -> list[str]:
    """Every nginx file of a plan checked with the real `nginx -t`; the files it refuses, with why.

    A `*.server.conf` snippet is checked inside a minimal host config, as a user would include it."""
    from tests.conftest import require_tool

    nginx = require_tool("nginx")
    failures = []
    for index, conf in enumerate(sorted((out / "proxy" / "nginx").glob("**/*.conf"))):
        prefix = scratch / f"nginx-{index}"
        prefix.mkdir(parents=True)
        target = conf
        if conf.name.endswith(".server.conf"):
            target = prefix / "host.conf"
            target.write_text(
                "pid nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n"
                "client_body_temp_path cb; proxy_temp_path px; fastcgi_temp_path fc;\n"
                "uwsgi_temp_path uw; scgi_temp_path sc;\n"
                f"access_log off;\ninclude {conf};\n}}\n"
            )
        result = subprocess.run(
            [nginx, "-t", "-p", str(prefix), "-c", str(target)], capture_output=True, text=True, timeout=30
        )
        if result.returncode != 0:
            failures.append(f"{conf.relative_to(out)}: {result.stderr.strip()[-300:]}")
    return failures
