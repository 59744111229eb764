"""Routes a skeleton cannot serve are listed for wiring by hand, never picked by its smoke test: a
Django route under `i18n_patterns(...)` (its real path starts with the language code, and the
service's urls do not carry it)."""

from __future__ import annotations

import dataclasses

from analyzers.web.django_urls import LANGUAGE_PREFIX
from strangler.skeleton.project import readme_text, smoke_route
from strangler.skeleton.service_tree import unserved_routes
from tests.builders import route
from tests.security.test_generated_code import _spec

I18N = dataclasses.replace(
    route("/gym/add", "wger.gym.views", framework="django"), unknown_prefix=LANGUAGE_PREFIX
)
PLAIN = route("/api/v2/gym/", "wger.gym.api", framework="django")


def test_a_django_route_under_a_computed_prefix_is_unserved_and_listed() -> None:
    assert unserved_routes([I18N, PLAIN], "django", set()) == (I18N,)
    spec = _spec(service="gym", package="gym", routes=(PLAIN,), framework="django", unserved=(I18N,))
    readme = readme_text(spec)
    section = readme[readme.index("## Routes to wire by hand") :]
    assert "language code of the request" in section and "/gym/add" in section
    assert "blueprint" not in section
    assert smoke_route(spec.routes) == "/api/v2/gym/"
    assert smoke_route((I18N,)) == ""  # (its real path is not /gym/add: never called)


def test_flask_routes_keep_their_own_rule() -> None:
    flask = route("/x", "app.views")
    assert unserved_routes([dataclasses.replace(flask, unknown_prefix="")], "flask", set()) == ()
