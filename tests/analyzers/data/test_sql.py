"""Table names from raw SQL text."""

from __future__ import annotations

import pytest

from analyzers.data.sql import looks_like_sql, sql_tables


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT * FROM orders", {("orders", "read")}),
        (
            "select a from Orders o join order_lines l on l.o = o.id",
            {("Orders", "read"), ("order_lines", "read")},
        ),
        ('SELECT x FROM "public"."users"', {("users", "read")}),
        ("SELECT x FROM `shop`.`carts`", {("carts", "read")}),
        ("SELECT x FROM [dbo].[items]", {("items", "read")}),
        ("SELECT * FROM a, b AS bb, c WHERE a.x = b.y", {("a", "read"), ("b", "read"), ("c", "read")}),
        ("INSERT INTO facts (a) SELECT b FROM orders", {("facts", "write"), ("orders", "read")}),
        ("INSERT OR REPLACE INTO cache VALUES (1)", {("cache", "write")}),
        ("UPDATE stock SET qty = qty - 1 WHERE id = 3", {("stock", "write")}),
        ("DELETE FROM carts WHERE id = 1", {("carts", "write")}),
        ("SELECT * FROM (SELECT id FROM inner_t) AS sub", {("inner_t", "read")}),
        ("WITH recent AS (SELECT * FROM orders) SELECT * FROM recent", {("orders", "read")}),
        ("  (SELECT 1)", set()),
        ("Select the row from the table", set()),
        ("Update the cart from the session", set()),
        ("Please delete from your list", set()),
        ("orders FROM users", set()),
        # the database's own catalog is no table of the application
        ("SELECT column_name FROM INFORMATION_SCHEMA.COLUMNS WHERE table_name = 'x'", set()),
        ("SELECT name FROM sqlite_master WHERE type = 'table'", set()),
        ("SELECT c.relname FROM pg_catalog.pg_class c JOIN orders o ON 1=1", {("orders", "read")}),
        # an f-string's replacement field (NUL in the text the scanner reads) names no table
        ('UPDATE "\x00" AS t SET \x00 FROM (VALUES \x00) AS v(\x00) WHERE t.id = v.c0', set()),
        ("SELECT * FROM \x00_log JOIN users ON 1=1", {("users", "read")}),
    ],
)
def test_tables_and_modes(text: str, expected: set[tuple[str, str]]) -> None:
    assert {(table, mode) for table, mode, _ in sql_tables(text)} == expected


def test_line_offsets_in_multiline_statements() -> None:
    text = "\n  SELECT id\n  FROM orders\n  JOIN users ON users.id = orders.user_id\n"
    assert sql_tables(text) == (("orders", "read", 2), ("users", "read", 3))


def test_only_statements_are_read() -> None:
    assert looks_like_sql("  select 1")
    assert looks_like_sql("WITH x AS (SELECT 1) SELECT * FROM x")
    assert not looks_like_sql("the user selected from the list")
