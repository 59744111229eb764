"""A minimal, deterministic YAML writer for the proxy manifests (no runtime dependency on PyYAML).

Mappings keep their insertion order (callers build them from sorted data); every string is written
as a JSON string, which is a valid YAML double-quoted scalar, so no value can start a new key,
document or comment.
"""

from __future__ import annotations

import json
from typing import Any


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=True)
    raise TypeError(f"not a YAML scalar: {value!r}")


def _lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return [pad + "{}"]
        out = []
        for key, item in value.items():
            head = f"{pad}{json.dumps(str(key)) if not str(key).isidentifier() else key}:"
            if isinstance(item, dict | list) and item:
                out.append(head)
                out.extend(_lines(item, indent + 2))
            else:
                out.append(f"{head} {_inline(item)}")
        return out
    if isinstance(value, list):
        if not value:
            return [pad + "[]"]
        out = []
        for item in value:
            if isinstance(item, dict | list) and item:
                nested = _lines(item, indent + 2)
                out.append(pad + "- " + nested[0].lstrip())
                out.extend(nested[1:])
            else:
                out.append(f"{pad}- {_inline(item)}")
        return out
    return [pad + _scalar(value)]


def _inline(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)


def dump(value: Any) -> str:
    """One YAML document (no leading '---'), ending in a newline."""
    return "\n".join(_lines(value, 0)) + "\n"


def dump_all(documents: list[Any], header: str = "") -> str:
    """Several documents separated by '---', after an optional comment header."""
    return header + "".join("---\n" + dump(d) for d in documents)
