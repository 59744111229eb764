"""Shape report rows for the API (money formatting, low-stock flags)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from shop import helpers
from shop.core import db
from shop.reporting import queries
from shop.reporting.models import OrderFact


def _with_money(row: dict[str, Any], field: str) -> dict[str, Any]:
    out = dict(row)
    cents = int(out.pop(f"{field}_cents") or 0)
    out.update(helpers.money_fields(field, cents))
    return out


def sales_by_day() -> list[dict[str, Any]]:
    return [_with_money(row, "revenue") for row in queries.sales_by_day()]


def top_products(limit: int) -> list[dict[str, Any]]:
    return [_with_money(row, "revenue") for row in queries.top_products(limit)]


def stock_report() -> list[dict[str, Any]]:
    threshold = int(current_app.config.get("LOW_STOCK_THRESHOLD", 5))
    rows = queries.stock_report()
    for row in rows:
        row["low_stock"] = row["available"] <= threshold
    return rows


def customers() -> list[dict[str, Any]]:
    return [_with_money(row, "spent") for row in queries.customers()]


def summary() -> dict[str, Any]:
    """Headline numbers: order counts by status plus the event-fed fact table."""
    statuses = {
        row["status"]: {"orders": row["orders"], **helpers.money_fields("total", row["total_cents"])}
        for row in queries.order_status_counts()
    }
    facts = db.session.scalars(select(OrderFact).order_by(OrderFact.id)).all()
    return {
        "orders_by_status": statuses,
        "facts": [
            {
                "order_id": fact.order_id,
                "user_id": fact.user_id,
                "day": fact.day,
                "status": fact.status,
                "item_count": fact.item_count,
                **helpers.money_fields("total", fact.total_cents),
            }
            for fact in facts
        ],
    }
