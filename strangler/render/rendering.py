"""DOT to SVG or PNG through the Graphviz `dot` program: the one place this package runs a process."""

from __future__ import annotations

import re
from typing import Literal

import graphviz

from strangler.exceptions import RenderError, ToolMissingError

ImageFormat = Literal["svg", "png"]

INSTALL_HINT = (
    "install Graphviz (Debian/Ubuntu: `apt install graphviz`, macOS: `brew install graphviz`); "
    "`-o FILE.dot` and `-o FILE.html` still work without it (the report then lists services "
    "instead of drawing them)"
)


def render(dot_text: str, fmt: ImageFormat) -> bytes:
    """Run `dot -T<fmt>` on `dot_text`; ToolMissingError without `dot`, RenderError if it fails."""
    source = graphviz.Source(dot_text, engine="dot")
    try:
        return bytes(source.pipe(format=fmt))
    except graphviz.ExecutableNotFound as exc:
        raise ToolMissingError(
            "the Graphviz program `dot` is not installed, so SVG and PNG cannot be drawn",
            hint=INSTALL_HINT,
        ) from exc
    except graphviz.CalledProcessError as exc:
        stderr = exc.stderr.decode("utf-8", "replace") if isinstance(exc.stderr, bytes) else ""
        raise RenderError(
            f"Graphviz `dot` failed (exit {exc.returncode}): {stderr.strip() or 'no message'}",
            hint="write `-o FILE.dot` and report it with the message above",
        ) from exc


def inline_svg(svg: bytes) -> str:
    """The `<svg>` element of a rendered SVG, without XML prolog, DOCTYPE and comments.

    Embedding it in HTML keeps the report one file; width/height are dropped so CSS can scale it
    (the viewBox keeps its proportions).
    """
    text = svg.decode("utf-8")
    start = text.index("<svg")
    text = text[start:]
    text = re.sub(r"<!--.*?-->\n?", "", text, flags=re.DOTALL)
    head_end = text.index(">")
    head = re.sub(r'\s(width|height)="[^"]*"', "", text[:head_end])
    return head + text[head_end:]
