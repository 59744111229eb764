"""End to end on the small fixture: service skeleton + patched monolith behind a real nginx answer
every request exactly as the untouched monolith does (shared SQLite database, real processes)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest

from strangler.skeleton import SkeletonOptions, apply_patch, generate_skeletons
from tests.builders import free_port, write_tree
from tests.conftest import require_tool
from tests.skel_support import (
    FIXTURE,
    minishop_codebase,
    minishop_decomposition,
    nginx_conf,
    nginx_running,
    serving,
)

pytestmark = pytest.mark.slow

ADMIN = {"X-User-Id": "1"}
SCENARIO: list[tuple[str, str, dict[str, Any] | None, dict[str, str]]] = [
    ("POST", "/accounts/users", {"name": "ada", "is_admin": True}, {}),
    ("POST", "/catalog/products", {"name": "kettle", "price_cents": 2500}, {}),
    ("GET", "/catalog/products/1", None, {}),  # monolith -> stock service (available)
    ("POST", "/stock/1/adjust", {"delta": 5}, ADMIN),  # service -> monolith (require_user)
    ("POST", "/stock/1/adjust", {"delta": 5}, {"X-User-Id": "99"}),  # remote Unauthorized
    ("POST", "/stock/1/adjust", {"delta": -50}, ADMIN),  # Conflict raised in the service
    ("GET", "/stock/1", None, {}),
    ("GET", "/stock/2", None, {}),
    ("GET", "/catalog/products/1", None, {}),
    ("GET", "/catalog/products/7", None, {}),
    ("GET", "/accounts/me", None, ADMIN),
]


def _replay(base_url: str) -> list[tuple[int, Any]]:
    answers = []
    with httpx.Client(base_url=base_url, timeout=20) as client:
        for method, path, body, headers in SCENARIO:
            response = client.request(method, path, json=body, headers=headers)
            answers.append((response.status_code, response.json()))
    return answers


def test_extracted_stock_service_behind_nginx_answers_like_the_monolith(tmp_path: Path) -> None:
    nginx = require_tool("nginx")
    codebase = minishop_codebase()
    files = generate_skeletons(
        codebase, minishop_decomposition(codebase), FIXTURE, ["stock"], SkeletonOptions()
    )
    write_tree(tmp_path / "out", files)
    patched = tmp_path / "patched"
    shutil.copytree(FIXTURE, patched)
    apply_patch(patched, files)

    original_port = free_port()
    with serving(
        ["-m", "minishop", "--port", str(original_port)],
        cwd=FIXTURE,
        env={"SHOP_DATABASE_URL": f"sqlite:///{tmp_path / 'original.sqlite3'}"},
        port=original_port,
        log=tmp_path / "original.log",
    ) as url:
        expected = _replay(url)

    shared = {
        "SHOP_DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "STRANGLER_INTERNAL_TOKEN": "s3cret",
    }
    mono_port, service_port, proxy_port = free_port(), free_port(), free_port()
    with (
        serving(
            ["-m", "minishop", "--port", str(mono_port)],
            cwd=patched,
            env={**shared, "STOCK_SERVICE_URL": f"http://127.0.0.1:{service_port}"},
            port=mono_port,
            log=tmp_path / "monolith.log",
        ) as mono_url,
        serving(
            ["-m", "stock", "--port", str(service_port)],
            cwd=tmp_path / "out" / "services" / "stock",
            env={**shared, "MONOLITH_URL": mono_url},
            port=service_port,
            log=tmp_path / "service.log",
        ) as service_url,
    ):
        workdir = tmp_path / "nginx"
        workdir.mkdir()
        conf = nginx_conf(workdir, proxy_port, mono_url, {"/stock/": service_url})
        with nginx_running(nginx, conf, proxy_port) as proxy_url:
            actual = _replay(proxy_url)
            # the internal API is reachable through the proxy, but answers only the token holders
            sneaky = httpx.post(
                f"{proxy_url}/_strangler/ops/minishop.accounts.auth.require_user",
                json={"args": [], "kwargs": {}},
                headers={"X-Strangler-Internal-Token": "guess"},
            )
        service_log = (tmp_path / "service.log").read_text()
        monolith_log = (tmp_path / "monolith.log").read_text()

    assert actual == expected
    assert sneaky.status_code == 403
    # the traffic really split: stock routes hit the service, which called the monolith back
    assert '"POST /stock/1/adjust HTTP/1.0" 200' in service_log
    assert "/_strangler/ops/minishop.stock.service.available" in service_log
    assert "/_strangler/ops/minishop.accounts.auth.require_user" in monolith_log
    assert "/stock/" not in monolith_log.replace("/_strangler/ops/minishop.stock", "")
