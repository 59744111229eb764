"""Source bytes to text, the way Python itself would decode a module, with a diagnostic instead of an error.

Reading happens in the main process (so a file that vanishes or cannot be opened is noticed where the
file system is touched); decoding happens in the parse worker, because its result is cached with the
file's facts.
"""

from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass

from analyzers.model import Diagnostic

# PEP 263: a magic comment on line 1 or 2.
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_BLANK_OR_COMMENT = re.compile(rb"^[ \t\f]*(?:[#\r\n]|$)")


@dataclass(frozen=True, slots=True)
class ReadResult:
    """The bytes of one file, or the diagnostic explaining why there are none."""

    data: bytes | None
    diagnostic: Diagnostic | None = None


def read_source(abspath: str, relpath: str, max_bytes: int) -> ReadResult:
    """Read a file's bytes; too-large, unreadable and vanished files become diagnostics."""
    try:
        size = os.stat(abspath).st_size
        if size > max_bytes:
            return ReadResult(
                None,
                Diagnostic(
                    relpath,
                    0,
                    "too-large",
                    f"{size} bytes, more than the limit of {max_bytes}; skipped"
                    " (generated code? exclude it or raise max_file_bytes)",
                ),
            )
        with open(abspath, "rb") as handle:
            return ReadResult(handle.read(max_bytes + 1))
    except FileNotFoundError:
        return ReadResult(None, Diagnostic(relpath, 0, "vanished", "file disappeared during the scan"))
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return ReadResult(None, Diagnostic(relpath, 0, "unreadable", f"cannot read: {reason}"))


def declared_encoding(data: bytes) -> str | None:
    """The PEP 263 coding cookie of the first two lines, normalised; None when there is none."""
    lines = data.split(b"\n", 2)
    for index, line in enumerate(lines[:2]):
        match = _COOKIE.match(line)
        if match:
            return match.group(1).decode("ascii", "replace")
        if index == 0 and not _BLANK_OR_COMMENT.match(line):
            return None  # the cookie may sit on line 2 only when line 1 is blank or a comment
    return None


def decode_source(data: bytes, relpath: str) -> tuple[str | None, Diagnostic | None]:
    """Bytes to text as the interpreter would: BOM, coding cookie, else UTF-8.

    NUL bytes mean a binary file (the interpreter refuses them too).
    """
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return None, Diagnostic(relpath, line, "binary", "contains NUL bytes; not Python source")
    has_bom = data.startswith(codecs.BOM_UTF8)
    if has_bom:
        data = data[len(codecs.BOM_UTF8) :]
    encoding = declared_encoding(data) or "utf-8"
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        return None, Diagnostic(relpath, 1, "encoding", f"unknown encoding {encoding!r} in coding cookie")
    if has_bom and codec != "utf-8":
        return None, Diagnostic(
            relpath, 1, "encoding", f"UTF-8 byte-order mark conflicts with coding cookie {encoding!r}"
        )
    try:
        return data.decode(codec), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, Diagnostic(
            relpath, line, "encoding", f"not valid {codec}: byte {data[exc.start]:#04x} at offset {exc.start}"
        )
