"""Loopback machinery of `strangler plan --verify`: stub upstreams, a real nginx, raw requests.

A stub is a threaded HTTP server on 127.0.0.1 that answers every GET with its own name (header
`X-Stub` and body). `running_nginx` runs a complete generated nginx.conf in the foreground as the
current user, with its prefix (pid, temp files, logs) in a directory the caller owns, in a session
of its own: it is stopped when the block ends, however it ends (an exception, Ctrl-C). Every wait
is bounded; nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO

from strangler.exceptions import StranglerError, ToolMissingError

LOOPBACK = "127.0.0.1"
STUB_HEADER = "X-Stub"
STARTUP_SECONDS = 10.0
STOP_SECONDS = 10.0
CHECK_SECONDS = 30.0
REQUEST_SECONDS = 5.0
POLL_SECONDS = 0.05  # how often a stub looks whether it is asked to stop
#: Where nginx lives when it is not on PATH (Debian and the official packages install it in sbin).
_NGINX_PLACES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx")


class VerifyError(StranglerError):
    """The verifier could not run a phase (nginx refused the config, or did not start)."""

    exit_code = 1


class PortTaken(VerifyError):
    """nginx could not bind the port it was given (another process took it first)."""


class _StubServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, name: str) -> None:
        super().__init__((LOOPBACK, 0), _StubHandler)
        self.stub_name = name


class _StubHandler(BaseHTTPRequestHandler):
    """Answers any GET with 200 and its server's name, in a header and as the body."""

    server: _StubServer

    def do_GET(self) -> None:
        name = self.server.stub_name.encode("ascii", "replace")
        self.send_response(200)
        self.send_header(STUB_HEADER, name.decode("ascii"))
        self.send_header("Content-Length", str(len(name)))
        self.end_headers()
        self.wfile.write(name)

    def log_message(self, format: str, *args: object) -> None:
        return


@contextlib.contextmanager
def stub(name: str) -> Iterator[int]:
    """A loopback HTTP server answering as `name` (ASCII); yields its port; stopped on exit."""
    server = _StubServer(name)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": POLL_SECONDS}, name=f"stub-{name}", daemon=True
    )
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=STOP_SECONDS)


@contextlib.contextmanager
def stubs(names: Sequence[str]) -> Iterator[dict[str, int]]:
    """One stub per name; yields name → port; all stopped on exit."""
    with contextlib.ExitStack() as stack:
        yield {name: stack.enter_context(stub(name)) for name in names}


def free_port() -> int:
    """A port nothing listens on at 127.0.0.1 right now (nginx may still lose it: `PortTaken`)."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def find_nginx() -> str:
    """The nginx program: on PATH, else where the packages install it; ToolMissingError otherwise."""
    found = shutil.which("nginx") or next((p for p in _NGINX_PLACES if os.access(p, os.X_OK)), None)
    if found is None:
        raise ToolMissingError(
            "nginx is not installed: --verify runs every generated phase in a real nginx",
            hint="install nginx (e.g. apt-get install nginx-light), or plan without --verify",
        )
    return found


def nginx_test(conf: Path, prefix: Path, nginx: str | None = None) -> subprocess.CompletedProcess[str]:
    """`nginx -t` on a complete generated config, with `prefix` (created) as its prefix directory."""
    prefix.mkdir(parents=True, exist_ok=True)
    command = [nginx or find_nginx(), "-t", "-p", str(prefix), "-c", str(conf)]
    return subprocess.run(command, capture_output=True, text=True, timeout=CHECK_SECONDS, check=False)


def _tail(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace").strip() if path.is_file() else ""
    return text.splitlines()[-1] if text else "(no output)"


def _wait_port(port: int, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = _tail(log)
            kind = PortTaken if "Address already in use" in tail else VerifyError
            raise kind(f"nginx exited at startup ({proc.returncode}): {tail}")
        try:
            with socket.create_connection((LOOPBACK, port), timeout=1):
                return
        except OSError:
            time.sleep(0.02)
    raise VerifyError(f"nginx did not listen on {LOOPBACK}:{port} within {STARTUP_SECONDS:g}s")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop nginx (SIGTERM: a fast shutdown of master and workers); kill its session if it hangs."""
    if proc.poll() is None:
        proc.terminate()
    try:
        proc.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the session started for it: master and workers
        proc.wait(timeout=STOP_SECONDS)


def _start(nginx: str, conf: Path, prefix: Path, log: IO[bytes]) -> subprocess.Popen[bytes]:
    command = [nginx, "-p", str(prefix), "-c", str(conf), "-g", "daemon off;"]
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


@contextlib.contextmanager
def running_nginx(conf: Path, prefix: Path, port: int, nginx: str | None = None) -> Iterator[None]:
    """nginx on `conf` (checked with `nginx -t` first), listening on `port`; stopped on exit."""
    binary = nginx or find_nginx()
    check = nginx_test(conf, prefix, binary)
    if check.returncode != 0:
        lines = check.stderr.strip().splitlines()
        raise VerifyError(f"nginx -t refused {conf.name}: {lines[-1] if lines else check.returncode}")
    out = prefix / "nginx.out"
    with out.open("wb") as log:
        proc = _start(binary, conf, prefix, log)
        try:
            _wait_port(port, proc, out)
            yield
        finally:
            _stop(proc)


def fetch(port: int, raw_path: str, timeout: float = REQUEST_SECONDS) -> tuple[int, str]:
    """GET `raw_path` exactly as written from 127.0.0.1:`port`: the status and the answering stub
    ("" when no stub answered). A connection error or timeout is status 0."""
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=timeout)
    try:
        connection.putrequest("GET", raw_path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader(STUB_HEADER) or ""
    except (OSError, http.client.HTTPException):
        return 0, ""
    finally:
        connection.close()


def write_conf(directory: Path, name: str, text: str) -> Path:
    """`text` as `directory/name` (directory created), for nginx to read."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


__all__ = [
    "LOOPBACK",
    "STUB_HEADER",
    "PortTaken",
    "VerifyError",
    "fetch",
    "find_nginx",
    "free_port",
    "nginx_test",
    "running_nginx",
    "stub",
    "stubs",
    "write_conf",
]
