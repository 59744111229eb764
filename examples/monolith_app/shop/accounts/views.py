"""HTTP routes for accounts (prefix ``/accounts``, set on the blueprint)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from shop import helpers
from shop.accounts import schemas, service
from shop.accounts.auth import require_admin, require_user
from shop.core.http import created, json_body
from shop.core.pagination import page_request_from_args

bp = Blueprint("accounts", __name__, url_prefix="/accounts")


@bp.post("/users")
def register_user() -> tuple[Response, int]:
    user = service.register_user(schemas.parse_registration(json_body()))
    return created(schemas.user_to_dict(user))


@bp.get("/users")
def list_users() -> Response:
    require_admin()
    page = service.list_users(page_request_from_args(request.args))
    return jsonify(helpers.paginated(page, schemas.user_to_dict))


@bp.get("/me")
def me() -> Response:
    return jsonify(schemas.user_to_dict(require_user()))


@bp.get("/users/<int:user_id>")
def get_user(user_id: int) -> Response:
    actor = require_user()
    user = service.get_user(user_id)
    service.ensure_can_access(actor, user_id)
    return jsonify(schemas.user_to_dict(user))


@bp.patch("/users/<int:user_id>")
def update_user(user_id: int) -> Response:
    actor = require_user()
    changes = schemas.parse_user_update(json_body())
    return jsonify(schemas.user_to_dict(service.update_user(actor, user_id, changes)))


@bp.get("/users/<int:user_id>/addresses")
def list_addresses(user_id: int) -> Response:
    actor = require_user()
    addresses = service.list_addresses(actor, user_id)
    return jsonify(helpers.listing(addresses, schemas.address_to_dict))


@bp.post("/users/<int:user_id>/addresses")
def add_address(user_id: int) -> tuple[Response, int]:
    actor = require_user()
    address = service.add_address(actor, user_id, schemas.parse_address(json_body()))
    return created(schemas.address_to_dict(address))


@bp.delete("/addresses/<int:address_id>")
def delete_address(address_id: int) -> Response:
    service.delete_address(require_user(), address_id)
    return jsonify({"deleted": True, "id": address_id})
