"""strangler: take a Python monolith apart into services with the strangler-fig pattern."""

from __future__ import annotations

# The distribution's version is one literal in `analyzers` (the lower layer, which the facts cache
# keys on); reading it costs nothing at start-up, unlike importlib.metadata.
from analyzers import __version__

__all__ = ["__version__"]
