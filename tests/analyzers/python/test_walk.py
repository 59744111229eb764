"""The one walk of a parsed file: name uses, dynamic imports, names bound after their uses, and a
framework scanner that fails without losing the file's other facts."""

from __future__ import annotations

import textwrap

import pytest

from analyzers.frameworks import scanning
from analyzers.frameworks.scanning import scan_file
from analyzers.model import IMPORT_DYNAMIC, IMPORT_FUNCTION, IMPORT_TRY, IMPORT_TYPE_CHECKING
from analyzers.python.parsing import FileFacts, parse_file
from analyzers.python.raw import RawUse


def parse(source: str, scanner: bool = True) -> FileFacts:
    data = textwrap.dedent(source).encode()
    return parse_file(data, "shop.mod", "shop/mod.py", scan_file if scanner else None)


def uses(facts: FileFacts) -> list[tuple[str, int, str, str]]:
    return sorted((u.caller, u.line, ".".join(u.chain), u.kind) for u in facts.uses)


PLAIN = """
    import os, json as j
    from shop import models, service
    from shop.views import index as home

    @service.register(models.Order)
    class A(models.Base, metaclass=service.Meta):
        x: models.Kind = models.default()
        def f(self, a: os.PathLike = j.dumps(1), *, b=home) -> service.Result:
            with service.lock() as models.held:
                pass
            for os.item in service.items(): print(f"{models.x!r:{j.width}}")
            match service.kind:
                case models.Kind(j.value) if service.check(): return home()
            try:
                pass
            except (service.Error, j.JSONDecodeError) as e:
                raise service.Wrapped(e) from None
            del models.cache[j.key]
            return [models.y for _ in os.listdir() if service.ok]
"""

PLAIN_USES = [
    ("A", 6, "models.Order", "decorator"),
    ("A", 6, "service.register", "decorator"),
    ("A", 7, "models.Base", "base"),
    ("A", 7, "service.Meta", "attribute"),  # (a class keyword: no fixed kind)
    ("A", 8, "models.Kind", "annotation"),
    ("A", 8, "models.default", "call"),
    ("A", 9, "home", "name"),
    ("A", 9, "j.dumps", "call"),
    ("A", 9, "os.PathLike", "annotation"),
    ("A", 9, "service.Result", "annotation"),
    ("A", 10, "service.lock", "call"),  # (`as models.held` binds: no use)
    ("A", 12, "j.width", "attribute"),
    ("A", 12, "models.x", "attribute"),
    ("A", 12, "os.item", "attribute"),
    ("A", 12, "service.items", "call"),
    ("A", 13, "service.kind", "attribute"),  # (patterns and guards: no use)
    ("A", 14, "home", "call"),
    ("A", 17, "j.JSONDecodeError", "attribute"),
    ("A", 17, "service.Error", "attribute"),
    ("A", 18, "service.Wrapped", "call"),
    ("A", 19, "j.key", "attribute"),
    ("A", 19, "models.cache", "attribute"),
    ("A", 20, "models.y", "attribute"),
    ("A", 20, "os.listdir", "call"),
    ("A", 20, "service.ok", "attribute"),
]


@pytest.mark.parametrize("scanner", [True, False], ids=["with the framework scanner", "without"])
def test_uses_of_imported_names_by_kind(scanner: bool) -> None:
    facts = parse(PLAIN, scanner)
    assert uses(facts) == PLAIN_USES
    assert [s.name for s in facts.symbols] == ["A"]
    assert (facts.frameworks is not None) is scanner


def test_names_bound_after_their_uses() -> None:
    facts = parse(
        """
        def f():
            return late.call(), local.thing, os.sep, unrelated
        def g():
            import local
            return local.other
        x = [late.value for _ in range(2)]
        import os
        from shop import late
        """
    )
    assert uses(facts) == [
        ("<module>", 7, "late.value", "attribute"),
        ("f", 3, "late.call", "call"),
        ("f", 3, "local.thing", "attribute"),
        ("f", 3, "os.sep", "attribute"),
        ("g", 6, "local.other", "attribute"),
    ]


def test_a_star_import_takes_every_name_not_defined_here_even_before_it() -> None:
    facts = parse(
        """
        def f(order: Order) -> Result:
            return helper(order), len(order), Order.objects.filter(name=f"{value}")
        def helper(x):
            return x
        from shop.models import *
        """
    )
    assert uses(facts) == [
        ("f", 2, "Order", "annotation"),
        ("f", 2, "Result", "annotation"),
        ("f", 3, "Order.objects.filter", "call"),
        ("f", 3, "order", "name"),
        ("f", 3, "order", "name"),
        ("f", 3, "value", "name"),
        ("helper", 5, "x", "name"),  # (a parameter too: only top-level names are known to be no star name)
    ]


def test_literal_dynamic_imports_keep_their_markers_and_callers() -> None:
    facts = parse(
        """
        import importlib
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            mod = importlib.import_module("shop.typed")
        try:
            extra = __import__("shop.extra")
        except ImportError:
            extra = None
        def f(name):
            importlib.import_module(name)
            return importlib.import_module(".rel", package="shop").go()
        """
    )
    dynamic = sorted((r.module, r.caller, r.markers) for r in facts.imports if IMPORT_DYNAMIC in r.markers)
    assert dynamic == [
        ("shop.extra", "<module>", frozenset({IMPORT_DYNAMIC, IMPORT_TRY})),
        ("shop.rel", "f", frozenset({IMPORT_DYNAMIC, IMPORT_FUNCTION})),
        ("shop.typed", "<module>", frozenset({IMPORT_DYNAMIC, IMPORT_TYPE_CHECKING})),
    ]
    assert [r.module for r in facts.imports[:2]] == ["importlib", "typing"]  # the statements come first
    assert ("f", 12, "importlib.import_module", "call") in uses(facts)


def test_a_failing_scanner_hook_costs_the_framework_facts_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("scanner bug")

    expected = parse(PLAIN, scanner=False)
    monkeypatch.setattr(scanning, "route_of_decorator", broken)  # the first hook of class A
    facts = parse(PLAIN)
    assert uses(facts) == PLAIN_USES
    assert (facts.symbols, facts.imports, facts.terms) == (expected.symbols, expected.imports, expected.terms)
    assert facts.diagnostics == ()
    assert [(d.kind, d.path) for d in facts.frameworks.diagnostics] == [("framework-scan", "shop/mod.py")]
    assert "ValueError: scanner bug" in facts.frameworks.diagnostics[0].message


def test_a_scanner_failure_while_assembling_its_facts_is_contained(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("late bug")

    monkeypatch.setattr(scanning, "_helpers", broken)  # after the walk
    facts = parse(PLAIN)
    assert uses(facts) == PLAIN_USES
    assert [d.kind for d in facts.frameworks.diagnostics] == ["framework-scan"]


def test_a_file_without_framework_facts_keeps_its_own() -> None:
    facts = parse(
        '''
        """Helpers."""
        import os
        __all__ = ["where"]
        def where(path: os.PathLike) -> str:
            """Where it is."""
            return os.fspath(path)
        '''
    )
    assert facts.frameworks is not None and facts.frameworks.diagnostics == ()
    assert facts.frameworks.apps.decls == () and facts.frameworks.data.classes == ()
    assert facts.exports == ("where",)
    assert facts.defined == frozenset({"__all__", "where"})
    assert [(s.name, s.params, s.returns) for s in facts.symbols] == [("where", "path: os.PathLike", "str")]
    assert uses(facts) == [("where", 5, "os.PathLike", "annotation"), ("where", 7, "os.fspath", "call")]
    assert facts.uses[0] == RawUse("where", 5, ("os", "PathLike"), "annotation")
