"""Message templates and payload (de)serialisation.

``ujson`` is used for payloads when installed (it was faster in 2019); the
standard library is the fallback and what CI runs with.
"""

from __future__ import annotations

from typing import Any

from shop import helpers
from shop.core.errors import ValidationError

try:
    import ujson as json_impl  # type: ignore[import-untyped, unused-ignore]
except ImportError:  # pragma: no cover - depends on the environment
    import json as json_impl

TEMPLATES: dict[str, tuple[str, str]] = {
    "welcome": ("Welcome to the shop, {name}", "Hi {name}, thanks for signing up."),
    "order_received": (
        "We received order #{order_id}",
        "Hi {name}, we received your order #{order_id} for {total}.",
    ),
    "payment_receipt": (
        "Receipt for order #{order_id}",
        "Hi {name}, we charged {total} for order #{order_id}. Tracking: {tracking_number}.",
    ),
    "order_cancelled": (
        "Order #{order_id} cancelled",
        "Hi {name}, order #{order_id} was cancelled. Any payment of {total} will be refunded.",
    ),
    "shipment_update": (
        "Order #{order_id} is {status}",
        "Hi {name}, your order #{order_id} is now {status}.",
    ),
}


def render(template: str, payload: dict[str, Any]) -> tuple[str, str]:
    """Render ``(subject, body)``; amounts in ``total`` are cents and get formatted."""
    if template not in TEMPLATES:
        raise ValidationError(f"unknown template {template!r}")
    context = dict(payload)
    if isinstance(context.get("total"), int):
        context["total"] = "$" + helpers.format_money(context["total"])
    subject, body = TEMPLATES[template]
    try:
        return subject.format(**context), body.format(**context)
    except KeyError as exc:
        raise ValidationError(f"template {template!r} needs {exc.args[0]!r}") from exc


def dump_payload(payload: dict[str, Any]) -> str:
    return str(json_impl.dumps(payload, sort_keys=True))


def load_payload(raw: str) -> dict[str, Any]:
    loaded = json_impl.loads(raw)
    return loaded if isinstance(loaded, dict) else {}
