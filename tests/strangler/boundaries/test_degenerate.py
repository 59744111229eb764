"""No degenerate services: a cluster serving no route, touching no table and running no job is a
library. Proposed, a small one is merged into its strongest neighbour; a large one is flagged
`library` (decomposition JSON) and kept out of the waves. `--services N` beyond what the code
supports says so instead of returning one-module services."""

from __future__ import annotations

from dataclasses import replace

import pytest

from analyzers.model import Codebase
from strangler.boundaries import describe, propose
from strangler.boundaries.decomposition import SHARED_KERNEL, Decomposition
from strangler.boundaries.decomposition_codec import to_document
from strangler.boundaries.settings import BoundaryOptions, parse_signals
from strangler.cli.boundaries_command import render_text
from strangler.graph.coupling import build_graph
from tests.bnd_support import capability_app
from tests.builders import codebase

HELPERS = ("app.text.slugs", "app.text.markup", "app.text.wrap")


def with_helpers(loc: int) -> Codebase:
    """The capability app and a text-helpers package: three modules tightly bound to each other,
    used a little by the orders service, with no route, no table and no job."""
    base = capability_app()
    extra = codebase(
        dict.fromkeys(HELPERS, loc),
        imports=[(a, b) for a in HELPERS for b in HELPERS if a != b] + [("app.orders.service", HELPERS[0])],
        references=[(a, b, "render", "call") for a in HELPERS for b in HELPERS if a != b] * 4
        + [("app.orders.service", HELPERS[0], "slugify", "call")],
        terms={h: {"slug": 4, "markup": 3, "wrap": 3, "text": 2} for h in HELPERS},
    )
    return replace(
        base,
        modules=tuple(sorted((*base.modules, *extra.modules))),
        imports=tuple(sorted((*base.imports, *extra.imports))),
        references=tuple(sorted((*base.references, *extra.references))),
        _index={},
    )


def run(cb: Codebase, signals: str, services: int | None = None) -> Decomposition:
    weights = parse_signals(signals)
    options = BoundaryOptions(weights=tuple(sorted(weights.items())), services=services, seeds=1)
    return propose(cb, build_graph(cb, weights), options)


@pytest.mark.parametrize("signals", ["all", "-packages"])
def test_a_small_library_is_merged_into_its_strongest_neighbour(signals: str) -> None:
    proposal = run(with_helpers(loc=40), signals)
    service_of = proposal.service_of()
    homes = {service_of[h] for h in HELPERS}
    assert homes == {service_of["app.orders.service"]}  # the only capability that uses them
    assert SHARED_KERNEL not in homes
    assert not any(s.library for s in proposal.services)
    reasons = {a.module: a.reason for a in proposal.assignments}
    assert "library" in reasons[HELPERS[0]] and "no route" in reasons[HELPERS[0]]
    assert any("merged as libraries" in note for note in proposal.notes)


@pytest.mark.parametrize("signals", ["all", "-packages"])
def test_a_large_library_is_flagged_and_not_a_service(signals: str) -> None:
    proposal = run(with_helpers(loc=400), signals)  # 1,200 lines
    service_of = proposal.service_of()
    (library,) = [s for s in proposal.services if s.library]
    assert set(library.modules) == set(HELPERS)
    assert {service_of[h] for h in HELPERS} == {library.name}
    document = to_document(proposal)
    flagged = [s["name"] for s in document["services"] if s.get("library")]
    assert flagged == [library.name]
    assert all("library" not in s for s in document["services"] if s["name"] != library.name)
    assert f"{library.name} (library)" in render_text(proposal, [], [])


def test_an_edited_library_is_flagged_whatever_its_size() -> None:
    cb = with_helpers(loc=40)
    proposal = run(cb, "all")
    assignment = proposal.service_of()
    for helper in HELPERS:
        assignment[helper] = "text"
    described = describe(cb, assignment)
    assert described.service("text").library
    assert not any(s.library for s in described.services if s.name != "text")


@pytest.mark.parametrize("signals", ["all", "-packages"])
def test_services_beyond_what_the_code_supports_are_refused_with_a_note(signals: str) -> None:
    cb = capability_app()  # 4 capabilities of 3 modules each, a kernel and an app module
    proposal = run(cb, signals, services=12)
    assert len(proposal.services) < 12
    assert all(len(s.modules) >= 2 for s in proposal.services)
    (note,) = [n for n in proposal.notes if n.startswith("asked for 12 services")]
    assert f"the code supports {len(proposal.services)}" in note
    assert f"note: {note}" in render_text(proposal, [], [])
