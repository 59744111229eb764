"""Deterministic demo data, inserted once into an empty database.

Ids follow insertion order, so a fresh database always has the same ids:
user 1 is the administrator, users 2 and 3 are customers, products 1-10.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from shop import helpers
from shop.accounts.models import Address, User
from shop.catalog.models import Category, Product
from shop.core import clock, db
from shop.inventory.models import StockLevel, StockMovement
from shop.shipping.models import ShippingRate

log = logging.getLogger(__name__)

USERS = [
    ("admin@shop.test", "Ada Admin", True),
    ("bob@shop.test", "Bob Buyer", False),
    ("carol@shop.test", "Carol Customer", False),
]

ADDRESSES = [
    # (user index, recipient, line1, city, postal_code, country)
    (1, "Bob Buyer", "1 Main Street", "Springfield", "12345", "US"),
    (2, "Carol Customer", "Hauptstrasse 5", "Berlin", "10115", "DE"),
]

CATEGORIES = [("Books", "books"), ("Kitchen", "kitchen"), ("Electronics", "electronics")]

# (sku, name, description, price cents, weight grams, category slug, on hand)
PRODUCTS = [
    (
        "BK-001",
        "Domain-Driven Design",
        "Tackling complexity in the heart of software.",
        4999,
        1200,
        "books",
        25,
    ),
    (
        "BK-002",
        "Working Effectively with Legacy Code",
        "Seams, tests and refactoring.",
        4499,
        900,
        "books",
        10,
    ),
    (
        "BK-003",
        "Monolith to Microservices",
        "Evolutionary patterns to transform a monolith.",
        3999,
        600,
        "books",
        2,
    ),
    ("KT-001", "Pour-Over Coffee Kettle", "Gooseneck kettle with thermometer.", 3450, 1100, "kitchen", 15),
    ("KT-002", "Burr Coffee Grinder", "Conical burr grinder with 40 settings.", 8900, 2300, "kitchen", 8),
    ("KT-003", "Ceramic Pour-Over Dripper", "Single cup coffee dripper.", 1999, 400, "kitchen", 40),
    (
        "EL-001",
        "Mechanical Keyboard",
        "Tenkeyless keyboard with brown switches.",
        12900,
        950,
        "electronics",
        5,
    ),
    ("EL-002", "USB-C Hub", "Seven ports, 100 W pass-through charging.", 3999, 150, "electronics", 30),
    ("EL-003", "Noise-Cancelling Headphones", "Over-ear, 30 hours of battery.", 24900, 320, "electronics", 0),
    (
        "EL-004",
        "Desk Lamp",
        "LED desk lamp with adjustable colour temperature.",
        5900,
        1500,
        "electronics",
        12,
    ),
]

# (country, method, carrier, base cents, per kg cents, days)
RATES = [
    ("US", "standard", "USPS", 500, 100, 5),
    ("US", "express", "UPS", 1500, 250, 2),
    ("DE", "standard", "DHL", 900, 150, 7),
    ("DE", "express", "DHL Express", 2500, 300, 3),
    ("GB", "standard", "Royal Mail", 800, 150, 6),
]


def is_seeded() -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(User)))


def seed() -> None:
    now = clock.now()
    users = [User(email=e, name=n, is_admin=a, created_at=now) for e, n, a in USERS]
    db.session.add_all(users)
    db.session.flush()
    for index, recipient, line1, city, postal, country in ADDRESSES:
        db.session.add(
            Address(
                user_id=users[index].id,
                recipient=recipient,
                line1=line1,
                city=city,
                postal_code=postal,
                country=country,
                created_at=now,
            )
        )
    categories = {slug: Category(name=name, slug=slug) for name, slug in CATEGORIES}
    db.session.add_all(categories.values())
    db.session.flush()
    for sku, name, description, price, weight, category, on_hand in PRODUCTS:
        product = Product(
            sku=sku,
            name=name,
            slug=helpers.slugify(name),
            description=description,
            price_cents=price,
            weight_grams=weight,
            category_id=categories[category].id,
            is_active=True,
            created_at=now,
            updated_at=now,
        )
        db.session.add(product)
        db.session.flush()
        db.session.add(StockLevel(product_id=product.id, on_hand=on_hand, reserved=0, updated_at=now))
        if on_hand:
            db.session.add(
                StockMovement(
                    product_id=product.id,
                    delta=on_hand,
                    reason="initial",
                    reference="seed",
                    created_at=now,
                )
            )
    for country, method, carrier, base, per_kg, days in RATES:
        db.session.add(
            ShippingRate(
                country=country,
                method=method,
                carrier=carrier,
                base_cents=base,
                per_kg_cents=per_kg,
                estimated_days=days,
                is_active=True,
            )
        )
    db.session.flush()


def seed_if_empty() -> bool:
    """Seed an empty database; returns True if this call inserted the data.

    Safe to race: if another process seeds first, our inserts hit the unique
    constraints, we roll back and treat the database as seeded.
    """
    if is_seeded():
        return False
    try:
        seed()
        db.commit()
    except IntegrityError:
        db.rollback()
        log.info("database was seeded concurrently by another process")
        return False
    return True
