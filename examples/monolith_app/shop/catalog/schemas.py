"""Input parsing and output rendering for the catalog."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shop import helpers
from shop.catalog.models import Category, Product
from shop.core import money
from shop.core.errors import ValidationError


@dataclass(frozen=True)
class ProductInput:
    sku: str
    name: str
    description: str
    price_cents: int
    weight_grams: int
    category_id: int | None
    initial_stock: int


def parse_product(payload: dict[str, Any]) -> ProductInput:
    helpers.reject_unknown_fields(
        payload,
        {"sku", "name", "description", "price", "weight_grams", "category_id", "initial_stock"},
    )
    helpers.require_fields(payload, "sku", "name", "price")
    sku = helpers.get_required_str(payload, "sku", max_length=40).upper()
    return ProductInput(
        sku=sku,
        name=helpers.get_required_str(payload, "name", max_length=120),
        description=helpers.get_str(payload, "description", required=False, max_length=2000) or "",
        price_cents=money.parse_price(payload["price"]),
        weight_grams=helpers.get_int(payload, "weight_grams", required=False, minimum=0, default=0) or 0,
        category_id=helpers.get_int(payload, "category_id", required=False, minimum=1),
        initial_stock=helpers.get_int(payload, "initial_stock", required=False, minimum=0, default=0) or 0,
    )


def parse_product_update(payload: dict[str, Any]) -> dict[str, Any]:
    helpers.reject_unknown_fields(
        payload, {"name", "description", "price", "weight_grams", "is_active", "category_id"}
    )
    changes: dict[str, Any] = {}
    if "name" in payload:
        changes["name"] = helpers.get_required_str(payload, "name", max_length=120)
    if "description" in payload:
        changes["description"] = helpers.get_str(payload, "description", max_length=2000) or ""
    if "price" in payload:
        changes["price_cents"] = money.parse_price(payload["price"])
    if "weight_grams" in payload:
        changes["weight_grams"] = helpers.get_required_int(payload, "weight_grams", minimum=0)
    if "is_active" in payload:
        changes["is_active"] = helpers.get_bool(payload, "is_active")
    if "category_id" in payload:
        changes["category_id"] = helpers.get_int(payload, "category_id", required=False, minimum=1)
    if not changes:
        raise ValidationError("nothing to update")
    return changes


def parse_category(payload: dict[str, Any]) -> tuple[str, str]:
    helpers.reject_unknown_fields(payload, {"name", "slug"})
    name = helpers.get_required_str(payload, "name", max_length=80)
    slug = helpers.get_str(payload, "slug", required=False, max_length=80) or helpers.slugify(name)
    if slug != helpers.slugify(slug):
        raise ValidationError("slug may contain only a-z, 0-9 and dashes", details={"field": "slug"})
    return name, slug


def category_to_dict(category: Category) -> dict[str, Any]:
    return {"id": category.id, "name": category.name, "slug": category.slug}


def product_to_dict(product: Product) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": product.id,
        "sku": product.sku,
        "name": product.name,
        "slug": product.slug,
        "description": product.description,
        "weight_grams": product.weight_grams,
        "category_id": product.category_id,
        "is_active": product.is_active,
        "created_at": helpers.timestamp(product.created_at),
        "updated_at": helpers.timestamp(product.updated_at),
    }
    data.update(helpers.money_fields("price", product.price_cents))
    return data
