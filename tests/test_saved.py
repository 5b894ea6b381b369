"""Saved searches (invented documents): every kind's filters checked as its listing checks them and
run through its listing's own query; "N new since you last looked" counted per story and reset by
`show`; wrong names, kinds and filters refused with a hint."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.alerts import SavedSearchError, add, get, listing, remove, show
from parley.alerts.kinds import KINDS, check, run
from parley.cli import main
from parley.errors import FilterError
from parley.resolve.persist import update
from parley.store import Store

from .test_resolve_stories import KOVAC, _signing, _visit


def _grow(store: Store, *docs) -> None:
    store.add_many(list(docs))
    update(store)


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "s.db")
    with Store(path) as store:
        _grow(store, _visit("a1", published="2024-05-02"))
    return path


def _new(store: Store, name: str) -> int:
    return next(row["new"] for row in listing(store) if row["name"] == name)


def test_new_since_you_last_looked_counts_stories_and_show_resets_it(db: str) -> None:
    with Store(db) as store:
        add(store, "everything", "events", {})
        add(store, "consults", "events", {"type": "consult"})
        assert _new(store, "everything") == 0  # what it matched when made is not new
        _grow(store, _visit("a2", published="2024-05-03"))  # another report of the same visit
        assert _new(store, "everything") == 0
        _grow(store, _signing("s1"), _visit("k1", who=KOVAC, day="2025-02-01", published="2025-02-01"))
        assert _new(store, "everything") == 2  # the signing, Kovac's visit (its two events one story)
        assert _new(store, "consults") == 1
        _, rows, fresh = show(store, "everything")
        assert fresh == 2 and rows == list(store.events(limit=None))  # the listing's rows
        assert _new(store, "everything") == 0 and _new(store, "consults") == 1  # each search its own
        _, _, fresh = show(store, "consults", seen=False)
        assert fresh == 1 and _new(store, "consults") == 1


def test_a_saved_search_runs_its_listings_own_query(db: str) -> None:
    with Store(db) as store:
        _grow(store, _signing("s1"))
        add(store, "signings", "events", {"type": "SUPPORT", "place": "tarlen"})
        _, rows, _ = show(store, "signings")
        assert rows == list(store.events(type="SUPPORT", place="tarlen", limit=None))
        assert [r["trigger"] for r in rows] == ["signed"]
        assert run(store, "opportunities", {}) == store.opportunities(limit=None)


@pytest.mark.parametrize("kind, params, canonical", [
    ("events", {"type": "consult", "country": "gbr", "sector": "Energy", "mode": "VISIT", "since": "2024"},
     {"type": "CONSULT", "country": "GBR", "sector": "energy", "mode": "visit", "since": "2024"}),
    ("quotes", {"speaker_country": "fra", "kind": "Direct", "min_stance": "-0.5"},
     {"speaker_country": "FRA", "kind": "direct", "min_stance": -0.5}),
    ("stories", {"min_reports": "2", "type": "agree"}, {"min_reports": 2, "type": "AGREE"}),
    ("opportunities", {"country": "ind", "until": "2025-03"}, {"country": "IND", "until": "2025-03"}),
    ("search", {"query": ' "trade accord" '}, {"query": '"trade accord"'}),
    ("visits", {"visitor_country": "jpn"}, {"visitor_country": "JPN"}),
])
def test_filters_are_kept_in_the_form_the_listing_takes(kind: str, params: dict, canonical: dict) -> None:
    assert check(kind, params) == canonical


@pytest.mark.parametrize("kind, params, says", [
    ("events", {"country": "India"}, "e.g. IND for India"),
    ("events", {"since": "yesterday"}, "YYYY-MM-DD"),
    ("events", {"type": "MEET"}, "PLOVER event type"),
    ("quotes", {"kind": "loud"}, "direct, indirect or mixed"),
    ("quotes", {"max_stance": "2"}, "between -1 and 1"),
    ("stories", {"min_reports": "0"}, "1 or more"),
    ("search", {"query": "  -  "}, "at least one word"),
])
def test_a_filter_that_cannot_match_is_refused_with_what_would_do(kind: str, params: dict, says: str) -> None:
    with pytest.raises(FilterError, match=says):
        check(kind, params)


def test_a_filter_of_another_kind_or_an_unknown_kind_is_refused() -> None:
    with pytest.raises(SavedSearchError, match="speaker: not a filter of saved searches of kind events; they take type"):
        check("events", {"speaker": "Varga"})
    with pytest.raises(SavedSearchError, match="one of events, visits, quotes, opportunities, stories, search"):
        check("people", {})
    with pytest.raises(SavedSearchError, match="needs query"):
        check("search", {})
    assert set(KINDS) == {"events", "visits", "quotes", "opportunities", "stories", "search"}


def test_names_addresses_and_webhooks_are_checked(db: str) -> None:
    with Store(db) as store:
        add(store, "taken", "events", {})
        with pytest.raises(SavedSearchError, match="exists"):
            add(store, "taken", "quotes", {})
        with pytest.raises(SavedSearchError, match="not an e-mail address"):
            add(store, "x", "events", {}, emails=["desk at example.org"])
        with pytest.raises(SavedSearchError, match="not an http"):
            add(store, "x", "events", {}, webhook="ftp://example.org/hook")
        with pytest.raises(SavedSearchError, match="not a name"):
            add(store, "a/b", "events", {})
        with pytest.raises(SavedSearchError, match="did you mean taken"):
            get(store, "taken2")
        assert [s["name"] for s in listing(store)] == ["taken"]
        remove(store, "taken")
        with pytest.raises(SavedSearchError, match="there are none yet"):
            get(store, "taken")


def test_a_full_text_search_is_saved_and_counts_articles_per_story(db: str) -> None:
    with Store(db) as store:
        add(store, "accords", "search", {"query": "accord"})
        _grow(store, _signing("s1"))
        assert _new(store, "accords") == 1
        _, rows, fresh = show(store, "accords")
        assert [r["id"] for r in rows] == ["s1"] and fresh == 1


def test_the_command_line(db: str) -> None:
    runner = CliRunner()

    def parley(*args: str) -> object:
        return runner.invoke(main, [*args, "--db", db])

    r = parley("saved", "add", "consults", "--kind", "events", "--type", "CONSULT", "--place", "Tarlenheim")
    assert r.exit_code == 0 and "saved 'consults' (events: --type CONSULT, --place Tarlenheim)" in r.output
    r = parley("saved", "add", "q", "--kind", "quotes", "--country", "GBR", "--quote-kind", "direct")
    assert r.exit_code == 0, r.output
    with Store(db) as store:
        assert get(store, "q").params == {"speaker_country": "GBR", "kind": "direct"}
        _grow(store, _visit("k1", who=KOVAC, day="2025-02-01", published="2025-02-01"))
    r = parley("saved", "list")
    assert r.exit_code == 0 and "consults (events: --type CONSULT, --place Tarlenheim): 1 new since you last looked" \
        in r.output and "q (quotes: --country GBR, --quote-kind direct): 0 new" in r.output
    r = parley("saved", "show", "consults")
    assert r.exit_code == 0 and "consults (events: --type CONSULT, --place Tarlenheim): 4 rows, 1 new since you " \
        "last looked" in r.output and "Ivo Kovac" in r.output
    r = parley("saved", "show", "consults", "--json")
    assert r.exit_code == 0 and r.output.count('"trigger"') == 4
    r = parley("saved", "list")
    assert "consults (events: --type CONSULT, --place Tarlenheim): 0 new since you last looked" in r.output
    r = runner.invoke(main, ["saved", "--db", db])  # `parley saved` alone lists them
    assert r.exit_code == 0 and "0 new since you last looked" in r.output
    # wrong usage: errors with a hint, status non-zero
    r = parley("saved", "show", "consult")
    assert r.exit_code == 1 and "did you mean consults?" in r.output
    r = parley("saved", "add", "x", "--kind", "people")
    assert r.exit_code == 2 and "'people' is not one of" in r.output
    r = parley("saved", "add", "x", "--kind", "events", "--country", "India")
    assert r.exit_code == 2 and "Invalid value for --country: 'India'" in r.output and "IND" in r.output
    r = parley("saved", "add", "x", "--kind", "events", "--speaker", "Varga")
    assert r.exit_code == 2 and "--speaker does not apply to --kind events; it takes --type" in r.output
    r = parley("saved", "add", "x", "--kind", "events", "--secret", "s")
    assert r.exit_code == 2 and "give --webhook URL with it" in r.output
    r = parley("saved", "add", "x", "--kind", "search")
    assert r.exit_code == 1 and "needs query" in r.output
    r = parley("saved", "remove", "consults")
    assert r.exit_code == 0 and "removed 'consults'" in r.output
    r = parley("saved", "remove", "consults")
    assert r.exit_code == 1 and "no saved search named 'consults'" in r.output
    r = runner.invoke(main, ["saved", "list", "--db", str(Path(db).parent / "typo.db")])
    assert r.exit_code == 2 and "no store at" in r.output
