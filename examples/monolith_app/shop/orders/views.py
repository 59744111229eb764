"""HTTP routes for orders (prefix ``/orders``, set on the blueprint)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from shop import helpers
from shop.accounts.auth import require_user
from shop.core.errors import ValidationError
from shop.core.http import created, json_body
from shop.core.pagination import page_request_from_args
from shop.orders import schemas, service, states
from shop.orders.models import Order

bp = Blueprint("orders", __name__, url_prefix="/orders")


def _summary(order: Order) -> dict[str, object]:
    return schemas.order_to_dict(order, with_lines=False)


@bp.post("/checkout")
def checkout() -> tuple[Response, int]:
    user = require_user()
    order = service.checkout(user, schemas.parse_checkout(json_body()))
    return created(schemas.order_to_dict(order))


@bp.get("")
def list_orders() -> Response:
    user = require_user()
    status = request.args.get("status") or None
    if status is not None and status not in states.ALL_STATUSES:
        raise ValidationError(f"unknown status {status!r}", details={"field": "status"})
    page = service.list_orders_for_user(user, page_request_from_args(request.args), status)
    return jsonify(helpers.paginated(page, _summary))


@bp.get("/<int:order_id>")
def get_order(order_id: int) -> Response:
    order = service.get_order_for_user(require_user(), order_id)
    return jsonify(schemas.order_to_dict(order))


@bp.post("/<int:order_id>/cancel")
def cancel_order(order_id: int) -> Response:
    order = service.cancel_order(require_user(), order_id)
    return jsonify(schemas.order_to_dict(order))


def order_lines(order_id: int) -> Response:
    order = service.get_order_for_user(require_user(), order_id)
    return jsonify(helpers.listing(order.lines, schemas.line_to_dict))


bp.add_url_rule("/<int:order_id>/lines", view_func=order_lines, methods=["GET"])
