"""Generated clients keep the original signatures, forward arguments faithfully and flag hazards."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from strangler.skeleton.client import ClientSpec, client_module_text

SOURCE = """
from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from shop.accounts.models import User

LIMIT = 10


def find(user_id: int, /, name: str, *tags: str, limit: int = LIMIT, exact: bool = False,
         **extra: object) -> list[User]:
    return []


def stream(since: datetime) -> Iterator[int]:
    yield 1


def each(callback: Callable[[int], None]) -> None:
    pass


async def ping() -> str:
    return "pong"
"""

SPEC = ClientSpec(
    module="orders.clients.monolith",
    wire_module="strangler.skeleton.wire_runtime",
    target="the monolith",
    base_url_env="MONOLITH_URL",
    timeout_seconds=3.0,
    prefix="/_strangler/ops",
    modules={"shop.orders.service": "orders.service"},
    model_names=frozenset({"User"}),
)
FUNCTIONS = [("shop.search", n) for n in ("each", "find", "ping", "stream")]


def _client() -> tuple[str, dict[str, Any], list[tuple[str, Any, Any]]]:
    text = client_module_text(SPEC, FUNCTIONS, ["shop.search"], {"shop.search": SOURCE})
    namespace: dict[str, Any] = {"__name__": "generated_client"}
    exec(compile(text, "client", "exec"), namespace)
    calls: list[tuple[str, Any, Any]] = []

    def fake_remote(_url: str, op: str, args: Any, kwargs: Any, **_kw: Any) -> Any:
        calls.append((op, args, kwargs))
        return "answer"

    namespace["call_remote"] = fake_remote
    return text, namespace, calls


def test_signature_is_kept_and_arguments_forwarded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONOLITH_URL", "http://127.0.0.1:1")
    _text, namespace, calls = _client()
    find = namespace["shop_search__find"]
    assert str(inspect.signature(find)).startswith(
        "(user_id: 'int', /, name: 'str', *tags: 'str', limit: 'int' = <object"
    )
    assert find(7, "kettle", "a", "b", exact=True, colour="red") == "answer"
    # the expression default (LIMIT) is left to the monolith; literals travel as written
    assert calls == [("shop.search.find", (7, "a", "b"), {"name": "kettle", "exact": True, "colour": "red"})]
    assert namespace["shop_search"].find is find  # the module namespace for `import ... as`


def test_hazards_are_written_at_the_function(monkeypatch: pytest.MonkeyPatch) -> None:
    text, _namespace, _calls = _client()
    assert "# strangler: returns User: an ORM row crosses as a detached Record" in text
    assert "# strangler: a generator cannot cross the network" in text
    assert "# strangler: parameter `callback` (Callable[[int], None]) cannot cross" in text
    assert "async def shop_search__ping() -> str:" in text
    # annotation types are imported for type checkers only
    assert "    from datetime import datetime\n" in text


def test_a_missing_base_url_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MONOLITH_URL", raising=False)
    text = client_module_text(SPEC, FUNCTIONS, [], {"shop.search": SOURCE})
    namespace: dict[str, Any] = {"__name__": "generated_client"}
    exec(compile(text, "client", "exec"), namespace)
    with pytest.raises(Exception, match="set MONOLITH_URL to the base URL of the monolith"):
        namespace["shop_search__stream"](None)


def test_unreachable_monolith_is_reported_with_the_operation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MONOLITH_URL", "http://127.0.0.1:9")
    text = client_module_text(SPEC, FUNCTIONS, [], {"shop.search": SOURCE})
    namespace: dict[str, Any] = {"__name__": "generated_client"}
    exec(compile(text, "client", "exec"), namespace)
    with pytest.raises(Exception, match=r"shop.search.stream: cannot reach http://127.0.0.1:9"):
        namespace["shop_search__stream"](None)


MULTILINE = """
from __future__ import annotations


def consume(
    path: str,
    mode: (
        int
        | None
    ) = (
        1
    ),
) -> (
    str
    | bytes
    | None
):
    return None
"""


def test_annotations_and_defaults_written_over_lines_stay_valid_python() -> None:
    # paperless: `-> (\n    ConsumeFileSuccessResult\n    | ... \n)` lost its parentheses
    text = client_module_text(SPEC, [("shop.files", "consume")], ["shop.files"], {"shop.files": MULTILINE})
    compile(text, "client", "exec")  # a SyntaxError before
    assert "-> (str\n    | bytes\n    | None):" in text


def test_expression_source_parenthesises_what_spans_lines() -> None:
    import ast

    from strangler.skeleton.source_text import expression_source

    text = 'NAME = (\n    "a"\n    "b"\n)\nLIMIT = 3\n'
    tree = ast.parse(text)
    values = [node.value for node in tree.body if isinstance(node, ast.Assign)]
    moved = [f"X = {expression_source(text, value)}" for value in values]
    assert moved == ['X = ("a"\n    "b")', "X = 3"]
    for line in moved:
        compile(line, "settings", "exec")  # `X = "a"\n    "b"` would not compile


TRICKY = '''"""Docs that show code at the margin:

def find(wrong: str) -> None:
    ...
"""
from typing import Optional as Maybe
from shop.accounts.models import User
import os; from decimal import Decimal


def helper(): pass; x = 1


@staticmethod
@functools.lru_cache(
    maxsize=1,
)
def find(user: User, amount: Decimal,
         note: Maybe[str] = None) -> Maybe[User]:
    def inner():
        yield 1
    return None


def find(other: int) -> int:  # (defined again: the client reads the first, as it always did)
    return other
'''


def test_a_client_from_a_module_read_once_equals_one_from_its_whole_text() -> None:
    from strangler.skeleton.sources import read_module

    known = frozenset({"shop.tricky", "shop.accounts.models"})
    read = read_module("shop.tricky", False, TRICKY, known)
    assert [name for name, _, _ in read.functions] == ["helper", "find", "find"]
    assert ("Maybe", "typing", "Optional") in read.from_bindings
    assert ("Decimal", "decimal", "Decimal") in read.from_bindings  # (after a `;` too)
    functions = [("shop.tricky", "find"), ("shop.tricky", "helper")]
    whole = client_module_text(SPEC, functions, ["shop.tricky"], {"shop.tricky": TRICKY})
    alone = client_module_text(
        SPEC, functions, ["shop.tricky"], {"shop.tricky": TRICKY}, texts={"shop.tricky": read}
    )
    assert alone == whole
    assert "user: User, amount: Decimal" in alone
    assert "a generator cannot cross the network" in alone  # (the nested generator, as before)
