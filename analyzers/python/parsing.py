"""One source file to its `FileFacts`: symbols, raw imports and raw name uses, never raising.

Parsing is the cost of the whole analysis (see research/performance.md), so each parsed file is
walked once (analyzers.python.walk): the statement facts, the uses of import-bound names and, when
the framework extractor is given, the framework facts are all read in that walk. Names are resolved
to modules later, in `imports` and `references`, once every file is known.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from analyzers.files.reading import decode_source
from analyzers.model import Diagnostic, Symbol, picklable
from analyzers.python.raw import MODULE_CALLER, RawImport, RawUse
from analyzers.python.walk import FileWalk

__all__ = ["MODULE_CALLER", "FileFacts", "FrameworkScan", "RawImport", "RawUse", "count_loc", "parse_file"]


class FrameworkScan(Protocol):
    """The framework extractor (analyzers.frameworks.scanning.scan_file): it hooks into `walk`, runs
    it over `tree` and returns the file's framework facts; a failure of its own is one of them."""

    def __call__(self, tree: ast.Module, module: str, path: str, walk: FileWalk | None = None) -> Any: ...


@picklable
@dataclass(frozen=True, slots=True)
class FileFacts:
    """Everything one file tells on its own; picklable and cached per file content."""

    loc: int = 0
    docstring: str = ""
    symbols: tuple[Symbol, ...] = ()
    terms: tuple[tuple[str, int], ...] = ()
    imports: tuple[RawImport, ...] = ()
    uses: tuple[RawUse, ...] = ()
    defined: frozenset[str] = frozenset()  # every name bound at top level by def/class/assignment
    exports: tuple[str, ...] | None = None  # a literal `__all__`, if any
    frameworks: Any = None  # analyzers.frameworks.file_facts.FrameworkFacts, when that extractor is present
    diagnostics: tuple[Diagnostic, ...] = ()
    parsed: bool = True


def parse_file(data: bytes, module: str, path: str, scan: FrameworkScan | None = None) -> FileFacts:
    """Decode, parse and extract one file. `scan` is the framework extractor, run in the same walk."""
    text, problem = decode_source(data, path)
    if text is None:
        return FileFacts(diagnostics=(problem,) if problem else (), parsed=False)
    lines = _split_lines(text)
    loc = count_loc(lines)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text, filename=path)
    except SyntaxError as exc:
        hint = _syntax_hint(exc)
        return FileFacts(
            loc=loc,
            diagnostics=(Diagnostic(path, exc.lineno or 0, "syntax-error", f"{exc.msg}{hint}"),),
            parsed=False,
        )
    except (ValueError, RecursionError, MemoryError) as exc:
        message = f"cannot parse: {type(exc).__name__}"
        return FileFacts(loc=loc, diagnostics=(Diagnostic(path, 0, "syntax-error", message),), parsed=False)
    walk = FileWalk(lines)
    if scan is None:
        frameworks = None
        walk.run(tree)
    else:
        frameworks = scan(tree, module, path, walk)  # (a failure of the scanner is one of its facts)
    facts = walk.extracted()
    return FileFacts(
        loc=loc,
        docstring=facts.docstring,
        symbols=facts.symbols,
        terms=facts.terms,
        imports=facts.imports,
        uses=facts.uses,
        defined=facts.defined,
        exports=facts.exports,
        frameworks=frameworks,
    )


def count_loc(lines: Iterable[str]) -> int:
    """Non-blank lines that are not only a comment."""
    count = 0
    for line in lines:
        stripped = line.lstrip()  # (the right end never decides)
        if stripped and stripped[0] != "#":
            count += 1
    return count


_CLASS = r"(?:\w+\.)*[A-Z]\w*"
_EXCEPT_LIST = re.compile(rf"^except\*?\s+{_CLASS}(?:\s*,\s*{_CLASS})+\s*:")
_NEWER_SYNTAX = (
    # (pattern of the offending line, what it is, the Python that reads it)
    (re.compile(r"^(async\s+)?def\s+\w+\s*\["), "a generic function", (3, 12)),
    (re.compile(r"^class\s+\w+\s*\["), "a generic class", (3, 12)),
    (re.compile(r"^type\s+\w+(\[.*\])?\s*="), "a type alias statement", (3, 12)),
    # exception classes (last name capitalised), not Python 2's `except socket.error, e:`
    (_EXCEPT_LIST, "`except A, B:`", (3, 14)),
)


def _syntax_hint(exc: SyntaxError) -> str:
    """What the code may be: Python 2, or Python newer than the one running the analysis."""
    text = (exc.text or "").strip()
    running = f"strangler runs on Python {sys.version_info.major}.{sys.version_info.minor}"
    for pattern, what, version in _NEWER_SYNTAX:
        if sys.version_info < version and pattern.match(text):
            newer = f"Python {version[0]}.{version[1]}"
            return f" ({newer} syntax: {what}; {running}: run it on the project's Python)"
    if sys.version_info < (3, 12) and (exc.msg or "").startswith("f-string"):
        # PEP 701 (3.12) lets an f-string's braces hold its own quotes, backslashes and comments.
        return (
            f" (Python 3.12 syntax? quotes or backslashes inside an f-string's braces need 3.12; "
            f"{running}: run it on the project's Python)"
        )
    return " (Python 2 code?)" if _looks_like_python2(exc) else ""


def _looks_like_python2(exc: SyntaxError) -> bool:
    text = (exc.text or "").strip()
    return (
        "Missing parentheses" in (exc.msg or "")
        or text.startswith(("print ", "exec "))
        or (text.startswith("except ") and "," in text)
    )


_NEWLINES = re.compile(r"\r\n|\r|\n")


def _split_lines(text: str) -> list[str]:
    # Lines exactly as the parser numbers them (\f and other separators do not end a line).
    if "\r" not in text:
        return text.split("\n")
    return _NEWLINES.split(text)
