"""Fixtures for the shop monolith's own tests.

Puts ``examples/monolith_app`` on ``sys.path`` so ``shop`` and
``shop_scenarios`` import without installing anything, and builds apps on
throw-away SQLite files with the clock frozen at ``shop_scenarios.FIXED_NOW``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

APP_ROOT = Path(__file__).resolve().parent.parent
if str(APP_ROOT) not in sys.path:
    # Appended, not prepended: this folder holds a ``tests`` directory too, and
    # it must not shadow the repository's own ``tests`` namespace package.
    sys.path.append(str(APP_ROOT))

import shop_scenarios  # noqa: E402
from shop.app import create_app  # noqa: E402

Send = Callable[[str, str, Mapping[str, str], bytes], tuple[int, Mapping[str, str], bytes]]


@pytest.fixture
def shop_app_root() -> Path:
    return APP_ROOT


@pytest.fixture
def make_shop_app(tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """Factory: ``make_shop_app(name="a")`` -> a seeded app on its own temp database."""

    def factory(name: str = "shop", **overrides: Any) -> Any:
        config = {
            "DATABASE_URL": f"sqlite:///{tmp_path / (name + '.sqlite3')}",
            "FIXED_NOW": shop_scenarios.FIXED_NOW,
            "TESTING": True,
        }
        config.update(overrides)
        return create_app(config)

    yield factory


@pytest.fixture
def shop_app(make_shop_app: Callable[..., Any]) -> Any:
    return make_shop_app()


@pytest.fixture
def shop_transport(shop_app: Any) -> Send:
    return shop_scenarios.flask_client_transport(shop_app)
