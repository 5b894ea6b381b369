"""Events filters, opportunities and the GDELT export, on hand-built documents (no spaCy)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.document import (
    Article,
    Document,
    Entity,
    Event,
    EventDate,
    Mention,
    Quote,
    Span,
    Trigger,
)
from parley.store import Store
from parley.store.export import GDELT_COLUMNS, QUAD_CLASS, export

S1 = "The Mayor of Leeds, Jo Smith, met Li Wei in Chongqing on Wednesday. "
S2 = '"We hope to deepen cooperation in automotive," Smith said. '
S3 = "Acme Corp did not agree to invest. "
S4 = "A Kenyan team visited Lima. "
S5 = "Kenya hopes to invest in Peru."
TEXT = S1 + S2 + S3 + S4 + S5

OTHER = ("Tab Co Ltd shipped grain to the port of Mombasa under a long-standing supply contract "
         "that farmers in the region have relied upon for many seasons.")


def at(piece: str, text: str = TEXT, within: str | None = None) -> tuple[int, int]:
    base = text.index(within) if within else 0
    start = text.index(piece, base)
    return start, start + len(piece)


def sentence(s: str) -> Span:
    start, end = at(s.strip())
    return Span(start, end)


def trigger(word: str, s: str) -> Trigger:
    start, end = at(word, within=s)
    return Trigger(word, start, end)


def entity(eid: str, type_: str, name: str, country: str | None, sector: str | None = None,
           aliases: list[str] | None = None, geo: dict | None = None) -> Entity:
    return Entity(id=eid, type=type_, name=name, country=country, sector=sector, aliases=aliases or [],
                  geo=geo, mentions=[Mention(*at(name), name)] if name in TEXT else [])


def make_doc() -> Document:
    q_start, q_end = at("We hope to deepen cooperation in automotive,")
    return Document(
        article=Article(id="a" * 40, text=TEXT, published="2025-03-21", headline="Leeds meets Chongqing",
                        url="https://example.org/leeds", source="Example"),
        entities=[
            entity("e1", "PERSON", "Jo Smith", "GBR", "GOV", aliases=["Smith"]),
            entity("e2", "PERSON", "Li Wei", "CHN", "GOV", aliases=["Mr Li"]),
            entity("e3", "GPE", "Chongqing", "CHN", geo={
                "name": "Chongqing", "lat": 29.56, "lon": 106.55, "admin1": "Chongqing",
                "geonameid": 1814906, "country": "CHN", "kind": "city"}),
            entity("e4", "ORG", "Acme Corp", "USA", "BUS"),
            entity("e5", "GPE", "Kenya", "KEN", aliases=["Kenyan"]),
            entity("e6", "GPE", "Lima", "PER", geo={
                "name": "Lima", "lat": -12.04, "lon": -77.03, "admin1": "Lima", "geonameid": 3936456,
                "country": "PER", "kind": "city"}),
            entity("e7", "GPE", "Peru", "PER", geo={
                "name": "Peru", "lat": -10.0, "lon": -76.0, "admin1": None, "geonameid": 3932488,
                "country": "PER", "kind": "country"}),
        ],
        quotes=[Quote(id="q1", text="We hope to deepen cooperation in automotive,", start=q_start, end=q_end,
                      speaker="e1", speaker_text="Smith", cue="said", kind="direct", stance=0.7)],
        events=[
            Event(id="v1", type="CONSULT", mode="meeting", trigger=trigger("met", S1), sentence=sentence(S1),
                  actor=["e1"], recipient=["e2"], location="e3",
                  date=EventDate("2025-03-19", "2025-03-19", "on Wednesday", "day"), confidence=0.9),
            Event(id="v2", type="AGREE", trigger=trigger("hope", S2), sentence=sentence(S2),
                  actor=["e1"], recipient=["e2"], sectors=["automotive"], confidence=0.8),
            Event(id="v3", type="AGREE", trigger=trigger("agree", S3), sentence=sentence(S3),
                  actor=["e4"], recipient=["e2"], sectors=["investment"], negated=True),
            Event(id="v4", type="CONSULT", mode="visit", trigger=trigger("visited", S4), sentence=sentence(S4),
                  actor=["e5"], recipient=["e6"], location="e6",
                  date=EventDate("--04-20", "--04-20", "April 20", "day")),
            Event(id="v5", type="AGREE", trigger=trigger("hopes", S5), sentence=sentence(S5),
                  actor=["e5"], recipient=["e7"], sectors=["investment"],
                  date=EventDate("2025-04-02", "2025-04-02", "April 2", "day")),
        ],
    )


def other_doc() -> Document:
    start, end = 0, len("Tab Co Ltd")
    return Document(
        article=Article(id="b" * 40, text=OTHER, published="2025-01-05", file="b.txt"),
        entities=[Entity(id="e1", type="ORG", name="Tab\tCo\nLtd", country="KEN",
                         mentions=[Mention(start, end, "Tab Co Ltd")])],
        events=[Event(id="v1", type="COOPERATE", trigger=Trigger("shipped", *at("shipped", OTHER)),
                      sentence=Span(0, len(OTHER)), actor=["e1"])],
    )


@pytest.fixture
def db(store_url: str) -> str:
    """A store holding both documents, on SQLite and on PostgreSQL (see stores.py)."""
    with Store(store_url) as s:
        s.add(make_doc())
        s.add(other_doc())
    return store_url


@pytest.fixture
def store(db: str):
    with Store(db) as s:
        yield s


def ids(rows: list[dict]) -> list[str]:
    return sorted(r["id"] for r in rows if r["article_id"] == "a" * 40)


# --- events filters --------------------------------------------------------------------------------

EVENT_KEYS = {"article_id", "id", "type", "mode", "date", "date_start", "date_end", "date_text", "precision",
              "when_start", "when_end", "location_id", "trigger", "negated", "hypothetical", "confidence",
              "headline", "published", "actors", "actor_ids", "recipients", "recipient_ids", "countries",
              "location", "sectors"}


def test_rows_keep_their_keys(store):
    rows = store.events(mode="visit")
    assert rows and all(set(r) == EVENT_KEYS for r in rows)
    assert rows[0]["location"] == "Lima" and rows[0]["recipients"] == ["Lima"]


def test_mode(store):
    assert ids(store.events(mode="visit")) == ["v4"]
    assert ids(store.events(mode="VISIT")) == ["v4"]
    assert ids(store.events(mode="meeting")) == ["v1"]
    assert store.events(mode="ultimatum") == []


def test_recipient_matches_name_or_alias_in_that_role_only(store):
    assert ids(store.events(recipient="wei")) == ["v1", "v2", "v3"]
    assert ids(store.events(recipient="MR LI")) == ["v1", "v2", "v3"]
    assert ids(store.events(recipient="lima")) == ["v4"]
    assert store.events(recipient="smith") == []  # an actor, never a recipient
    assert ids(store.events(recipient="wei", actor="acme")) == ["v3"]


def test_place(store):
    assert ids(store.events(place="chong")) == ["v1"]
    assert ids(store.events(place="LIM")) == ["v4"]
    assert store.events(place="Leeds") == []  # named in the text, but no event's place


def test_include_negated(store):
    assert "v3" in ids(store.events(type="AGREE"))
    assert ids(store.events(type="AGREE", include_negated=False)) == ["v2", "v5"]
    assert all(not r["negated"] for r in store.events(include_negated=False))


def test_existing_filters_still_work(store):
    assert ids(store.events(type="consult", country="CHN")) == ["v1"]
    assert ids(store.events(sector="investment")) == ["v3", "v5"]
    assert ids(store.events(actor="kenya", since="2025-04-01")) == ["v5"]


# --- opportunities -------------------------------------------------------------------------------

def test_opportunities_are_agree_events_not_negated_newest_first(store):
    rows = store.opportunities()
    assert [r["trigger"] for r in rows] == ["hopes", "hope"]
    first, second = rows
    assert first == {
        "article_id": "a" * 40, "published": "2025-03-21", "date": "2025-04-02",
        "actor": ["Kenya"], "actor_country": "KEN", "recipient": ["Peru"], "recipient_country": "PER",
        "sectors": ["investment"], "evidence": "Kenya hopes to invest in Peru.", "trigger": "hopes",
    }
    assert second["evidence"] == "We hope to deepen cooperation in automotive,"  # from the quote
    assert second["actor"] == ["Jo Smith"] and second["recipient_country"] == "CHN"
    assert second["date"] == "2025-03-21"  # no date of its own: the article's
    json.dumps(rows)


def test_opportunities_country_matches_either_side(store):
    assert [r["trigger"] for r in store.opportunities(country="gbr")] == ["hope"]  # actor
    assert [r["trigger"] for r in store.opportunities(country="CHN")] == ["hope"]  # recipient
    assert [r["trigger"] for r in store.opportunities(country="PER")] == ["hopes"]
    assert store.opportunities(country="USA") == []  # Acme's AGREE is negated


def test_opportunities_sector_dates_paging(store):
    assert [r["trigger"] for r in store.opportunities(sector="investment")] == ["hopes"]
    assert [r["trigger"] for r in store.opportunities(until="2025-03")] == ["hope"]
    assert [r["trigger"] for r in store.opportunities(since="2025-04-01")] == ["hopes"]
    assert [r["trigger"] for r in store.opportunities(limit=1, offset=1)] == ["hope"]


# --- GDELT export --------------------------------------------------------------------------------

def gdelt_rows(store: Store) -> list[dict[str, str]]:
    buf = io.BytesIO()
    n = export(store, "gdelt", buf)
    lines = buf.getvalue().decode("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) - 1 == n
    cells = [line.split("\t") for line in lines[:-1]]
    assert all(len(c) == 61 for c in cells)
    return [dict(zip(GDELT_COLUMNS, c)) for c in cells]


def filled(row: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in row.items() if v != ""}


def test_gdelt_columns_and_quad_classes():
    assert len(GDELT_COLUMNS) == 61 == len(set(GDELT_COLUMNS))
    assert GDELT_COLUMNS[:3] == ("GLOBALEVENTID", "SQLDATE", "MonthYear")
    assert GDELT_COLUMNS[26:30] == ("EventCode", "EventBaseCode", "EventRootCode", "QuadClass")
    assert GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    assert len(QUAD_CLASS) == 16 and QUAD_CLASS["AID"] == 2 and QUAD_CLASS["ACCUSE"] == 3


def test_gdelt_rows(store):
    rows = gdelt_rows(store)
    assert len(rows) == 5  # v3 is negated: left out
    meeting = next(r for r in rows if r["SQLDATE"] == "20250319")
    added = meeting["DATEADDED"]
    assert len(added) == 14 and added.isdigit()
    assert filled(meeting) == {
        "GLOBALEVENTID": meeting["GLOBALEVENTID"], "SQLDATE": "20250319", "MonthYear": "202503",
        "Year": "2025", "FractionDate": "2025.2110",
        "Actor1Code": "GBRGOV", "Actor1Name": "Jo Smith", "Actor1CountryCode": "GBR", "Actor1Type1Code": "GOV",
        "Actor2Code": "CHNGOV", "Actor2Name": "Li Wei", "Actor2CountryCode": "CHN", "Actor2Type1Code": "GOV",
        "IsRootEvent": "1", "EventCode": "040", "EventBaseCode": "040", "EventRootCode": "04", "QuadClass": "1",
        "GoldsteinScale": "1.0", "NumMentions": "1", "NumSources": "1", "NumArticles": "1", "AvgTone": "70.00",
        "ActionGeo_Type": "4", "ActionGeo_FullName": "Chongqing, China", "ActionGeo_CountryCode": "CH",
        "ActionGeo_Lat": "29.56", "ActionGeo_Long": "106.55", "ActionGeo_FeatureID": "1814906",
        "DATEADDED": added, "SOURCEURL": "https://example.org/leeds",
    }
    assert meeting["GLOBALEVENTID"].isdigit() and int(meeting["GLOBALEVENTID"]) < 2**53
    assert len({r["GLOBALEVENTID"] for r in rows}) == 5

    intent = next(r for r in rows if r["EventCode"] == "030" and r["Actor1Name"] == "Jo Smith")
    assert intent["AvgTone"] == "70.00" and intent["ActionGeo_Lat"] == "" and intent["GoldsteinScale"] == "4.0"
    assert intent["SQLDATE"] == "20250321"  # no date of its own: the article's
    visit = next(r for r in rows if r["Actor2Name"] == "Lima")
    assert visit["SQLDATE"] == visit["Year"] == visit["MonthYear"] == ""  # its own date has no year
    assert visit["EventCode"] == "042" and visit["Actor1Code"] == "KEN" and visit["Actor1Type1Code"] == ""
    assert (visit["Actor2Geo_Type"], visit["Actor2Geo_CountryCode"], visit["Actor2Geo_Lat"]) == ("4", "PE", "-12.04")
    assert visit["Actor1Geo_Type"] == ""  # Kenya, a country with no geo here
    kenya = next(r for r in rows if r["Actor2Name"] == "Peru")
    assert kenya["ActionGeo_FullName"] == "" and kenya["QuadClass"] == "1"
    # a country is a country-level place (type 1), not a point at its capital
    assert (kenya["Actor2Geo_Type"], kenya["Actor2Geo_FullName"], kenya["Actor2Geo_CountryCode"]) == ("1", "Peru", "PE")
    assert kenya["Actor2Geo_Lat"] == kenya["Actor2Geo_Long"] == "" and kenya["Actor2Geo_FeatureID"] == "PE"

    shipped = next(r for r in rows if r["EventCode"] == "060")
    assert filled(shipped) == {
        "GLOBALEVENTID": shipped["GLOBALEVENTID"], "SQLDATE": "20250105", "MonthYear": "202501", "Year": "2025",
        "FractionDate": "2025.0110", "Actor1Code": "KEN", "Actor1Name": "Tab Co Ltd",
        "Actor1CountryCode": "KEN", "IsRootEvent": "1", "EventCode": "060", "EventBaseCode": "060",
        "EventRootCode": "06", "QuadClass": "2", "GoldsteinScale": "6.0", "DATEADDED": shipped["DATEADDED"],
        "NumMentions": "1", "NumSources": "1", "NumArticles": "1",  # one report: no other article tells it
    }  # no URL: SOURCEURL is empty, never the file name (b.txt)


def test_gdelt_ids_are_stable(store):
    assert [r["GLOBALEVENTID"] for r in gdelt_rows(store)] == [r["GLOBALEVENTID"] for r in gdelt_rows(store)]


# --- the command ---------------------------------------------------------------------------------

def test_cli_opportunities_json(db: str):
    result = CliRunner().invoke(main, ["opportunities", "--db", str(db), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["evidence"] for r in rows] == ["Kenya hopes to invest in Peru.",
                                             "We hope to deepen cooperation in automotive,"]
    result = CliRunner().invoke(main, ["opportunities", "--db", str(db), "--json", "--country", "CHN",
                                       "--sector", "automotive"], catch_exceptions=False)
    assert [r["trigger"] for r in json.loads(result.stdout)] == ["hope"]
    result = CliRunner().invoke(main, ["opportunities", "--db", str(db)], catch_exceptions=False)
    assert result.exit_code == 0 and "Opportunities" in result.stdout


def test_cli_events_new_options(db: str):
    result = CliRunner().invoke(main, ["events", "--db", str(db), "--json", "--mode", "visit",
                                       "--recipient", "lima", "--place", "lim"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.stdout)] == ["v4"]


def test_cli_export_gdelt(db: str, tmp_path: Path):
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "gdelt"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 5 and all(len(line.split("\t")) == 61 for line in lines)
    target = tmp_path / "events.tsv"
    result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "gdelt", "-o", str(target)],
                                catch_exceptions=False)
    assert result.exit_code == 0 and target.read_text(encoding="utf-8").splitlines() == lines
