"""Checkout and the order life cycle.

This is the monolith's hub: checkout talks in-process to cart, accounts,
shipping, inventory and payments, and cancellation reaches into payments,
shipping, notifications and even inventory's tables.
"""

from __future__ import annotations

from sqlalchemy import exists, select

from shop.accounts import service as accounts_service
from shop.accounts.models import User
from shop.cart import service as cart_service
from shop.core import clock, db, events
from shop.core.errors import Conflict, NotFound
from shop.core.pagination import Page, PageRequest, paginate
from shop.inventory import service as inventory_service
from shop.inventory.models import (
    RESERVATION_COMMITTED,
    RESERVATION_RETURNED,
    StockLevel,
    StockReservation,
)
from shop.notifications import service as notification_service
from shop.orders import states
from shop.orders.models import Order, OrderLine
from shop.orders.schemas import CheckoutInput
from shop.payments import service as payment_service
from shop.shipping import service as shipping_service


def get_order(order_id: int) -> Order:
    order = db.session.get(Order, order_id)
    if order is None:
        raise NotFound(f"order {order_id} not found")
    return order


def get_order_for_user(user: User, order_id: int) -> Order:
    """Customers only see their own orders (404, not 403, to avoid leaking ids)."""
    order = get_order(order_id)
    if order.user_id != user.id and not user.is_admin:
        raise NotFound(f"order {order_id} not found")
    return order


def list_orders_for_user(user: User, page: PageRequest, status: str | None = None) -> Page[Order]:
    stmt = select(Order).where(Order.user_id == user.id)
    if status:
        stmt = stmt.where(Order.status == status)
    return paginate(db.session, stmt.order_by(Order.id), page)


def checkout(user: User, data: CheckoutInput) -> Order:
    """Turn the user's cart into an order, reserve stock, optionally pay at once."""
    cart = cart_service.get_or_create_cart(user.id)
    priced = cart_service.priced(cart)
    if not priced.lines:
        raise Conflict("cart is empty", code="cart_empty")
    inactive = [line.product_id for line in priced.lines if not line.is_active]
    if inactive:
        raise Conflict(
            "cart contains products that are no longer sold",
            code="product_inactive",
            details={"product_ids": inactive},
        )
    address = accounts_service.get_address_for_user(user.id, data.address_id)
    quote = shipping_service.quote(address.country, data.shipping_method, priced.total_weight_grams)

    now = clock.now()
    order = Order(
        user_id=user.id,
        status=states.PENDING_PAYMENT,
        currency="USD",
        subtotal_cents=priced.subtotal_cents,
        shipping_cents=quote.price_cents,
        total_cents=priced.subtotal_cents + quote.price_cents,
        weight_grams=priced.total_weight_grams,
        shipping_method=quote.method,
        ship_recipient=address.recipient,
        ship_line1=address.line1,
        ship_city=address.city,
        ship_postal_code=address.postal_code,
        ship_country=address.country,
        placed_at=now,
        updated_at=now,
    )
    for line in priced.lines:
        order.lines.append(
            OrderLine(
                product_id=line.product_id,
                sku=line.sku,
                product_name=line.name,
                unit_price_cents=line.unit_price_cents,
                quantity=line.quantity,
                line_total_cents=line.line_total_cents,
            )
        )
    db.session.add(order)
    db.session.flush()

    for line in priced.lines:
        inventory_service.reserve(order.id, line.product_id, line.quantity)
    cart_service.clear(user.id)
    events.order_placed.send(order=order)

    if data.card_number is not None:
        payment_service.charge_order(order, data.card_number)
    return order


def mark_paid(order: Order) -> Order:
    """Called back by payments once the gateway captured the money."""
    states.assert_transition(order.status, states.PAID)
    now = clock.now()
    order.status = states.PAID
    order.paid_at = now
    order.updated_at = now
    inventory_service.commit_for_order(order.id)
    shipment = shipping_service.create_shipment(order)
    db.session.flush()
    events.order_paid.send(order=order, shipment_id=shipment.id)
    return order


def mark_payment_failed(order: Order) -> Order:
    """Called back by payments on a decline; the customer may retry."""
    states.assert_transition(order.status, states.PAYMENT_FAILED)
    order.status = states.PAYMENT_FAILED
    order.updated_at = clock.now()
    db.session.flush()
    return order


def _restock_paid_order(order: Order) -> None:
    """Put committed stock back on the shelf.

    Legacy shortcut: writes inventory's tables directly instead of asking
    inventory to do it, so no ``stock_movements`` row is recorded.
    """
    now = clock.now()
    reservations = db.session.scalars(
        select(StockReservation).where(
            StockReservation.order_id == order.id,
            StockReservation.status == RESERVATION_COMMITTED,
        )
    ).all()
    for reservation in reservations:
        level = db.session.scalars(
            select(StockLevel).where(StockLevel.product_id == reservation.product_id)
        ).one()
        level.on_hand += reservation.quantity
        level.updated_at = now
        reservation.status = RESERVATION_RETURNED
        reservation.updated_at = now


def cancel_order(user: User, order_id: int) -> Order:
    order = get_order_for_user(user, order_id)
    states.assert_transition(order.status, states.CANCELLED)
    if order.status == states.PAID:
        payment_service.refund_for_order(order)
        shipping_service.cancel_for_order(order.id)
        _restock_paid_order(order)
    else:
        inventory_service.release_for_order(order.id)
    now = clock.now()
    order.status = states.CANCELLED
    order.cancelled_at = now
    order.updated_at = now
    db.session.flush()
    buyer = accounts_service.get_user(order.user_id)
    notification_service.enqueue(
        buyer.email,
        "order_cancelled",
        {"order_id": order.id, "name": buyer.name, "total": order.total_cents},
    )
    events.order_cancelled.send(order=order)
    return order


def apply_shipment_status(order_id: int, shipment_status: str) -> Order | None:
    """Keep the order status in step with its shipment (event handler target)."""
    order = db.session.get(Order, order_id)
    if order is None:
        return None
    target = {"shipped": states.SHIPPED, "delivered": states.DELIVERED}.get(shipment_status)
    if target is None or order.status == target:
        return order
    states.assert_transition(order.status, target)
    order.status = target
    order.updated_at = clock.now()
    db.session.flush()
    return order


def has_purchased(user_id: int, product_id: int) -> bool:
    """True if the user has a paid (or later) order containing the product."""
    stmt = select(
        exists().where(
            Order.id == OrderLine.order_id,
            Order.user_id == user_id,
            OrderLine.product_id == product_id,
            Order.status.in_(states.PURCHASED_STATUSES),
        )
    )
    return bool(db.session.scalar(stmt))
