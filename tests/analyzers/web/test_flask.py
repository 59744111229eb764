"""Flask routes (blueprints, prefixes, add_url_rule) and SQLAlchemy tables/accesses."""

from __future__ import annotations

import pytest

from analyzers.frameworks.joining import FrameworkResult
from analyzers.model import Table, TableAccess
from tests.analyzers.python.test_scope import framework_result
from tests.conftest import FIXTURES

ROOT = FIXTURES / "fw_flask_app"


@pytest.fixture(scope="module")
def result() -> FrameworkResult:
    return framework_result(ROOT)[0]


def _routes(result: FrameworkResult) -> set[tuple[tuple[str, ...], str, str, str]]:
    return {(r.methods, r.path, r.handler, r.name) for r in result.routes}


def test_blueprint_routes_get_prefixes_from_creation_and_registration(result: FrameworkResult) -> None:
    assert _routes(result) == {
        (("GET",), "/about", "bookshop.pages.about", "about"),
        (("GET",), "/admin/stats", "bookshop.admin.stats", "admin.stats"),
        (("GET", "POST"), "/books/", "bookshop.books.views.index", "books.index"),
        (("DELETE",), "/books/<int:book_id>", "bookshop.books.views.delete", "books.remove"),
        (("GET",), "/books/<int:book_id>", "bookshop.books.views.show", "books.show"),
        (
            ("POST",),
            "/books/<int:book_id>/reviews",
            "bookshop.books.views.add_review",
            "books.reviews.add_review",
        ),
        (("GET",), "/health", "bookshop.create_app.health", "health"),
        (("GET", "POST"), "/items", "bookshop.pages.ItemView", "items"),
    }
    assert {r.framework for r in result.routes} == {"flask"}
    about = next(r for r in result.routes if r.path == "/about")
    assert (about.module, about.line) == ("bookshop.pages", 14)


def test_declarative_models_and_table_objects_are_tables(result: FrameworkResult) -> None:
    declared = {t for t in result.tables if t.module}
    assert declared == {
        Table("audit_log", "bookshop.db", "", 13),
        Table("authors", "bookshop.books.models", "Author", 11),
        Table("books", "bookshop.books.models", "Book", 16),
    }
    # Named only in SQL: listed without a module. The abstract base and the STI child are not tables.
    assert {t.name for t in result.tables if not t.module} == {"daily_sales", "loans"}


def test_orm_accesses_through_imports_locals_and_table_objects(result: FrameworkResult) -> None:
    orm = {(a.table, a.mode, a.line) for a in result.accesses if a.via == "orm"}
    assert orm == {
        ("books", "read", 9),  # session.get(Book, ...)
        ("books", "read", 13),  # select(Book)
        ("books", "write", 17),  # session.add(EBook(...)): single-table inheritance
        ("authors", "read", 21),  # session.get(models.Author, ...)
        ("authors", "write", 22),  # session.delete(author) where author came from Author
        ("books", "write", 26),  # update(Book)
        ("audit_log", "write", 30),  # audit_log.insert()
        ("authors", "read", 45),  # session.query(Author)
    }
    assert {a.module for a in result.accesses} == {"bookshop.books.service", "bookshop.admin"}


def test_raw_sql_in_text_fstrings_and_multiline_strings(result: FrameworkResult) -> None:
    sql = {(a.module, a.table, a.mode, a.line) for a in result.accesses if a.via == "sql"}
    assert sql == {
        ("bookshop.books.service", "audit_log", "write", 31),
        ("bookshop.books.service", "authors", "read", 37),
        ("bookshop.books.service", "books", "read", 37),
        ("bookshop.books.service", "loans", "read", 37),
        ("bookshop.admin", "daily_sales", "read", 9),
    }


def test_driver_gives_the_same_facts(result: FrameworkResult) -> None:
    analyzers = pytest.importorskip("analyzers")
    if not hasattr(analyzers, "analyze"):
        pytest.skip("analyzers.analyze is not there yet")
    from analyzers.options import AnalysisOptions

    codebase = analyzers.analyze(ROOT, AnalysisOptions(cache=False, history=False))
    assert codebase.routes == result.routes
    assert codebase.tables == result.tables
    assert codebase.accesses == result.accesses
    assert all(isinstance(a, TableAccess) for a in codebase.accesses)
