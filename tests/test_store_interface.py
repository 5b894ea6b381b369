"""The store's public read and write interface (`Store.read`, `Store.write`): one transaction each,
all or nothing, and Parley's own errors for what the database refuses."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select

from parley.errors import StoreConflict, StoreError
from parley.store import Store

notes = Table("test_notes", MetaData(), Column("id", Integer, primary_key=True), Column("text", String))


def test_write_is_all_or_nothing_and_a_taken_key_is_a_conflict(store_url: str) -> None:
    with Store(store_url) as store:
        store.write(lambda conn: notes.create(conn, checkfirst=True))
        store.write(lambda conn: conn.execute(insert(notes).values(id=1, text="first")))

        def two_rows(conn, second: int) -> None:
            conn.execute(insert(notes).values(id=2, text="second"))
            conn.execute(insert(notes).values(id=second, text="again"))

        with pytest.raises(StoreConflict):
            store.write(two_rows, second=1)  # id 1 is taken: the whole write is undone
        assert store.read(lambda conn: conn.execute(select(notes.c.id).order_by(notes.c.id)).scalars().all()) == [1]
        store.write(two_rows, second=3)
        assert store.read(lambda conn: conn.execute(select(func.count()).select_from(notes)).scalar_one()) == 3


def test_read_turns_database_errors_into_store_errors(store_url: str) -> None:
    with Store(store_url) as store:
        with pytest.raises(StoreError, match="no_such_table|does not exist|no such table"):
            store.read(lambda conn: conn.exec_driver_sql("SELECT * FROM no_such_table").all())
