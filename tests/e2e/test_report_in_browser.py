"""The HTML report in a real headless Chromium: loads cleanly, the graph shows, clicks and search work.

The helpers here (the `browser` fixture, `open_report`, `node_point`, `label_heights`, ...) are shared
with `test_view_interactive.py`, which drives the full map on the example app, on Django and on a
synthetic 1,000-module codebase. Screenshots go under pytest's temporary directory (paths printed
with `-s`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from analyzers.model import Codebase
from strangler.boundaries.decomposition import Decomposition
from strangler.cli.graph_command import build_output
from strangler.render.html import report_html
from strangler.render.servicegraph import service_graph
from strangler.render.visjs import library_script
from tests.builders import codebase, decomposition
from tests.conftest import require_tool
from tests.view_support import shop

#: The screenshots' viewport (CSS px), forced so that the picture is the same size everywhere.
VIEWPORT = (1400, 1000)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    chromium = require_tool("chromium")
    chromedriver = require_tool("chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--window-size=1400,1000",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(chromedriver))
    width, height = VIEWPORT
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        yield driver
    finally:
        driver.quit()


def write_report(cb: Codebase, dec: Decomposition, path: Path) -> Path:
    """The report as `strangler graph -o FILE.html` writes it (plan and graph library included)."""
    page, warnings = build_output(cb, dec, "html", level="service", focus=None, max_nodes=150)
    assert warnings == []
    path.write_bytes(page)
    return path


def open_report(driver: Any, page: Path) -> None:
    """Load `page` and wait for the graph's first drawing."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(page.as_uri())
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script(
            "return !!(window.stranglerGraph && window.stranglerGraph.state.firstDraw)"
        )
    )


def console_problems(driver: Any) -> list[dict[str, Any]]:
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def label_heights(driver: Any) -> dict[str, float]:
    """Height in CSS px of every service label on screen: its font size times the zoom."""
    heights: dict[str, float] = driver.execute_script(
        """
        var g = window.stranglerGraph, scale = g.network.getScale(), out = {};
        g.nodes.get().forEach(function (n) {
          if (n.kind === "service") { out[n.id] = g.network.body.nodes[n.id].options.font.size * scale; }
        });
        return out;
        """
    )
    return heights


def node_ids(driver: Any, kind: str | None = None) -> list[str]:
    ids: list[str] = driver.execute_script(
        "var k = arguments[0]; return window.stranglerGraph.nodes.get()"
        ".filter(function (n) { return !k || n.kind === k; }).map(function (n) { return n.id; });",
        kind,
    )
    return sorted(ids)


def node_point(driver: Any, node_id: str) -> tuple[float, float]:
    """Where node `node_id` is drawn, in CSS px from the canvas's top left corner."""
    point: dict[str, float] = driver.execute_script(
        "var g = window.stranglerGraph; return g.network.canvasToDOM(g.network.getPosition(arguments[0]));",
        node_id,
    )
    return point["x"], point["y"]


def canvas(driver: Any) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, "#graph-canvas canvas")


def pointer_at(driver: Any, x: float, y: float) -> Any:
    """An ActionChains with the pointer moved to (x, y) of the canvas (CSS px from its top left)."""
    from selenium.webdriver import ActionChains

    element = canvas(driver)
    size = element.size
    return ActionChains(driver).move_to_element_with_offset(
        element, round(x - size["width"] / 2), round(y - size["height"] / 2)
    )


def click_node(driver: Any, node_id: str) -> None:
    x, y = node_point(driver, node_id)
    pointer_at(driver, x, y).click().perform()


def wait_for(driver: Any, script: str, *args: Any, timeout: float = 10) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(lambda d: d.execute_script(script, *args))


def save_screenshot(driver: Any, folder: Path, name: str) -> Path:
    shot = folder / name
    driver.save_screenshot(str(shot))
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000
    return shot


def test_report_in_chromium(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver = browser
    open_report(driver, write_report(*shop(), tmp_path / "report.html"))
    drawn = canvas(driver)
    assert drawn.is_displayed() and drawn.size["width"] > 600 and drawn.size["height"] > 400
    assert node_ids(driver, "service") == ["svc-1-accounts", "svc-2-inventory", "svc-3-orders", "svc-kernel"]
    assert min(label_heights(driver).values()) >= 11

    click_node(driver, "svc-3-orders")  # opens into its modules, and the panel shows the service
    wait_for(driver, "return window.stranglerGraph.state.expanded.indexOf('orders') >= 0")
    assert "svc-3-orders" not in node_ids(driver)
    assert node_ids(driver, "module") == [
        "m:shop.orders",
        "m:shop.orders.models",
        "m:shop.orders.service",
        "m:shop.orders.views",
    ]
    details = driver.find_element(By.ID, "details")
    modules = [
        li.get_attribute("data-module") for li in details.find_elements(By.CSS_SELECTOR, "li[data-module]")
    ]
    assert modules == ["shop.orders", "shop.orders.models", "shop.orders.service", "shop.orders.views"]
    text = details.text
    assert "GET /orders/" in text and "shop.orders.models.Order" in text
    assert "serves /orders/*" in text  # the reason of a module
    save_screenshot(driver, tmp_path, "shop-orders-open.png")

    click_node(driver, "h:svc-3-orders")  # its title bar closes it again
    wait_for(driver, "return window.stranglerGraph.state.expanded.length === 0")
    assert "svc-3-orders" in node_ids(driver) and node_ids(driver, "module") == []

    search = driver.find_element(By.ID, "search")
    search.send_keys("inventory.mod")
    matches = driver.find_elements(By.CSS_SELECTOR, "#matches button")
    assert [m.get_attribute("data-module") for m in matches] == ["shop.inventory.models"]
    search.send_keys(Keys.ENTER)
    hit = details.find_element(By.CSS_SELECTOR, "li.hit")
    assert hit.get_attribute("data-module") == "shop.inventory.models"
    assert "reason for shop.inventory.models" in hit.text
    assert driver.execute_script("return window.stranglerGraph.state.focus") == "m:shop.inventory.models"
    x, y = node_point(driver, "m:shop.inventory.models")  # centred
    assert abs(x - drawn.size["width"] / 2) < 2 and abs(y - drawn.size["height"] / 2) < 2
    assert console_problems(driver) == []


def test_long_module_lists_start_collapsed_and_search_opens_them(browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    modules = {f"big.m{i:03d}": 10 for i in range(120)} | {"small.a": 5}
    cb = codebase(modules, imports=[("small.a", "big.m000", 1)])
    dec = decomposition({"big": [m for m in modules if m.startswith("big.")], "small": ["small.a"]})
    page = tmp_path / "big.html"
    page.write_text(report_html(cb, dec, service_graph(cb, dec), library=library_script()))
    driver = browser
    open_report(driver, page)
    driver.find_element(By.CSS_SELECTOR, 'button[data-service="big"]').click()
    fold = driver.find_element(By.CSS_SELECTOR, "#details details.fold")
    assert fold.get_attribute("open") is None and "Modules (120)" in fold.text
    search = driver.find_element(By.ID, "search")
    search.send_keys("big.m117")
    search.send_keys(Keys.ENTER)
    hit = driver.find_element(By.CSS_SELECTOR, "#details li.hit")
    assert hit.get_attribute("data-module") == "big.m117" and hit.is_displayed()
    assert driver.find_element(By.CSS_SELECTOR, "#details details.fold").get_attribute("open") is not None
    assert driver.execute_script("return window.stranglerGraph.state.expanded") == ["big"]
    assert console_problems(driver) == []
