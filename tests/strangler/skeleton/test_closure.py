"""A service skeleton holds its moved code and the closure of it, no more: checked by hand.

On examples/monolith_app, the closures of two services are written out below from reading the
code (see each comment); on a small tree with a god module, the closure stops at that module, says
so, and the skeleton still imports: its functions are clients, its classes stand-ins.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from strangler.boundaries.decomposition import SHARED_KERNEL, Assignment, Decomposition, Service
from strangler.skeleton import SkeletonOptions, generate_skeletons
from strangler.skeleton.checking import import_problems
from strangler.skeleton.generate import load_sources, parse_texts
from strangler.skeleton.layout import ServiceLayout, module_graph, plan_layout
from tests.builders import write_tree
from tests.conftest import EXAMPLE_APP
from tests.skel_support import run_python

#: What every service of the example vendors to run at all: the app factory (vendored with only
#: its own blueprint registered), what the factory needs (`import shop` for the version, clock,
#: config, db, errors), and the kernel the moved code uses (helpers, http, pagination).
FACTORY_AND_KERNEL = {
    "shop",
    "shop.app",
    "shop.core.clock",
    "shop.core.config",
    "shop.core.db",
    "shop.core.errors",
    "shop.core.http",
    "shop.core.pagination",
    "shop.helpers",
}
SUBSCRIBERS = {"shop.notifications.subscribers", "shop.orders.handlers", "shop.reporting.subscribers"}


@pytest.fixture(scope="module")
def example() -> tuple[Any, Any, Any]:
    import analyzers
    from analyzers.options import AnalysisOptions
    from strangler.boundaries.pipeline import decomposition_for

    codebase = analyzers.analyze(EXAMPLE_APP, AnalysisOptions(history=False, cache=False))
    decomposition = decomposition_for(codebase, None)
    texts = parse_texts(codebase, load_sources(EXAMPLE_APP, codebase))
    return codebase, decomposition, texts


def _layout(example: tuple[Any, Any, Any], service: str) -> ServiceLayout:
    codebase, decomposition, texts = example
    if service not in {s.name for s in decomposition.services}:
        pytest.skip(f"the proposal has no {service} service")
    return plan_layout(
        codebase, decomposition, service, texts, graph=module_graph(codebase, decomposition, texts)
    )


def test_reviews_vendors_its_closure_only(example: tuple[Any, Any, Any]) -> None:
    layout = _layout(example, "reviews")
    assert [m for m, _ in layout.moved] == [
        "shop.reviews",
        "shop.reviews.models",
        "shop.reviews.schemas",
        "shop.reviews.service",
        "shop.reviews.views",
    ]
    # reviews.models: ForeignKey("products.id"), ForeignKey("users.id") -> the modules declaring
    # those tables, for the ORM; reviews.service uses the User class. Nothing else of another
    # capability: catalog, orders and accounts.auth are called through the client.
    assert {m for m, _ in layout.vendored} == FACTORY_AND_KERNEL | {
        "shop.accounts.models",
        "shop.catalog.models",
    }
    assert layout.orm_modules == ("shop.accounts.models", "shop.catalog.models")
    assert [r.operation for r in layout.remote] == [
        "shop.accounts.auth.require_user",
        "shop.catalog.service.get_product",
        "shop.core.money.format_cents",  # (helpers formats money: a function of payments' module)
        "shop.orders.service.has_purchased",
        "shop.seed.seed_if_empty",  # (the factory seeds an empty database at start-up)
    ]
    # reviews sends no signal: the subscribers the factory imports stay in the monolith
    assert set(layout.left_out) == SUBSCRIBERS
    assert layout.cuts == () and layout.stand_ins == ()


def test_shipping_takes_the_subscribers_of_the_signal_it_sends(example: tuple[Any, Any, Any]) -> None:
    layout = _layout(example, "shipping")
    assert [m for m, _ in layout.moved] == [
        "shop.shipping",
        "shop.shipping.models",
        "shop.shipping.rates",
        "shop.shipping.schemas",
        "shop.shipping.service",
        "shop.shipping.views",
    ]
    # shipping.service sends events.shipment_status_changed: its receivers (notifications'
    # subscribers, orders' handlers) run where it is sent, with the models they read (Order,
    # Shipment), and the events module; reporting's subscribers listen to order signals only.
    assert {m for m, _ in layout.vendored} == FACTORY_AND_KERNEL | {
        "shop.accounts.models",
        "shop.catalog.models",
        "shop.core.events",
        "shop.orders.models",
        "shop.notifications.subscribers",
        "shop.orders.handlers",
    }
    assert layout.left_out == ("shop.reporting.subscribers",)
    # the orders handler applies the status in the monolith; notifications are enqueued there
    assert {"shop.orders.service.apply_shipment_status", "shop.notifications.service.enqueue"} <= {
        r.operation for r in layout.remote
    }
    assert layout.cuts == ()


def test_the_example_plan_reports_what_each_skeleton_holds(tmp_path: Path) -> None:
    from strangler.cli import main

    assert main(["plan", str(EXAMPLE_APP), "-o", str(tmp_path / "out"), "--no-history", "-q"]) == 0
    for stats_file in sorted((tmp_path / "out" / "services").glob("*/STRANGLER-STATS.json")):
        stats = json.loads(stats_file.read_text())
        service = stats_file.parent
        assert stats["schema"] == "strangler.skeleton-stats/1" and stats["cut"] == []
        vendored = list((service / stats["package"] / "vendored").rglob("*.py"))
        # every vendored module is in the stats, and no more than the closure: never the whole monolith
        assert stats["vendored"]["files"] == len(
            [p for p in vendored if p.read_text().startswith("# strangler: vendored")]
        )
        assert stats["vendored"]["files"] < 20
        assert stats["python_lines"] == sum(len(p.read_text().splitlines()) for p in service.rglob("*.py"))
        readme = (service / "README.md").read_text()
        assert (
            f"| moved from the monolith | {stats['moved']['files']} | {stats['moved']['lines']} |" in readme
        )


# -- a god module ----------------------------------------------------------------------------------

GOD_TREE = {
    "app/__init__.py": "",
    "app/kernel.py": "def helper():\n    return 1\n",
    "app/orders/__init__.py": "",
    "app/orders/service.py": (
        "from app import kernel\n"
        "from app.god import Registry, lookup\n"
        "import app.god\n\n\n"
        "class Order(Registry):\n    pass\n\n\n"
        "def place(name):\n    return lookup(name), kernel.helper(), app.god.LIMIT\n"
    ),
    "app/god.py": "".join(f"from app.part{i} import Part{i}\n" for i in range(6))
    + "LIMIT = 3\n\n\nclass Registry:\n    parts = ({})\n\n\ndef lookup(name):\n    return name\n".format(
        ", ".join(f"Part{i}" for i in range(6))
    ),
    **{
        f"app/part{i}.py": f"class Part{i}:\n"
        + "".join(f"    def m{j}(self):\n        return {j}\n" for j in range(20))
        for i in range(6)
    },
}


def _god_facts(root: Path) -> tuple[Any, Decomposition]:
    import analyzers
    from analyzers.options import AnalysisOptions

    codebase = analyzers.analyze(root, AnalysisOptions(history=False, cache=False))

    def owner(name: str) -> str:
        if name in ("app", "app.kernel"):
            return SHARED_KERNEL
        return "orders" if name.startswith("app.orders") else "rest"

    assignments = tuple(Assignment(m.name, owner(m.name), "test") for m in sorted(codebase.modules))
    services = tuple(
        Service(n, tuple(a.module for a in assignments if a.service == n)) for n in ("orders", "rest")
    )
    kernel = tuple(a.module for a in assignments if a.service == SHARED_KERNEL)
    return codebase, Decomposition(services=services, shared_kernel=kernel, assignments=assignments)


def test_a_god_module_is_cut_with_a_hazard_and_the_skeleton_still_imports(tmp_path: Path) -> None:
    files, service = _orders(tmp_path, GOD_TREE)
    stats = json.loads(files["services/orders/STRANGLER-STATS.json"])
    # app.god pulls in every part (most of the tree): it stays in the monolith, behind the client
    assert [c["module"] for c in stats["cut"]] == ["app.god"]
    cut = stats["cut"][0]
    assert cut["reached_from"] == ["app.orders.service"] and cut["percent"] > 50
    assert "god module app.god would pull in" in cut["hazard"]
    assert "app.god" in files["services/orders/README.md"].split("### Cut from the closure")[1]
    vendored = sorted(p for p in files if "/vendored/" in p and not p.endswith("__init__.py"))
    assert vendored == ["services/orders/orders/vendored/app/kernel.py"]  # the kernel it uses, only
    assert import_problems(files, "services/orders", frozenset({"app"})) == []
    out = _offline(
        service,
        "import orders.service as s\n"
        "from orders.clients.wire import MonolithOnly, RemoteCallError\n"
        "try:\n    s.Order()\nexcept MonolithOnly as e:\n    print('class:', e)\n"
        "try:\n    s.place('x')\nexcept MonolithOnly:\n    print('wrong')\nexcept RemoteCallError as e:\n"
        "    print('function:', e)\n",
    )
    assert "class: app.god.Registry stays in the monolith" in out
    assert "function: set MONOLITH_URL" in out  # `lookup` is a client of the monolith


def _test_suite(lines: int) -> dict[str, str]:
    """Test modules of about `lines` lines that import every part (as a real suite does)."""
    body = "".join(f"def test_{i}():\n    assert Part{i % 6}().m0() == 0\n\n\n" for i in range(lines // 4))
    imports = "".join(f"from app.part{i} import Part{i}\n" for i in range(6))
    return {"tests/__init__.py": "", "tests/test_parts.py": imports + "\n\n" + body}


def test_a_god_module_is_measured_against_the_code_not_the_tests(tmp_path: Path) -> None:
    """A test suite ten times the size of the code: app.god still pulls in most of the code, so it is
    cut, and its share is of the code's lines (the tests, which no service vendors, do not count)."""
    tree = tmp_path / "tree"
    code_lines = sum(len(text.splitlines()) for text in GOD_TREE.values())
    write_tree(tree, {**GOD_TREE, **_test_suite(10 * code_lines)})
    codebase, decomposition = _god_facts(tree)
    assert sum(m.loc for m in codebase.modules if m.role == "test") > 5 * code_lines
    files = generate_skeletons(codebase, decomposition, tree, ["orders"], SkeletonOptions())
    stats = json.loads(files["services/orders/STRANGLER-STATS.json"])
    assert [c["module"] for c in stats["cut"]] == ["app.god"]
    assert stats["cut"][0]["percent"] > 50
    assert "% of the monolith's code)" in stats["cut"][0]["hazard"]
    assert not any(p.startswith("services/orders/orders/vendored/app/part") for p in files)


def test_a_higher_share_keeps_the_god_module_vendored(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write_tree(tree, GOD_TREE)
    codebase, decomposition = _god_facts(tree)
    files = generate_skeletons(codebase, decomposition, tree, ["orders"], SkeletonOptions(god_share=1.0))
    assert json.loads(files["services/orders/STRANGLER-STATS.json"])["cut"] == []
    assert "services/orders/orders/vendored/app/god.py" in files
    assert "services/orders/orders/vendored/app/part5.py" in files


def test_a_subscriber_of_a_framework_signal_is_kept(tmp_path: Path) -> None:
    """A receiver of a signal from outside the codebase (Django's post_save) may fire on anything
    the service does: its module is not left out."""
    from strangler.skeleton.sources import read_module

    text = read_module(
        "app.signals",
        False,
        "from django.db.models.signals import post_save\nfrom django.dispatch import receiver\n\n"
        "@receiver(post_save)\ndef audit(sender, **kwargs):\n    pass\n",
        frozenset({"app.signals"}),
    )
    assert text.receivers == (("", ""),)
    own = read_module(
        "app.hooks",
        False,
        "from app import events\n\n@events.paid.connect\ndef on_paid(**kw):\n    pass\n\n"
        "def emit():\n    events.paid.send(order=1)\n",
        frozenset({"app.hooks", "app.events"}),
    )
    assert own.receivers == (("app.events", "paid"),) and own.sends == (("app.events", "paid"),)


def test_stand_ins_name_what_stays_in_the_monolith() -> None:
    from strangler.skeleton.wire_runtime import MonolithModule, MonolithOnly, StandIn

    model = StandIn("shop.models.Order")
    assert (
        repr(model.objects.filter)
        == "<stand-in for shop.models.Order.objects.filter, which stays in the monolith>"
    )

    class Mine(model):  # type: ignore[misc, valid-type]
        pass

    with pytest.raises(MonolithOnly, match=r"shop\.models\.Order stays in the monolith"):
        Mine()
    with pytest.raises(MonolithOnly):
        model(1)
    with pytest.raises(MonolithOnly):
        isinstance(object(), model)  # type: ignore[arg-type]

    class Namespace(MonolithModule):
        _wire_module = "shop.models"

    assert repr(Namespace.Cart) == "<stand-in for shop.models.Cart, which stays in the monolith>"


# -- what the code needs at hand -------------------------------------------------------------------

AT_HAND_TREE = {
    "app/__init__.py": "",
    "app/kernel.py": "def helper():\n    return 1\n",
    "app/orders/__init__.py": "",
    "app/orders/service.py": (
        "from app.billing.audit import audited\n"
        "from app.billing import api, registry\n\n"
        "HANDLERS = registry.make_registry()\n\n\n"
        "@audited(level=2)\n"
        "def place(name):\n    return api.charge(name)\n"
    ),
    "app/billing/__init__.py": "",
    "app/billing/audit.py": (
        "def audited(level):\n    def wrap(function):\n        return function\n\n    return wrap\n"
    ),
    "app/billing/registry.py": "def make_registry():\n    return {}\n",
    "app/billing/api.py": "def charge(name):\n    return name\n",
}


def _orders(tmp_path: Path, tree_files: dict[str, str]) -> tuple[dict[str, str], Path]:
    """The `orders` skeleton of a tree (`_god_facts`' decomposition) and where it is written out."""
    tree = tmp_path / "tree"
    write_tree(tree, tree_files)
    codebase, decomposition = _god_facts(tree)
    files = generate_skeletons(codebase, decomposition, tree, ["orders"], SkeletonOptions())
    service = tmp_path / "service"
    write_tree(
        service,
        {p.removeprefix("services/orders/"): t for p, t in files.items() if p.startswith("services/orders/")},
    )
    return files, service


def _offline(service: Path, code: str) -> str:
    """What `code` prints, run in a fresh interpreter beside the skeleton, the monolith unset."""
    return run_python(code, cwd=service.parent, path=[service], env={"MONOLITH_URL": ""})


def _smoke_test(service: Path) -> None:
    """Run the skeleton's own smoke test, in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=service,
        env={**os.environ, "PYTHONPATH": str(service)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_what_the_code_needs_at_hand_is_vendored_not_called_remotely(tmp_path: Path) -> None:
    """A decorator and a function called while the module is imported run in the service (over the
    network, a decorator would return no function, and the service would not import without the
    monolith); a function called from a function body stays a client of the monolith."""
    files, service = _orders(tmp_path, AT_HAND_TREE)
    vendored = sorted(p for p in files if "/vendored/" in p and not p.endswith("__init__.py"))
    assert vendored == [
        "services/orders/orders/vendored/app/billing/audit.py",
        "services/orders/orders/vendored/app/billing/registry.py",
    ]
    client = files["services/orders/orders/clients/monolith.py"]
    assert '_call("app.billing.api.charge"' in client and "audited" not in client
    out = _offline(
        service,
        "import orders.service as s\nprint('imported', s.HANDLERS)\n",
    )
    assert "imported {}" in out
    _smoke_test(service)  # (no route of its own: the smoke test checks the internal API instead)


def test_eager_names_are_decorators_and_what_import_time_code_calls() -> None:
    from strangler.skeleton.sources import read_module

    text = read_module(
        "app.views",
        False,
        "import app.auth as auth\nfrom app.tools import build, later, default\n\n"
        "TABLE = build()\n\n\n"
        "class View:\n    rules = auth.rules()\n\n    @auth.required\n    def get(self):\n"
        "        return later()\n\n\n"
        "def handler(x=default()):\n    return later()\n",
        frozenset({"app.views", "app.auth", "app.tools"}),
    )
    assert text.eager == ("auth.required", "auth.rules", "build", "default")


def test_a_decorator_of_a_god_module_fails_closed(tmp_path: Path) -> None:
    """A god module stays in the monolith; what the moved code decorates with it cannot run here.
    The skeleton still imports, and calling what was decorated raises MonolithOnly: a permission
    or rate-limit decorator is never silently skipped."""
    god = GOD_TREE["app/god.py"] + (
        "\n\ndef guarded(function):\n    return function\n\n\n"
        "def limited(per_minute):\n    return guarded\n\n\n"
        "class Cache:\n    def memoize(self):\n        return guarded\n\n\ncache = Cache()\n"
    )
    service = (
        "from app.god import cache, guarded, limited, lookup\n\n\n"
        "@guarded\ndef first():\n    return 1\n\n\n"
        "@limited(per_minute=5)\ndef second():\n    return 2\n\n\n"
        "@cache.memoize()\ndef third():\n    return 3\n\n\n"
        "def plain(name):\n    return lookup(name)\n"
    )
    files, out = _orders(tmp_path, {**GOD_TREE, "app/god.py": god, "app/orders/service.py": service})
    assert [c["module"] for c in json.loads(files["services/orders/STRANGLER-STATS.json"])["cut"]] == [
        "app.god"
    ]
    client = files["services/orders/orders/clients/monolith.py"]
    assert 'app_god__guarded = MonolithDecorator("app.god.guarded")' in client
    assert 'app_god__cache = StandIn("app.god.cache", decorators=("memoize",))' in client
    assert '_call("app.god.lookup"' in client  # called from a function body: a client
    printed = _offline(
        out,
        "import orders.service as s\nfrom orders.clients.wire import MonolithOnly\n"
        "for f in (s.first, s.second, s.third):\n"
        "    try:\n        f()\n    except MonolithOnly as e:\n        print(f.__name__, e)\n",
    )
    assert "first the decorator app.god.guarded (of first) stays in the monolith" in printed
    assert "second the decorator app.god.limited (of second)" in printed
    assert "third the decorator app.god.cache.memoize (of third)" in printed


def test_blueprints_reading_the_app_on_import_are_imported_inside_its_context(tmp_path: Path) -> None:
    """A Flask factory often imports its blueprints inside `app.app_context()`, and their modules
    read `current_app` while imported: the skeleton's own factory imports them the same way."""
    _, service = _orders(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/kernel.py": "def helper():\n    return 1\n",
            "app/orders/__init__.py": "",
            "app/orders/views.py": (
                "from flask import Blueprint, current_app\n\n"
                'orders = Blueprint("orders", __name__)\n'
                'PAGE = current_app.config.get("PAGE", 20)\n\n\n'
                '@orders.route("/orders")\ndef index():\n    return {"page": PAGE}\n'
            ),
        },
    )
    _smoke_test(service)


def test_a_package_re_exporting_a_client_function_does_not_cycle_through_the_session(
    tmp_path: Path,
) -> None:
    """The client reaches the unit of work on first use, not while it is imported: the package
    holding the session may itself import the client (flaskbb's `__init__` re-exports a function
    of another service), which would find it half-initialized."""
    files, service = _orders(
        tmp_path,
        {
            "app/__init__.py": "from app.billing.api import charge\n",
            "app/kernel.py": "def helper():\n    return 1\n",
            "app/db.py": (
                "from sqlalchemy.orm import scoped_session, sessionmaker\n\n"
                "session = scoped_session(sessionmaker())\n"
            ),
            "app/orders/__init__.py": "",
            "app/orders/service.py": (
                "from app.db import session\nfrom app.billing.api import charge\n\n\n"
                "def place(name):\n    session.commit()\n    return charge(name)\n"
            ),
            "app/billing/__init__.py": "",
            "app/billing/api.py": "def charge(name):\n    return name\n",
        },
    )
    client = files["services/orders/orders/clients/monolith.py"]
    assert "    import orders.vendored.app.db as module" in client
    assert "services/orders/orders/vendored/app/__init__.py" in files
    out = _offline(
        service,
        "import orders.clients.monolith as client\nimport orders.service\n"
        "print('session', client._unit_of_work_module().session is not None)\n",
    )
    assert "session True" in out
