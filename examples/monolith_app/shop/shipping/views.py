"""HTTP routes for shipping (prefix ``/shipping``, set on the blueprint)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from shop import helpers
from shop.accounts.auth import require_admin, require_user
from shop.core.http import json_body
from shop.orders import service as order_service
from shop.shipping import schemas, service

bp = Blueprint("shipping", __name__, url_prefix="/shipping")


@bp.get("/rates")
def list_rates() -> Response:
    country = request.args.get("country")
    rates = service.list_rates(helpers.normalize_country(country) if country else None)
    return jsonify(helpers.listing(rates, schemas.rate_to_dict))


@bp.put("/rates/<int:rate_id>")
def update_rate(rate_id: int) -> Response:
    require_admin()
    changes = schemas.parse_rate_update(json_body())
    return jsonify(schemas.rate_to_dict(service.update_rate(rate_id, changes)))


@bp.post("/quote")
def quote() -> Response:
    country, method, weight = schemas.parse_quote_request(json_body())
    return jsonify(schemas.quote_to_dict(service.quote(country, method, weight)))


@bp.get("/shipments/<int:shipment_id>")
def get_shipment(shipment_id: int) -> Response:
    user = require_user()
    shipment = service.get_shipment(shipment_id)
    order_service.get_order_for_user(user, shipment.order_id)
    return jsonify(schemas.shipment_to_dict(shipment))


@bp.post("/shipments/<int:shipment_id>/status")
def advance_shipment(shipment_id: int) -> Response:
    require_admin()
    status = schemas.parse_status(json_body())
    return jsonify(schemas.shipment_to_dict(service.advance(shipment_id, status)))


@bp.get("/orders/<int:order_id>/shipment")
def shipment_for_order(order_id: int) -> Response:
    order = order_service.get_order_for_user(require_user(), order_id)
    shipment = service.get_shipment_for_order(order.id)
    assert shipment is not None
    return jsonify(schemas.shipment_to_dict(shipment))
