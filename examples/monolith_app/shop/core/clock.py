"""The single source of "now" for the whole application.

Every timestamp written to the database or returned over HTTP comes from
:func:`now`.  Setting ``SHOP_FIXED_NOW`` (or the ``FIXED_NOW`` config key)
freezes the clock, which makes responses byte-for-byte reproducible in tests.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone

_fixed_now: datetime | None = None


def parse_iso(value: str) -> datetime:
    """Parse an ISO 8601 timestamp; naive values are taken to be UTC."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def configure(fixed: str | datetime | None) -> None:
    """Freeze the clock at ``fixed`` (or unfreeze it with ``None``)."""
    global _fixed_now
    if fixed is None or fixed == "":
        _fixed_now = None
    elif isinstance(fixed, datetime):
        _fixed_now = fixed if fixed.tzinfo else fixed.replace(tzinfo=timezone.utc)
        _fixed_now = _fixed_now.astimezone(timezone.utc)
    else:
        _fixed_now = parse_iso(fixed)


def configure_from_env() -> None:
    """Honour ``SHOP_FIXED_NOW`` when the app is started from the command line."""
    configure(os.environ.get("SHOP_FIXED_NOW") or None)


def is_frozen() -> bool:
    return _fixed_now is not None


def now() -> datetime:
    """Current time as an aware UTC datetime (frozen if configured)."""
    if _fixed_now is not None:
        return _fixed_now
    return datetime.now(timezone.utc).replace(microsecond=0)


def today() -> date:
    return now().date()


def isoformat(value: datetime | None) -> str | None:
    """Render a timestamp as ISO 8601 in UTC.

    SQLite hands datetimes back without a timezone; everything is stored in
    UTC so a naive value is simply tagged as such.
    """
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat()
