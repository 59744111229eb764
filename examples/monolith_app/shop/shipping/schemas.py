"""Parsing and rendering for shipping."""

from __future__ import annotations

from typing import Any

from shop import helpers
from shop.core.errors import ValidationError
from shop.shipping.models import SHIPMENT_DELIVERED, SHIPMENT_SHIPPED, Shipment, ShippingRate
from shop.shipping.rates import Quote


def parse_quote_request(payload: dict[str, Any]) -> tuple[str, str, int]:
    helpers.reject_unknown_fields(payload, {"country", "method", "weight_grams"})
    country = helpers.normalize_country(helpers.get_required_str(payload, "country"))
    method = helpers.get_str(payload, "method", required=False, default="standard") or "standard"
    weight = helpers.get_required_int(payload, "weight_grams", minimum=0, maximum=100_000)
    return country, method, weight


def parse_rate_update(payload: dict[str, Any]) -> dict[str, Any]:
    helpers.reject_unknown_fields(payload, {"base_cents", "per_kg_cents", "estimated_days", "is_active"})
    changes: dict[str, Any] = {}
    for name in ("base_cents", "per_kg_cents", "estimated_days"):
        if name in payload:
            changes[name] = helpers.get_required_int(payload, name, minimum=0)
    if "is_active" in payload:
        changes["is_active"] = helpers.get_bool(payload, "is_active")
    if not changes:
        raise ValidationError("nothing to update")
    return changes


def parse_status(payload: dict[str, Any]) -> str:
    helpers.reject_unknown_fields(payload, {"status"})
    status = helpers.get_required_str(payload, "status", max_length=20)
    if status not in (SHIPMENT_SHIPPED, SHIPMENT_DELIVERED):
        raise ValidationError("status must be 'shipped' or 'delivered'", details={"field": "status"})
    return status


def rate_to_dict(rate: ShippingRate) -> dict[str, Any]:
    return {
        "id": rate.id,
        "country": rate.country,
        "method": rate.method,
        "carrier": rate.carrier,
        "base_cents": rate.base_cents,
        "per_kg_cents": rate.per_kg_cents,
        "estimated_days": rate.estimated_days,
        "is_active": rate.is_active,
    }


def quote_to_dict(quote: Quote) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rate_id": quote.rate_id,
        "country": quote.country,
        "method": quote.method,
        "carrier": quote.carrier,
        "weight_grams": quote.weight_grams,
        "estimated_days": quote.estimated_days,
    }
    data.update(helpers.money_fields("price", quote.price_cents))
    return data


def shipment_to_dict(shipment: Shipment) -> dict[str, Any]:
    return {
        "id": shipment.id,
        "order_id": shipment.order_id,
        "carrier": shipment.carrier,
        "method": shipment.method,
        "status": shipment.status,
        "tracking_number": shipment.tracking_number,
        "created_at": helpers.timestamp(shipment.created_at),
        "shipped_at": helpers.timestamp(shipment.shipped_at),
        "delivered_at": helpers.timestamp(shipment.delivered_at),
    }
