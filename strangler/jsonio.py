"""Canonical JSON: the one way every machine-readable output is written, so runs are byte-identical."""

from __future__ import annotations

import json
from typing import Any


def dumps(document: Any) -> str:
    """Serialize with sorted keys, two-space indent, UTF-8 text and a final newline."""
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
