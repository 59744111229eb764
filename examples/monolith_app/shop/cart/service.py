"""Cart rules: one cart per user, quantities bounded by what is in stock."""

from __future__ import annotations

from sqlalchemy import select

from shop.cart.models import Cart, CartItem
from shop.cart.pricing import PricedCart, price_cart
from shop.core import clock, db
from shop.core.errors import NotFound, OutOfStock
from shop.inventory import service as inventory_service


def get_or_create_cart(user_id: int) -> Cart:
    cart = db.session.scalars(select(Cart).where(Cart.user_id == user_id)).first()
    if cart is None:
        now = clock.now()
        cart = Cart(user_id=user_id, created_at=now, updated_at=now)
        db.session.add(cart)
        db.session.flush()
    return cart


def priced(cart: Cart) -> PricedCart:
    return price_cart(cart.id)


def _check_available(product_id: int, quantity: int) -> None:
    have = inventory_service.available(product_id)
    if quantity > have:
        raise OutOfStock(
            f"only {have} unit(s) of product {product_id} available, {quantity} requested",
            details={"product_id": product_id, "available": have, "requested": quantity},
        )


def add_item(user_id: int, product_id: int, quantity: int) -> Cart:
    # Imported here because catalog.service pulls in inventory at import time
    # and the cart module is imported early by the app factory.
    from shop.catalog import service as catalog_service

    catalog_service.get_active_product(product_id)
    cart = get_or_create_cart(user_id)
    item = next((i for i in cart.items if i.product_id == product_id), None)
    new_quantity = quantity + (item.quantity if item else 0)
    _check_available(product_id, new_quantity)
    now = clock.now()
    if item is None:
        cart.items.append(CartItem(product_id=product_id, quantity=quantity, added_at=now))
    else:
        item.quantity = new_quantity
    cart.updated_at = now
    db.session.flush()
    return cart


def _get_item(cart: Cart, item_id: int) -> CartItem:
    item = next((i for i in cart.items if i.id == item_id), None)
    if item is None:
        raise NotFound(f"cart item {item_id} not found")
    return item


def update_item(user_id: int, item_id: int, quantity: int) -> Cart:
    cart = get_or_create_cart(user_id)
    item = _get_item(cart, item_id)
    _check_available(item.product_id, quantity)
    item.quantity = quantity
    cart.updated_at = clock.now()
    db.session.flush()
    return cart


def remove_item(user_id: int, item_id: int) -> Cart:
    cart = get_or_create_cart(user_id)
    cart.items.remove(_get_item(cart, item_id))
    cart.updated_at = clock.now()
    db.session.flush()
    return cart


def clear(user_id: int) -> Cart:
    """Empty the cart (also called by checkout once the order exists)."""
    cart = get_or_create_cart(user_id)
    cart.items.clear()
    cart.updated_at = clock.now()
    db.session.flush()
    return cart
