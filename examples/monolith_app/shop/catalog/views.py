"""HTTP routes for the catalog (prefix ``/catalog`` given at registration)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from shop import helpers
from shop.accounts.auth import require_admin
from shop.catalog import schemas, service
from shop.core.http import created, json_body
from shop.core.pagination import page_request_from_args

bp = Blueprint("catalog", __name__)


@bp.get("/products")
def list_products() -> Response:
    page = service.list_products(
        page_request_from_args(request.args),
        category_slug=request.args.get("category") or None,
        text=request.args.get("q") or None,
    )
    return jsonify(helpers.paginated(page, schemas.product_to_dict))


@bp.get("/products/<int:product_id>")
def get_product(product_id: int) -> Response:
    return jsonify(schemas.product_to_dict(service.get_product(product_id)))


@bp.post("/products")
def create_product() -> tuple[Response, int]:
    require_admin()
    product = service.create_product(schemas.parse_product(json_body()))
    return created(schemas.product_to_dict(product))


@bp.patch("/products/<int:product_id>")
def update_product(product_id: int) -> Response:
    require_admin()
    changes = schemas.parse_product_update(json_body())
    return jsonify(schemas.product_to_dict(service.update_product(product_id, changes)))


@bp.get("/categories")
def list_categories() -> Response:
    return jsonify(helpers.listing(service.list_categories(), schemas.category_to_dict))


@bp.post("/categories")
def create_category() -> tuple[Response, int]:
    require_admin()
    name, slug = schemas.parse_category(json_body())
    return created(schemas.category_to_dict(service.create_category(name, slug)))


def search_products() -> Response:
    """Registered with ``add_url_rule`` below (legacy style kept from v1)."""
    query = request.args.get("q", "")
    limit = helpers.query_int(request.args, "limit", 10, maximum=50)
    hits = service.search_products(query, limit)
    results: list[dict[str, Any]] = []
    for hit in hits:
        item = schemas.product_to_dict(hit.product)
        item["score"] = hit.score
        results.append(item)
    return jsonify({"query": query, "count": len(results), "items": results})


bp.add_url_rule("/search", endpoint="search_products", view_func=search_products, methods=["GET"])
