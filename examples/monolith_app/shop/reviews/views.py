"""HTTP routes for reviews (prefix ``/reviews``, set on the blueprint)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from shop import helpers
from shop.accounts.auth import require_user
from shop.core.http import created, json_body
from shop.core.pagination import page_request_from_args
from shop.reviews import schemas, service

bp = Blueprint("reviews", __name__, url_prefix="/reviews")


@bp.get("/products/<int:product_id>")
def list_reviews(product_id: int) -> Response:
    page = service.list_for_product(product_id, page_request_from_args(request.args))
    return jsonify(helpers.paginated(page, schemas.review_to_dict))


@bp.get("/products/<int:product_id>/summary")
def review_summary(product_id: int) -> Response:
    return jsonify(service.summary_for_product(product_id))


@bp.post("/products/<int:product_id>")
def create_review(product_id: int) -> tuple[Response, int]:
    user = require_user()
    review = service.create_review(user, product_id, schemas.parse_review(json_body()))
    return created(schemas.review_to_dict(review))


@bp.delete("/<int:review_id>")
def delete_review(review_id: int) -> Response:
    service.delete_review(require_user(), review_id)
    return jsonify({"deleted": True, "id": review_id})
