"""`strangler progress` on a history that extracts one service: its count falls to zero in the text,
the JSON and the SVG chart (issue #19)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from strangler.cli import main
from tests.builders import write_tree
from tests.conftest import require_tool
from tests.e2e.test_check_precommit import git

BOUNDARIES = {
    "schema": "strangler.decomposition/1",
    "services": [
        {"name": "orders", "modules": ["shop.orders", "shop.orders.models", "shop.orders.api"]},
        {"name": "reviews", "modules": ["shop.reviews", "shop.reviews.service"]},
    ],
    "shared_kernel": ["shop"],
}
ENTANGLED = (
    "from shop.orders import models\nfrom shop.orders.models import Order\n\n\n"
    "def rate(order_id):\n    return models.lookup(order_id), Order()\n"
)
HALFWAY = "from shop.orders import models\n\n\ndef rate(order_id):\n    return models.lookup(order_id)\n"
ORDERS_MODELS = "class Order:\n    pass\n\n\ndef lookup(order_id):\n    return Order()\n"
ORDERS_API = "from shop.orders import models\n\n\ndef get(i):\n    return models.lookup(i)\n"
EXTRACTED = "def rate(order_id):\n    return order_id  # asks the orders service over HTTP now\n"


@pytest.fixture
def extraction(tmp_path: Path) -> Path:
    require_tool("git")
    root = write_tree(
        tmp_path / "app",
        {
            "shop/__init__.py": "",
            "shop/orders/__init__.py": "",
            "shop/orders/models.py": ORDERS_MODELS,
            "shop/orders/api.py": ORDERS_API,
            "shop/reviews/__init__.py": "",
            "shop/reviews/service.py": ENTANGLED,
            "strangler-boundaries.json": json.dumps(BOUNDARIES),
        },
    )
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the monolith")
    for text, message in ((HALFWAY, "reviews: one use left"), (EXTRACTED, "reviews: extracted")):
        (root / "shop" / "reviews" / "service.py").write_text(text)
        git(root, "commit", "-q", "-am", message)
    return root


def test_the_extracted_service_falls_to_zero_in_text_json_and_chart(
    extraction: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart = tmp_path / "progress.svg"
    assert main(["progress", str(extraction), "--format", "json", "-q", "-o", str(chart)]) == 0
    commits = json.loads(capsys.readouterr().out)["commits"]
    counts = [c["by_pair"].get("reviews -> orders", 0) for c in commits]
    assert counts[0] > counts[1] > counts[2] == 0
    assert main(["progress", str(extraction), "-q"]) == 0
    text = capsys.readouterr().out
    assert "nothing: every boundary holds" in text
    svg = ElementTree.fromstring(chart.read_text(encoding="utf-8"))
    namespace = "{http://www.w3.org/2000/svg}"
    lines = {p.get("data-series"): p.get("points", "") for p in svg.iter(f"{namespace}polyline")}
    assert set(lines) == {"total", "orders", "reviews"}
    heights = [float(point.split(",")[1]) for point in lines["reviews"].split()]
    assert heights[0] < heights[1] < heights[2]  # SVG y grows downwards: the count falls
    legends = [t.text for t in svg.iter(f"{namespace}text")]
    assert "reviews (0)" in legends


def test_the_chart_must_be_an_svg(extraction: Path, tmp_path: Path) -> None:
    assert main(["progress", str(extraction), "-q", "-o", str(tmp_path / "chart.png")]) == 2
