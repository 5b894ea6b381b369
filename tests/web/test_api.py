"""The JSON API, pages and exports in process (httpx's ASGI transport, no server), on real analyses."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from parley.store import Store
from parley.web import create_app

from .conftest import TOKEN, call

pytestmark = pytest.mark.slow


def get(app: Any, url: str) -> Any:
    r = call(app, "GET", url)
    assert r.status_code == 200, (url, r.status_code, r.text[:300])
    return r


def test_counts_match_the_store(app: Any, web_db: Path) -> None:
    with Store(web_db) as store:
        assert get(app, "/api/counts").json() == store.counts()


def test_an_article_document_round_trips(app: Any, web_db: Path) -> None:
    with Store(web_db) as store:
        row = store.articles(limit=1)[0]
        doc = store.get(row["id"])
    assert get(app, f"/api/articles/{row['id']}").json() == doc.to_dict()
    assert call(app, "GET", "/api/articles/" + "0" * 40).status_code == 404


def test_lists_take_the_same_filters_as_the_cli(app: Any, web_db: Path) -> None:
    with Store(web_db) as store:
        events = store.events(type="CONSULT", limit=50)
        quotes = store.quotes(kind="direct", limit=50)
        people = store.entities(type="PERSON", limit=50)
    got = get(app, "/api/events?type=CONSULT").json()["items"]
    assert [(e["article_id"], e["id"]) for e in got] == [(e["article_id"], e["id"]) for e in events]
    assert len(get(app, "/api/quotes?kind=direct").json()["items"]) == len(quotes)
    assert [p["name"] for p in get(app, "/api/entities?type=PERSON").json()["items"]] == [p["name"] for p in people]
    assert get(app, "/api/events?limit=1&offset=1").json()["items"] == get(app, "/api/events?limit=2").json()["items"][1:]


def test_bad_parameters_are_a_422_not_a_500(app: Any) -> None:
    for url in ("/api/events?since=yesterday", "/api/events?type=%3Cscript%3E", "/api/events?limit=0",
                "/api/events?offset=-1", "/api/entities?type=ALIEN", "/api/aggregates/timeline?by=colour",
                "/api/quotes?min_stance=7"):
        assert call(app, "GET", url).status_code == 422, url
    assert call(app, "GET", "/api/search?q=%00").status_code == 400


def test_entity_profile_has_roles_quotes_events_and_counterparts(app: Any, web_db: Path) -> None:
    with Store(web_db) as store:
        speakers = [q for q in store.quotes(limit=None) if q["speaker_type"] == "PERSON"]
    who = speakers[0]["speaker"]
    profile = get(app, f"/api/entities/PERSON/{quote(who, safe='')}").json()
    assert profile["name"] == who and profile["articles"] >= 1
    assert any(q["text"] == speakers[0]["text"] for q in profile["quotes"])
    assert {"roles", "events", "counterparts", "recent_articles"} <= profile.keys()
    page = get(app, f"/entities/PERSON/{quote(who, safe='')}").text
    assert "Roles over time" in page and "Met most often" in page
    assert call(app, "GET", "/api/entities/PERSON/Nobody%20At%20All").status_code == 404
    assert call(app, "GET", "/entities/PERSON/Nobody%20At%20All").status_code == 404


def test_aggregates_agree_with_the_event_list(app: Any) -> None:
    events = get(app, "/api/events?limit=500").json()["items"]
    facets = get(app, "/api/aggregates/facets").json()
    by_type: dict[str, int] = {}
    for e in events:
        by_type[e["type"]] = by_type.get(e["type"], 0) + 1
    assert {f["value"]: f["events"] for f in facets["type"]} == by_type
    timeline = get(app, "/api/aggregates/timeline?by=type").json()
    dated = [e for e in events if e["when_start"]]
    assert sum(r["events"] for r in timeline) == len(dated)
    graph = get(app, "/api/aggregates/network").json()
    assert graph["edges"] and all(e["events"] >= 1 for e in graph["edges"])
    ids = {n["id"] for n in graph["nodes"]}
    assert all(f"{e['source_type']}:{e['source']}" in ids for e in graph["edges"])
    places = get(app, "/api/aggregates/places").json()
    assert places and all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 for p in places)


def test_search_with_facets_and_filters(app: Any) -> None:
    found = get(app, "/api/search?q=Chongqing").json()
    assert found["total"] >= 1 and found["facets"]["type"]
    some_type = found["facets"]["type"][0]["value"]
    narrowed = get(app, f"/api/search?q=Chongqing&type={some_type}").json()
    assert 1 <= narrowed["total"] <= found["total"]
    assert get(app, "/api/search?q=Chongqing&since=2999-01-01").json()["total"] == 0
    page = get(app, "/search?q=Chongqing").text
    assert "<mark>" in page


def test_every_page_renders(app: Any, hostile_id: str) -> None:
    for url in ("/", "/?by=sector", "/?by=country", "/search", "/search?q=trade", "/articles", "/entities",
                "/entities?type=GPE", "/quotes", "/events", "/events?type=CONSULT", "/network", "/map",
                "/opportunities", "/api", "/events/facets?type=CONSULT", f"/articles/{hostile_id}", f"/articles/{hostile_id}/quotes/q1",
                f"/articles/{hostile_id}/events/v1"):
        page = get(app, url)
        assert page.headers["content-type"].startswith("text/html")
        assert "script-src 'self'" in page.headers["content-security-policy"]
    assert call(app, "GET", f"/articles/{hostile_id}/quotes/q999").status_code == 404


def test_event_facets_come_after_the_list(app: Any) -> None:
    fragment = call(app, "GET", "/events/facets?type=CONSULT", headers={"HX-Request": "true"}).text
    assert "<html" not in fragment and 'aria-label="Type facet"' in fragment
    page = get(app, "/events?type=CONSULT").text  # computed above: now shown at once
    assert 'aria-label="Type facet"' in page
    assert 'hx-get="/events/facets?type=CONSULT"' in page


def test_article_page_marks_entities_quotes_and_triggers(app: Any, web_db: Path) -> None:
    with Store(web_db) as store:
        aid = next(a["id"] for a in store.articles(limit=None) if a["quotes"] and a["events"])
        doc = store.get(aid)
    page = get(app, f"/articles/{aid}").text
    for q in doc.quotes:
        assert f'id="{q.id}"' in page and f'href="#{q.id}"' in page
    for v in doc.events:
        assert f'href="#{v.id}"' in page
    assert 'class="trigger"' in page and "class=\"quote spk-0" in page and "class=\"ent ent-" in page


def test_csv_and_json_exports_of_filtered_lists(app: Any) -> None:
    for kind in ("articles", "entities", "quotes", "events", "opportunities"):
        r = get(app, f"/export/{kind}.csv")
        assert r.headers["content-type"].startswith("text/csv")
        assert f'filename="{kind}.csv"' in r.headers["content-disposition"]
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert len(rows) == len(get(app, f"/export/{kind}.json").json())
    consult = list(csv.DictReader(io.StringIO(get(app, "/export/events.csv?type=CONSULT").text)))
    assert consult and {r["type"] for r in consult} == {"CONSULT"}
    assert get(app, "/export/search.json?q=Chongqing").json()


def test_read_only_server_refuses_writes(app: Any) -> None:
    before = get(app, "/api/counts").json()
    r = call(app, "POST", "/api/articles", json={"text": "The Mayor of Leeds met Li Wei."})
    assert r.status_code == 403
    assert get(app, "/api/counts").json() == before


def test_ingest_needs_the_token_and_changes_nothing_without_it(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    app = create_app(db, token=TOKEN)
    body = {"text": "The Mayor of Leeds, Jo Smith, met Li Wei in Chongqing on Wednesday.", "published": "2025-03-19"}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                    {"Authorization": f"Basic {TOKEN}"}):
        r = call(app, "POST", "/api/articles", json=body, headers=headers)
        assert r.status_code == 401, headers
        assert r.headers["www-authenticate"] == "Bearer"
    # not even a malformed body is looked at without the token
    assert call(app, "POST", "/api/articles", content=b"{not json").status_code == 401
    assert call(app, "GET", "/api/counts").json()["articles"] == 0
    r = call(app, "POST", "/api/articles", token=TOKEN, json=body)
    assert r.status_code == 201 and r.json()["status"] == "stored"
    aid = r.json()["article_id"]
    assert call(app, "GET", r.json()["url"]).status_code == 200
    again = call(app, "POST", "/api/articles", token=TOKEN, json=body)
    assert again.json()["status"] == "duplicate"
    assert call(app, "GET", "/api/counts").json()["articles"] == 1
    assert call(app, "GET", f"/api/articles/{aid}").json()["article"]["published"] == "2025-03-19"
    assert call(app, "POST", "/api/articles", token=TOKEN, content=b"{not json").status_code == 422
    assert call(app, "POST", "/api/articles", token=TOKEN, json={"text": "x", "published": "soon"}).status_code == 422
    bad_day = call(app, "POST", "/api/articles", token=TOKEN, json={**body, "published": "2025-13-45"})
    assert bad_day.status_code == 422 and "not a calendar date" in bad_day.text
    app.state.workbench.store.close()


def test_caches_follow_new_articles(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    app = create_app(db, token=TOKEN)
    assert call(app, "GET", "/api/counts").json()["articles"] == 0
    assert re.search(r"Articles</dt><dd><a href=\"/articles\">0<", call(app, "GET", "/").text)
    call(app, "POST", "/api/articles", token=TOKEN, json={"text": "The Mayor of Leeds met Li Wei in Chongqing."})
    assert call(app, "GET", "/api/counts").json()["articles"] == 1
    assert re.search(r"Articles</dt><dd><a href=\"/articles\">1<", call(app, "GET", "/").text)
    app.state.workbench.store.close()
