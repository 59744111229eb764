"""HTTP routes for the cart (prefix ``/cart`` given at registration)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from shop.accounts.auth import require_user
from shop.cart import schemas, service
from shop.cart.models import Cart
from shop.core.http import json_body

bp = Blueprint("cart", __name__)


def _render(cart: Cart) -> Response:
    return jsonify(schemas.cart_to_dict(cart, service.priced(cart)))


@bp.get("")
def get_cart() -> Response:
    return _render(service.get_or_create_cart(require_user().id))


@bp.post("/items")
def add_item() -> tuple[Response, int]:
    user = require_user()
    product_id, quantity = schemas.parse_add_item(json_body())
    return _render(service.add_item(user.id, product_id, quantity)), 201


@bp.patch("/items/<int:item_id>")
def update_item(item_id: int) -> Response:
    user = require_user()
    quantity = schemas.parse_quantity(json_body())
    return _render(service.update_item(user.id, item_id, quantity))


@bp.delete("/items/<int:item_id>")
def remove_item(item_id: int) -> Response:
    return _render(service.remove_item(require_user().id, item_id))


@bp.delete("")
def clear_cart() -> Response:
    return _render(service.clear(require_user().id))
