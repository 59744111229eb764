"""Table names in raw SQL text: which tables a string literal reads or writes.

A regular-expression reader, not a SQL parser: it finds `FROM`/`JOIN` (read), `INSERT INTO`,
`UPDATE ... SET`, `DELETE FROM`, `REPLACE INTO` (write) followed by a table name, quoted or
schema-qualified. Only text that starts like a statement is read, so English prose in messages
("update the cart from the session") is not mistaken for SQL; the scanner hands over only what a
call that runs SQL is given (analyzers.data.accesses.SQL_CALLS). A table name must be a SQL identifier
(`customer`, `"order lines"`), no keyword or boolean (`true`, `values`), and no part of a
placeholder (`{0}`, `"%s"`, `orders_{}`, an f-string's `{name}`): those name no table the text knows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analyzers.model import AccessMode

#: Stands, in the text the patterns scan, for a part of a statement the code computes at run time:
#: no SQL character, so a name next to it is taken for part of a placeholder, not a table.
_COMPUTED_PART = "\x00"


@dataclass(frozen=True, slots=True)
class SqlText:
    """The text of a string expression: its literal parts in order, None for a part the code
    computes at run time (an f-string's replacement field, a name added to a literal)."""

    parts: tuple[str | None, ...]

    def scanned(self) -> str:
        """The text as the patterns read it (a computed part written as no SQL character)."""
        return "".join(_COMPUTED_PART if part is None else part for part in self.parts)


_IDENT = r'(?:"[^"\n]+"|`[^`\n]+`|\[[^\]\n]+\]|[A-Za-z_][\w$]*)'
_NAME = rf"{_IDENT}(?:\s*\.\s*{_IDENT})*"
_STATEMENT = re.compile(r"^[\s(]*(?:WITH|SELECT|INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
QUICK_CHECK = re.compile(r"(?i)\b(?:SELECT|INSERT|UPDATE|DELETE|REPLACE)\b")
_PATTERNS: tuple[tuple[re.Pattern[str], AccessMode], ...] = (
    (re.compile(rf"\bDELETE\s+FROM\s+({_NAME})", re.IGNORECASE), "write"),
    (
        re.compile(rf"\b(?:INSERT|REPLACE)\s+(?:OR\s+\w+\s+)?INTO\s+({_NAME})", re.IGNORECASE),
        "write",
    ),
    (
        re.compile(
            rf"\bUPDATE\s+(?:OR\s+\w+\s+)?(?:ONLY\s+)?({_NAME})\s+(?:(?:AS\s+)?\w+\s+)?SET\b",
            re.IGNORECASE,
        ),
        "write",
    ),
    (re.compile(rf"(?<!DELETE )\bFROM\s+(?:ONLY\s+)?({_NAME})", re.IGNORECASE), "read"),
    (re.compile(rf"\bJOIN\s+(?:LATERAL\s+)?({_NAME})", re.IGNORECASE), "read"),
)
_CLAUSES = (
    "WHERE|JOIN|ON|GROUP|ORDER|LIMIT|INNER|LEFT|RIGHT|FULL|CROSS|NATURAL|UNION|HAVING|WINDOW|"
    "OFFSET|FETCH|FOR|RETURNING|SET|VALUES"
)
# FROM a, b AS c, d: further tables after the first one of a FROM list.
_MORE = re.compile(rf"\s*(?:(?:AS\s+)?(?!(?:{_CLAUSES})\b)[A-Za-z_]\w*)?\s*,\s*({_NAME})", re.IGNORECASE)
_CTE = re.compile(rf"(?:\bWITH(?:\s+RECURSIVE)?|,)\s*({_IDENT})\s*(?:\([^)]*\))?\s+AS\s*\(", re.IGNORECASE)
_IDENT_RE = re.compile(_IDENT)
_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)
# SQL words that can follow FROM/JOIN/INTO/UPDATE, booleans and nulls, and English words that do
# in prose that starts with "Select".
_KEYWORDS = frozenset(
    [
        "true",
        "false",
        "null",
        "unknown",
        "default",
        "from",
        "into",
        "as",
        "and",
        "or",
        "not",
        "in",
        "exists",
        "case",
        "when",
        "then",
        "else",
        "end",
        "with",
        "union",
        "all",
        "distinct",
        "order",
        "group",
        "by",
        "having",
        "limit",
        "offset",
        "returning",
        "using",
        "full",
        "cross",
        "natural",
        "update",
        "delete",
        "insert",
        "select",
        "lateral",
        "unnest",
        "values",
        "table",
        "only",
        "dual",
        "where",
        "set",
        "join",
        "on",
        "inner",
        "outer",
        "left",
        "right",
        "generate_series",
        "json_each",
        "json_table",
        "the",
        "an",
        "this",
        "that",
        "these",
        "those",
        "your",
        "our",
        "my",
        "its",
        "their",
        "which",
        "what",
    ]
)


#: Schemas and tables of the database's own catalog (information about tables, not application data).
_CATALOG_SCHEMAS = frozenset({"information_schema", "pg_catalog", "sys", "mysql", "performance_schema"})
_CATALOG_TABLES = frozenset({"sqlite_master", "sqlite_schema", "sqlite_sequence", "sqlite_temp_master"})


_UNQUOTED = re.compile(r"[A-Za-z_][\w$]*", re.ASCII)
_QUOTED = re.compile(r"[A-Za-z_][\w$]*(?:[ -][\w$]+)*", re.ASCII)
#: Characters that continue a placeholder or a replacement field right after a name: `orders_{}`,
#: `t_%s`, an f-string's `log_{day}` (a computed part of the text).
_PLACEHOLDER_NEXT = frozenset("{%" + _COMPUTED_PART)


def is_table_name(name: str, quoted: bool = False) -> bool:
    """Whether `name` can be a table's name: a SQL identifier (letters, digits, `_`, `$`; in quotes
    words joined by blanks or hyphens too), no keyword or boolean unless quoted (`"order"`)."""
    if quoted:
        return bool(_QUOTED.fullmatch(name))
    return bool(_UNQUOTED.fullmatch(name)) and name.lower() not in _KEYWORDS


def looks_like_sql(text: str) -> bool:
    """Whether `text` starts like a SQL statement (after blanks and opening parentheses)."""
    return bool(_STATEMENT.match(text))


def sql_tables(text: str) -> tuple[tuple[str, AccessMode, int], ...]:
    """(table, mode, line offset in `text`) of every table the statement reads or writes."""
    if not looks_like_sql(text):
        return ()
    ctes = {_unquote(m.group(1)).lower() for m in _CTE.finditer(text)}
    found: set[tuple[str, AccessMode, int]] = set()
    deleted: set[int] = set()
    for pattern, mode in _PATTERNS:
        for match in pattern.finditer(text):
            if mode == "read" and (match.start(1) in deleted or not _SELECT.search(text, 0, match.start())):
                continue
            if mode == "write" and pattern is _PATTERNS[0][0]:
                deleted.add(match.start(1))
            _add(found, text, match, mode, ctes)
            if mode == "read" and match.group(0)[:4].upper() == "FROM":
                position = match.end(1)
                while (more := _MORE.match(text, position)) is not None:
                    _add(found, text, more, mode, ctes)
                    position = more.end(1)
    return tuple(sorted(found))


def _add(
    found: set[tuple[str, AccessMode, int]],
    text: str,
    match: re.Match[str],
    mode: AccessMode,
    ctes: set[str],
) -> None:
    """The table group 1 of `match` names, unless it is no table's name (see is_table_name), part
    of a placeholder, a common table expression or the database's own catalog."""
    written = _IDENT_RE.findall(match.group(1))
    parts = [_unquote(p) for p in written]
    table = parts[-1]  # schema.table → table
    if not is_table_name(table, written[-1] != table) or table.lower() in ctes:
        return  # (a computed part, as an f-string's replacement field: `UPDATE "{meta.db_table}"`)
    if text[match.end(1) : match.end(1) + 1] in _PLACEHOLDER_NEXT:
        return
    if (len(parts) > 1 and parts[-2].lower() in _CATALOG_SCHEMAS) or table.lower() in _CATALOG_TABLES:
        return  # the database's own catalog, no table of the application
    found.add((table, mode, text.count("\n", 0, match.start(1))))


def _unquote(name: str) -> str:
    name = name.strip()
    if len(name) >= 2 and name[0] + name[-1] in ('""', "``", "[]"):
        return name[1:-1]
    return name
