"""Business rules for the product catalog."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select

from shop import helpers
from shop.catalog import search
from shop.catalog.models import Category, Product
from shop.catalog.schemas import ProductInput
from shop.core import clock, db
from shop.core.errors import Conflict, NotFound, ValidationError
from shop.core.pagination import Page, PageRequest, paginate
from shop.inventory import service as inventory_service


def get_product(product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None:
        raise NotFound(f"product {product_id} not found")
    return product


def get_active_product(product_id: int) -> Product:
    """A product that can be sold right now (cart and checkout use this)."""
    product = get_product(product_id)
    if not product.is_active:
        raise Conflict(f"product {product_id} is not available", code="product_inactive")
    return product


def get_category_by_slug(slug: str) -> Category:
    category = db.session.scalars(select(Category).where(Category.slug == slug)).first()
    if category is None:
        raise NotFound(f"category {slug!r} not found")
    return category


def _listing_query(category_slug: str | None, text: str | None, include_inactive: bool) -> Select[Any]:
    stmt = select(Product)
    if not include_inactive:
        stmt = stmt.where(Product.is_active.is_(True))
    if category_slug:
        stmt = stmt.where(Product.category_id == get_category_by_slug(category_slug).id)
    if text:
        pattern = f"%{text.lower()}%"
        stmt = stmt.where(or_(Product.name.ilike(pattern), Product.sku.ilike(pattern)))
    return stmt.order_by(Product.id)


def list_products(
    page: PageRequest,
    *,
    category_slug: str | None = None,
    text: str | None = None,
    include_inactive: bool = False,
) -> Page[Product]:
    return paginate(db.session, _listing_query(category_slug, text, include_inactive), page)


def search_products(query: str, limit: int) -> list[search.SearchHit]:
    if not query.strip():
        raise ValidationError("q must not be empty", details={"field": "q"})
    products = db.session.scalars(select(Product).where(Product.is_active.is_(True)).order_by(Product.id))
    return search.rank(products, query, limit)


def _check_category(category_id: int | None) -> None:
    if category_id is not None and db.session.get(Category, category_id) is None:
        raise ValidationError(f"category {category_id} does not exist", details={"field": "category_id"})


def create_product(data: ProductInput) -> Product:
    if db.session.scalars(select(Product).where(Product.sku == data.sku)).first() is not None:
        raise Conflict(f"sku {data.sku} already exists", code="duplicate_sku")
    _check_category(data.category_id)
    now = clock.now()
    product = Product(
        sku=data.sku,
        name=data.name,
        slug=helpers.slugify(data.name),
        description=data.description,
        price_cents=data.price_cents,
        weight_grams=data.weight_grams,
        category_id=data.category_id,
        is_active=True,
        created_at=now,
        updated_at=now,
    )
    db.session.add(product)
    db.session.flush()
    # Every sellable product needs a stock row; catalog creates it in-process.
    inventory_service.ensure_stock_level(product.id, data.initial_stock)
    return product


def update_product(product_id: int, changes: dict[str, Any]) -> Product:
    product = get_product(product_id)
    if "category_id" in changes:
        _check_category(changes["category_id"])
    for field, value in changes.items():
        setattr(product, field, value)
    if "name" in changes:
        product.slug = helpers.slugify(product.name)
    product.updated_at = clock.now()
    db.session.flush()
    return product


def list_categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.id)))


def create_category(name: str, slug: str) -> Category:
    if db.session.scalars(select(Category).where(Category.slug == slug)).first() is not None:
        raise Conflict(f"category {slug!r} already exists", code="duplicate_category")
    category = Category(name=name, slug=slug)
    db.session.add(category)
    db.session.flush()
    return category
