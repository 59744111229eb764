"""SQLAlchemy declarative bases that generate table names (`@declared_attr def __tablename__`):
`declarative_base(cls=...)` (Netflix dispatch's layout), `@as_declarative()`, and a SQLAlchemy 2
`DeclarativeBase` subclass, and SQLModel's `table=True`. The bases are no tables; their models are,
with the generated name."""

from __future__ import annotations

import pytest

from analyzers.frameworks.joining import FrameworkResult
from analyzers.model import Table, TableAccess
from tests.analyzers.python.test_scope import framework_result
from tests.conftest import FIXTURES

ROOT = FIXTURES / "fw_sa_declarative"


@pytest.fixture(scope="module")
def result() -> FrameworkResult:
    return framework_result(ROOT)[0]


def test_models_of_generating_bases_get_the_generated_names(result: FrameworkResult) -> None:
    assert set(result.tables) == {
        # declarative_base(cls=CustomBase): CustomBase's __tablename__ calls a helper: snake_case
        Table("incident_cost", "app.incidents.models", "IncidentCost", 10),
        # an explicit __tablename__ wins over the generated one
        Table("incidents", "app.incidents.models", "Incident", 14),
        # @as_declarative() with `return cls.__name__.lower()`
        Table("orderline", "app.legacy.models", "OrderLine", 6),
        # DeclarativeBase subclass with @declared_attr.directive
        Table("user_account", "app.modern.models", "UserAccount", 11),
        # SQLModel: table=True models (the base model without it is none), default name lower case
        Table("hero", "app.modern.models", "Hero", 19),
        Table("teams", "app.modern.models", "Team", 23),
    }


def test_queries_and_writes_of_those_models_are_accesses(result: FrameworkResult) -> None:
    assert set(result.accesses) == {
        TableAccess("app.incidents.service", "incident_cost", "read", 5, "orm"),
        TableAccess("app.incidents.service", "incident_cost", "write", 9, "orm"),
        TableAccess("app.incidents.service", "incident_cost", "write", 10, "orm"),
    }
