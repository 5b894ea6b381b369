"""The pipeline with a row whose stages have more evidence than it shows, in headless Chromium against
the real server: the link to the rest opens the opportunity's evidence page, which pages on, and both
pages pass axe-core (WCAG 2.1 AA), on a wide screen and a phone. Skipped where Chromium or
axe-playwright-python is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.store import Store

from .live_app import served
from .test_pipeline_evidence import PLANTS, _before, doc, intent, signed
from .web.test_accessibility import violations
from .web.test_browser import ARGS, CHROMIUM, sync_api

pytestmark = pytest.mark.slow


def test_the_rest_of_a_row_s_evidence_is_one_click_away_and_passes_axe(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    with Store(db) as store:
        for i, name in enumerate(PLANTS):
            store.add(doc(f"{i:03d}", f"2025-01-{i + 1:02d}", intent(name), "AGREE", "hopes", ["energy"],
                          before=_before(i)))
        store.add(doc("100", "2025-02-01", signed("Amber"), "AGREE", "signed", ["energy"], before=_before(100)))
    with served(db) as url, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for viewport in ({"width": 1366, "height": 900}, {"width": 390, "height": 844}):
            pg = browser.new_page(base_url=url, viewport=viewport)
            pg.goto("/pipeline")
            assert pg.locator("main p.evidence").count() == 3 + 1 + 1  # 3 intents, their link, 1 signing
            assert violations(pg) == []
            pg.get_by_role("link", name="All 7 pieces of intent evidence").click()
            pg.wait_for_url("**/pipeline/evidence?**")
            assert pg.locator("main tbody tr").count() == 7
            assert violations(pg) == []
            pg.goto(pg.url + "&limit=4")
            pg.get_by_role("link", name="Next →").click()
            assert pg.locator("main tbody tr").count() == 3 and "5–7 of 7" in pg.locator("nav.pager").inner_text()
            assert violations(pg) == []
            pg.close()
        browser.close()
