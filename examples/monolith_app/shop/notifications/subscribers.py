"""Turn domain events into customer e-mails (connected at import time)."""

from __future__ import annotations

from typing import Any

from shop.accounts import service as accounts_service
from shop.core import db, events
from shop.notifications import service
from shop.orders.models import Order
from shop.shipping.models import Shipment


@events.order_placed.connect
def on_order_placed(*, order: Order, **_: Any) -> None:
    buyer = accounts_service.get_user(order.user_id)
    service.enqueue(
        buyer.email,
        "order_received",
        {"order_id": order.id, "name": buyer.name, "total": order.total_cents},
    )


@events.order_paid.connect
def on_order_paid(*, order: Order, shipment_id: int, **_: Any) -> None:
    buyer = accounts_service.get_user(order.user_id)
    shipment = db.session.get(Shipment, shipment_id)
    service.enqueue(
        buyer.email,
        "payment_receipt",
        {
            "order_id": order.id,
            "name": buyer.name,
            "total": order.total_cents,
            "tracking_number": shipment.tracking_number if shipment else "n/a",
        },
    )


@events.shipment_status_changed.connect
def on_shipment_status_changed(*, order_id: int, status: str, **_: Any) -> None:
    order = db.session.get(Order, order_id)
    if order is None:
        return
    buyer = accounts_service.get_user(order.user_id)
    service.enqueue(
        buyer.email,
        "shipment_update",
        {"order_id": order_id, "name": buyer.name, "status": status},
    )
