"""Grab-bag of helpers that grew with the codebase.

This module started as "just slugify" and now holds formatting, validation,
pagination glue and reference generation for nearly every capability.  It is
the classic junk drawer a service split has to copy, share or break up.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from shop.core import clock, money
from shop.core.errors import ValidationError
from shop.core.pagination import Page

T = TypeVar("T")

EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_SLUG_STRIP = re.compile(r"[^a-z0-9]+")

# --------------------------------------------------------------------- text


def slugify(text: str) -> str:
    """``"Deluxe Coffee Grinder!"`` -> ``"deluxe-coffee-grinder"``."""
    normalized = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUG_STRIP.sub("-", normalized.lower()).strip("-")


def truncate(text: str, length: int = 80, suffix: str = "...") -> str:
    if len(text) <= length:
        return text
    return text[: max(0, length - len(suffix))].rstrip() + suffix


def normalize_email(value: str) -> str:
    return value.strip().lower()


def is_valid_email(value: str) -> bool:
    return bool(EMAIL_RE.match(value))


def normalize_country(value: str) -> str:
    code = value.strip().upper()
    if not COUNTRY_RE.match(code):
        raise ValidationError("country must be a two-letter ISO code", details={"field": "country"})
    return code


def mask_card_number(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return "**** " + digits[-4:]


def make_reference(prefix: str, *parts: object) -> str:
    """Deterministic short reference (tracking numbers, gateway ids)."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()
    return f"{prefix}_{digest[:12]}"


# -------------------------------------------------------------- formatting


def money_fields(name: str, cents: int) -> dict[str, Any]:
    """``money_fields("total", 1250)`` -> ``{"total": "12.50", "total_cents": 1250}``."""
    return {name: money.format_cents(cents), f"{name}_cents": cents}


def format_money(cents: int) -> str:
    return money.format_cents(cents)


def timestamp(value: datetime | None) -> str | None:
    return clock.isoformat(value)


def paginated(page: Page[T], serialize: Callable[[T], dict[str, Any]]) -> dict[str, Any]:
    """Standard envelope for list endpoints: ``{"items": [...], "pagination": {...}}``."""
    return {"items": [serialize(item) for item in page.items], "pagination": page.meta()}


def listing(items: Iterable[T], serialize: Callable[[T], dict[str, Any]]) -> dict[str, Any]:
    """Envelope for short, unpaginated lists."""
    rendered = [serialize(item) for item in items]
    return {"items": rendered, "count": len(rendered)}


# -------------------------------------------------------------- validation


def require_fields(payload: Mapping[str, Any], *names: str) -> None:
    missing = [name for name in names if payload.get(name) in (None, "")]
    if missing:
        raise ValidationError(
            "missing required field(s): " + ", ".join(missing), details={"missing": missing}
        )


def get_str(
    payload: Mapping[str, Any],
    name: str,
    *,
    required: bool = True,
    max_length: int = 200,
    default: str | None = None,
) -> str | None:
    value = payload.get(name)
    if value is None:
        if required:
            raise ValidationError(f"{name} is required", details={"field": name})
        return default
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a string", details={"field": name})
    value = value.strip()
    if required and not value:
        raise ValidationError(f"{name} must not be empty", details={"field": name})
    if len(value) > max_length:
        raise ValidationError(f"{name} must be at most {max_length} characters", details={"field": name})
    return value


def get_required_str(payload: Mapping[str, Any], name: str, *, max_length: int = 200) -> str:
    value = get_str(payload, name, required=True, max_length=max_length)
    assert value is not None
    return value


def get_int(
    payload: Mapping[str, Any],
    name: str,
    *,
    required: bool = True,
    minimum: int | None = None,
    maximum: int | None = None,
    default: int | None = None,
) -> int | None:
    value = payload.get(name)
    if value is None:
        if required:
            raise ValidationError(f"{name} is required", details={"field": name})
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{name} must be an integer", details={"field": name})
    if minimum is not None and value < minimum:
        raise ValidationError(f"{name} must be >= {minimum}", details={"field": name})
    if maximum is not None and value > maximum:
        raise ValidationError(f"{name} must be <= {maximum}", details={"field": name})
    return value


def get_required_int(
    payload: Mapping[str, Any],
    name: str,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    value = get_int(payload, name, required=True, minimum=minimum, maximum=maximum)
    assert value is not None
    return value


def get_bool(payload: Mapping[str, Any], name: str, *, default: bool | None = None) -> bool | None:
    value = payload.get(name, default)
    if value is not None and not isinstance(value, bool):
        raise ValidationError(f"{name} must be a boolean", details={"field": name})
    return value


def query_int(
    args: Mapping[str, str], name: str, default: int, *, minimum: int = 1, maximum: int = 1000
) -> int:
    """Integer query-string parameter with bounds (``?limit=5``)."""
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValidationError(f"{name} must be an integer", details={"field": name}) from exc
    if not minimum <= value <= maximum:
        raise ValidationError(f"{name} must be between {minimum} and {maximum}", details={"field": name})
    return value


def reject_unknown_fields(payload: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(payload) - set(allowed))
    if unknown:
        raise ValidationError("unknown field(s): " + ", ".join(unknown), details={"unknown": unknown})
