"""Rendering and parsing for inventory endpoints."""

from __future__ import annotations

from typing import Any

from shop import helpers
from shop.core.errors import ValidationError
from shop.inventory.models import StockLevel, StockMovement, StockReservation

ADJUSTMENT_REASONS = ("restock", "damage", "correction", "return")


def parse_adjustment(payload: dict[str, Any]) -> tuple[int, str, str | None]:
    helpers.reject_unknown_fields(payload, {"delta", "reason", "reference"})
    delta = helpers.get_required_int(payload, "delta", minimum=-100_000, maximum=100_000)
    if delta == 0:
        raise ValidationError("delta must not be zero", details={"field": "delta"})
    reason = helpers.get_required_str(payload, "reason", max_length=40)
    if reason not in ADJUSTMENT_REASONS:
        raise ValidationError(
            "reason must be one of " + ", ".join(ADJUSTMENT_REASONS), details={"field": "reason"}
        )
    reference = helpers.get_str(payload, "reference", required=False, max_length=60)
    return delta, reason, reference


def level_to_dict(level: StockLevel) -> dict[str, Any]:
    return {
        "product_id": level.product_id,
        "on_hand": level.on_hand,
        "reserved": level.reserved,
        "available": level.available,
        "updated_at": helpers.timestamp(level.updated_at),
    }


def reservation_to_dict(reservation: StockReservation) -> dict[str, Any]:
    return {
        "id": reservation.id,
        "order_id": reservation.order_id,
        "product_id": reservation.product_id,
        "quantity": reservation.quantity,
        "status": reservation.status,
        "created_at": helpers.timestamp(reservation.created_at),
        "updated_at": helpers.timestamp(reservation.updated_at),
    }


def movement_to_dict(movement: StockMovement) -> dict[str, Any]:
    return {
        "id": movement.id,
        "product_id": movement.product_id,
        "delta": movement.delta,
        "reason": movement.reason,
        "reference": movement.reference,
        "created_at": helpers.timestamp(movement.created_at),
    }
