"""A project's own subclass of a framework class routes like the framework's: mealie's
`UserAPIRouter(APIRouter)`, a Flask `Blueprint` subclass. A class only named like one does not."""

from __future__ import annotations

import analyzers
from analyzers.options import AnalysisOptions
from tests.conftest import FIXTURES

ROOT = FIXTURES / "fw_owner_subclass_app"


def test_subclasses_of_apirouter_and_blueprint_keep_their_prefixes() -> None:
    codebase = analyzers.analyze(ROOT, AnalysisOptions(history=False, cache=False))
    routes = {(r.path, r.methods, r.handler, r.framework) for r in codebase.routes}
    assert routes == {
        # AdminAPIRouter(prefix="/users") derives from APIRouter through UserAPIRouter
        ("/api/users", ("GET",), "app.routers.users.list_users", "fastapi"),
        ("/api/users/{user_id}", ("GET",), "app.routers.users.get_user", "fastapi"),
        # MockAPIRouter is no router (and reports.py imports no framework): `daily` is no route
        ("/auth/login", ("POST",), "web.views.login", "flask"),
        # PrefectRouter(APIRouter), annotated assignment
        ("/api/flows/count", ("POST",), "app.routers.flows.count_flows", "fastapi"),
    }
