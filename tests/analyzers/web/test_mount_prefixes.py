"""Prefixes along chains of mounts: Flask's replaces the blueprint's own, FastAPI's is prepended."""

from __future__ import annotations

from analyzers.model import UNKNOWN_PREFIX
from tests.analyzers.web.test_app_resolution import resolved

FLASK = """
from flask import Flask, Blueprint
app = Flask(__name__)
shop = Blueprint("shop", __name__, url_prefix="/shop")
cart = Blueprint("cart", __name__, url_prefix="/cart")

@cart.route("/items")
def items(): ...

shop.register_blueprint(cart)
app.register_blueprint(shop, url_prefix="/store")
"""

FASTAPI = """
from fastapi import FastAPI, APIRouter
app = FastAPI()
router = APIRouter(prefix="/users")
computed = APIRouter(prefix=make_prefix())

@router.get("/me")
def me(): ...

@computed.get("/x")
def x(): ...

app.include_router(router, prefix="/v1")
"""


def test_flask_prefixes_replace_and_labels_chain() -> None:
    routes, _ = resolved({"app.main": FLASK})
    assert {(r.path, r.name) for r in routes} == {("/store/cart/items", "shop.cart.items")}


def test_fastapi_prefixes_prepend_and_an_unread_one_is_unknown() -> None:
    routes, diagnostics = resolved({"app.main": FASTAPI})
    assert {(r.path, r.unknown_prefix) for r in routes} == {
        ("/v1/users/me", ""),
        (f"{UNKNOWN_PREFIX}/x", "make_prefix() (prefix of computed)"),
    }
    (diagnostic,) = diagnostics
    assert diagnostic.kind == "computed-route" and diagnostic.line == 5  # where the router is created
