"""Flask-SQLAlchemy models without `__tablename__`: the table name Flask-SQLAlchemy 3 generates."""

from __future__ import annotations

import pytest

from analyzers.data.models import snake_case
from analyzers.frameworks.joining import FrameworkResult
from analyzers.model import Table
from tests.analyzers.python.test_scope import framework_result
from tests.conftest import FIXTURES

ROOT = FIXTURES / "fw_fsa_app"


@pytest.fixture(scope="module")
def result() -> FrameworkResult:
    return framework_result(ROOT)[0]


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("Order", "order"),
        ("OrderLine", "order_line"),
        ("HTTPLog", "http_log"),
        ("APIKeyV2", "api_key_v2"),
        ("User2Group", "user2_group"),
        ("lowercase", "lowercase"),
    ],
)
def test_snake_case_matches_flask_sqlalchemy_3(name: str, table: str) -> None:
    assert snake_case(name) == table


def test_generated_names_only_for_models_reaching_a_flask_sqlalchemy_base(result: FrameworkResult) -> None:
    assert set(result.tables) == {
        Table("order_line", "shopfsa.models", "OrderLine", 8),  # through an abstract base
        Table("http_log", "shopfsa.models", "HTTPLog", 12),  # db imported from extensions
        Table("customers", "shopfsa.models", "Customer", 16),  # __tablename__ wins
        Table("invoice", "shopfsa.models", "Invoice", 25),  # own primary key: joined inheritance
        Table("audit_entry", "shopfsa.audit", "AuditEntry", 6),  # flask_sqlalchemy.SQLAlchemy() here
    }
    # VipCustomer (no primary key: single-table inheritance), Thing (db of unknown origin),
    # the abstract Base and the plain class have no table of their own.


def test_accesses_through_generated_names_and_function_local_imports(result: FrameworkResult) -> None:
    accesses = {(a.module, a.table, a.mode, a.line, a.via) for a in result.accesses}
    assert accesses == {
        ("shopfsa.service", "order_line", "read", 6, "orm"),
        ("shopfsa.service", "order_line", "write", 10, "orm"),
        ("shopfsa.service", "http_log", "read", 16, "orm"),  # imported inside the function
        # line 20: HTTPLog is not bound in that function, so nothing
    }
