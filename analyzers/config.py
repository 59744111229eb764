"""Read `[tool.strangler]` from the analyzed project's pyproject.toml, or its strangler.toml.

Only reading and shape-checking happens here; each stage interprets the keys it owns
(`exclude`/`source_roots` here, weights and services in `strangler.config`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from analyzers.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]


def load_project_config(root: str | Path) -> dict[str, Any]:
    """The `[tool.strangler]` table of the project at `root` ({} when there is none).

    `strangler.toml` at the root wins over pyproject.toml; its keys sit at top level or under
    `[tool.strangler]`.
    """
    root = Path(root)
    dedicated = root / "strangler.toml"
    pyproject = root / "pyproject.toml"
    if dedicated.is_file():
        data = _read(dedicated)
        table = data.get("tool", {}).get("strangler", data)
        source = dedicated
    elif pyproject.is_file():
        table = _read(pyproject).get("tool", {}).get("strangler", {})
        source = pyproject
    else:
        return {}
    if not isinstance(table, dict):
        raise ConfigError("[tool.strangler] must be a table", path=str(source))
    return table


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
            return data
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"not valid TOML: {exc}", path=str(path), hint="fix the file or remove it"
        ) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=str(path)) from exc


def string_list(table: dict[str, Any], key: str, source: str) -> tuple[str, ...]:
    """`table[key]` as a tuple of strings; ConfigError naming the key otherwise."""
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[tool.strangler] {key} must be a list of strings", path=source)
    return tuple(value)
