"""A deterministic stand-in for a card payment gateway.

Rules (mirroring the usual sandbox test cards):

* the number must be 12-19 digits and pass the Luhn check, else ``invalid_card``;
* a number ending in ``0002`` is declined with ``card_declined``;
* a number ending in ``0069`` is declined with ``expired_card``;
* everything else is approved.

References are derived from the inputs so identical requests give identical
references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shop import helpers
from shop.core.errors import ValidationError

DECLINE_SUFFIXES: dict[str, str] = {"0002": "card_declined", "0069": "expired_card"}


@dataclass(frozen=True)
class GatewayResult:
    approved: bool
    reference: str
    reason: str | None = None


def normalize_card_number(number: str) -> str:
    digits = re.sub(r"[\s-]", "", number)
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        raise ValidationError(
            "card_number must contain 12 to 19 digits",
            code="invalid_card",
            details={"field": "card_number"},
        )
    if not luhn_valid(digits):
        raise ValidationError(
            "card_number failed the checksum", code="invalid_card", details={"field": "card_number"}
        )
    return digits


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def card_brand(digits: str) -> str:
    if digits.startswith("4"):
        return "visa"
    if digits[:2] in {"51", "52", "53", "54", "55"}:
        return "mastercard"
    if digits[:2] in {"34", "37"}:
        return "amex"
    return "unknown"


def charge(amount_cents: int, currency: str, digits: str, idempotency_key: str) -> GatewayResult:
    reference = helpers.make_reference("ch", idempotency_key, amount_cents, currency, digits[-4:])
    reason = DECLINE_SUFFIXES.get(digits[-4:])
    if reason is not None:
        return GatewayResult(approved=False, reference=reference, reason=reason)
    return GatewayResult(approved=True, reference=reference)


def refund(reference: str, amount_cents: int) -> GatewayResult:
    return GatewayResult(approved=True, reference=helpers.make_reference("re", reference, amount_cents))
