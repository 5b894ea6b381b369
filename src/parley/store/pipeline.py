"""The opportunity pipeline: each cooperation between two sides in a sector, at the furthest stage
its events show (a stated intent, an MoU or agreement signed, cooperation under way), with the
evidence for every stage.

An event's stage is read from its type, its trigger and its sentence by `resources/opportunity_stages.tsv`.
Events group into one opportunity by their two sides' countries (names where a side has none) and
each sector they name. Reports of one event fold into one piece of evidence: the same story
(`story_reports`, issue 14's cross-article stories), else the same sentence. Pages are cut after
grouping, so the store's candidate events are read whole (one query each; fine at tens of thousands).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..analysis.lemmas import form_table
from ..analysis.lexicon import read_table
from ..filters import STAGES
from . import queries
from .resolved import story_reports
from .schema import articles as A
from .schema import events as V



@dataclass(frozen=True)
class _Rule:
    type: str
    trigger: str
    needs: frozenset[str]
    stage: str


@lru_cache(maxsize=1)
def _rules() -> tuple[_Rule, ...]:
    return tuple(_Rule(r["type"], r["trigger"], frozenset(w for w in r["needs"].split(",") if w), r["stage"])
                 for r in read_table("opportunity_stages.tsv"))


@lru_cache(maxsize=1)
def _trigger_lemmas() -> dict[str, str]:
    """Every written form of the triggers the stage table names, to its lemma."""
    return form_table(frozenset(r.trigger for r in _rules() if r.trigger != "*"))


def stage_of(type_: str, trigger: str, sentence: str, hypothetical: bool = False) -> str | None:
    """The stage an event shows, or None when its type says nothing of an opportunity."""
    lemmas = _trigger_lemmas()
    words = [w.strip(".,;:()\"'“”").lower() for w in trigger.split()]
    lemma = next((lemmas[w] for w in words if w in lemmas), None)
    sentence_words = {w.strip(".,;:()\"'“”’s").lower() for w in sentence.split()}
    for rule in _rules():
        if rule.type != type_ or rule.trigger not in ("*", lemma):
            continue
        if rule.needs and not rule.needs & sentence_words:
            continue
        return "intent" if hypothetical else rule.stage
    return None


def pipeline(conn: Connection, sector: str | None = None, country: str | None = None, stage: str | None = None,
             since: queries.DateLike = None, until: queries.DateLike = None, include_duplicates: bool = False,
             limit: int | None = 100, offset: int = 0) -> list[dict[str, Any]]:
    """Opportunities, the most recently reported first; `stage` keeps those whose furthest stage it is."""
    found = _candidates(conn, sector, country, since, until, include_duplicates)
    groups: dict[tuple[tuple[str, ...], str | None], dict[str, Any]] = {}
    for e in found:
        for sector_id in (e["sectors"] or [None]):
            if sector and sector_id != sector:
                continue
            key = (_sides(e), sector_id)
            group = groups.setdefault(key, {"sides": list(key[0]), "sector": sector_id, "events": []})
            group["events"].append(e)
    rows = [_row(g) for g in groups.values()]
    if stage:
        rows = [r for r in rows if r["stage"] == stage]
    rows.sort(key=lambda r: (r["last_reported"] or "", r["sides"], r["sector"] or ""), reverse=True)
    end = None if limit is None else offset + limit
    return rows[offset:end]


def _candidates(conn: Connection, sector: str | None, country: str | None, since: queries.DateLike,
                until: queries.DateLike, include_duplicates: bool) -> list[dict[str, Any]]:
    """Events of the stage table's types, not negated, each with its stage, parties, story and sentence."""
    types = sorted({r.type for r in _rules()})
    sentence = queries.event_sentence()
    where = [*queries.canonical_only(include_duplicates), *queries.since_clause(V.c.when_end, since),
             *queries.until_clause(V.c.when_start, until), V.c.type.in_(types), V.c.negated.is_(False)]
    if sector:
        where.append(queries.has_sector(sector))
    if country:
        where.append(queries.has_party_from(country))
    q = (select(V, A.c.headline, A.c.published, sentence.label("sentence_text"), story_reports.c.story_id)
         .select_from(V.join(A, A.c.id == V.c.article_id).outerjoin(
             story_reports, (story_reports.c.article_id == V.c.article_id) & (story_reports.c.report == V.c.id)))
         .where(*where))
    found = []
    for r in conn.execute(q):
        e = queries.event_row(r._mapping)
        e["stage"] = stage_of(r.type, r.trigger_text or "", r.sentence_text or "", bool(r.hypothetical))
        if e["stage"] is None:
            continue
        e["sentence"] = (r.sentence_text or "").strip()
        e["story_id"] = r.story_id
        found.append(e)
    queries.add_event_details(conn, found)
    queries.add_country_by_role(conn, found)
    return found


def _sides(e: dict[str, Any]) -> tuple[str, ...]:
    """The two sides, as countries where known, else names: "CHN" and "PAK", or "Acme Corp"."""
    sides = []
    for role in ("actor", "recipient"):
        country = e[f"{role}_country"]
        names = e[f"{role}s"]
        sides.append(country or (names[0] if names else None))
    return tuple(sorted({s for s in sides if s}))


def _row(group: dict[str, Any]) -> dict[str, Any]:
    events = group["events"]
    stages: dict[str, list[dict[str, Any]]] = {s: [] for s in STAGES}
    seen: dict[str, dict[str, Any]] = {}
    for e in sorted(events, key=lambda e: (e["published"] or "", e["article_id"], e["id"])):
        fold = e["story_id"] or " ".join(e["sentence"].lower().split())
        if fold in seen:  # another report of the same event
            seen[fold]["reports"] += 1
            continue
        seen[fold] = evidence = {
            "article_id": e["article_id"], "event_id": e["id"], "type": e["type"], "date": e["date"] or e["when_start"],
            "published": e["published"], "headline": e["headline"], "actors": e["actors"],
            "recipients": e["recipients"], "sentence": e["sentence"], "story_id": e["story_id"], "reports": 1}
        stages[e["stage"]].append(evidence)
    reached = [s for s in STAGES if stages[s]]
    reported = sorted(e["published"] for e in events if e["published"])  # when reported, not when planned
    parties = sorted({n for e in events for n in [*e["actors"], *e["recipients"]]})
    return {"sides": group["sides"], "sector": group["sector"], "stage": reached[-1], "stages": reached,
            "parties": parties, "reports": len(events), "first_reported": reported[0] if reported else None,
            "last_reported": reported[-1] if reported else None, "evidence": stages}


def flat(row: dict[str, Any]) -> dict[str, Any]:
    """The row for a CSV cell grid: `evidence` the furthest stage's sentences joined by " | ", and
    each stage's sentences and articles, instead of the nested `evidence`."""
    out = {k: v for k, v in row.items() if k != "evidence"}
    out["evidence"] = " | ".join(e["sentence"] for e in row["evidence"][row["stage"]])
    for stage in STAGES:
        found = row["evidence"][stage]
        out[f"{stage}_evidence"] = " | ".join(e["sentence"] for e in found)
        out[f"{stage}_articles"] = [e["article_id"] for e in found]
    return out
