# strangler: moved from minishop/stock/models.py (module minishop.stock.models)
"""Table owned by stock: ``stock_levels``."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from stock.vendored.minishop.core.db import Base


class StockLevel(Base):
    __tablename__ = "stock_levels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), unique=True)
    on_hand: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
