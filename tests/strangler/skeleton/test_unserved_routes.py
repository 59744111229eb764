"""Routes a skeleton cannot serve are listed for wiring by hand, never picked by its smoke test: a
Django route under a prefix computed at run time. Those under `i18n_patterns(...)` are served
(the service's urls carry them under the language prefix) and listed with it, the proxy keeping
them on the monolith."""

from __future__ import annotations

import dataclasses

from analyzers.model import LANGUAGE_PREFIX
from strangler.skeleton.project import readme_text, smoke_route
from strangler.skeleton.service_tree import unserved_routes
from tests.builders import route
from tests.security.test_generated_code import _spec

I18N = dataclasses.replace(
    route("/gym/add", "wger.gym.views", framework="django"), unknown_prefix=LANGUAGE_PREFIX
)
PLAIN = route("/api/v2/gym/", "wger.gym.api", framework="django")


COMPUTED = dataclasses.replace(
    route("/reports", "wger.gym.reports", framework="django"), unknown_prefix="url_prefix=PREFIX"
)


def test_a_django_route_under_a_computed_prefix_is_unserved_and_listed() -> None:
    assert unserved_routes([I18N, PLAIN, COMPUTED], "django", set()) == (COMPUTED,)
    spec = _spec(service="gym", package="gym", routes=(PLAIN,), framework="django", unserved=(COMPUTED,))
    readme = readme_text(spec)
    section = readme[readme.index("## Routes to wire by hand") :]
    assert "url_prefix=PREFIX" in section and "/reports" in section
    assert "blueprint" not in section and "language prefix" not in readme
    assert smoke_route(spec.routes) == "/api/v2/gym/"
    assert smoke_route((COMPUTED,)) == ""  # (its real path is not /reports: never called)


def test_a_django_route_under_the_language_prefix_is_served_and_said_so() -> None:
    spec = _spec(service="gym", package="gym", routes=(I18N, PLAIN), framework="django")
    readme = readme_text(spec)
    assert "- `GET /<language>/gym/add`" in readme and "- `GET /api/v2/gym/`" in readme
    section = readme[readme.index("## Routes under the language prefix") :]
    assert section.startswith("## Routes under the language prefix\n\n1 of the routes above")
    assert "keep them on the" in section and "Routes to wire by hand" not in readme
    assert smoke_route(spec.routes) == "/api/v2/gym/"
    assert smoke_route((I18N,)) == ""  # (its real path is not /gym/add: never called)


def test_flask_routes_keep_their_own_rule() -> None:
    flask = route("/x", "app.views")
    assert unserved_routes([dataclasses.replace(flask, unknown_prefix="")], "flask", set()) == ()
