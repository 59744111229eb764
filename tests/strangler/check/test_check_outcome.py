"""`strangler.check.check_outcome`: one check of a small tree where reviews uses orders' internals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from strangler.check.check_outcome import CheckFormat, CheckRequest, check_outcome, path_prefix
from strangler.check.findings import CheckFailed
from strangler.request import AnalysisRequest
from tests.builders import write_tree

BOUNDARIES = {
    "schema": "strangler.decomposition/1",
    "services": [
        {"name": "orders", "modules": ["shop.orders", "shop.orders.models"]},
        {"name": "reviews", "modules": ["shop.reviews", "shop.reviews.service"]},
    ],
    "shared_kernel": ["shop"],
}
ENTANGLED = "from shop.orders.models import Order\n\n\ndef rate():\n    return Order()\n"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return entangled(tmp_path)


def entangled(tmp_path: Path) -> Path:
    """The tree: reviews imports orders' models, which the decomposition does not allow."""
    return write_tree(
        tmp_path / "app",
        {
            "shop/__init__.py": "",
            "shop/orders/__init__.py": "",
            "shop/orders/models.py": "class Order:\n    pass\n",
            "shop/reviews/__init__.py": "",
            "shop/reviews/service.py": ENTANGLED,
            "strangler-boundaries.json": json.dumps(BOUNDARIES),
        },
    )


def analysis(root: Path) -> AnalysisRequest:
    return AnalysisRequest(root, no_cache=True, quiet=True)


def test_new_findings_are_reported_and_fail(tree: Path) -> None:
    outcome = check_outcome(CheckRequest(analysis(tree), fmt=CheckFormat.JSON))
    findings = json.loads(outcome.text)["findings"]
    assert {(f["source_service"], f["target_service"]) for f in findings} == {("reviews", "orders")}
    assert isinstance(outcome.error, CheckFailed) and outcome.error.exit_code == 1


def test_a_written_baseline_holds_the_findings(tree: Path) -> None:
    written = check_outcome(CheckRequest(analysis(tree), write_baseline=True))
    assert written.error is None and (tree / "strangler-baseline.json").is_file()
    assert check_outcome(CheckRequest(analysis(tree))).error is None


def test_paths_are_named_from_the_working_directory(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tree.parent)
    assert path_prefix(tree) == "app"
    assert path_prefix(tree / "shop" / "orders") == "app/shop/orders"
    monkeypatch.chdir(tree / "shop")
    assert path_prefix(tree) == ""
