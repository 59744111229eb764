"""Price a cart.

Joins ``cart_items`` straight onto catalog's ``products`` table through the
catalog model: fast, and a coupling the service split has to break.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from shop.cart.models import CartItem
from shop.catalog.models import Product
from shop.core import db, money


@dataclass(frozen=True)
class PricedLine:
    item_id: int
    product_id: int
    sku: str
    name: str
    quantity: int
    unit_price_cents: int
    weight_grams: int
    is_active: bool

    @property
    def line_total_cents(self) -> int:
        return money.multiply(self.unit_price_cents, self.quantity)

    @property
    def line_weight_grams(self) -> int:
        return self.weight_grams * self.quantity


@dataclass(frozen=True)
class PricedCart:
    cart_id: int
    lines: list[PricedLine]

    @property
    def subtotal_cents(self) -> int:
        return money.sum_cents([line.line_total_cents for line in self.lines])

    @property
    def total_weight_grams(self) -> int:
        return sum(line.line_weight_grams for line in self.lines)

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)


def price_cart(cart_id: int) -> PricedCart:
    rows = db.session.execute(
        select(CartItem, Product)
        .join(Product, Product.id == CartItem.product_id)
        .where(CartItem.cart_id == cart_id)
        .order_by(CartItem.id)
    ).all()
    lines = [
        PricedLine(
            item_id=item.id,
            product_id=product.id,
            sku=product.sku,
            name=product.name,
            quantity=item.quantity,
            unit_price_cents=product.price_cents,
            weight_grams=product.weight_grams,
            is_active=product.is_active,
        )
        for item, product in rows
    ]
    return PricedCart(cart_id=cart_id, lines=lines)
