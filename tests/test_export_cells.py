"""The CSV formula guard (`parley.output.safe_cell`, its one owner) changes no legitimate value:
every value written to a CSV reads back the same, except a cell a spreadsheet could run, which gets
a leading quote, and a date without a year, written "XXXX-MM-DD" (EDTF) instead of "--MM-DD"."""

from __future__ import annotations

import csv
import io

import pytest

from parley.document import Article, Document, Entity, Event, EventDate, Mention, Quote, Span, Trigger
from parley.output import FORMULA_PREFIXES, formula_risk, render, safe_cell
from parley.store import Store
from parley.store.export import export

LEGITIMATE = ["-5%", "-5", "+3.5", "-1,200", "-0.25", "-2e3", "@ruritania_news", "@a.b", "-Trump", "-",
              "plain text", "", "2025-03-01", "O'Brien", "a=b", "50%"]
RUNNABLE = ["=cmd()", "=HYPERLINK(\"http://x\",\"click\")", "+cmd", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1",
            "-cmd|' /C calc'!A0", "+1+1", "@x(1)", "=1"]


def _written(values: list[str]) -> list[str]:
    out = io.StringIO()
    render([{"v": v} for v in values], "csv", ["v"], out=out)
    return [row["v"] for row in csv.DictReader(io.StringIO(out.getvalue()))]


def test_legitimate_values_round_trip() -> None:
    assert _written(LEGITIMATE) == LEGITIMATE
    assert [safe_cell(v) for v in LEGITIMATE] == LEGITIMATE


def test_runnable_cells_are_defused() -> None:
    assert _written(RUNNABLE) == ["'" + v for v in RUNNABLE]
    assert not any(formula_risk(cell) for cell in _written(RUNNABLE + LEGITIMATE))
    assert all(formula_risk(v) for v in RUNNABLE) and not any(formula_risk(v) for v in LEGITIMATE)


@pytest.mark.parametrize(("partial", "written"), [("--04-20", "XXXX-04-20"), ("--12", "XXXX-12")])
def test_a_date_without_its_year_does_not_start_like_a_formula(partial: str, written: str) -> None:
    assert _written([partial]) == [written]
    assert not written.startswith(FORMULA_PREFIXES)


def test_non_text_passes_through() -> None:
    assert safe_cell(-0.5) == -0.5 and safe_cell(None) is None
    assert safe_cell(["Ana Ruiz", "Luis Soto", 3]) == "Ana Ruiz; Luis Soto; 3"  # plain values: one cell, "; " between
    assert safe_cell(["=cmd", "x"]) == "'=cmd; x"  # joined, then guarded
    assert safe_cell([{"title": "Mayor"}]) == '[{"title": "Mayor"}]'


def _doc(value: str) -> Document:
    text = f"Ana Ruiz met Luis Soto. {value}"
    doc = Document(article=Article(id="a1", text=text, headline=value, source="@ruritania_news", dateline="-5%",
                                   url="https://example.org/x", published="2025-04-02"))
    doc.entities = [Entity(id="e1", type="PERSON", name="Ana Ruiz", country="PER", mentions=[Mention(0, 8, "Ana Ruiz")]),
                    Entity(id="e2", type="ORG", name=value or "Club", mentions=[])]
    doc.quotes = [Quote(id="q1", text=value or "x", start=0, end=8, speaker="e1", cue="said", stance=-0.5)]
    doc.events = [Event(id="v1", type="CONSULT", actor=["e1"], recipient=["e2"], trigger=Trigger("met", 9, 12),
                        sentence=Span(0, 23), date=EventDate(start="--04-20", text="April 20", precision="day"))]
    return doc


@pytest.mark.parametrize("value", ["=cmd()", "-5%", "@ruritania_news"])
def test_every_csv_export_reads_back(tmp_path, value: str) -> None:
    with Store(str(tmp_path / "s.db")) as store:
        store.add(_doc(value))
        buf = io.BytesIO()
        export(store, "csv", buf)
        row = next(csv.DictReader(io.StringIO(buf.getvalue().decode())))
        assert (row["source"], row["dateline"]) == ("@ruritania_news", "-5%")
        assert row["headline"] == ("'" + value if value.startswith("=") else value)
        for table in ("quotes", "entities", "events"):
            buf = io.BytesIO()
            export(store, table, buf, rows_as="csv")
            cells = [c for r in csv.reader(io.StringIO(buf.getvalue().decode())) for c in r]
            assert not any(formula_risk(c) for c in cells), (table, cells)
            if not value.startswith("="):
                assert value in cells or any(value in c.split("; ") for c in cells), (table, cells)
