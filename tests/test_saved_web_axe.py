"""The overview with saved searches on it, in headless Chromium against the real server: the
"new since you last looked" list is there, links to each search's list page, and passes axe-core
(WCAG 2.1 AA) like every other page. Skipped where Chromium or axe-playwright-python is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.alerts import add
from parley.resolve.persist import update
from parley.store import Store

from .test_resolve_stories import _signing, _visit
from .web.test_accessibility import violations
from .live_app import served
from .web.test_browser import ARGS, CHROMIUM, sync_api

pytestmark = pytest.mark.slow


def test_the_overview_lists_saved_searches_and_passes_axe(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    with Store(db) as store:
        store.add_many([_visit("a1", published="2024-05-02")])
        update(store)
        add(store, "signings in <Zenda>", "stories", {"type": "SUPPORT"})
        add(store, "all events", "events", {})
        store.add_many([_signing("s1")])
        update(store)
    with served(db) as url, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        pg = browser.new_page(base_url=url)
        pg.goto("/")
        items = pg.locator("section[aria-labelledby=saved-h] li")
        assert items.all_inner_texts() == ["all events (events): 1 new since you last looked",
                                           "signings in <Zenda> (stories): 1 new since you last looked"]
        assert violations(pg) == []
        pg.get_by_role("link", name="signings in <Zenda>").click()
        pg.wait_for_url("**/stories?type=SUPPORT")
        assert pg.locator("main a[href^='/stories/s']").count() == 1  # the one signing story
        browser.close()
