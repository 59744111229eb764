"""Values a Django monolith computes at import reach its services where they safely can.

Settings read from the environment are copied; nothing else computed is: the monolith's settings
are untrusted, so only expressions made of literals, environment reads, a few string methods and
conversions, and settings copied before them are written back, from the checked tree
(`ast.unparse`), never as the tree's text. Its bootstrap calls (`django_stubs_ext.monkeypatch()`)
are repeated from a list. Its root urlconf's values (a route prefix) come with their literal default.
"""

from __future__ import annotations

import ast

import pytest

from strangler.skeleton.django_project import find_settings, settings_text
from strangler.skeleton.settings_expression import environment_expression, names_used


def _api_settings(sources: dict[str, str]) -> str:
    """The settings of a service `api` that moved `hc.api`, from the monolith's `sources`."""
    settings = find_settings(sources)
    assert settings is not None
    return settings_text(
        service="api", package="api", settings=settings, local={"hc.api": "api"}, sources=sources
    )


def _copied(text: str, known: frozenset[str] = frozenset()) -> str | None:
    return environment_expression(ast.parse(text, mode="eval").body, known)


@pytest.mark.parametrize(
    "text",
    [
        'os.getenv("STATSD_HOST")',
        'os.environ.get("DEBUG", "False") == "True"',
        'os.getenv("SITE_ROOT", "http://localhost:8000").removesuffix("/")',
        'int(os.getenv("PORT", "8000"))',
        'os.getenv("HOSTS", "a,b").split(",")',
        'os.getenv("A") or os.getenv("B") or "default"',
        'not os.getenv("OFF")',
        '{"host": os.getenv("HOST"), "ports": [1, 2]}',
        '{"ttl": 4 * 604800, "offset": -2.5, "check": datetime.timedelta(weeks=12)}',
        "timedelta(days=1, seconds=-30 + 4 * 2)",
    ],
)
def test_values_read_from_the_environment_are_copied(text: str) -> None:
    assert _copied(text) == ast.unparse(ast.parse(text, mode="eval"))


@pytest.mark.parametrize(
    "text",
    [
        'os.system("rm -rf ~")',
        '__import__("os").getenv("X")',
        'envbool("DEBUG", "False")',  # a helper of the monolith: settings_helpers decides
        'os.getenv("X").format(secret=1)',
        'os.environ["X"]',  # a KeyError at start-up when unset
        'getenv("X")',
        'open("/etc/passwd").read()',
        "(lambda: 1)()",
        "f\"{os.getenv('X')}\"",
        'os.getenv("X", SITE_ROOT)',  # a name not copied before it
        "os.getenv(*ARGS)",
        'os.getenv(key="X")',
        'str.join(",", [])',
        '[x for x in "ab"]',
        'os.getenv("X")[0]',
        'os.getenv("X") * 10**9',
        '"x" * 1000000000',  # multiplying is for numbers only
        "4 ** 100000000",
        "timedelta(**OPTIONS)",
        'timedelta(days=os.getenv("D"))',
        "datetime.datetime.now()",
        'datetime.timedelta(days=int("1"))',
        "-os.getenv('X')",
    ],
)
def test_anything_else_computed_is_not(text: str) -> None:
    assert _copied(text) is None


def test_a_setting_copied_before_may_be_used() -> None:
    assert _copied('os.getenv("PING", SITE_ROOT + "/ping/")', frozenset({"SITE_ROOT"})) == (
        "os.getenv('PING', SITE_ROOT + '/ping/')"
    )
    assert names_used("os.getenv('PING', SITE_ROOT + '/ping/')") == {"SITE_ROOT"}
    assert names_used("int(os.getenv('PORT', '1'))") == frozenset()


def test_a_hostile_default_stays_a_string() -> None:
    """A default written to break out of the line comes back as one string literal."""
    text = 'os.getenv("X", "a\\"); import shutil; shutil.rmtree(\\"/")'
    copied = _copied(text)
    assert copied is not None
    tree = ast.parse(copied, mode="eval").body
    assert isinstance(tree, ast.Call) and isinstance(tree.args[1], ast.Constant)
    assert tree.args[1].value == 'a"); import shutil; shutil.rmtree("/'


HEALTHCHECKS_LIKE = """\
import os
import django_stubs_ext

django_stubs_ext.monkeypatch()

def envbool(name, default):
    return os.getenv(name, default) == "True"

INSTALLED_APPS = ["hc.api"]
DEBUG = envbool("DEBUG", "False")
SITE_ROOT = os.getenv("SITE_ROOT", "http://localhost:8000").removesuffix("/")
PING_ENDPOINT = os.getenv("PING_ENDPOINT", SITE_ROOT + "/ping/")
MASTER_BADGE_LABEL = os.getenv("MASTER_BADGE_LABEL", DEBUG)
STATSD_HOST = os.getenv("STATSD_HOST")
TITLE = "Mychecks"
"""


def test_a_service_has_the_settings_its_monolith_reads_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sources = {"hc.settings": HEALTHCHECKS_LIKE, "hc.api": ""}
    text = _api_settings(sources)
    compile(text, "settings", "exec")
    wanted = {"SITE_ROOT", "PING_ENDPOINT", "STATSD_HOST", "TITLE", "DEBUG", "MASTER_BADGE_LABEL"}
    copied = [line for line in text.splitlines() if line.split(" = ")[0] in wanted]
    names = ["DEBUG", "SITE_ROOT", "PING_ENDPOINT", "MASTER_BADGE_LABEL", "STATSD_HOST", "TITLE"]
    assert [line.split(" = ")[0] for line in copied] == names
    # the monolith's helper comes with the setting that calls it (settings_helpers), before it
    helper = text[text.index("# strangler: functions of hc.settings") : text.index("ALLOWED_HOSTS")]
    assert "def envbool(name, default):" in helper
    # the copied lines compute what the monolith computes, from this environment
    monkeypatch.setenv("SITE_ROOT", "https://hc.example.org/")
    monkeypatch.setenv("DEBUG", "True")
    monkeypatch.delenv("PING_ENDPOINT", raising=False)
    monkeypatch.delenv("MASTER_BADGE_LABEL", raising=False)
    scope: dict[str, object] = {}
    exec(compile(helper + "\n".join(copied), "copied", "exec"), scope)
    assert scope["SITE_ROOT"] == "https://hc.example.org"
    assert scope["PING_ENDPOINT"] == "https://hc.example.org/ping/"
    assert scope["TITLE"] == "Mychecks"
    assert scope["DEBUG"] is True and scope["MASTER_BADGE_LABEL"] is True


def test_a_value_computed_from_a_setting_left_out_is_left_out_too() -> None:
    """`HANDLER` names code that stays in the monolith, so it is a note; what reads it is one too
    (written, it would fail with a NameError at start-up)."""
    source = (
        'INSTALLED_APPS = ["hc.api"]\n'
        'HANDLER = "hc.logs.Handler"\n'
        'LOG_HANDLER = os.getenv("LOG_HANDLER", HANDLER)\n'
    )
    sources = {"hc.settings": source, "hc.api": "", "hc.logs": "class Handler: ...\n"}
    text = _api_settings(sources)
    assert "# strangler: HANDLER names hc.logs.Handler, which stays in the monolith" in text
    assert "# strangler: LOG_HANDLER is computed from HANDLER, not copied: set it here by hand" in text
    compile(text, "settings", "exec")


def test_the_monolith_s_bootstrap_calls_are_repeated_and_nothing_else() -> None:
    """healthchecks' settings call `django_stubs_ext.monkeypatch()`, without which its
    `admin.ModelAdmin[Check]` fails while imported; other top-level calls are not repeated, and a
    known call with arguments is not either (written from the list, never from the tree)."""
    from strangler.skeleton.django_project import bootstrap_modules

    source = (
        "import os, django_stubs_ext\n"
        "django_stubs_ext.monkeypatch()\n"
        "django_stubs_ext.monkeypatch(extra_classes=[os.system('id')])\n"
        "os.system('id')\n"
        'INSTALLED_APPS = ["hc.api"]\n'
    )
    settings = find_settings({"hc.settings": source, "hc.api": ""})
    assert settings is not None and settings.bootstraps == ("django_stubs_ext.monkeypatch",)
    assert bootstrap_modules(settings) == ("django_stubs_ext",)
    text = settings_text(
        service="api",
        package="api",
        settings=settings,
        local={"hc.api": "api"},
        sources={"hc.settings": source},
    )
    assert "import django_stubs_ext\n\ndjango_stubs_ext.monkeypatch()\n" in text
    assert "os.system" not in text and "extra_classes" not in text
    assert text.index("django_stubs_ext.monkeypatch()") < text.index("INSTALLED_APPS")
    plain = find_settings({"hc.settings": 'INSTALLED_APPS = ["hc.api"]\n', "hc.api": ""})
    assert plain is not None and bootstrap_modules(plain) == ()


HEALTHCHECKS_URLS = """\
from urllib.parse import urlparse

from django.conf import settings
from django.urls import include, path

from hc.accounts import views as accounts_views

prefix = ""
if _path := urlparse(settings.SITE_ROOT).path.lstrip("/"):
    prefix = f"{_path}/"
version = compute_version()

urlpatterns = [
    path(f"{prefix}admin/login/", accounts_views.login),
    path(prefix, include("hc.payments.urls")),
    path(f"v{version}/", include("hc.payments.api_urls")),
    path(prefix, include("hc.front.urls")),
]
"""


def test_a_root_pattern_keeps_the_prefix_its_urlconf_computes() -> None:
    """healthchecks mounts every app under `prefix` ("" unless $SITE_ROOT has a path): the
    service's urls define it with its default and say so; a pattern using a value with no literal
    default is left out with a note, not written to fail with a NameError at start-up."""
    from strangler.skeleton.django_project import urls_text
    from strangler.skeleton.sources import read_module

    modules = ("hc.urls", "hc.payments.urls", "hc.payments.api_urls", "hc.front.urls", "hc.accounts.views")
    sources = dict.fromkeys(modules, "")
    sources["hc.urls"] = HEALTHCHECKS_URLS
    sources["hc.settings"] = 'INSTALLED_APPS = ["hc.payments"]\nROOT_URLCONF = "hc.urls"\n'
    known = frozenset(sources)
    texts = {m: read_module(m, False, sources[m], known) for m in sources}
    text = urls_text(
        package="payments",
        settings=find_settings(sources),
        texts=texts,
        sources=sources,
        local={"hc.payments.urls": "payments.urls", "hc.payments.api_urls": "payments.api_urls"},
        moved=frozenset({"hc.payments.urls", "hc.payments.api_urls"}),
        prefix="/_strangler/ops/",
    )
    compile(text, "urls", "exec")
    assert "prefix = ''\n" in text
    assert "may set prefix otherwise at import (computed); this is its default" in text
    assert 'path(prefix, include("payments.urls"))' in text
    assert "uses version, computed by the monolith's urlconf: left out" in text
    assert "api_urls" not in text and "hc.front" not in text and "admin/login" not in text


def test_settings_computed_by_the_monolith_s_code_are_named_not_dropped_silently() -> None:
    """Here `envbool` reads a third-party package (settings_helpers does not copy it)."""
    source = HEALTHCHECKS_LIKE.replace('os.getenv(name, default) == "True"', 'environ.Env()(name) == "True"')
    sources = {"hc.settings": "import environ\n" + source, "hc.api": ""}
    settings = find_settings(sources)
    assert settings is not None and settings.computed == ("DEBUG", "MASTER_BADGE_LABEL")
    text = settings_text(
        service="api", package="api", settings=settings, local={"hc.api": "api"}, sources=sources
    )
    assert "# strangler: 2 setting(s) the monolith's code computes are not copied" in text
    assert "#   DEBUG, MASTER_BADGE_LABEL" in text
    compile(text, "settings", "exec")


def test_third_party_apps_the_service_imports_are_installed_the_others_named() -> None:
    source = (
        'INSTALLED_APPS = ["django.contrib.auth", "rest_framework", "rest_framework.authtoken", "compressor",'
        ' "allauth.account.apps.AccountConfig", "taggit.apps.TaggitConfig", "hc.api", "hc.front"]\n'
    )
    code = "from rest_framework import serializers\nimport allauth.account.utils\n"
    sources = {"hc.settings": source, "hc.api": code, "hc.front": ""}
    text = _api_settings(sources)
    apps = text[text.index("INSTALLED_APPS = [") : text.index("]", text.index("INSTALLED_APPS"))]
    assert (
        '"rest_framework",' in apps and '"allauth.account.apps.AccountConfig",' in apps and '"api",' in apps
    )
    assert (
        "compressor" not in apps
        and "hc.front" not in apps
        and "authtoken" not in apps
        and "taggit" not in apps
    )
    left = "rest_framework.authtoken, compressor, taggit.apps.TaggitConfig"
    assert (
        f"third-party apps of the monolith not installed (no code of this service imports them): {left}"
        in text
    )


def test_the_middleware_of_an_installed_third_party_app_comes_with_it() -> None:
    source = (
        'INSTALLED_APPS = ["allauth", "allauth.account", "axes", "hc.api"]\n'
        'MIDDLEWARE = ["allauth.account.middleware.AccountMiddleware", "axes.middleware.AxesMiddleware"]\n'
    )
    text = _api_settings(
        {"hc.settings": source, "hc.api": "from allauth.account.models import EmailAddress\n"}
    )
    middleware = text[text.index("MIDDLEWARE = [") : text.index("]", text.index("MIDDLEWARE = ["))]
    assert '"allauth.account.middleware.AccountMiddleware",' in middleware and "axes" not in middleware
    assert "middleware not carried over: axes.middleware.AxesMiddleware" in text


@pytest.mark.parametrize(
    ("declared", "driver"),
    [({"psycopg2-binary"}, ("psycopg2",)), ({"psycopg"}, ("psycopg",)), (set(), ("psycopg",))],
)
def test_a_service_installing_contrib_postgres_requires_the_monolith_s_driver(
    declared: set[str], driver: tuple[str, ...]
) -> None:
    from strangler.skeleton.django_project import driver_modules

    code = {"hc.api": "from django.contrib.postgres.search import SearchVector\n", "hc.front": "import os\n"}
    assert driver_modules(code, {"hc.api": "api"}, declared) == driver
    assert driver_modules(code, {"hc.front": "front"}, declared) == ()


def test_durations_and_products_of_numbers_are_copied_with_what_they_import() -> None:
    source = (
        "import datetime\n"
        'INSTALLED_APPS = ["hc.api"]\n'
        "TTL = 4 * 604800\n"
        'APP = {"CHECK": datetime.timedelta(weeks=12), "TTL": TTL}\n'
    )
    text = _api_settings({"hc.settings": source, "hc.api": ""})
    assert "TTL = 4 * 604800" in text and "'CHECK': datetime.timedelta(weeks=12)" in text
    assert "import datetime\n" in text and "from datetime import timedelta\n" in text
    scope: dict[str, object] = {"__file__": "/srv/api/api_project/settings.py"}
    exec(compile(text[: text.index("INSTALLED_APPS")] + "\n", "head", "exec"), scope)  # the header imports
    exec(compile("APP = {'CHECK': datetime.timedelta(weeks=12)}", "app", "exec"), scope)
    plain = _api_settings({"hc.settings": 'INSTALLED_APPS = ["hc.api"]\nX = 1\n', "hc.api": ""})
    assert "import datetime" not in plain


def test_constants_the_settings_import_from_the_monolith_come_by_value() -> None:
    """wger's `WGER_SETTINGS` reads `DOWNLOAD_INGREDIENT_WGER` from `wger.utils.constants`."""
    settings = (
        "from hc.lib.constants import LIMIT, NOTE, COMPUTED, lower\n"
        "from .local import FLAG\n"
        'INSTALLED_APPS = ["hc.api"]\n'
        'APP = {"limit": LIMIT, "flag": FLAG, "note": NOTE}\n'
        "OTHER = COMPUTED\n"
    )
    constants = 'LIMIT = 20\nNOTE = "a\\"\\nimport os; os.system(1)"\nCOMPUTED = len("x")\nlower = 1\n'
    sources = {
        "hc.settings": settings,
        "hc.lib.constants": constants,
        "hc.local": "FLAG = True\n",
        "hc.api": "",
    }
    text = _api_settings(sources)
    compile(text, "settings", "exec")
    assert "LIMIT = 20  # from hc.lib.constants\n" in text and "FLAG = True  # from hc.local\n" in text
    assert "APP = {'limit': LIMIT, 'flag': FLAG, 'note': NOTE}" in text
    assert "OTHER" not in text.split("computes are not copied")[0] and "COMPUTED =" not in text
    note = next(line for line in text.splitlines() if line.startswith("NOTE = "))
    assert ast.literal_eval(note.split(" = ", 1)[1].split("  # from")[0]) == 'a"\nimport os; os.system(1)'
