"""Smoke test: the app starts on a fresh SQLite database and answers one of its routes.

The monolith is not running here: calls to it answer None (see clients/monolith.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stock.clients import monolith
from stock.webapp import create_app


def test_app_starts_and_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SHOP_DATABASE_URL",):
        monkeypatch.setenv(name, f"sqlite:///{tmp_path / 'smoke.sqlite3'}")
    monkeypatch.setenv("MONOLITH_URL", "http://127.0.0.1:9")

    def offline(operation: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        return None

    monkeypatch.setattr(monolith, "_call", offline)
    app = create_app()
    app.url_map.bind("localhost").match("/stock/1", method="GET")  # the route is served
    response = app.test_client().get("/stock/1")
    assert 200 <= response.status_code < 600
