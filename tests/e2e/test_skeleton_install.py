"""The example's generated services install with pip and pass their smoke tests installed.

`strangler plan examples/monolith_app -o OUT` writes one skeleton per wave. All of them are
installed with `pip install` into one fresh virtualenv (with the system site packages, so their
dependencies come from this environment rather than the network; the build backend comes from the
package index), and each service's smoke test runs against the installed package, from a directory
where the source tree is not importable. A second test asks pip to resolve every service's
dependencies from the index alone (`pip install --dry-run` in a virtualenv without site packages).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_APP

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("plan") / "out"
    run = subprocess.run(
        [sys.executable, "-m", "strangler", "plan", str(EXAMPLE_APP), "-o", str(out), "--no-history", "-q"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    found = sorted(p for p in (out / "services").iterdir() if (p / "pyproject.toml").is_file())
    assert len(found) >= 3
    return found


def _venv(where: Path, *, system: bool) -> Path:
    args = [sys.executable, "-m", "venv", *(["--system-site-packages"] if system else []), str(where)]
    subprocess.run(args, check=True, capture_output=True, timeout=300)
    return where / "bin" / "python"


def _pip(python: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=1200,
    )


def test_every_service_installs_and_passes_its_smoke_test_installed(
    services: list[Path], tmp_path: Path
) -> None:
    python = _venv(tmp_path / "venv", system=True)
    done = _pip(python, "install", "--quiet", *map(str, services))
    assert done.returncode == 0, done.stdout + done.stderr
    elsewhere = tmp_path / "elsewhere"  # no source tree on sys.path: the installed packages answer
    elsewhere.mkdir()
    for service in services:
        package = json.loads((service / "STRANGLER-STATS.json").read_text())["package"]
        where = subprocess.run(
            [str(python), "-c", f"import {package}; print({package}.__file__)"],
            cwd=elsewhere,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert where.stdout.startswith(str(tmp_path / "venv")), where.stdout + where.stderr
        smoke = subprocess.run(
            [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", str(service / "tests")],
            cwd=elsewhere,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": ""},
        )
        assert smoke.returncode == 0 and "1 passed" in smoke.stdout, (
            service.name + smoke.stdout + smoke.stderr
        )


def test_pip_resolves_every_service_from_the_index(services: list[Path], tmp_path: Path) -> None:
    python = _venv(tmp_path / "venv", system=False)
    report = tmp_path / "report.json"
    done = _pip(python, "install", "--dry-run", "--quiet", "--report", str(report), *map(str, services))
    unreachable = "NewConnectionError" in done.stderr or (
        "No matching distribution" in done.stderr and "setuptools" in done.stderr
    )
    if done.returncode != 0 and unreachable:
        pytest.skip(f"the package index is not reachable: {done.stderr[-300:]}")
    assert done.returncode == 0, done.stdout + done.stderr
    installed = {item["metadata"]["name"].lower() for item in json.loads(report.read_text())["install"]}
    assert {f"{s.name}-service" for s in services} <= installed
    assert {"flask", "sqlalchemy", "httpx"} <= installed
