"""End to end with a real nginx: the phase-1 config of the example shop's plan routes the first wave
to a stand-in service and everything else to the monolith, without changing a single response;
the 10% canary config sends about 10% of the first wave's traffic to the stand-in.

Processes: two monolith instances on one fresh SQLite database (one, the stand-in, adds an
`X-Strangler-Standin` header through a tiny WSGI wrapper), a third on its own database for the
expected responses, and nginx run as the current user with its prefix in a temp dir. All listen on
127.0.0.1, every wait is bounded, and a finalizer stops every process.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from strangler.cli import main
from tests.builders import free_port
from tests.conftest import EXAMPLE_APP, require_tool
from tests.skel_support import listens_on

pytestmark = pytest.mark.slow

HEADER = "X-Strangler-Standin"
STARTUP_SECONDS = 30.0
#: Canary: N requests at 10%; the count is Binomial(400, 0.1): mean 40, sd 6. Accepting 16..64
#: (±4 sd) fails a correct config with probability < 1e-4 and a 0% or 50% config essentially never.
CANARY_N = 400
CANARY_SHARE = 0.10
CANARY_TOLERANCE = 0.06

LAUNCHER = """
import os, sys
sys.path.insert(0, os.environ["SHOP_APP_DIR"])
from shop.app import create_app

app = create_app()
name = os.environ.get("STANDIN_NAME")
if name:
    inner = app.wsgi_app

    def tagged(environ, start_response):
        def start(status, headers, exc_info=None):
            return start_response(status, [*headers, ("X-Strangler-Standin", name)], exc_info)
        return inner(environ, start)

    app.wsgi_app = tagged
app.run(host="127.0.0.1", port=int(sys.argv[1]), threaded=True, use_reloader=False, debug=False)
"""


def wait_http(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"process exited early ({proc.returncode}):\n{log.read_text(errors='replace')}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2):
                pass
        except OSError:
            time.sleep(0.1)
            continue
        if listens_on(proc.pid, urllib.parse.urlsplit(url).port or 80):
            return
        time.sleep(0.1)  # another process answered on our port
    raise AssertionError(f"{url} did not answer in {STARTUP_SECONDS}s:\n{log.read_text(errors='replace')}")


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start a process with output to a log file; every one is stopped at teardown."""
    procs: list[subprocess.Popen[bytes]] = []

    def start(args: list[str], name: str, env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
        log = tmp_path / f"{name}.log"
        handle = log.open("wb")
        proc = subprocess.Popen(
            args, stdout=handle, stderr=subprocess.STDOUT, env=dict(env or os.environ), cwd=tmp_path
        )
        handle.close()
        proc.log = log  # type: ignore[attr-defined]
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _scenarios() -> Any:
    sys.path.insert(0, str(EXAMPLE_APP))
    try:
        import shop_scenarios
    finally:
        sys.path.remove(str(EXAMPLE_APP))
    return shop_scenarios


def start_shop(
    spawn: Callable[..., subprocess.Popen[bytes]],
    tmp: Path,
    port: int,
    db: Path,
    name: str,
    standin: str = "",
) -> None:
    launcher = tmp / "launch_shop.py"
    launcher.write_text(LAUNCHER)
    env = dict(os.environ)
    env.update(
        SHOP_APP_DIR=str(EXAMPLE_APP),
        SHOP_DATABASE_URL=f"sqlite:///{db}",
        SHOP_FIXED_NOW=_scenarios().FIXED_NOW,
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("STANDIN_NAME", None)
    if standin:
        env["STANDIN_NAME"] = standin
    proc = spawn([sys.executable, str(launcher), str(port)], name, env)
    wait_http(f"http://127.0.0.1:{port}/health", proc, proc.log)  # type: ignore[attr-defined]


def start_nginx(spawn: Callable[..., subprocess.Popen[bytes]], conf: Path, prefix: Path, port: int) -> None:
    nginx = require_tool("nginx")
    prefix.mkdir()
    check = subprocess.run(
        [nginx, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True, timeout=30
    )
    assert check.returncode == 0, check.stderr
    proc = spawn([nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"], prefix.name)
    wait_http(f"http://127.0.0.1:{port}/health", proc, proc.log)  # type: ignore[attr-defined]


def recording(send: Any, log: list[tuple[str, str, Mapping[str, str]]]) -> Any:
    def wrapped(method: str, path: str, headers: Mapping[str, str], body: bytes) -> Any:
        status, response_headers, raw = send(method, path, headers, body)
        log.append((method, path, {k.lower(): v for k, v in response_headers.items()}))
        return status, response_headers, raw

    return wrapped


def test_phase_one_and_canary_through_a_real_nginx(tmp_path: Path, spawn: Any) -> None:
    require_tool("nginx")
    scenarios = _scenarios()
    monolith_port, standin_port, expected_port, proxy_port = (free_port() for _ in range(4))

    # 1. the plan, with the proxy pointed at our two instances
    out = tmp_path / "plan"
    first = json.loads(_plan_json(out, monolith_port, standin_port, proxy_port))
    wave1 = first["waves"][0]
    assert wave1["routes"], "the first wave of the example app should move routes"
    plan = json.loads((out / "plan.json").read_text())
    assert plan["waves"][0]["service"] == wave1["service"]

    # 2. expected responses: the monolith alone, fresh database
    start_shop(spawn, tmp_path, expected_port, tmp_path / "expected.db", "expected")
    expected = scenarios.run_scenarios(scenarios.http_transport(f"http://127.0.0.1:{expected_port}"))

    # 3. monolith + stand-in on one fresh database, nginx phase 1 in front
    shared_db = tmp_path / "shared.db"
    start_shop(spawn, tmp_path, monolith_port, shared_db, "monolith")
    start_shop(spawn, tmp_path, standin_port, shared_db, "standin", standin=wave1["service"])
    start_nginx(spawn, out / "proxy/nginx/phase-1.conf", tmp_path / "nginx-phase-1", proxy_port)
    log: list[tuple[str, str, Mapping[str, str]]] = []
    through = scenarios.run_scenarios(
        recording(scenarios.http_transport(f"http://127.0.0.1:{proxy_port}"), log)
    )

    assert len(through) == len(expected)
    for want, got in zip(expected, through):
        assert (got.name, got.status, got.body) == (want.name, want.status, want.body), got.name

    # 4. who answered: wave-1 routes the stand-in, every other route the monolith
    from analyzers.model import Route
    from strangler.proxy.patterns import parse

    def regexes(routes: list[dict[str, Any]]) -> list[str]:
        return [
            parse(
                Route(
                    r["path"],
                    tuple(r["methods"]),
                    r["handler"],
                    r["module"],
                    r["line"],
                    r["framework"],
                    is_regex=r["is_regex"],
                )
            ).regex()
            for r in routes
        ]

    moved = regexes(wave1["routes"])
    others = regexes([r for w in plan["waves"][1:] for r in w["routes"]] + plan["monolith_routes"])
    to_standin = 0
    for method, path, headers in log:
        uri = path.split("?", 1)[0]
        if any(re.fullmatch(rx, uri) for rx in moved):
            assert headers.get(HEADER.lower()) == wave1["service"], (method, path)
            to_standin += 1
        elif any(re.fullmatch(rx, uri) for rx in others):
            assert HEADER.lower() not in headers, (method, path)
    assert to_standin > 0, "no scenario exercised a route of the first wave"

    # 5. canary 10%: a share of the wave's requests within the binomial tolerance
    canary_port = free_port()
    _plan_json(out, monolith_port, standin_port, canary_port)
    start_nginx(spawn, out / "proxy/nginx/phase-1.canary-10.conf", tmp_path / "nginx-canary", canary_port)
    target = next(
        path
        for (method, path, _h), want in zip(log, expected)
        if method == "GET"
        and want.status == 200
        and any(re.fullmatch(rx, path.split("?", 1)[0]) for rx in moved)
    )
    hits = 0
    for _ in range(CANARY_N):
        with urllib.request.urlopen(f"http://127.0.0.1:{canary_port}{target}", timeout=10) as response:
            hits += response.headers.get(HEADER) == wave1["service"]
    share = hits / CANARY_N
    assert abs(share - CANARY_SHARE) <= CANARY_TOLERANCE, f"{hits}/{CANARY_N} went to the stand-in"


def _plan_json(out: Path, monolith: int, standin: int, listen: int) -> str:
    """Run `strangler plan` (twice when probing: once to learn wave 1's name, once with its upstream)."""
    import io
    from contextlib import redirect_stdout

    def run(extra: list[str]) -> str:
        buffer = io.StringIO()
        args = [
            "plan",
            str(EXAMPLE_APP),
            "-o",
            str(out),
            "--no-history",
            "--format",
            "json",
            "--monolith-upstream",
            f"127.0.0.1:{monolith}",
            "--listen",
            str(listen),
            *extra,
        ]
        with redirect_stdout(buffer):
            code = main(args)
        assert code == 0
        return buffer.getvalue()

    name = json.loads(run([]))["waves"][0]["service"]
    return run(["--service-upstream", f"{name}=127.0.0.1:{standin}"])
