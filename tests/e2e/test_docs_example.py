"""docs/example-plan is what `strangler plan` writes for the example today: the committed docs stay true.

To refresh after an intended change: regenerate with the command in docs/example-plan/README.md and
copy plan.md and the phase 0/1 proxy files over.
"""

from __future__ import annotations

from pathlib import Path

from strangler.cli import main
from tests.conftest import EXAMPLE_APP, REPO

DOCS = REPO / "docs" / "example-plan"


def test_example_plan_in_docs_matches_the_generator(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    assert main(["plan", str(EXAMPLE_APP), "-o", str(out), "--no-history", "--quiet"]) == 0
    committed = sorted(p.relative_to(DOCS) for p in DOCS.rglob("*") if p.is_file() and p.name != "README.md")
    assert Path("plan.md") in committed and len(committed) > 5
    for relative in committed:
        assert (out / relative).read_text(encoding="utf-8") == (DOCS / relative).read_text(
            encoding="utf-8"
        ), f"docs/example-plan/{relative} is stale"
