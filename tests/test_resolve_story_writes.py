"""A pass leaves a stored story as it is when it comes out of clustering as it is stored (its
reports and its row), and writes it again when anything of it differs: on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy import update as sql_update

from parley.resolve.persist import update
from parley.store import Store, resolved

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
