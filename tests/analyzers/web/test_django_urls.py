"""Django urlconfs with include(), models and db_table, accesses, and dotted-string edges."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzers.frameworks.joining import FrameworkResult
from analyzers.model import IMPORT_STRING, Table
from tests.analyzers.python.test_scope import framework_result
from tests.builders import write_tree
from tests.conftest import FIXTURES

ROOT = FIXTURES / "fw_django_app"


@pytest.fixture(scope="module")
def result() -> FrameworkResult:
    return framework_result(ROOT)[0]


def test_urlconf_from_root_urlconf_with_includes(result: FrameworkResult) -> None:
    routes = {(r.path, r.handler, r.module, r.name, r.is_regex) for r in result.routes}
    assert routes == {
        ("/shop/", "shop.views.index", "shop.views", "index", False),
        ("/shop/api/orders/<int:pk>/", "shop.views.OrderDetail", "shop.views", "order-detail", False),
        ("/shop/products/<slug:slug>/", "shop.views.product", "shop.views", "product", False),
        ("^/billing/invoices/(?P<pk>\\d+)/$", "billing.views.invoice", "billing.views", "invoice", True),
        ("/login/", "accounts.views.login_view", "accounts.views", "login", False),
        ("^/legacy/(?P<slug>[-\\w]+)/$", "accounts.views.legacy", "accounts.views", "", True),
        ("/broken/", "missing_view", "mysite.urls", "", False),
    }
    assert all(r.methods == () and r.framework == "django" for r in result.routes)
    unresolved = [d for d in result.diagnostics if d.kind == "unresolved-route"]
    assert [(d.path, d.line) for d in unresolved] == [("mysite/urls.py", 12)]


def test_model_tables_default_names_db_table_abstract_and_proxy(result: FrameworkResult) -> None:
    assert set(result.tables) == {
        Table("accounts_customer", "accounts.models", "Customer", 4),  # AbstractUser child
        Table("billing_invoice", "billing.models.invoice", "Invoice", 4),  # models/ package
        Table("orders", "shop.models", "Order", 15),  # Meta.db_table
        Table("orders_products", "shop.models", "", 17),  # ManyToMany join: <model table>_<field>
        Table("shop_product", "shop.models", "Product", 11),  # child of an abstract model
    }


def test_model_accesses(result: FrameworkResult) -> None:
    accesses = {(a.module, a.table, a.mode, a.line, a.via) for a in result.accesses}
    assert accesses == {
        ("shop.views", "shop_product", "read", 8, "django"),  # objects.filter().count()
        ("shop.views", "shop_product", "read", 12, "django"),  # objects.get
        ("shop.views", "shop_product", "write", 13, "django"),  # item.save()
        ("shop.views", "orders", "write", 20, "django"),  # order.save() after Order(...)
        ("shop.views", "orders_products", "write", 20, "django"),  # writes of Order: its join table
        ("shop.views", "orders_products", "write", 21, "django"),
        ("shop.views", "orders", "read", 21, "django"),  # objects.filter
        ("shop.views", "orders", "write", 21, "django"),  # .delete()
        ("shop.views", "orders", "read", 22, "django"),  # proxy model shares the table
        ("billing.views", "billing_invoice", "write", 10, "django"),  # objects.create
        ("billing.views", "orders", "read", 10, "django"),  # get_model("shop", "Order").objects.get
        ("billing.views", "billing_invoice", "read", 12, "sql"),
    }


def test_dotted_strings_become_string_import_edges(result: FrameworkResult) -> None:
    assert all(e.markers == frozenset({IMPORT_STRING}) for e in result.imports)
    edges = {(e.source, e.target, e.line) for e in result.imports}
    assert edges == {
        ("shop.models", "accounts.models", 16),  # ForeignKey("accounts.Customer")
        ("billing.models.invoice", "shop.models", 5),  # OneToOneField("shop.Order")
        ("billing.views", "shop.models", 9),  # apps.get_model("shop", "Order")
        ("mysite.settings", "shop", 4),  # INSTALLED_APPS
        ("mysite.settings", "billing.apps", 5),
        ("mysite.settings", "accounts", 6),
        ("mysite.settings", "accounts.middleware", 10),  # MIDDLEWARE
        ("mysite.settings", "mysite.urls", 12),  # ROOT_URLCONF
        ("mysite.settings", "accounts.models", 13),  # AUTH_USER_MODEL
        ("mysite.urls", "shop.urls", 8),  # include("shop.urls")
        ("mysite.urls", "billing.urls", 9),  # include(("billing.urls", "billing"))
        ("billing.apps", "billing.models", 4),  # AppConfig name = "billing": Django imports its models
    }


def test_without_settings_every_urlconf_not_included_is_a_root(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "__init__.py").write_text("")
    (tmp_path / "site" / "urls.py").write_text(
        "from django.urls import include, path\n"
        "from site import views\n"
        "urlpatterns = [path('a/', include('site.inner')), path('', views.home)]\n"
    )
    (tmp_path / "site" / "inner.py").write_text(
        "from django.urls import path\nfrom site.views import page\nurlpatterns = [path('p/', page)]\n"
    )
    (tmp_path / "site" / "views.py").write_text("def home(r): pass\ndef page(r): pass\n")
    result, _ = framework_result(tmp_path)
    assert {(r.path, r.handler) for r in result.routes} == {
        ("/", "site.views.home"),
        ("/a/p/", "site.views.page"),
    }


def test_driver_gives_the_same_facts(result: FrameworkResult) -> None:
    import analyzers

    if not hasattr(analyzers, "analyze"):
        pytest.skip("analyzers.analyze is not there yet")
    from analyzers.options import AnalysisOptions

    codebase = analyzers.analyze(ROOT, AnalysisOptions(cache=False, history=False))
    assert codebase.routes == result.routes
    assert codebase.tables == result.tables
    assert codebase.accesses == result.accesses
    assert set(result.imports) <= set(codebase.imports)


def test_a_view_of_django_or_a_library_is_no_unresolved_route(tmp_path: Path) -> None:
    # wger: TemplateView, RedirectView, simplejwt and drf-spectacular views served 14 false alarms
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "__init__.py").write_text("")
    (tmp_path / "site" / "settings.py").write_text('INSTALLED_APPS = []\nROOT_URLCONF = "site.urls"\n')
    (tmp_path / "site" / "views.py").write_text("def home(request):\n    return None\n")
    (tmp_path / "site" / "urls.py").write_text(
        "from django.urls import path\n"
        "from django.views.generic import TemplateView\n"
        "from site import views\n"
        "urlpatterns = [\n"
        '    path("", views.home),\n'
        '    path("about/", TemplateView.as_view(template_name="about.html")),\n'
        '    path("gone/", views.missing),\n'
        "]\n"
    )
    result = framework_result(tmp_path)[0]
    assert {r.path for r in result.routes} == {"/", "/about/", "/gone/"}
    unresolved = [d for d in result.diagnostics if d.kind == "unresolved-route"]
    assert [(d.line, d.message) for d in unresolved] == [
        (7, "view 'views.missing' of route '/gone/' is not defined in the codebase")
    ]


def test_patterns_under_i18n_patterns_are_marked_as_under_the_language_prefix(tmp_path: Path) -> None:
    """wger serves `/en/exercise/...`: a proxy rule for `/exercise/` would match no real request."""
    from analyzers.model import LANGUAGE_PREFIX

    write_tree(
        tmp_path,
        {
            "site/__init__.py": "",
            "site/settings.py": 'INSTALLED_APPS = []\nROOT_URLCONF = "site.urls"\n',
            "site/views.py": "def page(r): pass\ndef api(r): pass\ndef home(r): pass\n",
            "site/inner.py": (
                "from django.urls import path\nfrom site.views import page\n"
                "urlpatterns = [path('p/', page)]\n"
            ),
            "site/urls.py": (
                "from django.conf.urls.i18n import i18n_patterns\n"
                "from django.urls import include, path\n"
                "from site import views\n"
                "urlpatterns = i18n_patterns(\n"
                "    path('config/', include('site.inner')),\n"
                "    path('', views.home),\n"
                "    prefix_default_language=False,\n"
                ")\n"
                "urlpatterns += [path('api/', views.api)]\n"
            ),
        },
    )
    result = framework_result(tmp_path)[0]
    assert {(r.path, r.unknown_prefix) for r in result.routes} == {
        ("/config/p/", LANGUAGE_PREFIX),
        ("/", LANGUAGE_PREFIX),
        ("/api/", ""),
    }
    (found,) = [d for d in result.diagnostics if d.kind == "computed-route"]
    assert (found.path, found.line) == ("site/urls.py", 4) and "language code" in found.message
