"""Offline geocoding: countries, demonyms, regions, cities, context, phrases, datelines (no spaCy model)."""

from __future__ import annotations

import time

import pytest

from parley.analysis import places
from parley.analysis.places import (
    Place,
    countries_in,
    country_in,
    country_of_demonym,
    gazetteer,
    geocode_dateline,
    geocode_places,
    lookup,
    region_of_demonym,
)
from parley.document import Article, Document, Entity, Mention


def _place(name: str, *context: str) -> Place:
    place = lookup(name, context)
    assert place is not None, name
    return place


# ---------------------------------------------------------------- lookup paths


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kenya", "KEN"),
        ("the United States", "USA"),
        ("UK", "GBR"),
        ("U.S.", "USA"),
        ("Britain", "GBR"),
        ("South Korea", "KOR"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Ivory Coast", "CIV"),
        ("Côte d’Ivoire", "CIV"),
        ("Kosovo", "XKX"),
        ("Russian Federation", "RUS"),
        ("Holland", "NLD"),
        ("UAE", "ARE"),
    ],
)
def test_countries_by_name_and_alias(name: str, code: str) -> None:
    place = _place(name)
    assert place.kind == "country"
    assert place.country == code
    assert place.lat is not None and place.lon is not None


def test_country_coordinates_are_the_capitals() -> None:
    kenya = _place("Kenya")
    assert abs(kenya.lat - (-1.28)) < 0.2 and abs(kenya.lon - 36.82) < 0.2
    assert kenya.geonameid == 192950


def test_lowercase_us_is_the_pronoun_not_a_country() -> None:
    assert lookup("us") is None
    assert lookup("Us") is None


def test_unknown_name_is_none() -> None:
    assert lookup("Qwertzuiopville") is None
    assert lookup("") is None
    assert lookup("2024") is None


def test_region_from_the_data_file() -> None:
    midlands = _place("the East Midlands")
    assert (midlands.kind, midlands.country, midlands.admin1) == ("region", "GBR", "England")
    new_area = _place("Xiong'an New Area")
    assert (new_area.country, new_area.admin1) == ("CHN", "Hebei")
    assert _place("Xiongan New District").name == new_area.name
    world = _place("Southeast Asia")
    assert world.country is None and world.kind == "region"
    continent = _place("Africa")
    assert continent.kind == "continent" and continent.country is None and continent.geonameid == 6255146


def test_uk_nations_are_places_not_the_whole_country() -> None:
    wales = _place("Wales")
    assert (wales.kind, wales.country) == ("admin1", "GBR")


def test_admin1_with_suffixes_and_native_names() -> None:
    assert _place("Zhejiang").kind == "admin1"
    hebei = _place("Hebei Province")
    assert (hebei.name, hebei.country, hebei.kind) == ("Hebei", "CHN", "admin1")
    assert _place("Bayern").name == "Bavaria"
    assert _place("Ontario").country == "CAN"
    assert _place("Maharashtra").country == "IND"
    assert _place("Texas").geonameid is not None


def test_city_by_population_with_its_admin1() -> None:
    manchester = _place("Manchester")
    assert (manchester.country, manchester.admin1, manchester.kind) == ("GBR", "England", "city")
    wuhan = _place("Wuhan's")  # possessive
    assert (wuhan.country, wuhan.admin1) == ("CHN", "Hubei")
    assert _place("Sao Paulo").name == "São Paulo"  # accents folded


def test_alternate_names_do_not_shadow_primary_names() -> None:
    assert _place("Bombay").name == "Mumbai"
    # "Victoria" is an alternate name of a large city, but the primary names win
    assert _place("Victoria").country == "AUS"


def test_big_city_wins_over_the_division_it_names() -> None:
    assert _place("Washington").admin1 == "District of Columbia"
    assert _place("New York").kind == "city"
    assert _place("New York State").kind == "admin1"


def test_ambiguity_resolved_by_context_country() -> None:
    assert _place("Cambridge").country == "GBR"
    assert _place("Cambridge", "USA").admin1 == "Massachusetts"
    assert _place("Georgia").country == "GEO"
    assert _place("Georgia", "USA").kind == "admin1"
    assert _place("Georgia", "USA", "GEO").country == "GEO"
    assert _place("Perth", "GBR").country == "GBR"
    assert _place("Perth").country == "AUS"


def test_a_small_namesake_in_context_does_not_displace_a_national_capital() -> None:
    assert _place("Paris", "USA").country == "FRA"  # not Paris, Texas (25,000 people)
    assert _place("Paris", "USA", "ZAF").country == "FRA"  # nor Parys, by an alternate name
    assert _place("Kingston", "CAN").country == "CAN"  # a namesake of city size still wins in context
    assert _place("Perth", "GBR").country == "GBR"  # and a town beside a big city that is no capital


def test_qualified_names() -> None:
    portland = _place("Portland, Maine")
    assert portland.admin1 == "Maine"
    assert _place("Portland, Ore.").admin1 == "Oregon"


# ---------------------------------------------------------------- demonyms


def test_demonyms() -> None:
    assert country_of_demonym("British") == "GBR"
    assert country_of_demonym("Britons") == "GBR"
    assert country_of_demonym("Chinese") == "CHN"
    assert country_of_demonym("Mexicans") == "MEX"
    assert country_of_demonym("Italian") == "ITA"
    assert country_of_demonym("American") == "USA"
    assert country_of_demonym("Filipinos") == "PHL"
    assert country_of_demonym("European") is None
    assert region_of_demonym("European") == "Europe"
    assert region_of_demonym("Latin American") == "Latin America"
    assert region_of_demonym("British") is None
    assert country_of_demonym("Martian") is None


# ---------------------------------------------------------------- phrases


def test_country_in_phrases() -> None:
    assert country_in("deputy mayor of the West Midlands") == "GBR"
    assert country_in("Peru Chamber of Commerce in Japan") == "PER"
    assert country_in("Canadian Chamber of Commerce") == "CAN"
    assert country_in("minister of the Guangdong provincial government") == "CHN"
    assert country_in("a talk with us about trade") is None
    assert country_in("European Commission") is None


def test_countries_in_order_of_appearance() -> None:
    assert countries_in("Sino-Japanese talks in Seoul, then in the U.S.") == ["CHN", "JPN", "KOR", "USA"]
    assert countries_in("Kenya, Kenya and Ghana") == ["KEN", "GHA"]
    assert countries_in("Latin American buyers") == []
    assert countries_in("a New Mexico start-up") == ["USA"]
    assert countries_in("the Indian Ocean route") == []


def test_person_names_are_not_countries() -> None:
    assert countries_in("Chad Miller met Jordan's king") == ["JOR"]
    assert country_in("Jordan Chamber of Commerce") == "JOR"


def test_country_in_is_fast() -> None:
    text = "The Dutch trade envoy met officials from Lagos and the Philippines in Brussels. " * 20
    country_in(text)
    start = time.perf_counter()
    for _ in range(50):
        countries_in(text)
    assert (time.perf_counter() - start) / 50 < 0.05


# ---------------------------------------------------------------- datelines and the pipeline step


@pytest.mark.parametrize(
    ("dateline", "name", "country"),
    [
        ("NAIROBI", "Nairobi", "KEN"),
        ("RIO DE JANEIRO", "Rio de Janeiro", "BRA"),
        ("Osaka", "Osaka", "JPN"),
        ("PORTLAND, Maine", "Portland", "USA"),
        ("Accra, Ghana", "Accra", "GHA"),
        ("NEW YORK, N.Y.", "New York City", "USA"),
    ],
)
def test_dateline_geocoding(dateline: str, name: str, country: str) -> None:
    place = geocode_dateline(dateline)
    assert place is not None
    assert (place.name, place.country) == (name, country)


def _entity(n: int, kind: str, name: str, mentions: int = 1) -> Entity:
    return Entity(
        id=f"e{n}",
        type=kind,
        name=name,
        mentions=[Mention(start=i, end=i + len(name), text=name) for i in range(mentions)],
    )


def test_geocode_places_on_a_hand_built_document() -> None:
    article = Article(id="t1", text="(body not needed by this step)", dateline="BOSTON")
    document = Document(
        article=article,
        entities=[
            _entity(1, "GPE", "Massachusetts", 2),
            _entity(2, "GPE", "Cambridge"),
            _entity(3, "NORP", "Irish"),
            _entity(4, "GPE", "Dublin"),
            _entity(5, "LOC", "Western Europe"),
            _entity(6, "PERSON", "Mary Byrne"),
            _entity(7, "FAC", "Logan Airport"),
            _entity(8, "GPE", "Ireland"),
        ],
    )
    geocode_places(None, document)
    by_name = {e.name: e for e in document.entities}
    assert document.article.dateline_geo is not None
    assert document.article.dateline_geo["country"] == "USA"
    assert document.article.dateline_geo["admin1"] == "Massachusetts"
    assert set(document.article.dateline_geo) >= {"name", "country", "lat", "lon", "admin1", "geonameid"}
    cambridge = by_name["Cambridge"]
    assert cambridge.country == "USA" and cambridge.geo["admin1"] == "Massachusetts"
    assert set(cambridge.geo) >= {"lat", "lon", "admin1", "geonameid", "country", "kind"}
    assert by_name["Massachusetts"].geo["kind"] == "admin1"
    assert by_name["Irish"].country == "IRL" and by_name["Irish"].geo is None
    assert by_name["Dublin"].country == "IRL"
    assert by_name["Western Europe"].geo["country"] is None and by_name["Western Europe"].country is None
    assert by_name["Mary Byrne"].geo is None and by_name["Mary Byrne"].country is None
    assert by_name["Ireland"].geo["kind"] == "country"
    assert Document.from_dict(document.to_dict()) == document


def test_gazetteer_is_built_once_and_quickly() -> None:
    gazetteer.cache_clear()
    start = time.perf_counter()
    first = gazetteer()
    elapsed = time.perf_counter() - start
    assert gazetteer() is first
    assert elapsed < 5  # about 0.7 s on a developer machine; generous for a loaded CI box
    assert len(first.names) > 30_000
    assert places.lookup("Peking") is not None  # the deferred alternate names are indexed on demand


def test_dateline_place_is_a_place_of_the_article_even_when_the_body_never_names_it() -> None:
    import parley

    doc = parley.analyze("Port Deal Signed\nMOMBASA - Ruritania signed a port deal with Kenya on Monday.")
    places = {e.name: e for e in doc.entities if e.type in {"GPE", "LOC"}}
    assert "Mombasa" in places and places["Mombasa"].country == "KEN"
    assert places["Mombasa"].mentions == []


def test_dateline_place_named_in_the_body_is_not_doubled() -> None:
    import parley

    doc = parley.analyze("Port Deal Signed\nMOMBASA - Officials in Mombasa signed a port deal on Monday.")
    assert len([e for e in doc.entities if e.name == "Mombasa"]) == 1
