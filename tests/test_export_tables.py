"""`parley export --format events|quotes|entities`: one row each, the same columns in CSV, JSON Lines
and Parquet, native types in Parquet, real dates with their precision."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from parley.document import Article, Document, Entity, EventDate, Event, Mention, Quote, Role, Span, Trigger
from parley.store import Store
from parley.store.export import export
from parley.store.tables import TABLES, period_days

TEXT = "Ana Ruiz met Luis Soto in Lima in March 2025. \"Ties will deepen,\" Ruiz said."


def _doc() -> Document:
    doc = Document(article=Article(id="a1", text=TEXT, headline="Talks in Lima", published="2025-04-02",
                                   source="The Ruritanian Times", url="https://example.org/talks"))
    doc.entities = [
        Entity(id="e1", type="PERSON", name="Ana Ruiz", country="PER", sector="GOV",
               roles=[Role(title="Trade Minister")], mentions=[Mention(0, 8, "Ana Ruiz")]),
        Entity(id="e2", type="PERSON", name="Luis Soto", country="RUR", mentions=[Mention(13, 22, "Luis Soto")]),
        Entity(id="e3", type="GPE", name="Lima", country="PER", mentions=[Mention(26, 30, "Lima")],
               geo={"lat": -12.05, "lon": -77.04, "geonameid": 3936456}),
    ]
    doc.events = [
        Event(id="v1", type="CONSULT", mode="visit", actor=["e1"], recipient=["e2"], location="e3",
              trigger=Trigger("met", 9, 12), sentence=Span(0, 45), sectors=["trade"],
              date=EventDate(start="2025-03", end="2025-03", text="March 2025", precision="month")),
        Event(id="v2", type="AGREE", actor=["e1"], trigger=Trigger("said", 73, 77), sentence=Span(46, len(TEXT)),
              date=EventDate(start="--04-20", text="April 20", precision="day")),
    ]
    doc.quotes = [Quote(id="q1", text="Ties will deepen", start=47, end=63, speaker="e1", cue="said")]
    return doc


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    with Store(str(tmp_path / "s.db")) as store:
        store.add(_doc())
        yield store


def test_partial_dates_become_calendar_days() -> None:
    assert period_days("2025") == (date(2025, 1, 1), date(2025, 12, 31))
    assert period_days("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert period_days("2025-03-19", "2025-03-21") == (date(2025, 3, 19), date(2025, 3, 21))
    assert period_days("--04-20") == (None, None) and period_days(None) == (None, None)


def test_events_as_csv_name_the_parties_place_and_article(store: Store) -> None:
    out = io.BytesIO()
    assert export(store, "events", out, rows_as="csv") == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode("utf-8"))))
    assert list(rows[0]) == [name for name, _ in TABLES["events"]]
    visit = rows[0]
    assert (visit["actors"], visit["recipients"], visit["place"], visit["place_lat"]) == ("Ana Ruiz", "Luis Soto", "Lima", "-12.05")
    assert (visit["date_start"], visit["date_end"], visit["date_precision"]) == ("2025-03-01", "2025-03-31", "month")
    assert visit["headline"] == "Talks in Lima" and visit["published"] == "2025-04-02"
    assert rows[1]["date_start"] == "" and rows[1]["date_text"] == "April 20"  # no year: no invented date


def test_parquet_keeps_native_types_and_the_same_columns(store: Store, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    export(store, "events", tmp_path / "events.parquet", rows_as="parquet")
    table = pq.read_table(tmp_path / "events.parquet")
    assert table.column_names == [name for name, _ in TABLES["events"]]
    first = table.to_pylist()[0]
    assert first["actors"] == ["Ana Ruiz"] and first["date_start"] == date(2025, 3, 1)
    assert first["negated"] is False and first["place_geonameid"] == 3936456 and first["published"] == date(2025, 4, 2)


def test_quotes_and_entities_tables(store: Store) -> None:
    out = io.BytesIO()
    export(store, "quotes", out, rows_as="jsonl")
    quote = json.loads(out.getvalue().splitlines()[0])
    assert (quote["speaker"], quote["speaker_country"], quote["speaker_titles"]) == ("Ana Ruiz", "PER", ["Trade Minister"])
    out = io.BytesIO()
    assert export(store, "entities", out, rows_as="jsonl") == 3
    lima = [json.loads(line) for line in out.getvalue().splitlines()][2]
    assert (lima["type"], lima["lat"], lima["mentions"]) == ("GPE", -12.05, 1)


def test_the_cli_takes_the_table_format_from_the_file_name(store: Store, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from parley.cli import main

    target = tmp_path / "quotes.jsonl"
    result = CliRunner().invoke(main, ["export", "--format", "quotes", "--db", store.name, "-o", str(target)])
    assert result.exit_code == 0 and json.loads(target.read_text().splitlines()[0])["text"] == "Ties will deepen"
    result = CliRunner().invoke(main, ["export", "--format", "jsonl", "--as", "csv", "--db", store.name])
    assert result.exit_code == 2 and "--as applies to" in result.output
