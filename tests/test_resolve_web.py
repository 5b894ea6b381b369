"""/api/stories, /api/identities and the story page, over a store of invented documents (SQLite
and PostgreSQL): reports side by side with their outlet and sentence, filters refused when they
cannot match, and data shown as text."""

from __future__ import annotations

from parley.resolve.persist import update
from parley.store import Store
from parley.web import create_app

from .resolve_builders import doc, person
from .test_resolve_stories import VARGA, _visit
from .web.conftest import call


def _app(url: str):
    hostile = person("Ivo <script>x()</script> Marek", "RUR")
    with Store(url) as store:
        store.add_many([_visit("a1", published="2024-05-02"),
                        _visit("a2", day="2024-05-04", published="2024-05-04",
                               more=" Talks on rail links and grain sales filled the afternoon, officials said."),
                        doc("h1", "Ivo <script>x()</script> Marek met Anna Varga.", [hostile, VARGA])])
        update(store)
    return create_app(url)


def test_story_api_and_page(store_url):
    app = _app(store_url)
    body = call(app, "GET", "/api/stories?min_reports=2&type=CONSULT&place=tarlen").json()
    assert body["total"] == len(body["items"]) >= 1 and body["next"] is None
    rows = body["items"]
    visit = next(s for s in rows if "Anna Varga" in s["participants"])
    assert visit["reports"] >= 2 and visit["outlets"] == 2
    assert call(app, "GET", "/api/stories?country=Ruritania").status_code == 422
    assert call(app, "GET", "/api/stories?since=2024-13").status_code == 422
    assert call(app, "GET", "/api/stories?until=2023").json()["items"] == []
    one = call(app, "GET", f"/api/stories/{visit['id']}").json()
    assert {r["article"] for r in one["reports"]} == {"a1", "a2"}
    assert call(app, "GET", "/api/stories/s000000000000").status_code == 404
    page = call(app, "GET", f"/stories/{visit['id']}")
    assert page.status_code == 200
    assert "outlet-a1" in page.text and "outlet-a2" in page.text and "met Tomas Brel" in page.text
    assert "different dates" in page.text  # the two reports say 2024-05-02 and 2024-05-04
    listing = call(app, "GET", "/stories?type=CONSULT")
    assert listing.status_code == 200 and f"/stories/{visit['id']}" in listing.text


def test_identity_api_escapes_and_filters(store_url):
    app = _app(store_url)
    people = call(app, "GET", "/api/identities?name=varga&type=PERSON").json()["items"]
    assert [p["name"] for p in people] == ["Anna Varga"]
    assert people[0]["articles"] == 3
    one = call(app, "GET", f"/api/identities/{people[0]['id']}").json()
    assert {m["article"] for m in one["mentions"]} == {"a1", "a2", "h1"}
    assert one["mentions_total"] == 3 and one["mentions_next"] is None
    first = call(app, "GET", f"/api/identities/{people[0]['id']}?mentions_limit=2").json()
    assert [m["article"] for m in first["mentions"]] == ["a1", "a2"] and first["mentions_total"] == 3
    assert "mentions_offset=2" in first["mentions_next"]
    rest = call(app, "GET", f"/api/identities/{people[0]['id']}?mentions_limit=2&mentions_offset=2").json()
    assert [m["article"] for m in rest["mentions"]] == ["h1"] and rest["mentions_next"] is None
    assert call(app, "GET", f"/api/identities/{people[0]['id']}?mentions_limit=0").status_code == 422
    assert call(app, "GET", "/api/identities?type=PERSONS").status_code == 422
    page = call(app, "GET", "/stories")
    assert "<script>x()" not in page.text


def test_corrections_from_the_api_need_the_token(store_url):
    from .web.conftest import TOKEN

    app = _app(store_url)
    app.state.workbench.token = TOKEN
    people = {p["name"]: p["id"] for p in call(app, "GET", "/api/identities?type=PERSON").json()["items"]}
    body = {"first": people["Anna Varga"], "second": people["Tomas Brel"]}
    assert call(app, "POST", "/api/corrections/merge", json=body).status_code == 401
    merged = call(app, "POST", "/api/corrections/merge", token=TOKEN, json=body)
    assert merged.status_code == 200, merged.text
    assert {m["name"] for m in merged.json()["mentions"]} == {"Anna Varga", "Tomas Brel"}
    again = call(app, "POST", "/api/corrections/split", token=TOKEN,
                 json={"id": merged.json()["id"], "articles": ["h1"]})
    assert again.status_code == 200 and {m["article"] for m in again.json()["mentions"]} == {"h1"}
    missing = call(app, "POST", "/api/corrections/merge", token=TOKEN,
                   json={"first": "pzzzzzzzzzzz", "second": people["Anna Varga"]})
    assert missing.status_code == 404


def test_a_search_by_part_of_a_name_reads_the_name_index_on_sqlite(tmp_path):
    """At 100,000 articles the search walked every identity in order of articles, reading each
    record: the narrow name index answers it (the same rows, in the same order)."""
    from sqlalchemy import event

    from parley.store import resolved

    url = f"sqlite:///{tmp_path / 'names.db'}"
    _app(url)
    with Store(url) as store:
        statements: list[tuple[str, object]] = []
        engine = store.engine
        listen = lambda conn, cursor, sql, params, context, many: statements.append((sql, params))  # noqa: E731
        event.listen(engine, "before_cursor_execute", listen)
        try:
            found = store.read(lambda c: resolved.list_identities(c, name="varga"))
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        assert [r["name"] for r in found] == ["Anna Varga"]
        sql, params = next((s, p) for s, p in statements if "LIKE" in s.upper())
        with engine.connect() as conn:
            plan = " ".join(str(row) for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params))
        assert "ix_identities_search" in plan, plan
