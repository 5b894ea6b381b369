"""Event listings give real dates: `date_start`/`date_end` are calendar days whatever the precision,
and `date` keeps the date as analysed (CLI CSV, the store's rows, the API's CSV export)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.document import Article, Document, Entity, Event, EventDate, Mention, Span, Trigger
from parley.store import Store

SENTENCE = "Ruritania met Freedonia."
DATES = {  # event id -> (analysed start, end, precision), (date, first day, last day)
    "v1": (("2025-03-19", "2025-03-19", "day"), ("2025-03-19", "2025-03-19", "2025-03-19")),
    "v2": (("2025-03", "2025-03", "month"), ("2025-03", "2025-03-01", "2025-03-31")),
    "v3": (("2024", "2024", "year"), ("2024", "2024-01-01", "2024-12-31")),
    "v4": (("--04-20", "--04-20", "day"), ("--04-20", None, None)),
    "v5": (("2025-03-19", "2025-03-21", "day"), ("2025-03-19/2025-03-21", "2025-03-19", "2025-03-21")),
}


def dated_doc() -> Document:
    names = [Entity(id="e1", type="GPE", name="Ruritania", country="RUR", mentions=[Mention(0, 9, "Ruritania")]),
             Entity(id="e2", type="GPE", name="Freedonia", country="FRE", mentions=[Mention(14, 23, "Freedonia")])]
    events = [Event(id=eid, type="CONSULT", trigger=Trigger("met", 10, 13), sentence=Span(0, len(SENTENCE)),
                    actor=["e1"], recipient=["e2"], date=EventDate(start, end, "then", precision))
              for eid, ((start, end, precision), _) in DATES.items()]
    return Document(article=Article(id="d" * 40, text=SENTENCE, published="2025-03-21"),
                    entities=names, events=events)


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "dates.db")
    with Store(path) as store:
        store.add(dated_doc())
    return path


def test_store_rows_have_calendar_days_and_the_analysed_date(db: str) -> None:
    with Store(db) as store:
        rows = {r["id"]: r for r in store.events(limit=10)}
    for eid, (_, (analysed, first, last)) in DATES.items():
        assert (rows[eid]["date"], rows[eid]["date_start"], rows[eid]["date_end"]) == (analysed, first, last), eid


def test_cli_csv_date_columns_parse_as_dates(db: str) -> None:
    result = CliRunner().invoke(main, ["events", "--db", db, "--csv"], catch_exceptions=False)
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == len(DATES)
    for row in rows:
        for column in ("date_start", "date_end"):
            if row[column]:
                date.fromisoformat(row[column])  # one precision per column: every value is a day
    month = next(r for r in rows if r["id"] == "v2")
    assert (month["date"], month["date_start"], month["date_end"], month["precision"]) == (
        "2025-03", "2025-03-01", "2025-03-31", "month")


def test_web_csv_export_has_calendar_days(db: str) -> None:
    from fastapi.testclient import TestClient

    from parley.web.app import create_app

    response = TestClient(create_app(db)).get("/export/events.csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["date_start"] for r in rows} == {"2025-03-19", "2025-03-01", "2024-01-01", ""}
    assert "precision" in rows[0]
