"""DOT text: golden files, byte-identical output, and escaping of hostile names.

Regenerate the golden files after an intended change with `STRANGLER_UPDATE_GOLDEN=1 pytest ...`
and review the diff.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from strangler.render.dot import html_text, quote, service_dot
from strangler.render.moduledot import module_dot
from strangler.render.modulegraph import module_view
from strangler.render.servicegraph import service_graph
from tests.conftest import require_tool
from tests.view_support import codebase, decomposition, shop

GOLDEN = Path(__file__).parent / "golden"


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("STRANGLER_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs; see module docstring"


def test_service_dot_matches_golden() -> None:
    _check_golden("view_shop_services.dot", service_dot(service_graph(*shop()), title="Services of shop"))


def test_module_dot_matches_golden() -> None:
    _check_golden("view_shop_modules.dot", module_dot(module_view(*shop()), title="Modules of shop"))


def test_folded_focus_dot_matches_golden() -> None:
    view = module_view(*shop(), focus="orders", max_nodes=4)
    _check_golden("view_shop_focus_orders.dot", module_dot(view, title="Modules of shop"))


def test_output_does_not_depend_on_input_order() -> None:
    cb, dec = shop()
    shuffled = replace(
        cb,
        modules=tuple(reversed(cb.modules)),
        imports=tuple(reversed(cb.imports)),
        references=tuple(reversed(cb.references)),
        accesses=tuple(reversed(cb.accesses)),
    )
    assert service_dot(service_graph(cb, dec)) == service_dot(service_graph(shuffled, dec))
    assert module_dot(module_view(cb, dec)) == module_dot(module_view(shuffled, dec))


def test_quote_escapes_quotes_backslashes_and_newlines() -> None:
    assert quote('a "b"') == '"a \\"b\\""'
    assert quote("C:\\N") == '"C:\\\\N"'  # no \N expansion
    assert quote("two\nlines\r") == '"two\\nlines"'
    assert quote("a&amp;b") == '"a&amp;amp;b"'  # Graphviz decodes entities in labels


def test_html_text_escapes_markup() -> None:
    assert html_text('<a href="x">&\'') == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
    assert html_text("a\nb") == "a<br/>b"


HOSTILE = ['or"ders', "back\\slash", "new\nline", "<b>&amp;</b>", "ünïcode ⇄"]


def test_hostile_names_survive_a_real_dot_run() -> None:
    dot_program = require_tool("dot")
    modules = {f"pkg{i}.mod": 10 + i for i in range(len(HOSTILE))}
    names = list(modules)
    cb = codebase(
        modules,
        imports=[(names[i], names[(i + 1) % len(names)], 1) for i in range(len(names))],
        accesses=[(names[0], 'ta"ble<', "write"), (names[1], 'ta"ble<', "read")],
    )
    dec = decomposition({svc: [mod] for svc, mod in zip(HOSTILE, names)})
    for text in (service_dot(service_graph(cb, dec)), module_dot(module_view(cb, dec))):
        done = subprocess.run([dot_program, "-Tsvg"], input=text.encode(), capture_output=True, check=False)
        assert done.returncode == 0, done.stderr.decode()
        assert b"Warning" not in done.stderr and b"Error" not in done.stderr, done.stderr.decode()
        svg = done.stdout.decode()
        assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in svg  # the name is drawn literally, not as markup
        assert "back\\slash" in svg and "or&quot;ders" in svg


@pytest.mark.parametrize("level", ["service", "module"])
def test_real_dot_accepts_golden_fixtures(level: str) -> None:
    dot_program = require_tool("dot")
    cb, dec = shop()
    text = service_dot(service_graph(cb, dec)) if level == "service" else module_dot(module_view(cb, dec))
    done = subprocess.run([dot_program, "-Tsvg"], input=text.encode(), capture_output=True, check=False)
    assert done.returncode == 0 and not done.stderr, done.stderr.decode()
