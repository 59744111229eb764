"""The order state machine.

::

    pending_payment --pay--> paid --ship--> shipped --deliver--> delivered
         |   ^                 |
      decline|                 +--cancel--> cancelled
         v   |
    payment_failed --cancel--> cancelled   (pending_payment can be cancelled too)
"""

from __future__ import annotations

from shop.core.errors import Conflict

PENDING_PAYMENT = "pending_payment"
PAYMENT_FAILED = "payment_failed"
PAID = "paid"
SHIPPED = "shipped"
DELIVERED = "delivered"
CANCELLED = "cancelled"

ALL_STATUSES = (PENDING_PAYMENT, PAYMENT_FAILED, PAID, SHIPPED, DELIVERED, CANCELLED)

#: Orders in these states count as purchases (reviews, reporting).
PURCHASED_STATUSES = (PAID, SHIPPED, DELIVERED)

#: States from which a payment may be attempted.
PAYABLE_STATUSES = (PENDING_PAYMENT, PAYMENT_FAILED)

TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING_PAYMENT: frozenset({PAID, PAYMENT_FAILED, CANCELLED}),
    PAYMENT_FAILED: frozenset({PAID, PAYMENT_FAILED, CANCELLED}),
    PAID: frozenset({SHIPPED, CANCELLED}),
    SHIPPED: frozenset({DELIVERED}),
    DELIVERED: frozenset(),
    CANCELLED: frozenset(),
}


def can_transition(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


def assert_transition(current: str, new: str) -> None:
    if not can_transition(current, new):
        raise Conflict(
            f"order cannot move from {current} to {new}",
            code="invalid_order_state",
            details={"status": current, "requested": new},
        )
