"""Readers read: a reader is not held up by another process's write transaction, however long."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.store import Store
from parley.store import sqlite as store_sqlite

from .test_store import make_doc

ARTICLE = "f" * 40
READERS = {  # every reading command, and a word that its output must hold
    "articles": (["articles", "--nl"], ARTICLE),
    "show": (["show", ARTICLE[:8], "--json"], ARTICLE),
    "events": (["events", "--nl"], "CONSULT"),
    "search": (["search", "zephyrine", "--nl"], ARTICLE),
    "export": (["export"], ARTICLE),
    "people": (["people", "--nl"], "Parker"),
    "quotes": (["quotes", "--nl"], "zephyrine"),
}

# --- readers and a long write transaction ---------------------------------------------------------

@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> float:
    """A busy timeout of half a second, so a reader that waited on the writer would fail fast."""
    monkeypatch.setattr(store_sqlite, "BUSY_TIMEOUT_S", 0.5)
    return 0.5


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_readers_read_while_another_process_holds_the_write_lock_past_the_busy_timeout(
        tmp_path: Path, short_busy_timeout: float, journal: str) -> None:
    """A store in rollback-journal mode (made elsewhere, or switched back) is read too: only a writer
    switches it to WAL, as the switch needs the lock the other process holds."""
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.add(make_doc(ARTICLE))
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute(f"PRAGMA journal_mode = {journal}")
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a long ingest
    writer.execute("INSERT INTO summary_totals (name, n) VALUES ('probe', 1)")
    try:
        time.sleep(short_busy_timeout * 1.5)  # held past the busy timeout already
        started = time.monotonic()
        with Store(db) as reader:
            assert [a["id"] for a in reader.articles()] == [ARTICLE]
            assert reader.get(ARTICLE[:8]).article.id == ARTICLE
            assert reader.search("zephyrine")
        for name, (args, word) in READERS.items():
            result = CliRunner().invoke(main, [*args, "--db", str(db)])
            assert result.exit_code == 0, (name, result.output)
            assert word in result.stdout, name
        assert time.monotonic() - started < 20
        assert writer.execute("PRAGMA journal_mode").fetchone()[0] == journal  # no reader switched it
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_writer_still_switches_a_store_to_wal(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.add(make_doc(ARTICLE))
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = delete")
    conn.close()
    with Store(db) as store:
        store.add(make_doc("e" * 40))
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
