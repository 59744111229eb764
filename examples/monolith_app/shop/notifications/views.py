"""HTTP routes for notifications (prefix ``/notifications`` given at registration)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from shop import helpers
from shop.accounts.auth import require_admin
from shop.core.http import optional_json_body
from shop.core.pagination import page_request_from_args
from shop.notifications import schemas, service

bp = Blueprint("notifications", __name__)


@bp.get("/outbox")
def list_outbox() -> Response:
    require_admin()
    page = service.list_messages(page_request_from_args(request.args), request.args.get("status") or None)
    return jsonify(helpers.paginated(page, schemas.message_to_dict))


@bp.get("/outbox/<int:message_id>")
def get_message(message_id: int) -> Response:
    require_admin()
    return jsonify(schemas.message_to_dict(service.get_message(message_id)))


@bp.post("/dispatch")
def dispatch() -> Response:
    require_admin()
    payload = optional_json_body()
    helpers.reject_unknown_fields(payload, {"limit"})
    limit = helpers.get_int(payload, "limit", required=False, minimum=1, maximum=500, default=100)
    sent = service.dispatch_pending(limit or 100)
    return jsonify({"dispatched": len(sent), "ids": [m.id for m in sent]})
