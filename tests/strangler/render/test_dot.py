"""DOT text: golden files, byte-identical output, escaping of hostile names, and the colours.

Regenerate the golden files after an intended change with `STRANGLER_UPDATE_GOLDEN=1 pytest ...`
and review the diff.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace

import pytest

from analyzers.model import Codebase
from strangler.boundaries.decomposition import Decomposition
from strangler.render import palette
from strangler.render.dot import html_text, quote, service_dot
from strangler.render.moduledot import bundle_kernel_edges, module_dot
from strangler.render.modulegraph import module_view
from strangler.render.servicegraph import service_graph
from tests.builders import codebase, decomposition
from tests.conftest import GOLDEN, require_tool
from tests.view_support import shop


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


# ------------------------------------------------------------------ colours

#: Machado, Oliveira & Fernandes (2009) simulation matrices, severity 1.0, on linear RGB.
VISION = {
    "normal": ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),
    "protan": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deutan": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritan": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _lab(hex_colour: str, vision: str) -> tuple[float, float, float]:
    rgb = [_linear(int(hex_colour[i : i + 2], 16)) for i in (1, 3, 5)]
    r, g, b = (max(0.0, min(1.0, sum(m * c for m, c in zip(row, rgb)))) for row in VISION[vision])
    x = _f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047)
    y = _f(0.2126 * r + 0.7152 * g + 0.0722 * b)
    z = _f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
    return 116 * y - 16, 500 * (x - y), 200 * (y - z)


def _f(t: float) -> float:
    """The CIELAB companding function."""
    return float(t ** (1 / 3)) if t > 0.008856 else 7.787 * t + 16 / 116


def _delta(a: str, b: str, vision: str) -> float:
    return float(sum((p - q) ** 2 for p, q in zip(_lab(a, vision), _lab(b, vision))) ** 0.5)


def test_twelve_services_get_twelve_colours_and_none_is_the_cycle_colour() -> None:
    names = tuple(f"service{i:02d}" for i in range(12))
    swatches = palette.swatches(names)
    assert len({s.stroke for s in swatches.values()}) == 12 and len({s.fill for s in swatches.values()}) == 12
    assert all(s.pattern == "solid" for s in swatches.values())
    for swatch in swatches.values():
        assert palette.CYCLE not in (swatch.stroke, swatch.fill) and swatch.stroke != palette.KERNEL_STROKE
        # not even close to it, for normal vision and the three colour-vision deficiencies
        assert min(_delta(swatch.stroke, palette.CYCLE, v) for v in VISION) >= 25, swatch
    pairs = [
        (a.stroke, b.stroke)
        for i, a in enumerate(swatches.values())
        for b in list(swatches.values())[i + 1 :]
    ]
    assert min(_delta(a, b, "normal") for a, b in pairs) >= 14


def test_beyond_twelve_services_the_outline_tells_them_apart() -> None:
    swatches = palette.swatches(tuple(f"s{i:02d}" for i in range(30)))
    looks = {(s.stroke, s.pattern) for s in swatches.values()}
    assert len(looks) == 30
    assert [swatches[f"s{i:02d}"].pattern for i in (0, 12, 24)] == ["solid", "dashed", "dotted"]
    text = service_dot(service_graph(*_many_services(14)))
    assert 'style="rounded,filled,dashed"' in text  # the 13th service and on (and the kernel)


def _many_services(count: int) -> tuple[Codebase, Decomposition]:
    modules = {f"p{i:02d}.m": 10 for i in range(count)}
    cb = codebase(modules)
    return cb, decomposition({f"svc{i:02d}": [f"p{i:02d}.m"] for i in range(count)})


def test_edges_between_a_service_and_the_kernel_are_one_arrow_per_service_and_way() -> None:
    view = module_view(*shop())
    single, bundles = bundle_kernel_edges(view)
    assert sorted(bundles) == [("accounts", "in"), ("inventory", "in"), ("orders", "in")]
    assert [len(edges) for edges in bundles.values()] == [1, 1, 2]
    assert len(single) + 4 == len(view.edges)
    text = module_dot(view)
    assert 'compound="true"' in text and text.count('lhead="cluster_3"') == 3
    assert "orders uses the shared kernel: 2 module edges" in text
