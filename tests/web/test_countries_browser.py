"""The country and place pages in headless Chromium against a real server over invented documents
(tests/places_fixtures.py): axe-core finds nothing on a laptop or a phone screen (filters folded
there), the place page's map draws its places, the phone layout scrolls no table sideways and shows
results on its first screen, and each page is saved as a screenshot under tests/artifacts/web/
(countries*.png, country-*.png, place-*.png, events-filters-phone.png)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from parley.store import Store

from ..places_fixtures import documents
from .conftest import ARTIFACTS
from .test_accessibility import violations
from ..live_app import served
from .test_browser import browser, page  # noqa: F401  (the fixtures, shared)

pytestmark = pytest.mark.slow

PAGES = {"countries": "/countries", "country-CHN": "/countries/CHN", "country-KEN": "/countries/KEN",
         "place-Sichuan": "/entities/GPE/Sichuan", "place-Mianyang": "/entities/GPE/Mianyang",
         "visits-China": "/visits?place=China", "pipeline": "/pipeline",
         "events-filtered": "/events?country=CHN&since=2020", "network": "/network"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over the invented store (named `server`, so the shared browser fixtures use it)."""
    db = str(tmp_path_factory.mktemp("places-browser") / "places.db")
    with Store(db) as s:
        s.add_many(documents())
    with served(db) as url:
        yield url


def shot(pg: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_new_pages_pass_axe_and_are_saved(page: Any) -> None:  # noqa: F811  (the fixture)
    failures = {}
    for name, url in PAGES.items():
        page.goto(url)
        if page.locator("#map").count():
            page.wait_for_selector("#map[data-ready=true]", timeout=15000)
        found = violations(page)
        if found:
            failures[url] = found
        shot(page, name)
    assert not failures, "\n".join(f"{u}:\n  " + "\n  ".join(v) for u, v in failures.items())


def test_place_map_draws_the_place_and_those_inside_it(page: Any) -> None:  # noqa: F811
    page.goto("/entities/GPE/Sichuan")
    page.wait_for_selector("#map[data-ready=true]", timeout=15000)
    assert page.locator("#map path.leaflet-interactive").count() == 2  # Sichuan and Mianyang
    assert "2 places" in page.locator("#map-status").inner_text()


def test_from_a_country_to_a_partner_and_to_a_place(page: Any) -> None:  # noqa: F811
    page.goto("/countries")
    page.get_by_role("link", name="Chile", exact=True).click()
    page.wait_for_url("**/countries/CHL")
    assert page.locator("h1").inner_text().startswith("Chile")
    page.get_by_role("link", name="China", exact=True).first.click()
    page.wait_for_url("**/countries/CHN")
    page.get_by_role("link", name="Every visit to China →").click()
    page.wait_for_url("**/visits?place=China")
    assert page.locator("#results tbody tr").count() == 2  # from Chile and from Kenya, not China's own to Kenya


def test_phone_pages_pass_axe_and_scroll_no_table_sideways(browser: Any, server: str) -> None:  # noqa: F811
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    failures = {}
    for name, url in PAGES.items():
        pg.goto(url)
        found = violations(pg)
        if found:
            failures[url] = found
        wide = pg.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not wide, f"{url} scrolls sideways on a phone"
        cards = pg.evaluate("[...document.querySelectorAll('main .scroll')].map(t => t.scrollWidth <= t.clientWidth + 1)")
        assert all(cards), f"{url}: a table scrolls sideways on a phone"
        shot(pg, f"{name}-phone")
    context.close()
    assert not failures, failures


# page -> what its first result is: on a phone it must start on the first screen
FIRST_RESULT = {"/events": "#results tbody tr", "/visits?place=China": "#results tbody tr",
                "/pipeline": "#results tbody tr", "/quotes": "#results li, #results tbody tr",
                "/network": "#network"}


def test_phone_folds_the_filters_and_shows_results_first(browser: Any, server: str) -> None:  # noqa: F811
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    for url, first in FIRST_RESULT.items():
        pg.goto(url)
        fold = pg.locator("details.fold").first
        assert fold.evaluate("d => d.open") is False, f"{url}: the filters are not folded on a phone"
        assert pg.locator("details.fold form").first.is_hidden()
        box = pg.locator(first).first.bounding_box()
        assert box is not None and box["y"] < 844 - 40, f"{url}: the first result starts at {box} (below the first screen)"
    pg.goto("/events?sector=trade")
    summary = pg.locator("details.fold summary").first
    assert summary.inner_text() == "Filters (1 active)"
    summary.click()  # a tap opens the form, the filter kept in it
    assert pg.get_by_role("textbox", name="Sector").input_value() == "trade"
    shot(pg, "events-filters-phone")
    context.close()


def test_laptop_shows_the_filters_open(page: Any) -> None:  # noqa: F811
    for url in FIRST_RESULT:
        page.goto(url)
        assert page.locator("details.fold").first.evaluate("d => d.open") is True, url
        assert page.locator("details.fold form").first.is_visible()


def test_a_place_pages_small_map_shows_the_place_among_its_neighbours(page: Any) -> None:  # noqa: F811
    page.goto("/entities/GPE/Mianyang")
    page.wait_for_selector("#map[data-ready=true]", timeout=15000)
    assert page.evaluate("window.parleyMap.getZoom()") <= 4  # not zoomed into one country's fill
    page.goto("/map?place=Mianyang")
    page.wait_for_selector("#map[data-ready=true]", timeout=15000)
    assert page.evaluate("window.parleyMap.getZoom()") > 4  # the full map may come closer
