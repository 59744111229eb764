"""Raw SQL reports that read other capabilities' tables directly.

These queries join ``orders``, ``order_lines``, ``products``, ``categories``,
``stock_levels`` and ``users``: tables owned by orders, catalog, inventory
and accounts.  They are why reporting cannot move out without a data feed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from shop.core import db

PURCHASED = "('paid', 'shipped', 'delivered')"

SALES_BY_DAY_SQL = text(
    "SELECT substr(o.placed_at, 1, 10) AS day, "
    "COUNT(DISTINCT o.id) AS orders, "
    "SUM(ol.quantity) AS units, "
    "SUM(ol.line_total_cents) AS revenue_cents "
    "FROM orders o JOIN order_lines ol ON ol.order_id = o.id "
    f"WHERE o.status IN {PURCHASED} "
    "GROUP BY substr(o.placed_at, 1, 10) "
    "ORDER BY day"
)

TOP_PRODUCTS_SQL = text(
    "SELECT p.id AS product_id, p.sku AS sku, p.name AS name, "
    "SUM(ol.quantity) AS units, SUM(ol.line_total_cents) AS revenue_cents "
    "FROM order_lines ol "
    "JOIN orders o ON o.id = ol.order_id "
    "JOIN products p ON p.id = ol.product_id "
    f"WHERE o.status IN {PURCHASED} "
    "GROUP BY p.id, p.sku, p.name "
    "ORDER BY units DESC, p.id "
    "LIMIT :limit"
)

STOCK_REPORT_SQL = text(
    "SELECT p.id AS product_id, p.sku AS sku, p.name AS name, c.slug AS category, "
    "COALESCE(s.on_hand, 0) AS on_hand, COALESCE(s.reserved, 0) AS reserved, "
    "COALESCE(s.on_hand, 0) - COALESCE(s.reserved, 0) AS available "
    "FROM products p "
    "LEFT JOIN stock_levels s ON s.product_id = p.id "
    "LEFT JOIN categories c ON c.id = p.category_id "
    "ORDER BY p.id"
)

CUSTOMERS_SQL = text(
    "SELECT u.id AS user_id, u.email AS email, "
    "COUNT(o.id) AS orders, COALESCE(SUM(o.total_cents), 0) AS spent_cents "
    "FROM users u JOIN orders o ON o.user_id = u.id "
    f"WHERE o.status IN {PURCHASED} "
    "GROUP BY u.id, u.email "
    "ORDER BY spent_cents DESC, u.id"
)

ORDER_STATUS_SQL = text(
    "SELECT status, COUNT(*) AS orders, SUM(total_cents) AS total_cents "
    "FROM orders GROUP BY status ORDER BY status"
)


def _rows(statement: Any, **params: Any) -> list[dict[str, Any]]:
    result = db.session.execute(statement, params)
    return [dict(row._mapping) for row in result]


def sales_by_day() -> list[dict[str, Any]]:
    return _rows(SALES_BY_DAY_SQL)


def top_products(limit: int) -> list[dict[str, Any]]:
    return _rows(TOP_PRODUCTS_SQL, limit=limit)


def stock_report() -> list[dict[str, Any]]:
    return _rows(STOCK_REPORT_SQL)


def customers() -> list[dict[str, Any]]:
    return _rows(CUSTOMERS_SQL)


def order_status_counts() -> list[dict[str, Any]]:
    return _rows(ORDER_STATUS_SQL)
