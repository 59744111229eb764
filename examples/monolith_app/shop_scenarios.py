"""Data-driven HTTP scenarios: the behaviour contract of the shop monolith.

The scenarios run in order against a *freshly seeded* database with
``SHOP_FIXED_NOW`` set, and together exercise every route of the app,
including its error cases.  They are transport-agnostic: :func:`run_scenarios`
takes a ``send(method, path, headers, body_bytes) -> (status, headers, body)``
callable, so the same contract can be replayed through Flask's test client,
against a real server (:func:`http_transport`) or against the services the
monolith is later split into.

This module deliberately imports only the standard library.

Scenario fields
---------------
``name``            unique, human readable.
``method``/``path`` the request; ``{placeholders}`` in the path are filled
                    from values captured earlier.
``user``            optional user id, sent as the ``X-User-Id`` header.
``json``            optional JSON body (string values that are exactly
                    ``"{name}"`` are replaced by the captured value).
``body``/``headers`` raw body bytes / extra headers (for malformed input).
``expected_status`` the status code.
``expect``          JSON path -> expected value.  Paths are dotted
                    (``items.0.sku``); an integer segment indexes a list and a
                    trailing ``#`` segment means "length of".
``contains``        substrings the raw body must contain.
``capture``         name -> JSON path, stored for later placeholders.

Command line: ``python shop_scenarios.py http://127.0.0.1:8000``.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

#: The clock value the server must be started with for these scenarios.
FIXED_NOW = "2026-01-01T00:00:00+00:00"

Transport = Callable[[str, str, Mapping[str, str], bytes], tuple[int, Mapping[str, str], bytes]]

ADMIN, BOB, CAROL = 1, 2, 3
NOW = FIXED_NOW
VISA_OK = "4242424242424242"
VISA_DECLINED = "4000000000000002"

SCENARIOS: list[dict[str, Any]] = [
    # ------------------------------------------------------------- platform
    {
        "name": "health check",
        "method": "GET",
        "path": "/health",
        "expected_status": 200,
        "expect": {"status": "ok", "clock_frozen": True},
    },
    {
        "name": "unknown URL is a JSON 404",
        "method": "GET",
        "path": "/no-such-page",
        "expected_status": 404,
        "expect": {"error.code": "not_found"},
    },
    {
        "name": "wrong method is a JSON 405",
        "method": "DELETE",
        "path": "/catalog/products",
        "expected_status": 405,
        "expect": {"error.code": "method_not_allowed"},
    },
    # ------------------------------------------------------------- accounts
    {
        "name": "register a user",
        "method": "POST",
        "path": "/accounts/users",
        "json": {"email": "Dave@Shop.test", "name": "Dave Developer"},
        "expected_status": 201,
        "expect": {"id": 4, "email": "dave@shop.test", "is_admin": False, "created_at": NOW},
        "capture": {"dave": "id"},
    },
    {
        "name": "register a duplicate e-mail",
        "method": "POST",
        "path": "/accounts/users",
        "json": {"email": "dave@shop.test", "name": "Dave Again"},
        "expected_status": 409,
        "expect": {"error.code": "email_taken"},
    },
    {
        "name": "register with malformed JSON",
        "method": "POST",
        "path": "/accounts/users",
        "body": b"{not json",
        "headers": {"Content-Type": "application/json"},
        "expected_status": 400,
        "expect": {"error.code": "invalid_json"},
    },
    {
        "name": "register with an invalid e-mail",
        "method": "POST",
        "path": "/accounts/users",
        "json": {"email": "not-an-email", "name": "X"},
        "expected_status": 400,
        "expect": {"error.code": "validation_error", "error.details.field": "email"},
    },
    {
        "name": "whoami without credentials",
        "method": "GET",
        "path": "/accounts/me",
        "expected_status": 401,
        "expect": {"error.code": "unauthorized"},
    },
    {
        "name": "whoami",
        "method": "GET",
        "path": "/accounts/me",
        "user": 4,
        "expected_status": 200,
        "expect": {"id": 4, "name": "Dave Developer"},
    },
    {
        "name": "admin lists users",
        "method": "GET",
        "path": "/accounts/users?per_page=2",
        "user": ADMIN,
        "expected_status": 200,
        "expect": {
            "items.#": 2,
            "pagination.total": 4,
            "pagination.pages": 2,
            "items.0.email": "admin@shop.test",
        },
    },
    {
        "name": "customer may not list users",
        "method": "GET",
        "path": "/accounts/users",
        "user": BOB,
        "expected_status": 403,
        "expect": {"error.code": "forbidden"},
    },
    {
        "name": "get own user",
        "method": "GET",
        "path": "/accounts/users/{dave}",
        "user": 4,
        "expected_status": 200,
        "expect": {"email": "dave@shop.test"},
    },
    {
        "name": "get unknown user",
        "method": "GET",
        "path": "/accounts/users/999",
        "user": ADMIN,
        "expected_status": 404,
        "expect": {"error.code": "not_found"},
    },
    {
        "name": "rename own user",
        "method": "PATCH",
        "path": "/accounts/users/{dave}",
        "user": 4,
        "json": {"name": "Dave D."},
        "expected_status": 200,
        "expect": {"name": "Dave D."},
    },
    {
        "name": "rename someone else",
        "method": "PATCH",
        "path": "/accounts/users/2",
        "user": 4,
        "json": {"name": "Mallory"},
        "expected_status": 403,
        "expect": {"error.code": "forbidden"},
    },
    {
        "name": "add an address",
        "method": "POST",
        "path": "/accounts/users/{dave}/addresses",
        "user": 4,
        "json": {
            "recipient": "Dave D.",
            "line1": "9 Elm Road",
            "city": "Portland",
            "postal_code": "97201",
            "country": "us",
        },
        "expected_status": 201,
        "expect": {"id": 3, "country": "US", "user_id": 4},
        "capture": {"dave_address": "id"},
    },
    {
        "name": "add an address with a bad country",
        "method": "POST",
        "path": "/accounts/users/{dave}/addresses",
        "user": 4,
        "json": {"recipient": "Dave", "line1": "x", "city": "y", "postal_code": "1", "country": "USA"},
        "expected_status": 400,
        "expect": {"error.details.field": "country"},
    },
    {
        "name": "add a second address",
        "method": "POST",
        "path": "/accounts/users/{dave}/addresses",
        "user": 4,
        "json": {
            "recipient": "Dave D.",
            "line1": "1 High Street",
            "city": "London",
            "postal_code": "N1 9GU",
            "country": "GB",
        },
        "expected_status": 201,
        "capture": {"dave_gb_address": "id"},
    },
    {
        "name": "list addresses",
        "method": "GET",
        "path": "/accounts/users/{dave}/addresses",
        "user": 4,
        "expected_status": 200,
        "expect": {"count": 2, "items.1.city": "London"},
    },
    {
        "name": "delete an address",
        "method": "DELETE",
        "path": "/accounts/addresses/{dave_gb_address}",
        "user": 4,
        "expected_status": 200,
        "expect": {"deleted": True},
    },
    {
        "name": "delete an address twice",
        "method": "DELETE",
        "path": "/accounts/addresses/{dave_gb_address}",
        "user": 4,
        "expected_status": 404,
        "expect": {"error.code": "not_found"},
    },
    # -------------------------------------------------------------- catalog
    {
        "name": "list products",
        "method": "GET",
        "path": "/catalog/products",
        "expected_status": 200,
        "expect": {
            "pagination.total": 10,
            "items.0.sku": "BK-001",
            "items.0.price": "49.99",
            "items.0.price_cents": 4999,
        },
    },
    {
        "name": "list products of a category, paged",
        "method": "GET",
        "path": "/catalog/products?category=kitchen&per_page=2&page=2",
        "expected_status": 200,
        "expect": {"items.#": 1, "items.0.sku": "KT-003", "pagination.total": 3, "pagination.pages": 2},
    },
    {
        "name": "list products with a bad page",
        "method": "GET",
        "path": "/catalog/products?page=0",
        "expected_status": 400,
        "expect": {"error.details.field": "page"},
    },
    {
        "name": "list products of an unknown category",
        "method": "GET",
        "path": "/catalog/products?category=garden",
        "expected_status": 404,
    },
    {
        "name": "get a product",
        "method": "GET",
        "path": "/catalog/products/3",
        "expected_status": 200,
        "expect": {"name": "Monolith to Microservices", "price": "39.99"},
    },
    {
        "name": "get an unknown product",
        "method": "GET",
        "path": "/catalog/products/999",
        "expected_status": 404,
        "expect": {"error.code": "not_found"},
    },
    {
        "name": "list categories",
        "method": "GET",
        "path": "/catalog/categories",
        "expected_status": 200,
        "expect": {"count": 3, "items.2.slug": "electronics"},
    },
    {
        "name": "create a category",
        "method": "POST",
        "path": "/catalog/categories",
        "user": ADMIN,
        "json": {"name": "Garden Tools"},
        "expected_status": 201,
        "expect": {"id": 4, "slug": "garden-tools"},
        "capture": {"garden": "id"},
    },
    {
        "name": "create a duplicate category",
        "method": "POST",
        "path": "/catalog/categories",
        "user": ADMIN,
        "json": {"name": "Garden Tools"},
        "expected_status": 409,
        "expect": {"error.code": "duplicate_category"},
    },
    {
        "name": "customer may not create categories",
        "method": "POST",
        "path": "/catalog/categories",
        "user": BOB,
        "json": {"name": "Toys"},
        "expected_status": 403,
    },
    {
        "name": "create a product",
        "method": "POST",
        "path": "/catalog/products",
        "user": ADMIN,
        "json": {
            "sku": "gd-001",
            "name": "Garden Hose",
            "price": "24.50",
            "weight_grams": 2000,
            "category_id": "{garden}",
            "initial_stock": 7,
        },
        "expected_status": 201,
        "expect": {
            "id": 11,
            "sku": "GD-001",
            "slug": "garden-hose",
            "price": "24.50",
            "price_cents": 2450,
            "category_id": 4,
        },
        "capture": {"hose": "id"},
    },
    {
        "name": "create a product without a price",
        "method": "POST",
        "path": "/catalog/products",
        "user": ADMIN,
        "json": {"sku": "X-1", "name": "Nameless"},
        "expected_status": 400,
        "expect": {"error.details.missing": ["price"]},
    },
    {
        "name": "create a product with a duplicate SKU",
        "method": "POST",
        "path": "/catalog/products",
        "user": ADMIN,
        "json": {"sku": "GD-001", "name": "Another Hose", "price": "1.00"},
        "expected_status": 409,
        "expect": {"error.code": "duplicate_sku"},
    },
    {
        "name": "reprice a product",
        "method": "PATCH",
        "path": "/catalog/products/{hose}",
        "user": ADMIN,
        "json": {"price": "22.00"},
        "expected_status": 200,
        "expect": {"price": "22.00", "price_cents": 2200},
    },
    {
        "name": "reprice with a negative price",
        "method": "PATCH",
        "path": "/catalog/products/{hose}",
        "user": ADMIN,
        "json": {"price": "-1"},
        "expected_status": 400,
        "expect": {"error.code": "validation_error"},
    },
    {
        "name": "update an unknown product",
        "method": "PATCH",
        "path": "/catalog/products/999",
        "user": ADMIN,
        "json": {"price": "1.00"},
        "expected_status": 404,
    },
    {
        "name": "search products",
        "method": "GET",
        "path": "/catalog/search?q=coffee",
        "expected_status": 200,
        "expect": {
            "count": 3,
            "items.0.sku": "KT-001",
            "items.0.score": 3,
            "items.1.sku": "KT-002",
            "items.2.sku": "KT-003",
            "items.2.score": 1,
        },
    },
    {
        "name": "search with an empty query",
        "method": "GET",
        "path": "/catalog/search?q=",
        "expected_status": 400,
    },
    # ------------------------------------------------------------ inventory
    {
        "name": "list stock",
        "method": "GET",
        "path": "/inventory/stock",
        "expected_status": 200,
        "expect": {"count": 11, "items.8.product_id": 9, "items.8.available": 0},
    },
    {
        "name": "stock of the new product",
        "method": "GET",
        "path": "/inventory/stock/{hose}",
        "expected_status": 200,
        "expect": {"on_hand": 7, "reserved": 0},
    },
    {
        "name": "stock of an unknown product",
        "method": "GET",
        "path": "/inventory/stock/999",
        "expected_status": 404,
    },
    {
        "name": "restock a product",
        "method": "POST",
        "path": "/inventory/stock/3/adjust",
        "user": ADMIN,
        "json": {"delta": 1, "reason": "restock", "reference": "PO-17"},
        "expected_status": 200,
        "expect": {"on_hand": 3, "available": 3},
    },
    {
        "name": "write off more than is on hand",
        "method": "POST",
        "path": "/inventory/stock/3/adjust",
        "user": ADMIN,
        "json": {"delta": -100, "reason": "damage"},
        "expected_status": 409,
        "expect": {"error.code": "insufficient_stock"},
    },
    {
        "name": "adjust with an unknown reason",
        "method": "POST",
        "path": "/inventory/stock/3/adjust",
        "user": ADMIN,
        "json": {"delta": 1, "reason": "gift"},
        "expected_status": 400,
        "expect": {"error.details.field": "reason"},
    },
    {
        "name": "stock movements",
        "method": "GET",
        "path": "/inventory/stock/3/movements",
        "user": ADMIN,
        "expected_status": 200,
        "expect": {"count": 2, "items.1.reason": "restock", "items.1.reference": "PO-17"},
    },
    # ----------------------------------------------------------------- cart
    {
        "name": "empty cart",
        "method": "GET",
        "path": "/cart",
        "user": BOB,
        "expected_status": 200,
        "expect": {"items.#": 0, "subtotal": "0.00", "user_id": BOB},
    },
    {
        "name": "add to cart",
        "method": "POST",
        "path": "/cart/items",
        "user": BOB,
        "json": {"product_id": 1, "quantity": 2},
        "expected_status": 201,
        "expect": {"items.0.sku": "BK-001", "subtotal": "99.98", "item_count": 2},
    },
    {
        "name": "add a sold-out product",
        "method": "POST",
        "path": "/cart/items",
        "user": BOB,
        "json": {"product_id": 9},
        "expected_status": 409,
        "expect": {"error.code": "out_of_stock", "error.details.available": 0},
    },
    {
        "name": "add an unknown product",
        "method": "POST",
        "path": "/cart/items",
        "user": BOB,
        "json": {"product_id": 999},
        "expected_status": 404,
    },
    {
        "name": "add with a string product id",
        "method": "POST",
        "path": "/cart/items",
        "user": BOB,
        "json": {"product_id": "1"},
        "expected_status": 400,
        "expect": {"error.details.field": "product_id"},
    },
    {
        "name": "add a kettle",
        "method": "POST",
        "path": "/cart/items",
        "user": BOB,
        "json": {"product_id": 4},
        "expected_status": 201,
        "expect": {"items.#": 2, "subtotal": "134.48"},
        "capture": {"kettle_item": "items.1.id"},
    },
    {
        "name": "change a quantity",
        "method": "PATCH",
        "path": "/cart/items/{kettle_item}",
        "user": BOB,
        "json": {"quantity": 3},
        "expected_status": 200,
        "expect": {"items.1.quantity": 3, "subtotal": "203.48", "subtotal_cents": 20348},
    },
    {
        "name": "change a quantity to zero",
        "method": "PATCH",
        "path": "/cart/items/{kettle_item}",
        "user": BOB,
        "json": {"quantity": 0},
        "expected_status": 400,
    },
    {
        "name": "change a quantity beyond stock",
        "method": "PATCH",
        "path": "/cart/items/{kettle_item}",
        "user": BOB,
        "json": {"quantity": 99},
        "expected_status": 409,
        "expect": {"error.code": "out_of_stock"},
    },
    {
        "name": "remove a cart item",
        "method": "DELETE",
        "path": "/cart/items/{kettle_item}",
        "user": BOB,
        "expected_status": 200,
        "expect": {"items.#": 1, "subtotal": "99.98"},
    },
    {
        "name": "remove an unknown cart item",
        "method": "DELETE",
        "path": "/cart/items/999",
        "user": BOB,
        "expected_status": 404,
    },
    {"name": "cart needs a user", "method": "GET", "path": "/cart", "expected_status": 401},
    {
        "name": "carol fills her cart",
        "method": "POST",
        "path": "/cart/items",
        "user": CAROL,
        "json": {"product_id": 6, "quantity": 2},
        "expected_status": 201,
    },
    {
        "name": "carol empties her cart",
        "method": "DELETE",
        "path": "/cart",
        "user": CAROL,
        "expected_status": 200,
        "expect": {"items.#": 0},
    },
    # --------------------------------------------------------------- orders
    {
        "name": "checkout an empty cart",
        "method": "POST",
        "path": "/orders/checkout",
        "user": CAROL,
        "json": {"address_id": 2},
        "expected_status": 409,
        "expect": {"error.code": "cart_empty"},
    },
    {
        "name": "checkout without an address",
        "method": "POST",
        "path": "/orders/checkout",
        "user": BOB,
        "json": {},
        "expected_status": 400,
        "expect": {"error.details.field": "address_id"},
    },
    {
        "name": "checkout to someone else's address",
        "method": "POST",
        "path": "/orders/checkout",
        "user": BOB,
        "json": {"address_id": 2},
        "expected_status": 404,
    },
    {
        "name": "checkout with an unknown shipping method",
        "method": "POST",
        "path": "/orders/checkout",
        "user": BOB,
        "json": {"address_id": 1, "shipping_method": "drone"},
        "expected_status": 400,
        "expect": {"error.code": "unsupported_destination"},
    },
    {
        "name": "checkout",
        "method": "POST",
        "path": "/orders/checkout",
        "user": BOB,
        "json": {"address_id": 1},
        "expected_status": 201,
        "expect": {
            "id": 1,
            "status": "pending_payment",
            "subtotal": "99.98",
            "shipping": "8.00",
            "total": "107.98",
            "weight_grams": 2400,
            "ship_to.country": "US",
            "lines.#": 1,
            "placed_at": NOW,
            "paid_at": None,
        },
        "capture": {"order1": "id"},
    },
    {
        "name": "cart is empty after checkout",
        "method": "GET",
        "path": "/cart",
        "user": BOB,
        "expected_status": 200,
        "expect": {"items.#": 0},
    },
    {
        "name": "list my orders",
        "method": "GET",
        "path": "/orders",
        "user": BOB,
        "expected_status": 200,
        "expect": {"items.#": 1, "items.0.id": 1, "pagination.total": 1},
    },
    {
        "name": "list orders with an unknown status",
        "method": "GET",
        "path": "/orders?status=lost",
        "user": BOB,
        "expected_status": 400,
    },
    {
        "name": "get my order",
        "method": "GET",
        "path": "/orders/{order1}",
        "user": BOB,
        "expected_status": 200,
        "expect": {"lines.0.sku": "BK-001", "lines.0.quantity": 2},
    },
    {
        "name": "someone else's order is invisible",
        "method": "GET",
        "path": "/orders/{order1}",
        "user": CAROL,
        "expected_status": 404,
    },
    {
        "name": "order lines",
        "method": "GET",
        "path": "/orders/{order1}/lines",
        "user": BOB,
        "expected_status": 200,
        "expect": {"count": 1, "items.0.line_total": "99.98"},
    },
    {
        "name": "reservations of the order",
        "method": "GET",
        "path": "/inventory/reservations?order_id={order1}",
        "user": ADMIN,
        "expected_status": 200,
        "expect": {"count": 1, "items.0.status": "active", "items.0.quantity": 2},
        "capture": {"reservation1": "items.0.id"},
    },
    {
        "name": "get a reservation",
        "method": "GET",
        "path": "/inventory/reservations/{reservation1}",
        "user": ADMIN,
        "expected_status": 200,
        "expect": {"order_id": 1, "product_id": 1},
    },
    {
        "name": "get an unknown reservation",
        "method": "GET",
        "path": "/inventory/reservations/999",
        "user": ADMIN,
        "expected_status": 404,
    },
    {
        "name": "stock is reserved",
        "method": "GET",
        "path": "/inventory/stock/1",
        "expected_status": 200,
        "expect": {"on_hand": 25, "reserved": 2, "available": 23},
    },
    # ------------------------------------------------------------- payments
    {
        "name": "declined card",
        "method": "POST",
        "path": "/payments/orders/{order1}/charge",
        "user": BOB,
        "json": {"card_number": VISA_DECLINED},
        "expected_status": 402,
        "expect": {"error.code": "payment_declined", "error.details.reason": "card_declined"},
    },
    {
        "name": "order shows the failed payment",
        "method": "GET",
        "path": "/orders/{order1}",
        "user": BOB,
        "expected_status": 200,
        "expect": {"status": "payment_failed"},
    },
    {
        "name": "card number failing the checksum",
        "method": "POST",
        "path": "/payments/orders/{order1}/charge",
        "user": BOB,
        "json": {"card_number": "4242424242424241"},
        "expected_status": 400,
        "expect": {"error.code": "invalid_card"},
    },
    {
        "name": "pay the order",
        "method": "POST",
        "path": "/payments/orders/{order1}/charge",
        "user": BOB,
        "json": {"card_number": VISA_OK},
        "expected_status": 201,
        "expect": {"status": "captured", "amount": "107.98", "card.last4": "4242", "card.brand": "visa"},
        "capture": {"payment1": "id"},
    },
    {
        "name": "pay the order twice",
        "method": "POST",
        "path": "/payments/orders/{order1}/charge",
        "user": BOB,
        "json": {"card_number": VISA_OK},
        "expected_status": 409,
        "expect": {"error.code": "invalid_order_state"},
    },
    {
        "name": "pay an unknown order",
        "method": "POST",
        "path": "/payments/orders/999/charge",
        "user": BOB,
        "json": {"card_number": VISA_OK},
        "expected_status": 404,
    },
    {
        "name": "payments of the order",
        "method": "GET",
        "path": "/payments/orders/{order1}",
        "user": BOB,
        "expected_status": 200,
        "expect": {"count": 2, "items.0.status": "declined", "items.1.status": "captured"},
    },
    {
        "name": "get a payment",
        "method": "GET",
        "path": "/payments/{payment1}",
        "user": BOB,
        "expected_status": 200,
        "expect": {"order_id": 1, "failure_reason": None},
    },
    {
        "name": "get an unknown payment",
        "method": "GET",
        "path": "/payments/999",
        "user": BOB,
        "expected_status": 404,
    },
    {
        "name": "order is paid",
        "method": "GET",
        "path": "/orders/{order1}",
        "user": BOB,
        "expected_status": 200,
        "expect": {"status": "paid", "paid_at": NOW},
    },
    {
        "name": "stock is committed",
        "method": "GET",
        "path": "/inventory/stock/1",
        "expected_status": 200,
        "expect": {"on_hand": 23, "reserved": 0},
    },
    # ------------------------------------------------------------- shipping
    {
        "name": "list shipping rates",
        "method": "GET",
        "path": "/shipping/rates",
        "expected_status": 200,
        "expect": {"count": 5, "items.0.carrier": "USPS"},
    },
    {
        "name": "list shipping rates of a country",
        "method": "GET",
        "path": "/shipping/rates?country=de",
        "expected_status": 200,
        "expect": {"count": 2, "items.1.method": "express"},
    },
    {
        "name": "quote shipping",
        "method": "POST",
        "path": "/shipping/quote",
        "json": {"country": "DE", "weight_grams": 2500},
        "expected_status": 200,
        "expect": {"price": "13.50", "carrier": "DHL", "method": "standard"},
    },
    {
        "name": "quote an unsupported destination",
        "method": "POST",
        "path": "/shipping/quote",
        "json": {"country": "FR", "weight_grams": 100},
        "expected_status": 400,
        "expect": {"error.code": "unsupported_destination"},
    },
    {
        "name": "update a rate",
        "method": "PUT",
        "path": "/shipping/rates/5",
        "user": ADMIN,
        "json": {"base_cents": 850},
        "expected_status": 200,
        "expect": {"base_cents": 850, "country": "GB"},
    },
    {
        "name": "update an unknown rate",
        "method": "PUT",
        "path": "/shipping/rates/99",
        "user": ADMIN,
        "json": {"base_cents": 850},
        "expected_status": 404,
    },
    {
        "name": "customer may not update rates",
        "method": "PUT",
        "path": "/shipping/rates/5",
        "user": BOB,
        "json": {"base_cents": 1},
        "expected_status": 403,
    },
    {
        "name": "shipment of the order",
        "method": "GET",
        "path": "/shipping/orders/{order1}/shipment",
        "user": BOB,
        "expected_status": 200,
        "expect": {"status": "pending", "carrier": "USPS", "order_id": 1},
        "capture": {"shipment1": "id"},
    },
    {
        "name": "get a shipment",
        "method": "GET",
        "path": "/shipping/shipments/{shipment1}",
        "user": BOB,
        "expected_status": 200,
        "expect": {"method": "standard"},
    },
    {
        "name": "get an unknown shipment",
        "method": "GET",
        "path": "/shipping/shipments/999",
        "user": BOB,
        "expected_status": 404,
    },
    {
        "name": "deliver before shipping",
        "method": "POST",
        "path": "/shipping/shipments/{shipment1}/status",
        "user": ADMIN,
        "json": {"status": "delivered"},
        "expected_status": 409,
        "expect": {"error.code": "invalid_shipment_state"},
    },
    {
        "name": "unknown shipment status",
        "method": "POST",
        "path": "/shipping/shipments/{shipment1}/status",
        "user": ADMIN,
        "json": {"status": "lost"},
        "expected_status": 400,
    },
    {
        "name": "ship the order",
        "method": "POST",
        "path": "/shipping/shipments/{shipment1}/status",
        "user": ADMIN,
        "json": {"status": "shipped"},
        "expected_status": 200,
        "expect": {"status": "shipped", "shipped_at": NOW},
    },
    {
        "name": "order follows the shipment",
        "method": "GET",
        "path": "/orders/{order1}",
        "user": BOB,
        "expected_status": 200,
        "expect": {"status": "shipped"},
    },
    {
        "name": "shipped orders cannot be cancelled",
        "method": "POST",
        "path": "/orders/{order1}/cancel",
        "user": BOB,
        "expected_status": 409,
        "expect": {"error.code": "invalid_order_state"},
    },
    {
        "name": "deliver the order",
        "method": "POST",
        "path": "/shipping/shipments/{shipment1}/status",
        "user": ADMIN,
        "json": {"status": "delivered"},
        "expected_status": 200,
        "expect": {"status": "delivered"},
    },
    {
        "name": "order is delivered",
        "method": "GET",
        "path": "/orders/{order1}",
        "user": BOB,
        "expected_status": 200,
        "expect": {"status": "delivered"},
    },
    # -------------------------------------------------------------- reviews
    {
        "name": "no reviews yet",
        "method": "GET",
        "path": "/reviews/products/1",
        "expected_status": 200,
        "expect": {"items.#": 0, "pagination.total": 0},
    },
    {
        "name": "review without buying",
        "method": "POST",
        "path": "/reviews/products/1",
        "user": CAROL,
        "json": {"rating": 5, "title": "Looks nice"},
        "expected_status": 403,
        "expect": {"error.code": "not_purchased"},
    },
    {
        "name": "review with a bad rating",
        "method": "POST",
        "path": "/reviews/products/1",
        "user": BOB,
        "json": {"rating": 6, "title": "Too good"},
        "expected_status": 400,
        "expect": {"error.details.field": "rating"},
    },
    {
        "name": "review a purchased product",
        "method": "POST",
        "path": "/reviews/products/1",
        "user": BOB,
        "json": {"rating": 5, "title": "A classic", "body": "Dense but worth every page."},
        "expected_status": 201,
        "expect": {"id": 1, "rating": 5, "user_id": BOB},
        "capture": {"review1": "id"},
    },
    {
        "name": "review twice",
        "method": "POST",
        "path": "/reviews/products/1",
        "user": BOB,
        "json": {"rating": 4, "title": "Again"},
        "expected_status": 409,
        "expect": {"error.code": "duplicate_review"},
    },
    {
        "name": "review an unknown product",
        "method": "POST",
        "path": "/reviews/products/999",
        "user": BOB,
        "json": {"rating": 4, "title": "?"},
        "expected_status": 404,
    },
    {
        "name": "list reviews",
        "method": "GET",
        "path": "/reviews/products/1",
        "expected_status": 200,
        "expect": {"items.#": 1, "items.0.title": "A classic"},
    },
    {
        "name": "review summary",
        "method": "GET",
        "path": "/reviews/products/1/summary",
        "expected_status": 200,
        "expect": {"count": 1, "average": "5.00", "histogram.5": 1},
    },
    {
        "name": "delete someone else's review",
        "method": "DELETE",
        "path": "/reviews/{review1}",
        "user": CAROL,
        "expected_status": 403,
    },
    {
        "name": "delete my review",
        "method": "DELETE",
        "path": "/reviews/{review1}",
        "user": BOB,
        "expected_status": 200,
        "expect": {"deleted": True},
    },
    {
        "name": "delete a deleted review",
        "method": "DELETE",
        "path": "/reviews/{review1}",
        "user": BOB,
        "expected_status": 404,
    },
    # ------------------------------------------ pay-at-checkout and cancellations
    {
        "name": "bob buys the last copies",
        "method": "POST",
        "path": "/cart/items",
        "user": BOB,
        "json": {"product_id": 3, "quantity": 3},
        "expected_status": 201,
    },
    {
        "name": "checkout and pay in one step",
        "method": "POST",
        "path": "/orders/checkout",
        "user": BOB,
        "json": {"address_id": 1, "shipping_method": "express", "payment": {"card_number": VISA_OK}},
        "expected_status": 201,
        "expect": {"id": 2, "status": "paid", "subtotal": "119.97", "shipping": "20.00", "total": "139.97"},
        "capture": {"order2": "id"},
    },
    {
        "name": "sold out after the purchase",
        "method": "POST",
        "path": "/cart/items",
        "user": CAROL,
        "json": {"product_id": 3},
        "expected_status": 409,
        "expect": {"error.code": "out_of_stock"},
    },
    {
        "name": "cancel a paid order",
        "method": "POST",
        "path": "/orders/{order2}/cancel",
        "user": BOB,
        "expected_status": 200,
        "expect": {"status": "cancelled", "cancelled_at": NOW},
    },
    {
        "name": "cancelled paid order is restocked",
        "method": "GET",
        "path": "/inventory/stock/3",
        "expected_status": 200,
        "expect": {"on_hand": 3, "reserved": 0},
    },
    {
        "name": "cancelled paid order is refunded",
        "method": "GET",
        "path": "/payments/orders/{order2}",
        "user": BOB,
        "expected_status": 200,
        "expect": {"count": 1, "items.0.status": "refunded", "items.0.refunded_at": NOW},
    },
    {
        "name": "cancelled paid order has no shipment",
        "method": "GET",
        "path": "/shipping/orders/{order2}/shipment",
        "user": BOB,
        "expected_status": 200,
        "expect": {"status": "cancelled"},
    },
    {
        "name": "carol orders drippers",
        "method": "POST",
        "path": "/cart/items",
        "user": CAROL,
        "json": {"product_id": 6, "quantity": 2},
        "expected_status": 201,
    },
    {
        "name": "carol checks out to Germany",
        "method": "POST",
        "path": "/orders/checkout",
        "user": CAROL,
        "json": {"address_id": 2},
        "expected_status": 201,
        "expect": {"id": 3, "shipping": "10.50", "total": "50.48", "ship_to.country": "DE"},
        "capture": {"order3": "id"},
    },
    {
        "name": "carol cancels the unpaid order",
        "method": "POST",
        "path": "/orders/{order3}/cancel",
        "user": CAROL,
        "expected_status": 200,
        "expect": {"status": "cancelled"},
    },
    {
        "name": "cancel an order twice",
        "method": "POST",
        "path": "/orders/{order3}/cancel",
        "user": CAROL,
        "expected_status": 409,
        "expect": {"error.code": "invalid_order_state"},
    },
    {
        "name": "unpaid cancellation releases stock",
        "method": "GET",
        "path": "/inventory/stock/6",
        "expected_status": 200,
        "expect": {"on_hand": 40, "reserved": 0},
    },
    {
        "name": "dave buys a hub",
        "method": "POST",
        "path": "/cart/items",
        "user": 4,
        "json": {"product_id": 8},
        "expected_status": 201,
    },
    {
        "name": "dave checks out and pays",
        "method": "POST",
        "path": "/orders/checkout",
        "user": 4,
        "json": {"address_id": "{dave_address}", "payment": {"card_number": "5555555555554444"}},
        "expected_status": 201,
        "expect": {"id": 4, "status": "paid", "total": "45.99"},
        "capture": {"order4": "id"},
    },
    {
        "name": "dave's payment",
        "method": "GET",
        "path": "/payments/orders/{order4}",
        "user": 4,
        "expected_status": 200,
        "expect": {"items.0.card.brand": "mastercard"},
        "capture": {"payment4": "items.0.id"},
    },
    {
        "name": "customer may not refund",
        "method": "POST",
        "path": "/payments/{payment4}/refund",
        "user": 4,
        "expected_status": 403,
    },
    {
        "name": "staff refund",
        "method": "POST",
        "path": "/payments/{payment4}/refund",
        "user": ADMIN,
        "expected_status": 200,
        "expect": {"status": "refunded"},
    },
    {
        "name": "staff refund twice",
        "method": "POST",
        "path": "/payments/{payment4}/refund",
        "user": ADMIN,
        "expected_status": 409,
        "expect": {"error.code": "invalid_payment_state"},
    },
    {
        "name": "refunded order is cancelled",
        "method": "GET",
        "path": "/orders/{order4}",
        "user": 4,
        "expected_status": 200,
        "expect": {"status": "cancelled"},
    },
    # -------------------------------------------------------- notifications
    {
        "name": "outbox",
        "method": "GET",
        "path": "/notifications/outbox",
        "user": ADMIN,
        "expected_status": 200,
        "expect": {
            "pagination.total": 13,
            "items.0.template": "welcome",
            "items.0.recipient": "dave@shop.test",
            "items.0.status": "pending",
        },
    },
    {
        "name": "outbox needs an admin",
        "method": "GET",
        "path": "/notifications/outbox",
        "user": BOB,
        "expected_status": 403,
    },
    {
        "name": "outbox with an unknown status",
        "method": "GET",
        "path": "/notifications/outbox?status=lost",
        "user": ADMIN,
        "expected_status": 400,
    },
    {
        "name": "outbox message",
        "method": "GET",
        "path": "/notifications/outbox/3",
        "user": ADMIN,
        "expected_status": 200,
        "expect": {"template": "payment_receipt", "payload.order_id": 1, "recipient": "bob@shop.test"},
        "contains": ["we charged $107.98 for order #1"],
    },
    {
        "name": "unknown outbox message",
        "method": "GET",
        "path": "/notifications/outbox/999",
        "user": ADMIN,
        "expected_status": 404,
    },
    {
        "name": "dispatch with a bad limit",
        "method": "POST",
        "path": "/notifications/dispatch",
        "user": ADMIN,
        "json": {"limit": "two"},
        "expected_status": 400,
    },
    {
        "name": "dispatch two messages",
        "method": "POST",
        "path": "/notifications/dispatch",
        "user": ADMIN,
        "json": {"limit": 2},
        "expected_status": 200,
        "expect": {"dispatched": 2, "ids": [1, 2]},
    },
    {
        "name": "dispatch the rest",
        "method": "POST",
        "path": "/notifications/dispatch",
        "user": ADMIN,
        "expected_status": 200,
        "expect": {"dispatched": 11, "ids.0": 3},
    },
    {
        "name": "nothing pending",
        "method": "GET",
        "path": "/notifications/outbox?status=pending",
        "user": ADMIN,
        "expected_status": 200,
        "expect": {"pagination.total": 0},
    },
    {
        "name": "sent messages",
        "method": "GET",
        "path": "/notifications/outbox?status=sent&per_page=5&page=3",
        "user": ADMIN,
        "expected_status": 200,
        "expect": {"items.#": 3, "items.0.id": 11, "items.0.sent_at": NOW, "items.0.attempts": 1},
    },
    # ------------------------------------------------------------ reporting
    {
        "name": "reports need credentials",
        "method": "GET",
        "path": "/reports/sales-by-day",
        "expected_status": 401,
    },
    {
        "name": "reports need an admin",
        "method": "GET",
        "path": "/reports/summary",
        "user": BOB,
        "expected_status": 403,
    },
    {
        "name": "sales by day",
        "method": "GET",
        "path": "/reports/sales-by-day",
        "user": ADMIN,
        "expected_status": 200,
        "expect": {
            "count": 1,
            "items.0.day": "2026-01-01",
            "items.0.orders": 1,
            "items.0.units": 2,
            "items.0.revenue": "99.98",
        },
    },
    {
        "name": "top products",
        "method": "GET",
        "path": "/reports/top-products?limit=3",
        "user": ADMIN,
        "expected_status": 200,
        "expect": {"count": 1, "limit": 3, "items.0.sku": "BK-001", "items.0.units": 2},
    },
    {
        "name": "top products with a bad limit",
        "method": "GET",
        "path": "/reports/top-products?limit=0",
        "user": ADMIN,
        "expected_status": 400,
    },
    {
        "name": "stock report",
        "method": "GET",
        "path": "/reports/stock",
        "user": ADMIN,
        "expected_status": 200,
        "expect": {
            "count": 11,
            "items.0.on_hand": 23,
            "items.2.available": 3,
            "items.2.low_stock": True,
            "items.8.available": 0,
            "items.10.category": "garden-tools",
        },
    },
    {
        "name": "customers report",
        "method": "GET",
        "path": "/reports/customers",
        "user": ADMIN,
        "expected_status": 200,
        "expect": {"count": 1, "items.0.email": "bob@shop.test", "items.0.spent": "107.98"},
    },
    {
        "name": "summary report",
        "method": "GET",
        "path": "/reports/summary",
        "user": ADMIN,
        "expected_status": 200,
        "expect": {
            "orders_by_status.cancelled.orders": 3,
            "orders_by_status.delivered.orders": 1,
            "facts.#": 4,
            "facts.0.status": "paid",
            "facts.1.status": "cancelled",
        },
    },
]


# ----------------------------------------------------------------- machinery

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_MISSING = object()


@dataclass
class ScenarioResult:
    name: str
    method: str
    path: str
    status: int
    body: Any
    passed: bool
    message: str = ""


def _route_template(path: str) -> str:
    return path.split("?", 1)[0]


#: ``(METHOD, path template)`` for every scenario, e.g. ``("GET", "/orders/{order1}")``.
#: Placeholders stand for integer ids; the coverage test substitutes them.
ROUTES_COVERED: list[tuple[str, str]] = sorted({(s["method"], _route_template(s["path"])) for s in SCENARIOS})


def resolve(value: Any, path: str) -> Any:
    """Follow a dotted JSON path; ``#`` as the last segment means length."""
    current = value
    if path in ("", "$"):
        return current
    for segment in path.split("."):
        if segment == "#":
            return len(current) if isinstance(current, (list, dict, str)) else _MISSING
        if isinstance(current, list):
            try:
                current = current[int(segment)]
            except (ValueError, IndexError):
                return _MISSING
        elif isinstance(current, dict):
            if segment not in current:
                return _MISSING
            current = current[segment]
        else:
            return _MISSING
    return current


def fill(template: str, captured: Mapping[str, Any]) -> str:
    def replace(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in captured:
            raise KeyError(f"placeholder {{{key}}} was never captured")
        return str(captured[key])

    return _PLACEHOLDER.sub(replace, template)


def _fill_json(value: Any, captured: Mapping[str, Any]) -> Any:
    if isinstance(value, str):
        whole = _PLACEHOLDER.fullmatch(value)
        if whole and whole.group(1) in captured:
            return captured[whole.group(1)]
        return value
    if isinstance(value, list):
        return [_fill_json(v, captured) for v in value]
    if isinstance(value, dict):
        return {k: _fill_json(v, captured) for k, v in value.items()}
    return value


def build_request(
    scenario: Mapping[str, Any], captured: Mapping[str, Any]
) -> tuple[str, str, dict[str, str], bytes]:
    """Return ``(method, path, headers, body)`` for one scenario."""
    headers: dict[str, str] = {"Accept": "application/json"}
    body = b""
    if "json" in scenario:
        body = json.dumps(_fill_json(scenario["json"], captured), sort_keys=True).encode()
        headers["Content-Type"] = "application/json"
    elif "body" in scenario:
        raw = scenario["body"]
        body = raw if isinstance(raw, bytes) else str(raw).encode()
    if scenario.get("user") is not None:
        headers["X-User-Id"] = str(scenario["user"])
    headers.update(scenario.get("headers", {}))
    return scenario["method"], fill(scenario["path"], captured), headers, body


def check(scenario: Mapping[str, Any], status: int, raw: bytes) -> tuple[Any, list[str]]:
    """Compare a response with the scenario's expectations; returns (parsed body, problems)."""
    problems: list[str] = []
    try:
        parsed: Any = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        parsed = None
        problems.append("response body is not JSON")
    if status != scenario["expected_status"]:
        problems.append(f"status {status} != expected {scenario['expected_status']}")
    for path, expected in scenario.get("expect", {}).items():
        actual = resolve(parsed, path)
        if actual is _MISSING:
            problems.append(f"{path}: missing")
        elif actual != expected or type(actual) is not type(expected):
            problems.append(f"{path}: {actual!r} != expected {expected!r}")
    text = raw.decode("utf-8", "replace")
    for needle in scenario.get("contains", []):
        if needle not in text:
            problems.append(f"body does not contain {needle!r}")
    return parsed, problems


def run_scenarios(send: Transport, scenarios: list[dict[str, Any]] | None = None) -> list[ScenarioResult]:
    """Replay ``scenarios`` (default: all) in order through ``send``."""
    captured: dict[str, Any] = {}
    results: list[ScenarioResult] = []
    for scenario in SCENARIOS if scenarios is None else scenarios:
        try:
            method, path, headers, body = build_request(scenario, captured)
        except KeyError as exc:
            results.append(
                ScenarioResult(
                    scenario["name"], scenario["method"], scenario["path"], 0, None, False, str(exc)
                )
            )
            continue
        status, _headers, raw = send(method, path, headers, body)
        parsed, problems = check(scenario, status, raw)
        for name, json_path in scenario.get("capture", {}).items():
            value = resolve(parsed, json_path)
            if value is _MISSING:
                problems.append(f"capture {name}: {json_path} missing")
            else:
                captured[name] = value
        results.append(
            ScenarioResult(
                name=scenario["name"],
                method=method,
                path=path,
                status=status,
                body=parsed,
                passed=not problems,
                message="; ".join(problems),
            )
        )
    return results


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def http_transport(base_url: str, timeout: float = 10.0) -> Transport:
    """A ``send`` callable that talks HTTP to a running server (redirects not followed)."""
    opener = urllib.request.build_opener(_NoRedirect())
    base = base_url.rstrip("/")

    def send(
        method: str, path: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, Mapping[str, str], bytes]:
        request = urllib.request.Request(base + path, data=body or None, headers=dict(headers), method=method)
        try:
            with opener.open(request, timeout=timeout) as response:
                return response.status, dict(response.headers.items()), response.read()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, dict(error.headers.items()), error.read()

    return send


def flask_client_transport(app: Any) -> Transport:
    """A ``send`` callable over a Flask app's test client (duck-typed, no Flask import)."""
    client = app.test_client()

    def send(
        method: str, path: str, headers: Mapping[str, str], body: bytes
    ) -> tuple[int, Mapping[str, str], bytes]:
        response = client.open(path, method=method, headers=dict(headers), data=body)
        return response.status_code, dict(response.headers), response.get_data()

    return send


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(
            "usage: python shop_scenarios.py BASE_URL   (server needs a fresh DB and "
            f"SHOP_FIXED_NOW={FIXED_NOW})",
            file=sys.stderr,
        )
        return 2
    results = run_scenarios(http_transport(args[0]))
    failed = [r for r in results if not r.passed]
    for result in results:
        mark = "PASS" if result.passed else "FAIL"
        line = f"{mark} {result.status} {result.method} {result.path}  {result.name}"
        print(line if result.passed else f"{line}\n     {result.message}")
    print(f"{len(results) - len(failed)}/{len(results)} scenarios passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
