"""Application configuration assembled from defaults, environment and overrides.

Precedence (lowest first): :data:`DEFAULTS`, ``SHOP_*`` environment variables,
the mapping passed to :func:`shop.app.create_app`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # None -> SQLite file in the instance folder
    "FIXED_NOW": None,
    "SEED_ON_START": True,
    "LOW_STOCK_THRESHOLD": 5,
    "DEFAULT_PER_PAGE": 20,
    "MAX_PER_PAGE": 100,
    "CURRENCY": "USD",
    "JSON_SORT_KEYS": True,
}

ENV_KEYS: dict[str, str] = {
    "SHOP_DATABASE_URL": "DATABASE_URL",
    "SHOP_FIXED_NOW": "FIXED_NOW",
    "SHOP_LOW_STOCK_THRESHOLD": "LOW_STOCK_THRESHOLD",
}


def normalize_database_url(value: str) -> str:
    """Accept either an SQLAlchemy URL or a bare filesystem path to SQLite."""
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def build_config(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Merge defaults, environment variables and explicit overrides."""
    env = os.environ if environ is None else environ
    config = dict(DEFAULTS)
    for env_key, config_key in ENV_KEYS.items():
        raw = env.get(env_key)
        if raw:
            config[config_key] = int(raw) if config_key == "LOW_STOCK_THRESHOLD" else raw
    if overrides:
        config.update(overrides)
    if config["DATABASE_URL"]:
        config["DATABASE_URL"] = normalize_database_url(str(config["DATABASE_URL"]))
    return config


def default_database_url(instance_path: str) -> str:
    """SQLite file inside the Flask instance folder (created on demand)."""
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    return "sqlite:///" + str(Path(instance_path) / "shop.sqlite3")
