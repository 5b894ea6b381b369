"""`parley export --format plover`: one event per JSON line in the field names of the PLOVER
manual's "Data Fields" chapter, actor sectors in PLOVER's codes, international bodies with PLOVER's
non-state codes, a place as PLOVER's location object."""

from __future__ import annotations

import json

from click.testing import CliRunner

from parley.cli import main
from parley.document import Article, Document, Entity, Event, EventDate, Mention, Role, Span, Trigger
from parley.store import Store
from parley.store.export import FORMATS

TEXT = ("The editor of the Ruritanian Gazette met the European Union envoy in Lyon in May 2025. "
        "The United Nations did not condemn Ruritania.")
PLOVER_FIELDS = {"id", "date", "actor", "recipient", "event", "event_loc", "event_text", "quad_code", "mode",
                 "context", "text", "text_info", "cite_info", "coder", "coded_date"}
ENTITY_FIELDS = {"code", "sector", "entity_text", "office"}
LOCATION_FIELDS = {"extracted_place", "resolved_place", "geonameid", "lat", "lon", "country", "country_code",
                   "resolution"}


def _doc() -> Document:
    doc = Document(article=Article(id="p1", text=TEXT, url="https://example.org/p1", headline="Envoy in Lyon",
                                   source="The Ruritanian Times", published="2025-06-10"))
    at = TEXT.index
    doc.entities = [
        Entity(id="e1", type="PERSON", name="Ivo Brel", country="RUR", sector="JRN", roles=[Role(title="editor")],
               mentions=[Mention(0, 10, "The editor")]),
        Entity(id="e2", type="ORG", name="European Union", country="EUR", sector="GOV",
               mentions=[Mention(at("European"), at("European") + 14, "European Union")]),
        Entity(id="e3", type="GPE", name="Lyon", country="FRA", mentions=[Mention(at("Lyon"), at("Lyon") + 4, "Lyon")],
               geo={"lat": 45.75, "lon": 4.85, "admin1": "Auvergne-Rhone-Alpes", "geonameid": 2996944,
                    "country": "FRA", "kind": "city"}),
        Entity(id="e4", type="ORG", name="United Nations", country="UNO", sector="GOV",
               mentions=[Mention(at("United"), at("United") + 14, "United Nations")]),
        Entity(id="e5", type="GPE", name="Ruritania", country="FRA",
               geo={"lat": 48.85, "lon": 2.35, "geonameid": 3017382, "country": "FRA", "kind": "country"},
               mentions=[Mention(at("Ruritania."), at("Ruritania.") + 9, "Ruritania")]),
    ]
    second = at("The United")
    doc.events = [
        Event(id="v1", type="CONSULT", mode="visit", actor=["e1"], recipient=["e2"], location="e3",
              trigger=Trigger("met", at("met"), at("met") + 3), sentence=Span(0, second - 1),
              date=EventDate(start="2025-05", end="2025-05", text="May 2025", precision="month"), confidence=0.8),
        Event(id="v2", type="ACCUSE", mode="disapprove", actor=["e4"], recipient=["e5"], location="e5",
              trigger=Trigger("condemn", at("condemn"), at("condemn") + 7), sentence=Span(second, len(TEXT)),
              negated=True),
    ]
    return doc


def _records(tmp_path) -> list[dict]:
    with Store(str(tmp_path / "p.db")) as store:
        store.add(_doc())
    target = tmp_path / "events.plover.jsonl"
    result = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "p.db"), "--format", "plover", "-o", str(target)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]


def test_plover_records_use_the_manuals_field_names(tmp_path) -> None:
    assert "plover" in FORMATS
    visit, rebuke = _records(tmp_path)
    assert PLOVER_FIELDS - {"event_loc"} <= set(visit) and "event_loc" in visit
    assert visit["id"] == "p1:v1" and visit["event"] == ["CONSULT"] and visit["mode"] == ["visit"]
    assert (visit["quad_code"], visit["event_text"], visit["context"]) == (1, ["met"], [])
    assert visit["text"].startswith("The editor") and visit["text_info"] == {"start": 0, "end": TEXT.index("The United") - 1}
    assert visit["cite_info"]["url"] == "https://example.org/p1" and visit["cite_info"]["title"] == "Envoy in Lyon"
    assert visit["cite_info"]["publication"] == "The Ruritanian Times"


def test_actors_carry_plover_codes_and_sectors(tmp_path) -> None:
    visit, rebuke = _records(tmp_path)
    (editor,), (envoy,) = visit["actor"], visit["recipient"]
    assert ENTITY_FIELDS <= set(editor)
    assert (editor["code"], editor["sector"], editor["entity_text"], editor["office"]) == ("RUR", "JRN", "The editor", "editor")
    assert (envoy["code"], envoy["sector"]) == ("EUR", "GOV")  # the EU's own code, not a member state's
    assert rebuke["actor"][0]["code"] == "UNO"


def test_dates_are_days_or_stated_periods(tmp_path) -> None:
    visit, rebuke = _records(tmp_path)
    assert visit["date"] is None and (visit["date_start"], visit["date_end"], visit["date_precision"]) == (
        "2025-05-01", "2025-05-31", "month")
    assert (rebuke["date"], rebuke["date_source"]) == ("2025-06-10", "article")  # no date of its own


def test_place_is_a_location_object_and_negation_a_context(tmp_path) -> None:
    visit, rebuke = _records(tmp_path)
    lyon = visit["event_loc"]
    assert LOCATION_FIELDS <= set(lyon)
    assert (lyon["resolved_place"], lyon["geonameid"], lyon["lat"], lyon["lon"], lyon["country_code"],
            lyon["resolution"], lyon["country"]) == ("Lyon", 2996944, 45.75, 4.85, "FRA", 4, "France")
    country = rebuke["event_loc"]
    assert (country["resolution"], country["lat"], country["lon"]) == (1, None, None)  # not at the capital
    assert rebuke["context"] == ["negation"]


def test_every_date_field_holds_only_calendar_days(tmp_path) -> None:
    import re
    from dataclasses import replace

    doc = _doc()
    dates = [EventDate("2016", "2016", "in 2016", "year"), EventDate("2016-09", "2016-09", "September", "month"),
             EventDate("--04-20", "--04-20", "April 20", "day"), EventDate("2016-09-12", "2016-09-14", "", "day")]
    doc.events = [replace(doc.events[0], id=f"v{n}", date=d) for n, d in enumerate(dates)]
    with Store(str(tmp_path / "d.db")) as store:
        store.add(doc)
    out = CliRunner().invoke(main, ["export", "--db", str(tmp_path / "d.db"), "--format", "plover"])
    records = [json.loads(line) for line in out.output.splitlines()]
    for field in ("date", "enddate", "date_start", "date_end"):
        values = [r.get(field) for r in records if r.get(field) is not None]
        assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", v) for v in values), (field, values)
    assert [r["date_precision"] for r in records] == ["year", "month", None, "day"]
    assert records[2]["date_text"] == "April 20" and records[3]["enddate"] == "2016-09-14"
