"""Builders and a live loopback harness for the hostile-tree proxy tests.

`hostile_plan` makes an extraction plan from a hand-written route table (service name to route
paths), the way the proxy tests build theirs. `Stub` is a loopback HTTP server that answers every
request with its own name (header `X-Stub`), and `running_nginx` runs a generated nginx.conf as the
current user with its prefix in a temp dir. Every wait is bounded and every process is stopped.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from analyzers.model import Codebase, Module, Route
from strangler.decomposition import Assignment, Decomposition, Service
from strangler.plan import make_plan
from strangler.plan.model import ExtractionPlan
from tests.conftest import require_tool

STUB_HEADER = "X-Stub"
STARTUP_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class R:
    """A route of the hand-written table: a path, its framework, whether it is a Django regex."""

    path: str
    framework: str = "flask"
    regex: bool = False


def _route(spec: str | R, module: str, index: int) -> Route:
    r = spec if isinstance(spec, R) else R(spec)
    framework = "django" if r.regex else r.framework
    return Route(r.path, ("GET",), f"{module}.h{index}", module, index + 1, framework, is_regex=r.regex)  # type: ignore[arg-type]


def hostile_plan(
    services: Mapping[str, Sequence[str | R]], monolith: Sequence[str | R] = ("/health",)
) -> ExtractionPlan:
    """A plan with one module per service (`pkgN.views`) owning its routes, and `app` the rest."""
    modules = [Module("app", "app.py", 5)]
    assignments, cut, routes = [], [], []
    for n, (name, paths) in enumerate(sorted(services.items())):
        module = f"pkg{n}.views"
        modules.append(Module(module, f"pkg{n}/views.py", 5))
        cut.append(Service(name, (module,)))
        assignments.append(Assignment(module, name, "test"))
        routes += [_route(p, module, i) for i, p in enumerate(paths)]
    routes += [_route(p, "app", i) for i, p in enumerate(monolith)]
    codebase = Codebase(root="/x", modules=tuple(sorted(modules)), routes=tuple(sorted(routes)))
    decomposition = Decomposition(
        services=tuple(cut), shared_kernel=(), assignments=tuple(sorted(assignments))
    )
    return make_plan(codebase, decomposition)


def write_files(files: Mapping[str, str], root: Path) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


def nginx_test(conf: Path, prefix: Path) -> subprocess.CompletedProcess[str]:
    """`nginx -t` on a complete generated config, with its own prefix directory."""
    nginx = require_tool("nginx")
    prefix.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [nginx, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True, timeout=30
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _StubHandler(BaseHTTPRequestHandler):
    """Answers any GET with 200, its server's name in a header and the body."""

    def do_GET(self) -> None:
        name = getattr(self.server, "stub_name", "?").encode()
        self.send_response(200)
        self.send_header(STUB_HEADER, name.decode())
        self.send_header("Content-Length", str(len(name)))
        self.end_headers()
        self.wfile.write(name)

    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def stub(name: str) -> Iterator[int]:
    """A loopback HTTP server answering as `name`; yields its port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StubHandler)
    server.stub_name = name  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _wait_port(port: int, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"nginx exited early ({proc.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nginx did not listen on {port} in {STARTUP_SECONDS}s")


@contextmanager
def running_nginx(conf: Path, prefix: Path, port: int) -> Iterator[None]:
    """nginx on `conf` in the foreground (checked with `nginx -t` first); stopped on exit."""
    check = nginx_test(conf, prefix)
    assert check.returncode == 0, check.stderr
    nginx = require_tool("nginx")
    log = (prefix / "nginx.out").open("w")
    proc = subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"], stdout=log, stderr=log, text=True
    )
    try:
        _wait_port(port, proc)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def fetch(port: int, raw_path: str) -> tuple[int, str]:
    """GET `raw_path` exactly as written (no client normalisation): status and answering stub."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest("GET", raw_path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader(STUB_HEADER) or ""
    finally:
        connection.close()
