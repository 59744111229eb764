# strangler: vendored (read-only copy) from minishop/app.py (module minishop.app)
"""Application factory: one Flask app, every blueprint, one unit of work per request."""

from __future__ import annotations

import os

from flask import Flask, Response

from stock.vendored.minishop.core import db
from stock.vendored.minishop.core.errors import register_error_handlers
from stock.views import bp as stock_bp


def create_app() -> Flask:
    app = Flask(__name__)
    db.init_engine(os.environ.get("SHOP_DATABASE_URL", "sqlite://"))
    db.create_all()
    register_error_handlers(app)
    app.register_blueprint(stock_bp)

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
