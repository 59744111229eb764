# strangler: moved from minishop/stock/service.py (module minishop.stock.service)
"""Stock rules. Reads catalog's table directly (a shared table)."""

from __future__ import annotations

from sqlalchemy import select

from stock.vendored.minishop.catalog.models import Product
from stock.vendored.minishop.core import db
from stock.vendored.minishop.core.errors import Conflict, NotFound
from stock.models import StockLevel


def _level(product_id: int) -> StockLevel | None:
    return db.session.scalars(select(StockLevel).where(StockLevel.product_id == product_id)).first()


def available(product_id: int) -> int:
    level = _level(product_id)
    return 0 if level is None else level.on_hand


def adjust(product_id: int, delta: int) -> StockLevel:
    if db.session.get(Product, product_id) is None:
        raise NotFound(f"product {product_id} not found")
    level = _level(product_id)
    if level is None:
        level = StockLevel(product_id=product_id, on_hand=0)
        db.session.add(level)
    if level.on_hand + delta < 0:
        raise Conflict(f"only {level.on_hand} on hand")
    level.on_hand += delta
    db.session.flush()
    return level
