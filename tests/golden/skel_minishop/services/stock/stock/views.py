# strangler: moved from minishop/stock/views.py (module minishop.stock.views)
"""Routes of stock."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request

from stock.clients.monolith import minishop_accounts_auth__require_user as require_user
from stock import service

bp = Blueprint("stock", __name__, url_prefix="/stock")


@bp.get("/<int:product_id>")
def get_stock(product_id: int) -> Any:
    return jsonify({"product_id": product_id, "on_hand": service.available(product_id)})


@bp.post("/<int:product_id>/adjust")
def adjust(product_id: int) -> Any:
    user = require_user()  # who is adjusting: answered by accounts, in the monolith
    level = service.adjust(product_id, int(request.get_json(force=True)["delta"]))
    return jsonify({"product_id": product_id, "on_hand": level.on_hand, "by": user.id})
