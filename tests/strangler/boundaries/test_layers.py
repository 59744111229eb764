"""Technical layers are taken apart (issue #13, strangler.boundaries.layers): a part declaring most
tables while serving almost no route (a data layer), or serving most routes while declaring almost
no table (a web layer), is no capability; each of its modules joins the capability its code is
tied to most, with a reason, in the package cut (a departure) and in the clustering (a note)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import analyzers
from analyzers.options import AnalysisOptions
from strangler.boundaries import propose
from strangler.boundaries.decomposition import SHARED_KERNEL, Decomposition
from strangler.boundaries.layers import (
    LAYER_LEAD,
    LAYER_MIN_TABLES,
    Layer,
    LayerKind,
    find_layers,
    layer_moves,
)
from strangler.boundaries.settings import BoundaryOptions, parse_signals
from strangler.graph.coupling import build_graph
from tests.builders import codebase, write_tree

CAPS = ("orders", "billing", "catalog", "users", "shipping")


def _owned(tables: dict[str, int], routes: dict[str, int]) -> tuple[dict[str, str], object]:
    """label_of and a codebase where module `<label>.m` declares / serves the counts given."""
    labels = sorted({*tables, *routes})
    facts = codebase(
        [f"{label}.m" for label in labels],
        tables=[(f"{label}_t{i}", f"{label}.m") for label, n in tables.items() for i in range(n)],
        routes=[(f"/{label}/{i}", f"{label}.m") for label, n in routes.items() for i in range(n)],
    )
    return {f"{label}.m": label for label in labels}, facts


def test_a_part_declaring_most_tables_and_serving_no_route_is_a_data_layer() -> None:
    label_of, facts = _owned({"models": 9, "orders": 1}, {"orders": 6, "billing": 6})
    (layer,) = find_layers(facts, label_of)  # type: ignore[arg-type]
    assert layer == Layer("models", LayerKind.DATA, 9, 0, 10, 12)
    assert f"{layer.kind_text} ({layer.owned})" == "a data layer (9 of the 10 tables, 0 of the 12 routes)"


def test_a_part_serving_most_routes_and_declaring_no_table_is_a_web_layer() -> None:
    label_of, facts = _owned({"orders": 5, "billing": 5}, {"views": 11, "orders": 1})
    (layer,) = find_layers(facts, label_of)  # type: ignore[arg-type]
    assert layer.label == "views" and layer.kind is LayerKind.WEB


@pytest.mark.parametrize(
    ("tables", "routes"),
    [
        ({"models": 5, "orders": 1}, {"orders": 12}),  # too few tables in all to tell
        ({"models": 9, "orders": 1}, {"orders": 8, "models": 4}),  # it serves a third of the routes
        ({"models": 5, "orders": 5}, {"orders": 12}),  # half the tables is not most
    ],
)
def test_what_is_no_layer(tables: dict[str, int], routes: dict[str, int]) -> None:
    label_of, facts = _owned(tables, routes)
    assert find_layers(facts, label_of) == ()  # type: ignore[arg-type]
    assert LAYER_MIN_TABLES == 8


def test_the_shared_kernel_is_never_a_layer() -> None:
    label_of, facts = _owned({"kernel": 9, "orders": 1}, {"orders": 12})
    assert find_layers(facts, label_of, ("kernel",)) == ()  # type: ignore[arg-type]


def test_each_layer_module_joins_the_capability_tied_to_it_most() -> None:
    label_of = {
        "m.orders": "models",
        "m.billing": "models",
        "m.lonely": "models",
        "m.pinned": "models",
        "m.even": "models",
        "orders.svc": "orders",
        "billing.svc": "billing",
        "billing.api": "billing",
        "k.base": "kernel",
        "v.all": "views",
    }
    evidence = nx.Graph()
    evidence.add_weighted_edges_from(
        [
            ("m.orders", "orders.svc", 2.0),
            ("m.orders", "billing.svc", 1.0),
            ("m.orders", "m.billing", 5.0),  # ties inside the layer do not keep it there
            ("m.billing", "billing.svc", 1.0),
            ("m.billing", "billing.api", 1.5),
            ("m.billing", "k.base", 9.0),  # the kernel is no destination
            ("m.billing", "v.all", 9.0),  # nor another layer
            ("m.lonely", "m.orders", 3.0),  # tied to the layer only: stays
            ("m.pinned", "orders.svc", 4.0),
            ("m.even", "orders.svc", 1.0),  # tied alike to two capabilities (under LAYER_LEAD): stays
            ("m.even", "billing.api", 1.4),
        ]
    )
    models = Layer("models", LayerKind.DATA, 9, 0, 10, 12)
    views = Layer("views", LayerKind.WEB, 0, 11, 10, 12)
    moves = layer_moves(label_of, evidence, [models, views], stay={"m.pinned"}, excluded={"kernel"})
    assert LAYER_LEAD == 1.5
    assert [(m.module, m.target, m.pull, m.kept) for m in moves] == [
        ("m.billing", "billing", 2.5, 5.0),
        ("m.orders", "orders", 2.0, 8.0),
    ]
    assert moves[1].reason(models, "orders") == (
        "left models, a data layer (9 of the 10 tables, 0 of the 12 routes); joined orders, the "
        "capability its code is tied to most (tie 2.0, against 8.0 to the rest of the layer)"
    )


def _models_layer_tree(root: Path) -> Path:
    """`shop/<cap>/` packages serving routes through their service, and one `shop/models/`
    package declaring every table (two per capability, one module per capability): polar's
    shape. The models import a shared base and one another (relationships)."""
    files = {
        "shop/__init__.py": "",
        "shop/models/__init__.py": "",
        "shop/models/base.py": "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n",
    }
    for index, cap in enumerate(CAPS):
        title = cap.title()
        neighbour = CAPS[(index + 1) % len(CAPS)]
        files[f"shop/models/{cap}.py"] = (
            "from shop.models.base import db\n"
            f"from shop.models import {neighbour}\n\n\n"
            + "".join(
                f'class {title}{kind}(db.Model):\n    __tablename__ = "{cap}_{kind.lower()}"\n'
                "    id = db.Column(db.Integer, primary_key=True)\n\n\n"
                for kind in ("Record", "Entry")
            )
        )
        files[f"shop/{cap}/__init__.py"] = ""
        files[f"shop/{cap}/service.py"] = (
            f"from shop.models.{cap} import {title}Entry, {title}Record\n"
            "from shop.models.base import db\n\n\n"
            + "".join(
                f"def get_{n}(key):\n    db.session.add({title}Record.query.get(key))\n"
                f"    return {title}Entry.query.filter_by(id=key).first()\n\n\n"
                for n in range(4)
            )
        )
        files[f"shop/{cap}/views.py"] = (
            "from flask import Blueprint\n\n"
            f"from shop.{cap} import service\n\n"
            f'bp = Blueprint("{cap}", __name__, url_prefix="/{cap}")\n\n\n'
            + "".join(
                f'@bp.route("/{n}/<int:key>")\ndef show_{n}(key):\n    return str(service.get_{n}(key))\n\n\n'
                for n in range(4)
            )
        )
    return write_tree(root, files)


def test_a_models_package_beside_the_capabilities_is_taken_apart_with_departures(tmp_path: Path) -> None:
    facts = analyzers.analyze(_models_layer_tree(tmp_path), AnalysisOptions(history=False, cache=False))
    weights = parse_signals("all")
    options = BoundaryOptions(weights=tuple(sorted(weights.items())))
    found = propose(facts, build_graph(facts, weights), options)
    service_of = found.service_of()
    for cap in CAPS:
        assert service_of[f"shop.models.{cap}"] == service_of[f"shop.{cap}.service"] != SHARED_KERNEL
    departures = {d.module: d for d in found.departures}
    assert set(departures) == {f"shop.models.{cap}" for cap in CAPS}
    departure = departures["shop.models.orders"]
    assert departure.package == "shop.models" and departure.service == service_of["shop.orders.service"]
    assert dict(departure.pulls)["shop.orders.service"] >= 2
    assert departure.tables == ("orders_entry", "orders_record")
    assert departure.reason.startswith(
        "left shop.models, a data layer (10 of the 10 tables, 0 of the 20 routes); joined "
    )
    assert {a.module: a.reason for a in found.assignments}["shop.models.orders"] == departure.reason


MODELS = [f"models.{cap}" for cap in CAPS]
#: The models, welded by their relationships (every one imports every other, thrice).
WELDED = [(a, b) for a in MODELS for b in MODELS if a != b] * 3
#: Each capability's views call its service.
VIEWS = [(f"{cap}.views", f"{cap}.service") for cap in CAPS] * 2
#: Each capability's service uses its own models.
OWN_MODELS = [(f"{cap}.service", f"models.{cap}") for cap in CAPS]


def _blind(imports: list[tuple[str, str]], extra: dict[str, int] | None = None) -> Decomposition:
    """Packages off, over the models (two tables each), services and views (three routes each)
    of CAPS, plus `extra` modules (name -> lines); every module 10 lines unless `extra` says."""
    lines = {m: 10 for m in [*MODELS, *(f"{cap}.{kind}" for cap in CAPS for kind in ("service", "views"))]}
    lines.update(extra or {})
    facts = codebase(
        lines,
        imports=imports,
        tables=[(f"{cap}_{n}", f"models.{cap}") for cap in CAPS for n in range(2)],
        routes=[(f"/{cap}/{n}", f"{cap}.views") for cap in CAPS for n in range(3)],
    )
    weights = parse_signals("-packages")
    return propose(
        facts, build_graph(facts, weights), BoundaryOptions(weights=tuple(sorted(weights.items())))
    )


def test_blind_clustering_takes_a_data_layer_apart_and_says_so() -> None:
    """The models cluster together; the layer is taken apart and a note says so."""
    found = _blind(WELDED + OWN_MODELS + VIEWS)
    service_of = found.service_of()
    for cap in CAPS:
        assert service_of[f"models.{cap}"] == service_of[f"{cap}.views"], (cap, service_of)
    note = next(n for n in found.notes if "technical layer" in n)
    assert "a data layer (10 of the 10 tables, 0 of the 15 routes): 5 of its" in note
    reasons = {a.module: a.reason for a in found.assignments}
    assert reasons["models.orders"].startswith("left ")


def test_a_layer_module_never_joins_a_library() -> None:
    """A large library (no route, no table: kept as a library, not merged) tied to a model more
    than its capability is: the model still joins the capability."""
    library = [("lib.one", "lib.two")] * 6 + [("lib.one", "models.orders")] * 2
    found = _blind(WELDED + OWN_MODELS + VIEWS + library, {"lib.one": 800, "lib.two": 800})
    service_of = found.service_of()
    assert service_of["lib.one"] == service_of["lib.two"]
    assert service_of["lib.one"] not in {service_of[f"{c}.views"] for c in CAPS}
    assert service_of["models.orders"] == service_of["orders.views"]


def test_a_layer_no_capability_claims_stays_and_the_verdict_says_so() -> None:
    """Every model is used alike by two capabilities' services: no move leads by LAYER_LEAD, the
    layer stays a service, and the proposal is not presented as a clear cut."""
    shared = [(f"{CAPS[(i + 1) % len(CAPS)]}.service", f"models.{cap}") for i, cap in enumerate(CAPS)]
    found = _blind(WELDED + OWN_MODELS + shared + VIEWS)
    service_of = found.service_of()
    assert len({service_of[m] for m in MODELS}) == 1  # the layer, whole
    assert found.verdict is not None and not found.verdict.clear
    assert found.verdict.reason.endswith(
        "is still a data layer (10 of the 10 tables, 0 of the 15 routes), its modules tied alike to "
        "several services: the cut follows a technical layer there"
    )
