"""A decomposition beside its references: the structure metrics of each, and how far the proposal
agrees with each reference (the columns of the `strangler boundaries` text report)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from strangler.metrics.reference import PACKAGES

if TYPE_CHECKING:
    from analyzers.model import Codebase
    from strangler.boundaries.decomposition import Decomposition

#: Named figures: (name, metric -> value).
Figures = tuple[tuple[str, dict[str, float]], ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """Structure metrics per column (the proposal first), and agreement (ARI, AMI, MoJoFM) of the
    proposal with each reference."""

    columns: Figures
    agreement: Figures


def comparisons_for(
    codebase: Codebase, decomposition: Decomposition, reference: str | None, include_tests: bool = False
) -> Comparison:
    """Metrics of the proposal and of the references (today's packages, and `reference` when given:
    a JSON/TOML file or 'packages'), measured on the graph the proposal was made from."""
    from strangler.boundaries.pipeline import graph_for
    from strangler.boundaries.settings import BoundaryOptions
    from strangler.metrics import compare, load_reference, structure_metrics

    weights = decomposition.signals or BoundaryOptions().weights
    graph = graph_for(codebase, BoundaryOptions(weights=weights, include_tests=include_tests))
    assignment = decomposition.service_of()
    columns = [("proposal", dict(decomposition.metrics))]
    agreement = []
    for spec in _references(reference):
        layout = load_reference(spec, codebase)
        label = PACKAGES if spec == PACKAGES else Path(spec).name
        columns.append((label, structure_metrics(graph, layout, codebase)))
        agreement.append((label, compare(assignment, layout)))
    return Comparison(tuple(columns), tuple(agreement))


def _references(reference: str | None) -> list[str]:
    """Today's packages always, then the reference given (unless it is the packages again)."""
    return [PACKAGES] + ([reference] if reference and reference != PACKAGES else [])
