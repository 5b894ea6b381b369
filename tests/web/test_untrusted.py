"""Untrusted text stays text: an article carrying <script>, <img onerror=...> and =HYPERLINK(...)
(ingested through POST /api/articles in conftest) is shown escaped on every page and defused in
every CSV export. `test_browser.py` checks in Chromium that nothing runs."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import quote

import pytest

from parley.output import FORMULA_PREFIXES

from .conftest import call

pytestmark = pytest.mark.slow

RAW = ("<script>window.__xss", "<img src=x onerror", "<b>Evil</b>")


def pages_showing(app: Any, aid: str) -> list[str]:
    doc = call(app, "GET", f"/api/articles/{aid}").json()
    urls = [f"/articles/{aid}", "/", "/search?q=HYPERLINK", "/search?q=Leeds", "/articles", "/quotes",
            "/events", "/opportunities", "/entities", "/network", "/map"]
    urls += [f"/articles/{aid}/quotes/{q['id']}" for q in doc["quotes"]]
    urls += [f"/articles/{aid}/events/{v['id']}" for v in doc["events"]]
    urls += [f"/entities/{e['type']}/{quote(e['name'], safe='')}" for e in doc["entities"]]
    return urls


def test_the_hostile_article_was_analysed(app: Any, hostile_id: str) -> None:
    doc = call(app, "GET", f"/api/articles/{hostile_id}").json()
    assert "<script>" in doc["article"]["headline"] and "onerror" in doc["article"]["text"]
    assert any("HYPERLINK" in q["text"] for q in doc["quotes"]), doc["quotes"]
    assert doc["events"]


def test_no_page_carries_the_markup(app: Any, hostile_id: str) -> None:
    for url in pages_showing(app, hostile_id):
        r = call(app, "GET", url)
        assert r.status_code == 200, url
        for raw in RAW:
            assert raw not in r.text, (url, raw)
    article = call(app, "GET", f"/articles/{hostile_id}").text
    assert "&lt;script&gt;window.__xss=" in article
    assert "&lt;img src=x onerror=" in article
    assert "javascript:" not in article  # the article's url is not made a link


def test_json_is_served_as_json(app: Any, hostile_id: str) -> None:
    r = call(app, "GET", f"/api/articles/{hostile_id}")
    assert r.headers["content-type"] == "application/json"
    assert r.headers["x-content-type-options"] == "nosniff"


def test_no_csv_cell_is_a_formula(app: Any) -> None:
    seen_hyperlink = False
    for kind in ("articles", "quotes", "events", "entities", "opportunities"):
        text = call(app, "GET", f"/export/{kind}.csv").text
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.startswith(FORMULA_PREFIXES), (kind, cell)
                seen_hyperlink |= cell.startswith("'=HYPERLINK")
    text = call(app, "GET", "/export/search.csv?q=HYPERLINK").text
    assert all(not c.startswith(FORMULA_PREFIXES) for row in csv.reader(io.StringIO(text)) for c in row)
    assert seen_hyperlink
