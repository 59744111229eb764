"""Catalog rules; creating a product asks stock for its level."""

from __future__ import annotations

from minishop.catalog.models import Product
from minishop.core import db
from minishop.core.errors import NotFound
from minishop._strangler.clients.stock import minishop_stock_service as stock_service


def get_product(product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None:
        raise NotFound(f"product {product_id} not found")
    return product


def create_product(name: str, price_cents: int) -> Product:
    product = Product(name=name, price_cents=price_cents)
    db.session.add(product)
    db.session.flush()
    return product


def describe(product_id: int) -> dict[str, object]:
    product = get_product(product_id)
    return {
        "id": product.id,
        "name": product.name,
        "price_cents": product.price_cents,
        "in_stock": stock_service.available(product_id),
    }
