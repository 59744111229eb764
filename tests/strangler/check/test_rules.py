"""The rules of `strangler check` on small hand-made codebases."""

from __future__ import annotations

from typing import TYPE_CHECKING

from analyzers.model import Codebase, ImportEdge, Module, Reference, Route, Table, TableAccess
from strangler.boundaries.decomposition import SHARED_KERNEL
from strangler.check.findings import UNASSIGNED, Finding, FindingKind, Policy
from strangler.check.policy import first_segment
from strangler.check.rules import assign_modules, find_violations
from tests import builders

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from tests.builders import FactsArgs

NAMES = ("app", "core.db", "orders", "orders.models", "orders.service", "reviews", "reviews.service")


def codebase(*extra: str, **facts: Unpack[FactsArgs]) -> Codebase:
    """NAMES and `extra` (10 lines each) under /x, with `facts`."""
    facts.setdefault("root", "/x")
    return builders.codebase([*NAMES, *extra], **facts)


def policy(**keys: object) -> Policy:
    service_of = {"app": SHARED_KERNEL, "core.db": SHARED_KERNEL, "orders.service": "orders"}
    service_of |= {
        "orders": "orders",
        "orders.models": "orders",
        "reviews": "reviews",
        "reviews.service": "reviews",
    }
    return Policy(service_of=tuple(sorted(service_of.items())), **keys)  # type: ignore[arg-type]


def kinds(findings: tuple[Finding, ...]) -> list[tuple[str, int, str, str, str]]:
    return [(f.path, f.line, f.kind.value, f.source_service, f.target_service) for f in findings]


def test_imports_and_references_across_services_are_findings() -> None:
    cb = codebase(
        imports=(ImportEdge("reviews.service", "orders.service", 3, names=("place",)),),
        references=(Reference("reviews.service", 9, "orders.service", "place", "call", "review"),),
    )
    found = find_violations(policy(), cb)
    assert kinds(found) == [
        ("reviews/service.py", 3, "import", "reviews", "orders"),
        ("reviews/service.py", 9, "call", "reviews", "orders"),
    ]
    assert found[1].key() == ("call", "reviews.service", "review", "orders.service", "place")


def test_kernel_is_free_both_ways_and_same_service_is_free() -> None:
    cb = codebase(
        imports=(
            ImportEdge("reviews.service", "core.db", 1),
            ImportEdge("app", "reviews.service", 2),
            ImportEdge("orders", "orders.service", 3),
        ),
    )
    assert find_violations(policy(), cb) == ()


def test_depends_on_allows_only_what_is_exposed() -> None:
    allowed = policy(depends_on=(("reviews", ("orders",)),), exposes=(("orders", ("orders.service.place",)),))
    cb = codebase(
        imports=(ImportEdge("reviews.service", "orders.service", 3, names=("place",)),),
        references=(
            Reference("reviews.service", 9, "orders.service", "place", "call"),
            Reference("reviews.service", 10, "orders.service", "cancel", "call"),
            Reference("reviews.service", 11, "orders.models", "Order", "base"),
        ),
    )
    assert kinds(find_violations(allowed, cb)) == [
        ("reviews/service.py", 10, "call", "reviews", "orders"),
        ("reviews/service.py", 11, "base", "reviews", "orders"),
    ]
    without_dependency = policy(exposes=(("orders", ("orders.service",)),))
    assert len(find_violations(without_dependency, cb)) == 4


def test_tables_belong_to_the_declaring_service() -> None:
    cb = codebase(
        tables=(Table("orders", "orders.models", "Order", 5),),
        accesses=(
            TableAccess("reviews.service", "orders", "read", 20, "orm"),
            TableAccess("reviews.service", "orders", "write", 21, "sql"),
            TableAccess("orders.service", "orders", "write", 7, "orm"),
            TableAccess("app", "orders", "read", 1, "sql"),
        ),
    )
    found = find_violations(policy(), cb)
    assert kinds(found) == [
        ("reviews/service.py", 20, "table-read", "reviews", "orders"),
        ("reviews/service.py", 21, "table-write", "reviews", "orders"),
    ]
    assert found[0].target == "orders" and found[0].symbol == ""


def test_routes_belong_to_the_owner_of_their_first_segment() -> None:
    routes = (
        Route("/orders/<int:id>/reviews", ("GET",), "reviews.service.list", "reviews.service", 30, "flask"),
        Route("/reviews/", ("GET",), "reviews.service.index", "reviews.service", 31, "flask"),
        Route(
            "/{unknown prefix}/x", (), "reviews.service.x", "reviews.service", 32, "flask", unknown_prefix="p"
        ),
    )
    owners = policy(route_owners=(("orders", "orders"), ("reviews", "reviews")))
    found = find_violations(owners, codebase(routes=routes))
    assert kinds(found) == [("reviews/service.py", 30, "route", "reviews", "orders")]
    assert (found[0].caller, found[0].target, found[0].symbol) == ("list", "/orders/<int:id>/reviews", "GET")


def test_new_modules_go_where_their_package_siblings_are() -> None:
    cb = codebase("orders.refunds", "newpkg.thing", "loose")
    services = assign_modules(policy(), cb)
    assert services["orders.refunds"] == "orders"
    assert services["newpkg.thing"] == UNASSIGNED
    assert services["loose"] == UNASSIGNED
    found = find_violations(policy(), cb)
    assert [(f.kind, f.source) for f in found] == [
        (FindingKind.UNASSIGNED, "loose"),
        (FindingKind.UNASSIGNED, "newpkg.thing"),
    ]


def test_tie_between_sibling_services_is_unassigned() -> None:
    service_of = (("pkg.a", "one"), ("pkg.b", "two"))
    cb = Codebase(root="/x", modules=tuple(Module(n, n + ".py", 1) for n in ("pkg.a", "pkg.b", "pkg.c")))
    assert assign_modules(Policy(service_of=service_of), cb)["pkg.c"] == UNASSIGNED


def test_non_code_modules_are_not_checked() -> None:
    modules = (Module("tests.test_x", "tests/test_x.py", 3, role="test"), Module("orders", "orders.py", 3))
    cb = Codebase(root="/x", modules=modules, imports=(ImportEdge("tests.test_x", "orders", 1),))
    assert find_violations(Policy(service_of=(("orders", "orders"),)), cb) == ()


def test_first_segment() -> None:
    assert first_segment("/orders/<int:id>") == "orders"
    assert first_segment("^orders/(?P<pk>\\d+)/$") == "orders"
    assert first_segment("/<lang>/x") == ""
    assert first_segment("/") == ""
