"""The wire runtime copied into generated code: values and exceptions survive a round trip."""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import json
from typing import Any

import pytest
from sqlalchemy import Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from strangler.skeleton.wire_runtime import (
    Record,
    RemoteCallError,
    Wire,
    authorized,
    serve_operation,
)


class _Base(DeclarativeBase):
    pass


class Row(_Base):
    __tablename__ = "rows"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(10))

    @property
    def label(self) -> str:
        return f"#{self.id} {self.name}"


@dataclasses.dataclass(frozen=True)
class Point:
    x: int
    y: decimal.Decimal


class Refused(Exception):
    def __init__(self, message: str, *, code: str = "refused") -> None:
        super().__init__(message)
        self.code = code


def _through_json(wire: Wire, value: Any) -> Any:
    return wire.decode(json.loads(json.dumps(wire.encode(value))))


def test_plain_and_tagged_values_round_trip() -> None:
    wire = Wire()
    value = {
        "when": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
        "day": dt.date(2026, 1, 2),
        "amount": decimal.Decimal("12.50"),
        "pair": (1, "a"),
        "items": [1, None, True, 2.5],
        "by_id": {1: "one"},
    }
    assert _through_json(wire, value) == value


def test_generators_arrive_as_lists() -> None:
    assert _through_json(Wire(), (n * n for n in range(3))) == [0, 1, 4]


def test_orm_rows_cross_as_records_of_columns_and_properties() -> None:
    record = _through_json(Wire(), Row(id=3, name="kettle"))
    assert isinstance(record, Record)
    read: Any = record  # (a Record answers the reads of its fields: no type knows them)
    assert (read.id, read.name, read.label) == (3, "kettle", "#3 kettle")


def test_dataclasses_are_rebuilt_when_their_class_resolves() -> None:
    point = Point(1, decimal.Decimal("2.5"))
    assert _through_json(Wire(), point) == point
    # on a side without the class the value still reads like one
    elsewhere = Wire().decode({"__wire__": "dataclass", "type": "gone.Point", "fields": {"x": 1}})
    read: Any = elsewhere
    assert isinstance(elsewhere, Record) and read.x == 1


def test_exceptions_are_raised_again_as_the_local_class_with_their_state() -> None:
    here = Wire({__name__: __name__})
    data = json.loads(json.dumps(here.encode_exception(Refused("no", code="nope"))))
    exc = here.decode_exception(data)
    assert type(exc) is Refused and exc.args == ("no",) and exc.code == "nope"


def test_module_names_translate_between_original_and_local() -> None:
    # this test module plays the moved copy of "shop.errors"
    service_side = Wire({"shop.errors": __name__})
    data = service_side.encode_exception(Refused("x"))
    assert data["type"] == "shop.errors.Refused"
    assert type(service_side.decode_exception(data)) is Refused
    unknown = Wire().decode_exception(data)
    assert isinstance(unknown, RemoteCallError) and "shop.errors.Refused" in str(unknown)


def test_callables_cannot_cross() -> None:
    with pytest.raises(RemoteCallError, match="callable"):
        Wire().encode(lambda: 1)


def test_serve_operation_answers_result_or_exception() -> None:
    wire = Wire()
    assert serve_operation(lambda a, b=0: a + b, {"args": [1], "kwargs": {"b": 2}}, wire) == (
        {"result": 3},
        200,
    )

    def refuse() -> None:
        raise Refused("stop")

    payload, status = serve_operation(refuse, {"args": [], "kwargs": {}}, wire)
    assert status == 500 and payload["exception"]["type"].endswith("Refused")
    assert serve_operation(refuse, ["not", "an", "object"], wire)[1] == 400


def test_internal_api_token_is_required_only_when_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("STRANGLER_INTERNAL_TOKEN", raising=False)
    assert authorized({})
    monkeypatch.setenv("STRANGLER_INTERNAL_TOKEN", "s3cret")
    assert not authorized({})
    assert not authorized({"X-Strangler-Internal-Token": "guess"})
    assert authorized({"X-Strangler-Internal-Token": "s3cret"})
