"""The framework scanner's walk records the same name uses as the two-pass extraction."""

from __future__ import annotations

import textwrap

import pytest

from analyzers.frameworks import scan_file
from analyzers.parsing import parse_file

SOURCES = {
    "plain": """
        import os, json as j
        from shop import models, service
        from shop.views import index as home

        @service.register(models.Order)
        class A(models.Base, metaclass=service.Meta):
            x: models.Kind = models.default()
            models.attr: int = 1
            def f(self, a: os.PathLike = j.dumps(1), *, b=home) -> service.Result:
                with service.lock() as models.held, open(j.path) as service:
                    pass
                for os.item in service.items(): print(f"{models.x!r:{j.width}}", os.sep)
                match service.kind:
                    case models.Kind(j.value) if service.check(): return home()
                    case _: lambda q=models.z: q
                try:
                    pass
                except (service.Error, j.JSONDecodeError) as e:
                    raise service.Wrapped(e) from None
                del models.cache[j.key]
                assert os.path, service.message
                return [models.y for _ in os.listdir() if service.ok]
        def g():
            import shop.late
            return shop.late.thing(), late_bound.call()
        from shop import late_bound
    """,
    "star": """
        from shop.models import *
        def f(order: Order) -> Result:
            x: Local = make()
            with session() as s:
                s.add(order)
            return Order.objects.filter(name=f"{value}")
    """,
    "dynamic": """
        import importlib
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            mod = importlib.import_module("shop.typed")
        try:
            extra = __import__("shop.extra")
        except ImportError:
            extra = None
        def f():
            return importlib.import_module(".rel", package="shop").go()
    """,
}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_one_walk_equals_two_passes(name: str) -> None:
    data = textwrap.dedent(SOURCES[name]).encode()
    merged = parse_file(data, "shop.mod", "shop/mod.py", scan_file)
    separate = parse_file(data, "shop.mod", "shop/mod.py")
    assert merged.diagnostics == ()
    assert sorted(merged.uses) == sorted(separate.uses)
    assert merged.imports == separate.imports
    assert merged.uses  # the sources do use imported names
