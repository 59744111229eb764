"""Read `[tool.strangler]` from the analyzed project's pyproject.toml, or its strangler.toml.

Only reading and shape-checking happens here; each stage interprets the keys it owns
(`exclude`/`source_roots` here, weights and services in `strangler.boundaries.settings`).
"""

from __future__ import annotations

import math
import os
import stat
import sys
from pathlib import Path, PurePosixPath
from typing import Any

from analyzers.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]


#: A config file larger than this is refused: a real `[tool.strangler]` table is a few hundred bytes,
#: and a `/dev/zero` or a multi-gigabyte file named pyproject.toml must not exhaust memory.
MAX_CONFIG_BYTES = 1_000_000


def load_project_config(root: str | Path) -> dict[str, Any]:
    """The `[tool.strangler]` table of the project at `root` ({} when there is none).

    `strangler.toml` at the root wins over pyproject.toml; its keys sit at top level or under
    `[tool.strangler]`.
    """
    root = Path(root)
    dedicated = root / "strangler.toml"
    pyproject = root / "pyproject.toml"
    if os.path.lexists(dedicated):
        data = _read(dedicated)
        tool = data.get("tool")
        nested = tool.get("strangler") if isinstance(tool, dict) else None
        table = nested if nested is not None else data
        source = dedicated
    elif os.path.lexists(pyproject):
        tool = _read(pyproject).get("tool", {})
        table = tool.get("strangler", {}) if isinstance(tool, dict) else {}
        source = pyproject
    else:
        return {}
    if not isinstance(table, dict):
        raise ConfigError("[tool.strangler] must be a table", path=str(source))
    return table


def _read(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = tomllib.loads(read_config_bytes(path).decode("utf-8"))
        return data
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"not UTF-8 text (byte {exc.start})", path=str(path), hint="save it as UTF-8"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path=str(path), hint="fix the file or remove it") from exc


def read_config_bytes(path: Path, limit: int = MAX_CONFIG_BYTES) -> bytes:
    """The bytes of a regular file under `limit`; a FIFO, device, directory or huge file is a ConfigError.

    The file is opened non-blocking (a FIFO would otherwise wait for a writer forever) and checked with
    `fstat` on the open descriptor, so what is read is what was checked.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError("not a regular file; refused", path=str(path), hint="remove or rename it")
        if info.st_size > limit:
            raise ConfigError(
                f"{info.st_size} bytes, more than the {limit} a config file may have; refused",
                path=str(path),
            )
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise ConfigError(f"more than the {limit} bytes a config file may have; refused", path=str(path))
    return data


def source_roots(table: dict[str, Any], source: str) -> tuple[str, ...]:
    """`source_roots` as relative POSIX paths that stay inside the tree (no `..`, not absolute)."""
    roots = string_list(table, "source_roots", source)
    for entry in roots:
        parts = PurePosixPath(entry).parts
        if (
            not entry
            or entry.startswith(("/", "\\"))
            or "\\" in entry
            or ".." in parts
            or any(ord(c) < 32 for c in entry)
            or (len(entry) > 1 and entry[1] == ":")
        ):
            raise ConfigError(
                f"[tool.strangler] source_roots entry {entry!r} is not a relative path inside the tree",
                path=source,
                hint='name directories below the project root, e.g. source_roots = ["src"]',
            )
    return roots


def positive_int(table: dict[str, Any], key: str, source: str, default: int) -> int:
    """`table[key]` as an integer >= 1 (TOML integers only; no bool, no float)."""
    value = table.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"[tool.strangler] {key} must be a positive integer", path=source)
    return value


def finite_number(value: Any) -> bool:
    """Whether `value` is an int or float that is neither NaN nor infinite (TOML allows `nan`, `inf`)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def string_list(table: dict[str, Any], key: str, source: str) -> tuple[str, ...]:
    """`table[key]` as a tuple of strings; ConfigError naming the key otherwise."""
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"[tool.strangler] {key} must be a list of strings", path=source)
    return tuple(value)
