"""Header-based authentication: ``X-User-Id: <id>``.

Good enough for an internal example: the edge proxy authenticates users and
forwards their id.  Every capability that needs "who is calling" imports this.
"""

from __future__ import annotations

from flask import request

from shop.accounts.models import User
from shop.core import db
from shop.core.errors import Forbidden, Unauthorized

USER_HEADER = "X-User-Id"


def current_user_id() -> int | None:
    raw = request.headers.get(USER_HEADER)
    if raw is None or raw.strip() == "":
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise Unauthorized(f"{USER_HEADER} must be an integer user id") from exc


def require_user() -> User:
    user_id = current_user_id()
    if user_id is None:
        raise Unauthorized(f"missing {USER_HEADER} header")
    user = db.session.get(User, user_id)
    if user is None:
        raise Unauthorized(f"unknown user {user_id}")
    return user


def require_admin() -> User:
    user = require_user()
    if not user.is_admin:
        raise Forbidden("administrator access required")
    return user
