"""The data part of scanning: accesses a call expresses, SQL text with its computed parts."""

from __future__ import annotations

import ast

from analyzers.data.accesses import IMPORT_KEY, call_accesses, sql_text
from analyzers.data.models import AccessDecl
from analyzers.data.sql import SqlText, sql_tables


def expression(text: str) -> ast.expr:
    return ast.parse(text, mode="eval").body


def test_sql_text_marks_what_the_code_computes() -> None:
    assert sql_text(expression('"SELECT * FROM orders"')) == SqlText(("SELECT * FROM orders",))
    assert sql_text(expression('f"UPDATE {table} SET x = 1"')) == SqlText(("UPDATE ", None, " SET x = 1"))
    assert sql_text(expression('"SELECT * FROM " + name')) == SqlText(("SELECT * FROM ", None))
    assert sql_text(expression('"DELETE FROM t_%s" % day')) == SqlText(("DELETE FROM t_%s",))
    assert sql_text(expression("name")) is None


def test_a_name_next_to_a_computed_part_is_no_table() -> None:
    text = sql_text(expression('f"SELECT * FROM log_{day} JOIN users ON 1"'))
    assert text is not None
    assert sql_tables(text.scanned()) == (("users", "read", 0),)


def test_accesses_read_through_local_names() -> None:
    call = expression("self.model.objects.filter(x=1)")
    assert isinstance(call, ast.Call)
    assert call_accesses(call, "filter", {"self.model": "Order"}) == [AccessDecl("Order", "read", 1)]
    save = expression("order.save()")
    assert isinstance(save, ast.Call)
    assert call_accesses(save, "save", {"order": "Order"}) == [AccessDecl("Order", "write", 1)]
    local = expression("Order(total=1)")
    assert isinstance(local, ast.Call)
    found = call_accesses(local, "Order", {IMPORT_KEY + "Order": "shop.models.Order"})
    assert found == [AccessDecl("shop.models.Order", "write", 1, True, True)]
