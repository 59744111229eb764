"""HTTP routes for inventory (prefix ``/inventory``, set on the blueprint)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from shop import helpers
from shop.accounts.auth import require_admin
from shop.core.http import json_body
from shop.inventory import schemas, service

bp = Blueprint("inventory", __name__, url_prefix="/inventory")


@bp.get("/stock")
def list_stock() -> Response:
    return jsonify(helpers.listing(service.list_levels(), schemas.level_to_dict))


@bp.get("/stock/<int:product_id>")
def get_stock(product_id: int) -> Response:
    return jsonify(schemas.level_to_dict(service.get_level(product_id)))


@bp.post("/stock/<int:product_id>/adjust")
def adjust_stock(product_id: int) -> Response:
    require_admin()
    delta, reason, reference = schemas.parse_adjustment(json_body())
    return jsonify(schemas.level_to_dict(service.adjust(product_id, delta, reason, reference)))


@bp.get("/stock/<int:product_id>/movements")
def list_movements(product_id: int) -> Response:
    require_admin()
    return jsonify(helpers.listing(service.list_movements(product_id), schemas.movement_to_dict))


@bp.get("/reservations")
def list_reservations() -> Response:
    require_admin()
    order_id = request.args.get("order_id")
    reservations = service.list_reservations(
        order_id=helpers.query_int(request.args, "order_id", 0, maximum=10**9) if order_id else None,
        status=request.args.get("status") or None,
    )
    return jsonify(helpers.listing(reservations, schemas.reservation_to_dict))


@bp.get("/reservations/<int:reservation_id>")
def get_reservation(reservation_id: int) -> Response:
    require_admin()
    return jsonify(schemas.reservation_to_dict(service.get_reservation(reservation_id)))
