"""Visits (store/visits.py, `parley visits`, GET /api/visits) on invented documents (no spaCy).

The stored places carry the gazetteer's own `geo` (as the analysis writes it), so the filters meet
the admin hierarchy they will meet in real stores: a city under its province under its country.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.document import Document
from parley.errors import FilterError
from parley.store import Store
from parley.store.visits import check_place, kind_of

from .places_fixtures import Doc

# A foreign delegation's visit to a city in Sichuan: a visit, a meeting, a signing and an intent.
VISIT = ("A Chilean trade delegation led by Ana Ruiz visited Mianyang on Tuesday. "
         "The delegation met Mayor Zhang Lei at the city hall. "
         "The two sides signed a memorandum on battery recycling. "
         "Ruiz said the delegation hopes to invest in new energy vehicles.")
# Officials meeting at home in Hubei: no visit by anyone.
HOME = "Officials of the city government met local business leaders in Wuhan on Monday to discuss the port."
# A foreign minister meeting in Hubei in another year, about farming.
ABROAD = "Kenyan minister Otieno Kamau met provincial governor Liu Fang in Yichang to discuss grain exports."
# Praise is SUPPORT but no signing; a phone call is CONSULT but no visit or meeting.
OTHERS = ("Chilean envoy Pablo Soto praised the governor of Hubei. "
          "Soto phoned Liu Fang in Yichang about a visit.")


def visit_doc() -> Document:
    d = Doc("a", VISIT, "2025-05-10")
    d.entity("e1", "GROUP", "Chilean trade delegation", "CHL")
    d.entity("e2", "PERSON", "Ana Ruiz", "CHL")
    d.entity("e3", "GPE", "Mianyang", "CHN", place="Mianyang")
    d.entity("e4", "PERSON", "Zhang Lei", "CHN")
    d.event("v1", "CONSULT", "visit", "visited", ["e1", "e2"], ["e3"], "e3", "2025-05-06")
    d.event("v2", "CONSULT", None, "met", ["e1"], ["e4"], "e3", "2025-05-06")
    d.event("v3", "SUPPORT", None, "signed", ["e1", "e4"], [], "e3", sectors=["energy"])
    d.event("v4", "AGREE", None, "hopes", ["e1"], ["e3"], sectors=["new-energy-vehicles"])
    return d.doc()


def home_doc() -> Document:
    d = Doc("b", HOME, "2025-06-01")
    d.entity("e1", "GROUP", "Officials of the city government", "CHN")
    d.entity("e2", "GROUP", "local business leaders", "CHN")
    d.entity("e3", "GPE", "Wuhan", "CHN", place="Wuhan")
    d.event("v1", "CONSULT", None, "met", ["e1"], ["e2"], "e3", "2025-05-26")
    return d.doc()


def abroad_doc() -> Document:
    d = Doc("c", ABROAD, "2024-11-02")
    d.entity("e1", "PERSON", "Otieno Kamau", "KEN")
    d.entity("e2", "PERSON", "Liu Fang", "CHN")
    d.entity("e3", "GPE", "Yichang", "CHN", place="Yichang")
    d.event("v1", "CONSULT", None, "met", ["e1"], ["e2"], "e3", sectors=["agriculture"])
    return d.doc()


def others_doc() -> Document:
    d = Doc("d", OTHERS, "2025-02-01")
    d.entity("e1", "PERSON", "Pablo Soto", "CHL")
    d.entity("e2", "PERSON", "Liu Fang", "CHN")
    d.entity("e3", "GPE", "Yichang", "CHN", place="Yichang")
    d.event("v1", "SUPPORT", None, "praised", ["e1"], ["e2"])
    d.event("v2", "CONSULT", "phone", "phoned", ["e1"], ["e2"], "e3")
    return d.doc()


@pytest.fixture
def db(store_url: str) -> str:
    with Store(store_url) as s:
        s.add_many([visit_doc(), home_doc(), abroad_doc(), others_doc()])
    return store_url


@pytest.fixture
def store(db: str):
    with Store(db) as s:
        yield s


def articles(rows: list[dict]) -> list[str]:
    return [r["article_id"][0] for r in rows]


# --- what counts --------------------------------------------------------------------------------

def test_engagement_kinds_are_read_from_the_table():
    assert kind_of("CONSULT", "visit", "visited") == "visit"
    assert kind_of("CONSULT", "visit", "called") == "courtesy call"
    assert kind_of("CONSULT", None, "talks") == "meeting"
    assert kind_of("SUPPORT", None, "signed") == "signing"
    assert kind_of("SUPPORT", None, "praised") is None  # praise is no signing
    assert kind_of("CONSULT", "phone", "phoned") is None  # a phone call is no visit
    assert kind_of("AGREE", None, "hopes") is None  # an intent, attached to its visit


def test_one_visit_with_whom_they_met_what_they_signed_and_intend(store):
    (row,) = [r for r in store.visits() if r["article_id"] == "a" * 40]
    assert row["kind"] == "visit" and row["kinds"] == ["visit", "meeting", "signing"]
    assert row["visitors"] == ["Chilean trade delegation", "Ana Ruiz"] and row["visitor_countries"] == ["CHL"]
    assert row["hosts"] == ["Zhang Lei"]
    assert (row["place"], row["place_admin1"], row["place_country"]) == ("Mianyang", "Sichuan", "CHN")
    assert row["date"] == "2025-05-06"
    assert [e["kind"] for e in row["events"]] == ["visit", "meeting", "signing"]
    assert row["events"][1]["met"] == ["Zhang Lei"]
    assert row["events"][1]["evidence"].startswith("The delegation met Mayor Zhang Lei")
    assert [i["trigger"] for i in row["intents"]] == ["hopes"]
    assert row["intents"][0]["evidence"].startswith("Ruiz said the delegation hopes")
    assert set(row["sectors"]) == {"energy", "new-energy-vehicles"}
    assert row["evidence"].startswith("A Chilean trade delegation led by Ana Ruiz visited Mianyang")


def test_a_meeting_at_home_is_not_a_visit_but_a_foreign_minister_s_meeting_is(store):
    rows = store.visits()
    assert "b" not in articles(rows)  # officials of Wuhan meeting Wuhan's business leaders
    (abroad,) = [r for r in rows if r["article_id"] == "c" * 40]
    assert abroad["kind"] == "meeting" and abroad["visitors"] == ["Otieno Kamau"] and abroad["hosts"] == ["Liu Fang"]
    assert "d" not in articles(rows)  # praise and a phone call


# --- the place filter: everything inside the place ------------------------------------------------

def test_a_city_matches_its_province_and_country_and_not_another_province(store):
    assert articles(store.visits(place="Sichuan")) == ["a"]
    assert articles(store.visits(place="Hubei")) == ["c"]
    assert articles(store.visits(place="China")) == ["a", "c"]
    assert articles(store.visits(place="Mianyang")) == ["a"]
    assert articles(store.visits(place="Asia")) == ["a", "c"]
    assert store.visits(place="Chile") == []  # the visitors' country is not where they went
    assert store.visits(place="Wuhan") == []  # only the meeting at home happened there


def test_an_unknown_place_is_an_error_that_names_close_places(store):
    with pytest.raises(FilterError) as found:
        store.visits(place="Sichaun")
    assert "Sichuan" in str(found.value)


def test_a_city_named_like_its_division_stands_for_the_division():
    scope = check_place("place", "Chongqing")
    assert scope is not None and scope.kind == "admin1"
    assert scope.contains({"name": "Wanzhou", "country": "CHN", "admin1": "Chongqing", "kind": "city"})
    assert not scope.contains({"name": "Chengdu", "country": "CHN", "admin1": "Sichuan", "kind": "city"})


# --- period, visitor country, sector --------------------------------------------------------------

def test_period_visitor_country_and_sector(store):
    assert articles(store.visits(place="China", since="2025", until="2025")) == ["a"]
    assert articles(store.visits(place="China", until="2024")) == ["c"]
    assert articles(store.visits(since="2025-05-07")) == ["a"]  # the signing carries the article's date
    assert store.visits(since="2026") == []
    assert articles(store.visits(visitor_country="KEN")) == ["c"]
    assert articles(store.visits(visitor_country="CHL")) == ["a"]
    assert store.visits(visitor_country="CHN") == []  # the hosts' country is not a visitor's
    assert articles(store.visits(sector="new-energy-vehicles")) == ["a"]  # an intent's sector
    assert articles(store.visits(sector="agriculture")) == ["c"]
    assert store.visits(sector="tourism") == []


def test_newest_first_and_paging(store):
    rows = store.visits()
    assert articles(rows) == ["a", "c"]
    assert articles(store.visits(limit=1)) == ["a"]
    assert articles(store.visits(limit=1, offset=1)) == ["c"]


# --- the CLI and the API ------------------------------------------------------------------------

def test_cli_delegations_to_a_province_in_a_year(db):
    result = CliRunner().invoke(main, ["visits", "--db", db, "--place", "Sichuan", "--since", "2025",
                                       "--until", "2025", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["visitors"] for r in rows] == [["Chilean trade delegation", "Ana Ruiz"]]
    table = CliRunner().invoke(main, ["visits", "--db", db, "--place", "Hubei"])
    assert table.exit_code == 0 and "Otieno Kamau" in table.output and "Ruiz" not in table.output


def test_cli_refuses_an_unknown_place_with_a_hint(db):
    result = CliRunner().invoke(main, ["visits", "--db", db, "--place", "Sichaun"])
    assert result.exit_code == 2 and "Sichuan" in result.output


def test_cli_fetches_one_more_to_say_more_match(db):
    result = CliRunner().invoke(main, ["visits", "--db", db, "--limit", "1", "--nl"])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 1
    assert "more match" in result.stderr


def test_api_delegations_to_a_province_in_a_year_is_one_url(db):
    from parley.web import create_app

    from .web.conftest import call

    app = create_app(db)
    try:
        r = call(app, "GET", "/api/visits?place=Sichuan&since=2025&until=2025")
        assert r.status_code == 200 and [x["place"] for x in r.json()["items"]] == ["Mianyang"]
        assert r.json()["total"] == 1 and r.json()["next"] is None
        kenya = call(app, "GET", "/api/visits?place=China&visitor_country=KEN").json()["items"]
        assert [x["article_id"][0] for x in kenya] == ["c"]
        first = call(app, "GET", "/api/visits?limit=1").json()
        assert first["total"] == 2 and not first["total_is_lower_bound"] and "offset=1" in first["next"]
        assert [x["article_id"][0] for x in call(app, "GET", first["next"]).json()["items"]] == ["c"]
        bad = call(app, "GET", "/api/visits?place=Sichaun")
        assert bad.status_code == 404 and "Sichuan" in bad.json()["detail"]
        assert call(app, "GET", "/api/visits?visitor_country=Chile").status_code == 422
    finally:
        app.state.workbench.store.close()


def test_the_page_answers_delegations_to_a_province_in_a_year(db):
    from parley.web import create_app

    from .web.conftest import call

    app = create_app(db)
    try:
        page = call(app, "GET", "/visits?place=Sichuan&since=2025&until=2025")
        assert page.status_code == 200 and "Visits in Sichuan" in page.text
        assert "Chilean trade delegation" in page.text and "Otieno Kamau" not in page.text
        assert "Zhang Lei" in page.text and "hopes to invest" in page.text  # whom they met, what they intend
        assert 'href="/api/visits?place=Sichuan&amp;since=2025&amp;until=2025"' in page.text
        assert call(app, "GET", "/visits?place=Sichaun").status_code == 404
    finally:
        app.state.workbench.store.close()
