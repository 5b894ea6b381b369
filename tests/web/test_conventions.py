"""HTTP conventions of the JSON API that clients and caches rely on: list envelopes with a total and
a next link, a capped `limit`, declared response fields, `Location` on POST, HEAD, gzip and ETags."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from parley.store import Store
from parley.web import create_app
MAX_LIMIT = 500  # the cap the API states (parley.web.models.MAX_LIMIT)

from .conftest import TOKEN, call

pytestmark = pytest.mark.slow

LISTS = ("/api/articles", "/api/entities", "/api/quotes", "/api/events", "/api/opportunities", "/api/pipeline",
         "/api/search?q=Chongqing")


def get(app: Any, url: str, **kwargs: Any) -> Any:
    r = call(app, "GET", url, **kwargs)
    assert r.status_code == 200, (url, r.status_code, r.text[:300])
    return r


def _with(url: str, **params: Any) -> str:
    return url + ("&" if "?" in url else "?") + "&".join(f"{k}={v}" for k, v in params.items())


@pytest.mark.parametrize("url", LISTS)
def test_every_list_answers_an_envelope_with_a_total_and_a_next_link(app: Any, url: str) -> None:
    first = get(app, url).json()
    assert {"items", "total", "limit", "offset", "next"} <= first.keys()
    assert first["limit"] == 50 and first["offset"] == 0 and first["total"] >= len(first["items"]) >= 1
    walked, page, link_seen = [], get(app, _with(url, limit=2)), False
    while True:
        body = page.json()
        assert body["total"] == first["total"] and body["limit"] == 2
        walked += body["items"]
        if body["next"] is None:
            assert "link" not in page.headers
            break
        assert page.headers["link"] == f'<{body["next"]}>; rel="next"'
        link_seen = True
        page = get(app, body["next"])
    assert walked == first["items"][:len(walked)] and len(walked) == first["total"]
    assert link_seen or first["total"] <= 2


@pytest.mark.parametrize("url, kind, filters", [
    ("/api/events?type=CONSULT", "events", {"type": "CONSULT"}),
    ("/api/events?country=GBR", "events", {"country": "GBR"}),
    ("/api/events?sector=trade", "events", {"sector": "trade"}),
    ("/api/quotes?kind=direct", "quotes", {"kind": "direct"}),
    ("/api/entities?type=PERSON", "entities", {"type": "PERSON"}),
    ("/api/opportunities?country=CHN", "opportunities", {"country": "CHN"}),
    ("/api/articles?since=2025-03", "articles", {"since": "2025-03"}),
])
def test_a_total_counts_every_row_the_filters_select(app: Any, web_db: Path, url: str, kind: str,
                                                      filters: dict[str, str]) -> None:
    with Store(web_db) as store:
        expected = len(getattr(store, kind)(**filters, limit=None))
    assert expected >= 2
    assert get(app, _with(url, limit=1)).json()["total"] == expected  # a full page: the store counts
    assert get(app, _with(url, limit=1, offset=expected + 5)).json()["total"] == expected  # past the end


def test_a_limit_over_the_cap_is_served_capped_and_the_cap_is_stated(app: Any) -> None:
    body = get(app, "/api/events?limit=100000").json()
    assert body["limit"] == MAX_LIMIT and len(body["items"]) <= MAX_LIMIT
    assert get(app, "/articles?limit=100000").status_code == 200  # the pages share the cap
    assert call(app, "GET", "/api/events?limit=0").status_code == 422
    schema = get(app, "/openapi.json").json()
    limit = next(p for p in schema["paths"]["/api/events"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["x-maximum-served"] == MAX_LIMIT and str(MAX_LIMIT) in limit["description"]
    assert "maximum" not in limit["schema"]
    envelope = schema["components"]["schemas"]["EventPage"]["properties"]["limit"]
    assert envelope["maximum"] == MAX_LIMIT


def _properties(schema: dict[str, Any], ref: dict[str, Any]) -> dict[str, Any]:
    return schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]["properties"]


def test_every_answer_declares_its_fields(app: Any, hostile_id: str) -> None:
    """Each JSON answer's schema names every field a real answer carries (a generated client has
    typed models, not empty ones)."""
    schema = get(app, "/openapi.json").json()
    for url in LISTS:
        path = url.split("?")[0]
        declared = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        page = _properties(schema, declared)
        body = get(app, url).json()
        assert set(body) <= set(page), (url, set(body) - set(page))
        row = _properties(schema, page["items"]["items"])
        for item in body["items"]:
            assert set(item) <= set(row), (url, set(item) - set(row))
    doc = _properties(schema, schema["paths"]["/api/articles/{article_id}"]["get"]["responses"]["200"]
                      ["content"]["application/json"]["schema"])
    got = get(app, f"/api/articles/{hostile_id}").json()
    assert set(got) <= set(doc)
    for name in ("entities", "quotes", "events", "dates"):
        inner = _properties(schema, doc[name]["items"])
        assert all(set(x) <= set(inner) for x in got[name]), name
    for name in ("Counts", "EntityProfile", "Network", "Place", "TimelineRow", "Facets"):
        assert schema["components"]["schemas"][name]["properties"], name


def test_posting_answers_201_with_the_location_of_the_stored_article(tmp_path: Path) -> None:
    app = create_app(tmp_path / "w.db", token=TOKEN)
    odd_id = "wire/2025/03?talks #1"
    r = call(app, "POST", "/api/articles", token=TOKEN,
             json={"text": "The Mayor of Leeds met Li Wei in Chongqing on Wednesday.", "id": odd_id})
    assert r.status_code == 201
    assert r.headers["location"] == "/api/articles/" + quote(odd_id, safe="")
    assert get(app, r.headers["location"]).json()["article"]["id"] == odd_id
    schema = get(app, "/openapi.json").json()
    assert schema["paths"]["/api/articles"]["post"]["responses"]["201"]["headers"]["Location"]["required"]
    app.state.workbench.store.close()


def test_head_answers_like_get_without_a_body(app: Any, hostile_id: str) -> None:
    for url in ("/api/events", "/api/counts", f"/api/articles/{hostile_id}", "/events", "/", "/export/events.csv"):
        full, head = get(app, url), call(app, "HEAD", url)
        assert head.status_code == 200 and head.content == b"", url
        assert head.headers["content-type"] == full.headers["content-type"]
        assert head.headers["etag"] == full.headers["etag"]
    assert call(app, "HEAD", "/api/articles/" + "0" * 40).status_code == 404
    refused = call(app, "DELETE", "/api/events")
    assert refused.status_code == 405 and "HEAD" in refused.headers["allow"].split(", ")


def test_large_answers_are_gzipped_for_clients_that_accept_it(app: Any) -> None:
    plain = get(app, "/api/events?limit=500", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    zipped = get(app, "/api/events?limit=500", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and "Accept-Encoding" in zipped.headers["vary"]
    assert zipped.json() == plain.json()  # httpx inflates it
    assert int(zipped.headers["content-length"]) < len(plain.content)
    assert get(app, "/events", headers={"Accept-Encoding": "gzip"}).headers["content-encoding"] == "gzip"
    assert "content-encoding" not in get(app, "/api/counts", headers={"Accept-Encoding": "gzip"}).headers


def test_etags_let_pages_and_lists_be_revalidated(tmp_path: Path) -> None:
    app = create_app(tmp_path / "e.db", token=TOKEN)
    body = {"text": "The Mayor of Leeds, Jo Smith, met Li Wei in Chongqing on Wednesday.", "published": "2025-03-19"}
    call(app, "POST", "/api/articles", token=TOKEN, json=body)
    for url in ("/api/articles", "/api/events", "/articles", "/events", "/"):
        first = get(app, url)
        tag = first.headers["etag"]
        assert re.fullmatch(r'W/"[0-9a-f]{32}"', tag) and first.headers["cache-control"] == "no-cache", url
        unchanged = call(app, "GET", url, headers={"If-None-Match": tag})
        assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["etag"] == tag
        assert call(app, "GET", url, headers={"If-None-Match": f'"other", {tag}'}).status_code == 304
        assert get(app, url, headers={"If-None-Match": '"other"'}).headers["etag"] == tag
    before = get(app, "/api/articles").headers["etag"]
    call(app, "POST", "/api/articles", token=TOKEN, json={**body, "text": "Ruritania's envoy met Li Wei in Lyon."})
    changed = call(app, "GET", "/api/articles", headers={"If-None-Match": before})
    assert changed.status_code == 200 and changed.headers["etag"] != before
    assert call(app, "GET", "/api/nothing-here", headers={"If-None-Match": "*"}).status_code == 404
    app.state.workbench.store.close()

