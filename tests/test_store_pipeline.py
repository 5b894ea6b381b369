"""The opportunity pipeline: stages read from events, one opportunity per two sides and sector,
reports of one event folded, on hand-built documents (no spaCy), on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.document import Article, Document, Entity, Event, Mention, Span, Trigger
from parley.store import Store
from parley.store.pipeline import stage_of

HOPE = "Ruritania hopes to build a solar plant with Freedonia."
SIGN = "Ruritania and Freedonia signed a memorandum of understanding on a solar plant."
TRADE = "Ruritanian firms have invested in Freedonian ports."


@pytest.mark.parametrize("type_, trigger, sentence, hypothetical, stage", [
    ("AGREE", "hopes", HOPE, False, "intent"),
    ("AGREE", "signed", SIGN, False, "agreement"),
    ("SUPPORT", "signed", SIGN, False, "agreement"),
    ("COOPERATE", "invested", TRADE, False, "under_way"),
    ("COOPERATE", "invest", "Ruritania will invest in Freedonia.", True, "intent"),  # planned: not under way
])
def test_stage_read_from_the_event(type_, trigger, sentence, hypothetical, stage) -> None:
    assert stage_of(type_, trigger, sentence, hypothetical) == stage


@pytest.mark.parametrize("type_, trigger, sentence", [
    ("SUPPORT", "signed", "The mayor signed a petition for the harbour."),  # a signature, no agreement
    ("CONSULT", "met", "Ruritania met Freedonia."),  # a meeting is not a stage of an opportunity
])
def test_no_stage(type_, trigger, sentence) -> None:
    assert stage_of(type_, trigger, sentence) is None


def doc(key: str, published: str, sentence: str, type_: str, trigger: str, sectors: list[str],
        before: str = "") -> Document:
    """One article: `before` (another outlet's own words), then the sentence with the event."""
    text = before + sentence
    start = text.index(trigger)
    return Document(
        article=Article(id=key * 40, text=text, published=published),
        entities=[Entity(id="e1", type="GPE", name="Ruritania", country="GBR", mentions=[Mention(0, 9, "Ruritania")]),
                  Entity(id="e2", type="GPE", name="Freedonia", country="KEN",
                         mentions=[Mention(text.index("Freedonia"), text.index("Freedonia") + 9, "Freedonia")])],
        events=[Event(id="v1", type=type_, trigger=Trigger(trigger, start, start + len(trigger)),
                      sentence=Span(len(before), len(text)), actor=["e1"], recipient=["e2"], sectors=sectors)])


@pytest.fixture
def db(store_url: str) -> str:
    with Store(store_url) as store:
        store.add(doc("a", "2025-01-10", HOPE, "AGREE", "hopes", ["energy"]))
        store.add(doc("b", "2025-02-01", SIGN, "AGREE", "signed", ["energy"]))
        store.add(doc("c", "2025-03-01", HOPE, "AGREE", "hopes", ["energy"],  # the intent reported again
                      before="A weekly digest of regional news, with market prices, weather and sport results. "))
        store.add(doc("d", "2024-05-01", "Ruritania hopes to sell grain to Freedonia.", "AGREE", "hopes", ["agriculture"]))
    return store_url


def test_one_opportunity_per_sides_and_sector_at_its_furthest_stage(db: str) -> None:
    with Store(db) as store:
        rows = {r["sector"]: r for r in store.pipeline()}
    energy = rows["energy"]
    assert energy["sides"] == ["GBR", "KEN"] and energy["stage"] == "agreement"
    assert energy["stages"] == ["intent", "agreement"]
    assert [e["reports"] for e in energy["evidence"]["intent"]] == [2]  # two reports of one intent, folded
    assert energy["evidence"]["agreement"][0]["sentence"] == SIGN
    assert (energy["first_reported"], energy["last_reported"]) == ("2025-01-10", "2025-03-01")
    assert rows["agriculture"]["stage"] == "intent"


def test_stage_filter_keeps_the_furthest_stage_only(db: str) -> None:
    with Store(db) as store:
        assert [r["sector"] for r in store.pipeline(stage="intent")] == ["agriculture"]
        assert [r["sector"] for r in store.pipeline(stage="agreement")] == ["energy"]
        assert store.pipeline(stage="under_way") == []
        assert [r["sector"] for r in store.pipeline(sector="agriculture")] == ["agriculture"]


def test_cli_csv_and_a_wrong_stage(db: str, tmp_path) -> None:
    if "://" in db:
        pytest.skip("the CLI is checked on SQLite")
    result = CliRunner().invoke(main, ["pipeline", "--db", db, "--csv"], catch_exceptions=False)
    rows = list(csv.DictReader(io.StringIO(result.output)))
    energy = next(r for r in rows if r["sector"] == "energy")
    assert energy["evidence"] == SIGN and energy["intent_evidence"] == HOPE
    wrong = CliRunner().invoke(main, ["pipeline", "--db", db, "--stage", "done"])
    assert wrong.exit_code == 2 and "intent, agreement, under_way" in wrong.output


def test_api_page_and_export(db: str) -> None:
    if "://" in db:
        pytest.skip("the web is checked on SQLite")
    from fastapi.testclient import TestClient

    from parley.web.app import create_app

    client = TestClient(create_app(db))
    body = client.get("/api/pipeline", params={"stage": "agreement"}).json()
    assert body["total"] == 1 and body["items"][0]["evidence"]["agreement"][0]["sentence"] == SIGN
    assert client.get("/api/pipeline", params={"stage": "done"}).status_code == 422
    page = client.get("/pipeline")
    assert page.status_code == 200 and "memorandum of understanding" in page.text
    exported = list(csv.DictReader(io.StringIO(client.get("/export/pipeline.csv").text)))
    assert {r["evidence"] for r in exported} >= {SIGN}


def test_the_web_list_gives_the_store_s_rows_pages_and_totals(db: str) -> None:
    """The web asks the store for each page and total (`Workbench.pipeline`, kept per store version):
    the same rows as the store's own filters, on SQLite and PostgreSQL."""
    from parley.web import lists
    from parley.web.deps import PipelineFilter
    from parley.web.service import Workbench

    with Store(db) as store:
        bench = Workbench(store)
        for stage in (None, "intent", "agreement", "under_way"):
            for sector in (None, "energy", "agriculture"):
                for country, since in ((None, None), ("KEN", None), (None, "2025-02"), ("GBR", "2025")):
                    f = PipelineFilter(sector, country, since, None, stage)
                    expected = store.pipeline(**f.as_kwargs(), limit=None)
                    assert lists.pipeline(bench, f, 50, 0) == expected, f
                    assert lists.pipeline(bench, f, 1, 1) == expected[1:2], f
                    assert lists.total(bench, "pipeline", f, 1, 0, 1) == len(expected), f
        assert lists.pipeline(bench, PipelineFilter(), 50, 0) is lists.pipeline(bench, PipelineFilter(), 50, 0)


def test_the_page_names_sides_and_sectors(db: str) -> None:
    if "://" in db:
        pytest.skip("the web is checked on SQLite")
    from fastapi.testclient import TestClient

    from parley.web.app import create_app

    page = TestClient(create_app(db)).get("/pipeline").text
    assert '<a href="/countries/GBR">GBR (United Kingdom)</a> – <a href="/countries/KEN">KEN (Kenya)</a>' in page
    assert '<td data-label="Sector">Agriculture</td>' in page  # the label, not the id
    assert '>agreement<span class="visually-hidden"> event</span></a>:\n' + SIGN in page  # the stage links to its event
