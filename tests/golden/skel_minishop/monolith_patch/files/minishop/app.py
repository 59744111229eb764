"""Application factory: one Flask app, every blueprint, one unit of work per request."""

from __future__ import annotations

import os

from flask import Flask, Response

from minishop.accounts.views import bp as accounts_bp
from minishop.catalog.views import bp as catalog_bp
from minishop.core import db
from minishop.core.errors import register_error_handlers
from minishop.stock.views import bp as stock_bp
from minishop._strangler.internal_api import bp as strangler_internal_api


def create_app() -> Flask:
    app = Flask(__name__)
    db.init_engine(os.environ.get("SHOP_DATABASE_URL", "sqlite://"))
    db.create_all()
    register_error_handlers(app)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(catalog_bp, url_prefix="/catalog")
    app.register_blueprint(stock_bp)
    app.register_blueprint(strangler_internal_api)

    @app.after_request
    def _commit(response: Response) -> Response:
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response

    @app.teardown_appcontext
    def _remove(_exc: BaseException | None) -> None:
        db.session.remove()

    return app
