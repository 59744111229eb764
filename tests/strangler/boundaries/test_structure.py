"""Respect a good structure (issue #13, strangler.boundaries.structure): with default settings, a
tree whose packages are the capabilities is kept as it is, a module whose ties elsewhere clearly
dominate moves with a reason a person can check (listed first in the text output), a layered tree
is no such structure (today's proposer runs), and a codebase with no capability structure says so.

Every tree is written by the test (Flask blueprints and Flask-SQLAlchemy models)."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
from click.testing import CliRunner

import analyzers
from analyzers.model import Codebase
from analyzers.options import AnalysisOptions
from strangler.boundaries import propose, structure
from strangler.boundaries.decomposition import SHARED_KERNEL, Decomposition
from strangler.boundaries.settings import BoundaryOptions, parse_signals
from strangler.cli.boundaries_command import command
from strangler.graph.coupling import build_graph
from strangler.metrics import compare
from strangler.names import service_name_problem
from tests.builders import codebase, write_tree

CAPS = ("orders", "billing", "catalog", "users", "shipping")
#: Each capability's vocabulary: its modules share terms, other capabilities' modules do not.
WORDS = {
    "orders": ("basket", "checkout", "line", "quantity"),
    "billing": ("invoice", "ledger", "payment", "vat"),
    "catalog": ("product", "category", "price", "sku"),
    "users": ("account", "profile", "password", "login"),
    "shipping": ("parcel", "carrier", "tracking", "address"),
}


def _capability(cap: str, package: str, words: tuple[str, ...]) -> dict[str, str]:
    """One capability package: models (a table), service (uses the models), views (routes)."""
    title = cap.title()
    body = "\n".join(f"    {w} = db.Column(db.Integer)" for w in words)
    return {
        f"{package}/__init__.py": "",
        f"{package}/models.py": (
            "from shop.core.db import db\n\n\n"
            f'class {title}Record(db.Model):\n    __tablename__ = "{cap}_records"\n'
            f"    id = db.Column(db.Integer, primary_key=True)\n{body}\n"
        ),
        f"{package}/service.py": (
            f"from {package.replace('/', '.')}.models import {title}Record\n"
            "from shop.core.db import db\n\n\n"
            + "".join(
                f"def {w}_of(key):\n    record = {title}Record.query.get(key)\n"
                f"    db.session.add(record)\n    return record.{w}\n\n\n"
                for w in words
            )
        ),
        f"{package}/views.py": (
            "from flask import Blueprint\n\n"
            f"from {package.replace('/', '.')} import service\n"
            f"from {package.replace('/', '.')}.models import {title}Record\n\n"
            f'bp = Blueprint("{cap}", __name__, url_prefix="/{cap}")\n\n\n'
            + "".join(
                f'@bp.route("/{w}/<int:key>")\ndef show_{w}(key):\n'
                f"    return str(service.{w}_of(key)) + str({title}Record.query.count())\n\n\n"
                for w in words
            )
        ),
    }


def _core() -> dict[str, str]:
    return {
        "shop/__init__.py": "",
        "shop/core/__init__.py": "",
        "shop/core/db.py": "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n",
    }


def packaged_tree(root: Path) -> Path:
    """`shop/<capability>/` packages, plus `shop.orders.invoice_pdf` that sits in orders but
    works for billing only: many uses of billing's service and models, none of orders."""
    files = _core()
    for cap in CAPS:
        files.update(_capability(cap, f"shop/{cap}", WORDS[cap]))
    files["shop/orders/invoice_pdf.py"] = (
        "from shop.billing import service as billing\n"
        "from shop.billing.models import BillingRecord\n\n\n"
        "def render(key):\n"
        + "".join(f"    a{i} = billing.{w}_of(key)\n" for i, w in enumerate(WORDS["billing"]))
        + "    total = BillingRecord.query.get(key)\n"
        "    again = BillingRecord.query.filter_by(id=key).all()\n"
        "    return [a0, a1, a2, a3, total, again, billing.vat_of(key), billing.ledger_of(key)]\n"
    )
    return write_tree(root, files)


def layered_tree(root: Path) -> Path:
    """The same capabilities laid out by layer: `shop/models/<cap>.py`, `shop/services/<cap>.py`,
    `shop/views/<cap>.py` (every table in one package, every route in another)."""
    files = _core()
    for layer in ("models", "services", "views"):
        files[f"shop/{layer}/__init__.py"] = ""
    for cap in CAPS:
        one = _capability(cap, "x", WORDS[cap])
        files[f"shop/models/{cap}.py"] = one["x/models.py"]
        files[f"shop/services/{cap}.py"] = one["x/service.py"].replace(
            "from x.models", f"from shop.models.{cap}"
        )
        files[f"shop/views/{cap}.py"] = (
            one["x/views.py"]
            .replace("from x import service", f"from shop.services import {cap} as service")
            .replace("from x.models", f"from shop.models.{cap}")
        )
    return write_tree(root, files)


def _analyse(root: Path) -> Codebase:
    return analyzers.analyze(root, AnalysisOptions(history=False, cache=False))


def _propose(root: Path, signals: str = "all", services: int | None = None) -> tuple[Codebase, Decomposition]:
    facts = _analyse(root)
    weights = parse_signals(signals)
    graph = build_graph(facts, weights)
    options = BoundaryOptions(weights=tuple(sorted(weights.items())), services=services)
    return facts, propose(facts, graph, options)


def _package_truth(decomposition: Decomposition) -> dict[str, str]:
    """Module -> its capability package (`shop.<cap>`), for the modules of capability packages."""
    truth: dict[str, str] = {}
    for a in decomposition.assignments:
        parts = a.module.split(".")
        if len(parts) >= 2 and parts[1] in CAPS:
            truth[a.module] = parts[1]
    return truth


def test_packages_that_are_capabilities_are_kept(tmp_path: Path) -> None:
    _, found = _propose(packaged_tree(tmp_path))
    assert set(found.capability_packages) >= {f"shop.{cap}" for cap in CAPS}
    truth = _package_truth(found)
    assignment = found.service_of()
    kept = {m: s for m, s in truth.items() if m != "shop.orders.invoice_pdf"}
    assert compare(assignment, kept)["ari"] == 1.0
    assert all(assignment[m] != SHARED_KERNEL for m in kept)
    assert found.verdict is not None and found.verdict.clear


def test_a_module_pulled_away_is_a_departure_with_its_reason(tmp_path: Path) -> None:
    _, found = _propose(packaged_tree(tmp_path))
    assignment = found.service_of()
    assert assignment["shop.orders.invoice_pdf"] == assignment["shop.billing.service"]
    (departure,) = [d for d in found.departures if d.module == "shop.orders.invoice_pdf"]
    assert departure.package == "shop.orders"
    assert departure.service == assignment["shop.billing.service"]
    pulled = dict(departure.pulls)
    assert pulled["shop.billing.service"] >= 4 and pulled["shop.billing.models"] >= 2
    assert departure.home_uses == 0
    assert "shop.billing.service ×" in departure.reason
    assert "moved out of package shop.orders" in departure.reason
    reasons = {a.module: a.reason for a in found.assignments}
    assert reasons["shop.orders.invoice_pdf"] == departure.reason
    # only the module whose ties clearly dominate leaves its package
    assert [d.module for d in found.departures] == ["shop.orders.invoice_pdf"]


def test_departures_come_first_in_text_and_are_in_json(tmp_path: Path) -> None:
    root = packaged_tree(tmp_path)
    text = CliRunner().invoke(command, [str(root), "--no-history", "--no-cache"])
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert lines[0].startswith("capability packages (")
    assert lines[1].startswith("departures (1 module")
    assert lines[2].startswith("  shop.orders.invoice_pdf -> ")
    assert lines.index(lines[2]) < next(i for i, line in enumerate(lines) if line.startswith("service "))
    raw = CliRunner().invoke(command, [str(root), "--no-history", "--no-cache", "--format", "json"])
    assert raw.exit_code == 0, raw.output
    document = json.loads(raw.output)
    assert document["verdict"]["clear"] is True
    assert "shop.billing" in document["capability_packages"]
    (entry,) = document["departures"]
    assert entry["module"] == "shop.orders.invoice_pdf" and entry["package"] == "shop.orders"
    assert {
        "module": "shop.billing.service",
        "uses": dict((p["module"], p["uses"]) for p in entry["pulls"])["shop.billing.service"],
    } in entry["pulls"]
    assert entry["reason"] == document["assignments"]["shop.orders.invoice_pdf"]["reason"]


def test_json_is_deterministic(tmp_path: Path) -> None:
    root = packaged_tree(tmp_path)
    args = [str(root), "--no-history", "--no-cache", "--format", "json"]
    first = CliRunner().invoke(command, args)
    second = CliRunner().invoke(command, args)
    assert first.exit_code == 0 and first.output == second.output


def test_a_layered_tree_is_no_capability_structure(tmp_path: Path) -> None:
    facts = _analyse(layered_tree(tmp_path))
    graph = build_graph(facts, parse_signals("all"))
    assert structure.infer(facts, graph) is None
    _, found = _propose(tmp_path)
    assert found.capability_packages == () and found.departures == ()


def test_blind_setting_never_reads_the_structure(tmp_path: Path) -> None:
    _, found = _propose(packaged_tree(tmp_path), signals="-packages")
    assert found.capability_packages == () and found.departures == ()
    assert not structure.applies(BoundaryOptions(weights=tuple(sorted(parse_signals("-packages").items()))))


def test_service_count_asked_merges_capabilities_down(tmp_path: Path) -> None:
    _, found = _propose(packaged_tree(tmp_path), services=3)
    services = {s for s in found.service_of().values() if s != SHARED_KERNEL}
    assert len(services) == 3
    truth = _package_truth(found)
    # no capability package is split between services
    for cap in CAPS:
        assert (
            len(
                {
                    found.service_of()[m]
                    for m, c in truth.items()
                    if c == cap and m != "shop.orders.invoice_pdf"
                }
            )
            == 1
        )


def test_a_sub_capability_rejoins_its_parent_before_siblings_merge(tmp_path: Path) -> None:
    """`shop.catalog.reviews` (its own table, the smallest capability, tied to orders more than to
    catalog) inside catalog: asked for as many services as there are top-level capabilities,
    reviews goes back into catalog (not to its strongest tie) and no two are welded."""
    files = _core()
    for cap in CAPS:
        files.update(_capability(cap, f"shop/{cap}", WORDS[cap]))
    reviews = _capability("reviews", "shop/catalog/reviews", ("rating", "stars", "verdict", "author"))
    files.update({path: text for path, text in reviews.items() if not path.endswith("views.py")})
    # reviews is tied to orders (reviews of what was ordered) more than to catalog
    uses = "".join(f"def ordered_{w}(key):\n    return orders.{w}_of(key)\n\n\n" for w in WORDS["orders"])
    files["shop/catalog/reviews/service.py"] += f"\n\nfrom shop.orders import service as orders\n\n\n{uses}"
    _, found = _propose(write_tree(tmp_path, files), services=len(CAPS))
    assert "shop.catalog.reviews" in found.capability_packages
    service_of = found.service_of()
    assert service_of["shop.catalog.reviews.service"] == service_of["shop.catalog.views"]
    assert len({service_of[f"shop.{cap}.views"] for cap in CAPS}) == len(CAPS)


def test_a_package_of_many_sub_capabilities_is_a_level_not_one_capability() -> None:
    """Five parts nested in one package are a level: none rejoins the package's own part; one
    nested part does (and a top-level package's own modules are glue, which nothing rejoins)."""
    many = {"=a.p": {"a.p.base"}, **{f"a.p.s{i}": {f"a.p.s{i}.views"} for i in range(5)}, "q": {"q.views"}}
    flat = nx.Graph()
    flat.add_edges_from((f"a.p.s{i}.views", "q.views", {"weight": 1.0}) for i in range(5))
    merged = structure.merge_down({k: set(v) for k, v in many.items()}, 6, flat, {}, set(many))
    assert merged["=a.p"] == {"a.p.base"} and len(merged) == 6  # the merge went to the strongest tie
    few = {"=a.p": {"a.p.base"}, "a.p.s0": {"a.p.s0.views"}, "q": {"q.views"}}
    assert structure.merge_down({k: set(v) for k, v in few.items()}, 2, flat, {}, set(few)) == {
        "=a.p": {"a.p.base", "a.p.s0.views"},
        "q": {"q.views"},
    }
    glue = {"=p": {"p.base"}, "p.s0": {"p.s0.views"}, "q": {"q.views"}}
    assert "=p" in structure.merge_down({k: set(v) for k, v in glue.items()}, 2, nx.Graph(), {}, set(glue))


def few_apps_tree(root: Path) -> Path:
    """One large app (`shop.documents`: 12 routes, 4 tables) beside two small ones (`shop.mail`,
    `shop.users`: 4 routes, 1 table each): most routes and tables sit in one package."""
    files = _core()
    words = (*WORDS["catalog"], *WORDS["orders"], *WORDS["billing"])
    files.update(_capability("documents", "shop/documents", words))
    files["shop/documents/archive.py"] = "from shop.core.db import db\n\n\n" + "".join(
        f'class {name.title()}(db.Model):\n    __tablename__ = "{name}"\n'
        "    id = db.Column(db.Integer, primary_key=True)\n\n\n"
        for name in ("archive", "storage_path", "thumbnail")
    )
    files["shop/documents/service.py"] += (
        "\n\nfrom shop.documents.archive import Archive\n\n\n"
        "def archived(key):\n    return Archive.query.get(key)\n"
    )
    files.update(_capability("mail", "shop/mail", WORDS["shipping"]))
    files.update(_capability("users", "shop/users", WORDS["users"]))
    return write_tree(root, files)


def test_a_few_apps_of_very_different_sizes_are_the_capabilities(tmp_path: Path) -> None:
    """Most routes and tables in one package (no kind spread without one package owning more than
    half), but the packages owning both routes and tables hold most of each: they are the
    capabilities (before, no cut qualified and clustering alone cut the large app)."""
    facts = _analyse(few_apps_tree(tmp_path))
    found = structure.infer(facts, build_graph(facts, parse_signals("all")))
    assert found is not None and set(found.packages) == {"shop.documents", "shop.mail", "shop.users"}
    assert "own both routes and tables" in found.evidence
    _, decomposition = _propose(tmp_path)
    truth = {a.module: a.module.split(".")[1] for a in decomposition.assignments if a.module.count(".") >= 2}
    truth = {m: t for m, t in truth.items() if t != "core"}
    assert compare(decomposition.service_of(), truth)["ari"] == 1.0


def web_layer_tree(root: Path) -> Path:
    """The capabilities of `packaged_tree` beside `shop/web/`, infrastructure owning a little: a
    settings store with its table (every capability reads a setting), the static assets with their
    route, and three helpers (mail, cache, sessions) every capability uses; none tied to another."""
    files = _core()
    helpers = ("mail", "cache", "sessions")
    for cap in CAPS:
        files.update(_capability(cap, f"shop/{cap}", WORDS[cap]))
        files[f"shop/{cap}/service.py"] += (
            "\n\nfrom shop.web.settings.store import setting_value\n"
            + "".join(f"from shop.web.{h}.{h}_tools import {h}_of\n" for h in helpers)
            + "\n\n"
            + f'def {cap}_setting():\n    return setting_value("{cap}")'
            + "".join(f' + {h}_of("{cap}")' for h in helpers)
            + "\n"
        )
    files["shop/web/__init__.py"] = ""
    for helper in helpers:
        files[f"shop/web/{helper}/__init__.py"] = ""
        files[f"shop/web/{helper}/{helper}_tools.py"] = f"def {helper}_of(key):\n    return str(key)\n"
    files["shop/web/settings/__init__.py"] = ""
    files["shop/web/settings/models.py"] = (
        "from shop.core.db import db\n\n\n"
        'class Setting(db.Model):\n    __tablename__ = "settings"\n'
        "    id = db.Column(db.Integer, primary_key=True)\n    value = db.Column(db.String)\n"
    )
    files["shop/web/settings/store.py"] = (
        "from shop.web.settings.models import Setting\n\n\n"
        "def setting_value(key):\n    return Setting.query.get(key).value\n"
    )
    files["shop/web/assets/__init__.py"] = ""
    files["shop/web/assets/views.py"] = (
        "from flask import Blueprint\n\nfrom shop.web.assets.bundles import bundle_path\n\n"
        'bp = Blueprint("assets", __name__)\n\n\n'
        '@bp.route("/static/<name>")\ndef static_file(name):\n    return bundle_path(name)\n'
    )
    files["shop/web/assets/bundles.py"] = 'def bundle_path(name):\n    return "/assets/" + name\n'
    for extra in ("manifest", "loader", "compress"):  # infrastructure parts larger than a capability
        files[f"shop/web/assets/{extra}.py"] = (
            "from shop.web.assets.bundles import bundle_path\n\n\n"
            f"def {extra}(name):\n    return bundle_path(name)\n"
        )
        files[f"shop/web/settings/{extra}.py"] = (
            "from shop.web.settings.store import setting_value\n\n\n"
            f"def {extra}(key):\n    return setting_value(key)\n"
        )
    return write_tree(root, files)


def test_infrastructure_gives_up_its_services_before_a_capability(tmp_path: Path) -> None:
    """`shop.web.settings` and `shop.web.assets` own a table and a route (their level 2 of 27
    things owned: minor) and are as small as a capability. Asked for one service more than there
    are capabilities, `shop.web` is one service and every capability keeps its own (before, the
    smallest parts merged first, welding a capability to another)."""
    _, found = _propose(web_layer_tree(tmp_path), services=len(CAPS) + 1)
    assert {"shop.web.assets", "shop.web.settings"} <= set(found.capability_packages)
    service_of = found.service_of()
    assert service_of["shop.web.assets.views"] == service_of["shop.web.settings.models"]
    capabilities = {service_of[f"shop.{cap}.views"] for cap in CAPS}
    assert len(capabilities) == len(CAPS) and service_of["shop.web.assets.views"] not in capabilities


def test_infrastructure_is_a_minor_level_or_a_helper_package() -> None:
    """A level owning under a tenth of the routes and tables is infrastructure (all its parts), and
    so is a part owning nothing that is not built like the capabilities; an idle part built like
    them and the parts of a level owning more are not."""
    parts = {
        **{f"app.c{i}": {f"app.c{i}.views"} for i in range(4)},
        "app.helpers": {"app.helpers.text"},
        "app.search": {"app.search.views"},
        "app.web.assets": {"app.web.assets.views"},
        "=app.web": {"app.web.app"},
    }
    owned = {**{f"app.c{i}.views": 10 for i in range(4)}, "app.web.assets.views": 3}
    alike = {*(f"app.c{i}" for i in range(4)), "app.search"}
    assert structure.infrastructure(parts, owned, alike) == {"app.helpers", "app.web.assets", "=app.web"}
    owned["app.web.assets.views"] = 10  # a fifth of what is owned: a capability level
    assert structure.infrastructure(parts, owned, alike) == {"app.helpers", "=app.web"}


def test_infrastructure_joins_itself_before_the_smallest_capability_merges() -> None:
    """Two infrastructure parts (a minor level: 2 of 32 things owned) tied to each other and to a
    capability, and a smaller capability: asked for one part fewer, the infrastructure parts join
    (before, the smallest part, a capability, merged)."""
    parts = {
        "app.small": {"app.small.views"},
        "app.big": {"app.big.views", "app.big.models"},
        "app.web.a": {"app.web.a.x", "app.web.a.y"},
        "app.web.b": {"app.web.b.x", "app.web.b.y", "app.web.b.z"},
    }
    flat = nx.Graph()
    flat.add_edge("app.web.a.x", "app.web.b.x", weight=1.0)
    flat.add_edge("app.web.a.y", "app.big.views", weight=3.0)
    flat.add_edge("app.small.views", "app.big.models", weight=1.0)
    owned = {
        "app.small.views": 10,
        "app.big.views": 10,
        "app.big.models": 10,
        "app.web.a.x": 1,
        "app.web.b.z": 1,
    }
    merged = structure.merge_down(
        {k: set(v) for k, v in parts.items()}, 3, flat, owned, {"app.small", "app.big"}
    )
    assert merged == {
        "app.small": {"app.small.views"},
        "app.big": {"app.big.views", "app.big.models"},
        "app.web.b": {"app.web.a.x", "app.web.a.y", "app.web.b.x", "app.web.b.y", "app.web.b.z"},
    }


def test_no_capability_structure_is_said_in_text_and_json(tmp_path: Path) -> None:
    """Twelve modules all tied to one another: one cluster holds them all, and the output says
    it cannot tell rather than presenting the cut as a decomposition."""
    names = [f"app.m{i}" for i in range(12)]
    facts = codebase(names, imports=[(a, b) for a in names for b in names if a != b])
    decomposition = propose(facts, build_graph(facts, parse_signals("all")), BoundaryOptions())
    assert decomposition.verdict is not None and not decomposition.verdict.clear
    assert "one" in decomposition.verdict.reason or "sit in" in decomposition.verdict.reason
    from strangler.boundaries.decomposition_codec import to_document
    from strangler.cli.boundaries_command import render_text

    text = render_text(decomposition, [("proposal", {})], [])
    assert text.startswith("cannot tell: ")
    assert to_document(decomposition)["verdict"]["clear"] is False


def test_verdict_criteria() -> None:
    spread = {f"m{i}": f"s{i % 4}" for i in range(40)}
    packages_agree = dict(spread)
    assert structure.verdict(spread, packages_agree, None).clear
    one = {m: ("big" if i < 30 else "s") for i, m in enumerate(spread)}
    assert not structure.verdict(one, packages_agree, None).clear
    crossed = {f"m{i}": f"p{(i // 4) % 4}" for i in range(40)}  # no better than chance
    assert not structure.verdict(spread, crossed, None).clear


def test_package_names_become_service_names_only_through_the_name_rules(tmp_path: Path) -> None:
    """Capability packages named like reserved names (`monolith`, `strangler`, `kernel`) never
    give a service that name: the analyzed tree chooses package names, not service names."""
    files = _core()
    for cap, package in (
        ("orders", "monolith"),
        ("billing", "strangler"),
        ("catalog", "kernel"),
        ("users", "users"),
    ):
        files.update(_capability(cap, f"shop/{package}", WORDS[cap]))
    _, decomposition = _propose(write_tree(tmp_path, files))
    assert decomposition.capability_packages
    names = [s.name for s in decomposition.services]
    assert names and all(service_name_problem(name) is None for name in names), names


def _channel(name: str, helpers: int) -> dict[str, str]:
    """One plugin of a family: a notification channel (client, steps, a route) of `helpers` steps."""
    package = f"shop/integrations/{name}"
    dotted = package.replace("/", ".")
    body = "".join(
        f"def {name}_step_{i}(value):\n    return client.{name}_post(client.{name}_get(value) + {i})\n\n\n"
        for i in range(helpers)
    )
    calls = "".join(f" + str(steps.{name}_step_{i}(1)) + str(client.{name}_get({i}))" for i in range(8))
    return {
        f"{package}/__init__.py": "",
        f"{package}/client.py": "from shop.integrations.base import send\n\n\n"
        f"def {name}_get(value):\n    return value\n\n\n"
        f"def {name}_post(value):\n    return send(value)\n",
        f"{package}/steps.py": f"from {dotted} import client\n\n\n{body}",
        f"{package}/views.py": (
            "from flask import Blueprint\n\n"
            f"from {dotted} import client, steps\n\n"
            f'bp = Blueprint("{name}", __name__, url_prefix="/integrations/{name}")\n\n\n'
            f'@bp.route("/add")\ndef add():\n    return str(client.{name}_post(1)){calls}\n'
        ),
    }


def family_tree(root: Path, helpers: int) -> Path:
    """The packaged tree plus `shop/integrations/<channel>/` for seven channels of one size."""
    files = _core()
    for cap in CAPS:
        files.update(_capability(cap, f"shop/{cap}", WORDS[cap]))
    files["shop/integrations/__init__.py"] = ""
    files["shop/integrations/base.py"] = "def send(value):\n    return value\n"
    for name in ("email", "slack", "sms", "webhook", "matrix", "teams", "pager"):
        files.update(_channel(name, helpers))
    return write_tree(root, files)


def test_a_family_of_small_plugins_is_one_capability(tmp_path: Path) -> None:
    _, found = _propose(family_tree(tmp_path, helpers=8))
    assignment = found.service_of()
    channels = {s for m, s in assignment.items() if m.startswith("shop.integrations.")}
    assert len(channels) == 1 and SHARED_KERNEL not in channels
    assert "shop.integrations" in found.capability_packages
    assert compare(assignment, _package_truth(found))["ari"] == 1.0


def test_plugins_the_size_of_services_stay_apart(tmp_path: Path) -> None:
    """The same family with channels of a few hundred lines: each channel is a capability."""
    _, found = _propose(family_tree(tmp_path, helpers=120))
    assert "shop.integrations.email" in found.capability_packages
    assignment = found.service_of()
    channels = {assignment[f"shop.integrations.{n}.views"] for n in ("email", "slack", "sms")}
    assert len(channels) == 3


def test_fold_families_needs_enough_small_stateless_siblings() -> None:
    owners = [f"p.plug{i}.views" for i in range(6)]
    groups = [(f"p.plug{i}", [f"p.plug{i}.views"]) for i in range(6)] + [("=p", ["p.base"])]
    groups.append(("orders", ["orders.models", "orders.views"]))
    owned = {"routes": {m: 1 for m in [*owners, "orders.views"]}, "tables": {"orders.models": 1}}
    small = {m: 50 for m in owners}
    folded = structure.fold_families(groups, owned, small)
    assert folded == [groups[-1], ("p", ["p.base", *sorted(owners)])]
    assert structure.fold_families(groups[2:], owned, small) == groups[2:]  # four: no family
    assert structure.fold_families(groups[:-1], owned, small) == groups[:-1]  # nothing beside it
    large = {m: 400 for m in owners}
    assert structure.fold_families(groups, owned, large) == groups
    stateful = {**owned, "tables": {**owned["tables"], "p.plug0.views": 1}}
    assert structure.fold_families(groups, stateful, small) == groups
