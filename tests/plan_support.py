"""A small hand-built monolith (facts and a cut) for the planner and proxy tests.

Four services and a kernel, built so every planner rule has something to find:
- catalog: only called by others, owns `products` (read by cart) → first wave;
- orders ↔ payments: a cycle (orders calls payments 3 times, payments calls orders once);
- orders and payments both write `orders` (a table two services write);
- payments passes an ORM instance and the caller's session; a generator; mutable module state;
- notifications connects a receiver to the kernel's `order_placed` signal that orders sends.
"""

from __future__ import annotations

from analyzers.model import Codebase, Reference, Route, Symbol, SymbolKind, Table, TableAccess
from strangler.boundaries.decomposition import Decomposition
from tests import builders
from tests.builders import module

SERVICES = {
    "catalog": ("shop.catalog.models", "shop.catalog.service", "shop.catalog.views"),
    "notifications": ("shop.notifications.handlers",),
    "orders": ("shop.orders.models", "shop.orders.service", "shop.orders.views"),
    "payments": ("shop.payments.service", "shop.payments.views"),
}
KERNEL = ("shop.core.db", "shop.core.events")


def codebase() -> Codebase:
    fn: SymbolKind = "function"
    modules = (
        module("shop.catalog.models", 40, symbols=(Symbol("Product", "class", 5, bases=("Base",)),)),
        module(
            "shop.catalog.service",
            60,
            symbols=(
                Symbol("get_product", fn, 10, params="product_id: int", returns="dict"),
                Symbol("iter_products", fn, 20, params="", returns="Iterator[dict]", is_generator=True),
            ),
        ),
        module("shop.catalog.views", 30, symbols=(Symbol("show_product", fn, 8, params="product_id: int"),)),
        module(
            "shop.notifications.handlers",
            25,
            symbols=(
                Symbol(
                    "on_order_placed", fn, 6, params="order_id: int", decorators=("order_placed.connect",)
                ),
            ),
        ),
        module("shop.orders.models", 50, symbols=(Symbol("Order", "class", 7, bases=("Base",)),)),
        module(
            "shop.orders.service",
            120,
            symbols=(
                Symbol("place_order", fn, 12, params="cart_id: int, session: Session", returns="Order"),
                Symbol("mark_paid", fn, 40, params="order_id: int"),
                Symbol("PENDING", "variable", 3, mutable=True),
            ),
        ),
        module("shop.orders.views", 45, symbols=(Symbol("create_order", fn, 9),)),
        module(
            "shop.payments.service",
            80,
            symbols=(
                Symbol("charge", fn, 15, params="order: Order, session: Session", returns="bool"),
                Symbol("refund", fn, 30, params="order_id: int, on_done: Callable[[], None]"),
            ),
        ),
        module("shop.payments.views", 20, symbols=(Symbol("pay", fn, 5),)),
        module("shop.core.db", 30, symbols=(Symbol("session", "variable", 4),)),
        module("shop.core.events", 20, symbols=(Symbol("order_placed", "variable", 9),)),
        module("shop.app", 15),
        module("tests.test_orders", 40, role="test"),
    )
    references = (
        # cart-less monolith: shop.app wires blueprints (stays in the monolith)
        Reference("shop.app", 3, "shop.orders.views", "create_order", "name"),
        Reference("shop.app", 4, "shop.catalog.views", "show_product", "name"),
        # orders → catalog (2), orders → payments (3), payments → orders (1)
        Reference("shop.orders.service", 20, "shop.catalog.service", "get_product", "call", "place_order"),
        Reference("shop.orders.views", 15, "shop.catalog.service", "get_product", "call", "create_order"),
        Reference("shop.orders.service", 25, "shop.payments.service", "charge", "call", "place_order"),
        Reference("shop.orders.service", 26, "shop.payments.service", "charge", "call", "place_order"),
        Reference("shop.orders.service", 50, "shop.payments.service", "refund", "call", "mark_paid"),
        Reference("shop.payments.service", 22, "shop.orders.service", "mark_paid", "call", "charge"),
        Reference("shop.payments.service", 23, "shop.orders.service", "PENDING", "attribute", "charge"),
        # kernel use: not interface
        Reference("shop.orders.service", 5, "shop.core.db", "session", "name"),
        Reference("shop.orders.service", 30, "shop.core.events", "order_placed", "attribute", "place_order"),
        Reference(
            "shop.notifications.handlers",
            6,
            "shop.core.events",
            "order_placed",
            "decorator",
            "on_order_placed",
        ),
        # tests are not interface
        Reference("tests.test_orders", 10, "shop.payments.service", "charge", "call", "test_charge"),
    )
    routes = (
        Route("/products/", ("GET",), "shop.catalog.views.list_products", "shop.catalog.views", 3, "flask"),
        Route(
            "/products/<int:product_id>",
            ("GET",),
            "shop.catalog.views.show_product",
            "shop.catalog.views",
            8,
            "flask",
        ),
        Route("/orders/", ("POST",), "shop.orders.views.create_order", "shop.orders.views", 9, "flask"),
        Route(
            "/orders/<int:order_id>",
            ("GET",),
            "shop.orders.views.get_order",
            "shop.orders.views",
            20,
            "flask",
        ),
        Route(
            "/orders/<int:order_id>/pay",
            ("POST",),
            "shop.payments.views.pay",
            "shop.payments.views",
            5,
            "flask",
        ),
        Route("/health", ("GET",), "shop.app.health", "shop.app", 10, "flask"),
    )
    tables = (
        Table("products", "shop.catalog.models", "Product", 5),
        Table("orders", "shop.orders.models", "Order", 7),
    )
    accesses = (
        TableAccess("shop.catalog.service", "products", "read", 11, "orm"),
        TableAccess("shop.catalog.service", "products", "write", 30, "orm"),
        TableAccess("shop.orders.service", "products", "read", 21, "orm"),
        TableAccess("shop.orders.service", "orders", "write", 14, "orm"),
        TableAccess("shop.orders.service", "orders", "write", 41, "orm"),
        TableAccess("shop.orders.service", "orders", "read", 45, "orm"),
        TableAccess("shop.payments.service", "orders", "write", 24, "orm"),
        TableAccess("shop.payments.service", "payments", "write", 17, "orm"),
    )
    return Codebase(
        root="/src/shop",
        modules=tuple(sorted(modules)),
        references=tuple(sorted(references)),
        routes=tuple(sorted(routes)),
        tables=tables,
        accesses=tuple(sorted(accesses)),
    )


def decomposition() -> Decomposition:
    """SERVICES and KERNEL, every module's reason "fixture"."""
    modules = [m for mods in SERVICES.values() for m in mods] + list(KERNEL)
    return builders.decomposition(SERVICES, KERNEL, reasons=dict.fromkeys(modules, "fixture"))
