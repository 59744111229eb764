"""`strangler.check.export_output`: the contracts of a request's target."""

from __future__ import annotations

from pathlib import Path

import pytest

from strangler.check.export import ExportTarget
from strangler.check.export_output import ExportRequest, export_text
from tests.strangler.check.test_check_outcome import analysis, entangled


@pytest.mark.parametrize(
    "target, marker",
    [(ExportTarget.IMPORT_LINTER, "[importlinter]"), (ExportTarget.TACH, '{ path = "shop.reviews"')],
)
def test_export_writes_the_contracts_of_the_target(tmp_path: Path, target: ExportTarget, marker: str) -> None:
    assert marker in export_text(ExportRequest(analysis(entangled(tmp_path)), Path("-"), target))
