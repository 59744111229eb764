"""Keep the ``report_order_facts`` read model current (connected at import time)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from shop.core import clock, db, events
from shop.orders.models import Order
from shop.reporting.models import OrderFact


def _fact_for(order_id: int) -> OrderFact | None:
    return db.session.scalars(select(OrderFact).where(OrderFact.order_id == order_id)).first()


@events.order_placed.connect
def record_order_placed(*, order: Order, **_: Any) -> None:
    now = clock.now()
    db.session.add(
        OrderFact(
            order_id=order.id,
            user_id=order.user_id,
            day=(clock.isoformat(order.placed_at) or now.isoformat())[:10],
            status=order.status,
            item_count=sum(line.quantity for line in order.lines),
            total_cents=order.total_cents,
            recorded_at=now,
            updated_at=now,
        )
    )
    db.session.flush()


def _update_status(order: Order) -> None:
    fact = _fact_for(order.id)
    if fact is not None:
        fact.status = order.status
        fact.updated_at = clock.now()
        db.session.flush()


@events.order_paid.connect
def record_order_paid(*, order: Order, **_: Any) -> None:
    _update_status(order)


@events.order_cancelled.connect
def record_order_cancelled(*, order: Order, **_: Any) -> None:
    _update_status(order)
