"""The local worker pool: the same documents in the same order, workers killed, concurrent ingests.

Each pool test starts real worker processes (spawn, each loading the model), so they are few and
use short articles.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from parley.errors import ModelError, ParleyError
from parley.run.ingest import ingest, read_articles
from parley.run.pool import FAULT_ENV, PoolStats, WorkerDied, analyze_parallel, analyze_stream, default_workers
from parley.store import Store

pytestmark = pytest.mark.slow

PLACES = ["Chongqing", "Birmingham", "Lagos", "Lyon", "Osaka", "Recife", "Mombasa", "Gdansk"]
PEOPLE = ["Richard Parker", "Amina Bello", "Li Wei", "Claire Dubois", "Kenji Sato", "Ana Costa"]


def article_text(i: int) -> str:
    place, person = PLACES[i % len(PLACES)], PEOPLE[i % len(PEOPLE)]
    return (
        f"Delegation {i} Visits {place}\n"
        f"A trade delegation led by {person}, the mayor of {place}, visited a car factory on "
        f"Thursday. \"We hope to deepen cooperation in investment and trade,\" {person} said. "
        f"Officials signed agreement number {i} on logistics.\n"
    )


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "news"
    path.mkdir()
    for i in range(10):
        (path / f"{i:02d}.txt").write_text(article_text(i), encoding="utf-8")
    return path


def documents(items: list) -> list[dict]:
    return [d.to_dict() for d in items]


def test_pool_gives_the_in_process_documents_in_input_order(folder: Path) -> None:
    files = sorted(str(p) for p in folder.iterdir())
    expected = documents(analyze_stream(read_articles(files), workers=1))
    stats = PoolStats()
    got = documents(analyze_parallel(read_articles(files), workers=2, chunk_size=2, stats=stats))
    assert got == expected
    assert stats.restarts == 0 and 1 <= len(stats.peak_rss) <= 2 and stats.max_peak_rss > 0


def test_a_worker_killed_mid_chunk_has_its_articles_redone(folder: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    files = sorted(str(p) for p in folder.iterdir())
    expected = documents(analyze_stream(read_articles(files), workers=1))
    flag = tmp_path / "kill-once"
    flag.write_text("")  # empty: the first worker to see it dies (SIGKILL) after one article of its chunk
    monkeypatch.setenv(FAULT_ENV, str(flag))
    stats = PoolStats()
    got = documents(analyze_parallel(read_articles(files), workers=2, chunk_size=3, stats=stats))
    assert not flag.exists(), "no worker was killed"
    assert stats.restarts >= 1
    assert got == expected  # none lost, none doubled, order kept


def test_an_article_that_always_kills_its_worker_is_skipped_alone(folder: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    flag = tmp_path / "poison"
    flag.write_text("agreement number 4 ")  # any worker analysing article 4 dies, every time
    monkeypatch.setenv(FAULT_ENV, str(flag))
    store = Store(tmp_path / "p.db")
    report = ingest([str(folder)], store, workers=2)
    assert report.stored == 9
    assert len(report.skipped) == 1
    assert report.skipped[0].origin.endswith("04.txt")
    assert "WorkerDied" in report.skipped[0].reason
    assert sorted(d.article.file for d in store.iter_documents()) == [f"{i:02d}.txt" for i in range(10) if i != 4]


def test_a_model_that_cannot_load_is_one_clear_error_not_dead_workers(folder: Path) -> None:
    with pytest.raises(ModelError, match="not installed"):
        list(analyze_parallel(read_articles([str(folder)]), workers=2, model="no_such_spacy_model"))


def test_default_workers_is_the_usable_cores_and_small_inputs_stay_in_process(folder: Path) -> None:
    assert 1 <= default_workers() <= (os.cpu_count() or 1)
    assert issubclass(WorkerDied, ParleyError)
    # workers=None: one per core, but ten articles are not worth starting a pool for
    got = list(analyze_stream(read_articles([str(folder)]), workers=None))
    assert len(got) == 10 and not multiprocessing.active_children()


def test_cli_ingest_with_workers_stores_what_one_process_stores(folder: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from parley.cli import main

    one, two = str(tmp_path / "one.db"), str(tmp_path / "two.db")
    for db, workers in ((one, "1"), (two, "2")):
        result = CliRunner().invoke(main, ["ingest", str(folder), "--db", db, "--workers", workers, "--json"],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)[0]["stored"] == 10
    with Store(one) as a, Store(two) as b:
        assert documents(a.iter_documents()) == documents(b.iter_documents())
        assert [r["id"] for r in a.articles(limit=None)] == [r["id"] for r in b.articles(limit=None)]


def test_two_ingests_of_one_folder_at_once_store_each_article_once(folder: Path, store_url: str) -> None:
    command = [sys.executable, "-m", "parley.cli", "ingest", str(folder), "--db", store_url, "--json", "--workers"]
    runs = [subprocess.Popen(command + [n], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for n in ("2", "1")]  # one through the pool, one in process
    reports = []
    for process in runs:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        reports.append(json.loads(out)[0])
    assert sum(r["stored"] for r in reports) == 10
    assert sum(r["duplicates"] for r in reports) == 10
    assert all(r["skipped"] == 0 for r in reports)
    with Store(store_url) as store:
        ids = [d.article.id for d in store.iter_documents()]
        assert len(ids) == len(set(ids)) == 10
        assert store.counts()["articles"] == 10
