"""Parsing and rendering for payments."""

from __future__ import annotations

from typing import Any

from shop import helpers
from shop.payments.models import Payment


def parse_charge(payload: dict[str, Any]) -> str:
    helpers.reject_unknown_fields(payload, {"card_number"})
    return helpers.get_required_str(payload, "card_number", max_length=32)


def payment_to_dict(payment: Payment) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": payment.id,
        "order_id": payment.order_id,
        "currency": payment.currency,
        "status": payment.status,
        "card": {"brand": payment.card_brand, "last4": payment.card_last4},
        "gateway_reference": payment.gateway_reference,
        "failure_reason": payment.failure_reason,
        "created_at": helpers.timestamp(payment.created_at),
        "refunded_at": helpers.timestamp(payment.refunded_at),
    }
    data.update(helpers.money_fields("amount", payment.amount_cents))
    return data
