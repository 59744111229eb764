"""scan_file on awkward input: never raises, pickles, and is deterministic."""

from __future__ import annotations

import ast
import pickle

from analyzers.frameworks.file_facts import FrameworkFacts
from analyzers.frameworks.scanning import scan_file
from tests.conftest import FIXTURES


def test_every_fixture_file_scans_and_pickles_deterministically() -> None:
    files = sorted(FIXTURES.glob("fw_*/**/*.py"))
    assert len(files) > 20
    for path in files:
        tree = ast.parse(path.read_text())
        first = scan_file(tree, path.stem, str(path))
        again = scan_file(ast.parse(path.read_text()), path.stem, str(path))
        assert first == again
        assert pickle.loads(pickle.dumps(first)) == first
        assert first.diagnostics == ()


def test_a_scanner_failure_is_a_diagnostic_not_an_exception() -> None:
    tree = ast.parse("x = 1\n")
    broken = ast.Call(func=ast.Name("f"), args=[], keywords=[])
    del broken.func  # a call without its required fields
    tree.body.append(ast.Expr(value=broken, lineno=2))
    facts = scan_file(tree, "broken", "broken.py")
    assert isinstance(facts, FrameworkFacts)
    assert [d.kind for d in facts.diagnostics] == ["framework-scan"]
    assert facts.diagnostics[0].path == "broken.py"


def test_deeply_nested_code_does_not_raise() -> None:
    source = "x = " + "(" * 150 + "1" + ")" * 150 + "\n"
    source += "def f():\n" + "".join("    " * i + "if x:\n" for i in range(1, 60)) + "    " * 60 + "pass\n"
    facts = scan_file(ast.parse(source), "deep", "deep.py")
    assert isinstance(facts, FrameworkFacts)


def test_prose_and_unknown_decorators_give_no_facts() -> None:
    source = '''
"""Select the items from the cart and update the totals."""
import functools

message = "Delete from the list when done"

@functools.lru_cache()
def cached():
    """Insert into the cache."""
    return {}.get("key")

@cache.get("/not/a/route")
def not_a_route():
    pass
'''
    facts = scan_file(ast.parse(source), "plain", "plain.py")
    assert facts.data.sql == ()
    assert facts.apps.owners == ()
    assert facts.urlconf == ()
    assert facts.strings == ()
