"""Route facts of issue #14 (routing that never sends a request to the wrong place): prefixes passed
through helper functions and class attributes, unknown prefixes never taken for the site root,
custom Django path converters, DRF @action routes, views wrapped in decorator calls in urls.py,
Flask-AppBuilder @expose views, Flask-RESTX namespaces and MethodViews, and a diagnostic for every
route the analysis cannot list."""

from __future__ import annotations

import re
from pathlib import Path

from analyzers.frameworks.joining import FrameworkResult
from analyzers.model import Route
from tests.analyzers.python.test_scope import framework_result
from tests.builders import write_tree

UNKNOWN = "/{unknown prefix}"
LIST, DETAIL = ("GET", "POST"), ("DELETE", "GET", "PATCH", "PUT")


def result_of(tmp_path: Path, files: dict[str, str]) -> FrameworkResult:
    return framework_result(write_tree(tmp_path, files))[0]


def paths_of(result: FrameworkResult) -> set[tuple[str, str]]:
    return {(r.path, r.handler) for r in result.routes}


def route(result: FrameworkResult, path: str) -> Route:
    return next(r for r in result.routes if r.path == path)


# --- 1. prefixes through helper functions and class attributes --------------------------------------

DATASET_VIEWS = """
from flask import Blueprint
from flask.views import MethodView

dataset = Blueprint("dataset", __name__, url_prefix="/dataset")


def search():
    return []


def read(id):
    return {}


class CreateView(MethodView):
    def get(self):
        return ""

    def post(self):
        return ""


def register_rules(blueprint: Blueprint):
    blueprint.add_url_rule("/", view_func=search)
    blueprint.add_url_rule("/new", view_func=CreateView.as_view("new"))
    blueprint.add_url_rule("/<id>", view_func=read)
    edit = CreateView.as_view("edit")
    blueprint.add_url_rule("/edit/<id>", view_func=edit)


register_rules(dataset)


def register_more(bp):
    bp.add_url_rule("/more", view_func=search)


def init_app(app):
    app.add_url_rule("/health", view_func=login_required(search))  # a wrapped view


def register_nested(bp, depth):
    bp.add_url_rule("/nested", view_func=search)
    if depth:
        register_nested(bp, depth - 1)  # calls itself: what the outer call gives


register_nested(dataset, 2)
"""

PLUGINS = """
from flask import Blueprint

from shop.views.dataset import register_rules, search

reports = Blueprint("reports", __name__, url_prefix="/reports")
other = Blueprint("other", __name__, url_prefix="/other")
register_rules(reports)


def register_all(target):
    register_rules(target)


register_all(other)


def register_plugin(kind):
    from shop.views.dataset import register_rules as rules

    plugin_bp = Blueprint(kind, __name__, url_prefix="/{}".format(kind))
    rules(plugin_bp)


class Extension:
    base = "/ext/v2"

    def register(self, app):
        app.add_url_rule(self.base + "/items", view_func=search)
        app.add_url_rule(f"{self.base}/tags", view_func=search)
        app.add_url_rule(config.PREFIX + "/loose", view_func=search)
"""

ROUTERS = """
from fastapi import APIRouter, FastAPI

items = APIRouter(prefix="/items")


def add_routes(router: APIRouter):
    @router.get("/{item_id}")
    def get_item(item_id: int):
        return {}


add_routes(items)
app = FastAPI()
app.include_router(items, prefix="/v1")


def create_app():
    application = FastAPI()
    orders = APIRouter(prefix="/orders")

    def register(r):
        @r.post("/")
        def create_order():
            return {}

    register(orders)  # a helper nested in the factory
    application.include_router(orders)
    return application
"""


def helper_tree(tmp_path: Path) -> FrameworkResult:
    files = {
        "shop/__init__.py": "",
        "shop/views/__init__.py": "",
        "shop/views/dataset.py": DATASET_VIEWS,
        "shop/plugins.py": PLUGINS,
        "api/__init__.py": "",
        "api/main.py": ROUTERS,
    }
    return result_of(tmp_path, files)


def test_rules_added_by_a_helper_get_the_prefix_of_the_blueprint_it_is_given(tmp_path: Path) -> None:
    result = helper_tree(tmp_path)
    found = {(r.path, r.methods) for r in result.routes if r.module == "shop.views.dataset"}
    # CKAN: register_rules(dataset), register_rules(reports) from another module, and through a
    # second helper (register_all(other)); not "/", "/new", "/<id>" at the site root
    for prefix in ("/dataset", "/reports", "/other"):
        assert (f"{prefix}/", ("GET",)) in found
        assert (f"{prefix}/new", ("GET", "POST")) in found  # a MethodView: the verbs it defines
        assert (f"{prefix}/<id>", ("GET",)) in found
        assert (f"{prefix}/edit/<id>", ("GET", "POST")) in found  # a local bound to CreateView.as_view()
    assert not {p for p, _ in found} & {"/", "/new", "/<id>", "/more", "/nested", f"{UNKNOWN}/nested"}
    assert ("/dataset/nested", ("GET",)) in found
    assert route(result, "/dataset/new").name == "dataset.new"
    assert route(result, "/reports/<id>").name == "reports.read"


def test_a_prefix_that_cannot_be_read_is_marked_never_the_site_root(tmp_path: Path) -> None:
    result = helper_tree(tmp_path)
    # a blueprint created with a computed url_prefix, handed to the helper through a local import
    plugin = {r.path: r.unknown_prefix for r in result.routes if r.unknown_prefix.startswith("'/{}'")}
    assert set(plugin) == {f"{UNKNOWN}/", f"{UNKNOWN}/new", f"{UNKNOWN}/<id>", f"{UNKNOWN}/edit/<id>"}
    assert set(plugin.values()) == {"'/{}'.format(kind) (prefix of plugin_bp)"}
    # a helper no call binds: its parameter is no known blueprint
    more = route(result, f"{UNKNOWN}/more")
    assert more.unknown_prefix == "bp, a parameter of register_more() no call of the code binds"
    # a parameter named `app` is the application: the site root
    health = route(result, "/health")
    assert (health.handler, health.unknown_prefix) == ("shop.views.dataset.search", "")
    known = [r for r in result.routes if UNKNOWN not in r.path]
    assert all(not r.unknown_prefix for r in known)


def test_unknown_prefixes_are_diagnostics_naming_the_route(tmp_path: Path) -> None:
    result = helper_tree(tmp_path)
    found = {(d.path, d.line, d.kind): d.message for d in result.diagnostics}
    assert set(found) == {
        ("shop/plugins.py", 21, "computed-route"),  # rules(plugin_bp): one for its 3 routes
        ("shop/plugins.py", 31, "computed-route"),  # config.PREFIX + "/loose"
        ("shop/views/dataset.py", 36, "unresolved-route"),  # register_more(bp), never called
    }
    computed = found[("shop/plugins.py", 21, "computed-route")]
    assert computed.startswith(f"route {UNKNOWN}/")
    assert "and 3 more route(s)" in computed
    assert "'/{}'.format(kind) (prefix of plugin_bp)" in computed
    assert "literal prefix" in computed  # how to make it routable
    unresolved = found[("shop/views/dataset.py", 36, "unresolved-route")]
    assert f"route {UNKNOWN}/more (shop.views.dataset.search)" in unresolved
    assert "register_more()" in unresolved


def test_class_attribute_prefixes_and_fastapi_helpers(tmp_path: Path) -> None:
    result = helper_tree(tmp_path)
    paths = {r.path for r in result.routes}
    assert {"/ext/v2/items", "/ext/v2/tags"} <= paths  # `self.base + "/items"`, f"{self.base}/tags"
    loose = route(result, f"{UNKNOWN}/loose")  # config.PREFIX: no constant of the code
    assert loose.unknown_prefix == "config.PREFIX"
    fastapi = route(result, "/v1/items/{item_id}")
    nested = route(result, "/orders/")
    assert (nested.methods, nested.handler) == (("POST",), "api.main.create_app.register.create_order")
    assert (fastapi.framework, fastapi.methods, fastapi.handler) == (
        "fastapi",
        ("GET",),
        "api.main.add_routes.get_item",
    )


# --- 2. custom Django path converters -------------------------------------------------------------

CONVERTER_FILES = {
    "proj/__init__.py": "",
    "proj/settings.py": 'ROOT_URLCONF = "proj.urls"\n',
    "proj/converters.py": (
        "class PathPartConverter:\n"
        "    regex = '.+'\n\n"
        "    def to_python(self, value):\n        return value\n\n\n"
        "class YearConverter:\n    regex = '[0-9]{4}'\n\n\n"
        "class ShortYear(YearConverter):\n    pass\n"
    ),
    "proj/views.py": "".join(
        f"def {name}(request, **kw):\n    pass\n\n\n" for name in ("file", "archive", "odd", "item")
    ),
    "proj/urls.py": (
        "from django.urls import include, path, register_converter\n"
        "from proj import converters, views\n"
        "from proj.converters import ShortYear\n\n"
        "register_converter(converters.PathPartConverter, 'anypath')\n"
        "register_converter(ShortYear, 'yy')\n\n"
        "urlpatterns = [\n"
        "    path('files/<anypath:name>', views.file),\n"
        "    path('archive/', include([path('<yy:year>/', views.archive)])),\n"
        "    path('odd/<mystery:x>/', views.odd),\n"
        "    path('items/<int:pk>/', views.item),\n"
        "]\n"
    ),
}


def test_a_custom_converter_matches_its_regex(tmp_path: Path) -> None:
    result = result_of(tmp_path, CONVERTER_FILES)
    by_handler = {r.handler: (r.path, r.is_regex) for r in result.routes}
    assert by_handler["proj.views.file"] == ("^/files/(?P<name>.+)$", True)  # several segments
    assert re.match(by_handler["proj.views.file"][0], "/files/a/b/c.txt")
    assert by_handler["proj.views.archive"] == ("^/archive/(?P<year>[0-9]{4})/$", True)  # inherited regex
    assert by_handler["proj.views.item"] == ("/items/<int:pk>/", False)  # built-in: unchanged
    assert by_handler["proj.views.odd"] == ("/odd/<mystery:x>/", False)  # unknown: as before...
    [diagnostic] = [d for d in result.diagnostics if d.kind == "unknown-converter"]
    assert (diagnostic.path, diagnostic.line) == ("proj/urls.py", 11)  # ...and said
    assert "'mystery'" in diagnostic.message


# --- 3. DRF @action routes -------------------------------------------------------------------------

DRF_FILES = {
    "proj/__init__.py": "",
    "proj/settings.py": 'ROOT_URLCONF = "proj.urls"\n',
    "proj/urls.py": (
        "from django.urls import include, path\n"
        "from rest_framework.routers import DefaultRouter\n"
        "from api.views import ProjectViewSet, TagViewSet\n\n"
        "router = DefaultRouter()\n"
        "router.register('projects', ProjectViewSet, basename='project')\n"
        "router.register(r'tags', TagViewSet)\n"
        "urlpatterns = [path('api/', include(router.urls))]\n"
    ),
    "api/__init__.py": "",
    "api/views.py": (
        "from rest_framework import viewsets\n"
        "from rest_framework.decorators import action\n\n\n"
        "class SyncMixin:\n"
        "    @action(detail=True, methods=['post'])\n"
        "    def sync(self, request, pk=None):\n        pass\n\n"
        "    @action(detail=False)\n"
        "    def hidden(self, request):\n        pass\n\n\n"
        "class ProjectViewSet(SyncMixin, viewsets.ModelViewSet):\n"
        "    lookup_field = 'slug'\n"
        "    lookup_value_regex = '[^/]+'\n\n"
        "    @action(detail=False, url_path='recent-items', url_name='recent')\n"
        "    def recent(self, request):\n        pass\n\n"
        "    @action(detail=True, methods=['get', 'delete'])\n"
        "    def members(self, request, slug=None):\n        pass\n\n"
        "    @members.mapping.post\n"
        "    def add_member(self, request, slug=None):\n        pass\n\n"
        "    def hidden(self, request):  # overridden without @action: no route\n        pass\n\n\n"
        "class TagViewSet(viewsets.ViewSet):\n"
        "    lookup_url_kwarg = 'tag_id'\n\n"
        "    @action(detail=True, url_path=r'colors/(?P<color>[a-z]+)')\n"
        "    def color(self, request, tag_id=None, color=None):\n        pass\n\n"
        "    @action(detail=False, methods=['get'])\n"
        "    def popular_tags(self, request):\n        pass\n"
    ),
}


def test_viewset_actions_are_routes(tmp_path: Path) -> None:
    result = result_of(tmp_path, DRF_FILES)
    found = {(r.path, r.methods, r.handler, r.name, r.is_regex) for r in result.routes}
    assert found == {
        ("/api/projects/", LIST, "api.views.ProjectViewSet", "project-list", False),
        # lookup_field and lookup_value_regex: a regex route
        ("^/api/projects/(?P<slug>[^/]+)/$", DETAIL, "api.views.ProjectViewSet", "project-detail", True),
        ("/api/projects/recent-items/", ("GET",), "api.views.ProjectViewSet.recent", "project-recent", False),
        (
            "^/api/projects/(?P<slug>[^/]+)/members/$",
            ("DELETE", "GET", "POST"),  # methods=[...] and @members.mapping.post
            "api.views.ProjectViewSet.members",
            "project-members",
            True,
        ),
        # inherited from a mixin of the codebase
        (
            "^/api/projects/(?P<slug>[^/]+)/sync/$",
            ("POST",),
            "api.views.ProjectViewSet.sync",
            "project-sync",
            True,
        ),
        ("/api/tags/", LIST, "api.views.TagViewSet", "", False),
        ("/api/tags/<tag_id>/", DETAIL, "api.views.TagViewSet", "", False),  # lookup_url_kwarg
        ("/api/tags/popular_tags/", ("GET",), "api.views.TagViewSet.popular_tags", "", False),
        (  # a url_path holding a regular expression
            "^/api/tags/(?P<tag_id>[^/.]+)/colors/(?P<color>[a-z]+)/$",
            ("GET",),
            "api.views.TagViewSet.color",
            "",
            True,
        ),
    }


# --- 4. views wrapped in decorator calls in urls.py ------------------------------------------------

WRAPPED_FILES = {
    "proj/__init__.py": "",
    "proj/settings.py": 'ROOT_URLCONF = "proj.urls"\n',
    "proj/views.py": (
        "from django.views import View\n\n\n"
        "class TokenView(View):\n    pass\n\n\n"
        "def index(request):\n    pass\n\n\n"
        "def page(request):\n    pass\n\n\n"
        "def hook(request):\n    pass\n\n\n"
        "def make_view(name):\n    return index\n"
    ),
    "proj/urls.py": (
        "from django.contrib.auth.decorators import login_required\n"
        "from django.urls import path\n"
        "from django.views.decorators.cache import cache_page\n"
        "from django.views.decorators.csrf import csrf_exempt, ensure_csrf_cookie\n"
        "from proj import views\n"
        "from proj.views import TokenView\n\n"
        "urlpatterns = [\n"
        "    path('token/', ensure_csrf_cookie(TokenView.as_view())),\n"
        "    path('', login_required(views.index), name='index'),\n"
        "    path('hook/', csrf_exempt(login_required(views.hook))),\n"
        "    path('page/', cache_page(60)(views.page)),\n"
        "    path('made/', views.make_view('x')),\n"
        "]\n"
    ),
}


def test_views_wrapped_in_decorator_calls_are_routes(tmp_path: Path) -> None:
    result = result_of(tmp_path, WRAPPED_FILES)
    assert paths_of(result) == {
        ("/token/", "proj.views.TokenView"),
        ("/", "proj.views.index"),
        ("/hook/", "proj.views.hook"),
        ("/page/", "proj.views.page"),
        ("/made/", "proj.views.make_view"),  # a view made by a factory: the factory handles it
    }
    assert route(result, "/").name == "index"
    assert not [d for d in result.diagnostics if d.kind == "unresolved-route"]


# --- 5. Flask-AppBuilder, Flask-RESTX namespaces, MethodView ---------------------------------------

FAB_FILES = {
    "app/__init__.py": (
        "from flask import Flask\n"
        "from flask_appbuilder import AppBuilder, SQLA\n\n"
        "app = Flask(__name__)\n"
        "db = SQLA(app)\n"
        "appbuilder = AppBuilder(app, db.session)\n\n"
        "from app import views  # noqa\n"
    ),
    "app/views.py": (
        "from flask_appbuilder import BaseView, ModelView, expose\n"
        "from flask_appbuilder.api import BaseApi, ModelRestApi\n"
        "from app import appbuilder\n\n\n"
        "class BaseReport(BaseView):\n"
        "    @expose('/health')\n"
        "    def health(self):\n        return 'ok'\n\n\n"
        "class ReportView(BaseReport):\n"
        "    route_base = '/reports'\n\n"
        "    @expose('/')\n"
        "    def index(self):\n        return ''\n\n"
        "    @expose('/run/<int:report_id>', methods=['GET', 'POST'])\n"
        "    def run(self, report_id):\n        return ''\n\n\n"
        "class GreetingApi(BaseApi):\n"
        "    resource_name = 'greeting'\n\n"
        "    @expose('/hello', methods=['GET'])\n"
        "    def greeting(self):\n        return {}\n\n\n"
        "class ChartApi(ModelRestApi):\n"
        "    include_route_methods = {'get', 'get_list'}\n\n\n"
        "class ContactView(ModelView):\n"
        "    exclude_route_methods = (\n"
        "        'download', 'action', 'action_post', 'show', 'add', 'edit', 'delete'\n"
        "    )\n\n"
        "    @expose('/export')\n"
        "    def export(self):\n        return ''\n\n\n"
        "class ComputedView(BaseView):\n"
        "    route_base = PREFIX + '/x'\n\n"
        "    @expose('/y')\n"
        "    def y(self):\n        return ''\n\n\n"
        "class Orphan(BaseView):\n"
        "    @expose('/lost')\n"
        "    def lost(self):\n        return ''\n\n\n"
        "appbuilder.add_view(ReportView, 'Reports')\n"
        "appbuilder.add_view_no_menu(ContactView())\n"
        "appbuilder.add_api(GreetingApi)\n"
        "appbuilder.add_api(ChartApi)\n"
        "appbuilder.add_view_no_menu(ComputedView)\n"
    ),
}


def test_appbuilder_exposed_methods_are_routes_under_the_route_base(tmp_path: Path) -> None:
    result = result_of(tmp_path, FAB_FILES)
    found = {(r.path, r.methods, r.handler, r.name) for r in result.routes}
    assert found == {
        ("/reports/", ("GET",), "app.views.ReportView.index", "ReportView.index"),
        ("/reports/run/<int:report_id>", ("GET", "POST"), "app.views.ReportView.run", "ReportView.run"),
        ("/reports/health", ("GET",), "app.views.ReportView.health", "ReportView.health"),  # inherited
        # an API: /api/<version>/<resource_name>
        ("/api/v1/greeting/hello", ("GET",), "app.views.GreetingApi.greeting", "GreetingApi.greeting"),
        # FAB's own ModelRestApi routes, as include_route_methods keeps them; route_base by class name
        ("/api/v1/chartapi/<int:pk>", ("GET",), "app.views.ChartApi.get", "ChartApi.get"),
        ("/api/v1/chartapi/", ("GET",), "app.views.ChartApi.get_list", "ChartApi.get_list"),
        # ModelView's own routes less those excluded, and its own exposed method
        ("/contactview/list/", ("GET",), "app.views.ContactView.list", "ContactView.list"),
        ("/contactview/export", ("GET",), "app.views.ContactView.export", "ContactView.export"),
        # a computed route_base: never at the site root
        (f"{UNKNOWN}/y", ("GET",), "app.views.ComputedView.y", "ComputedView.y"),
    }
    assert {r.framework for r in result.routes} == {"flask"}
    assert route(result, f"{UNKNOWN}/y").unknown_prefix == "route_base = PREFIX + '/x' of ComputedView"
    messages = {(d.kind, d.line): d.message for d in result.diagnostics}
    assert set(messages) == {("unresolved-route", 46), ("unresolved-route", 54)}
    assert "ComputedView" in messages[("unresolved-route", 46)]
    assert "Orphan" in messages[("unresolved-route", 54)]  # exposed, never registered: said


RESTX_FILES = {
    "svc/__init__.py": (
        "from flask import Blueprint, Flask\n"
        "from flask.views import MethodView\n"
        "from flask_restx import Api, Resource\n\n"
        "blueprint = Blueprint('api', __name__, url_prefix='/api')\n"
        "api = Api(blueprint, prefix='/v2')\n"
        "cats = api.namespace('cats', description='Cats')\n"
        "dogs = api.namespace('dogs', path='/canines')\n\n\n"
        "@cats.route('/<int:cat_id>')\n"
        "class Cat(Resource):\n"
        "    def get(self, cat_id):\n        return {}\n\n"
        "    def delete(self, cat_id):\n        return {}\n\n\n"
        "@dogs.route('/')\n"
        "class Dogs(Resource):\n"
        "    def get(self):\n        return []\n\n\n"
        "class Users(MethodView):\n"
        "    def get(self):\n        return []\n\n"
        "    def put(self):\n        return {}\n\n\n"
        "def create_app():\n"
        "    app = Flask(__name__)\n"
        "    app.register_blueprint(blueprint)\n"
        "    app.add_url_rule('/users', view_func=Users.as_view('users'))\n"
        "    return app\n"
    ),
}


def test_restx_namespaces_made_by_the_api_and_method_views(tmp_path: Path) -> None:
    result = result_of(tmp_path, RESTX_FILES)
    assert {(r.path, r.methods, r.handler) for r in result.routes} == {
        ("/api/v2/cats/<int:cat_id>", ("DELETE", "GET"), "svc.Cat"),  # api.namespace("cats")
        ("/api/v2/canines/", ("GET",), "svc.Dogs"),  # api.namespace("dogs", path="/canines")
        ("/users", ("GET", "PUT"), "svc.Users"),  # a MethodView: the verbs it defines
    }


# --- 6. what is not understood is a diagnostic ------------------------------------------------------


def test_route_decorators_on_unknown_owners_are_diagnostics(tmp_path: Path) -> None:
    files = {
        "web/__init__.py": "",
        "web/routes.py": (
            "from flask import Blueprint\n"
            "from web.factory import make_blueprint\n\n"
            "bp = make_blueprint('orders')\n\n\n"
            "@bp.route('/orders')\n"
            "def orders():\n    return []\n"
        ),
        "web/factory.py": "def make_blueprint(name):\n    return None\n",
        "tasks/__init__.py": "",
        "tasks/jobs.py": (  # no web framework imported: not listed, but said
            "from tasks.registry import registry\n\n\n@registry.route('/jobs/run')\ndef run():\n    pass\n"
        ),
    }
    result = result_of(tmp_path, files)
    assert paths_of(result) == {(f"{UNKNOWN}/orders", "web.routes.orders")}  # never "/orders"
    found = {(d.path, d.line, d.kind) for d in result.diagnostics}
    assert found == {("web/routes.py", 7, "unresolved-route"), ("tasks/jobs.py", 4, "unresolved-route")}


def test_a_project_router_builds_multi_field_lookups(tmp_path: Path) -> None:
    files = {
        "proj/__init__.py": "",
        "proj/settings.py": 'ROOT_URLCONF = "proj.urls"\n',
        "proj/routers.py": (
            "from rest_framework.routers import DefaultRouter\n\n\n"
            "class ApiRouter(DefaultRouter):\n    pass\n"
        ),
        "proj/urls.py": (
            "from django.urls import include, path\n"
            "from proj.routers import ApiRouter\n"
            "from proj.views import MemberViewSet\n\n"
            "router = ApiRouter()\n"
            "router.register('members', MemberViewSet)\n"
            "urlpatterns = [path('', include(router.urls))]\n"
        ),
        "proj/views.py": (
            "from rest_framework import viewsets\n"
            "from rest_framework.decorators import action\n\n\n"
            "class MemberViewSet(viewsets.ModelViewSet):\n"
            "    lookup_fields = ('team', 'username')\n\n"
            "    @action(detail=True, methods=['post'], url_path='reset-password')\n"
            "    def reset_password(self, request, team=None, username=None):\n        pass\n"
        ),
    }
    result = result_of(tmp_path, files)
    assert {(r.path, r.methods) for r in result.routes} == {
        ("/members/", LIST),
        ("/members/<team>/<username>/", DETAIL),
        ("/members/<team>/<username>/reset-password/", ("POST",)),
    }


# --- Django: routes under an include whose prefix is computed at run time -----------------------------

SPA_PROJECT = {
    "proj/__init__.py": "",
    "proj/settings.py": 'ROOT_URLCONF = "proj.urls"\nFRONTEND_URL_BASE = "app"\n',
    "proj/urls.py": (
        "from django.conf import settings\n"
        "from django.urls import include, path, re_path\n"
        "from proj import views\n\n"
        "urlpatterns = [\n"
        '    path("health/", views.health),\n'
        '    path(f"{settings.FRONTEND_URL_BASE}/", include("proj.front")),\n'
        "]\n"
    ),
    "proj/front.py": (
        "from django.urls import path, re_path\nfrom proj import views\n\n"
        'urlpatterns = [path("items/", views.items), re_path(r".*", views.spa)]\n'
    ),
    "proj/views.py": "def health(r):\n    pass\n\n\ndef items(r):\n    pass\n\n\ndef spa(r):\n    pass\n",
}


def test_django_routes_under_a_computed_include_prefix_are_marked(tmp_path: Path) -> None:
    """The SPA of issue #14: its routes are listed without the prefix, so they must carry
    `unknown_prefix` (the proxy then keeps them on the monolith), never pass for site-root routes."""
    result = result_of(tmp_path, SPA_PROJECT)
    by_handler = {r.handler: r for r in result.routes}
    assert by_handler["proj.views.health"].unknown_prefix == ""
    assert by_handler["proj.views.items"].unknown_prefix == "f'{settings.FRONTEND_URL_BASE}/'"
    assert by_handler["proj.views.spa"].unknown_prefix == "f'{settings.FRONTEND_URL_BASE}/'"
