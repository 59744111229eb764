# strangler: vendored (read-only copy) from minishop/core/errors.py (module minishop.core.errors)
"""Domain errors and their JSON rendering."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify


class ShopError(Exception):
    status = 500
    code = "internal_error"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(ShopError):
    status = 404
    code = "not_found"


class Unauthorized(ShopError):
    status = 401
    code = "unauthorized"


class Conflict(ShopError):
    status = 409
    code = "conflict"


def _render(exc: ShopError) -> Response:
    response = jsonify({"error": {"code": exc.code, "message": exc.message}})
    response.status_code = exc.status
    return response


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(ShopError, _render)
