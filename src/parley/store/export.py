"""Exports of stored articles: JSON Lines (whole documents), CSV (one row per article), Parquet,
a GDELT-2.0-style tab-separated event table (one row per event, no header, like GDELT's files),
PLOVER event records (JSON Lines with the PLOVER manual's data field names, one event a line),
and JSON Lines of the stored stories and identities across articles (`resolved.py`).

`filters` are those of `Store.articles` (since, until, include_duplicates). CSV cells go through
`parley.output.safe_cell`, the one formula guard: a cell a spreadsheet would run gets a leading
single quote, and no legitimate value ("-5%", "@handle") is changed.
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
from functools import lru_cache
from typing import IO, Any, BinaryIO

from ..document import Document
from ..errors import StoreError
from ..output import safe_cell
from .queries import ARTICLE_KEYS
from .store import Store
from .tables import ROW_FORMATS, TABLES, period_days, write_parquet, write_table

FORMATS = ("jsonl", "csv", "parquet", "gdelt", "plover", *TABLES, "stories", "identities")
#: The article CSV's columns: its counts are named as counts, since in the documents (jsonl, parquet)
#: `entities`, `quotes` and `events` hold the records themselves.
COUNTS = {"entities": "entity_count", "mentions": "mention_count", "quotes": "quote_count", "events": "event_count"}
CSV_COLUMNS = tuple(COUNTS.get(k, k) for k in ARTICLE_KEYS)


def export(store: Store, fmt: str, out: BinaryIO | str | os.PathLike, rows_as: str = "csv", **filters: Any) -> int:
    """Write the selected articles to `out` (a binary file or a path); returns how many (for
    "gdelt": how many event rows). "events", "quotes" and "entities" are tables of one row each
    (`tables.TABLES`), written as `rows_as`: csv, jsonl or parquet."""
    if fmt in TABLES:
        if rows_as not in ROW_FORMATS:
            raise StoreError(f"unknown table format {rows_as!r}: choose one of {', '.join(ROW_FORMATS)}")
        with _binary(out) as fh:
            return write_table(fmt, rows_as, (doc for _, doc in _documents(store, filters)), fh)
    writer = {"jsonl": _jsonl, "csv": _csv, "parquet": _parquet, "gdelt": _gdelt, "plover": _plover,
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
    return store.read(lambda conn: resolved.records(conn, getattr(resolved, table)))


def _stories(store: Store, fh: BinaryIO, filters: dict[str, Any]) -> int:
    return _records(fh, _stored(store, "stories"))


def _identities(store: Store, fh: BinaryIO, filters: dict[str, Any]) -> int:
    return _records(fh, _stored(store, "identities"))


def _records(fh: BinaryIO, records: list[dict]) -> int:
    for record in records:
        fh.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
    return len(records)


def _csv(store: Store, fh: BinaryIO, filters: dict[str, Any]) -> int:
    text: IO[str] = io.TextIOWrapper(fh, encoding="utf-8", newline="", write_through=True)
    try:
        w = csv.DictWriter(text, fieldnames=CSV_COLUMNS, extrasaction="ignore")
        w.writeheader()
        n = 0
        for row in _rows(store, filters):
            w.writerow({COUNTS.get(k, k): safe_cell(row.get(k)) for k in ARTICLE_KEYS})
            n += 1
        return n
    finally:
        text.flush()
        text.detach()  # leave the caller's binary file open


def _parquet(store: Store, fh: BinaryIO, filters: dict[str, Any]) -> int:
    import pyarrow as pa

    cols = ("id", "file", "url", "source", "published", "headline", "dateline", "language",
            "text", "duplicate_of")
    schema = pa.schema([(c, pa.string()) for c in cols] + [
        ("captions", pa.list_(pa.string())),
        ("entities", pa.string()), ("quotes", pa.string()), ("events", pa.string()),
    ])

    def records() -> Iterator[dict[str, Any]]:
        for row, doc in _documents(store, filters):
            d = doc.to_dict()
            rec = {c: d["article"].get(c) for c in cols if c != "duplicate_of"}
            rec.update(duplicate_of=row["duplicate_of"], captions=d["article"].get("captions") or [])
            for part in ("entities", "quotes", "events"):
                rec[part] = json.dumps(d[part], ensure_ascii=False)
            yield rec

    return write_parquet(fh, schema, records())


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
    """One row per event of each selected article. Rule for negated events: they are left out (a
    GDELT row says the event happened; PLOVER lets a negated event be dropped from a data set);
    hypothetical ones are written, GDELT having no column for them (the events table's
    `hypothetical` column tells them apart). Values that do not map onto GDELT's are left empty."""
    from . import resolved

    resolved.ensure_resolved(store)  # NumMentions, NumSources, NumArticles come from the stories
    n = 0
    told = store.read(_story_counts)
    for row, doc in _documents(store, filters):
        counts = told.get(doc.article.id, {})
        for event in doc.events:
            if event.negated:
                continue
            cells = gdelt_row(doc, event, row.get("ingested_at"))
            cells.update(counts.get(event.id, _ALONE))
            fh.write(("\t".join(_tsv_cell(cells.get(c)) for c in GDELT_COLUMNS) + "\n").encode("utf-8"))
            n += 1
    return n


#: The counts of an event that no stored story holds: it is reported once, here.
_ALONE = {"NumMentions": 1, "NumSources": 1, "NumArticles": 1}


def _story_counts(conn: Any) -> dict[str, dict[str, dict[str, int]]]:
    """Article id -> event id -> GDELT's counts from the story that holds it (`resolved`):
    NumMentions its reports, NumSources its outlets, NumArticles its articles; a trip's stops are
    stories of their own, and an event in several takes the one told most. One query for the
    whole export (a few numbers per stored report)."""
    from sqlalchemy import select

    from .resolved import stories, story_reports

    rows = conn.execute(select(story_reports.c.article_id, story_reports.c.report, stories.c.reports,
                               stories.c.outlets, stories.c.articles)
                        .join(stories, stories.c.id == story_reports.c.story_id))
    best: dict[str, dict[str, tuple[int, int, int]]] = {}
    for article_id, report, reports, outlets, articles in rows:
        event_id = report.split("@")[0]  # "v1@FRA": the stop in France of a trip told by event v1
        mine = best.setdefault(article_id, {})
        mine[event_id] = max(mine.get(event_id, (0, 0, 0)), (reports, max(outlets, 1), articles))
    return {a: {e: {"NumMentions": r, "NumSources": o, "NumArticles": n} for e, (r, o, n) in events.items()}
            for a, events in best.items()}


_LINE_BREAKING = re.compile("[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _tsv_cell(value: Any) -> str:
    """A cell: tabs and anything a reader could take for a line break become spaces."""
    return "" if value is None else _LINE_BREAKING.sub(" ", str(value))


#: PLOVER actor sectors (what entities carry) whose CAMEO code differs: PLOVER's JRN (media) is
#: CAMEO's MED, PLOVER's MED (health) is CAMEO's HLH; the rest (GOV, BUS, EDU, ...) are the same.
_CAMEO_SECTOR = {"JRN": "MED", "MED": "HLH"}

#: PLOVER's non-state "country" codes -> (CAMEO actor root, CAMEO known group). The UN is CAMEO's
#: IGO + UNO; the EU is written as an IGO without a group (CAMEO's EUR means Europe, the region).
_NON_STATE = {"UNO": ("IGO", "UNO"), "EUR": ("IGO", None), "IGO": ("IGO", None), "NGO": ("NGO", None),
              "MNC": ("MNC", None), "IMG": ("IMG", None), "ISM": ("NGM", None)}


@lru_cache(maxsize=1)
def cameo_codes() -> dict[tuple[str, str], tuple[str, float]]:
    """(PLOVER type, mode or "") -> (CAMEO event code, Goldstein value), from plover_cameo.tsv."""
    from ..analysis.lexicon import read_table

    return {(r["type"], r["mode"]): (r["cameo"], float(r["goldstein"])) for r in read_table("plover_cameo.tsv")}


@lru_cache(maxsize=1)
def fips_countries() -> dict[str, tuple[str, str]]:
    """ISO 3166-1 alpha-3 -> (FIPS 10-4 code, country name), from fips_countries.tsv."""
    from ..analysis.lexicon import read_table

    return {r["iso3"]: (r["fips"], r["name"]) for r in read_table("fips_countries.tsv")}


def cameo_event(type_: str, mode: str | None) -> tuple[str, float] | None:
    """The CAMEO code and Goldstein value for a PLOVER type and mode (an unlisted mode: the type's)."""
    codes = cameo_codes()
    return codes.get((type_, mode or "")) or codes.get((type_, ""))


def gdelt_row(doc: Document, event: Any, ingested_at: str | None = None) -> dict[str, Any]:
    """The filled GDELT 2.0 cells for one event (missing keys are empty)."""
    cells: dict[str, Any] = {"GLOBALEVENTID": _event_number(doc.article.id, event.id)}
    cells.update(_gdelt_dates(event.date.start if event.date and event.date.start else None, doc.article.published))
    for n, ids in (("1", event.actor), ("2", event.recipient)):
        entity = doc.entity(ids[0]) if ids else None
        if entity is not None:
            cells.update(_gdelt_actor(n, entity))
            if entity.geo:
                cells.update(_gdelt_geo(f"Actor{n}Geo", entity))
    cameo = cameo_event(event.type, event.mode)
    if cameo is not None:
        code, goldstein = cameo
        cells.update(EventCode=code, EventBaseCode=code[:3], EventRootCode=code[:2], GoldsteinScale=f"{goldstein:.1f}")
    cells["QuadClass"] = QUAD_CLASS.get(event.type)
    cells["IsRootEvent"] = int(event.sentence.start < _first_paragraph_end(doc.article.text))
    cells["AvgTone"] = article_tone(doc)
    place = doc.entity(event.location)
    if place is not None:
        cells.update(_gdelt_geo("ActionGeo", place))
    cells["DATEADDED"] = _timestamp(ingested_at)
    cells["SOURCEURL"] = doc.article.url or None  # a URL or nothing: never the input file's name
    return cells


def _gdelt_dates(event_date: str | None, published: str | None) -> dict[str, Any]:
    """SQLDATE and FractionDate only from a full date, MonthYear and Year at their precisions: the
    event's own date, else (the event has none) the article's. A date without a year gives none."""
    value = event_date or published or ""
    cells: dict[str, Any] = {}
    if (day := _day(value)) is not None:
        cells.update(SQLDATE=day.strftime("%Y%m%d"),
                     FractionDate=f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}")
    if re.fullmatch(r"\d{4}-\d\d(-\d\d)?", value):
        cells["MonthYear"] = value[:4] + value[5:7]
    if re.match(r"\d{4}(-|$)", value):
        cells["Year"] = value[:4]
    return cells


def _gdelt_actor(n: str, entity: Any) -> dict[str, Any]:
    """Actor{n}Code (root + known group + type), Name, CountryCode (ISO 3166-1 alpha-3, as CAMEO's
    are; empty for an international body), KnownGroupCode and Type1Code (CAMEO's sector code)."""
    sector = _CAMEO_SECTOR.get(entity.sector or "", entity.sector)
    code = entity.country or ""
    root, group = _NON_STATE.get(code, (code, None))
    return {f"Actor{n}Name": entity.name, f"Actor{n}CountryCode": None if code in _NON_STATE else code or None,
            f"Actor{n}KnownGroupCode": group, f"Actor{n}Type1Code": sector,
            f"Actor{n}Code": (root or "") + (group or "") + (sector or "") or None}


def _gdelt_geo(prefix: str, place: Any) -> dict[str, Any]:
    """A place in GDELT's geo columns: Type from its precision (a country is type 1, never plotted at
    its capital: no coordinates, its FIPS code as FeatureID and ADM1Code, as GDELT writes
    country-level matches), FIPS 10-4 country code, "Place, Admin1, Country" full name."""
    geo = place.geo or {}
    iso3 = geo.get("country") or place.country
    fips, country_name = fips_countries().get(iso3 or "", (None, None))
    kind = geo.get("kind") or ""
    types = _GEO_TYPE.get(kind)
    cells = {f"{prefix}_Type": types[0 if iso3 == "USA" else 1] if types else None,
             f"{prefix}_FullName": ", ".join(dict.fromkeys(
                 x for x in (place.name, geo.get("admin1") if kind == "city" else None,
                             country_name if kind != "country" else None) if x)),
             f"{prefix}_CountryCode": fips}
    if kind == "country":
        cells.update({f"{prefix}_ADM1Code": fips, f"{prefix}_FeatureID": fips})
    else:
        cells.update({f"{prefix}_Lat": geo.get("lat"), f"{prefix}_Long": geo.get("lon"),
                      f"{prefix}_FeatureID": geo.get("geonameid")})  # a GeoNames id (GDELT: GNS/GNIS)
    return cells


def article_tone(doc: Document) -> str | None:
    """GDELT's AvgTone for an article: the mean stance (-1..1) of all its quotes that have one, scaled
    to GDELT's range -100..100; None when no quote has a stance. The same for every event of it."""
    stances = [q.stance for q in doc.quotes if q.stance is not None]
    return f"{100 * sum(stances) / len(stances):.2f}" if stances else None


def _first_paragraph_end(text: str) -> int:
    """Where the article's first paragraph ends (GDELT's IsRootEvent: the event is in the lead)."""
    body = text.lstrip()
    cut = body.find("\n")
    return len(text) - len(body) + (cut if cut >= 0 else len(body))


def _event_number(article_id: str, event_id: str) -> int:
    """A stable integer id for (article, event), the same in every export, below 2**52 so that a
    spreadsheet or JavaScript (doubles, exact to 2**53) keeps every digit."""
    return int(hashlib.sha1(f"{article_id}:{event_id}".encode()).hexdigest()[:13], 16)


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


# --- PLOVER --------------------------------------------------------------------------------------

#: GeoNames-based location resolution as PLOVER's location object counts it: 4 city, 2 province, 1 country.
_PLOVER_RESOLUTION = {"city": 4, "admin1": 2, "country": 1}


def _plover(store: Store, fh: BinaryIO, filters: dict[str, Any]) -> int:
    """One PLOVER event record per line for every event of each selected article. Negated and
    hypothetical events are kept and say so in `context` ("negation", "hypothetical": PLOVER's
    auxiliary modes), so a user can drop them as the manual allows."""
    n = 0
    for row, doc in _documents(store, filters):
        for event in doc.events:
            record = plover_record(doc, event, row.get("ingested_at"))
            fh.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
            n += 1
    return n


def plover_record(doc: Document, event: Any, ingested_at: str | None = None) -> dict[str, Any]:
    """An event in the field names of the PLOVER manual's chapter "Data Fields" (id, date, actor,
    recipient, event, mode, context, event_loc, ...), plus a few named fields of Parley's own
    (date_precision, date_start, date_end, date_text, sectors, confidence). `date` is the event's
    own day, else (the event has no date) the article's; a month or a year is in date_start/date_end."""
    article = doc.article
    context = [name for name, flag in (("negation", event.negated), ("hypothetical", event.hypothetical)) if flag]
    record: dict[str, Any] = {
        "id": f"{article.id}:{event.id}",
        **_plover_dates(event.date, article.published),
        "actor": [_plover_entity(e, event) for i in event.actor if (e := doc.entity(i))],
        "recipient": [_plover_entity(e, event) for i in event.recipient if (e := doc.entity(i))],
        "event": [event.type],
        "event_text": [event.trigger.text],
        "quad_code": QUAD_CLASS.get(event.type),
        "mode": [event.mode] if event.mode else [],
        "context": context,
        "text": article.text[event.sentence.start:event.sentence.end].strip(),
        "text_info": {"start": event.sentence.start, "end": event.sentence.end},
        "cite_info": {"citation": article.id, "url": article.url, "title": article.headline,
                      "publication": article.source, "language": article.language,
                      "coder": f"parley {_version()}"},
        "coder": "parley",
        "coded_date": (ingested_at or "")[:10] or None,
        "sectors": list(event.sectors),
        "confidence": event.confidence,
    }
    place = doc.entity(event.location)
    if place is not None:
        record["event_loc"] = _plover_location(place, event)
    return record


def _plover_dates(when: Any, published: str | None) -> dict[str, Any]:
    """`date` (and `enddate`) as PLOVER wants them, YYYY-MM-DD, only for a known day: the event's own
    date, else (it has none) the article's, said by date_source. A month or a year is given as the
    period date_start..date_end with its date_precision; a date without a year has only date_text."""
    if when is not None and when.start:
        start, end = period_days(when.start, when.end)
        full = _day(when.start) is not None
        out = {"date": when.start if full else None, "date_source": "event",
               "date_precision": when.precision if start else None,
               "date_start": start.isoformat() if start else None, "date_end": end.isoformat() if end else None,
               "date_text": when.text}
        if full and end and start and end > start:
            out["enddate"] = end.isoformat()
        return out
    day = _day(published)
    return {"date": day.isoformat() if day else None, "date_source": "article" if day else None,
            "date_precision": "day" if day else None, "date_start": day.isoformat() if day else None,
            "date_end": day.isoformat() if day else None, "date_text": None}


def _plover_entity(entity: Any, event: Any) -> dict[str, Any]:
    """PLOVER's entity object: code (ISO 3166-1 alpha-3, or UNO, EUR, IGO, NGO for international
    bodies), sector (PLOVER's: JRN media, MED health, ...), entity_text (as written in the event's
    sentence, else the entity's name), office; plus the entity's name and type."""
    office = next((role.title for role in entity.roles if role.title), None)
    return {"code": entity.country, "sector": entity.sector, "entity_text": _text_in(entity, event),
            "office": office, "name": entity.name, "type": entity.type}


def _text_in(entity: Any, event: Any) -> str:
    """How the entity is written in the event's sentence, else its name."""
    inside = [m for m in entity.mentions if event.sentence.start <= m.start < event.sentence.end]
    return inside[0].text if inside else entity.name


def _plover_location(place: Any, event: Any) -> dict[str, Any]:
    """PLOVER's location object (Mordecai's field names). A country is a country: its resolution is
    1 and it has no coordinates (the store holds its capital's, which are not the country's)."""
    geo = place.geo or {}
    iso3 = geo.get("country") or place.country
    kind = geo.get("kind") or ""
    loc = {"extracted_place": _text_in(place, event), "resolved_place": place.name,
           "geonameid": geo.get("geonameid"), "lat": None, "lon": None,
           "province": geo.get("admin1") if kind == "city" else place.name if kind == "admin1" else None,
           "country": fips_countries().get(iso3 or "", (None, None))[1], "country_code": iso3,
           "resolution": _PLOVER_RESOLUTION.get(kind)}
    if kind != "country":
        loc.update(lat=geo.get("lat"), lon=geo.get("lon"))
    if kind == "city":
        loc["city"] = place.name
    return loc


def _version() -> str:
    from .. import __version__

    return __version__
