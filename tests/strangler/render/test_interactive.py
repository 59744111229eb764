"""The interactive map of the HTML report, for real: the example app, Django and 1,000 modules in
headless Chromium, and the layout it is drawn from.

What a person does is done with real input events (wheel, drag, hover, clicks, typing); what
they then see is read from the page (DOM) and from the graph library's state (`window.stranglerGraph`).
Screenshots of the example and of Django at 1400 × 1000 go under pytest's temporary directory
and are copied to /tmp/strangler-screens/ (paths printed with `-s`).
"""

from __future__ import annotations

import importlib.util
import random
import shutil
from pathlib import Path
from typing import Any

import pytest

from analyzers import AnalysisOptions, analyze
from analyzers.model import Codebase
from strangler.boundaries.decomposition import Decomposition
from strangler.boundaries.pipeline import decomposition_for
from strangler.render import placement as layout
from strangler.render.html import report_data
from strangler.render.interactive import common_prefix, module_label
from strangler.render.servicegraph import service_graph
from tests.builders import codebase, decomposition
from tests.conftest import EXAMPLE_APP
from tests.e2e.test_report_in_browser import (
    browser,  # noqa: F401  (the fixture)
    canvas,
    click_node,
    console_problems,
    label_heights,
    node_ids,
    node_point,
    open_report,
    pointer_at,
    save_screenshot,
    wait_for,
    write_report,
)

SCREENS = Path("/tmp/strangler-screens")
#: The smallest label height (CSS px) allowed at the default zoom.
READABLE_PX = 11
#: The fill of what fades (the rest, on hover; what is still in the monolith, for a wave).
FADED = "#f3f3f0"


def _analysed(root: Path) -> tuple[Codebase, Decomposition]:
    cb = analyze(root, AnalysisOptions(history=False, cache=False))
    return cb, decomposition_for(cb, None)


@pytest.fixture(scope="module")
def example_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(*_analysed(EXAMPLE_APP), tmp_path_factory.mktemp("example") / "example.html")


@pytest.fixture(scope="module")
def django_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.find_spec("django")
    assert spec is not None and spec.origin is not None
    return write_report(
        *_analysed(Path(spec.origin).parent), tmp_path_factory.mktemp("django") / "django.html"
    )


def synthetic(
    services: int = 30, per_service: int = 33, kernel: int = 10, seed: int = 3
) -> tuple[Codebase, Decomposition]:
    """`services` × `per_service` modules plus a kernel (1,000 by default), coupled at random:
    three imports inside the service per module, one into the kernel, and now and then a call
    into another service."""
    rnd = random.Random(seed)
    groups = {
        f"svc{s:02d}": [f"app.svc{s:02d}.mod{i:02d}" for i in range(per_service)] for s in range(services)
    }
    core = [f"app.core.k{i}" for i in range(kernel)]
    modules = {m: rnd.randint(20, 400) for ms in groups.values() for m in ms} | dict.fromkeys(core, 50)
    imports: list[tuple[str, str, int]] = []
    references: list[tuple[str, str, str, str, int]] = []
    for inside in groups.values():
        for module in inside:
            imports += [(module, rnd.choice(inside), line) for line in (1, 2, 3)]
            imports.append((module, rnd.choice(core), 5))
            if rnd.random() < 0.3:
                target = rnd.choice(groups[rnd.choice(sorted(groups))])
                imports.append((module, target, 6))
                references.append((module, target, "call_me", "call", 10))
    imports = [(a, b, line) for a, b, line in imports if a != b]
    return codebase(modules, imports=imports, references=references), decomposition(groups, core)


def _screens(shot: Path) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    shutil.copy(shot, SCREENS / shot.name)
    print(f"copied to {SCREENS / shot.name}")


def _edge_point(driver: Any, edge: str) -> dict[str, float]:
    """A point of the drawn arrow `edge` (CSS px on the canvas) that no node or other arrow covers."""
    point: dict[str, float] = driver.execute_script(
        """
        var g = window.stranglerGraph, id = arguments[0], shape = g.network.body.edges[id].edgeType;
        for (var i = 1; i < 20; i++) {
          var at = g.network.canvasToDOM(shape.getPoint(i / 20));
          if (g.network.getNodeAt(at) === undefined && g.network.getEdgeAt(at) === id) { return at; }
        }
        return null;
        """,
        edge,
    )
    assert point is not None, edge
    return point


def _data(driver: Any) -> Any:
    """The page's embedded data (strangler.graph-report/1)."""
    return driver.execute_script("return JSON.parse(document.getElementById('strangler-data').textContent)")


def _module_of(path: str) -> str:
    """The module name of a source path of the example app (`shop/orders/views.py`)."""
    stem = path.removesuffix(".py").removesuffix("/__init__")
    return stem.replace("/", ".")


def _state(driver: Any, expression: str) -> Any:
    return driver.execute_script(f"var g = window.stranglerGraph; return {expression};")


# ------------------------------------------------------------------ layout (no browser)


def test_service_boxes_never_overlap_and_the_layout_is_stable() -> None:
    for cb, dec in (synthetic(), synthetic(services=12, per_service=5, kernel=3, seed=9)):
        graph = report_data(cb, dec, service_graph(cb, dec))["graph"]
        boxes = [layout.Box(name, s["w"], s["h"]) for name, s in graph["services"].items()]
        positions = {name: (s["x"], s["y"]) for name, s in graph["services"].items()}
        assert layout.overlapping(boxes, positions) == []
        assert report_data(cb, dec, service_graph(cb, dec))["graph"] == graph  # same input, same picture


def test_separate_pushes_stacked_boxes_apart() -> None:
    boxes = [layout.Box(f"b{i}", 120, 40) for i in range(6)]
    stacked = dict.fromkeys((b.name for b in boxes), (0.0, 0.0))
    assert layout.overlapping(boxes, layout.separate(boxes, stacked, 10)) == []


def test_a_module_block_is_a_grid_of_equal_boxes_around_the_service() -> None:
    names = [f"n{i}" for i in range(10)]
    offsets, (width, height) = layout.grid_block([(n, 100.0) for n in names], 30.0)
    boxes = [layout.Box(n, 100, 30) for n in names]
    assert layout.overlapping(boxes, offsets) == []
    assert all(
        abs(x) + 50 <= width / 2 + 0.1 and abs(y) + 15 <= height / 2 + 0.1 for x, y in offsets.values()
    )
    assert width > height  # wider than tall, like the screen


def test_module_labels_drop_the_prefix_their_service_shares() -> None:
    names = ["django.contrib.admin.views.main", "django.contrib.admin.options", "django.contrib.admin"]
    prefix = common_prefix(names)
    assert prefix == "django.contrib."
    assert [module_label(n, prefix) for n in names] == ["admin.views.main", "admin.options", "admin"]
    assert (
        module_label("a." + "x" * 60, "a.").startswith("…") and len(module_label("a." + "x" * 60, "a.")) == 40
    )


# ------------------------------------------------------------------ in Chromium


def test_example_app_map(browser: Any, example_page: Path, tmp_path: Path) -> None:  # noqa: F811
    from selenium.webdriver import ActionChains
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver = browser
    open_report(driver, example_page)
    services = node_ids(driver, "service")
    data = _data(driver)
    assert services == sorted(s["node_id"] for s in data["services"])  # the services and the kernel
    assert len(services) >= 6
    heights = label_heights(driver)
    assert set(heights) == set(services) and min(heights.values()) >= READABLE_PX
    shot = save_screenshot(driver, tmp_path, "example.png")
    _screens(shot)

    # zoom: the wheel, the buttons, fit-to-screen
    scale = _state(driver, "g.network.getScale()")
    ActionChains(driver).scroll_from_origin(ScrollOrigin.from_element(canvas(driver)), 0, -400).perform()
    wait_for(driver, "return window.stranglerGraph.network.getScale() > arguments[0] * 1.05", scale)
    zoomed = _state(driver, "g.network.getScale()")
    driver.find_element(By.ID, "zoom-out").click()
    assert _state(driver, "g.network.getScale()") < zoomed
    driver.find_element(By.ID, "zoom-fit").click()
    fitted = _state(driver, "g.network.getScale()")
    driver.find_element(By.ID, "zoom-in").click()
    assert _state(driver, "g.network.getScale()") > fitted

    # pan: drag the background
    before = _state(driver, "g.network.getViewPosition()")
    drag = pointer_at(driver, 6, 6).click_and_hold()
    for _ in range(8):  # in steps, as a hand moves
        drag = drag.move_by_offset(15, 10)
    drag.release().perform()
    after = _state(driver, "g.network.getViewPosition()")
    assert abs(after["x"] - before["x"]) > 20 and abs(after["y"] - before["y"]) > 20
    driver.execute_script("window.stranglerGraph.defaultView()")

    # hover a service: its neighbours stay, the others fade, the readout has its numbers
    # the heaviest dependency between two services (neither the kernel), and the service using it
    heaviest = max(
        (e for e in data["edges"] if "shared-kernel" not in (e["source"], e["target"]) and not e["wires"]),
        key=lambda e: (e["call_sites"], e["source"], e["target"]),
    )
    name, other = heaviest["source"], heaviest["target"]
    entry = next(s for s in data["services"] if s["name"] == name)
    orders = entry["node_id"]
    x, y = node_point(driver, orders)
    pointer_at(driver, x, y).perform()
    wait_for(driver, "return window.stranglerGraph.state.hover === arguments[0]", orders)
    readout = driver.find_element(By.ID, "graph-info").text
    assert readout.startswith(f"{name}: {len(entry['modules'])} modules") and "call site" in readout
    faded = _state(
        driver, f"g.nodes.get().filter(function (n) {{ return n.color.background === {FADED!r}; }}).length"
    )
    neighbours = driver.execute_script(
        "return window.stranglerGraph.network.getConnectedNodes(arguments[0]).length", orders
    )
    assert faded == len(services) - 1 - neighbours

    # hover an arrow: its numbers
    edge = driver.execute_script(
        "var a = arguments[0], b = arguments[1]; return window.stranglerGraph.edges.get()"
        ".filter(function (e) { return e.sFrom === a && e.sTo === b; })[0].id",
        name,
        other,
    )
    middle = _edge_point(driver, edge)
    pointer_at(driver, middle["x"], middle["y"]).perform()
    wait_for(driver, "return window.stranglerGraph.state.hoverEdge === arguments[0]", edge)
    assert driver.find_element(By.ID, "graph-info").text.startswith(f"{name} → {other}: ")
    assert "call" in driver.execute_script("return window.stranglerGraph.edges.get(arguments[0]).label", edge)

    # click the arrow: its call sites, file:line, in the panel
    pointer_at(driver, middle["x"], middle["y"]).click().perform()
    sites = wait_for(driver, "return document.querySelectorAll('#details li[data-site]').length")
    assert sites > 0
    first = driver.find_element(By.CSS_SELECTOR, "#details li[data-site]").get_attribute("data-site") or ""
    path, _, line = first.rpartition(":")
    assert path.endswith(".py") and line.isdigit()
    assert data["assignments"][_module_of(path)]["service"] == name
    assert driver.find_element(By.CSS_SELECTOR, "#details h2").text == f"{name} → {other}"

    # click a service: it opens into its modules in place; its title bar closes it
    pointer_at(driver, 3, 3).perform()  # (leave the arrow)
    click_node(driver, orders)
    wait_for(driver, "return window.stranglerGraph.state.expanded.indexOf(arguments[0]) >= 0", name)
    modules = node_ids(driver, "module")
    assert modules == sorted("m:" + m["name"] for m in entry["modules"])
    assert orders not in node_ids(driver)
    click_node(driver, "h:" + orders)
    wait_for(driver, "return window.stranglerGraph.state.expanded.length === 0")
    assert orders in node_ids(driver)

    # search: opens the module's service, centres on the module and highlights it
    search = driver.find_element(By.ID, "search")
    search.send_keys("payments.gateway")
    driver.find_element(By.CSS_SELECTOR, "#matches button").click()
    focus = _state(driver, "g.state.focus")
    assert focus == "m:shop.payments.gateway"
    assert _state(driver, "g.state.expanded") == [data["assignments"]["shop.payments.gateway"]["service"]]
    x, y = node_point(driver, focus)
    size = canvas(driver).size
    assert abs(x - size["width"] / 2) < 2 and abs(y - size["height"] / 2) < 2
    assert _state(driver, f"g.nodes.get({focus!r}).borderWidth") == 4
    driver.execute_script("window.stranglerGraph.collapseAll()")

    # the shared kernel, and edges below a weight
    edges = _state(driver, "g.edges.length")
    driver.find_element(By.ID, "show-kernel").click()
    assert "svc-kernel" not in node_ids(driver) and _state(driver, "g.edges.length") < edges
    driver.find_element(By.ID, "show-kernel").click()
    assert "svc-kernel" in node_ids(driver)
    driver.execute_script(
        "var s = document.getElementById('min-weight'); s.value = '5'; s.dispatchEvent(new Event('input'));"
    )
    assert _state(driver, "g.edges.get().every(function (e) { return e.weight >= 5; })")
    assert _state(driver, "g.edges.length") < edges
    assert driver.find_element(By.ID, "min-weight-value").text == "5"
    driver.execute_script("window.stranglerGraph.setMinWeight(1)")

    # the plan: after wave 3, the three services out are drawn, the rest of the monolith fades
    waves = Select(driver.find_element(By.ID, "wave"))
    assert len(waves.options) == len(data["waves"]) + 1 and len(data["waves"]) >= 3
    waves.select_by_value("3")
    text = driver.find_element(By.ID, "wave-info").text
    assert f"After wave 3 of {len(data['waves'])}" in text
    assert "Routes moved" in text and "Calls still crossing" in text
    out = _state(
        driver, f"g.nodes.get().filter(function (n) {{ return n.color.background !== {FADED!r}; }}).length"
    )
    assert out == 3
    assert driver.find_element(By.CSS_SELECTOR, "tr.current").get_attribute("data-wave") == "3"
    save_screenshot(driver, tmp_path, "example-wave-3.png")
    assert console_problems(driver) == []


def test_django_map(browser: Any, django_page: Path, tmp_path: Path) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    driver = browser
    open_report(driver, django_page)
    services = node_ids(driver, "service")
    assert len(services) >= 5
    heights = label_heights(driver)
    assert set(heights) == set(services) and min(heights.values()) >= READABLE_PX
    _screens(save_screenshot(driver, tmp_path, "django.png"))

    largest = driver.execute_script(
        "return window.stranglerPanel && JSON.parse(document.getElementById('strangler-data').textContent)"
        ".services.filter(function (s) { return !s.kernel; })"
        ".sort(function (a, b) { return b.modules.length - a.modules.length; })[0]"
    )
    click_node(driver, largest["node_id"])
    wait_for(driver, "return window.stranglerGraph.state.expanded.length === 1")
    assert len(node_ids(driver, "module")) == len(largest["modules"])
    assert min(label_heights(driver).values(), default=99) >= READABLE_PX  # the others, still readable
    save_screenshot(driver, tmp_path, "django-open.png")

    search = driver.find_element(By.ID, "search")
    search.send_keys("django.db.models.query")
    search.send_keys(Keys.ENTER)
    assert _state(driver, "g.state.focus") == "m:django.db.models.query"

    waves = Select(driver.find_element(By.ID, "wave"))
    waves.select_by_index(len(waves.options) - 1)
    assert "After wave" in driver.find_element(By.ID, "wave-info").text
    assert console_problems(driver) == []


def test_a_thousand_modules_render_in_under_two_seconds(browser: Any, tmp_path: Path) -> None:  # noqa: F811
    cb, dec = synthetic()
    assert len(cb.modules) == 1000 and len(dec.services) == 30
    driver = browser
    open_report(driver, write_report(cb, dec, tmp_path / "thousand.html"))
    drawn = _state(driver, "g.state.firstDraw")  # ms since the navigation started
    assert drawn < 2000, drawn
    assert len(node_ids(driver, "service")) == 31
    assert min(label_heights(driver).values()) >= READABLE_PX
    took = driver.execute_script(
        "var g = window.stranglerGraph, t = performance.now(); g.expandAll(); g.network.redraw();"
        "return performance.now() - t;"
    )
    assert _state(driver, "g.nodes.length") == 1000 + 31 - 0 and took < 2000, took
    frame = driver.execute_script(
        "var g = window.stranglerGraph, t = performance.now(); g.network.moveTo({scale: 0.5});"
        "g.network.redraw(); return performance.now() - t;"
    )
    assert frame < 250, frame  # one frame of pan or zoom over every module
    save_screenshot(driver, tmp_path, "thousand-open.png")
    assert console_problems(driver) == []
