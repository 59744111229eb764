"""The HTML report in a real headless Chromium: loads cleanly, the graph shows, clicks and search work.

Saves a screenshot under a temporary directory (its path is printed; CI keeps it as an artefact).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from strangler.render.dot import service_dot
from strangler.render.html import report_html
from strangler.render.rendering import inline_svg, render
from strangler.render.servicegraph import service_graph
from tests.conftest import require_tool
from tests.view_support import codebase, decomposition, shop


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
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
        "--window-size=1400,1000",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(chromedriver))
    try:
        yield driver
    finally:
        driver.quit()


def _report(tmp_path: Path) -> Path:
    require_tool("dot")
    cb, dec = shop()
    graph = service_graph(cb, dec)
    page = tmp_path / "report.html"
    page.write_text(report_html(cb, dec, graph, inline_svg(render(service_dot(graph), "svg"))))
    return page


def test_report_in_chromium(browser: object, tmp_path: Path) -> None:
    from selenium.webdriver import Chrome
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    assert isinstance(browser, Chrome)
    driver = browser
    driver.get(_report(tmp_path).as_uri())

    svg = driver.find_element(By.CSS_SELECTOR, "#graph svg")
    assert svg.is_displayed() and svg.size["width"] > 300 and svg.size["height"] > 100

    driver.find_element(By.ID, "svc-3-orders").click()
    details = driver.find_element(By.ID, "details")
    modules = [
        li.get_attribute("data-module") for li in details.find_elements(By.CSS_SELECTOR, "li[data-module]")
    ]
    assert modules == ["shop.orders", "shop.orders.models", "shop.orders.service", "shop.orders.views"]
    text = details.text
    assert "GET /orders/" in text and "shop.orders.models.Order" in text
    assert "serves /orders/*" in text  # the reason of a module
    assert "selected" in (driver.find_element(By.ID, "svc-3-orders").get_attribute("class") or "")

    search = driver.find_element(By.ID, "search")
    search.send_keys("inventory.mod")
    matches = driver.find_elements(By.CSS_SELECTOR, "#matches button")
    assert [m.get_attribute("data-module") for m in matches] == ["shop.inventory.models"]
    search.send_keys(Keys.ENTER)
    hit = details.find_element(By.CSS_SELECTOR, "li.hit")
    assert hit.get_attribute("data-module") == "shop.inventory.models"
    assert "reason for shop.inventory.models" in hit.text
    assert "selected" in (driver.find_element(By.ID, "svc-2-inventory").get_attribute("class") or "")

    shots = Path(tempfile.mkdtemp(prefix="strangler-screenshots-"))
    shot = shots / "graph-report.png"
    driver.save_screenshot(str(shot))
    print(f"screenshot: {shot}")
    assert shot.stat().st_size > 10_000

    log = driver.get_log("browser")  # type: ignore[no-untyped-call]
    errors = [entry for entry in log if entry["level"] in ("SEVERE", "WARNING")]
    assert errors == []


def test_long_module_lists_start_collapsed_and_search_opens_them(browser: object, tmp_path: Path) -> None:
    from selenium.webdriver import Chrome
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    assert isinstance(browser, Chrome)
    modules = {f"big.m{i:03d}": 10 for i in range(120)} | {"small.a": 5}
    cb = codebase(modules, imports=[("small.a", "big.m000", 1)])
    dec = decomposition({"big": [m for m in modules if m.startswith("big.")], "small": ["small.a"]})
    page = tmp_path / "big.html"
    page.write_text(report_html(cb, dec, service_graph(cb, dec), None))
    driver = browser
    driver.get(page.as_uri())
    driver.find_element(By.CSS_SELECTOR, 'button[data-service="big"]').click()
    fold = driver.find_element(By.CSS_SELECTOR, "#details details.fold")
    assert fold.get_attribute("open") is None and "Modules (120)" in fold.text
    search = driver.find_element(By.ID, "search")
    search.send_keys("big.m117")
    search.send_keys(Keys.ENTER)
    hit = driver.find_element(By.CSS_SELECTOR, "#details li.hit")
    assert hit.get_attribute("data-module") == "big.m117" and hit.is_displayed()
    assert driver.find_element(By.CSS_SELECTOR, "#details details.fold").get_attribute("open") is not None
