"""Rendering for outbox messages."""

from __future__ import annotations

from typing import Any

from shop import helpers
from shop.notifications import templates
from shop.notifications.models import OutboxMessage


def message_to_dict(message: OutboxMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "recipient": message.recipient,
        "template": message.template,
        "subject": message.subject,
        "body": message.body,
        "payload": templates.load_payload(message.payload),
        "status": message.status,
        "attempts": message.attempts,
        "created_at": helpers.timestamp(message.created_at),
        "sent_at": helpers.timestamp(message.sent_at),
    }
