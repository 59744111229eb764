"""Stock bookkeeping: levels, reservations for open orders, and the ledger.

Checkout reserves stock (``reserved`` goes up), payment commits the
reservation (``on_hand`` and ``reserved`` go down) and cancelling an unpaid
order releases it.
"""

from __future__ import annotations

from sqlalchemy import select

from shop.catalog.models import Product
from shop.core import clock, db
from shop.core.errors import Conflict, NotFound, OutOfStock
from shop.inventory.models import (
    RESERVATION_ACTIVE,
    RESERVATION_COMMITTED,
    RESERVATION_RELEASED,
    StockLevel,
    StockMovement,
    StockReservation,
)


def _require_product(product_id: int) -> None:
    # Reads catalog's table directly rather than going through catalog.service.
    if db.session.get(Product, product_id) is None:
        raise NotFound(f"product {product_id} not found")


def get_level(product_id: int) -> StockLevel:
    level = db.session.scalars(select(StockLevel).where(StockLevel.product_id == product_id)).first()
    if level is None:
        _require_product(product_id)
        raise NotFound(f"no stock record for product {product_id}")
    return level


def list_levels() -> list[StockLevel]:
    return list(db.session.scalars(select(StockLevel).order_by(StockLevel.product_id)))


def available(product_id: int) -> int:
    level = db.session.scalars(select(StockLevel).where(StockLevel.product_id == product_id)).first()
    return 0 if level is None else level.available


def ensure_stock_level(product_id: int, initial_on_hand: int = 0) -> StockLevel:
    level = db.session.scalars(select(StockLevel).where(StockLevel.product_id == product_id)).first()
    if level is not None:
        return level
    now = clock.now()
    level = StockLevel(product_id=product_id, on_hand=initial_on_hand, reserved=0, updated_at=now)
    db.session.add(level)
    if initial_on_hand:
        _record_movement(product_id, initial_on_hand, "initial", None)
    db.session.flush()
    return level


def _record_movement(product_id: int, delta: int, reason: str, reference: str | None) -> None:
    db.session.add(
        StockMovement(
            product_id=product_id,
            delta=delta,
            reason=reason,
            reference=reference,
            created_at=clock.now(),
        )
    )


def adjust(product_id: int, delta: int, reason: str, reference: str | None = None) -> StockLevel:
    """Manual correction by staff; may not push on-hand below what is reserved."""
    _require_product(product_id)
    level = ensure_stock_level(product_id)
    new_on_hand = level.on_hand + delta
    if new_on_hand < level.reserved:
        raise Conflict(
            f"adjustment would leave {new_on_hand} on hand but {level.reserved} are reserved",
            code="insufficient_stock",
        )
    level.on_hand = new_on_hand
    level.updated_at = clock.now()
    _record_movement(product_id, delta, reason, reference)
    db.session.flush()
    return level


def list_movements(product_id: int) -> list[StockMovement]:
    _require_product(product_id)
    stmt = select(StockMovement).where(StockMovement.product_id == product_id).order_by(StockMovement.id)
    return list(db.session.scalars(stmt))


def reserve(order_id: int, product_id: int, quantity: int) -> StockReservation:
    level = db.session.scalars(select(StockLevel).where(StockLevel.product_id == product_id)).first()
    if level is None or level.available < quantity:
        have = 0 if level is None else level.available
        raise OutOfStock(
            f"only {have} unit(s) of product {product_id} available, {quantity} requested",
            details={"product_id": product_id, "available": have, "requested": quantity},
        )
    now = clock.now()
    level.reserved += quantity
    level.updated_at = now
    reservation = StockReservation(
        order_id=order_id,
        product_id=product_id,
        quantity=quantity,
        status=RESERVATION_ACTIVE,
        created_at=now,
        updated_at=now,
    )
    db.session.add(reservation)
    db.session.flush()
    return reservation


def reservations_for_order(order_id: int) -> list[StockReservation]:
    stmt = select(StockReservation).where(StockReservation.order_id == order_id).order_by(StockReservation.id)
    return list(db.session.scalars(stmt))


def list_reservations(order_id: int | None = None, status: str | None = None) -> list[StockReservation]:
    stmt = select(StockReservation).order_by(StockReservation.id)
    if order_id is not None:
        stmt = stmt.where(StockReservation.order_id == order_id)
    if status:
        stmt = stmt.where(StockReservation.status == status)
    return list(db.session.scalars(stmt))


def get_reservation(reservation_id: int) -> StockReservation:
    reservation = db.session.get(StockReservation, reservation_id)
    if reservation is None:
        raise NotFound(f"reservation {reservation_id} not found")
    return reservation


def release_for_order(order_id: int) -> int:
    """Give back every active reservation of an order; returns units released."""
    released = 0
    now = clock.now()
    for reservation in reservations_for_order(order_id):
        if reservation.status != RESERVATION_ACTIVE:
            continue
        level = get_level(reservation.product_id)
        level.reserved -= reservation.quantity
        level.updated_at = now
        reservation.status = RESERVATION_RELEASED
        reservation.updated_at = now
        released += reservation.quantity
    db.session.flush()
    return released


def commit_for_order(order_id: int) -> int:
    """Turn an order's reservations into real stock decrements once it is paid."""
    committed = 0
    now = clock.now()
    for reservation in reservations_for_order(order_id):
        if reservation.status != RESERVATION_ACTIVE:
            continue
        level = get_level(reservation.product_id)
        level.reserved -= reservation.quantity
        level.on_hand -= reservation.quantity
        level.updated_at = now
        reservation.status = RESERVATION_COMMITTED
        reservation.updated_at = now
        _record_movement(reservation.product_id, -reservation.quantity, "sale", f"order:{order_id}")
        committed += reservation.quantity
    db.session.flush()
    return committed
