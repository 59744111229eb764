"""Request/response helpers for the JSON API."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request

from shop.core.errors import BadRequest


def json_body() -> dict[str, Any]:
    """Return the request's JSON object or raise a 400.

    Missing body, a wrong content type and malformed JSON all answer with a
    stable ``invalid_json`` code instead of Flask's HTML error page.
    """
    if not request.data:
        raise BadRequest("request body must be a JSON object", code="invalid_json")
    payload = request.get_json(silent=True, force=True)
    if not isinstance(payload, dict):
        raise BadRequest("request body must be a JSON object", code="invalid_json")
    return payload


def optional_json_body() -> dict[str, Any]:
    """Like :func:`json_body` but an empty body means ``{}``."""
    if not request.data:
        return {}
    return json_body()


def created(payload: dict[str, Any]) -> tuple[Response, int]:
    return jsonify(payload), 201
