"""Small hand-built Codebase/Decomposition values for the `graph` view tests (no analysis run)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from analyzers.model import Codebase, ImportEdge, Module, Reference, Route, Table, TableAccess
from strangler.decomposition import (
    SHARED_KERNEL,
    Assignment,
    Decomposition,
    Operation,
    Service,
    SharedTable,
)


def codebase(
    modules: Mapping[str, int],
    *,
    imports: Iterable[tuple[str, str, int]] = (),
    references: Iterable[tuple[str, str, str, int]] = (),
    accesses: Iterable[tuple[str, str, str]] = (),
    routes: Iterable[tuple[str, str, str]] = (),
    tables: Iterable[tuple[str, str]] = (),
    root: str = "/src/shop",
) -> Codebase:
    """modules: name -> loc; imports (src, dst, line); references (src, dst, symbol, line);
    accesses (module, table, mode); routes (module, "GET,POST", path); tables (name, module)."""
    return Codebase(
        root=root,
        modules=tuple(sorted(Module(n, n.replace(".", "/") + ".py", loc) for n, loc in modules.items())),
        imports=tuple(sorted(ImportEdge(s, t, line) for s, t, line in imports)),
        references=tuple(sorted(Reference(s, line, t, sym, "call") for s, t, sym, line in references)),
        accesses=tuple(
            sorted(TableAccess(m, t, mode, 1, "orm") for m, t, mode in accesses)  # type: ignore[arg-type]
        ),
        routes=tuple(
            sorted(
                Route(path, tuple(methods.split(",")), f"{m}.handler", m, 1, "flask")
                for m, methods, path in routes
            )
        ),
        tables=tuple(sorted(Table(name, m) for name, m in tables)),
    )


def decomposition(
    services: Mapping[str, Iterable[str]],
    kernel: Iterable[str] = (),
    *,
    reasons: Mapping[str, str] | None = None,
    metrics: Mapping[str, float] | None = None,
    extra: Mapping[str, Mapping[str, object]] | None = None,
) -> Decomposition:
    """services: name -> modules; `extra` sets further Service fields per service name."""
    reasons = reasons or {}
    built = tuple(
        sorted(
            Service(name=name, modules=tuple(sorted(mods)), **dict((extra or {}).get(name, {})))  # type: ignore[arg-type]
            for name, mods in services.items()
        )
    )
    kernel = tuple(sorted(kernel))
    owner = {m: s.name for s in built for m in s.modules} | {m: SHARED_KERNEL for m in kernel}
    assignments = tuple(
        Assignment(m, svc, reasons.get(m, f"reason for {m}")) for m, svc in sorted(owner.items())
    )
    return Decomposition(
        services=built,
        shared_kernel=kernel,
        assignments=assignments,
        metrics=tuple(sorted((metrics or {}).items())),
    )


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
    cb = codebase(
        SHOP_MODULES,
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
            ("shop.orders.service", "shop.inventory.service", "reserve_stock", 10),
            ("shop.orders.service", "shop.inventory.service", "reserve_stock", 14),
            ("shop.orders.service", "shop.inventory.service", "release_stock", 20),
            ("shop.orders.views", "shop.accounts.auth", "current_user", 8),
            ("shop.inventory.service", "shop.orders.models", "Order", 12),
            ("shop.orders.service", "shop.core.money", "Money", 30),
        ],
        accesses=[
            ("shop.orders.models", "orders", "write"),
            ("shop.inventory.models", "stock", "write"),
            ("shop.orders.service", "stock", "read"),
            ("shop.accounts.models", "users", "write"),
        ],
        routes=[
            ("shop.orders.views", "GET", "/orders/"),
            ("shop.orders.views", "POST", "/orders/"),
            ("shop.accounts.auth", "POST", "/login"),
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
