"""Event subscriptions of the orders capability (connected at import time)."""

from __future__ import annotations

from typing import Any

from shop.core import events
from shop.orders import service


@events.shipment_status_changed.connect
def on_shipment_status_changed(*, order_id: int, status: str, **_: Any) -> None:
    service.apply_shipment_status(order_id, status)
