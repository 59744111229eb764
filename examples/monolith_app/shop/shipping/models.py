"""Tables owned by shipping: ``shipping_rates`` and ``shipments``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shop.core.db import Base

SHIPMENT_PENDING = "pending"
SHIPMENT_SHIPPED = "shipped"
SHIPMENT_DELIVERED = "delivered"
SHIPMENT_CANCELLED = "cancelled"


class ShippingRate(Base):
    __tablename__ = "shipping_rates"
    __table_args__ = (UniqueConstraint("country", "method"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country: Mapped[str] = mapped_column(String(2), nullable=False)
    method: Mapped[str] = mapped_column(String(20), nullable=False)
    carrier: Mapped[str] = mapped_column(String(40), nullable=False)
    base_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    per_kg_cents: Mapped[int] = mapped_column(Integer, nullable=False)
    estimated_days: Mapped[int] = mapped_column(Integer, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class Shipment(Base):
    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), unique=True, nullable=False)
    carrier: Mapped[str] = mapped_column(String(40), nullable=False)
    method: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    tracking_number: Mapped[str] = mapped_column(String(40), nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
