"""The monolith patch of a FastAPI or Django monolith serves its internal API in its own framework.

End to end: the patched monolith (a copy of the fixture with `monolith_patch/files/` applied) and
the generated service answer together like the unpatched monolith did. The analyzed code is never
imported here: each side runs in a fresh interpreter. FastAPI: both apps in one interpreter behind
TestClients, `httpx.post` (what the generated clients call) routed to them by host. Django: two
settings cannot share a process, so the patched monolith runs Django's development server on a
local port and the service answers through Django's test client.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from strangler.skeleton import SkeletonOptions, generate_skeletons
from tests.builders import free_port, write_tree
from tests.skel_support import (
    DJANGO_FIXTURE,
    FASTAPI_FIXTURE,
    django_facts,
    fastapi_facts,
    run_python,
    serving,
)

pytest.importorskip("fastapi")
pytest.importorskip("django")

PATCH_FILES = "monolith_patch/files/"


def _patched_copy(fixture: Path, files: dict[str, str], target: Path) -> Path:
    shutil.copytree(fixture, target, ignore=shutil.ignore_patterns("__pycache__", "*.sqlite3"))
    write_tree(target, {p[len(PATCH_FILES) :]: t for p, t in files.items() if p.startswith(PATCH_FILES)})
    return target


# -- FastAPI -----------------------------------------------------------------------------------

FASTAPI_REQUESTS = [
    ("POST", "/stock/1/adjust", {"delta": 3}),  # the service calls get_product in the monolith
    ("POST", "/stock/99/adjust", {"delta": 1}),  # ... which answers None: 404 from the service
    ("GET", "/stock/1", None),
    ("GET", "/catalog/products/1", None),  # the monolith calls available() in the service
    ("GET", "/catalog/products/2", None),
]
#: Public traffic split like the proxy's phase 1: /stock to the service, the rest to the monolith.
FASTAPI_SPLIT = """
import json, os, sys
import httpx
from fastapi.testclient import TestClient
from fastshop.main import app as monolith_app
clients = {{"monolith": TestClient(monolith_app, base_url="http://monolith")}}
if {split}:
    from stock.webapp import create_app
    clients["stock"] = TestClient(create_app(), base_url="http://stock")
    calls = []

    def post(url, **kwargs):  # what the generated clients call: to the app of that host
        host = httpx.URL(url).host
        headers = httpx.Headers(kwargs["headers"])  # (names in any case, as HTTP has them)
        calls.append([host, httpx.URL(url).path, headers.get("X-Strangler-Internal-Token", ""),
                      headers.get("X-Request-Id", "")])
        return clients[host].post(url, **kwargs)

    httpx.post = post
answers = []
for index, (method, path, body) in enumerate({requests!r}):
    side = "stock" if {split} and path.startswith("/stock") else "monolith"
    response = clients[side].request(method, path, json=body, headers={{"X-Request-Id": f"r{{index}}"}})
    answers.append([response.status_code, response.json()])
if {split}:
    denied = clients["monolith"].post(
        "/_strangler/ops/fastshop.catalog.service.get_product", json={{"args": [1], "kwargs": {{}}}})
    answers.append(["denied without token", denied.status_code])
    answers.append(["calls", calls])
print(json.dumps(answers))
"""


def test_fastapi_monolith_patch_serves_the_service_end_to_end(tmp_path: Path) -> None:
    codebase, decomposition = fastapi_facts()
    files = generate_skeletons(codebase, decomposition, FASTAPI_FIXTURE, ["stock"], SkeletonOptions())
    write_tree(tmp_path / "out", files)
    api = files[PATCH_FILES + "fastshop/_strangler/internal_api.py"]
    assert "from fastapi import APIRouter, Request" in api
    assert 'router = APIRouter(prefix="/_strangler/ops")' in api
    assert "flask" not in api
    main = files[PATCH_FILES + "fastshop/main.py"]
    assert (
        "from fastshop._strangler.internal_api import forward_headers as strangler_forward_headers, "
        "router as strangler_internal_api\n" in main
    )
    assert (
        main.index('app.include_router(stock_router, prefix="/stock")\n')
        < main.index(
            'app.include_router(strangler_internal_api)\napp.middleware("http")(strangler_forward_headers)\n'
        )
        < main.index('@app.get("/health")')
    )

    monolith = _patched_copy(FASTAPI_FIXTURE, files, tmp_path / "monolith")
    service = tmp_path / "out" / "services" / "stock"
    expected = _last_json(
        run_python(
            FASTAPI_SPLIT.format(split=False, requests=FASTAPI_REQUESTS),
            cwd=tmp_path,
            path=[FASTAPI_FIXTURE],
        )
    )
    assert expected[0] == [200, {"product": "kettle", "available": 10}]
    assert expected[3] == [200, {"id": 1, "name": "kettle", "price_cents": 2500, "available": 10}]
    token = {"STRANGLER_INTERNAL_TOKEN": "s3cret"}
    actual = _last_json(
        run_python(
            FASTAPI_SPLIT.format(split=True, requests=FASTAPI_REQUESTS),
            cwd=tmp_path,
            path=[monolith, service],
            env={"MONOLITH_URL": "http://monolith", "STOCK_SERVICE_URL": "http://stock", **token},
        )
    )
    calls = actual.pop()[1]
    assert actual.pop() == ["denied without token", 403]
    assert actual == expected
    # both sides pass on the headers of the request they serve (here X-Request-Id: r<index>)
    back = ["monolith", "/_strangler/ops/fastshop.catalog.service.get_product", "s3cret"]
    forth = ["stock", "/_strangler/ops/fastshop.stock.service.available", "s3cret"]
    assert calls == [[*back, "r0"], [*back, "r1"], [*forth, "r3"], [*forth, "r4"]]


def _last_json(out: str) -> Any:
    return json.loads(out.strip().splitlines()[-1])


# -- Django ------------------------------------------------------------------------------------

DJANGO_CLIENT = """
import json
import django
django.setup()
from django.core.management import call_command
from django.test import Client
if {setup}:
    call_command("migrate", run_syncdb=True, verbosity=0)
client = Client()
answers = []
for method, path, body in {requests!r}:
    if method == "POST":
        response = client.post(path, body, content_type="application/json")
    else:
        response = client.get(path)
    answers.append([response.status_code, response.json()])
print(json.dumps(answers))
"""
DJANGO_FORWARD = """
import json
import django
django.setup()
import httpx
from django.test import Client
seen = []

def post(url, **kwargs):  # the service, answering that the product does not exist
    seen.append([httpx.URL(url).path, httpx.Headers(kwargs["headers"]).get("X-Request-Id", "")])
    return httpx.Response(200, json={"result": None})

httpx.post = post
response = Client().post("/orders/", {"product_id": 1}, content_type="application/json",
                         HTTP_X_REQUEST_ID="r-42")
print(json.dumps([[response.status_code, response.json()], *seen]))
"""
DJANGO_SETUP = [
    ("POST", "/catalog/products/", {"name": "kettle", "price_cents": 2500}),
    ("POST", "/orders/", {"product_id": 1, "quantity": 2}),
    ("POST", "/orders/", {"product_id": 1, "quantity": 3}),
]
#: product detail calls ordered_quantity(), which stays in the monolith
DJANGO_REQUESTS = [("GET", "/catalog/products/1/", None), ("GET", "/catalog/products/7/", None)]


def test_django_monolith_patch_serves_the_service_end_to_end(tmp_path: Path) -> None:
    codebase, decomposition = django_facts()
    files = generate_skeletons(codebase, decomposition, DJANGO_FIXTURE, ["catalog"], SkeletonOptions())
    write_tree(tmp_path / "out", files)
    api = files[PATCH_FILES + "djshop/_strangler/internal_api.py"]
    assert "def operation_view(request: HttpRequest, operation: str) -> JsonResponse:" in api
    assert "flask" not in api
    urls = files[PATCH_FILES + "djshop/urls.py"]
    assert '    path("_strangler/ops/<str:operation>", strangler_internal_api),\n]' in urls
    settings = files[PATCH_FILES + "djshop/settings.py"]
    assert (
        'MIDDLEWARE = [\n    "djshop._strangler.internal_api.forward_headers",\n'
        '    "django.middleware.common.CommonMiddleware",\n' in settings
    )

    db = tmp_path / "shared.sqlite3"  # the plan's shared-database phase
    monolith_env = {"DJANGO_SETTINGS_MODULE": "djshop.settings", "DJSHOP_DB": str(db)}
    seeded = _last_json(
        run_python(
            DJANGO_CLIENT.format(setup=True, requests=DJANGO_SETUP),
            cwd=tmp_path,
            path=[DJANGO_FIXTURE],
            env=monolith_env,
        )
    )
    assert [s for s, _ in seeded] == [201, 201, 201]
    expected = _last_json(
        run_python(
            DJANGO_CLIENT.format(setup=False, requests=DJANGO_REQUESTS),
            cwd=tmp_path,
            path=[DJANGO_FIXTURE],
            env=monolith_env,
        )
    )
    assert expected[0] == [200, {"id": 1, "name": "kettle", "price_cents": 2500, "ordered": 5}]

    monolith = _patched_copy(DJANGO_FIXTURE, files, tmp_path / "monolith")
    service = tmp_path / "out" / "services" / "catalog"
    port = free_port()
    token = {"STRANGLER_INTERNAL_TOKEN": "s3cret"}
    # --skip-checks: the fixture's settings list the admin without its middleware
    runserver = ["manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"]
    with serving(
        runserver,
        cwd=monolith,
        port=port,
        log=tmp_path / "monolith.log",
        env={**monolith_env, **token, "PYTHONPATH": str(monolith)},
    ) as url:
        actual = _last_json(
            run_python(
                DJANGO_CLIENT.format(setup=False, requests=DJANGO_REQUESTS),
                cwd=service,
                path=[service],
                env={
                    "DJANGO_SETTINGS_MODULE": "catalog_project.settings",
                    "MONOLITH_URL": url,
                    "DATABASE_URL": f"sqlite:///{db}",
                    **token,
                },
            )
        )
        import httpx

        denied = httpx.post(
            f"{url}/_strangler/ops/orders.services.ordered_quantity", json={"args": [1], "kwargs": {}}
        )
    assert actual == expected
    assert denied.status_code == 403
    # the patched monolith passes on the headers of the request it serves to the service
    forwarded = _last_json(
        run_python(
            DJANGO_FORWARD,
            cwd=tmp_path,
            path=[monolith],
            env={**monolith_env, "CATALOG_SERVICE_URL": "http://catalog"},
        )
    )
    assert forwarded == [
        [404, {"error": "no such product"}],
        ["/_strangler/ops/catalog.services.product_summary", "r-42"],
    ]


# -- the Django settings patch, on its own ---------------------------------------------------------


def test_forward_middleware_goes_first_in_any_literal_layout() -> None:
    from strangler.skeleton.monolith_frameworks import add_forward_middleware

    api = "shop._strangler.internal_api"
    entry = '"shop._strangler.internal_api.forward_headers"'
    assert (
        add_forward_middleware('MIDDLEWARE = ["a.B", "c.D"]\n', api)
        == f'MIDDLEWARE = [{entry}, "a.B", "c.D"]\n'
    )
    assert add_forward_middleware('MIDDLEWARE = ("a.B",)\n', api) == f'MIDDLEWARE = ({entry}, "a.B",)\n'
    assert add_forward_middleware("MIDDLEWARE = []\n", api) == f"MIDDLEWARE = [{entry}]\n"
    assert add_forward_middleware("MIDDLEWARE = ()\n", api) == f"MIDDLEWARE = ({entry},)\n"
    multi = 'X = 1\nMIDDLEWARE = [\n    "a.B",\n]\n'
    assert add_forward_middleware(multi, api) == f'X = 1\nMIDDLEWARE = [\n    {entry},\n    "a.B",\n]\n'
    # not a literal, or absent: nothing to edit (docs/skeletons.md says to add it by hand)
    assert add_forward_middleware("MIDDLEWARE = base.MIDDLEWARE + []\n", api) is None
    assert add_forward_middleware("DEBUG = True\n", api) is None
