"""Exports of stored articles: JSON Lines (whole documents), CSV (one row per article), Parquet,
a GDELT-2.0-style tab-separated event table (one row per event, no header, like GDELT's files),
and JSON Lines of the stored stories and identities across articles (`resolved.py`).

`filters` are those of `Store.articles` (since, until, include_duplicates). CSV cells that a
spreadsheet would run as a formula are defused with a leading single quote.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
from collections.abc import Iterator
from datetime import date, datetime, timezone
from typing import IO, Any, BinaryIO

from ..document import Document
from ..errors import StoreError
from .queries import ARTICLE_KEYS, best_quote
from .store import Store
from .tables import ROW_FORMATS, TABLES, write_table

FORMATS = ("jsonl", "csv", "parquet", "gdelt", *TABLES, "stories", "identities")
CSV_COLUMNS = ARTICLE_KEYS
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export(store: Store, fmt: str, out: BinaryIO | str | os.PathLike, rows_as: str = "csv", **filters: Any) -> int:
    """Write the selected articles to `out` (a binary file or a path); returns how many (for
    "gdelt": how many event rows). "events", "quotes" and "entities" are tables of one row each
    (`tables.TABLES`), written as `rows_as`: csv, jsonl or parquet."""
    if fmt in TABLES:
        if rows_as not in ROW_FORMATS:
            raise StoreError(f"unknown table format {rows_as!r}: choose one of {', '.join(ROW_FORMATS)}")
        with _binary(out) as fh:
            return write_table(fmt, rows_as, (doc for _, doc in _documents(store, filters)), fh)
    writer = {"jsonl": _jsonl, "csv": _csv, "parquet": _parquet, "gdelt": _gdelt,
              "stories": _stories, "identities": _identities}.get(fmt)
    if writer is None:
        raise StoreError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    with _binary(out) as fh:
        return writer(store, fh, filters)


@contextlib.contextmanager
def _binary(out: BinaryIO | str | os.PathLike) -> Iterator[BinaryIO]:
    """A file object to write to: `out` itself, or for a path a hidden file beside it that is
    renamed to the path once complete, so a failed export (a full disk) leaves no partial file."""
    if not isinstance(out, (str, os.PathLike)):
        yield out
        return
    path = os.fspath(out)
    partial = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.partial")
    try:
        with open(partial, "wb") as fh:
            yield fh
        os.replace(partial, path)
    except OSError as exc:
        raise StoreError(f"{path}: cannot write export: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            os.remove(partial)


def _rows(store: Store, filters: dict[str, Any], page: int = 500) -> Iterator[dict]:
    offset = 0
    while rows := store.articles(**filters, limit=page, offset=offset):
        yield from rows
        offset += len(rows)


def _documents(store: Store, filters: dict[str, Any]) -> Iterator[tuple[dict, Document]]:
    for row in _rows(store, filters):
        yield row, store.get(row["id"])


def _jsonl(store: Store, fh: BinaryIO, filters: dict[str, Any]) -> int:
    n = 0
    for _, doc in _documents(store, filters):
        fh.write(doc.to_json().encode("utf-8") + b"\n")
        n += 1
    return n


def _stored(store: Store, table: str) -> list[dict]:
    """The stored stories or identities (`resolved.py`), once the store's new articles are resolved."""
    from . import resolved

    resolved.ensure_resolved(store)
    return store._query(lambda conn: resolved.records(conn, getattr(resolved, table)))


def _stories(store: Store, fh: BinaryIO, filters: dict[str, Any]) -> int:
    return _records(fh, _stored(store, "stories"))


def _identities(store: Store, fh: BinaryIO, filters: dict[str, Any]) -> int:
    return _records(fh, _stored(store, "identities"))


def _records(fh: BinaryIO, records: list[dict]) -> int:
    for record in records:
        fh.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
    return len(records)


def safe_cell(value: Any) -> Any:
    """Defuse spreadsheet formula injection: text starting with = + - @ (or tab/CR) gets a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv(store: Store, fh: BinaryIO, filters: dict[str, Any]) -> int:
    text: IO[str] = io.TextIOWrapper(fh, encoding="utf-8", newline="", write_through=True)
    try:
        w = csv.DictWriter(text, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        w.writeheader()
        n = 0
        for row in _rows(store, filters):
            w.writerow({k: safe_cell(row.get(k)) for k in CSV_COLUMNS})
            n += 1
        return n
    finally:
        text.flush()
        text.detach()  # leave the caller's binary file open


def _parquet(store: Store, fh: BinaryIO, filters: dict[str, Any]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = ("id", "file", "url", "source", "published", "headline", "dateline", "language",
            "text", "duplicate_of")
    schema = pa.schema([(c, pa.string()) for c in cols] + [
        ("captions", pa.list_(pa.string())),
        ("entities", pa.string()), ("quotes", pa.string()), ("events", pa.string()),
    ])
    n = 0
    with pq.ParquetWriter(fh, schema) as writer:
        batch: list[dict[str, Any]] = []
        for row, doc in _documents(store, filters):
            d = doc.to_dict()
            rec = {c: d["article"].get(c) for c in cols if c != "duplicate_of"}
            rec.update(duplicate_of=row["duplicate_of"], captions=d["article"].get("captions") or [])
            for part in ("entities", "quotes", "events"):
                rec[part] = json.dumps(d[part], ensure_ascii=False)
            batch.append(rec)
            if len(batch) >= 1000:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n, batch = n + len(batch), []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


# --- GDELT ---------------------------------------------------------------------------------------

# The 61 columns of a GDELT 2.0 Event record, in order, as listed in "The GDELT Event Database
# Data Format Codebook V2.0" (GDELT Project, 2015), tab-delimited, no header row.
GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)
assert len(GDELT_COLUMNS) == 61

# PLOVER's quad categories, in GDELT's QuadClass numbering: 1 verbal cooperation, 2 material
# cooperation, 3 verbal conflict, 4 material conflict.
QUAD_CLASS = {
    **dict.fromkeys(("AGREE", "CONSULT", "SUPPORT", "CONCEDE"), 1),
    **dict.fromkeys(("COOPERATE", "AID", "RETREAT"), 2),
    **dict.fromkeys(("REQUEST", "ACCUSE", "REJECT", "THREATEN"), 3),
    **dict.fromkeys(("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"), 4),
}

# GDELT geographic resolution: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (ADM1).
_GEO_TYPE = {"country": (1, 1), "admin1": (2, 5), "city": (3, 4)}  # kind -> (in the US, elsewhere)


def _gdelt(store: Store, fh: BinaryIO, filters: dict[str, Any]) -> int:
    """One row per event of each selected article; negated events are left out (GDELT records
    what was reported as happening). Values that do not map onto GDELT's are left empty."""
    n = 0
    for row, doc in _documents(store, filters):
        for event in doc.events:
            if event.negated:
                continue
            cells = gdelt_row(doc, event, row.get("ingested_at"))
            fh.write(("\t".join(_tsv_cell(cells.get(c)) for c in GDELT_COLUMNS) + "\n").encode("utf-8"))
            n += 1
    return n


_LINE_BREAKING = re.compile("[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _tsv_cell(value: Any) -> str:
    """A cell: tabs and anything a reader could take for a line break become spaces."""
    return "" if value is None else _LINE_BREAKING.sub(" ", str(value))


#: PLOVER actor sectors (what entities carry) whose CAMEO code differs: PLOVER's JRN (media) is
#: CAMEO's MED, PLOVER's MED (health) is CAMEO's HLH; the rest (GOV, BUS, EDU, ...) are the same.
_CAMEO_SECTOR = {"JRN": "MED", "MED": "HLH"}


def gdelt_row(doc: Document, event: Any, ingested_at: str | None = None) -> dict[str, Any]:
    """The filled GDELT 2.0 cells for one event (missing keys are empty)."""
    cells: dict[str, Any] = {"GLOBALEVENTID": _event_number(doc.article.id, event.id)}
    day = _day(event.date.start if event.date else None)
    year_month = (event.date.start or "")[:7] if event.date else ""
    if day:
        cells.update(SQLDATE=day.strftime("%Y%m%d"),
                     FractionDate=f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}")
    if len(year_month) == 7 and year_month[:4].isdigit() and year_month[5:7].isdigit():
        cells["MonthYear"] = year_month.replace("-", "")
    if event.date and (event.date.start or "")[:4].isdigit():
        cells["Year"] = event.date.start[:4]
    for n, ids in (("1", event.actor), ("2", event.recipient)):
        entity = doc.entity(ids[0]) if ids else None
        if entity is None:
            continue
        cells[f"Actor{n}Name"] = entity.name
        cells[f"Actor{n}CountryCode"] = entity.country  # ISO 3166-1 alpha-3 (CAMEO's country codes)
        sector = _CAMEO_SECTOR.get(entity.sector or "", entity.sector)  # GDELT's columns hold CAMEO codes
        cells[f"Actor{n}Type1Code"] = sector
        cells[f"Actor{n}Code"] = (entity.country or "") + (sector or "") or None
    # PLOVER, not CAMEO: EventCode, EventBaseCode and EventRootCode hold the PLOVER event type.
    cells.update(EventCode=event.type, EventBaseCode=event.type, EventRootCode=event.type,
                 QuadClass=QUAD_CLASS.get(event.type))
    quotes = [{"start": q.start, "end": q.end, "stance": q.stance} for q in doc.quotes]
    quote = best_quote(quotes, (event.trigger.start, event.trigger.end),
                       (event.sentence.start, event.sentence.end), need_stance=True)
    if quote is not None:  # stance -1..1 scaled to GDELT's AvgTone range -100..100
        cells["AvgTone"] = f"{quote['stance'] * 100:g}"
    place = doc.entity(event.location)
    if place is not None:
        geo = place.geo or {}
        country = geo.get("country") or place.country
        kind = _GEO_TYPE.get(geo.get("kind") or "")
        cells.update(
            ActionGeo_Type=kind[0 if country == "USA" else 1] if kind else None,
            ActionGeo_FullName=place.name,
            ActionGeo_CountryCode=country,  # ISO 3166-1 alpha-3, not GDELT's FIPS 10-4
            ActionGeo_Lat=geo.get("lat"), ActionGeo_Long=geo.get("lon"),
            ActionGeo_FeatureID=geo.get("geonameid"),  # a GeoNames id, as GDELT's are for cities
        )
    cells["DATEADDED"] = _timestamp(ingested_at)
    cells["SOURCEURL"] = doc.article.url or doc.article.file
    return cells


def _event_number(article_id: str, event_id: str) -> int:
    """A stable integer id for (article, event): the same in every export."""
    return int(hashlib.sha1(f"{article_id}:{event_id}".encode()).hexdigest()[:15], 16)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


def _timestamp(iso: str | None) -> str | None:
    """GDELT 2.0's DATEADDED: YYYYMMDDHHMMSS in UTC."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y%m%d%H%M%S")
