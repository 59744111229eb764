"""HTTP routes for reports (prefix ``/reports`` given at registration; admin only)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from shop import helpers
from shop.accounts.auth import require_admin
from shop.reporting import service

bp = Blueprint("reporting", __name__)


@bp.before_request
def _admins_only() -> None:
    require_admin()


@bp.get("/sales-by-day")
def sales_by_day() -> Response:
    rows = service.sales_by_day()
    return jsonify({"items": rows, "count": len(rows)})


@bp.get("/top-products")
def top_products() -> Response:
    limit = helpers.query_int(request.args, "limit", 5, maximum=50)
    rows = service.top_products(limit)
    return jsonify({"items": rows, "count": len(rows), "limit": limit})


@bp.get("/stock")
def stock_report() -> Response:
    rows = service.stock_report()
    return jsonify({"items": rows, "count": len(rows)})


@bp.get("/customers")
def customers() -> Response:
    rows = service.customers()
    return jsonify({"items": rows, "count": len(rows)})


@bp.get("/summary")
def summary() -> Response:
    return jsonify(service.summary())
