"""FastAPI and Django skeletons: the web app is in the monolith's framework and answers like it.

End to end in process, without servers: the fixture monolith and the generated service each run in
their own fresh interpreter (the analyzed code is never imported here), and the same requests get
the same status and JSON through FastAPI's TestClient / Django's test client. The internal API is
called with the wire protocol the generated clients use. The FastAPI service is also started as its
README says (`python -m stock`, uvicorn) and answers the same over real HTTP.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from strangler.skeleton import SkeletonOptions, generate_skeletons
from strangler.skeleton.checking import import_problems
from tests.builders import free_port, write_tree
from tests.skel_support import (
    DJANGO_FIXTURE,
    FASTAPI_FIXTURE,
    analyzed,
    django_facts,
    fastapi_facts,
    run_python,
    serving,
)

pytest.importorskip("fastapi")
pytest.importorskip("django")

FASTAPI_REQUESTS = [
    ("GET", "/stock/1", None),
    ("GET", "/stock/2", None),
    ("GET", "/stock/99", None),
    ("POST", "/stock/1/adjust", {"delta": "many"}),  # validation error, before any remote call
]
FASTAPI_REPLAY = """
import json, sys
from fastapi.testclient import TestClient
from {module} import {app} as target
client = TestClient(target{call})
answers = []
for method, path, body in json.loads(sys.argv[1] if len(sys.argv) > 1 else {requests!r}):
    response = client.request(method, path, json=body)
    answers.append([response.status_code, response.json()])
print(json.dumps(answers))
"""


def _fastapi_replay(module: str, app: str, call: str, cwd: Path, path: list[Path]) -> Any:
    code = FASTAPI_REPLAY.format(module=module, app=app, call=call, requests=json.dumps(FASTAPI_REQUESTS))
    return json.loads(run_python(code, cwd=cwd, path=path).strip().splitlines()[-1])


def _generate(facts: tuple[Any, Any], root: Path, service: str, out: Path) -> dict[str, str]:
    codebase, decomposition = facts
    files = generate_skeletons(codebase, decomposition, root, [service], SkeletonOptions())
    write_tree(out, files)
    tops = frozenset(m.name.split(".")[0] for m in codebase.modules)
    assert import_problems(files, f"services/{service}", tops) == []
    return files


def test_fastapi_service_answers_like_the_monolith(tmp_path: Path) -> None:
    pytest.importorskip("uvicorn")  # (a test dependency: the service's __main__ serves with it)
    files = _generate(fastapi_facts(), FASTAPI_FIXTURE, "stock", tmp_path)
    app = files["services/stock/stock/webapp.py"]
    assert "from fastapi import FastAPI" in app
    assert 'app.include_router(stock_views__router, prefix="/stock")' in app
    assert '"fastapi>=' in files["services/stock/pyproject.toml"]
    assert '"uvicorn>=' in files["services/stock/pyproject.toml"]
    assert "flask" not in "".join(
        t for p, t in files.items() if p.startswith("services/stock/") and not p.endswith("wire.py")
    )
    service = tmp_path / "services" / "stock"

    expected = _fastapi_replay("fastshop.main", "app", "", tmp_path, [FASTAPI_FIXTURE])
    actual = _fastapi_replay("stock.webapp", "create_app", "()", service, [service])
    assert actual == expected
    assert expected[0] == [200, {"product_id": 1, "available": 7}]

    internal = run_python(
        """
import json
from fastapi.testclient import TestClient
from stock.webapp import create_app
client = TestClient(create_app())
op = "/_strangler/ops/fastshop.stock.service.available"
ok = client.post(op, json={"args": [1], "kwargs": {}})
bad = client.post(op, content=b"not json")
print(json.dumps([ok.status_code, ok.json(), bad.status_code]))
""",
        cwd=service,
        path=[service],
    )
    assert json.loads(internal.strip().splitlines()[-1]) == [200, {"result": 7}, 400]

    # `python -m stock` serves the same answers over real HTTP (uvicorn, as the README says)
    port = free_port()
    with serving(
        ["-m", "stock", "--port", str(port)],
        cwd=service,
        port=port,
        env={"PYTHONPATH": str(service)},
        log=tmp_path / "stock.log",
    ) as url:
        served = [httpx.request(method, url + path, json=body) for method, path, body in FASTAPI_REQUESTS]
    assert [[r.status_code, r.json()] for r in served] == expected
    assert "uvicorn" in (tmp_path / "stock.log").read_text().lower()

    smoke = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=service,
        capture_output=True,
        text=True,
        timeout=120,
        env={**_env(), "PYTHONPATH": str(service)},
    )
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr


DJANGO_REPLAY = """
import json, os, sys
import django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", run_syncdb=True, verbosity=0)
client = Client()
answers = []
for method, path, body in {requests!r}:
    if method == "POST":
        response = client.post(path, body, content_type="application/json")
    else:
        response = client.get(path)
    json_answer = response.get("Content-Type", "").startswith("application/json")
    answers.append([response.status_code, response.json() if json_answer else response.content.decode()])
print(json.dumps(answers))
"""
DJANGO_REQUESTS = [
    ("GET", "/catalog/products/", None),
    ("POST", "/catalog/products/", {"name": "kettle", "price_cents": 2500}),
    ("POST", "/catalog/products/", {"name": "teapot", "price_cents": 1800}),
    ("GET", "/catalog/products/", None),
    ("GET", "/catalog/products/9/", None),
    ("GET", "/catalog/products/2/page/", None),  # a template of DIRS extending one, including an app's
]


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}


def test_django_service_is_a_project_that_answers_like_the_monolith(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = _generate(django_facts(), DJANGO_FIXTURE, "catalog", out)
    service = out / "services" / "catalog"
    settings = files["services/catalog/catalog_project/settings.py"]
    assert '"catalog.apps.CatalogConfig",' in settings
    assert "django.contrib.admin" not in settings  # the moved code does not use it
    assert 'path("catalog/", include("catalog.urls"))' in files["services/catalog/catalog_project/urls.py"]
    assert '"django>=' in files["services/catalog/pyproject.toml"]
    db = f"sqlite:///{tmp_path / 'service.sqlite3'}"

    check = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=service,
        capture_output=True,
        text=True,
        timeout=120,
        env={**_env(), "DATABASE_URL": db, "PYTHONPATH": str(service)},
    )
    assert check.returncode == 0, check.stdout + check.stderr

    code = DJANGO_REPLAY.format(requests=DJANGO_REQUESTS)
    expected = json.loads(
        run_python(
            code,
            cwd=tmp_path,
            path=[DJANGO_FIXTURE],
            env={"DJANGO_SETTINGS_MODULE": "djshop.settings", "DJSHOP_DB": str(tmp_path / "m.sqlite3")},
        )
        .strip()
        .splitlines()[-1]
    )
    actual = json.loads(
        run_python(
            code,
            cwd=service,
            path=[service],
            env={"DJANGO_SETTINGS_MODULE": "catalog_project.settings", "DATABASE_URL": db},
        )
        .strip()
        .splitlines()[-1]
    )
    assert actual == expected
    assert expected[3] == [200, {"products": ["kettle", "teapot"], "count": 2}]
    assert expected[5] == [200, '<title>teapot</title>\n<h1>teapot</h1><p class="price">1800 cents</p>\n\n']
    # the templates it renders, and only those (not the orders' list or receipt)
    copied = sorted(p for p in files if "/catalog_project/templates/" in p)
    assert copied == [
        f"services/catalog/catalog_project/templates/{name}"
        for name in ("base.html", "catalog/price.html", "catalog/product.html")
    ]
    assert '[Path(__file__).resolve().parent / "templates"]' in settings
    assert "3 template file(s) of the monolith copied" in settings

    internal = run_python(
        """
import json
import django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", run_syncdb=True, verbosity=0)
from catalog.models import Product
Product.objects.create(name="kettle", price_cents=2500)
client = Client()
op = "/_strangler/ops/catalog.services.product_summary"
ok = client.post(op, {"args": [1], "kwargs": {}}, content_type="application/json")
get = client.get(op)
print(json.dumps([ok.status_code, ok.json(), get.status_code]))
""",
        cwd=service,
        path=[service],
        env={
            "DJANGO_SETTINGS_MODULE": "catalog_project.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'internal.sqlite3'}",
        },
    )
    assert json.loads(internal.strip().splitlines()[-1]) == [
        200,
        {"result": {"id": 1, "name": "kettle", "price_cents": 2500}},
        405,
    ]

    smoke = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        cwd=service,
        capture_output=True,
        text=True,
        timeout=120,
        env={**_env(), "PYTHONPATH": str(service)},
    )
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr


def test_django_apps_moved_below_a_service_package_keep_their_labels(tmp_path: Path) -> None:
    """Two apps in one service move to `shop.catalog` and `shop.orders`: the AppConfig name, the
    settings and the includes follow, the URL namespaces do not change, `check` passes."""
    facts = analyzed(DJANGO_FIXTURE, {"catalog": "shop", "orders": "shop"})
    files = _generate(facts, DJANGO_FIXTURE, "shop", tmp_path)
    assert 'name = "shop.catalog"' in files["services/shop/shop/catalog/apps.py"]
    urls = files["services/shop/shop_project/urls.py"]
    assert 'include(("shop.orders.urls", "orders"), namespace="orders")' in urls
    assert '"shop.orders",' in files["services/shop/shop_project/settings.py"]
    service = tmp_path / "services" / "shop"
    check = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=service,
        capture_output=True,
        text=True,
        timeout=120,
        env={**_env(), "PYTHONPATH": str(service), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
    )
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize(
    "facts, root, service",
    [
        (fastapi_facts, FASTAPI_FIXTURE, "stock"),
        (django_facts, DJANGO_FIXTURE, "catalog"),
    ],
    ids=["fastapi", "django"],
)
def test_generation_is_byte_identical(facts: Any, root: Path, service: str) -> None:
    codebase, decomposition = facts()
    first = generate_skeletons(codebase, decomposition, root, [service], SkeletonOptions())
    codebase, decomposition = facts()  # (facts read again: nothing is shared with the first run)
    again = generate_skeletons(codebase, decomposition, root, [service], SkeletonOptions())
    assert first == again
