"""Flat tables of what the store holds, one row per event, per quote or per entity, for the tools
analysts already use (pandas, polars, DuckDB, csvkit, spreadsheets).

Each table is declared once (`TABLES`: column name and Arrow type), and written as CSV, JSON Lines
or Parquet with the same column names. Parquet keeps native types (lists, dates, booleans, floats);
JSON Lines keeps lists as lists; CSV joins a list with "; ". Dates are real dates: an event dated
"2025-03" has `date_start` 2025-03-01, `date_end` 2025-03-31 and `date_precision` month; a date
whose year is not known has no `date_start` and keeps its words in `date_text`.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from itertools import islice
from typing import IO, Any, BinaryIO

from ..document import Document, Entity

ROW_FORMATS = ("csv", "jsonl", "parquet")

_ARTICLE = [("article_id", "string"), ("url", "string"), ("headline", "string"), ("source", "string"),
            ("published", "date")]

#: table -> [(column, Arrow type name)]: the one declaration of each table's columns.
TABLES: dict[str, list[tuple[str, str]]] = {
    "events": [
        ("id", "string"), ("event_id", "string"), ("type", "string"), ("mode", "string"),
        ("actors", "list"), ("actor_countries", "list"), ("actor_sectors", "list"),
        ("recipients", "list"), ("recipient_countries", "list"), ("recipient_sectors", "list"),
        ("place", "string"), ("place_country", "string"), ("place_lat", "float"), ("place_lon", "float"),
        ("place_geonameid", "int"), ("date_start", "date"), ("date_end", "date"), ("date_precision", "string"),
        ("date_text", "string"), ("sectors", "list"), ("negated", "bool"), ("hypothetical", "bool"),
        ("confidence", "float"), ("trigger", "string"), ("sentence", "string"), *_ARTICLE,
    ],
    "quotes": [
        ("id", "string"), ("quote_id", "string"), ("text", "string"), ("kind", "string"), ("cue", "string"),
        ("speaker", "string"), ("speaker_type", "string"), ("speaker_country", "string"),
        ("speaker_titles", "list"), ("speaker_text", "string"), ("stance", "float"), *_ARTICLE,
    ],
    "entities": [
        ("id", "string"), ("entity_id", "string"), ("type", "string"), ("name", "string"), ("aliases", "list"),
        ("country", "string"), ("sector", "string"), ("titles", "list"), ("mentions", "int"),
        ("lat", "float"), ("lon", "float"), ("geonameid", "int"), *_ARTICLE,
    ],
}


def write_table(table: str, fmt: str, documents: Iterator[Document], fh: BinaryIO) -> int:
    """Write the rows of `table` for every document to `fh` in `fmt`; returns how many rows."""
    rows = (row for doc in documents for row in _ROWS[table](doc))
    return _WRITERS[fmt](TABLES[table], rows, fh)


def event_rows(doc: Document) -> Iterator[dict[str, Any]]:
    text = doc.article.text
    for event in doc.events:
        actors = [doc.entity(i) for i in event.actor]
        recipients = [doc.entity(i) for i in event.recipient]
        place = doc.entity(event.location)
        geo = (place.geo or {}) if place else {}
        when = event.date
        start, end = period_days(when.start, when.end) if when else (None, None)
        yield {
            "id": f"{doc.article.id}:{event.id}", "event_id": event.id, "type": event.type, "mode": event.mode,
            **_parties("actor", actors), **_parties("recipient", recipients),
            "place": place.name if place else None, "place_country": place.country if place else None,
            "place_lat": geo.get("lat"), "place_lon": geo.get("lon"), "place_geonameid": geo.get("geonameid"),
            "date_start": start, "date_end": end, "date_precision": when.precision if when and start else None,
            "date_text": when.text if when else None, "sectors": list(event.sectors),
            "negated": event.negated, "hypothetical": event.hypothetical, "confidence": event.confidence,
            "trigger": event.trigger.text, "sentence": text[event.sentence.start : event.sentence.end].strip(),
            **_article(doc),
        }


def quote_rows(doc: Document) -> Iterator[dict[str, Any]]:
    for quote in doc.quotes:
        speaker = doc.entity(quote.speaker)
        yield {
            "id": f"{doc.article.id}:{quote.id}", "quote_id": quote.id, "text": quote.text, "kind": quote.kind,
            "cue": quote.cue, "speaker": speaker.name if speaker else None,
            "speaker_type": speaker.type if speaker else None, "speaker_country": speaker.country if speaker else None,
            "speaker_titles": _titles(speaker) if speaker else [], "speaker_text": quote.speaker_text,
            "stance": quote.stance, **_article(doc),
        }


def entity_rows(doc: Document) -> Iterator[dict[str, Any]]:
    for entity in doc.entities:
        geo = entity.geo or {}
        yield {
            "id": f"{doc.article.id}:{entity.id}", "entity_id": entity.id, "type": entity.type, "name": entity.name,
            "aliases": list(entity.aliases), "country": entity.country, "sector": entity.sector,
            "titles": _titles(entity), "mentions": len(entity.mentions),
            "lat": geo.get("lat"), "lon": geo.get("lon"), "geonameid": geo.get("geonameid"), **_article(doc),
        }


_ROWS: dict[str, Callable[[Document], Iterator[dict[str, Any]]]] = {
    "events": event_rows, "quotes": quote_rows, "entities": entity_rows}


def period_days(start: str | None, end: str | None = None) -> tuple[date | None, date | None]:
    """The first and last calendar day of an ISO period ("2025" -> Jan 1 .. Dec 31, "2025-03" ->
    Mar 1 .. 31); (None, None) for a date without a year ("--04-20") or none."""
    first = _bounds(start)[0] if start else None
    last = _bounds(end or start)[1] if (end or start) else None
    return (first, last) if first and last else (None, None)


def _bounds(value: str) -> tuple[date | None, date | None]:
    parts = value.split("-")
    try:
        if len(parts) == 1:
            return date(int(parts[0]), 1, 1), date(int(parts[0]), 12, 31)
        if len(parts) == 2:
            year, month = int(parts[0]), int(parts[1])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        day = date.fromisoformat(value)
        return day, day
    except ValueError:  # "--04-20": no year
        return None, None


def _parties(side: str, entities: list[Entity | None]) -> dict[str, list[str]]:
    found = [e for e in entities if e is not None]
    return {f"{side}s": [e.name for e in found],
            f"{side}_countries": sorted({e.country for e in found if e.country}),
            f"{side}_sectors": sorted({e.sector for e in found if e.sector})}


def _titles(entity: Entity) -> list[str]:
    return list(dict.fromkeys(role.title for role in entity.roles if role.title))


def _article(doc: Document) -> dict[str, Any]:
    article = doc.article
    published = _bounds(article.published)[0] if article.published and len(article.published) == 10 else None
    return {"article_id": article.id, "url": article.url, "headline": article.headline,
            "source": article.source, "published": published}


# --- writers ----------------------------------------------------------------------------------------


def _csv(columns: list[tuple[str, str]], rows: Iterator[dict[str, Any]], fh: BinaryIO) -> int:
    from ..output import safe_cell

    text: IO[str] = io.TextIOWrapper(fh, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text)
        writer.writerow([name for name, _ in columns])
        n = 0
        for row in rows:
            writer.writerow([_csv_cell(row[name], kind, safe_cell) for name, kind in columns])
            n += 1
        return n
    finally:
        text.flush()
        text.detach()


def _csv_cell(value: Any, kind: str, guard: Callable[[Any], Any]) -> Any:
    if value is None:
        return ""
    if kind == "list":
        return guard(list(value))  # the guard joins it as every CSV list is joined
    if kind in {"date", "bool", "float", "int"}:
        return value.isoformat() if kind == "date" else value  # not text: no formula guard needed
    return guard(value)


def _jsonl(columns: list[tuple[str, str]], rows: Iterator[dict[str, Any]], fh: BinaryIO) -> int:
    n = 0
    for row in rows:
        record = {name: (row[name].isoformat() if kind == "date" and row[name] else row[name]) for name, kind in columns}
        fh.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
        n += 1
    return n


def _parquet(columns: list[tuple[str, str]], rows: Iterator[dict[str, Any]], fh: BinaryIO) -> int:
    import pyarrow as pa

    types = {"string": pa.string(), "list": pa.list_(pa.string()), "date": pa.date32(), "bool": pa.bool_(),
             "float": pa.float64(), "int": pa.int64()}
    return write_parquet(fh, pa.schema([(name, types[kind]) for name, kind in columns]), rows)


def write_parquet(fh: BinaryIO, schema: Any, rows: Iterable[dict[str, Any]], batch_rows: int = 1000) -> int:
    """Write dict rows to Parquet with `schema`, in batches; a file even when there are none.
    Returns how many rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 0
    with pq.ParquetWriter(fh, schema) as writer:
        for batch in _batches(rows, batch_rows):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
        if n == 0:
            writer.write_table(pa.Table.from_pylist([], schema=schema))
    return n


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


_WRITERS = {"csv": _csv, "jsonl": _jsonl, "parquet": _parquet}
