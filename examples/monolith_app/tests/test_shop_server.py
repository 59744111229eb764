"""Start the real server (``python -m shop``) and replay the scenarios over HTTP."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import shop_scenarios

STARTUP_TIMEOUT = 30.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(app_root: Path, database: Path, log_path: Path) -> Iterator[str]:
    port = _free_port()
    env = dict(os.environ)
    env.update(
        {
            "SHOP_DATABASE_URL": f"sqlite:///{database}",
            "SHOP_FIXED_NOW": shop_scenarios.FIXED_NOW,
            "SHOP_PORT": str(port),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    base_url = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "shop", "--port", str(port)],
            cwd=app_root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while True:
                if process.poll() is not None:
                    pytest.fail(f"server exited early:\n{log_path.read_text()}")
                try:
                    with urllib.request.urlopen(base_url + "/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"server did not start:\n{log_path.read_text()}")
                time.sleep(0.1)
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@pytest.mark.slow
def test_scenarios_over_real_http(shop_app_root: Path, tmp_path: Path) -> None:
    with running_server(shop_app_root, tmp_path / "http.sqlite3", tmp_path / "server.log") as url:
        results = shop_scenarios.run_scenarios(shop_scenarios.http_transport(url))
    failures = [f"{r.name}: {r.status} {r.message}" for r in results if not r.passed]
    assert not failures, "\n".join(failures)


@pytest.mark.slow
def test_two_processes_share_one_database(shop_app_root: Path, tmp_path: Path) -> None:
    database = tmp_path / "shared.sqlite3"
    with (
        running_server(shop_app_root, database, tmp_path / "a.log") as first,
        running_server(shop_app_root, database, tmp_path / "b.log") as second,
    ):
        send_first = shop_scenarios.http_transport(first)
        send_second = shop_scenarios.http_transport(second)
        body = json.dumps({"email": "eve@shop.test", "name": "Eve"}).encode()
        status, _, raw = send_first("POST", "/accounts/users", {"Content-Type": "application/json"}, body)
        assert status == 201, raw
        user_id = json.loads(raw)["id"]
        status, _, raw = send_second("GET", "/accounts/me", {"X-User-Id": str(user_id)}, b"")
        assert status == 200, raw
        assert json.loads(raw)["email"] == "eve@shop.test"
        status, _, raw = send_second("GET", "/catalog/products", {}, b"")
        assert json.loads(raw)["pagination"]["total"] == 10  # seeded exactly once
