"""Model classes and their tables, resolved through base classes across modules."""

from __future__ import annotations

import ast

from analyzers.data.models import ModelInfo, app_label, resolve_models, snake_case
from analyzers.frameworks.joining import scan_file
from tests.analyzers.python.test_scope import FakeScope

SOURCES = {
    "shop.models": """
from django.db import models

class Base(models.Model):
    class Meta:
        abstract = True

class Order(Base):
    tags = models.ManyToManyField("Tag")

class Archived(Order):
    class Meta:
        proxy = True
""",
    "blog.db": """
from flask_sqlalchemy import SQLAlchemy
db = SQLAlchemy()

class BlogPost(db.Model):
    id = db.Column(db.Integer, primary_key=True)

class Draft(BlogPost):
    pass
""",
}


def test_models_of_both_orms_get_their_tables() -> None:
    facts = {m: scan_file(ast.parse(s), m, m + ".py").data for m, s in SOURCES.items()}
    models = resolve_models(facts, FakeScope(SOURCES, frozenset()))
    assert {k: (i.table, i.django, i.owns_table) for k, i in models.items()} == {
        ("shop.models", "Order"): ("shop_order", True, True),
        ("shop.models", "Archived"): ("shop_order", True, False),  # a proxy shares its parent's
        ("blog.db", "BlogPost"): ("blog_post", False, True),
        ("blog.db", "Draft"): ("blog_post", False, False),  # single-table inheritance
    }
    assert models[("shop.models", "Order")] == ModelInfo(
        "shop.models", "Order", "shop_order", True, True, 8, "shop", (("shop_order_tags", 9),)
    )


def test_names() -> None:
    assert snake_case("HTTPLog") == "http_log"
    assert app_label("shop.models.orders") == "shop"
