"""Each resolved article's reports kept as rows (`resolve/report_rows.py`), on SQLite and
PostgreSQL: a pass reads them instead of the documents of a story's other articles, and makes an
article's reports again (and stores them) whenever something sends it back. And a body's or
place's stored row, added to without taking it apart only when none of its members is re-made."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy import update as sql_update

from parley.resolve import report_rows
from parley.resolve.persist import store_reports, update
from parley.resolve.reports import reports_of
from parley.store import Store, resolved

from .resolve_builders import doc, person
from .test_resolve_store import _documents, _exported
from .test_resolve_stories import BREL, _visit

SOL = person("Mira Sol")  # no country in the article: her report takes her identity's


def _rows(store: Store) -> dict[str, dict]:
    t = report_rows.resolve_reports
    return store.read(lambda conn: {r.article_id: resolved._record(r.reports) for r in conn.execute(select(t))})


def test_a_report_comes_back_from_its_row_as_it_was_made() -> None:
    made = [r for d in _documents() for r in reports_of(d, {f"{d.article.id}#p1": "pA", f"{d.article.id}#p2": "pB"},
                                                        {"pA": "RUR"})]
    assert made and any(r.when for r in made) and any(r.places for r in made) and any(r.homes for r in made)
    assert [report_rows.from_row(report_rows.to_row(r)) for r in made] == made


def test_every_resolved_article_with_events_has_its_reports_stored(store_url) -> None:
    with Store(store_url) as store:
        store.add_many(_documents())
        update(store)
        rows = _rows(store)
    assert {"a1", "a2", "s1"} <= set(rows)
    assert rows["s1"]["sectors"] == {"v1": []} and rows["a1"]["reports"][0]["article"] == "a1"


def test_a_story_gaining_a_report_reads_its_other_reports_from_their_rows(store_url) -> None:
    """The stored row of a1 is what the pass reads when a2 joins its story: a row altered by
    hand shows in the story (a pass that remade a1 from its document would not show it)."""
    with Store(store_url) as store:
        store.add_many([_visit("a1", published="2024-05-02")])
        update(store)
        t = report_rows.resolve_reports
        row = _rows(store)["a1"]
        for r in row["reports"]:
            r["sentence"] = "ALTERED"
        store.write(lambda conn: conn.execute(sql_update(t).where(t.c.article_id == "a1").values(reports=row)))
        store.add_many([_visit("a2", day="2024-05-03", published="2024-05-03", more=" Talks went on late.")])
        update(store)
        story = next(s for s in _exported(store, "stories") if {"a1", "a2"} <= {r["article"] for r in s["reports"]})
    assert {r["sentence"] for r in story["reports"] if r["article"] == "a1"} == {"ALTERED"}


def test_an_article_sent_back_has_its_reports_made_again(store_url) -> None:
    """Mira Sol's identity gets a country from later articles: her first article's report, and its
    story's countries, change with it, as a full pass from nothing gives them (a stale row would
    keep the report without her country)."""
    first = doc("o1", "Mira Sol visited Tarlenheim and met Tomas Brel.", [SOL, BREL], ["Tarlenheim"],
                published="2024-05-02", events=[
                    {"trigger": "met", "actor": ["Mira Sol"], "recipient": ["Tomas Brel"], "location": "Tarlenheim",
                     "date": "2024-05-02"}])
    later = [doc(f"o{k}", f"Mira Sol spoke in Strelsau{'.' * k}", [person("Mira Sol", "BOR")], ["Strelsau"],
                 published=f"2024-0{k + 5}-01") for k in (2, 3)]
    with Store(store_url) as store:
        store.add_many([first])
        update(store)
        before = next(s for s in _exported(store, "stories") if "o1" in {r["article"] for r in s["reports"]})
        store.add_many(later)
        update(store)
        after = next(s for s in _exported(store, "stories") if "o1" in {r["article"] for r in s["reports"]})
        again = _exported(store, "stories"), _exported(store, "identities")
        assert _rows(store)["o1"]["reports"][0]["countries"] == sorted(after["countries"])
        update(store, full=True)
        assert (_exported(store, "stories"), _exported(store, "identities")) == again
    assert "BOR" not in before["countries"] and "BOR" in after["countries"]


def test_rows_missing_from_an_older_store_are_filled_as_a_pass_makes_them(store_url) -> None:
    with Store(store_url) as store:
        store.add_many(_documents())
        update(store)
        made = _rows(store)
        store.write(lambda conn: report_rows.clear(conn))
        assert store.write(lambda conn: store_reports(conn, limit=4)) == 4
        assert len(_rows(store)) == 4
        while store.write(store_reports):
            pass
        assert _rows(store) == made


def test_a_place_row_is_counted_on_only_when_none_of_its_members_is_taken_out(store_url) -> None:
    """A place's stored row is added to as it is when the pass re-makes none of its articles (a2
    comes), and taken apart when it does (c1, a copy of a1, sends a1 back): each article once."""
    with Store(store_url) as store:
        store.add_many([_visit("a1", published="2024-05-02")])
        update(store)
        store.add_many([_visit("c1", published="2024-05-02"),
                        _visit("a2", day="2024-05-03", published="2024-05-03", more=" Talks went on late.")])
        update(store)
        people = _exported(store, "identities")
        place = next(i for i in people if i["name"] == "Tarlenheim")
        assert sorted(m["article"] for m in place["mentions"]) == ["a1", "a2", "c1"] and place["articles"] == 3
        update(store, full=True)
        assert _exported(store, "identities") == people
