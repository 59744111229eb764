"""Domain exceptions and the JSON error envelope.

Every error leaves the app as ``{"error": {"code": ..., "message": ...}}``
(plus optional ``details``) so clients never have to parse HTML.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

from shop.core import db


class ShopError(Exception):
    """Base class for errors that map onto an HTTP status."""

    status: int = 500
    code: str = "internal_error"

    def __init__(
        self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details


class BadRequest(ShopError):
    status = 400
    code = "bad_request"


class ValidationError(ShopError):
    status = 400
    code = "validation_error"


class Unauthorized(ShopError):
    status = 401
    code = "unauthorized"


class PaymentDeclined(ShopError):
    status = 402
    code = "payment_declined"


class Forbidden(ShopError):
    status = 403
    code = "forbidden"


class NotFound(ShopError):
    status = 404
    code = "not_found"


class Conflict(ShopError):
    status = 409
    code = "conflict"


class OutOfStock(Conflict):
    code = "out_of_stock"


HTTP_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    415: "unsupported_media_type",
}


def error_response(status: int, code: str, message: str, details: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    response = jsonify({"error": body})
    response.status_code = status
    return response


def _handle_shop_error(exc: ShopError) -> Response:
    db.rollback()
    return error_response(exc.status, exc.code, exc.message, exc.details)


def _handle_http_exception(exc: HTTPException) -> Response:
    db.rollback()
    status = exc.code or 500
    code = HTTP_CODES.get(status, "http_error")
    response = error_response(status, code, exc.description or exc.name)
    if status == 405 and exc.response is None:
        allowed = getattr(exc, "valid_methods", None)
        if allowed:
            response.headers["Allow"] = ", ".join(sorted(allowed))
    return response


def _handle_unexpected(exc: Exception) -> Response:
    db.rollback()
    return error_response(500, "internal_error", "unexpected server error")


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(ShopError, _handle_shop_error)
    app.register_error_handler(HTTPException, _handle_http_exception)
    if not app.testing:
        app.register_error_handler(Exception, _handle_unexpected)
