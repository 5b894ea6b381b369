"""The real UI in headless Chromium (Debian's, driven by Python Playwright) against a real uvicorn
server on 127.0.0.1: search, open an article, click a quote through to its speaker's page, open the
network and the map, filter events and export CSV, on a laptop and a phone screen. Each page is
saved as a screenshot under tests/artifacts/web/. Skipped, with the reason, where Chromium is absent.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..live_app import served
from .conftest import ARTIFACTS

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("PARLEY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not Path(CHROMIUM).exists():
    pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium; .ci/run does)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="Python Playwright is not installed")


@pytest.fixture(scope="module")
def server(web_db: Path) -> Iterator[str]:
    with served(web_db) as url:
        yield url


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    pg.on("dialog", lambda d: (pg.errors.append("dialog: " + d.message), d.dismiss()))
    outside = []
    context.route("**/*", lambda route: (outside.append(route.request.url), route.abort())
                  if not route.request.url.startswith(server) else route.continue_())
    yield pg
    assert not outside, f"the page reached outside the server: {outside}"
    assert not pg.errors, pg.errors
    context.close()


def shot(pg: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path


def test_home(page: Any) -> None:
    page.goto("/")
    assert page.locator("h1").inner_text() == "Engagement at a glance"
    assert page.locator("svg.chart rect").count() > 0
    page.get_by_role("link", name="sector", exact=True).click()  # htmx swaps the chart in place
    page.wait_for_url("**/?by=sector")
    assert "by sector" in page.locator("#chart h2").inner_text()
    shot(page, "home")


def test_search_article_quote_to_speaker(page: Any) -> None:
    page.goto("/")
    page.get_by_label("Search articles and quotes").fill("Chongqing")
    page.get_by_label("Search articles and quotes").press("Enter")
    page.wait_for_url("**/search?q=Chongqing")
    hits = page.locator("a.hit")
    assert hits.count() >= 1
    assert page.locator(".snippet mark").count() >= 1
    shot(page, "search")
    hits.first.click()
    page.wait_for_url("**/articles/*")
    assert page.locator(".text .quote").count() > 0 and page.locator(".text .trigger").count() > 0
    shot(page, "article")
    speaker = page.locator(".quote-item a.speaker[href]").first
    name = speaker.inner_text()
    speaker.click()
    page.wait_for_url("**/entities/**")
    assert name in page.locator("h1").inner_text()
    assert page.get_by_role("heading", name="Quotes").count() == 1
    shot(page, "entity")


def test_network(page: Any) -> None:
    page.goto("/network")
    page.wait_for_selector("#network[data-ready=true]", timeout=15000)
    assert page.locator("#network canvas").count() > 0
    edges = page.evaluate("window.parleyNetwork.edges().length")
    assert edges == page.locator("#graph-section tbody tr").count()
    shot(page, "network")
    # a tap on the heaviest edge (as cytoscape reports a click on it; a click by screen position lands
    # on whatever the layout put there, a node or a label, and made this test flaky) takes you to the
    # events behind it
    counted = page.evaluate("window.parleyNetwork.edges()[0].data('events')")
    source = page.evaluate("window.parleyNetwork.edges()[0].data('source')")
    page.evaluate("window.parleyNetwork.edges()[0].emit('tap')")
    page.wait_for_url("**/events?*actor_is=*recipient_is=*")
    # exactly the events the edge counted: the click filters by the two entities' keys, not by names
    assert page.locator("#results tbody tr").count() == counted
    exact = page.get_by_role("checkbox", name=f"Actor is exactly {source.partition(':')[2]}", exact=False)
    assert exact.is_checked()


def test_map(page: Any) -> None:
    page.goto("/map")
    page.wait_for_selector("#map[data-ready=true]", timeout=15000)
    assert page.locator("#map path.leaflet-interactive").count() >= 1  # the place markers
    assert page.locator("#map svg path").count() > 100  # the country outlines
    page.locator("#map path.leaflet-interactive").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "event" in popup.inner_text()
    shot(page, "map")


def test_filter_events_and_export_csv(page: Any) -> None:
    page.goto("/events")
    total = page.locator("#results tbody tr").count()
    page.get_by_role("textbox", name="Type").fill("CONSULT")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/events?*type=CONSULT*")
    page.wait_for_function("() => [...document.querySelectorAll('#results tbody tr td:nth-child(2) .tag')]"
                           ".every(t => t.textContent === 'CONSULT')")
    rows = page.locator("#results tbody tr").count()
    assert 1 <= rows <= total
    page.locator("#facets .facet").first.wait_for()  # the counts, loaded after the list
    assert "CONSULT" in page.locator("#facets").inner_text()
    shot(page, "events")
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").first.click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    found = list(csv.DictReader(io.StringIO(text)))
    assert len(found) == rows and {r["type"] for r in found} == {"CONSULT"}


def test_hostile_article_runs_nothing(page: Any, hostile_id: str) -> None:
    for url in (f"/articles/{hostile_id}", "/search?q=HYPERLINK", "/", "/quotes", "/events", "/network", "/map"):
        page.goto(url)
        if url in ("/network", "/map"):
            page.wait_for_selector("[data-ready=true]", timeout=15000)
        assert page.evaluate("typeof window.__xss") == "undefined", url
        assert page.locator("img[src=x]").count() == 0, url
    page.goto(f"/articles/{hostile_id}")
    assert "<script>window.__xss=" in page.locator("h1").inner_text()
    assert "<img src=x onerror=" in page.locator(".text").inner_text()
    shot(page, "hostile-article")


def test_phone_layout_and_keyboard(browser: Any, server: str, hostile_id: str) -> None:
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    for url, name in (("/", "phone-home"), (f"/articles/{hostile_id}", "phone-article"), ("/events", "phone-events")):
        pg.goto(url)
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 391, (url, width)  # nothing wider than the phone: no sideways scrolling
        shot(pg, name)
    pg.goto("/")
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.textContent") == "Skip to content"
    pg.keyboard.press("Enter")
    assert pg.evaluate("document.activeElement.id") == "main"
    context.close()


def test_readable_without_javascript(browser: Any, server: str, hostile_id: str) -> None:
    context = browser.new_context(base_url=server, java_script_enabled=False)
    pg = context.new_page()
    pg.goto(f"/articles/{hostile_id}")
    assert "Jo Smith" in pg.locator(".text").inner_text()
    pg.goto("/events?mode=visit")  # facets not computed yet for this filter: a link to them instead
    assert pg.locator("#results tbody tr").count() >= 1
    with pg.expect_navigation():  # the facets are a page of their own: wait for it, not for the click
        pg.get_by_role("link", name="Count these events by type, country and sector").click()
    assert pg.locator(".facet").count() == 3
    pg.goto("/network")
    assert pg.locator("#graph-section tbody tr").count() >= 1  # the edges as a table
    shot(pg, "no-js-network")
    context.close()
