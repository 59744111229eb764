"""A tiny synchronous in-process event bus.

Capabilities announce facts (``order_placed``...) and other capabilities
subscribe by connecting receivers at import time.  Receivers run inside the
publisher's transaction, which is exactly the hidden coupling a service split
has to replace with a real message broker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Receiver = Callable[..., Any]


class Signal:
    """A named hook; receivers are called in connection order."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._receivers: list[Receiver] = []

    def connect(self, receiver: Receiver) -> Receiver:
        """Subscribe ``receiver``; usable as a decorator.  Connecting twice is a no-op."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def disconnect(self, receiver: Receiver) -> None:
        if receiver in self._receivers:
            self._receivers.remove(receiver)

    @property
    def receivers(self) -> tuple[Receiver, ...]:
        return tuple(self._receivers)

    def send(self, **payload: Any) -> list[Any]:
        """Call every receiver with ``payload``; exceptions propagate to the publisher."""
        log.debug("signal %s -> %d receivers", self.name, len(self._receivers))
        return [receiver(**payload) for receiver in list(self._receivers)]

    def __repr__(self) -> str:
        return f"<Signal {self.name} receivers={len(self._receivers)}>"


_registry: dict[str, Signal] = {}


def signal(name: str) -> Signal:
    """Return the process-wide signal called ``name``, creating it on first use."""
    if name not in _registry:
        _registry[name] = Signal(name)
    return _registry[name]


# Domain signals used across capabilities.
order_placed = signal("order_placed")
order_paid = signal("order_paid")
order_cancelled = signal("order_cancelled")
shipment_status_changed = signal("shipment_status_changed")
