"""Sorting facts fast: the order of `order=True` dataclasses without their slow generated `__lt__`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")
_ORDER_KEYS: dict[type, Any] = {}


def in_order(items: Iterable[T]) -> tuple[T, ...]:
    """`tuple(sorted(items))` for `order=True` dataclasses of one class, same order, several times faster.

    The generated `__lt__` builds two tuples in Python per comparison; a C-level `attrgetter` key over
    the compared fields gives the same tuple comparisons (and a stable sort) at a fraction of the cost.
    """
    listed = list(items)
    if len(listed) < 2:
        return tuple(listed)
    kind = type(listed[0])
    key = _ORDER_KEYS.get(kind)
    if key is None:
        key = attrgetter(*(f.name for f in fields(kind) if f.compare))  # type: ignore[arg-type]
        _ORDER_KEYS[kind] = key
    return tuple(sorted(listed, key=key))
