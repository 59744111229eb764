"""Facts for the skeleton tests, built by hand from a fixture tree (no dependence on the analyzers).

Only what the skeleton generator reads: modules, routes, ORM tables and external imports, plus a
decomposition that assigns every module. The generator reads import statements itself.
"""

from __future__ import annotations

import ast
import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from analyzers.model import Codebase, ExternalImport, Module, Route, Table
from strangler.boundaries.decomposition import SHARED_KERNEL, Decomposition
from tests.builders import decomposition_by_owner

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "skel_flask_app"

MINISHOP_ROUTES = (
    ("/accounts/users", ("POST",), "minishop.accounts.views.create_user"),
    ("/accounts/me", ("GET",), "minishop.accounts.views.me"),
    ("/catalog/products", ("POST",), "minishop.catalog.views.create_product"),
    ("/catalog/products/<int:product_id>", ("GET",), "minishop.catalog.views.get_product"),
    ("/stock/<int:product_id>", ("GET",), "minishop.stock.views.get_stock"),
    ("/stock/<int:product_id>/adjust", ("POST",), "minishop.stock.views.adjust"),
)


def scan_modules(root: Path, package: str) -> tuple[Module, ...]:
    modules = []
    for path in sorted((root / package).rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        parts = rel[:-3].split("/")
        is_package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_package else parts)
        modules.append(Module(name=name, path=rel, loc=1, is_package=is_package))
    return tuple(modules)


def tables_of(root: Path, modules: tuple[Module, ...]) -> tuple[Table, ...]:
    tables = []
    for module in modules:
        tree = ast.parse((root / module.path).read_text())
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                for stmt in node.body:
                    if (
                        isinstance(stmt, ast.Assign)
                        and isinstance(stmt.targets[0], ast.Name)
                        and stmt.targets[0].id == "__tablename__"
                        and isinstance(stmt.value, ast.Constant)
                    ):
                        tables.append(Table(str(stmt.value.value), module.name, node.name))
    return tuple(sorted(tables))


def minishop_codebase() -> Codebase:
    modules = scan_modules(FIXTURE, "minishop")
    routes = tuple(
        Route(path, methods, handler, handler.rsplit(".", 1)[0], 1, "flask")
        for path, methods, handler in MINISHOP_ROUTES
    )
    externals = tuple(
        ExternalImport(m.name, name, 1, False)
        for m in modules
        for name in ("flask", "sqlalchemy")
        if name in (FIXTURE / m.path).read_text()
    )
    return Codebase(
        root=str(FIXTURE),
        modules=modules,
        routes=tuple(sorted(routes)),
        tables=tables_of(FIXTURE, modules),
        externals=tuple(sorted(externals)),
    )


def minishop_owner(name: str) -> str:
    """The service of a minishop module: its capability, the app's entry points to accounts."""
    if name == "minishop" or name.startswith("minishop.core"):
        return SHARED_KERNEL
    if name in ("minishop.app", "minishop.__main__"):
        return "accounts"
    return name.split(".")[1]


def minishop_decomposition(codebase: Codebase) -> Decomposition:
    return decomposition_by_owner(codebase, minishop_owner, ("accounts", "catalog", "stock"))


# -- processes -------------------------------------------------------------------------------------


def listens_on(pid: int, port: int) -> bool:
    """Whether process `pid` holds the listening TCP socket on `port` (True where /proc is absent)."""
    tables = [Path("/proc/net/tcp"), Path("/proc/net/tcp6")]
    if not all(t.exists() for t in tables):
        return True
    inodes = {
        f"socket:[{fields[9]}]"
        for table in tables
        for fields in (line.split() for line in table.read_text().splitlines()[1:])
        if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A"
    }
    fds = Path(f"/proc/{pid}/fd")
    try:
        return any(os.readlink(fd) in inodes for fd in fds.iterdir())
    except OSError:
        return False


def wait_for_http(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: process exited {process.returncode}:\n{log.read_text()}")
        try:
            httpx.get(url, timeout=1.0)
        except httpx.HTTPError:
            time.sleep(0.1)
            continue
        if listens_on(process.pid, httpx.URL(url).port or 80):
            return
        time.sleep(0.1)  # something else answered on our port: wait for ours (or its exit)
    raise RuntimeError(f"{url} did not answer within {timeout}s:\n{log.read_text()}")


@contextlib.contextmanager
def serving(args: Sequence[str], *, cwd: Path, env: Mapping[str, str], port: int, log: Path) -> Iterator[str]:
    """Run `python <args>` in `cwd` until the block ends; yields its base URL on 127.0.0.1."""
    # no __pycache__ written into source trees (the fixtures, the example app)
    full_env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", **env}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, *args], cwd=cwd, env=full_env, stdout=out, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_for_http(url + "/", process, log)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def nginx_conf(workdir: Path, listen: int, default: str, routes: Mapping[str, str]) -> Path:
    """A minimal complete nginx.conf: `routes` maps a location (prefix or `~ regex`) to a base URL."""
    locations = "".join(
        f"        location {where} {{ proxy_pass {url}; }}\n" for where, url in sorted(routes.items())
    )
    text = f"""daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {workdir}/access.log;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    server {{
        listen 127.0.0.1:{listen};
        proxy_set_header Host $http_host;
{locations}        location / {{ proxy_pass {default}; }}
    }}
}}
"""
    conf = workdir / "nginx.conf"
    conf.write_text(text)
    return conf


@contextlib.contextmanager
def nginx_running(nginx: str, conf: Path, port: int) -> Iterator[str]:
    log = conf.parent / "nginx.out"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [nginx, "-p", str(conf.parent), "-c", str(conf)], stdout=out, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 10
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"nginx exited: {log.read_text()}")
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError("nginx did not listen")
                time.sleep(0.05)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=10)


# -- FastAPI and Django fixtures: facts from the analyzers, services by top-level capability -------

FASTAPI_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "skel_fastapi_app"
DJANGO_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "skel_django_app"


def analyzed(root: Path, owners: Mapping[str, str]) -> tuple[Codebase, Decomposition]:
    """The analyzers' facts of `root`, and a decomposition giving each module the service of the
    longest matching prefix in `owners` (SHARED_KERNEL for the rest)."""
    import analyzers
    from analyzers.options import AnalysisOptions

    codebase = analyzers.analyze(root, AnalysisOptions(history=False, cache=False))
    services = sorted(set(owners.values()))
    return codebase, decomposition_by_owner(codebase, LongestPrefix(owners), services)


@dataclass(frozen=True, slots=True)
class LongestPrefix:
    """The service of the longest prefix in `owners` matching a module (SHARED_KERNEL for none)."""

    owners: Mapping[str, str]

    def __call__(self, name: str) -> str:
        matches = [p for p in self.owners if name == p or name.startswith(p + ".")]
        return self.owners[max(matches, key=len)] if matches else SHARED_KERNEL


def fastapi_facts() -> tuple[Codebase, Decomposition]:
    return analyzed(
        FASTAPI_FIXTURE,
        {
            "fastshop.catalog": "catalog",
            "fastshop.main": "catalog",
            "fastshop.__main__": "catalog",
            "fastshop.stock": "stock",
        },
    )


def django_facts() -> tuple[Codebase, Decomposition]:
    return analyzed(DJANGO_FIXTURE, {"catalog": "catalog", "orders": "orders"})


def run_python(
    code: str, *, cwd: Path, path: Sequence[Path], env: Mapping[str, str] | None = None, timeout: float = 120
) -> str:
    """Run `code` in a fresh interpreter with `path` first on sys.path; its stdout (fails loudly)."""
    full_env = {
        **os.environ,
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": os.pathsep.join(str(p) for p in path),
        **(env or {}),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise AssertionError(f"exit {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done.stdout
