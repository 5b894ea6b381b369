"""Saved searches over HTTP (invented documents, the app in process): /api/saved lists, makes (with
the token only), runs and deletes them; the home page says what is new since each was last looked at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from parley.resolve.persist import update
from parley.store import Store
from parley.web import create_app

from .test_resolve_stories import KOVAC, _signing, _visit
from .web.conftest import TOKEN, call

PROBLEM_JSON = "application/problem+json"


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "s.db")
    with Store(path) as store:
        store.add_many([_visit("a1", published="2024-05-02")])
        update(store)
    return path


@pytest.fixture
def app(db: str) -> Iterator[Any]:
    application = create_app(db, token=TOKEN)
    yield application
    application.state.workbench.store.close()


def _grow(db: str, *docs) -> None:
    with Store(db) as store:
        store.add_many(list(docs))
        update(store)


def test_make_list_run_and_delete_a_saved_search(app: Any, db: str) -> None:
    body = {"name": "consults in Tarlenheim", "kind": "events", "params": {"type": "CONSULT", "place": "tarlen"},
            "webhook": "https://hooks.example.org/T000/B000/XXXX", "secret": "s3", "emails": ["desk@example.org"]}
    r = call(app, "POST", "/api/saved", json=body)
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"  # no token, nothing saved
    assert call(app, "GET", "/api/saved").json()["total"] == 0
    r = call(app, "POST", "/api/saved", token=TOKEN, json=body)
    assert r.status_code == 201, r.text
    assert r.headers["location"] == "/api/saved/consults%20in%20Tarlenheim"
    made = r.json()
    assert made["params"] == {"type": "CONSULT", "place": "tarlen"} and made["new"] == 0
    assert made["alerts"] == {"webhook_host": "hooks.example.org", "signed": True, "emails": 1}
    assert "XXXX" not in r.text and "desk@" not in r.text and "s3" not in r.text  # not shown
    assert made["page"] == "/events?type=CONSULT&place=tarlen"
    assert call(app, "POST", "/api/saved", token=TOKEN, json=body).status_code == 409
    _grow(db, _visit("k1", who=KOVAC, day="2025-02-01", published="2025-02-01"), _signing("s1"))
    listed = call(app, "GET", "/api/saved").json()
    assert [(s["name"], s["new"]) for s in listed["items"]] == [("consults in Tarlenheim", 1)]
    ran = call(app, "GET", made["url"]).json()
    assert ran["search"]["new"] == 1 and {r["article_id"] for r in ran["rows"]} == {"a1", "k1"}
    assert call(app, "GET", "/api/saved").json()["items"][0]["new"] == 1  # a GET marks nothing
    assert call(app, "POST", made["url"] + "/seen").status_code == 401
    assert call(app, "POST", made["url"] + "/seen", token=TOKEN).json()["new"] == 0
    assert call(app, "GET", "/api/saved").json()["items"][0]["new"] == 0
    assert call(app, "DELETE", made["url"]).status_code == 401
    assert call(app, "DELETE", made["url"], token=TOKEN).status_code == 204
    r = call(app, "GET", made["url"])
    assert r.status_code == 404 and r.headers["content-type"] == PROBLEM_JSON


@pytest.mark.parametrize("body, status, says", [
    ({"name": "x", "kind": "events", "params": {"country": "India"}}, 422, "country"),
    ({"name": "x", "kind": "events", "params": {"speaker": "Varga"}}, 422, "speaker"),
    ({"name": "x", "kind": "people"}, 422, "kind"),
    ({"name": "x", "kind": "search"}, 422, "params"),
    ({"name": "a/b", "kind": "events"}, 422, "name"),
    ({"name": "x", "kind": "events", "webhook": "ftp://example.org"}, 422, "webhook"),
    ({"name": "x", "kind": "events", "params": {"since": "2024-02-30"}}, 422, "since"),
    ({"name": "x", "kind": "visits", "params": {"place": "Nowhere-on-earth"}}, 404, "place"),
])
def test_a_request_that_cannot_be_a_saved_search_is_refused_and_says_why(app: Any, body: dict, status: int,
                                                                        says: str) -> None:
    r = call(app, "POST", "/api/saved", token=TOKEN, json=body)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM_JSON and says in r.text
    assert call(app, "GET", "/api/saved").json()["total"] == 0


def test_a_read_only_server_refuses_to_save(db: str) -> None:
    app = create_app(db)
    try:
        r = call(app, "POST", "/api/saved", json={"name": "x", "kind": "events"})
        assert r.status_code == 403 and "read-only" in r.json()["detail"]
        schema = app.openapi()
        assert "401" not in schema["paths"]["/api/saved"]["post"]["responses"]
    finally:
        app.state.workbench.store.close()


def test_the_home_page_says_what_is_new_per_saved_search(app: Any, db: str) -> None:
    assert "Saved searches" not in call(app, "GET", "/").text
    call(app, "POST", "/api/saved", token=TOKEN, json={"name": "signings <b>", "kind": "stories",
                                                       "params": {"type": "SUPPORT"}})
    call(app, "POST", "/api/saved", token=TOKEN, json={"name": "accords", "kind": "search",
                                                       "params": {"query": "accord"}})
    _grow(db, _signing("s1"))
    html = call(app, "GET", "/").text
    assert "Saved searches" in html
    assert '<a href="/stories?type=SUPPORT">signings &lt;b&gt;</a> <small>(stories)</small>: <strong>1</strong> ' \
           "new since you last looked" in html
    assert '<a href="/search?q=accord">accords</a> <small>(search)</small>: <strong>1</strong>' in html
