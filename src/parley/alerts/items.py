"""A saved search's rows as alert items: one item per story, not per report.

Each listed row (an event, visit, opportunity, quote, story or article) has a unit key and the
reports it stands for ("article|event"). Rows whose reports belong to a story become one item for
that story; rows with none stay items of their own (a quote, an article without events). An
item's `keys` name its story, every report the story holds, and its rows' units: an item counts
as already delivered (or seen) when any of its keys is marked, so a new report of a story already
alerted is not a new alert, even when the story's id changed as it grew (a story's id comes from
its earliest report).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from sqlalchemy import case, func, select, tuple_
from sqlalchemy.engine import Connection

from ..store import resolved, schema

# The web UI's addresses, as `parley.web.urls` writes them (a test holds them equal): importing the
# web package would load FastAPI, seconds for a cron job that only sends alerts.

CHUNK = 500


@dataclass
class Item:
    """One thing to tell about: a story, or a row that belongs to none."""

    key: str  # "story:ID", else the row's unit key
    keys: set[str]
    kind: str
    row: dict[str, Any]  # the first (newest) listed row of the item
    story: dict[str, Any] | None = None  # the story's record
    rows: int = 1
    reports: list[tuple[str, str]] = field(default_factory=list)  # (article, event) of the listed rows


def _unit(kind: str, row: dict[str, Any]) -> tuple[str, list[tuple[str, str]]]:
    """The row's unit key and its (article, event) reports."""
    if kind == "events":
        return f"report:{row['article_id']}|{row['id']}", [(row["article_id"], row["id"])]
    if kind == "visits":
        events = [(row["article_id"], e["id"]) for e in row.get("events", [])]
        first = events[0][1] if events else ""
        return f"visit:{row['article_id']}|{first}", events
    if kind == "opportunities":
        events = [(row["article_id"], e) for e in row.get("_events", [])]
        return f"opportunity:{row['article_id']}|{row.get('trigger') or ''}|{row.get('date') or ''}", events
    if kind == "quotes":
        return f"quote:{row['article_id']}|{row['id']}", []
    if kind == "stories":
        return f"story:{row['id']}", []
    return f"article:{row['id']}", []  # search


def collect(conn: Connection, kind: str, rows: list[dict[str, Any]]) -> list[Item]:
    """The rows (newest first, as listed) as items, one per story."""
    if kind == "opportunities":
        _opportunity_events(conn, rows)
    units = [(_unit(kind, row), row) for row in rows]
    articles = {a for (_, reports), _ in units for a, _ in reports}
    if kind == "search":
        articles |= {row["id"] for row in rows}
    story_of: dict[tuple[str, str], set[str]] = {}  # (article, event) -> its stories (a trip: one a stop)
    by_article: dict[str, set[str]] = {}
    r = resolved.story_reports
    for chunk in _chunks(sorted(articles)):
        for link in conn.execute(select(r).where(r.c.article_id.in_(chunk))):
            story_of.setdefault((link.article_id, link.report.split("@")[0]), set()).add(link.story_id)
            by_article.setdefault(link.article_id, set()).add(link.story_id)
    items: dict[str, Item] = {}
    for (unit, reports), row in units:
        if kind == "stories":
            sids = [row["id"]]
        elif kind == "search":
            sids = sorted(by_article.get(row["id"], ()))
        else:
            sids = sorted({sid for rep in reports for sid in story_of.get(rep, ())})
        key = f"story:{sids[0]}" if sids else unit
        item = items.get(key)
        if item is None:
            item = items[key] = Item(key=key, keys=set(), kind=kind, row=row)
        else:
            item.rows += 1
        item.keys |= {unit, *(f"story:{s}" for s in sids), *(f"report:{a}|{e}" for a, e in reports)}
        item.reports += reports
    _add_stories(conn, items.values())
    return list(items.values())


def _by_story(items: Iterable[Item]) -> dict[str, Item]:
    return {item.key[len("story:"):]: item for item in items if item.key.startswith("story:")}


def _add_stories(conn: Connection, items: Iterable[Item]) -> None:
    """The keys of every report each story item's story holds."""
    by_story = _by_story(items)
    r = resolved.story_reports
    for chunk in _chunks(sorted(by_story)):
        for link in conn.execute(select(r.c.story_id, r.c.article_id, r.c.report).where(r.c.story_id.in_(chunk))):
            by_story[link.story_id].keys.add(f"report:{link.article_id}|{link.report.split('@')[0]}")


def _add_records(conn: Connection, items: Iterable[Item]) -> None:
    """Each story item's record (read only for the items an alert or a page tells about)."""
    by_story = {sid: item for sid, item in _by_story(items).items() if item.story is None}
    s = resolved.stories
    for chunk in _chunks(sorted(by_story)):
        found = conn.execute(select(s.c.id, s.c.record).where(s.c.id.in_(chunk))).all()
        for sid, record in zip([r.id for r in found], resolved.with_names(conn, [resolved._record(r.record) for r in found])):
            by_story[sid].story = record


def _opportunity_events(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """An opportunity row names its article and trigger, not its event: the AGREE events of that
    article with that trigger (`_events`), for its story."""
    v = schema.events
    wanted = {(row["article_id"], row.get("trigger")) for row in rows}
    found: dict[tuple[str, Any], list[str]] = {}
    for chunk in _chunks(sorted({a for a, _ in wanted})):
        q = select(v.c.article_id, v.c.id, v.c.trigger_text).where(v.c.article_id.in_(chunk), v.c.type == "AGREE")
        for e in conn.execute(q):
            found.setdefault((e.article_id, e.trigger_text), []).append(e.id)
    for row in rows:
        row["_events"] = found.get((row["article_id"], row.get("trigger")), [])


def sentences(conn: Connection, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The sentence of each (article, event), read from the article's text by the event's offsets."""
    v, a = schema.events, schema.articles
    length = v.c.sentence_end - v.c.sentence_start
    sentence = func.substr(a.c.text, v.c.sentence_start + 1, case((length > 0, length), else_=0))
    out: dict[tuple[str, str], str] = {}
    for chunk in _chunks(sorted(set(keys))):
        q = (select(v.c.article_id, v.c.id, sentence.label("sentence")).select_from(v.join(a, a.c.id == v.c.article_id))
             .where(tuple_(v.c.article_id, v.c.id).in_(chunk)))
        out.update({(row.article_id, row.id): row.sentence for row in conn.execute(q) if row.sentence})
    return out


def headlines(conn: Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    a = schema.articles
    out: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(sorted(set(ids))):
        q = select(a.c.id, a.c.headline, a.c.published, a.c.url).where(a.c.id.in_(chunk))
        out.update({row.id: dict(row._mapping) for row in conn.execute(q)})
    return out


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(values), CHUNK):
        yield values[i:i + CHUNK]


# --- what an alert says of an item -------------------------------------------------------------

def describe(conn: Connection, items: list[Item], query: str | None = None) -> list[dict[str, Any]]:
    """Each item as an alert lists it: a title, its evidence sentence, its path on the web UI, its
    story (id and how many reports), its article and date."""
    from ..store import snippets as snip
    from ..store.searchquery import parse_query

    _add_records(conn, items)
    events = [rep for item in items for rep in item.reports[:1]]
    said = sentences(conn, events)
    meta = headlines(conn, [i.row.get("article_id") or i.row.get("id") for i in items if i.kind != "stories"])
    marked: dict[str, str] = {}
    if query and items and items[0].kind == "search":
        marked = snip.for_articles(conn, article_ids=[i.row["id"] for i in items], query=parse_query(query))
    return [_describe(item, said, meta, marked) for item in items]


def _describe(item: Item, said: dict, meta: dict, marked: dict) -> dict[str, Any]:
    row, story = item.row, item.story
    article = row.get("article_id") if item.kind != "search" else row.get("id")
    if item.kind == "stories":
        article = None
    evidence = _evidence(item, said, marked)
    first_report = None
    if story is not None:
        reports = [r for r in story.get("reports", []) if not r.get("copy_of")] or story.get("reports", [])
        if evidence is None and reports:
            evidence = reports[0].get("sentence")
        first_report = reports[0] if reports else None
        if article is None and first_report is not None:
            article = first_report.get("article")
    info = meta.get(article or "", {})
    return {
        "id": item.key,
        "kind": item.kind,
        "title": _title(item, info),
        "evidence": " ".join(evidence.split()) if evidence else None,
        "path": _path(item, article),
        "story": story["id"] if story else None,
        "reports": len(story["reports"]) if story else None,
        "article_id": article,
        "published": info.get("published") or (first_report or {}).get("published") or row.get("published"),
        "headline": info.get("headline"),
    }


def _evidence(item: Item, said: dict, marked: dict) -> str | None:
    row = item.row
    if item.kind in ("visits", "opportunities"):
        return row.get("evidence")
    if item.kind == "quotes":
        return row.get("text")
    if item.kind == "search":
        text = marked.get(row["id"]) or row.get("snippet")
        return text.replace("[", "").replace("]", "") if text else None
    if item.reports:
        return said.get(item.reports[0])
    return None


def _title(item: Item, info: dict[str, Any]) -> str:
    row, story = item.row, item.story
    if story is not None:
        line = resolved.story_row(story)
        who = ", ".join(line["participants"][:4]) or "?"
        where = f" at {', '.join(line['place'][:2])}" if line["place"] else ""
        n = line["reports"]
        return f"{line['type']}: {who}{where} ({n} report{'s' * (n != 1)} from {line['outlets']} outlet" \
               f"{'s' * (line['outlets'] != 1)})"
    if item.kind == "quotes":
        return f"{row.get('speaker') or row.get('speaker_text') or '?'} ({row.get('cue') or 'said'})"
    if item.kind == "events":
        return f"{row['type']}: {', '.join(row.get('actors', [])) or '?'} → {', '.join(row.get('recipients', [])) or '?'}"
    if item.kind == "visits":
        return f"{row.get('kind', 'visit')}: {', '.join(row.get('visitors', [])) or '?'}"
    if item.kind == "opportunities":
        return f"AGREE: {', '.join(row.get('actor', [])) or '?'} → {', '.join(row.get('recipient', [])) or '?'}"
    return info.get("headline") or row.get("headline") or row.get("id", "?")


def _path(item: Item, article: str | None) -> str:
    if item.story is not None:
        return f"/stories/{quote(item.story['id'], safe='')}"
    row = item.row
    if item.kind == "events":
        return f"/articles/{quote(row['article_id'], safe='')}/events/{quote(row['id'], safe='')}"
    if item.kind == "quotes":
        return f"/articles/{quote(row['article_id'], safe='')}/quotes/{quote(row['id'], safe='')}"
    return f"/articles/{quote(article or row.get('article_id') or row.get('id', ''), safe='')}"
