"""Stories and identities kept in the store (invented documents), on SQLite and PostgreSQL: the
stored result is the one `resolve` gives for all the documents, whatever the order and the number
of runs that brought them; corrections survive new articles and a full re-resolution."""

from __future__ import annotations

import io
import json
import random

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, text

from parley.cli import main
from parley.resolve import resolve
from parley.resolve.persist import (
    LAYOUT,
    merge_identities,
    pending,
    resolve_pending,
    split_identity,
    update,
)
from parley.store import Store, migrations, resolved
from parley.store.export import export

from .resolve_builders import doc, person
from .test_resolve_stories import (
    BREL,
    KOVAC,
    _borduria_stop,
    _meeting,
    _next_stop,
    _signing,
    _visit,
)


def _documents() -> list:
    """Visits, another delegation at the same place, a visit a year later, an announcement, a
    signing during a visit, and two people of one surname with a bare surname between them."""
    holm_a = doc("h1", "Governor Pavel Holm met Ivo Lanski.", [person("Pavel Holm", "RUR", ("Governor",)),
                                                               person("Ivo Lanski", "RUR")])
    holm_b = doc("h2", "First Lady Greta Holm spoke.", [person("Greta Holm", "RUR", ("First Lady",))])
    holm_c = doc("h3", "Holm met Ivo Lanski again.", [person("Holm"), person("Ivo Lanski")])
    retitled = doc("v5", "Foreign Minister Anna Varga arrived.",
                   [person("Anna Varga", "RUR", ("Foreign Minister",))], published="2026-01-10")
    return [_visit("a1", published="2024-05-02"), _visit("c1", published="2024-05-02"),  # c1: a copy of a1
            _visit("a2", day="2024-05-03", published="2024-05-03", more=_MORE[0]),
            _visit("a3", who=KOVAC, host=BREL, more=_MORE[1]), _visit("a4", day="2025-05-02", more=_MORE[2]),
            _visit("a0", planned=True, published="2024-04-20", more=_MORE[3]), _signing("s1"),
            holm_a, holm_b, holm_c, retitled, _borduria_stop("b1"),
            _next_stop("t1", "She will head to Borduria next, aides said after a lunch with exporters."),
            _next_stop("t2", "Olaf Rask will head to Borduria next, and the ferry line opens in June.",
                       more=[person("Olaf Rask", "RUR")])]


_MORE = [" Talks on rail links, grain sales and a new consulate in the north filled the afternoon, officials said.",
         " The delegation toured a steel works and a harbour, and a dinner for exporters closed the day.",
         " A year on, the two leaders reviewed the ferry line and the university exchange they had opened.",
         " Aides said the programme would include a lecture at the academy and a visit to a vineyard."]


def _exported(store: Store, fmt: str) -> list[dict]:
    buf = io.BytesIO()
    export(store, fmt, buf)
    return sorted((json.loads(line) for line in buf.getvalue().decode().splitlines()), key=lambda r: r["id"])


def _strip(story: dict) -> dict:
    return {k: v for k, v in story.items() if k not in ("sectors", "countries")}


def _fill(url: str, docs: list, runs: int, chunk: int = 500) -> tuple[list[dict], list[dict]]:
    with Store(url) as store:
        size = -(-len(docs) // runs)
        for i in range(runs):
            store.add_many(docs[i * size:(i + 1) * size])
            update(store, chunk=chunk)
        return _exported(store, "stories"), _exported(store, "identities")


def _copies(url: str) -> dict[str, str]:
    """Near-duplicates as the store found them (the invented visits are one text with other dates)."""
    with Store(url) as store:
        return {r["id"]: r["duplicate_of"] for r in store.articles(include_duplicates=True, limit=None)
                if r["duplicate_of"]}


def test_the_stored_result_is_what_resolution_gives(store_url):
    docs = _documents()
    stories, people = _fill(store_url, docs, 1)
    copies = _copies(store_url)
    assert copies  # copies are listed among the reports, and join nothing
    expected = resolve(docs, copies)
    assert [_strip(s) for s in stories] == sorted(expected.story_records(), key=lambda r: r["id"])
    assert people == sorted(expected.identity_records(), key=lambda r: r["id"])


@pytest.mark.parametrize("seed,runs,chunk", [(1, 2, 500), (2, 3, 2), (3, 10, 1)])
def test_any_order_and_any_number_of_runs_store_the_same(store_url, seed, runs, chunk):
    docs = _documents()
    reference = _fill(store_url, docs, 1)
    shuffled = list(docs)
    random.Random(seed).shuffle(shuffled)
    with Store(store_url) as store:  # start again in the same location
        store.write(lambda conn: [conn.execute(text(f"DELETE FROM {t}")) for t in (
            "story_reports", "stories", "identity_mentions", "identity_parts", "identities", "resolve_keys",
            "resolve_done")])
    assert _fill(store_url, shuffled, runs, chunk) == reference


def test_contrastive_pairs_hold_in_the_store(store_url):
    stories, people = _fill(store_url, _documents(), 2)
    groups = [{r["article"] for r in s["reports"]} for s in stories]
    together = lambda a, b: any(a in g and b in g for g in groups)
    assert together("a1", "a2") and together("a0", "a1")  # one visit, an announcement of it
    assert not together("a1", "a3")  # another delegation at the same place
    assert not together("a1", "a4")  # the same people a year later
    assert together("b1", "t1") and not together("b1", "t2")  # the visitor's next stop told in passing
    signing = next(s for s in stories if s["family"] == "signing")
    assert signing["part_of"] is None or signing["part_of"] in {s["id"] for s in stories}
    names = {p["name"]: p for p in people if p["type"] == "PERSON"}
    assert "Pavel Holm" in names and "Greta Holm" in names  # one surname, two people
    varga = names["Anna Varga"]
    assert {"v5", "a1"} <= {m["article"] for m in varga["mentions"]}  # one person, a new title
    assert {"prime minister", "foreign minister"} <= {r["title"] for r in varga["roles"]}


def test_an_announcement_is_joined_by_a_report_there_not_by_people_alone(store_url):
    announced = _visit("a0", planned=True, published="2024-04-20", more=_MORE[3])
    first, _ = _fill(store_url, [announced, _meeting("m1")], 2)
    assert not any({"a0", "m1"} <= {r["article"] for r in s["reports"]} for s in first)
    after, _ = _fill(store_url, [_visit("a1", day="2024-05-03", more=_MORE[0])], 1)  # the visit, in a later run
    assert any({"a0", "a1", "m1"} <= {r["article"] for r in s["reports"]} for s in after)


def test_a_store_resolved_with_older_story_blocks_is_resolved_again_once(store_url):
    docs = _documents()
    reference = _fill(store_url, docs, 1)
    with Store(store_url) as store:  # as a version before the layout row left it
        store.write(lambda conn: conn.execute(delete(resolved.resolve_keys).where(
            resolved.resolve_keys.c.key == LAYOUT)))
        store.write(lambda conn: conn.execute(delete(resolved.stories)))
        assert update(store) == len(docs)  # the next pass resolves everything again, once
        assert update(store) == 0
        stories, people = _exported(store, "stories"), _exported(store, "identities")
    assert (stories, people) == reference


def test_a_second_pass_changes_nothing_and_a_cut_pass_resumes(store_url):
    with Store(store_url) as store:
        store.add_many(_documents())
        assert pending(store) == len(_documents())
        store.write(lambda conn: resolve_pending(conn, limit=3))  # a pass cut after one chunk
        assert pending(store) == len(_documents()) - 3
        update(store, chunk=2)
        first = _exported(store, "stories"), _exported(store, "identities")
        assert update(store) == 0
        assert (_exported(store, "stories"), _exported(store, "identities")) == first
        update(store, full=True)
        assert (_exported(store, "stories"), _exported(store, "identities")) == first
    expected = sorted(resolve(_documents(), _copies(store_url)).story_records(), key=lambda r: r["id"])
    assert [_strip(s) for s in first[0]] == expected


def test_migration_7_resolves_a_store_made_before_even_after_a_later_migration(store_url):
    with Store(store_url) as store:
        store.add_many(_documents())
        update(store)
        expected = _exported(store, "stories")

        def back_to_6(conn):
            conn.execute(text("DELETE FROM schema_version WHERE version = 7"))
            for t in ("story_reports", "stories", "identity_mentions", "identities", "resolve_keys",
                      "resolve_done", "resolve_corrections"):
                conn.execute(text(f"DROP TABLE {t}"))

        store.write(back_to_6)
    with Store(store_url) as store:
        assert store.version == migrations.LATEST  # 7 applied though a later one was there (8)
        applied = store.read(lambda conn: set(conn.execute(text("SELECT version FROM schema_version")).scalars()))
        assert 7 in applied
        assert pending(store) == 0
        assert _exported(store, "stories") == expected


def _person(store: Store, name: str) -> list[dict]:
    return [p for p in _exported(store, "identities") if p["name"] == name]


def test_a_merge_survives_new_articles_and_a_full_pass(store_url):
    with Store(store_url) as store:
        store.add_many(_documents())
        update(store)
        (pavel,), (greta,) = _person(store, "Pavel Holm"), _person(store, "Greta Holm")
        merged = merge_identities(store, pavel["id"], greta["id"][:8])
        assert {m["article"] for m in merged["mentions"]} >= {"h1", "h2"}
        store.add(doc("h4", "Greta Holm opened a school.", [person("Greta Holm", "RUR")]))
        update(store)
        holder = [p for p in _exported(store, "identities") if any(m["article"] == "h1" for m in p["mentions"])
                  and p["type"] == "PERSON" and "Holm" in p["name"]]
        assert len(holder) == 1 and {"h1", "h2", "h4"} <= {m["article"] for m in holder[0]["mentions"]}
        update(store, full=True)
        holder = [p for p in _exported(store, "identities") if any(m["article"] == "h2" for m in p["mentions"])
                  and "Holm" in p["name"]]
        assert {"h1", "h2", "h4"} <= {m["article"] for m in holder[0]["mentions"]}


def test_a_split_survives_new_articles_and_a_full_pass(store_url):
    with Store(store_url) as store:
        store.add_many(_documents())
        update(store)
        (varga,) = _person(store, "Anna Varga")
        assert {"a1", "v5"} <= {m["article"] for m in varga["mentions"]}
        apart = split_identity(store, varga["id"], ["v5"])
        assert {m["article"] for m in apart["mentions"]} == {"v5"}
        store.add(_visit("a9", day="2024-05-04", published="2024-05-04"))
        update(store, full=True)
        holders = {p["id"]: {m["article"] for m in p["mentions"]} for p in _person(store, "Anna Varga")}
        assert len(holders) == 2
        assert any(arts == {"v5"} for arts in holders.values())
        assert any({"a1", "a9"} <= arts for arts in holders.values())


def test_a_split_of_every_article_is_refused(store_url):
    from parley.errors import StoreError

    with Store(store_url) as store:
        store.add_many(_documents()[:2])
        update(store)
        (varga,) = _person(store, "Anna Varga")
        with pytest.raises(StoreError, match="all of"):
            split_identity(store, varga["id"], ["a1", "a2"])


def test_cli_listings_and_corrections(store_url):
    with Store(store_url) as store:
        store.add_many(_documents())
    run = CliRunner().invoke
    result = run(main, ["stories", "--db", store_url, "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    visit = next(s for s in listed if {"Anna Varga", "Tomas Brel"} <= set(s["participants"]) and s["reports"] >= 3)
    result = run(main, ["stories", "--db", store_url, "--nl", "--min-reports", "3", "--place", "tarlen",
                        "--since", "2024-05", "--until", "2024-05", "--type", "consult"])
    assert result.exit_code == 0, result.output
    assert visit["id"] in {json.loads(line)["id"] for line in result.output.splitlines()}
    result = run(main, ["stories", "--db", store_url, "--nl", "--until", "2023"])
    assert visit["id"] not in result.output
    result = run(main, ["stories", "--db", store_url, "--country", "Ruritania"])
    assert result.exit_code == 2 and "ISO 3166" in result.output
    result = run(main, ["story", visit["id"][:8], "--db", store_url])
    assert result.exit_code == 0, result.output
    assert "reports from" in result.output and "a1.txt" in result.output
    result = run(main, ["identities", "--db", store_url, "--name", "holm", "--csv"])
    assert result.exit_code == 0 and "Pavel Holm" in result.output and "Greta Holm" in result.output
    assert "Anna Varga" not in result.output
    ids = {json.loads(line)["name"]: json.loads(line)["id"] for line in
           run(main, ["identities", "--db", store_url, "--nl", "--type", "PERSON"]).output.splitlines()}
    result = run(main, ["merge", ids["Pavel Holm"], ids["Greta Holm"], "--db", store_url])
    assert result.exit_code == 0, result.output
    assert "merged" in result.output
    result = run(main, ["merge", ids["Pavel Holm"], "pzzzzzz", "--db", store_url])
    assert result.exit_code == 1 and "no identity" in result.output
    result = run(main, ["split", ids["Anna Varga"], "v5", "--db", store_url, "--json"])
    assert result.exit_code == 0, result.output
    assert {m["article"] for m in json.loads(result.output)[0]["mentions"]} == {"v5"}
    other = next(s for s in listed if s["id"] != visit["id"] and s["type"] == "CONSULT")
    result = run(main, ["merge", visit["id"], other["id"], "--db", store_url, "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)[0]["reports"]) == visit["reports"] + other["reports"]
    result = run(main, ["resolve", "--db", store_url])
    assert result.exit_code == 0 and "0 articles resolved" in result.output


def test_the_resolve_command_resolves_what_was_stored(tmp_path):
    db = str(tmp_path / "s.db")
    with Store(db) as store:
        store.add_many(_documents()[:3])
        assert pending(store) == 3
    result = CliRunner().invoke(main, ["resolve", "--db", db, "--quiet"])
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        assert pending(store) == 0
        assert _exported(store, "stories")


def test_removed_rows_are_not_listed_twice(store_url):
    with Store(store_url) as store:
        store.add_many(_documents())
        update(store)
        before = store.read(lambda conn: conn.execute(text("SELECT count(*) FROM story_reports")).scalar())
        store.write(lambda conn: conn.execute(delete(resolved.resolve_done)))
        update(store)  # everything again, as new: nothing doubles
        after = store.read(lambda conn: conn.execute(text("SELECT count(*) FROM story_reports")).scalar())
        assert before == after


def _story_of(store: Store, article: str, family: str = "consult") -> dict:
    return next(s for s in _exported(store, "stories") if s["family"] == family
                and any(r["article"] == article for r in s["reports"]))


def test_story_merge_and_split_survive_new_articles_and_a_full_pass(store_url):
    from parley.resolve.persist import merge_stories, split_story

    with Store(store_url) as store:
        store.add_many(_documents())
        update(store)
        a1, a3 = _story_of(store, "a1"), _story_of(store, "a3")
        assert a1["id"] != a3["id"]  # another delegation at the same place
        merged = merge_stories(store, a1["id"], a3["id"][:8])
        assert {"a1", "a3"} <= {r["article"] for r in merged["reports"]}
        apart = split_story(store, merged["id"], ["a0"])
        assert {r["article"] for r in apart["reports"]} == {"a0"}
        store.add(_visit("a9", day="2024-05-04", published="2024-05-04", more=_MORE[0][::-1]))
        update(store, full=True)
        story = _story_of(store, "a1")
        assert {"a1", "a3", "a9"} <= {r["article"] for r in story["reports"]}
        assert "a0" not in {r["article"] for r in story["reports"]}
        assert {r["article"] for r in _story_of(store, "a0")["reports"]} == {"a0"}
