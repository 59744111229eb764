"""Charging orders and refunding them.

Payments calls straight back into orders to move the order along
(``mark_paid`` / ``mark_payment_failed``), while orders calls payments during
checkout and cancellation: a two-way dependency.
"""

from __future__ import annotations

from sqlalchemy import select

from shop import helpers
from shop.accounts.models import User
from shop.core import clock, db
from shop.core.errors import Conflict, NotFound, PaymentDeclined
from shop.orders import service as order_service
from shop.orders import states as order_states
from shop.orders.models import Order
from shop.payments import gateway
from shop.payments.models import CAPTURED, DECLINED, REFUNDED, Payment


def get_payment(payment_id: int) -> Payment:
    payment = db.session.get(Payment, payment_id)
    if payment is None:
        raise NotFound(f"payment {payment_id} not found")
    return payment


def get_payment_for_user(user: User, payment_id: int) -> Payment:
    payment = get_payment(payment_id)
    order = db.session.get(Order, payment.order_id)
    if order is None or (order.user_id != user.id and not user.is_admin):
        raise NotFound(f"payment {payment_id} not found")
    return payment


def payments_for_order(order_id: int) -> list[Payment]:
    stmt = select(Payment).where(Payment.order_id == order_id).order_by(Payment.id)
    return list(db.session.scalars(stmt))


def charge_order(order: Order, card_number: str) -> Payment:
    """Charge the order total; on a decline the failure is committed, then raised."""
    if order.status not in order_states.PAYABLE_STATUSES:
        raise Conflict(
            f"order {order.id} is {order.status} and cannot be paid",
            code="invalid_order_state",
            details={"status": order.status},
        )
    digits = gateway.normalize_card_number(card_number)
    attempt = len(payments_for_order(order.id)) + 1
    result = gateway.charge(order.total_cents, order.currency, digits, f"order:{order.id}:{attempt}")
    payment = Payment(
        order_id=order.id,
        amount_cents=order.total_cents,
        currency=order.currency,
        status=CAPTURED if result.approved else DECLINED,
        card_last4=digits[-4:],
        card_brand=gateway.card_brand(digits),
        gateway_reference=result.reference,
        failure_reason=result.reason,
        created_at=clock.now(),
    )
    db.session.add(payment)
    db.session.flush()
    if result.approved:
        order_service.mark_paid(order)
        return payment
    order_service.mark_payment_failed(order)
    # Keep the record of the failed attempt even though the request errors.
    db.commit()
    raise PaymentDeclined(
        f"card {helpers.mask_card_number(digits)} was declined",
        details={"reason": result.reason, "payment_id": payment.id, "order_id": order.id},
    )


def charge_order_for_user(user: User, order_id: int, card_number: str) -> Payment:
    order = order_service.get_order_for_user(user, order_id)
    return charge_order(order, card_number)


def refund_payment(payment: Payment) -> Payment:
    if payment.status != CAPTURED:
        raise Conflict(
            f"payment {payment.id} is {payment.status} and cannot be refunded",
            code="invalid_payment_state",
        )
    gateway.refund(payment.gateway_reference, payment.amount_cents)
    payment.status = REFUNDED
    payment.refunded_at = clock.now()
    db.session.flush()
    return payment


def refund_for_order(order: Order) -> list[Payment]:
    """Refund every captured payment of an order (used when a paid order is cancelled)."""
    return [refund_payment(p) for p in payments_for_order(order.id) if p.status == CAPTURED]


def refund_by_admin(admin: User, payment_id: int) -> Payment:
    """Refund a payment by cancelling its order through the orders service.

    Cancelling a paid order refunds it, releases the shipment and restocks,
    so staff refunds reuse that path instead of duplicating it.
    """
    payment = get_payment(payment_id)
    if payment.status != CAPTURED:
        raise Conflict(
            f"payment {payment.id} is {payment.status} and cannot be refunded",
            code="invalid_payment_state",
        )
    order_service.cancel_order(admin, payment.order_id)
    return payment
