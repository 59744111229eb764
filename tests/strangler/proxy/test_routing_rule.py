"""Issue #14, routing safety as a rule of the generator: a route goes to a service only when its full
path is known; an unknown prefix, a catch-all, or a route that can match a reserved prefix (static,
media, admin) stays with the monolith, with a diagnostic in the proxy comments and in plan.md /
plan.json's `routing` section that names it and says how to route it by hand.

The trees are written by each test (Django SPA under a computed prefix, Flask blueprints pinned to
services); the nginx checks read the generated locations, and two run the real nginx.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from analyzers.model import Route
from strangler.cli import main
from strangler.plan.extraction_plan import MONOLITH
from strangler.proxy import render_proxy
from strangler.proxy.matches import route_table
from strangler.proxy.phases import ProxyOptions, phases
from tests.builders import free_port, write_tree
from tests.security.proxy_support import fetch, hostile_plan, running_nginx, stub
from tests.strangler.proxy.test_matches import nginx_owner

_LOCATION = re.compile(r'^\s*location (=|\^~|~\*?) "((?:[^"\\]|\\.)*)" \{$')
#: Every held-back route's diagnostic says how to route it by hand (`safety.PIN_HINT`).
HINT = "to route it anyway, add a location for its real path by hand"
#: What no service may ever take (issue #14's known bad case sent all of these to the SPA's service).
NEVER_A_SERVICE = ("/admin/", "/admin/login/", "/static/css/x.css", "/media/foo.png", "/", "/anything/else")

DJANGO_SETTINGS = """
ROOT_URLCONF = "mysite.urls"
INSTALLED_APPS = ["django.contrib.admin", "frontend", "api", "accounts"]
FRONTEND_URL_BASE = ""
STATIC_URL = "/static/"
MEDIA_URL = "/media/"
"""
DJANGO_ROOT_URLS = """
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("accounts/", include("accounts.urls")),
    path(f"{settings.FRONTEND_URL_BASE}/", include("frontend.urls")),
]
"""
MODEL = "from django.db import models\n\n\nclass {name}(models.Model):\n    name = models.TextField()\n"
DJANGO_APP = {
    "api/urls.py": (
        "from django.urls import path\n\nfrom . import views\n\n"
        'urlpatterns = [path("items/<int:pk>/", views.item), path("items/", views.items)]\n'
    ),
    "api/views.py": (
        "from api.models import Item\n\n\ndef item(request, pk):\n    return Item.objects.get(pk=pk)\n\n\n"
        "def items(request):\n    return Item.objects.all()\n"
    ),
    "api/models.py": MODEL.format(name="Item"),
    "accounts/urls.py": (
        'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("login/", views.login)]\n'
    ),
    "accounts/views.py": (
        "from accounts.models import User\n\n\ndef login(request):\n    return User.objects.first()\n"
    ),
    "accounts/models.py": MODEL.format(name="User"),
    "frontend/views.py": 'def spa_view(request):\n    return "index.html"\n',
}

FLASK_TREE = {
    "pyproject.toml": "".join(
        f'[tool.strangler.services.{name}]\nmodules = ["site.{name}"]\n'
        for name in ("assets", "backoffice", "home", "orders")
    ),
    "site/__init__.py": "",
    "site/app.py": (
        "from flask import Flask\n\n"
        "from site.assets import bp as assets\nfrom site.backoffice import bp as backoffice\n"
        "from site.home import bp as home\nfrom site.orders import bp as orders\n\n"
        "app = Flask(__name__)\n"
        "for blueprint in (assets, backoffice, home, orders):\n    app.register_blueprint(blueprint)\n"
    ),
    "site/assets.py": (
        'from flask import Blueprint\n\nbp = Blueprint("assets", __name__)\n\n\n'
        '@bp.route("/static/<path:filename>")\ndef static_file(filename):\n    return filename\n\n\n'
        '@bp.route("/media/<path:name>")\ndef media_file(name):\n    return name\n'
    ),
    "site/backoffice.py": (
        'from flask import Blueprint\n\nbp = Blueprint("backoffice", __name__, url_prefix="/admin")\n\n\n'
        '@bp.route("/reports")\ndef reports():\n    return "reports"\n'
    ),
    "site/home.py": (
        'from flask import Blueprint\n\nbp = Blueprint("home", __name__)\n\n\n'
        '@bp.route("/")\ndef index():\n    return "home"\n'
    ),
    "site/orders.py": (
        'from flask import Blueprint\n\nbp = Blueprint("orders", __name__, url_prefix="/orders")\n\n\n'
        '@bp.route("/")\ndef list_orders():\n    return "orders"\n\n\n'
        '@bp.route("/<int:order_id>")\ndef show(order_id):\n    return str(order_id)\n'
    ),
}


def django_spa_tree(root: Path, spa_pattern: str) -> Path:
    """A Django site whose SPA app is included under a computed prefix and serves `spa_pattern`."""
    files = {
        "mysite/__init__.py": "",
        "mysite/settings.py": DJANGO_SETTINGS,
        "mysite/urls.py": DJANGO_ROOT_URLS,
        "frontend/__init__.py": "",
        "api/__init__.py": "",
        "accounts/__init__.py": "",
        "frontend/urls.py": (
            "from django.urls import re_path\n\nfrom . import views\n\n"
            f"urlpatterns = [re_path({spa_pattern!r}, views.spa_view)]\n"
        ),
        **DJANGO_APP,
    }
    return write_tree(root, files)


def plan_tree(tree: Path, out: Path) -> dict[str, str]:
    """`strangler plan` on `tree`: every file written, relative path → text."""
    assert main(["plan", str(tree), "-o", str(out), "--no-history", "--no-cache", "-q"]) == 0
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file()
    }


def service_locations(text: str) -> list[tuple[str, str]]:
    """(modifier, value) of every nginx location that proxies to a service (not the monolith)."""
    lines = text.splitlines()
    found = []
    for index, line in enumerate(lines):
        match = _LOCATION.match(line)
        target = lines[index + 1].strip() if index + 1 < len(lines) else ""
        if match and target.startswith("proxy_pass") and "strangler_monolith" not in target:
            found.append((match.group(1), match.group(2)))
    return found


def takes(location: tuple[str, str], path: str) -> bool:
    modifier, value = location
    if modifier == "=":
        return value == path
    if modifier == "^~":
        return path.startswith(value)
    return re.search(value, path, re.IGNORECASE if modifier == "~*" else 0) is not None


def service_takes(files: dict[str, str], path: str) -> list[tuple[str, tuple[str, str]]]:
    """(nginx file, location) of every service location of every phase that takes `path`."""
    return [
        (name, loc)
        for name, text in sorted(files.items())
        if name.startswith("proxy/nginx/") and name.endswith(".server.conf")
        for loc in service_locations(text)
        if takes(loc, path)
    ]


def held_back(doc: dict[str, Any]) -> dict[str, str]:
    """plan.json's `routing.held_back`: route label → reason."""
    return {route: h["reason"] for h in doc["routing"]["held_back"] for route in h["routes"]}


# -- the known bad case: a Django SPA under a computed prefix ---------------------------------------


def test_the_spa_catch_all_under_a_computed_prefix_stays_with_the_monolith(tmp_path: Path) -> None:
    """`path(f"{settings.FRONTEND_URL_BASE}/", include("frontend.urls"))` + `re_path(r".*", spa_view)`:
    the prefix is computed, the pattern a catch-all. It once became `location ~ "^(?:/.*.*)$"` sent to
    the SPA's service, with /admin/, /static/ and /media/ behind it."""
    files = plan_tree(django_spa_tree(tmp_path / "site", ".*"), tmp_path / "out")
    for path in NEVER_A_SERVICE:
        assert service_takes(files, path) == [], path
    comments = " ".join(
        ln.strip().strip("# ") for ln in files["proxy/nginx/phase-3.conf"].splitlines() if "#" in ln
    )
    assert "ANY ^/.* (frontend)" in comments and "catch-all" in comments and "by hand" in comments
    doc = json.loads(files["plan.json"])
    reason = held_back(doc)["ANY ^/.*"]
    assert "catch-all" in reason and HINT in reason
    assert doc["routing"]["reserved_prefixes"] == ["/admin/", "/media/", "/static/"]
    assert "## Routes the proxy keeps on the monolith (1)" in files["plan.md"]
    assert "`ANY ^/.*` (frontend; phases 1, 2, 3)" in files["plan.md"]
    assert "/api/items/" in files["proxy/nginx/phase-3.conf"]  # the known routes still move


def test_an_spa_pattern_that_cannot_reach_the_internal_api_stays_too(tmp_path: Path) -> None:
    """An SPA regex without `_` cannot match /_strangler/, so the internal-API refusal (#12) did not
    hold it back: it went to its service with /admin/, /static/ and /media/ behind it."""
    files = plan_tree(django_spa_tree(tmp_path / "site", "^(?P<path>[a-z0-9/.-]*)$"), tmp_path / "out")
    for path in NEVER_A_SERVICE:
        assert service_takes(files, path) == [], path
    assert "catch-all" in held_back(json.loads(files["plan.json"]))["ANY ^/(?P<path>[a-z0-9/.-]*)$"]


# -- static, media, admin and the site root ---------------------------------------------------------


def test_static_media_admin_and_root_routes_of_services_stay_with_the_monolith(tmp_path: Path) -> None:
    files = plan_tree(write_tree(tmp_path / "tree", FLASK_TREE), tmp_path / "out")
    for path in ("/static/app.css", "/media/a.png", "/admin/reports", "/", "/admin/"):
        assert service_takes(files, path) == [], path
    reasons = held_back(json.loads(files["plan.json"]))
    assert "/static/" in reasons["GET /static/<path:filename>"]
    assert "/media/" in reasons["GET /media/<path:name>"]
    assert "/admin/" in reasons["GET /admin/reports"]
    assert "catch-all" in reasons["GET /"]
    assert all(HINT in r for r in reasons.values())
    assert service_takes(files, "/orders/7")  # a known path still moves


def test_reserved_prefixes_come_from_the_options() -> None:
    plan = hostile_plan({"assets": ["/assets/<path:f>", "/static/x.css", "/shop/"]})
    options = ProxyOptions(reserved_prefixes=("/assets/",))
    table = phases(plan, options)[-1].table
    assert [m.value for m in table.all() if m.owner == "assets"] == ["/shop", "/shop/", "/static/x.css"]
    assert any("/assets/<path:f>" in line and "/assets/" in line for line in table.refused)


# -- unknown prefixes (the analysis marks them) ------------------------------------------------------


def test_a_route_whose_prefix_is_unknown_stays_with_the_monolith() -> None:
    unknown = Route(
        "/items/<int:i>", ("GET",), "m.h", "m", 1, "flask", unknown_prefix="url_prefix=settings.API_ROOT"
    )
    known = Route("/known/<int:i>", ("GET",), "m.k", "m", 2, "flask")
    table = route_table({unknown: "api", known: "api"})
    assert [(m.kind, m.value) for m in table.all() if m.owner == "api"] == [("prefix", "/known/")]
    (held,) = table.held
    assert held.routes == ("GET /items/<int:i>",) and held.owners == ("api",)
    assert "url_prefix=settings.API_ROOT" in held.reason and HINT in held.reason


# -- what the monolith owns, query strings --------------------------------------------------------------


def test_no_service_rule_takes_a_path_of_the_monolith() -> None:
    plan = hostile_plan(
        {"orders": ["/orders/", "/orders/<int:i>", "/orders/<int:i>/lines"]},
        monolith=("/orders/export", "/orders/<int:i>/legacy", "/orders/<slug:s>/x", "/health"),
    )
    table = phases(plan, ProxyOptions())[-1].table
    for path in ("/orders/export", "/orders/7/legacy", "/orders/a-b/x", "/health"):
        assert nginx_owner(table, path) == MONOLITH, path
    for path in ("/orders/", "/orders/7", "/orders/7/lines"):
        assert nginx_owner(table, path) == "orders", path


def test_a_query_string_is_never_part_of_a_location() -> None:
    """nginx, Envoy and the Gateway API match the path alone: `/set-password?uid=<uid>` is the
    location `/set-password` (the analysis keeps the query text; the generator drops it)."""
    plan = hostile_plan({"accounts": ["/set-password?uid=<uid>", "/login?next=/", "/x/<int:n>?a=1"]})
    files = render_proxy(plan, ProxyOptions())
    values = [m.value for p in phases(plan, ProxyOptions()) for m in p.table.all()]
    assert values and not [v for v in values if "?" in v or "uid" in v or "next" in v]
    locations = service_locations(files["proxy/nginx/phase-1.conf"])
    assert ("=", "/set-password") in locations and ("=", "/login") in locations
    for name, text in files.items():
        directives = [ln for ln in text.splitlines() if not ln.strip().startswith("#")]
        assert not [ln for ln in directives if "?uid" in ln or "?next" in ln or "?a=1" in ln], name


# -- nginx's redirect of a bare path into a slashed location -------------------------------------------


def test_the_bare_path_of_a_service_prefix_stays_with_its_owner_in_a_live_nginx(tmp_path: Path) -> None:
    """A location `^~ "/catalog/"` (or `= "/catalog/"`) that proxies makes nginx answer `/catalog`
    with a 301 to `/catalog/`, before any regex: the monolith's own `/catalog` ended up at the
    service. The generator writes an exact location for the bare path."""
    plan = hostile_plan(
        {"cat": ["/catalog/a", "/catalog/b/<int:x>", "/shelf/"]},
        monolith=("/catalog", "/health", "/shelf"),
    )
    port = free_port()
    with stub("monolith") as mono, stub("cat") as cat:
        options = ProxyOptions(
            listen=port,
            monolith_upstream=f"127.0.0.1:{mono}",
            service_upstreams=(("cat", f"127.0.0.1:{cat}"),),
        )
        write_tree(tmp_path, render_proxy(plan, options))
        with running_nginx(tmp_path / "proxy/nginx/phase-1.conf", tmp_path / "run", port):
            assert fetch(port, "/catalog") == (200, "monolith")
            assert fetch(port, "/shelf") == (200, "monolith")
            assert fetch(port, "/catalog/a") == (200, "cat")
            assert fetch(port, "/shelf/") == (200, "cat")
