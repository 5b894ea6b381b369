"""A pass leaves a stored story as it is when it comes out of clustering as it is stored (its
reports and its row), and writes it again when anything of it differs: on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import insert, select, text
from sqlalchemy import update as sql_update

from parley.resolve import report_rows, resolve
from parley.resolve.persist import update
from parley.store import Store, migrations, resolved

from .resolve_builders import body, doc, person
from .test_resolve_store import _exported, _strip
from .test_resolve_stories import _borduria_stop, _visit


def _stored_visit(store: Store) -> tuple[str, dict]:
    """The story of a1's visit, and its row, after a1 and a2 (one visit, told twice) are resolved."""
    store.add(_visit("a1", published="2024-05-02"))
    store.add(_visit("a2", published="2024-05-03"))
    update(store)
    r, s = resolved.story_reports, resolved.stories
    sid = store.read(lambda conn: conn.execute(select(r.c.story_id).where(r.c.article_id == "a1",
                                                                          r.c.report == "v1")).scalar())
    row = store.read(lambda conn: conn.execute(select(s).where(s.c.id == sid)).one()._mapping)
    assert {x["article"] for x in resolved._record(row["record"])["reports"]} == {"a1", "a2"}
    return sid, dict(row)


def _facets(store: Store, sid: str) -> set[tuple[str, str]]:
    f = resolved.story_facets
    return set(map(tuple, store.read(lambda conn: conn.execute(select(f.c.kind, f.c.value)
                                                               .where(f.c.story_id == sid)).all())))


def test_a_story_that_comes_out_as_stored_is_not_written_again(store_url: str) -> None:
    with Store(store_url) as store:
        sid, _ = _stored_visit(store)
        # a mark no pass writes: it stays only if the story's rows are not replaced
        store.write(lambda conn: conn.execute(insert(resolved.story_facets),
                                              [{"kind": "sector", "value": "marked", "story_id": sid}]))
        store.add(_borduria_stop())  # her next stop: read with the visit (same person, same days), apart from it
        update(store)
        assert ("sector", "marked") in _facets(store, sid)


def test_a_story_whose_stored_row_differs_is_written_again(store_url: str) -> None:
    """The same pass, with the stored record not what the story makes (a name changed by hand):
    the story is written again, so a pass that kept every story of unchanged reports would fail."""
    with Store(store_url) as store:
        sid, row = _stored_visit(store)
        record = resolved._record(row["record"])
        wrong = {**record, "participants": [{**p, "name": "Someone Else"} for p in record["participants"]]}
        s = resolved.stories
        store.write(lambda conn: conn.execute(sql_update(s).where(s.c.id == sid).values(record=wrong)))
        store.write(lambda conn: conn.execute(insert(resolved.story_facets),
                                              [{"kind": "sector", "value": "marked", "story_id": sid}]))
        store.add(_borduria_stop())
        update(store)
        after = store.read(lambda conn: conn.execute(select(s.c.record).where(s.c.id == sid)).scalar())
        assert resolved._record(after) == record
        assert ("sector", "marked") not in _facets(store, sid)


def _office_visit(store: Store) -> str:
    """A body's visit told twice, resolved: the story's id."""
    office = body("Trade Office", "RUR")
    store.add(_visit("a1", who=office, published="2024-05-02"))
    store.add(_visit("a2", who=office, published="2024-05-03"))
    update(store)
    return store.read(lambda conn: resolved.list_stories(conn))[0]["id"]


def test_a_participant_renamed_elsewhere_is_read_renamed_and_its_story_not_written_again(store_url: str) -> None:
    """A body named longer in a later article, with no event, takes that name (the longest):
    the stored story shows it as it is read, in listing, page and export, and is not written again."""
    with Store(store_url) as store:
        sid = _office_visit(store)
        store.write(lambda conn: conn.execute(insert(resolved.story_facets),
                                              [{"kind": "sector", "value": "marked", "story_id": sid}]))
        store.add(doc("b1", "The Trade Office moved.", [body("The Trade Office", "RUR")], published="2025-01-10"))
        update(store)
        assert ("sector", "marked") in _facets(store, sid)
        listed = store.read(lambda conn: resolved.list_stories(conn))
        assert [s["participants"] for s in listed if s["id"] == sid] == [["The Trade Office", "Tomas Brel"]]
        page = store.read(lambda conn: resolved.get_record(conn, resolved.stories, sid))
        exported = store.read(lambda conn: resolved.records(conn, resolved.stories))
        for record in (page, *exported):
            assert [p["name"] for p in record["participants"]] == ["The Trade Office", "Tomas Brel"]


def test_a_story_stored_with_names_reads_the_names_its_identities_have_now(store_url: str) -> None:
    """A story stored before (its participants with the names they had then) shows the names of
    now; one whose identity is gone shows the name it was stored with."""
    with Store(store_url) as store:
        sid = _office_visit(store)
        s = resolved.stories
        record = resolved._record(store.read(lambda conn: conn.execute(select(s.c.record).where(s.c.id == sid)).scalar()))
        assert all(set(p) == {"identity"} for p in record["participants"])  # the store keeps ids alone
        old = {**record, "participants": [{**p, "name": "Then"} for p in record["participants"]]
               + [{"identity": "pgone", "name": "Gone Person"}]}
        store.write(lambda conn: conn.execute(sql_update(s).where(s.c.id == sid).values(record=old)))
        page = store.read(lambda conn: resolved.get_record(conn, resolved.stories, sid))
        assert [p["name"] for p in page["participants"]] == ["Trade Office", "Tomas Brel", "Gone Person"]


def test_migration_27_keeps_a_story_s_participants_as_ids(store_url: str) -> None:
    """A store whose stories kept their participants' names (a version before migration 27) has
    them dropped when opened, and reads the same stories."""
    with Store(store_url) as store:
        sid = _office_visit(store)
        before = store.read(lambda conn: resolved.records(conn, resolved.stories))
        s = resolved.stories

        def named(conn) -> None:
            for r in resolved.records(conn, s):
                conn.execute(sql_update(s).where(s.c.id == r["id"]).values(record=r))  # the names read, stored
            conn.execute(text("DELETE FROM schema_version WHERE version = 27"))

        store.write(named)
        stored = resolved._record(store.read(lambda conn: conn.execute(select(s.c.record).where(s.c.id == sid)).scalar()))
        assert all("name" in p for p in stored["participants"])
    with Store(store_url) as store:
        assert store.version == migrations.LATEST
        stored = resolved._record(store.read(lambda conn: conn.execute(select(s.c.record).where(s.c.id == sid)).scalar()))
        assert all(set(p) == {"identity"} for p in stored["participants"])
        assert store.read(lambda conn: resolved.records(conn, resolved.stories)) == before


def _remade(monkeypatch) -> list[set[str]]:
    """The articles whose reports each pass makes again from their documents."""
    seen: list[set[str]] = []
    write = report_rows.write
    monkeypatch.setattr(report_rows, "write", lambda conn, made: (seen.append(set(made)), write(conn, made))[1])
    return seen


def _varga(store: Store) -> list[tuple[str | None, int]]:
    return [(r["country"], r["articles"]) for r in store.read(lambda conn: resolved.list_identities(conn, name="Varga"))]


def test_a_person_s_country_that_changes_remakes_only_the_reports_that_name_them(store_url: str, monkeypatch) -> None:
    """A person stored with one country is then given another by more articles: the article
    where she takes part in an event is made again, her article with no event is not, and the
    store then holds what resolving everything at once gives (contrast: her article with no event
    is still hers, and her country is gone from it too). A tie of the two countries on the way
    keeps the one given first, and sends nothing back."""
    docs = [_visit("a1", who=person("Anna Varga", "RUR", ("Prime Minister",)), published="2024-05-02"),
            doc("a2", "Anna Varga spoke.", [person("Anna Varga")], published="2024-05-03"),
            doc("a3", "Anna Varga wrote.", [person("Anna Varga", "ZEN", ("Prime Minister",))], published="2024-05-04"),
            doc("a4", "Anna Varga wrote again.", [person("Anna Varga", "ZEN")], published="2024-05-05")]
    with Store(store_url) as store:
        store.add_many(docs[:2])
        update(store)
        assert _varga(store) == [("RUR", 2)]
        seen = _remade(monkeypatch)
        store.add(docs[2])
        update(store)
        assert _varga(store) == [("RUR", 3)]
        assert seen[-1] == {"a3"}
        store.add(docs[3])
        update(store)
        assert "a1" in seen[-1] and "a2" not in seen[-1]
        assert _varga(store) == [("ZEN", 4)]
        expected = resolve(docs)
        assert [_strip(x) for x in _exported(store, "stories")] == sorted(expected.story_records(), key=lambda r: r["id"])
        assert _exported(store, "identities") == sorted(expected.identity_records(), key=lambda r: r["id"])
