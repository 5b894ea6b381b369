"""Country pages (/countries, /countries/ISO3, /api/countries...) and place pages (/entities/GPE/...,
/api/places/...) over invented documents (tests/places_fixtures.py), in process on SQLite (the reads
behind them run on both databases in tests/test_store_countries.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from parley.store import Store
from parley.web import create_app

from ..places_fixtures import documents
from .conftest import call


@pytest.fixture(scope="module")
def places_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    db = str(tmp_path_factory.mktemp("places") / "places.db")
    with Store(db) as s:
        s.add_many(documents())
    return db


@pytest.fixture(scope="module")
def places_app(places_db: str) -> Iterator[Any]:
    app = create_app(places_db)
    yield app
    app.state.workbench.store.close()


def get(app: Any, url: str) -> Any:
    return call(app, "GET", url)


def test_the_index_lists_countries_with_names_and_links(places_app):
    page = get(places_app, "/countries")
    assert page.status_code == 200
    assert 'href="/countries/CHN">China</a>' in page.text and 'href="/countries/KEN">Kenya</a>' in page.text
    api = get(places_app, "/api/countries").json()
    assert [r["code"] for r in api["items"]] == ["CHN", "CHL", "KEN"] and api["total"] == 3
    assert '<a href="/countries">Countries</a>' in page.text  # in the navigation


def test_a_country_page_shows_each_partner_and_visits_each_way(places_app):
    page = get(places_app, "/countries/CHL")
    assert page.status_code == 200
    assert "<h1>Chile" in page.text and 'href="/countries/CHN">China</a>' in page.text
    api = get(places_app, "/api/countries/CHL").json()
    (china,) = api["partners"]
    assert (china["code"], china["visits_out"], china["visits_in"]) == ("CHN", 1, 0)
    assert [v["place"] for v in api["visits_out"]] == ["Mianyang"] and api["visits_in"] == []
    # the visits there are one click away, as one URL: Chile's people visiting China
    assert "/visits?place=China&amp;visitor_country=CHL" in page.text


def test_the_timeline_is_on_a_time_axis_and_says_how_many_are_undated(places_app):
    page = get(places_app, "/countries/CHN").text
    assert "1 event without a date" in page
    # 2023-09 and 2025-03 are 18 months apart, 2024-06 nine months after the first: the bars say so
    xs = [float(x) for x in re.findall(r'<rect x="([0-9.]+)"', page)]
    assert len(xs) == 3
    assert abs((xs[1] - xs[0]) / (xs[2] - xs[0]) - 9 / 18) < 0.01


def test_an_unknown_code_is_a_404_with_a_hint_never_an_empty_page(places_app):
    problem = get(places_app, "/api/countries/Kenya")
    assert problem.status_code == 404 and problem.headers["content-type"] == "application/problem+json"
    assert "KEN" in problem.json()["detail"]
    page = get(places_app, "/countries/ZZZ")
    assert page.status_code == 404 and "ISO 3166-1 alpha-3" in page.text
    none = get(places_app, "/api/countries/TCD")
    assert none.status_code == 404 and "Chad" in none.json()["detail"]


def test_a_place_has_a_page_of_its_own_with_the_places_inside_it(places_app):
    page = get(places_app, "/entities/GPE/Sichuan")
    assert page.status_code == 200
    text = page.text
    assert "Places inside Sichuan" in text and 'href="/entities/GPE/Mianyang">Mianyang</a>' in text
    assert "Yichang" not in text  # in Hubei
    assert "Roles over time" not in text and "Met most often" not in text  # not the person template
    assert 'href="/countries/CHN">China</a>' in text
    points = get(places_app, "/api/places/GPE/Sichuan/map").json()
    assert [p["name"] for p in points] == ["Sichuan", "Mianyang"]
    api = get(places_app, "/api/places/GPE/Mianyang").json()
    assert (api["kind"], api["admin1"], api["country"]) == ("city", "Sichuan", "CHN")
    assert [v["article_id"][0] for v in api["visits"]] == ["a"]


def test_a_person_keeps_the_person_page_and_an_unknown_place_is_a_404(places_app):
    person = get(places_app, "/entities/PERSON/Gao%20Ren")
    assert person.status_code == 200 and "Roles over time" in person.text
    assert get(places_app, "/entities/GPE/Atlantis").status_code == 404
    assert get(places_app, "/api/places/GPE/Atlantis").status_code == 404
    assert get(places_app, "/api/places/PERSON/Gao%20Ren").status_code == 404


def test_facets_and_entity_pages_name_countries_beside_codes_and_link_them(places_app):
    facets = get(places_app, "/events/facets").text
    assert "CHN (China)</a>" in facets and "KEN (Kenya)</a>" in facets
    person = get(places_app, "/entities/PERSON/Wanjiru%20Odhiambo").text
    assert '<a href="/countries/KEN">KEN (Kenya)</a>' in person
    quotes = get(places_app, "/quotes").text
    assert '<a href="/countries/CHN">CHN (China)</a>' in quotes


def test_the_home_chart_stands_each_period_where_it_falls_and_counts_the_undated(places_app):
    from parley.web import chart

    rows = [{"period": p, "key": "AGREE", "events": 1} for p in ("2015", "2016", "2025")]
    xs = [b["x"] for b in chart.stacked_bars(rows)["bars"]]
    assert abs((xs[1] - xs[0]) / (xs[2] - xs[0]) - 1 / 10) < 0.01  # not three equal steps
    assert chart.bucket_for([{"period": "2015-01"}, {"period": "2025-03"}]) == "year"
    assert chart.bucket_for([{"period": "2024-01"}, {"period": "2025-03"}]) == "month"
    home = get(places_app, "/").text
    assert "1 event without a date</strong> is not on the axis" in home


def test_the_overview_lists_the_latest_reported_first_not_the_furthest_date(tmp_path):
    from ..places_fixtures import Doc

    early = Doc("f", "Ruritanian envoy Ivo Brandt promised to attend the summit planned in Yichang.", "2024-01-05")
    early.entity("e1", "PERSON", "Ivo Brandt", None)
    early.entity("e2", "GPE", "Yichang", "CHN", place="Yichang")
    early.event("v1", "AGREE", None, "promised", ["e1"], ["e2"], date="2031-06-01")
    late = Doc("g", "Ruritanian trader Ola Berg met buyers in Yichang.", "2025-05-02")
    late.entity("e1", "PERSON", "Ola Berg", None)
    late.entity("e2", "GPE", "Yichang", "CHN", place="Yichang")
    late.event("v1", "CONSULT", None, "met", ["e1"], ["e2"], "e2", "2025-04-30")
    db = str(tmp_path / "latest.db")
    with Store(db) as s:
        s.add_many([early.doc(), late.doc()])
    app = create_app(db)
    try:
        home = get(app, "/").text
    finally:
        app.state.workbench.store.close()
    latest = home[home.index('id="latest-h"'):]
    assert latest.index("Ola Berg") < latest.index("Ivo Brandt")  # reported in 2025 before the one reported in 2024
    assert "2031-06-01" in latest and ">Reported</th>" in latest  # the event's own date beside when it was reported


def test_sectors_read_by_their_labels(places_app):
    facets = call(places_app, "GET", "/events/facets?country=CHN").text
    assert ">New-energy vehicles</a>" in facets and ">new-energy-vehicles</a>" not in facets
    assert 'sector=new-energy-vehicles' in facets  # the link still filters by the id
    events = call(places_app, "GET", "/events?country=CHN").text
    assert '<td data-label="Sectors">New-energy vehicles</td>' in events
