"""Country and place pages' reads (store/countries.py, store/places.py, `parley country`) on invented
documents (tests/places_fixtures.py): directions of visits, containment by the gazetteer's hierarchy,
undated events counted apart, and unknown codes refused with a hint."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.countries import country_label, country_name
from parley.errors import FilterError
from parley.store import Store, countries, places

from .places_fixtures import aid, documents


@pytest.fixture
def db(store_url: str) -> str:
    with Store(store_url) as s:
        s.add_many(documents())
    return store_url


@pytest.fixture
def store(db: str):
    with Store(db) as s:
        yield s


def country(store: Store, code: str) -> dict:
    found = store.read(countries.country, code=code)
    assert found is not None, code
    return found


def partner(c: dict, code: str) -> dict:
    (found,) = [p for p in c["partners"] if p["code"] == code]
    return found


def letters(rows: list[dict]) -> list[str]:
    return [r["article_id"][0] for r in rows]


# --- visits each way -----------------------------------------------------------------------------

def test_a_visit_from_chile_to_china_is_outbound_for_chile_and_inbound_for_china(store):
    chile, china = country(store, "CHL"), country(store, "CHN")
    assert letters(chile["visits_out"]) == ["a"] and letters(chile["visits_in"]) == []
    assert "a" in letters(china["visits_in"]) and "a" not in letters(china["visits_out"])
    assert (partner(chile, "CHN")["visits_out"], partner(chile, "CHN")["visits_in"]) == (1, 0)
    assert (partner(china, "CHL")["visits_in"], partner(china, "CHL")["visits_out"]) == (1, 0)


def test_each_direction_between_china_and_kenya_is_counted_once(store):
    china, kenya = country(store, "CHN"), country(store, "KEN")
    assert letters(china["visits_in"]) == ["a", "b"] and letters(china["visits_out"]) == ["c"]
    assert letters(kenya["visits_in"]) == ["c"] and letters(kenya["visits_out"]) == ["b"]
    assert (partner(china, "KEN")["visits_in"], partner(china, "KEN")["visits_out"]) == (1, 1)


# --- what is counted -----------------------------------------------------------------------------

def test_partners_are_other_countries_with_events_by_kind(store):
    china = country(store, "CHN")
    assert [p["code"] for p in china["partners"]] == ["CHL", "KEN"]  # never itself
    chile = partner(china, "CHL")
    assert (chile["events"], chile["CONSULT"], chile["AGREE"], chile["other"]) == (4, 2, 2, 0)
    assert china["events"] == 7 and china["types"] == {"CONSULT": 5, "AGREE": 2}


def test_the_timeline_places_dated_months_and_counts_the_undated_apart(store):
    china = country(store, "CHN")
    assert china["timeline"] == [{"period": "2023-09", "events": 2}, {"period": "2024-06", "events": 1},
                                 {"period": "2025-03", "events": 3}]
    assert china["undated"] == 1  # the agreement in an article without a date
    assert country(store, "KEN")["undated"] == 0


def test_counterparts_are_people_of_the_other_side_and_quotes_are_by_its_own_officials(store):
    china, chile = country(store, "CHN"), country(store, "CHL")
    names = {(c["name"], c["country"]) for c in china["counterparts"]}
    assert ("Marta Quispe", "CHL") in names and ("Wanjiru Odhiambo", "KEN") in names
    assert not any(c == "CHN" for _, c in names)  # its own people are no counterparts
    assert [p["name"] for p in partner(chile, "CHN")["counterparts"]] == ["Bai Lin", "Gao Ren"]
    assert [(q["speaker"], q["article_id"]) for q in china["quotes"]] == [("Gao Ren", aid("a"))]
    assert chile["quotes"] == []  # Gao Ren speaks for China, not for the visitors


def test_sectors_are_those_of_the_country_s_events(store):
    assert {s["sector"]: s["events"] for s in country(store, "KEN")["sectors"]} == {"agriculture": 1, "logistics": 1}


def test_the_index_lists_countries_with_names_most_events_first(store):
    rows = store.read(countries.countries)
    assert [(r["code"], r["name"], r["events"]) for r in rows] == [("CHN", "China", 7), ("CHL", "Chile", 4),
                                                                     ("KEN", "Kenya", 3)]


# --- unknown codes -------------------------------------------------------------------------------

def test_an_unknown_code_is_an_error_with_a_hint_and_a_code_without_events_is_none(store):
    with pytest.raises(FilterError) as found:
        countries.check_code("code", "Kenya")
    assert "KEN" in str(found.value)
    assert countries.check_code("code", "ken") == "KEN"
    assert store.read(countries.country, code="TCD") is None


def test_country_names_stand_beside_codes():
    assert country_name("KOR") == "South Korea"  # the gazetteer's name, not ISO's "Korea, Republic of"
    assert country_label("EUR") == "EUR (European Union)"
    assert country_name("QQQ") is None and country_label("QQQ") == "QQQ"


# --- places --------------------------------------------------------------------------------------

def place(store: Store, name: str) -> dict:
    found = store.read(places.place, type="GPE", name=name)
    assert found is not None, name
    return found


def test_a_province_lists_the_places_inside_it_and_not_those_outside(store):
    sichuan = place(store, "Sichuan")
    inside = [p["name"] for p in sichuan["inside"]]
    assert inside == ["Mianyang"]
    assert "Yichang" not in inside and "Mombasa" not in inside  # Hubei; Kenya
    assert (sichuan["kind"], sichuan["country"], sichuan["country_name"]) == ("admin1", "CHN", "China")
    assert letters(sichuan["visits"]) == ["a"]  # the visit to Mianyang, inside it
    assert {e["article_id"] for e in sichuan["events"]} == {aid("a")}
    assert [p["name"] for p in sichuan["map"]] == ["Sichuan", "Mianyang"]


def test_a_city_lies_in_its_province_and_holds_only_itself(store):
    yichang = place(store, "Yichang")
    assert (yichang["kind"], yichang["admin1"], yichang["country"]) == ("city", "Hubei", "CHN")
    assert yichang["inside"] == [] and letters(yichang["visits"]) == ["b"]
    assert yichang["admin1_place"] is None  # Hubei itself is not stored


def test_only_places_have_place_pages(store):
    assert store.read(places.place, type="PERSON", name="Gao Ren") is None
    assert store.read(places.place, type="GPE", name="Atlantis") is None


# --- the CLI -------------------------------------------------------------------------------------

def test_parley_country_lists_partners_and_refuses_unknown_codes(db):
    runner = CliRunner()
    found = runner.invoke(main, ["country", "chn", "--db", db, "--json"])
    assert found.exit_code == 0, found.output
    rows = json.loads(found.output)
    assert [(r["code"], r["visits_in"], r["visits_out"]) for r in rows] == [("CHL", 1, 0), ("KEN", 1, 1)]
    refused = runner.invoke(main, ["country", "Kenya", "--db", db])
    assert refused.exit_code == 2 and "KEN" in refused.output
    empty = runner.invoke(main, ["country", "TCD", "--db", db])
    assert empty.exit_code == 2 and "parley countries" in empty.output
    listed = runner.invoke(main, ["countries", "--db", db, "--json"])
    assert [r["code"] for r in json.loads(listed.output)] == ["CHN", "CHL", "KEN"]
