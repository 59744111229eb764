"""Service names: what a cluster's modules have in common, in the order a reader would name it."""

from __future__ import annotations

from strangler.boundaries.naming import name_clusters
from tests.builders import codebase


def _names(modules: dict[str, int], clusters: list[list[str]], **facts: object) -> list[str]:
    cb = codebase(modules, **facts)  # type: ignore[arg-type]
    return name_clusters(cb, [frozenset(c) for c in clusters])


def test_a_package_holding_most_of_a_cluster_names_it() -> None:
    modules = {"shop.orders.models": 60, "shop.orders.views": 30, "shop.util": 10, "shop.cart.views": 40}
    assert _names(
        modules, [["shop.orders.models", "shop.orders.views", "shop.util"], ["shop.cart.views"]]
    ) == [
        "orders",
        "cart",
    ]


def test_a_leading_package_names_a_mixed_cluster_before_its_tables() -> None:
    # order holds 40 % of the lines, address and payment 30 % each: no majority, but a clear lead;
    # the table written most (order_surcharge) used to name it.
    modules = {
        "oscar.apps.order.models": 40,
        "oscar.apps.address.models": 30,
        "oscar.apps.payment.models": 30,
        "oscar.apps.basket.models": 100,
    }
    clusters = [
        ["oscar.apps.order.models", "oscar.apps.address.models", "oscar.apps.payment.models"],
        ["oscar.apps.basket.models"],
    ]
    accesses = [("oscar.apps.order.models", "order_surcharge", "write")] * 3
    names = _names(
        modules, clusters, accesses=accesses, tables=[("order_surcharge", "oscar.apps.order.models")]
    )
    assert names == ["order", "basket"]


def test_the_projects_own_package_names_no_cluster() -> None:
    # `taiga` is in every module: a cluster of searches and permissions is not "taiga".
    modules = {
        "taiga.searches.api": 30,
        "taiga.searches.services": 20,
        "taiga.permissions.services": 40,
        "taiga.projects.api": 200,
    }
    clusters = [
        ["taiga.searches.api", "taiga.searches.services", "taiga.permissions.services"],
        ["taiga.projects.api"],
    ]
    assert _names(modules, clusters) == ["searches", "projects"]


def test_what_the_modules_are_names_a_cluster_of_template_tags_or_commands() -> None:
    modules = {
        "oscar.templatetags.basket_tags": 40,
        "oscar.templatetags.image_tags": 30,
        "oscar.core.thumbnails": 20,
        "oscar.management.commands.oscar_send_alerts": 50,
        "oscar.management.commands.oscar_fork_app": 50,
        "oscar.core.customisation": 30,
        "oscar.apps.catalogue.models": 400,
    }
    clusters = [
        ["oscar.templatetags.basket_tags", "oscar.templatetags.image_tags", "oscar.core.thumbnails"],
        [
            "oscar.management.commands.oscar_send_alerts",
            "oscar.management.commands.oscar_fork_app",
            "oscar.core.customisation",
        ],
        ["oscar.apps.catalogue.models"],
    ]
    assert _names(modules, clusters) == ["templatetags", "management", "catalogue"]


def test_a_url_prefix_still_comes_before_a_leading_package() -> None:
    modules = {"app.refs.api": 30, "app.search.api": 35, "app.perms.models": 35, "app.users.api": 100}
    clusters = [["app.refs.api", "app.search.api", "app.perms.models"], ["app.users.api"]]
    routes = [("/api/v1/resolver", "app.refs.api"), ("/api/v1/users", "app.users.api")]
    assert _names(modules, clusters, routes=routes) == ["resolver", "users"]


def test_a_segment_repeated_in_one_module_name_counts_once() -> None:
    # formats.en.formats would count `formats` twice and outweigh everything else.
    modules = {"base.formats.en.formats": 5, "base.locale.api": 20, "base.locale.perms": 20, "web.x": 100}
    clusters = [["base.formats.en.formats", "base.locale.api", "base.locale.perms"], ["web.x"]]
    assert _names(modules, clusters)[0] == "locale"


def test_a_layer_serving_scattered_urls_is_named_for_what_it_is() -> None:
    # netbox: one cluster is every app's `api` package, serving /api/circuits/, /api/dcim/...; it
    # was named "circuits" after its most frequent URL segment
    apps = ("circuits", "dcim", "ipam", "tenancy")
    modules = {f"{a}.api.views": 30 for a in apps} | {f"{a}.models": 60 for a in apps}
    counts = {"circuits": 3, "dcim": 2, "ipam": 2, "tenancy": 2}
    routes = [(f"/api/{a}/items/{i}/", f"{a}.api.views") for a in apps for i in range(counts[a])]
    routes += [(f"/{a}/list/", f"{a}.models") for a in apps]
    clusters = [[f"{a}.api.views" for a in apps], [f"{a}.models" for a in apps]]
    assert _names(modules, clusters, routes=routes)[0] == "api"
    # a segment most of a cluster's routes share still names it, before what the modules are
    modules = {"a.api.views": 10, "b.api.views": 10, "c.api.views": 10, "d.models": 30}
    clusters = [["a.api.views", "b.api.views", "c.api.views"], ["d.models"]]
    routes = [("/orders/1/", "a.api.views"), ("/orders/2/", "b.api.views"), ("/misc/", "c.api.views")]
    routes += [("/d/", "d.models")]
    assert _names(modules, clusters, routes=routes)[0] == "orders"
