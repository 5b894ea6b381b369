"""The pipeline read from its summary table (`summary.pipeline_events`) gives what grouping every
candidate event gives (`pipeline.grouped`, the computation before the table): for every filter,
stage, page and total, with names for sides without a country, events in several or no sectors,
near-duplicates, planned events, and stories that fold reports across stages (which change after
the articles are stored). Invented places, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from sqlalchemy import delete, insert, select

from parley.document import Article, Document, Entity, Event, EventDate, Mention, Span, Trigger
from parley.filters import STAGES
from parley.store import Store
from parley.store import pipeline, pipeline_groups
from parley.store.resolved import story_reports
from parley.store.summary import pipeline_events

PEOPLE = {"rur": ("Ruritania", "RUR"), "fre": ("Freedonia", "FRE"), "gra": ("Grand Fenwick", "GFW"),
          "acme": ("Acme Holdings", None), "zyx": ("Zyxco Ventures", None)}
SENTENCES = [("AGREE", "hopes", "{a} hopes to build a plant with {b}.", False),
             ("AGREE", "signed", "{a} and {b} signed a memorandum on a plant.", False),
             ("COOPERATE", "invested", "{a} has invested in ports of {b}.", False),
             ("COOPERATE", "invest", "{a} will invest in ports of {b}.", True),
             ("CONSULT", "met", "{a} met {b} in the capital.", False),
             ("AGREE", "agreed", "{a} agreed with {b} to study a railway.", False)]
SECTORS = [["energy"], ["energy", "transport"], [], ["transport", "transport"], ["agriculture"]]
FILLER = ("The regional weekly digest lists market prices, harbour traffic, weather outlooks and the "
          "results of the football league for the coming fortnight. ")


def article(n: int, near_copy_of: int | None = None) -> Document:
    """Article n: one or two events between two of the invented parties, on a date spread over 2024-2025."""
    src = near_copy_of if near_copy_of is not None else n
    keys = list(PEOPLE)
    a, b = keys[src % 5], keys[(src * 3 + 1) % 5]
    if a == b:
        b = keys[(src + 2) % 5]
    type_, trigger, pattern, planned = SENTENCES[src % len(SENTENCES)]
    sentence = pattern.format(a=PEOPLE[a][0], b=PEOPLE[b][0])
    text = FILLER * (3 if near_copy_of is not None or n % 7 == 0 else 1) + sentence
    if near_copy_of is not None:
        text += " Updated."
    start = text.index(sentence)
    entities = [Entity(id=f"e{i}", type="GPE" if PEOPLE[k][1] else "ORG", name=PEOPLE[k][0], country=PEOPLE[k][1],
                       mentions=[Mention(text.index(PEOPLE[k][0]), text.index(PEOPLE[k][0]) + len(PEOPLE[k][0]),
                                         PEOPLE[k][0])]) for i, k in ((1, a), (2, b))]
    t = text.index(trigger)
    date = EventDate(start=f"2025-{src % 12 + 1:02d}", precision="month") if src % 3 else None
    events = [Event(id="v1", type=type_, trigger=Trigger(trigger, t, t + len(trigger)), sentence=Span(start, len(text)),
                    actor=["e1"], recipient=["e2"] if src % 4 else [], sectors=SECTORS[src % len(SECTORS)],
                    hypothetical=planned, negated=src % 11 == 5, date=date)]
    if src % 2:  # the same sentence read twice: another event, other way round
        events.append(Event(id="v2", type="AGREE", trigger=Trigger(trigger, t, t + len(trigger)),
                            sentence=Span(start, len(text)), actor=["e2"], recipient=["e1"], sectors=["energy"]))
    published = None if n == 13 else f"{2024 + n % 2}-{n % 12 + 1:02d}-{n % 27 + 1:02d}"
    return Document(article=Article(id=f"{n:040d}", text=text, published=published), entities=entities, events=events)


@pytest.fixture
def db(store_url: str) -> str:
    with Store(store_url) as store:
        for n in range(40):
            store.add(article(n))
        for n in (7, 14):  # near-duplicates of longer articles
            store.add(article(100 + n, near_copy_of=n))
    return store_url


FILTERS = [dict(), dict(stage="intent"), dict(stage="agreement"), dict(stage="under_way"), dict(sector="energy"),
           dict(sector="transport", stage="intent"), dict(country="rur"), dict(country="GFW", stage="agreement"),
           dict(since="2025-03"), dict(until="2025-06-15"), dict(since="2024", until="2025-02", stage="intent"),
           dict(include_duplicates=True), dict(include_duplicates=True, stage="agreement", sector="energy"),
           dict(since="2025", country="FRE"), dict(until="2025-02", stage="under_way"),
           dict(since="2024-11", until="2025-04", sector="energy", include_duplicates=True),
           dict(since="2025-02-10", until="2025-05-20", stage="intent")]


def compare(store: Store) -> int:
    """Every filter, whole and in pages, as the grouped computation gives it; returns how many rows."""
    shown = 0
    for f in FILTERS:
        expected = store.read(pipeline.grouped, **f, limit=None)
        assert store.read(pipeline.pipeline, **f, limit=None) == expected, f
        assert store.read(pipeline.total, **f) == len(expected), f
        for limit, offset in itertools.product((1, 3), (0, 2, 5)):
            assert store.read(pipeline.pipeline, **f, limit=limit, offset=offset) == expected[offset:offset + limit]
        assert store.read(pipeline.pipeline, **f, limit=None, evidence=1) == [paged(r, 1) for r in expected], f
        for r in expected[:4]:  # the rest of a row's evidence, paged, on each stage
            for stage in STAGES:
                rest = [store.read(pipeline.evidence_page, sides=r["sides"], sector=r["sector"], stage=stage,
                                   **{k: v for k, v in f.items() if k not in ("stage", "sector")}, limit=1, offset=n)
                        for n in range(len(r["evidence"][stage]) + 1)]
                assert [e for page, _ in rest for e in page] == r["evidence"][stage], (f, r["sides"], stage)
                assert {n for _, n in rest} == {len(r["evidence"][stage])}
        shown += len(expected)
    return shown


def paged(row: dict, n: int) -> dict:
    """`row` as a page shows it: each stage's newest `n` pieces of evidence, and how many it has."""
    return {**row, "evidence": {s: found[:n] for s, found in row["evidence"].items()},
            "evidence_total": {s: len(found) for s, found in row["evidence"].items()}}


def test_the_summary_gives_the_grouped_pipeline(db: str) -> None:
    with Store(db) as store:
        assert store.read(lambda conn: conn.execute(select(pipeline_events.c.article_id)).first()) is not None
        assert compare(store) > 30
        assert {r["stage"] for r in store.pipeline(limit=None)} == {"intent", "agreement", "under_way"}
        assert any(not r["sides"][0].isupper() for r in store.pipeline(limit=None))  # a side named, no country


def test_stories_told_after_storing_fold_as_the_grouped_pipeline_does(db: str) -> None:
    """Stories come and go as articles are resolved: one story holding an intent and a later
    signing keeps only the intent, and the summary's answer follows."""
    with Store(db) as store:
        before = {tuple(r["sides"]) + (r["sector"],): r["stage"] for r in store.pipeline(limit=None)}
        rows = store.read(lambda conn: conn.execute(select(pipeline_events.c.article_id, pipeline_events.c.event_id)
                                                    .order_by(pipeline_events.c.article_id)).all())

        def tell(conn):
            conn.execute(delete(story_reports))
            conn.execute(insert(story_reports), [{"article_id": a, "report": v, "story_id": f"s{i % 4}"}
                                                 for i, (a, v) in enumerate(sorted(set(rows)))])

        store.write(tell)
        store.write(pipeline_groups.sync_stories)  # what a resolution pass ends with
        after = {tuple(r["sides"]) + (r["sector"],): r["stage"] for r in store.pipeline(limit=None)}
        assert after != before  # the stories changed some opportunity's furthest stage
        compare(store)


def test_a_store_made_before_the_summary_is_filled_by_its_migration(db: str) -> None:
    from parley.store import migrations

    with Store(db) as store:
        written = store.read(lambda conn: sorted(map(tuple, conn.execute(select(pipeline_events)).all())))
        store.write(lambda conn: conn.execute(delete(pipeline_events)))
        store.write(migrations._pipeline_events)
        assert store.read(lambda conn: sorted(map(tuple, conn.execute(select(pipeline_events)).all()))) == written
        compare(store)


def sums(store: Store) -> tuple[list[tuple], list[tuple]]:
    """The opportunities' sums as stored, sorted."""
    return store.read(lambda conn: tuple(sorted(map(tuple, conn.execute(select(t)).all()))
                                         for t in pipeline_groups._TABLES))


def summed_afresh(store: Store) -> tuple[list[tuple], list[tuple]]:
    """The sums every opportunity gets when summed from nothing (in a transaction rolled back)."""
    def run(conn):
        pipeline_groups.refresh(conn, None)
        return tuple(sorted(map(tuple, conn.execute(select(t)).all()))
                     for t in pipeline_groups._TABLES)

    with store.engine.connect() as conn:
        with conn.begin() as tx:
            found = run(conn)
            tx.rollback()
    return found


def test_the_sums_follow_resolution_and_story_corrections(db: str) -> None:
    """A resolution pass tells stories after the articles were stored; merging and splitting stories
    tells them again: each time the stored sums are what summing from nothing gives, and every page
    what the grouped computation gives."""
    from parley.resolve import persist
    from parley.store.resolved import stories

    with Store(db) as store:
        written = sums(store)
        assert written == summed_afresh(store) and written[0]
        persist.update(store)
        told = store.read(lambda conn: conn.execute(select(story_reports)).all())
        assert told
        assert sums(store) == summed_afresh(store)
        compare(store)
        ids = store.read(lambda conn: list(conn.execute(select(stories.c.id).order_by(stories.c.id)).scalars()))
        assert len(ids) >= 2
        merged = persist.merge_stories(store, ids[0], ids[1])
        assert sums(store) == summed_afresh(store)
        compare(store)
        articles = sorted({r["article"] for r in merged["reports"]})
        if len(articles) > 1:
            persist.split_story(store, merged["id"], articles[:1])
            assert sums(store) == summed_afresh(store)
            compare(store)


def test_a_rebuild_and_the_migration_give_the_sums_the_writer_keeps(db: str) -> None:
    from parley.store import summary

    with Store(db) as store:
        written = sums(store)
        store.write(summary.rebuild)
        assert sums(store) == written
        store.write(lambda conn: [conn.execute(delete(t))
                                  for t in pipeline_groups._TABLES])
        store.write(pipeline_groups.create)
        assert sums(store) == written
        compare(store)


def test_an_article_stored_later_is_summed_into_its_opportunities(db: str) -> None:
    with Store(db) as store:
        before = sums(store)
        for n in (40, 41, 45, 49):  # reported before every other: the first report of the events they repeat
            doc = article(n)
            store.add(replace(doc, article=replace(doc.article, published=f"2023-01-{n - 30:02d}")))
        after = sums(store)
        assert after != before
        assert after == summed_afresh(store)
        firsts = {(r.article_id, r.published) for r in store.read(
            lambda conn: conn.execute(select(pipeline_groups.F).where(pipeline_groups.F.c.reports > 1)).all())}
        assert any(published.startswith("2023") for _, published in firsts)
        compare(store)


def test_dates_by_year_month_or_day_are_summed_by_month(db: str) -> None:
    dated = [f for f in FILTERS if f.get("since") or f.get("until")]
    by_month = [pipeline._by_month(f.get("since"), f.get("until")) for f in dated]
    assert all(by_month) and len(by_month) >= 6  # a day's month read event by event, the others summed
    assert not pipeline._by_month("2025-03-1", None)  # no date the filters take: counted live
    with Store(db) as store:
        found = [store.read(pipeline.total, **f) for f in dated]
        assert sum(bool(n) for n, summed in zip(found, by_month) if summed) >= 3 and found[-1]



def test_a_pass_syncs_the_events_of_older_articles_whose_story_it_rewrote(store_url: str) -> None:
    """A pass compares only the events of the articles whose stories it wrote, not every candidate
    event of the store: those include an older article's, whose story takes another id when an
    article with a smaller key joins it, and the sums stay what summing from nothing gives."""
    from parley.resolve import persist

    from .resolve_builders import doc, person

    def signing(article_id: str, published: str) -> Document:
        text = "Anna Varga and Ivo Lanski signed an energy agreement in the capital."
        return doc(article_id, text, [person("Anna Varga", "RUR"), person("Ivo Lanski", "ZEN")],
                   events=[{"type": "AGREE", "trigger": "signed", "actor": ["Anna Varga"],
                            "recipient": ["Ivo Lanski"], "date": "2025-03-01"}], published=published)

    def told(store: Store) -> dict:
        return {(a, v): s for a, v, s in store.read(lambda conn: conn.execute(select(story_reports)).all())}

    with Store(store_url, near_duplicate_threshold=1.01) as store:  # three reports, none a copy
        store.add(signing("b1", "2025-03-02"))
        store.add(signing("c1", "2025-03-03"))
        persist.update(store)
        before = told(store)
        store.add(signing("a1", "2025-03-02"))
        persist.update(store)
        after = told(store)
        assert before[("b1", "v1")] != after[("b1", "v1")] == after[("a1", "v1")]
        candidates = set(store.read(lambda conn: conn.execute(select(pipeline_events.c.article_id,
                                                                     pipeline_events.c.event_id)).all()))
        assert ("b1", "v1") in candidates  # a pass that synced only the new article's events would miss it
        assert sums(store) == summed_afresh(store)
        compare(store)
