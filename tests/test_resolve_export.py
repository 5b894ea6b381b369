"""`parley export --format stories|identities` from a store of invented documents, on SQLite and
PostgreSQL (the `store_url` fixture; PostgreSQL runs are skipped without a server)."""

from __future__ import annotations

import io
import json

from click.testing import CliRunner

from parley.cli import main
from parley.store import Store
from parley.store.export import export

from .test_resolve_stories import _visit


def _stored(url):
    path = url
    with Store(str(path)) as store:
        store.add(_visit("a1"))
        store.add(_visit("a2", day="2024-05-03", more=" Talks on rail links, grain sales and a new "
                         "consulate in the north filled the afternoon, officials from both sides said."))
    return path


def test_export_stories_and_identities_in_the_scorer_shape(store_url):
    path = _stored(store_url)
    with Store(str(path)) as store:
        buf = io.BytesIO()
        assert export(store, "stories", buf) == 1
        (story,) = [json.loads(line) for line in buf.getvalue().decode().splitlines()]
        assert {"id", "type", "participants", "place", "date", "reports"} <= set(story)
        assert {r["file"] for r in story["reports"]} == {"a1.txt", "a2.txt"}
        assert {"article", "file", "event", "outlet", "published"} <= set(story["reports"][0])
        buf = io.BytesIO()
        export(store, "identities", buf)
        people = [json.loads(line) for line in buf.getvalue().decode().splitlines()]
    varga = next(p for p in people if p["name"] == "Anna Varga")
    assert {"id", "type", "name", "names", "roles", "mentions"} <= set(varga)
    assert {m["file"] for m in varga["mentions"]} == {"a1.txt", "a2.txt"}
    assert {"article", "file", "entity", "name", "roles"} <= set(varga["mentions"][0])


def test_cli_export_stories(store_url):
    path = _stored(store_url)
    result = CliRunner().invoke(main, ["export", "--db", str(path), "--format", "stories"])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == 1


def test_a_near_duplicate_is_listed_as_a_copy_and_counts_once():
    from parley.resolve import resolve

    copy = _visit("a1c")
    copies = {"a1c": "a1"}
    res = resolve([_visit("a1"), copy, _visit("a2", day="2024-05-03")], copies)
    alone = resolve([_visit("a1"), _visit("a2", day="2024-05-03")])
    assert len(res.stories) == len(alone.stories)
    visit = next(s for s in res.story_records() if s["family"] == "consult")
    copied = [r for r in visit["reports"] if r["article"] == "a1c"]
    assert copied and all(r["copy_of"] == "a1" for r in copied)
    varga = next(i for i in res.identity_records() if i["name"] == "Anna Varga")
    assert {m["article"]: m["copy_of"] for m in varga["mentions"]}["a1c"] == "a1"


def test_gdelt_counts_the_reports_of_each_events_story(store_url):
    from parley.store.export import GDELT_COLUMNS

    path = _stored(store_url)
    with Store(str(path)) as store:
        buf = io.BytesIO()
        export(store, "gdelt", buf)
    rows = [dict(zip(GDELT_COLUMNS, line.split("\t"))) for line in buf.getvalue().decode().splitlines()]
    visits = [r for r in rows if r["EventRootCode"] and r["NumArticles"] == "2"]
    assert len(visits) >= 2  # the one visit, told by both articles: each row says so
    assert all(r["NumMentions"] >= "1" and r["NumSources"] for r in rows)
    alone = [r for r in rows if r["NumArticles"] == "1"]
    assert all(r["NumMentions"] == "1" for r in alone)
