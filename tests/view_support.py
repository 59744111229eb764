"""The shop of the `graph` view tests: hand-built facts and a cut (no analysis run), with `tests.builders`."""

from __future__ import annotations

from analyzers.model import Codebase
from strangler.boundaries.decomposition import Decomposition, Operation, SharedTable
from tests import builders
from tests.builders import decomposition

SHOP_MODULES = {
    "shop.orders": 5,
    "shop.orders.views": 120,
    "shop.orders.service": 300,
    "shop.orders.models": 80,
    "shop.inventory.service": 150,
    "shop.inventory.models": 60,
    "shop.accounts.auth": 90,
    "shop.accounts.models": 40,
    "shop.core.db": 30,
    "shop.core.money": 25,
}


def shop() -> tuple[Codebase, Decomposition]:
    """Three services and a kernel; orders and inventory call each other (a cycle) and share `stock`."""
    cb = builders.codebase(
        SHOP_MODULES,
        root="/src/shop",
        imports=[
            ("shop.orders.service", "shop.inventory.service", 3),
            ("shop.orders.views", "shop.accounts.auth", 2),
            ("shop.orders.views", "shop.orders.service", 1),
            ("shop.orders.service", "shop.orders.models", 2),
            ("shop.inventory.service", "shop.orders.models", 4),
            ("shop.inventory.service", "shop.core.db", 1),
            ("shop.orders.models", "shop.core.db", 1),
            ("shop.accounts.models", "shop.core.db", 1),
            ("shop.orders.service", "shop.core.money", 5),
        ],
        references=[
            ("shop.orders.service", "shop.inventory.service", "reserve_stock", "call", 10),
            ("shop.orders.service", "shop.inventory.service", "reserve_stock", "call", 14),
            ("shop.orders.service", "shop.inventory.service", "release_stock", "call", 20),
            ("shop.orders.views", "shop.accounts.auth", "current_user", "call", 8),
            ("shop.inventory.service", "shop.orders.models", "Order", "call", 12),
            ("shop.orders.service", "shop.core.money", "Money", "call", 30),
        ],
        accesses=[
            ("shop.orders.models", "orders", "write"),
            ("shop.inventory.models", "stock", "write"),
            ("shop.orders.service", "stock", "read"),
            ("shop.accounts.models", "users", "write"),
        ],
        routes=[
            ("/orders/", "shop.orders.views", "GET"),
            ("/orders/", "shop.orders.views", "POST"),
            ("/login", "shop.accounts.auth", "POST"),
        ],
        tables=[
            ("orders", "shop.orders.models"),
            ("stock", "shop.inventory.models"),
            ("users", "shop.accounts.models"),
        ],
    )
    dec = decomposition(
        {
            "orders": ["shop.orders", "shop.orders.views", "shop.orders.service", "shop.orders.models"],
            "inventory": ["shop.inventory.service", "shop.inventory.models"],
            "accounts": ["shop.accounts.auth", "shop.accounts.models"],
        },
        ["shop.core.db", "shop.core.money"],
        reasons={"shop.orders.views": "serves /orders/*, 1 reference to orders.service"},
        metrics={"modularity": 0.41, "icp": 0.22, "ned": 1.0},
        extra={
            "orders": {
                "routes": ("GET /orders/", "POST /orders/"),
                "tables": ("orders",),
                "shared_tables": (SharedTable("stock", ("inventory",), ("inventory",)),),
                "interface": (Operation("shop.orders.models.Order", 1, ("inventory",)),),
                "cohesion": 0.8,
                "coupling": 0.2,
            },
            "inventory": {
                "tables": ("stock",),
                "interface": (
                    Operation("shop.inventory.service.release_stock", 1, ("orders",)),
                    Operation("shop.inventory.service.reserve_stock", 2, ("orders",)),
                ),
            },
            "accounts": {"routes": ("POST /login",), "tables": ("users",)},
        },
    )
    return cb, dec
