"""Rendering and parsing for cart endpoints."""

from __future__ import annotations

from typing import Any

from shop import helpers
from shop.cart.models import Cart
from shop.cart.pricing import PricedCart, PricedLine

MAX_QUANTITY = 99


def parse_add_item(payload: dict[str, Any]) -> tuple[int, int]:
    helpers.reject_unknown_fields(payload, {"product_id", "quantity"})
    product_id = helpers.get_required_int(payload, "product_id", minimum=1)
    quantity = helpers.get_int(
        payload, "quantity", required=False, minimum=1, maximum=MAX_QUANTITY, default=1
    )
    return product_id, quantity or 1


def parse_quantity(payload: dict[str, Any]) -> int:
    helpers.reject_unknown_fields(payload, {"quantity"})
    return helpers.get_required_int(payload, "quantity", minimum=1, maximum=MAX_QUANTITY)


def line_to_dict(line: PricedLine) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": line.item_id,
        "product_id": line.product_id,
        "sku": line.sku,
        "name": line.name,
        "quantity": line.quantity,
        "available": line.is_active,
    }
    data.update(helpers.money_fields("unit_price", line.unit_price_cents))
    data.update(helpers.money_fields("line_total", line.line_total_cents))
    return data


def cart_to_dict(cart: Cart, priced: PricedCart) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": cart.id,
        "user_id": cart.user_id,
        "items": [line_to_dict(line) for line in priced.lines],
        "item_count": priced.item_count,
        "weight_grams": priced.total_weight_grams,
        "updated_at": helpers.timestamp(cart.updated_at),
    }
    data.update(helpers.money_fields("subtotal", priced.subtotal_cents))
    return data
