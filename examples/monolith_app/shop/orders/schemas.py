"""Parsing and rendering for orders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shop import helpers
from shop.core.errors import ValidationError
from shop.orders.models import Order, OrderLine


@dataclass(frozen=True)
class CheckoutInput:
    address_id: int
    shipping_method: str
    card_number: str | None


def parse_checkout(payload: dict[str, Any]) -> CheckoutInput:
    helpers.reject_unknown_fields(payload, {"address_id", "shipping_method", "payment"})
    address_id = helpers.get_required_int(payload, "address_id", minimum=1)
    method = helpers.get_str(payload, "shipping_method", required=False, default="standard")
    card_number: str | None = None
    payment = payload.get("payment")
    if payment is not None:
        if not isinstance(payment, dict):
            raise ValidationError("payment must be an object", details={"field": "payment"})
        card_number = helpers.get_required_str(payment, "card_number", max_length=32)
    return CheckoutInput(address_id=address_id, shipping_method=method or "standard", card_number=card_number)


def line_to_dict(line: OrderLine) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": line.id,
        "product_id": line.product_id,
        "sku": line.sku,
        "name": line.product_name,
        "quantity": line.quantity,
    }
    data.update(helpers.money_fields("unit_price", line.unit_price_cents))
    data.update(helpers.money_fields("line_total", line.line_total_cents))
    return data


def order_to_dict(order: Order, *, with_lines: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": order.id,
        "user_id": order.user_id,
        "status": order.status,
        "currency": order.currency,
        "shipping_method": order.shipping_method,
        "weight_grams": order.weight_grams,
        "ship_to": {
            "recipient": order.ship_recipient,
            "line1": order.ship_line1,
            "city": order.ship_city,
            "postal_code": order.ship_postal_code,
            "country": order.ship_country,
        },
        "placed_at": helpers.timestamp(order.placed_at),
        "updated_at": helpers.timestamp(order.updated_at),
        "paid_at": helpers.timestamp(order.paid_at),
        "cancelled_at": helpers.timestamp(order.cancelled_at),
    }
    data.update(helpers.money_fields("subtotal", order.subtotal_cents))
    data.update(helpers.money_fields("shipping", order.shipping_cents))
    data.update(helpers.money_fields("total", order.total_cents))
    if with_lines:
        data["lines"] = [line_to_dict(line) for line in order.lines]
    return data
