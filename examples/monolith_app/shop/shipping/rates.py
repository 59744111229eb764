"""Pure price calculation for shipping rates (no database access)."""

from __future__ import annotations

from dataclasses import dataclass

from shop.shipping.models import ShippingRate

GRAMS_PER_KG = 1000
FREE_SHIPPING_THRESHOLD_CENTS = 0  # disabled; marketing keeps asking for it


@dataclass(frozen=True)
class Quote:
    rate_id: int
    country: str
    method: str
    carrier: str
    weight_grams: int
    price_cents: int
    estimated_days: int


def billable_kilograms(weight_grams: int) -> int:
    """Carriers bill every started kilogram; minimum one."""
    return max(1, -(-weight_grams // GRAMS_PER_KG))


def price_for(rate: ShippingRate, weight_grams: int) -> int:
    return rate.base_cents + rate.per_kg_cents * billable_kilograms(weight_grams)


def quote_for(rate: ShippingRate, weight_grams: int) -> Quote:
    return Quote(
        rate_id=rate.id,
        country=rate.country,
        method=rate.method,
        carrier=rate.carrier,
        weight_grams=weight_grams,
        price_cents=price_for(rate, weight_grams),
        estimated_days=rate.estimated_days,
    )
