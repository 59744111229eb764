"""Money helpers.  Amounts are integer cents everywhere; Decimal only at the edges."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from shop.core.errors import ValidationError

CENT = Decimal("0.01")


def to_cents(amount: Decimal | str | int | float) -> int:
    """Convert a decimal amount (``"12.5"``) into cents (``1250``)."""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(f"invalid amount: {amount!r}") from exc
    if not value.is_finite():
        raise ValidationError(f"invalid amount: {amount!r}")
    return int((value.quantize(CENT, rounding=ROUND_HALF_UP) * 100).to_integral_value())


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def format_cents(cents: int) -> str:
    """``1250`` -> ``"12.50"``; used for every amount in JSON responses."""
    return str(from_cents(cents))


def parse_price(value: object, field: str = "price") -> int:
    """Validate a client-supplied price and return cents (must be positive)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValidationError(f"{field} must be a decimal string or number")
    cents = to_cents(value)
    if cents <= 0:
        raise ValidationError(f"{field} must be positive")
    return cents


def multiply(unit_cents: int, quantity: int) -> int:
    return unit_cents * quantity


def percent_of(cents: int, percent: Decimal | int) -> int:
    """Percentage of an amount rounded half-up to the cent."""
    raw = Decimal(cents) * Decimal(percent) / 100
    return int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def sum_cents(values: list[int]) -> int:
    return sum(values, 0)
