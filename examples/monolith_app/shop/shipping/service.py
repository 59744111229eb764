"""Shipping rates, quotes and the shipment life cycle."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from shop import helpers
from shop.core import clock, db, events
from shop.core.errors import Conflict, NotFound, ValidationError
from shop.shipping.models import (
    SHIPMENT_CANCELLED,
    SHIPMENT_DELIVERED,
    SHIPMENT_PENDING,
    SHIPMENT_SHIPPED,
    Shipment,
    ShippingRate,
)
from shop.shipping.rates import Quote, quote_for

if TYPE_CHECKING:
    from shop.orders.models import Order

NEXT_STATUS: dict[str, str] = {
    SHIPMENT_PENDING: SHIPMENT_SHIPPED,
    SHIPMENT_SHIPPED: SHIPMENT_DELIVERED,
}


def list_rates(country: str | None = None) -> list[ShippingRate]:
    stmt = select(ShippingRate).order_by(ShippingRate.id)
    if country:
        stmt = stmt.where(ShippingRate.country == country)
    return list(db.session.scalars(stmt))


def get_rate(rate_id: int) -> ShippingRate:
    rate = db.session.get(ShippingRate, rate_id)
    if rate is None:
        raise NotFound(f"shipping rate {rate_id} not found")
    return rate


def update_rate(rate_id: int, changes: dict[str, Any]) -> ShippingRate:
    rate = get_rate(rate_id)
    for field, value in changes.items():
        setattr(rate, field, value)
    db.session.flush()
    return rate


def quote(country: str, method: str, weight_grams: int) -> Quote:
    rate = db.session.scalars(
        select(ShippingRate).where(
            ShippingRate.country == country,
            ShippingRate.method == method,
            ShippingRate.is_active.is_(True),
        )
    ).first()
    if rate is None:
        raise ValidationError(
            f"no {method!r} shipping to {country}",
            code="unsupported_destination",
            details={"country": country, "method": method},
        )
    return quote_for(rate, weight_grams)


def create_shipment(order: Order) -> Shipment:
    """Book a shipment for a freshly paid order."""
    existing = get_shipment_for_order(order.id, required=False)
    if existing is not None:
        return existing
    rate = quote(order.ship_country, order.shipping_method, order.weight_grams)
    shipment = Shipment(
        order_id=order.id,
        carrier=rate.carrier,
        method=rate.method,
        status=SHIPMENT_PENDING,
        tracking_number=helpers.make_reference("trk", order.id, rate.carrier).upper(),
        created_at=clock.now(),
    )
    db.session.add(shipment)
    db.session.flush()
    return shipment


def get_shipment(shipment_id: int) -> Shipment:
    shipment = db.session.get(Shipment, shipment_id)
    if shipment is None:
        raise NotFound(f"shipment {shipment_id} not found")
    return shipment


def get_shipment_for_order(order_id: int, *, required: bool = True) -> Shipment | None:
    shipment = db.session.scalars(select(Shipment).where(Shipment.order_id == order_id)).first()
    if shipment is None and required:
        raise NotFound(f"no shipment for order {order_id}")
    return shipment


def advance(shipment_id: int, status: str) -> Shipment:
    """Move a shipment forward one step and tell the rest of the shop."""
    shipment = get_shipment(shipment_id)
    if NEXT_STATUS.get(shipment.status) != status:
        raise Conflict(
            f"shipment {shipment_id} is {shipment.status}; cannot mark it {status}",
            code="invalid_shipment_state",
        )
    now = clock.now()
    shipment.status = status
    if status == SHIPMENT_SHIPPED:
        shipment.shipped_at = now
    else:
        shipment.delivered_at = now
    db.session.flush()
    events.shipment_status_changed.send(order_id=shipment.order_id, shipment_id=shipment.id, status=status)
    return shipment


def cancel_for_order(order_id: int) -> Shipment | None:
    shipment = get_shipment_for_order(order_id, required=False)
    if shipment is None:
        return None
    if shipment.status != SHIPMENT_PENDING:
        raise Conflict(f"shipment {shipment.id} already left the warehouse", code="already_shipped")
    shipment.status = SHIPMENT_CANCELLED
    db.session.flush()
    return shipment
