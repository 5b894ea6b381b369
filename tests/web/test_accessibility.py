"""Accessibility of every page, measured by axe-core (Deque's engine, the one browsers' audits use)
in headless Chromium against the real server: colour contrast (WCAG 2 AA), labels, names of links
and buttons, landmarks, headings, ARIA. Each page is checked as served and, for the pages that draw
with JavaScript, once the drawing is done.

axe-core comes pinned inside the PyPI package axe-playwright-python (the test extra), not from a
CDN. Skipped, with the reason, where Chromium or that package is absent.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from .test_browser import browser, page, server  # noqa: F401  (the fixtures, shared)

pytestmark = pytest.mark.slow
axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright",
                               reason="axe-playwright-python is not installed (pip install '.[test]')")

#: WCAG 2.0/2.1 A and AA, the level public-sector sites are held to, plus axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
#: Pages whose content is drawn after load, and what says the drawing is done.
READY = {"/network": "#network[data-ready=true]", "/map": "#map[data-ready=true]"}


def violations(pg: Any) -> list[str]:
    """axe's violations on the page as shown, one line each: rule, impact, and the first elements."""
    results = axe_sync.Axe().run(pg, options={"runOnly": {"type": "tag", "values": TAGS},
                                              "resultTypes": ["violations"]})
    found = []
    for v in results.response["violations"]:
        where = "; ".join(" ".join(n["target"]) + (f" ({n['failureSummary']})" if n.get("failureSummary") else "")
                          for n in v["nodes"][:3])
        found.append(f"{v['id']} [{v['impact']}] x{len(v['nodes'])}: {where}")
    return found


def page_urls(pg: Any) -> list[str]:
    """Every kind of page: the fixed ones, and one article, entity, quote and event reached by links."""
    urls = ["/", "/?by=sector", "/search?q=" + quote("mayor"), "/articles", "/entities", "/quotes",
            "/events", "/events/facets", "/opportunities", "/pipeline", "/visits", "/stories", "/network", "/map", "/api"]
    pg.goto("/articles")
    urls.append(pg.locator("main a[href^='/articles/']").first.get_attribute("href"))
    pg.goto("/entities")
    urls.append(pg.locator("main a[href^='/entities/']").first.get_attribute("href"))
    pg.goto("/quotes")
    urls.append(pg.locator("main a[href^='/articles/'][href*='/quotes/']").first.get_attribute("href"))
    pg.goto("/events")
    urls.append(pg.locator("main a[href^='/articles/'][href*='/events/']").first.get_attribute("href"))
    return urls


def test_every_page_passes_axe(page: Any) -> None:  # noqa: F811  (the fixture)
    failures = {}
    for url in page_urls(page):
        page.goto(url)
        if url in READY:
            page.wait_for_selector(READY[url], timeout=15000)
        found = violations(page)
        if found:
            failures[url] = found
    assert not failures, "\n".join(f"{u}:\n  " + "\n  ".join(v) for u, v in failures.items())


def test_phone_pages_pass_axe(browser: Any, server: str) -> None:  # noqa: F811
    context = browser.new_context(base_url=server, viewport={"width": 390, "height": 844}, is_mobile=True)
    pg = context.new_page()
    failures = {}
    for url in ("/", "/events", "/search?q=" + quote("trade")):
        pg.goto(url)
        found = violations(pg)
        if found:
            failures[url] = found
    context.close()
    assert not failures, failures
