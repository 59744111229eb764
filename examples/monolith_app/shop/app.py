"""The Flask application factory: wires every capability into one process."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

import shop
from shop.accounts.views import bp as accounts_bp
from shop.cart.views import bp as cart_bp
from shop.catalog.views import bp as catalog_bp
from shop.core import clock, db
from shop.core.config import build_config, default_database_url
from shop.core.errors import error_response, register_error_handlers
from shop.inventory.views import bp as inventory_bp
from shop.notifications import subscribers as notification_subscribers
from shop.notifications.views import bp as notifications_bp
from shop.orders import handlers as order_handlers
from shop.orders.views import bp as orders_bp
from shop.payments.views import bp as payments_bp
from shop.reporting import subscribers as reporting_subscribers
from shop.reporting.views import bp as reporting_bp
from shop.reviews.views import bp as reviews_bp
from shop.shipping.views import bp as shipping_bp


def _register_blueprints(app: Flask) -> None:
    # Blueprints that declare their own url_prefix.
    app.register_blueprint(accounts_bp)
    app.register_blueprint(inventory_bp)
    app.register_blueprint(orders_bp)
    app.register_blueprint(shipping_bp)
    app.register_blueprint(reviews_bp)
    # Blueprints mounted where the app decides.
    app.register_blueprint(catalog_bp, url_prefix="/catalog")
    app.register_blueprint(cart_bp, url_prefix="/cart")
    app.register_blueprint(payments_bp, url_prefix="/payments")
    app.register_blueprint(notifications_bp, url_prefix="/notifications")
    app.register_blueprint(reporting_bp, url_prefix="/reports")


#: Modules whose import-time side effect is connecting receivers to
#: :mod:`shop.core.events` signals.  Importing them here guarantees every
#: process that builds the app has the same subscribers.
EVENT_SUBSCRIBERS = (notification_subscribers, order_handlers, reporting_subscribers)


def health() -> Response:
    """Liveness plus a trivial database round trip."""
    db.session.execute(text("SELECT 1"))
    return jsonify({"status": "ok", "version": shop.__version__, "clock_frozen": clock.is_frozen()})


def _commit_unit_of_work(response: Response) -> Response:
    """One transaction per request: commit on success, roll back on errors."""
    if response.status_code >= 400:
        db.rollback()
        return response
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        return error_response(409, "conflict", "the change conflicts with existing data")
    except OperationalError:
        db.rollback()
        return error_response(503, "database_busy", "the database is busy, retry the request")
    except SQLAlchemyError:
        db.rollback()
        return error_response(500, "internal_error", "could not save the change")
    return response


def _remove_session(_exc: BaseException | None) -> None:
    db.remove()


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app.

    ``config`` overrides environment and defaults, e.g.
    ``{"DATABASE_URL": "sqlite:////tmp/shop.db", "FIXED_NOW": "2026-01-01T00:00:00+00:00"}``.
    Tables are created and seed data inserted (if the database is empty)
    unless ``SEED_ON_START`` is false.
    """
    app = Flask("shop", instance_relative_config=True, static_folder=None)
    app.config.update(build_config(config))
    app.json.sort_keys = True  # type: ignore[attr-defined]
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = default_database_url(app.instance_path)
    clock.configure(app.config["FIXED_NOW"])
    db.init_engine(app.config["DATABASE_URL"])

    register_error_handlers(app)
    _register_blueprints(app)
    app.add_url_rule("/health", endpoint="health", view_func=health, methods=["GET"])
    app.after_request(_commit_unit_of_work)
    app.teardown_appcontext(_remove_session)

    with app.app_context():
        db.create_all()
        if app.config["SEED_ON_START"]:
            from shop.seed import seed_if_empty

            seed_if_empty()
    return app
