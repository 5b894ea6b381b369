"""The briefing on the web and in a browser: /brief in the workbench's layout, /brief.pdf, a bad
period refused with a hint; in headless Chromium (against a real server on 127.0.0.1), the page and
the standalone file pass axe (WCAG 2.1 AA and best practices) and request nothing from elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from parley.store import Store
from parley.web import create_app

from .live_app import served
from .brief_fixtures import PROMISE, UNTIL, VISIT, fill
from .test_brief import needs_poppler, needs_weasyprint, parse, pdf_links
from .web.conftest import ARTIFACTS, call

QUERY = f"/brief?since=7d&until={UNTIL}"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return fill(tmp_path_factory.mktemp("brief-web") / "brief.db")


@pytest.fixture(scope="module")
def app(db: str) -> Iterator[Any]:
    application = create_app(db)
    yield application
    application.state.workbench.store.close()


def test_the_page_shows_the_briefing_in_the_layout_with_links_on_this_server(app: Any) -> None:
    r = call(app, "GET", QUERY)
    assert r.status_code == 200
    assert '<a href="/brief">Briefing</a>' in r.text  # the nav
    assert VISIT in r.text and PROMISE in r.text
    assert 'href="/articles/a1/events/v1"' in r.text and 'href="/articles/a1/quotes/q1"' in r.text
    assert 'href="/stories/s' in r.text  # the stories `parley ingest` resolved, read as stored
    urls = [u for _, u in parse(r.text).urls]
    assert urls and all(u[:1] in "/#" and not u.startswith("//") for u in urls), urls  # none elsewhere
    assert 'href="/brief.pdf?since=7d&amp;until=2025-03-16"' in r.text


def test_an_unreadable_period_is_refused_with_what_would_do(app: Any) -> None:
    r = call(app, "GET", "/brief?since=2025-04-01&until=2025-03-01")
    assert r.status_code == 422 and "on or before --until" in r.text
    assert call(app, "GET", "/brief?since=soon").status_code == 422


def test_an_empty_period_is_stated(app: Any) -> None:
    r = call(app, "GET", "/brief?since=7d&until=2030-01-07")
    assert r.status_code == 200 and 'id="empty-period"' in r.text


@needs_poppler
def test_the_pdf_is_served_with_links_to_this_server(app: Any, tmp_path: Path) -> None:
    needs_weasyprint()
    r = call(app, "GET", QUERY.replace("/brief", "/brief.pdf") + "&paper=letter")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and b"briefing-2025-03-10-2025-03-16.pdf" in r.headers["content-disposition"].encode()
    (tmp_path / "b.pdf").write_bytes(r.content)
    links = pdf_links(tmp_path / "b.pdf")
    assert "http://testserver/articles/a1/events/v1" in links  # absolute: the PDF travels
    assert all(u.startswith("http://testserver/") for u in links), links


# --- in Chromium -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(db: str) -> Iterator[str]:
    pytest.importorskip("uvicorn")
    with served(db) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from .web.test_browser import ARGS, CHROMIUM, sync_api  # skips the module's tests without Chromium

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


def _open(chromium: Any, url: str, allowed: str) -> tuple[Any, Any, list[str]]:
    """A page at `url` whose every request outside `allowed` is recorded and refused."""
    context = chromium.new_context(viewport={"width": 1100, "height": 900})
    outside: list[str] = []
    context.route("**/*", lambda route: (outside.append(route.request.url), route.abort())
                  if not route.request.url.startswith(allowed) else route.continue_())
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.goto(url)
    return context, pg, outside + errors


@pytest.mark.slow
def test_the_page_passes_axe_and_reaches_nothing_outside(chromium: Any, server: str) -> None:
    from .web.test_accessibility import violations

    context, pg, outside = _open(chromium, server + QUERY, server)
    assert pg.locator("h2#h-stories").is_visible() and pg.locator("svg[role=img]").count() >= 4
    found = violations(pg)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "brief.png"), full_page=True)
    context.close()
    assert not outside, outside
    assert not found, "\n".join(found)


@pytest.mark.slow
def test_the_standalone_file_passes_axe_and_requests_nothing(chromium: Any, db: str, tmp_path: Path) -> None:
    from parley.brief import briefing, period_from

    from .web.test_accessibility import violations

    with Store(db) as store:
        html = briefing(store, period_from("7d", UNTIL), base_url="http://127.0.0.1:8000")
    path = tmp_path / "brief.html"
    path.write_text(html, encoding="utf-8")
    context, pg, outside = _open(chromium, path.as_uri(), path.as_uri())
    assert pg.locator("h1").inner_text() == "Engagement briefing"
    found = violations(pg)
    context.close()
    assert not outside, outside  # the file needs nothing but itself: no style sheet, font, image or script
    assert not found, "\n".join(found)
