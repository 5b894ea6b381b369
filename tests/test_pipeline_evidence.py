"""A pipeline row shows each stage's newest few pieces of evidence, how many there are and a link to
the rest (`pipeline.evidence_page`, `/pipeline/evidence`, `/api/pipeline/evidence`); exports and the
CLI's --json write every piece. One opportunity with many pieces per stage, invented parties, on
SQLite and PostgreSQL (the web and CLI on SQLite)."""

from __future__ import annotations

import csv
import html
import io
import json
import random
import re

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from parley.cli import main
from parley.filters import STAGES
from parley.store import Store, pipeline, pipeline_groups, summary, summary_totals

from .test_store_pipeline import doc

PLANTS = ["Amber", "Birch", "Cedar", "Delta", "Ember", "Fjord", "Grove"]


def _before(n: int) -> str:
    """A paragraph of its own per article, so no two are near-duplicates."""
    rng = random.Random(n)
    return " ".join(f"w{rng.randrange(100_000)}" for _ in range(60)) + ". "


def intent(name: str) -> str:
    return f"Ruritania hopes to build the {name} solar plant with Freedonia."


def signed(name: str) -> str:
    return f"Ruritania and Freedonia signed a memorandum of understanding on the {name} solar plant."


@pytest.fixture
def db(store_url: str) -> str:
    with Store(store_url) as store:
        n = 0
        for i, name in enumerate(PLANTS):  # seven intents, the third reported twice (folded: 2 reports)
            for again in ((0, 20) if i == 2 else (0,)):
                store.add(doc(f"{n:03d}", f"2025-01-{i + 1 + again:02d}", intent(name), "AGREE", "hopes",
                              ["energy"], before=_before(n)))
                n += 1
        for i, name in enumerate(PLANTS[:4]):  # four signings
            store.add(doc(f"{n:03d}", f"2025-03-{i + 1:02d}", signed(name), "AGREE", "signed", ["energy"],
                          before=_before(n)))
            n += 1
        store.add(doc(f"{n:03d}", "2024-05-01", "Ruritania hopes to sell grain to Freedonia.", "AGREE", "hopes",
                      ["agriculture"], before=_before(n)))
    return store_url


FILTERS = [{}, {"since": "2025"}, {"since": "2025-01-03"}, {"country": "KEN"}, {"until": "2025-03-02"},
           {"since": "2025-01", "until": "2025-03"}]


def energy(rows: list[dict]) -> dict:
    return next(r for r in rows if r["sector"] == "energy")


def test_a_row_holds_each_stage_s_newest_pieces_and_their_count(db: str) -> None:
    with Store(db) as store:
        whole = energy(store.pipeline())
        assert whole["evidence_total"] == {"intent": 7, "agreement": 4, "under_way": 0}
        assert [e["sentence"] for e in whole["evidence"]["intent"]] == [intent(n) for n in reversed(PLANTS)]
        assert [e["reports"] for e in whole["evidence"]["intent"]] == [1, 1, 1, 1, 2, 1, 1]
        for f in FILTERS:
            full = store.pipeline(**f)
            assert full == store.read(pipeline.grouped, **f, limit=None), f
            for n in (1, 3):
                shown = store.pipeline(**f, evidence=n)
                assert [{k: v for k, v in r.items() if k != "evidence"} for r in shown] == [
                    {k: v for k, v in r.items() if k != "evidence"} for r in full], f
                for r, s in zip(full, shown):
                    for stage in STAGES:
                        published = [e["published"] for e in r["evidence"][stage]]
                        assert published == sorted(published, reverse=True)  # newest first
                        assert s["evidence"][stage] == r["evidence"][stage][:n], (f, stage)
                        assert s["evidence_total"][stage] == len(r["evidence"][stage])
        assert energy(store.pipeline(since="2025-01-03", evidence=2))["evidence_total"]["intent"] == 5


def test_the_rest_of_a_stage_is_paged_newest_first(db: str) -> None:
    with Store(db) as store:
        for f in FILTERS:
            row = energy(store.pipeline(**f))
            for stage in STAGES:
                pages = [store.read(pipeline.evidence_page, sides=row["sides"], sector="energy", stage=stage, **f,
                                    limit=3, offset=at) for at in range(0, 9, 3)]
                assert [e for found, _ in pages for e in found] == row["evidence"][stage], (f, stage)
                assert {n for _, n in pages} == {row["evidence_total"][stage]}
        assert store.read(pipeline.evidence_page, sides=["GBR", "XXX"], sector="energy", stage="intent") == ([], 0)


def test_the_page_links_to_the_rest_and_the_export_writes_it_all(db: str) -> None:
    if "://" in db:
        pytest.skip("the web is checked on SQLite")
    from fastapi.testclient import TestClient

    from parley.web.app import create_app

    client = TestClient(create_app(db))
    page = client.get("/pipeline").text
    assert sum(intent(n) in page for n in PLANTS) == 3  # the newest three intents of seven
    assert all(intent(n) in page for n in PLANTS[-3:])
    link = re.search(r'<a href="([^"]+)">All 7 pieces of intent evidence</a>', page)
    assert link and "All 4 pieces of agreement evidence" in page
    rest = client.get(html.unescape(link.group(1)))
    assert rest.status_code == 200 and all(intent(n) in rest.text for n in PLANTS)
    assert "1–7 of 7" in rest.text
    second = client.get(html.unescape(link.group(1)) + "&limit=5&offset=5").text
    assert [n for n in PLANTS if intent(n) in second] == PLANTS[:2]  # the two oldest

    body = client.get("/api/pipeline", params={"sector": "energy"}).json()
    row = body["items"][0]
    assert row["evidence_total"] == {"intent": 7, "agreement": 4, "under_way": 0}
    assert [len(row["evidence"][s]) for s in STAGES] == [3, 3, 0]
    assert row["evidence_next"]["under_way"] is None
    more = client.get(row["evidence_next"]["intent"]).json()
    assert more["total"] == 7 and more["offset"] == 3 and more["next"] is None
    assert [e["sentence"] for e in more["items"]] == [intent(n) for n in reversed(PLANTS[:4])]
    assert client.get("/api/pipeline/evidence", params={"side": ["GBR", "KEN"], "stage": "done"}).status_code == 422
    assert client.get("/api/pipeline/evidence", params={"stage": "intent"}).status_code == 422  # no side

    exported = energy(client.get("/export/pipeline.json").json())
    assert [len(exported["evidence"][s]) for s in STAGES] == [7, 4, 0]
    cells = next(r for r in csv.DictReader(io.StringIO(client.get("/export/pipeline.csv").text))
                 if r["sector"] == "energy")
    assert cells["intent_evidence"] == " | ".join(intent(n) for n in reversed(PLANTS))


def test_the_cli_table_says_how_many_more_and_json_writes_all(db: str) -> None:
    if "://" in db:
        pytest.skip("the CLI is checked on SQLite")
    table = CliRunner().invoke(main, ["pipeline", "--db", db, "--sector", "energy", "--csv"], catch_exceptions=False)
    assert "(+" not in table.output  # --csv is an export: every piece
    shown = CliRunner().invoke(main, ["pipeline", "--db", db, "--sector", "energy"], catch_exceptions=False,
                               terminal_width=400)
    assert "(+1 more)" in " ".join(shown.output.split())  # the table: the newest 3 signings of 4
    rows = json.loads(CliRunner().invoke(main, ["pipeline", "--db", db, "--json"], catch_exceptions=False).output)
    assert len(energy(rows)["evidence"]["intent"]) == 7


def test_migration_21_counts_the_folds_as_the_writer_does(db: str) -> None:
    """Each opportunity's folds per stage and the network's engaged totals, zeroed and emptied, are
    counted by migration 21 as the writer kept them; its indexes are there."""
    from sqlalchemy import inspect

    with Store(db) as store:
        kept = store.read(lambda c: (sorted(map(tuple, c.execute(select(summary.pipeline_groups)))),
                                     sorted(map(tuple, c.execute(select(summary.network_engaged))))))
        assert any(r[-1] or r[-2] for r in kept[0]) and kept[1]

        def forget(conn) -> None:
            conn.execute(update(summary.pipeline_groups).values(**{c: 0 for c in pipeline_groups.FOLDS}))
            conn.execute(summary.network_engaged.delete())
            summary_totals.create(conn)

        store.write(forget)
        assert store.read(lambda c: (sorted(map(tuple, c.execute(select(summary.pipeline_groups)))),
                                     sorted(map(tuple, c.execute(select(summary.network_engaged)))))) == kept
        names = store.read(lambda c: {i["name"] for t in (summary.pipeline_folds, summary.network_months)
                                      for i in inspect(c).get_indexes(t.name)})
        assert {"ix_pipeline_folds_newest", "ix_network_months_edge"} <= names
