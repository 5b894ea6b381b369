"""Writing documents: each articles row first (insert-or-ignore), then every child row.

Called inside a write transaction owned by the caller, so an article and all its rows commit or
vanish together, and with them its share of the summary tables (`summary.py`). Within a batch,
each article's row and its MinHash band rows go in as it comes, so the next article's
near-duplicate check sees it; the other child rows and the full-text rows are written at the end,
one statement per table for the whole batch: a handful of round trips per batch instead of a dozen
per article, which is what a database server over a network charges for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import bindparam, insert, select
from sqlalchemy.engine import Connection

from ..document import Document
from . import dedupe, dialect, schema, visits_summary
from .summary import Delta, when


@dataclass(frozen=True)
class AddResult:
    """What `Store.add` did with one document."""

    status: str  # "stored" | "duplicate" | "near-duplicate"
    article_id: str
    duplicate_of: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "article_id": self.article_id, "duplicate_of": self.duplicate_of}


def write_documents(conn: Connection, docs: list[Document], sigs: list[Any], threshold: float) -> list[AddResult]:
    """Store `docs` (their MinHash `sigs` computed beforehand, outside the write lock)."""
    results = []
    children: dict[Any, list[dict[str, Any]]] = {t: [] for t in schema.CHILD_TABLES}
    texts = []
    summary = Delta()
    for doc, sig in zip(docs, sigs):
        result, data = _write_article(conn, doc, sig, threshold)
        results.append(result)
        if result.status == "duplicate":
            continue
        summary.add(data, near_duplicate=result.status == "near-duplicate")
        for table, rows in _child_rows(doc).items():
            children[table] += rows
        texts.append(search_text(doc))
    for table, rows in children.items():
        if rows and table is not schema.minhash_bands:
            conn.execute(_INSERTS[table], rows)
    if texts:
        dialect.index_texts(conn, texts)
    summary.write(conn)
    visits_summary.add(conn, [r.article_id for r in results if r.status != "duplicate"])
    return results


def search_text(doc: Document) -> dict[str, str]:
    """What the full-text index holds for an article: its headline, body and quotes."""
    return {"article_id": doc.article.id, "headline": doc.article.headline or "",
            "body": doc.article.text, "quotes": "\n".join(q.text for q in doc.quotes)}


def search_texts(conn: Connection, article_ids: list[str]) -> list[dict[str, str]]:
    """`search_text` of stored articles, read from their documents (to index them again)."""
    rows = conn.execute(select(schema.articles.c.document).where(schema.articles.c.id.in_(article_ids)))
    return [search_text(Document.from_dict(row.document)) for row in rows]


def _write_article(conn: Connection, doc: Document, sig: Any,
                   threshold: float) -> tuple[AddResult, dict[str, Any] | None]:
    """The articles row and its band rows, and the document as stored; `duplicate` when the id is
    stored already."""
    art = doc.article
    if conn.execute(_EXISTS, {"id": art.id}).first():
        return AddResult("duplicate", art.id), None
    data = doc.to_dict()
    original = dedupe.find_original(conn, sig, threshold) if sig is not None else None
    result = conn.execute(
        dialect.insert_ignore(conn, schema.articles, ["id"]),
        dict(
            id=art.id, file=art.file, url=art.url, source=art.source, published=art.published,
            headline=art.headline, dateline=art.dateline, language=art.language, text=art.text,
            captions=list(art.captions), document=data, duplicate_of=original,
            minhash=dedupe.to_bytes(sig) if sig is not None else None,
            ingested_at=datetime.now(timezone.utc).isoformat(timespec="microseconds"),
        )
    )
    if result.rowcount == 0:  # stored meanwhile by another writer (no lock on some databases)
        return AddResult("duplicate", art.id), None
    if sig is not None:
        conn.execute(_INSERTS[schema.minhash_bands], dedupe.band_rows(art.id, sig))
    if original is not None:
        return AddResult("near-duplicate", art.id, original), data
    return AddResult("stored", art.id), data


# Statements built once, so SQLAlchemy's compiled cache is hit without rebuilding cache keys.
_INSERTS = {t: insert(t) for t in schema.CHILD_TABLES}
_EXISTS = select(schema.articles.c.id).where(schema.articles.c.id == bindparam("id"))


def _child_rows(doc: Document) -> dict[Any, list[dict[str, Any]]]:
    aid = doc.article.id
    s = schema
    rows: dict[Any, list[dict[str, Any]]] = {t: [] for t in s.CHILD_TABLES}
    for e in doc.entities:
        names = "\n".join(n.lower() for n in [e.name, *e.aliases])
        rows[s.entities].append({
            "article_id": aid, "id": e.id, "type": e.type, "name": e.name, "aliases": list(e.aliases),
            "names_lc": names, "country": e.country, "sector": e.sector, "geo": e.geo,
        })
        rows[s.mentions] += [{"article_id": aid, "entity_id": e.id, "start": m.start, "end": m.end,
                              "text": m.text} for m in e.mentions]
        rows[s.roles] += [{"article_id": aid, "entity_id": e.id, "title": r.title, "of": r.of,
                           "start": r.start, "end": r.end} for r in e.roles]
    for q in doc.quotes:
        rows[s.quotes].append({
            "article_id": aid, "id": q.id, "speaker": q.speaker, "speaker_text": q.speaker_text,
            "cue": q.cue, "kind": q.kind, "text": q.text, "start": q.start, "end": q.end, "stance": q.stance,
        })
    for v in doc.events:
        rows[s.events].append(_event_row(aid, v, doc.article.published))
        rows[s.event_participants] += [{"article_id": aid, "event_id": v.id, "entity_id": x, "role": role}
                                       for role, ids in (("actor", v.actor), ("recipient", v.recipient))
                                       for x in ids]
        rows[s.event_sectors] += [{"article_id": aid, "event_id": v.id, "sector": x} for x in v.sectors]
    return rows  # minhash_bands: written with the article row, see _write_article


def _event_row(aid: str, v: Any, published: str | None) -> dict[str, Any]:
    d = v.date
    when_start, when_end = when({"start": d.start, "end": d.end} if d else None, published)
    return {
        "article_id": aid, "id": v.id, "type": v.type, "mode": v.mode, "location": v.location,
        "date_start": d.start if d else None, "date_end": d.end if d else None,
        "date_text": d.text if d else None, "precision": d.precision if d else None,
        "when_start": when_start, "when_end": when_end,
        "trigger_text": v.trigger.text, "trigger_start": v.trigger.start, "trigger_end": v.trigger.end,
        "sentence_start": v.sentence.start, "sentence_end": v.sentence.end,
        "negated": bool(v.negated), "hypothetical": bool(v.hypothetical), "confidence": v.confidence,
    }

