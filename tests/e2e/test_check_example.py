"""`strangler check` end to end on a copy of the example monolith (issue #19, done-when items)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from strangler.cli import main
from tests.conftest import EXAMPLE_APP, FIXTURES

BOUNDARIES = FIXTURES / "check_example" / "strangler-boundaries.json"
#: A call from reviews into orders' internals (orders exposes only service.has_purchased).
NEW_CALL = (
    "\n"
    "from shop.orders.states import can_transition  # noqa: E402\n"  # line 78
    "\n"
    "\n"
    "def review_allowed_after(status: str) -> bool:\n"
    '    return can_transition(status, "delivered")\n'  # line 82
)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A copy of the example with its decomposition committed at the root."""
    root = tmp_path / "shop_app"
    shutil.copytree(EXAMPLE_APP, root, ignore=shutil.ignore_patterns("tests", "__pycache__"))
    shutil.copy(BOUNDARIES, root / "strangler-boundaries.json")
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", *argv, "-q"])
    out, err = capsys.readouterr()
    return code, out, err


def add_call(root: Path) -> None:
    service = root / "shop" / "reviews" / "service.py"
    assert len(service.read_text().splitlines()) == 76, "the example changed: update NEW_CALL's lines"
    with service.open("a") as stream:
        stream.write(NEW_CALL)


def new_findings(capsys: pytest.CaptureFixture[str], root: Path) -> list[dict[str, object]]:
    code, out, _ = run(capsys, str(root), "--format", "json")
    document = json.loads(out)
    assert code == (1 if document["summary"]["new"] else 0)
    return [f for f in document["findings"] if not f["in_baseline"]]


def test_call_into_orders_internals_fails_with_file_and_line(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_call(shop)
    code, out, _ = run(capsys, str(shop))
    assert code == 1
    assert (
        "shop/reviews/service.py:82: call shop.orders.states.can_transition (in review_allowed_after)" in out
    )
    assert "shop/reviews/service.py:78: import shop.orders.states.can_transition" in out
    assert "reviews -> orders (2)" in out


def test_exposed_symbol_of_a_dependency_is_allowed(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, str(shop))
    assert "has_purchased" not in out  # reviews depends_on orders, which exposes it
    assert "reviews -> catalog" in out  # reviews does not depend on catalog


def test_with_a_baseline_only_the_new_call_fails(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, str(shop), "--write-baseline")
    assert code == 0
    baseline = json.loads((shop / "strangler-baseline.json").read_text())
    assert baseline["schema"] == "strangler.check-baseline/1"
    assert new_findings(capsys, shop) == []
    add_call(shop)
    found = new_findings(capsys, shop)
    assert [(f["path"], f["line"], f["kind"], f["symbol"]) for f in found] == [
        ("shop/reviews/service.py", 78, "import", "can_transition"),
        ("shop/reviews/service.py", 82, "call", "can_transition"),
    ]
    assert {(f["source_service"], f["target_service"]) for f in found} == {("reviews", "orders")}


def test_baseline_survives_lines_moving(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, str(shop), "--write-baseline")
    service = shop / "shop" / "reviews" / "service.py"
    service.write_text('"""Moved."""\n\n\n' + service.read_text())
    assert new_findings(capsys, shop) == []


def test_gone_entries_are_reported_and_update_only_removes(
    shop: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, str(shop), "--write-baseline")
    before = json.loads((shop / "strangler-baseline.json").read_text())["findings"]
    (shop / "shop" / "reviews" / "service.py").unlink()
    (shop / "shop" / "reviews" / "views.py").unlink()
    add_call_elsewhere = shop / "shop" / "cart" / "service.py"
    add_call_elsewhere.write_text(
        add_call_elsewhere.read_text() + "\nfrom shop.orders import states  # noqa\n"
    )
    code, out, _ = run(capsys, str(shop), "--format", "json")
    document = json.loads(out)
    assert code == 1 and document["summary"]["new"] == 1
    assert document["gone"] and all(g["source"].startswith("shop.reviews.") for g in document["gone"])
    code, _, _ = run(capsys, str(shop), "--update-baseline")
    assert code == 1  # the new import still fails
    after = json.loads((shop / "strangler-baseline.json").read_text())["findings"]
    assert after == [e for e in before if not e["source"].startswith("shop.reviews.")]
    assert not any(e["source"] == "shop.cart.service" and e["target"] == "shop.orders.states" for e in after)


def test_clean_tree_exits_0(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, str(shop), "--write-baseline")
    code, out, _ = run(capsys, str(shop))
    assert code == 0
    assert out.startswith("0 new cross-boundary dependencies, ")
    assert out.endswith(" in the baseline, 0 baseline entries gone\n")


def test_usage_errors_exit_2(shop: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (shop / "strangler-boundaries.json").unlink()
    code, _, err = run(capsys, str(shop))
    assert code == 2 and "no decomposition to check against" in err
    code, _, _ = run(
        capsys, str(shop), "--write-baseline", "--update-baseline", "--boundaries", str(BOUNDARIES)
    )
    assert code == 2
    code, _, err = run(capsys, str(shop), "--update-baseline", "--boundaries", str(BOUNDARIES))
    assert code == 2 and "no baseline to update" in err
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "strangler.check-baseline/9", "findings": []}')
    code, _, err = run(capsys, str(shop), "--boundaries", str(BOUNDARIES), "--baseline", str(bad))
    assert code == 2 and "not a strangler.check-baseline/1 document" in err


def test_config_pins_are_the_fallback(shop: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (shop / "strangler-boundaries.json").unlink()
    pyproject = shop / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text()
        + 'shared = ["shop", "shop.app", "shop.__main__", "shop.core.*", "shop.helpers", "shop.seed"]\n'
        + '[tool.strangler.services.reviews]\nmodules = ["shop.reviews.*"]\ndepends_on = ["orders"]\n'
        + '[tool.strangler.services.orders]\nmodules = ["shop.orders.*"]\n'
        + 'exposes = ["shop.orders.service.has_purchased"]\n'
    )
    code, out, _ = run(capsys, str(shop))
    assert code == 1
    assert "shop/cart/service.py:1: unassigned shop.cart.service" in out  # pinned nowhere
    assert "reviews -> orders" not in out  # depends_on and exposes from the config
    assert "shop.catalog" not in out.split("<unassigned>")[0]  # unplaced targets are not checked
    add_call(shop)
    code, out, _ = run(capsys, str(shop))
    assert "shop/reviews/service.py:82: call shop.orders.states.can_transition" in out


def test_annotations_name_files_from_the_working_directory(
    shop: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    add_call(shop)
    monkeypatch.chdir(shop.parent)
    code, out, err = run(capsys, "shop_app", "--format", "github")
    assert code == 1 and "2 new cross-boundary dependencies" not in out and "error:" in err
    new = [line for line in out.splitlines() if "shop.orders.states" in line and "reviews -> orders" in line]
    assert new[0].startswith(
        "::error file=shop_app/shop/reviews/service.py,line=78,title=strangler check%3A import::"
    )
    assert new[1].startswith(
        "::error file=shop_app/shop/reviews/service.py,line=82,title=strangler check%3A call::"
    )
