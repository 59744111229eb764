"""The outbox: other capabilities enqueue, staff (or a cron job) dispatch."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from shop import helpers
from shop.core import clock, db
from shop.core.errors import NotFound, ValidationError
from shop.core.pagination import Page, PageRequest, paginate
from shop.notifications import templates, transport
from shop.notifications.models import PENDING, SENT, OutboxMessage


def enqueue(recipient: str, template: str, payload: dict[str, Any]) -> OutboxMessage:
    """Store a rendered message; it is sent later by :func:`dispatch_pending`."""
    if not helpers.is_valid_email(recipient):
        raise ValidationError(f"cannot send mail to {recipient!r}")
    subject, body = templates.render(template, payload)
    message = OutboxMessage(
        recipient=recipient,
        template=template,
        subject=helpers.truncate(subject, 200),
        body=body,
        payload=templates.dump_payload(payload),
        status=PENDING,
        attempts=0,
        created_at=clock.now(),
    )
    db.session.add(message)
    db.session.flush()
    return message


def list_messages(page: PageRequest, status: str | None = None) -> Page[OutboxMessage]:
    if status is not None and status not in (PENDING, SENT):
        raise ValidationError("status must be 'pending' or 'sent'", details={"field": "status"})
    stmt = select(OutboxMessage)
    if status:
        stmt = stmt.where(OutboxMessage.status == status)
    return paginate(db.session, stmt.order_by(OutboxMessage.id), page)


def get_message(message_id: int) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise NotFound(f"message {message_id} not found")
    return message


def dispatch_pending(limit: int = 100) -> list[OutboxMessage]:
    """Hand pending messages to the transport in id order and mark them sent."""
    stmt = (
        select(OutboxMessage).where(OutboxMessage.status == PENDING).order_by(OutboxMessage.id).limit(limit)
    )
    sent: list[OutboxMessage] = []
    for message in db.session.scalars(stmt).all():
        message.attempts += 1
        if transport.deliver(message):
            message.status = SENT
            message.sent_at = clock.now()
            sent.append(message)
    db.session.flush()
    return sent
