"""HTTP routes for payments (prefix ``/payments`` given at registration)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from shop import helpers
from shop.accounts.auth import require_admin, require_user
from shop.core.http import created, json_body
from shop.orders import service as order_service
from shop.payments import schemas, service

bp = Blueprint("payments", __name__)


@bp.post("/orders/<int:order_id>/charge")
def charge_order(order_id: int) -> tuple[Response, int]:
    user = require_user()
    card_number = schemas.parse_charge(json_body())
    payment = service.charge_order_for_user(user, order_id, card_number)
    return created(schemas.payment_to_dict(payment))


@bp.get("/orders/<int:order_id>")
def list_order_payments(order_id: int) -> Response:
    order = order_service.get_order_for_user(require_user(), order_id)
    return jsonify(helpers.listing(service.payments_for_order(order.id), schemas.payment_to_dict))


@bp.get("/<int:payment_id>")
def get_payment(payment_id: int) -> Response:
    return jsonify(schemas.payment_to_dict(service.get_payment_for_user(require_user(), payment_id)))


@bp.post("/<int:payment_id>/refund")
def refund_payment(payment_id: int) -> Response:
    admin = require_admin()
    return jsonify(schemas.payment_to_dict(service.refund_by_admin(admin, payment_id)))
