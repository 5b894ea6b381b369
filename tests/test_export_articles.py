"""The article exports side by side: CSV, JSON Lines and Parquet give a column name one meaning.
The documents (jsonl, parquet) hold `entities`, `quotes` and `events` as records; the CSV, one row
per article, holds their counts under names that say so."""

from __future__ import annotations

import csv
import io
import json

import pytest

from parley.store import Store
from parley.store.export import export

from .test_store import make_doc


def _exports(tmp_path) -> tuple[dict, dict, dict]:
    pq = pytest.importorskip("pyarrow.parquet")
    with Store(str(tmp_path / "s.db")) as store:
        store.add(make_doc())
        outs = {}
        for fmt in ("csv", "jsonl", "parquet"):
            outs[fmt] = io.BytesIO()
            export(store, fmt, outs[fmt])
    row = next(csv.DictReader(io.StringIO(outs["csv"].getvalue().decode())))
    doc = json.loads(outs["jsonl"].getvalue().splitlines()[0])
    table = pq.read_table(io.BytesIO(outs["parquet"].getvalue())).to_pylist()[0]
    return row, doc, table


def test_a_column_name_means_the_same_in_csv_and_parquet(tmp_path) -> None:
    row, _, table = _exports(tmp_path)
    for name in set(row) & set(table):
        assert str(table[name] if table[name] is not None else "") == row[name], name
    assert not {"entities", "quotes", "events"} & set(row)


def test_the_csv_counts_what_the_documents_hold(tmp_path) -> None:
    row, doc, table = _exports(tmp_path)
    for records, count in (("entities", "entity_count"), ("quotes", "quote_count"), ("events", "event_count")):
        assert int(row[count]) == len(doc[records]) == len(json.loads(table[records])) > 0
    assert int(row["mention_count"]) == sum(len(e["mentions"]) for e in doc["entities"])
