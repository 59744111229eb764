"""Where dispatched messages go.  Only a logging transport exists for now."""

from __future__ import annotations

import logging

from shop.notifications.models import OutboxMessage

log = logging.getLogger("shop.notifications")


def deliver(message: OutboxMessage) -> bool:
    """Pretend to send an e-mail; returns True when the message is delivered."""
    log.info("mail to=%s subject=%s", message.recipient, message.subject)
    return True
