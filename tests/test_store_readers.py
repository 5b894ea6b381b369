"""A reader opens and reads a store while another process holds its write lock."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import parley
from parley.store import Store


def test_a_reader_is_not_blocked_by_a_long_write_transaction(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.add(parley.analyze("The Mayor of Lima met a delegation from Peru.", headline="Talks"))
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a long ingest
    try:
        started = time.monotonic()
        with Store(db) as reader:
            assert len(reader.articles()) == 1
        assert time.monotonic() - started < 5  # not the 30 s busy timeout
    finally:
        writer.execute("ROLLBACK")
        writer.close()
