"""Stories and identities kept in the store, resolved incrementally: the `parley resolve` pass.

A pass takes the stored articles it has not seen (`resolve_done`) and re-resolves only the part of
the store they can change, found by blocking keys (`store/resolved.py`):

1. identities: the new articles' name keys (a person's surname, a body's name, a place's gazetteer
   key; a user's merge adds the other side's keys). A body or place is made by its key alone (its
   id comes from the key), so a new mention is added to its sums and stored as a row, without
   reading its other mentions (`keyed`). A new person is added from stored rows when it cannot
   move another mention (`quick`: its full name is stored, or related to no stored name of its
   block, surname + initial; no bare surname can change sides); else around the new articles'
   dates (`window`: bare surnames from the mentions near them, spelling variants from their
   names' own mentions, `variants`); else every joining rule needs a surname in common, so the
   surname's identities are rebuilt whole from the stored people of the articles that carry it,
   and no other identity changes;
2. stories: the reports of the articles whose people changed identity, and every report that
   shares a block with one of them (an identity or a signing's country, and a week the event
   window reaches; an undated report meets all of its identity's), widened to the whole stored
   stories they are in. Those stories are rebuilt; the rest stay. In an article with a signing
   and a visit, the stored story of the one left out is read as it is and only the link of a
   signing to its visit is computed again. Only the sent-back articles' reports get new blocks,
   and only theirs are made from their documents: the other reports of the stories rebuilt are
   read as stored (`report_rows`: an article's reports change only when it is sent back; one
   not stored yet, in a store resolved before those rows, is made and stored).

So the cost of an article is the size of its blocks (its identities' weeks; a surname's articles
only when it goes the long way), not of the store. Ids come from the content (a person's earliest member, a story's smallest report key), so the result does not
depend on the order articles came in, or on how many runs brought them; a pass over nothing new
changes nothing (idempotent), and each chunk commits alone, so a pass cut short resumes
where it stopped. `full=True` forgets the stored result and resolves everything at once.

Why a pass after the writer and not inside its transaction: the writer's batches are small and
hold the write lock; resolution reads across the store and would lengthen every batch, and the
Ray path's `parley load` and a local ingest then get the same result from the same pass. `parley
ingest` and `parley load` run the pass when they finish; `parley resolve` runs it by hand.
Corrections (`merge`, `split`) are stored by mention keys and applied after every resolution.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import replace
from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from ..document import Document
from ..errors import StoreError
from ..store import pipeline_groups, schema
from ..store import resolved as T
from . import add_copies, collector, country, keyed, quick, report_rows, story_record, window
from .identities import (
    Identity,
    _display,
    _id,
    name_key,
    resolve_identities,
)
from .mentions import AGENT_TYPES, Local, local_from, local_to, locals_of
from .reports import Report, place_names
from .stories import blocks, cluster_reports, family, lookups, part_of, story_id

CHUNK = 2000  # new articles per transaction
_IN = 500  # values per IN (...) list


def resolve_pending(conn: Connection, full: bool = False, limit: int | None = None) -> int:
    """Resolve up to `limit` stored articles not yet resolved (all when None); returns how many.
    Runs in the caller's transaction. A store resolved by a version that kept its story blocks
    otherwise (no `LAYOUT` row) is resolved again from nothing, once. On a pass of at most
    `CHUNK` articles, the cyclic garbage collector waits for the pass to end (`collector`: what
    it holds back is bounded by the pass)."""
    report_rows.ensure(conn)
    if not full and _outdated(conn):
        full = True
    if full:
        for table in T.TABLES:
            conn.execute(delete(table))
        report_rows.clear(conn)
    a, done = schema.articles, T.resolve_done
    q = (select(a.c.id).outerjoin(done, done.c.article_id == a.c.id).where(done.c.article_id.is_(None))
         .order_by(a.c.id))
    if limit is not None:
        q = q.limit(limit)
    new = list(conn.execute(q).scalars())
    if new and conn.execute(select(done.c.article_id).limit(1)).first() is None:
        if not full:  # resolved from nothing: no row another version or a hand left may clash
            for table in T.TABLES:
                conn.execute(delete(table))
        quick.mark(conn)  # resolved from nothing by this code: the name rows will be complete
        if not _has_layout(conn):
            conn.execute(insert(T.resolve_keys), [{"key": LAYOUT, "article_id": ""}])
    region = _Region(conn)
    quick.forget()
    with collector.paused() if len(new) <= CHUNK else nullcontext():
        try:
            if new:
                region.run(new)
            if new or full:  # the pipeline's sums follow the stories (store/pipeline_groups.py): those the pass wrote
                pipeline_groups.sync_stories(conn, None if full else region.storied)
        finally:
            quick.forget()  # what the pass kept serves it alone: freed before the collector looks
    return len(new)


def store_reports(conn: Connection, limit: int = CHUNK) -> int:
    """Make and store the reports (`report_rows`) of up to `limit` resolved articles that have
    none (a store resolved before the rows existed); returns how many. A pass makes them as it
    needs them anyway; this fills them ahead, so the first passes need not."""
    report_rows.ensure(conn)
    a, done, t = schema.articles, T.resolve_done, report_rows.resolve_reports
    q = (select(done.c.article_id).join(a, a.c.id == done.c.article_id)
         .outerjoin(t, t.c.article_id == done.c.article_id)
         .where(t.c.article_id.is_(None), a.c.duplicate_of.is_(None)).order_by(done.c.article_id).limit(limit))
    ids = set(conn.execute(q).scalars())
    region = _Region(conn)
    region._load(ids)
    ident, countries = region._participants(ids)
    region._reports(ids, ident, countries, region._known_places())
    report_rows.write(conn, region.remade)
    return len(ids)


LAYOUT = "v:blocks6"  # story blocks by `stories.blocks` (pairs of keys too); people's ids from their earliest
# member; a body's country in a report from its article (`reports._homes`); an identity's country on a
# tie the one given first (`keyed.home`), its tally's sums keeping each country's first mention


def _outdated(conn: Connection) -> bool:
    """Some article is resolved, but not with this layout of story blocks."""
    done = T.resolve_done
    if conn.execute(select(done.c.article_id).limit(1)).first() is None:
        return False
    return not _has_layout(conn)


def _has_layout(conn: Connection) -> bool:
    k = T.resolve_keys
    return conn.execute(select(k.c.key).where(k.c.key == LAYOUT, k.c.article_id == "")).first() is not None


block_key = name_key  # the name key an identity of a mention is found under


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    values = sorted(set(values))
    for i in range(0, len(values), _IN):
        yield values[i:i + _IN]


class _Region:
    """One pass over a set of new articles (module docstring)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.docs: dict[str, Document] = {}
        self.dup: dict[str, str | None] = {}
        self.made: dict[str, list[Report]] = {}  # an article's reports, once its identities are settled
        self.sectors: dict[tuple[str, str], list[str]] = {}  # (article, event) -> the event's sectors
        self.remade: dict[str, tuple[list[Report], dict[str, list[str]]]] = {}  # made from documents: to store
        self.present: set[str] = set()  # articles known to be stored (`_know`)
        self.storied: set[str] = set()  # articles whose `story_reports` rows were rewritten (`_write_stories`)
        self.corrections = [dict(r._mapping) for r in conn.execute(
            select(T.resolve_corrections).order_by(T.resolve_corrections.c.id))]

    # --- reading ---------------------------------------------------------------------------------

    def _load(self, ids: Iterable[str]) -> None:
        a = schema.articles
        for chunk in _chunks(i for i in ids if i not in self.docs):
            for row in self.conn.execute(select(a.c.id, a.c.duplicate_of, a.c.document).where(a.c.id.in_(chunk))):
                self.docs[row.id] = Document.from_dict(row.document)
                self.dup[row.id] = row.duplicate_of
                self.present.add(row.id)

    def _know(self, ids: Iterable[str]) -> None:
        """Which of these articles are stored, and which article each copies, without their documents."""
        a = schema.articles
        for chunk in _chunks(i for i in ids if i not in self.present):
            for row in self.conn.execute(select(a.c.id, a.c.duplicate_of).where(a.c.id.in_(chunk))):
                self.dup[row.id] = row.duplicate_of
                self.present.add(row.id)

    def _articles_with(self, keys: Iterable[str]) -> set[str]:
        k = T.resolve_keys
        out: set[str] = set()
        for chunk in _chunks(keys):
            out |= set(self.conn.execute(select(k.c.article_id).where(k.c.key.in_(chunk))).scalars())
        return out - {""}

    def _copies_of(self, ids: Iterable[str]) -> dict[str, str]:
        a = schema.articles
        out: dict[str, str] = {}
        for chunk in _chunks(ids):
            out |= dict(self.conn.execute(select(a.c.id, a.c.duplicate_of).where(a.c.duplicate_of.in_(chunk))).all())
        return out

    def _original(self, aid: str) -> str:
        return self.dup.get(aid) or aid

    # --- the pass --------------------------------------------------------------------------------

    def run(self, new: list[str]) -> None:
        self._load(new)
        fresh = sorted({self._original(i) for i in new})  # a new copy re-resolves its original
        self._load(fresh)
        fresh = [i for i in fresh if i in self.docs]
        locals_new = {i: locals_of(self.docs[i]) for i in fresh}
        self.locals_new = locals_new
        keys = {block_key(p) for ps in locals_new.values() for p in ps}
        keys = self._corrected_keys(keys)
        known = self._known_places()
        new_places = place_names([self.docs[i] for i in fresh]) - known
        changed = self._identities(keys, set(fresh)) | set(fresh)
        changed |= self._articles_with("n:" + n for n in new_places)
        self._stories(changed, known | new_places)
        self._mark(new, locals_new, new_places)

    def _corrected_keys(self, keys: set[str]) -> set[str]:
        """The keys, with the other side's keys of every correction that touches one of them."""
        while True:
            more = set(keys)
            for c in self.corrections:
                blocks = set(c["keys"].get("blocks", []))
                if blocks & keys:
                    more |= blocks
            if more == keys:
                return keys
            keys = more

    def _known_places(self) -> frozenset[str]:
        k = T.resolve_keys
        rows = self.conn.execute(select(k.c.key).where(k.c.article_id == "", k.c.key.startswith("pn:")))
        return frozenset(key[3:] for key in rows.scalars())

    def _identities(self, keys: set[str], fresh: set[str]) -> set[str]:
        """Rebuild the identities of `keys`; returns the articles whose entities changed identity.
        People are re-resolved from every article of their surnames (context decides); a body or
        place is made by its name key alone, so new mentions are added to it."""
        people = {k for k in keys if k.startswith("n:")}
        mine = {a: ps for a, ps in self.locals_new.items() if a in fresh}
        not_new = self._not_new(set(mine))
        todo = quick.plan(self.conn, people, mine, not_new, self.corrections)
        near = window.select_keys(self.conn, people - todo.keys, mine, not_new, self.corrections)
        changed = self._people(people - todo.keys - near.keys, fresh)
        changed |= quick.write(self.conn, todo, fresh, _person_row)
        moved, refused = window.apply(self.conn, near, mine, _person_row)
        changed |= moved | self._people(refused, fresh)
        return changed | self._keyed(keys - people, fresh)

    def _not_new(self, ids: set[str]) -> set[str]:
        """Of these articles, those the quick path cannot take: resolved before (a correction or a
        new copy brings them back), copies, and originals with copies."""
        m = T.identity_mentions
        out = {i for i in ids if self.dup.get(i)} | set(self._copies_of(ids).values())
        for chunk in _chunks(ids):
            out |= set(self.conn.execute(select(m.c.article_id).where(m.c.article_id.in_(chunk)).distinct()).scalars())
        return out

    def _stored_people(self, ids: list[str], fresh: set[str]) -> list[Local]:
        """The people of the articles: from `resolve_people`, the fresh ones' from their documents."""
        out = [p for i in ids if i in fresh for p in locals_of(self.docs[i]) if p.type == "PERSON"]
        rp = T.resolve_people
        for chunk in _chunks(i for i in ids if i not in fresh):
            for row in self.conn.execute(select(rp.c.people).where(rp.c.article_id.in_(chunk))):
                out += [local_from(x) for x in T._record(row.people)]
        return sorted(out, key=lambda p: p.key)

    def _people(self, keys: set[str], fresh: set[str]) -> set[str]:
        if not keys:
            return set()
        region = sorted(self._articles_with(keys) | fresh)
        fresh = {i for i in fresh if i in self.docs and not self.dup.get(i)}
        copies = self._copies_of(region)
        self._load(copies)
        people = self._stored_people(region, fresh)
        found, _ = resolve_identities(people)
        found = [ident for ident in found if block_key(ident.members[0]) in keys]
        found = apply_identity_corrections(found, self.corrections)
        add_copies([self.docs[c] for c in sorted(copies)], copies, found, {})
        m = T.identity_mentions
        old: dict[tuple[str, str], str] = {}
        for chunk in _chunks([*region, *copies]):
            old |= {(r.article_id, r.entity_id): r.identity_id
                    for r in self.conn.execute(select(m).where(m.c.article_id.in_(chunk)))}
        mine = {(p.article, e): block_key(p) for p in people for e in p.entities}
        for c, orig in copies.items():
            mine |= {(c, e): k for (a, e), k in list(mine.items()) if a == orig}
        gone = {ident for pair, ident in old.items() if mine.get(pair) in keys}
        new = {(p.article, e): ident.id for ident in found for p in ident.members for e in p.entities}
        shown: dict[str, str] = {}  # what reports carry of an identity: its country
        for chunk in _chunks(gone):
            shown |= {r.id: r.country or "" for r in self.conn.execute(
                select(T.identities.c.id, T.identities.c.country).where(T.identities.c.id.in_(chunk)))}
        moved_home = {a for i in found if i.id in shown and shown[i.id] != _shown(i)
                      for a in report_rows.naming(self.conn, i.id, {p.article for p in i.members})}
        kept = _unchanged(found, old, gone, fresh)
        for chunk in _chunks(gone - kept):
            self.conn.execute(delete(T.identities).where(T.identities.c.id.in_(chunk)))
            self.conn.execute(delete(m).where(m.c.identity_id.in_(chunk)))
            self.conn.execute(delete(T.identity_parts).where(T.identity_parts.c.identity_id.in_(chunk)))
        for a, e in sorted(pair for pair in new if pair in old and old[pair] not in gone):
            self.conn.execute(delete(m).where(m.c.article_id == a, m.c.entity_id == e))  # none, as keys go
        if made := [_identity_row(i) for i in found if i.id not in kept]:
            self.conn.execute(insert(T.identities), [row for row, _ in made])
            self.conn.execute(insert(T.identity_parts), [part for _, parts in made for part in parts])
            self.conn.execute(insert(m), [{"article_id": a, "entity_id": e, "identity_id": i}
                                          for (a, e), i in sorted(new.items()) if i not in kept])
        moved = {pair for pair in set(old) | set(new) if mine.get(pair) in keys and old.get(pair) != new.get(pair)}
        return {self._original(a) for a, _ in moved} | {self._original(a) for a in moved_home}

    def _keyed(self, keys: set[str], fresh: set[str]) -> set[str]:
        """Add the fresh articles' bodies and places (and their copies') to the identities their
        name keys make, taking out what an earlier pass stored for those articles; returns the
        articles of an identity whose id changed (its smallest member is new), and of the reports a
        body whose name or country changed takes part in (its stories show them; its reports'
        countries read them)."""
        if not keys:
            return set()
        fresh = {i for i in fresh if i in self.docs and not self.dup.get(i)}
        copies = self._copies_of(fresh)
        self._load(copies)
        redo = fresh | set(copies)
        by_key: dict[str, Identity] = {}
        for i in sorted(fresh):
            for p in locals_of(self.docs[i]):
                if p.type != "PERSON" and block_key(p) in keys:
                    by_key.setdefault(block_key(p), Identity("", p.type, "", [])).members.append(p)
        add_copies([self.docs[c] for c in sorted(copies)], copies, list(by_key.values()), {})
        i, m = T.identities, T.identity_mentions
        stored: dict[str, Any] = {}
        for chunk in _chunks(keys):
            stored |= {r.block: r for r in self.conn.execute(select(i).where(i.c.block.in_(chunk)))}
        held: set[str] = set()  # the stored identities with a member in a `redo` article (to take out)
        for chunk in _chunks(redo):
            held |= set(self.conn.execute(select(m.c.identity_id).where(m.c.article_id.in_(chunk))).scalars())
        changed: set[str] = set()
        rows, links, parts = [], [], []
        for key in sorted(set(by_key) | set(stored)):
            old = stored.get(key)
            news = by_key[key].members if key in by_key else []
            row = self._keyed_row(key, old, news, redo, whole=old is not None and old.id not in held)
            if old is not None:
                self.conn.execute(delete(i).where(i.c.id == old.id))
                for chunk in _chunks(redo):
                    self.conn.execute(delete(m).where(m.c.identity_id == old.id, m.c.article_id.in_(chunk)))
                if row is None or row["id"] != old.id:
                    moved = set(self.conn.execute(select(m.c.article_id).where(m.c.identity_id == old.id)).scalars())
                    changed |= {self._original(a) for a in moved}
                elif old.type in AGENT_TYPES and row["country"] != old.country:
                    # the reports it takes part in carry its country where the article gives it
                    # none (`reports._homes`): those articles, not every one that names it (a
                    # ministry named in thousands flips on a tie of countries). Its name they do
                    # not carry: a stored story reads it as it is read (`resolved.with_names`).
                    part = {self._original(r.split("|", 1)[0]) for r in self._articles_with({"b:a:p:" + old.id})}
                    if part:  # (`_homeless` reads every part of the body)
                        changed |= part & self._homeless(old.id, news)
                    if row is not None:
                        self.conn.execute(m.update().where(m.c.identity_id == old.id).values(identity_id=row["id"]))
                    else:
                        self.conn.execute(delete(m).where(m.c.identity_id == old.id))
                if row is None:
                    self.conn.execute(delete(T.identity_parts).where(T.identity_parts.c.identity_id == old.id))
            if row is not None:
                rows.append(row)
                links += [{"article_id": p.article, "entity_id": e, "identity_id": row["id"]}
                          for p in news for e in p.entities]
                parts += [keyed.part_row(row["id"], p) for p in news]
        if rows:
            self.conn.execute(insert(i), rows)
        if links:
            self.conn.execute(insert(m), links)
        if parts:
            self.conn.execute(insert(T.identity_parts), parts)
        return changed

    def _keyed_row(self, key: str, old: Any, news: list[Local], redo: set[str], whole: bool) -> dict | None:
        """The identities row of the body or place of `key` (`keyed`): the stored one (`old`) with
        its members of `redo` articles taken out and `news` added. `whole`: it holds no member of
        a `redo` article, so its sums are added to; else they are made again from its parts
        (whose rows of `redo` articles are deleted here)."""
        t = T.identity_parts
        if old is not None and not keyed.is_parted(old.tally):  # stored whole, before `identity_parts`
            tally, rows = keyed.from_record(old.id, T._record(old.record), T._record(old.tally))
            if rows:
                self.conn.execute(insert(t), rows)
            old = SimpleNamespace(id=old.id, tally=tally, record=T._record(old.record))
        added = [(p.article, keyed.member(p)) for p in news]
        names = {n for p in news for n in p.names}
        if whole:
            return keyed.row(key, keyed.add(T._record(old.tally), added), set(T._record(old.record)["names"]) | names)
        kept = []
        if old is None:  # none stored; nor parts, unless a row was removed by hand
            self.conn.execute(delete(t).where(t.c.identity_id == keyed.keyed_id(key)))
        else:
            for chunk in _chunks(redo):
                self.conn.execute(delete(t).where(t.c.identity_id == old.id, t.c.article_id.in_(chunk)))
            for r in self.conn.execute(select(t.c.article_id, t.c.member, t.c.mention).where(t.c.identity_id == old.id)):
                kept.append((r.article_id, T._record(r.member)))
                names |= set(T._record(r.mention)["names"])
        return keyed.row(key, keyed.summarise(kept + added), names)

    def _homeless(self, ident: str, news: list[Local]) -> set[str]:
        """The articles where the body `ident` (its stored parts and `news`) has a mention with no
        country of its own."""
        t = T.identity_parts
        stored = {r.article_id for r in self.conn.execute(select(t.c.article_id, t.c.member).where(t.c.identity_id == ident))
                  if not T._record(r.member)[1]}
        return stored | {p.article for p in news if not p.country}

    def _stories(self, changed: set[str], known: frozenset[str]) -> None:
        """Rebuild the stories the `changed` articles' reports can be part of: their reports, the
        reports that share a block with them, the whole stored stories of those; in an article
        with a signing and a visit among them, the other one's stored story is kept as it is and
        takes part only in linking signings to visits (`stories.part_of`)."""
        self._load(changed)
        changed = {i for i in changed if i in self.docs and not self.dup.get(i)}
        ident, countries = self._participants(changed)
        reports = self._reports(changed, ident, countries, known)
        redone = list(reports)  # the only reports whose blocks can differ from the stored ones
        region = self._whole_stories({report_key(r) for r in reports} | self._articles_with(_lookups(reports)))
        reports = self._region_reports(region, known)
        families: dict[str, set[str]] = defaultdict(set)
        for r in reports:
            if report_key(r) in region and r.family in ("consult", "signing"):
                families[r.article].add(r.family)
        extra = {report_key(r) for r in reports if r.family in ("consult", "signing")
                 and families[r.article] - {r.family}} - region
        kept: dict[str, list[Report]] = {}  # the stored stories of `extra`: only their link can change
        if extra:
            outer = self._whole_stories(set(extra))
            kept = self._stored_stories(outer, known) if not outer & region else {}
            if kept is None or outer & region:  # tied to the region by a correction, or unreadable
                kept = {}
                region = self._whole_stories(region | outer)
                reports = self._region_reports(region, known)
        reports = [r for r in reports if report_key(r) in region]
        groups = apply_story_corrections(cluster_reports(reports), self.corrections)
        stories = {story_id(g): g for g in groups}
        arts = {r.article for r in reports}
        copies = self._copies_of(arts)
        self._load(copies)
        add_copies([self.docs[c] for c in sorted(copies)], copies, [], stories)
        parts = part_of({**self._visits_beside(kept, stories, region, known), **kept, **stories})
        self._write_stories(region, arts | set(copies), stories, parts)
        self._relink(kept, parts)
        # a report of another article is what it was (its article, its people's identities and
        # their countries, the known places: a change to any sends its article back), so its blocks are
        k = T.resolve_keys
        mine = {report_key(r) for r in redone}
        for chunk in _chunks(mine):
            self.conn.execute(delete(k).where(k.c.article_id.in_(chunk), k.c.key.startswith("b:")))
        rows = {(b, report_key(r)) for r in redone for b in _blocks(r)}
        if rows:
            self.conn.execute(insert(k), [{"key": b, "article_id": a} for b, a in sorted(rows)])
        report_rows.write(self.conn, self.remade)

    def _region_reports(self, region: set[str], known: frozenset[str]) -> list[Report]:
        """Every report of the articles that `region` (report keys) names: as stored
        (`report_rows`) where nothing sent the article back, else made from its document."""
        self._know(k.split("|", 1)[0] for k in region)
        arts = {self._original(k.split("|", 1)[0]) for k in region}
        self._know(arts)
        arts = {a for a in arts if a in self.present and not self.dup.get(a)}
        todo = {a for a in arts if a not in self.made}  # identities do not change while stories are made
        for a, (reports, sectors) in report_rows.read(self.conn, todo).items():
            self.made[a] = reports
            self.sectors |= {(a, e): s for e, s in sectors.items()}
        todo -= set(self.made)
        self._load(todo)
        ident, countries = self._participants(todo)
        self._reports(todo, ident, countries, known)
        return [r for a in sorted(arts) for r in self.made[a]]

    def _stored_stories(self, keys: set[str], known: frozenset[str]) -> dict[str, list[Report]] | None:
        """The stored stories that hold the report keys `keys` (whole stories), as their reports
        (a copy's as its original's, under the copy's article), by story id; None when a stored
        report is not made again (then they are clustered again with the region)."""
        self._know(k.split("|", 1)[0] for k in keys)  # copies too: which article each copies
        reports = {report_key(r): r for r in self._region_reports(keys, known)}
        r = T.story_reports
        out: dict[str, list[Report]] = defaultdict(list)
        for chunk in _chunks({k.split("|", 1)[0] for k in keys}):
            for row in self.conn.execute(select(r).where(r.c.article_id.in_(chunk))):
                key = f"{row.article_id}|{row.report}"
                if key not in keys:
                    continue
                original = self._original(row.article_id)
                found = reports.get(f"{original}|{row.report}")
                if found is None:
                    return None
                copy = original != row.article_id
                out[row.story_id].append(replace(found, article=row.article_id, copy_of=original) if copy else found)
        return {sid: sorted(g, key=lambda x: (x.article, x.key)) for sid, g in out.items()}

    def _visits_beside(self, kept: dict[str, list[Report]], stories: dict[str, list[Report]], region: set[str],
                       known: frozenset[str]) -> dict[str, list[Report]]:
        """The stored visit and meeting stories with a report in an article of a kept signing
        story that the pass neither makes again nor keeps: `part_of` reads every visit of a
        signing's articles, and a kept signing's other articles need not be in the pass. As
        stored (their reports are not the pass's); none when one cannot be read again."""
        arts = {r.article for g in kept.values() if family(g) == "signing" for r in g}
        if not arts:
            return {}
        have = region | {report_key(r) for g in (*kept.values(), *stories.values()) for r in g}
        t = T.story_reports
        keys: set[str] = set()
        for chunk in _chunks(arts):
            keys |= {f"{row.article_id}|{row.report}" for row in self.conn.execute(
                select(t.c.article_id, t.c.report).where(t.c.article_id.in_(chunk)))}
        if not (keys := keys - have):
            return {}
        found = self._stored_stories(self._whole_stories(keys), known) or {}
        return {sid: g for sid, g in found.items() if family(g) == "consult" and sid not in kept and sid not in stories}

    def _relink(self, kept: dict[str, list[Report]], parts: dict[str, str]) -> None:
        """Store the visit each kept signing story is part of, where it changed."""
        s = T.stories
        signings = [sid for sid, g in kept.items() if family(g) == "signing"]
        for chunk in _chunks(signings):
            for row in self.conn.execute(select(s.c.id, s.c.part_of, s.c.record).where(s.c.id.in_(chunk))):
                if row.part_of != parts.get(row.id, ""):
                    record = {**T._record(row.record), "part_of": parts.get(row.id)}
                    self.conn.execute(s.update().where(s.c.id == row.id).values(part_of=record["part_of"] or "",
                                                                                record=record))

    def _whole_stories(self, region: set[str]) -> set[str]:
        """`region` (report keys) with every report of every stored story that holds one of them
        (and of a story correction that names one), until nothing more comes in."""
        r = T.story_reports
        todo = set(region)
        while todo:
            sids: set[str] = set()
            for chunk in _chunks({k.split("|", 1)[0] for k in todo}):
                sids |= {row.story_id for row in self.conn.execute(select(r).where(r.c.article_id.in_(chunk)))
                         if f"{row.article_id}|{row.report}" in todo}
            more: set[str] = set()
            for chunk in _chunks(sids):
                more |= {f"{row.article_id}|{row.report}" for row in self.conn.execute(
                    select(r.c.article_id, r.c.report).where(r.c.story_id.in_(chunk)))}
            for c in self.corrections:  # a story correction's reports are resolved together
                keys = set(c["keys"].get("mentions", [])) if c["target"] == "story" else set()
                if keys & (region | more):
                    more |= keys
            todo = more - region
            region |= todo
        return region

    def _participants(self, ids: set[str]) -> tuple[dict[str, str], dict[str, str | None]]:
        """"article#entity" -> identity id for the people and bodies of the articles, and each
        identity's country, as stored now."""
        m, i = T.identity_mentions, T.identities
        ident: dict[str, str] = {}
        for chunk in _chunks(ids):
            q = (select(m.c.article_id, m.c.entity_id, m.c.identity_id, i.c.type)
                 .join(i, i.c.id == m.c.identity_id).where(m.c.article_id.in_(chunk)))
            ident |= {f"{r.article_id}#{r.entity_id}": r.identity_id for r in self.conn.execute(q)
                      if r.type in AGENT_TYPES}
        countries: dict[str, str | None] = {}
        for chunk in _chunks(set(ident.values())):
            countries |= {r.id: r.country or None for r in self.conn.execute(
                select(i.c.id, i.c.country).where(i.c.id.in_(chunk)))}
        return ident, countries

    def _reports(self, ids: set[str], ident: dict[str, str], countries: dict, known: frozenset[str]) -> list[Report]:
        from .reports import dateline_report, reports_of

        out: list[Report] = []
        for i in sorted(ids):
            if i not in self.made:
                self.made[i] = reports_of(self.docs[i], ident, countries, known)
                if (r := dateline_report(self.docs[i], ident)) is not None:
                    self.made[i].append(r)
                sectors = {e.id: list(e.sectors) for e in self.docs[i].events}
                self.sectors |= {(i, e): v for e, v in sectors.items()}
                self.remade[i] = (self.made[i], sectors)
            out += self.made[i]
        return out

    def _write_stories(self, region: set[str], arts: set[str], stories: dict[str, list[Report]],
                       parts: dict[str, str]) -> None:
        """Replace the stored stories that hold a report of `region` (report keys, of `arts`);
        `parts` gives each signing story's visit (`stories.part_of`). A story stored already as
        it would be written (its row and its reports) is left as it is: most stories of a region
        come out as they were, and rewriting them was most of the writing, and sent every event
        of theirs to `sync_stories` to be compared."""
        r, s, f = T.story_reports, T.stories, T.story_facets
        old: set[str] = set()
        for chunk in _chunks(arts):
            old |= {row.story_id for row in self.conn.execute(select(r).where(r.c.article_id.in_(chunk)))
                    if f"{row.article_id}|{row.report}" in region}
        rows: dict[str, dict] = {}
        links: dict[str, list[dict]] = {}
        if stories:
            sectors = self.sectors | {(d.article.id, e.id): e.sectors for d in self.docs.values() for e in d.events}
            for sid in sorted(stories):
                group = stories[sid]
                record = story_record(sid, group, None, parts.get(sid))
                record["sectors"] = sorted({x for rep in group for x in sectors.get((rep.article, rep.event), [])})
                record["countries"] = sorted({c for rep in group for c in rep.countries})
                rows[sid] = _story_row(record)
                links[sid] = [{"article_id": rep.article, "report": rep.key[1], "story_id": sid} for rep in group]
        kept = self._stored_as(old & set(rows), rows, links)
        for chunk in _chunks((old | set(stories)) - kept):  # (a story id of a row removed by hand may be stale)
            self.storied |= set(self.conn.execute(select(r.c.article_id).where(r.c.story_id.in_(chunk))).scalars())
            self.conn.execute(delete(s).where(s.c.id.in_(chunk)))
            self.conn.execute(delete(r).where(r.c.story_id.in_(chunk)))
            self.conn.execute(delete(f).where(f.c.story_id.in_(chunk)))
        todo = [sid for sid in sorted(rows) if sid not in kept]
        if not todo:
            return
        self.storied |= {x["article_id"] for sid in todo for x in links[sid]}
        self.conn.execute(insert(s), [rows[sid] for sid in todo])
        self.conn.execute(insert(r), [x for sid in todo for x in links[sid]])
        facets = T.facet_rows([(sid, rows[sid]["countries"].split(), rows[sid]["sectors"].split()) for sid in todo])
        if facets:
            self.conn.execute(insert(f), facets)

    def _stored_as(self, ids: set[str], rows: dict[str, dict], links: dict[str, list[dict]]) -> set[str]:
        """Of the stories `ids`, those stored with these very reports and this very row (the record
        as JSON gives it back): nothing of theirs to write."""
        r, s = T.story_reports, T.stories
        stored: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for chunk in _chunks(ids):
            for row in self.conn.execute(select(r).where(r.c.story_id.in_(chunk))):
                stored[row.story_id].add((row.article_id, row.report))
        same = {sid for sid in ids if stored.get(sid) == {(x["article_id"], x["report"]) for x in links[sid]}
                and len(links[sid]) == len(stored[sid])}
        out: set[str] = set()
        for chunk in _chunks(same):
            for row in self.conn.execute(select(s).where(s.c.id.in_(chunk))):
                found = dict(row._mapping)
                found["record"] = T._record(found["record"])
                want = {**rows[row.id], "record": json.loads(json.dumps(rows[row.id]["record"]))}
                if found == want:
                    out.add(row.id)
        return out

    def _mark(self, new: list[str], locals_new: dict[str, list[Local]], places: frozenset[str]) -> None:
        k, done = T.resolve_keys, T.resolve_done
        have = self._stored_name_keys(locals_new)
        bare = {quick.name_rows(p) for ps in locals_new.values() for p in ps if p.type == "PERSON" and p.parsed.single}
        days = {quick.day_row(p) for ps in locals_new.values() for p in ps if p.type == "PERSON"}
        rows = sorted(({(block_key(p), a) for a, ps in locals_new.items() for p in ps} | bare | days) - have)
        rows += [("pn:" + n, "") for n in sorted(places)]
        rows += self._new_names(locals_new)
        if rows:
            self.conn.execute(insert(k), [{"key": key, "article_id": a} for key, a in rows])
        rp = T.resolve_people
        for chunk in _chunks(locals_new):
            self.conn.execute(delete(rp).where(rp.c.article_id.in_(chunk)))
        if locals_new:
            self.conn.execute(insert(rp), [{"article_id": a, "people": [local_to(p) for p in ps if p.type == "PERSON"]}
                                           for a, ps in sorted(locals_new.items())])
        have_done: set[str] = set()
        for chunk in _chunks(new):
            have_done |= set(self.conn.execute(select(done.c.article_id).where(done.c.article_id.in_(chunk))).scalars())
        rest = sorted(set(new) - have_done)
        if rest:
            self.conn.execute(insert(done), [{"article_id": a} for a in rest])

    def _new_names(self, locals_new: dict[str, list[Local]]) -> list[tuple[str, str]]:
        """The full names of these people that their blocks lack, as `resolve_keys` rows (`quick`)."""
        wanted: dict[str, dict[tuple[str, ...], str]] = defaultdict(dict)
        for a in sorted(locals_new):
            for p in locals_new[a]:
                if p.type == "PERSON" and not p.parsed.single:
                    block, _ = quick.name_rows(p)
                    wanted[block].setdefault(p.parsed.words, a)
        have = quick._block_names(self.conn, set(wanted))
        surnames = {block.split(":")[1] for block in wanted}
        named = quick._named_surnames(self.conn, surnames)
        return sorted([(block, " ".join(words) + "\t" + a) for block, names in wanted.items()
                       for words, a in names.items() if words not in have.get(block, {})]
                      + [("nf:" + s, "") for s in surnames - named])

    def _stored_name_keys(self, locals_new: dict[str, list[Local]]) -> set[tuple[str, str]]:
        k = T.resolve_keys
        out: set[tuple[str, str]] = set()
        for chunk in _chunks(locals_new):
            out |= {(r.key, r.article_id) for r in self.conn.execute(
                select(k.c.key, k.c.article_id).where(k.c.article_id.in_(chunk)))}
        return out


def _blocks(r: Report) -> set[str]:
    """The story blocks a report is stored under (`stories.blocks`), as `resolve_keys` rows "b:..."."""
    return {"b:" + k for k in blocks(r)}


def _lookups(reports: list[Report]) -> set[str]:
    """The blocks whose reports the new reports may pair with (`stories.lookups`)."""
    return {"b:" + k for r in reports for k in lookups(r)}


def apply_identity_corrections(found: list[Identity], corrections: list[dict]) -> list[Identity]:
    """The identities with the user's merges and splits applied, in the order they were made;
    ids and names recomputed for the identities they change."""
    idents = list(found)
    for c in corrections:
        if c["target"] != "identity":
            continue
        keys = list(c["keys"].get("mentions", []))
        where = {p.key: ident for ident in idents for p in ident.members}
        if c["kind"] == "merge" and len(keys) == 2:
            a, b = where.get(keys[0]), where.get(keys[1])
            if a is not None and b is not None and a is not b and a.type == b.type:
                idents = [i for i in idents if i is not a and i is not b]
                idents.append(_renamed(a.type, a.members + b.members))
        elif c["kind"] == "split":
            moved = [p for ident in idents for p in ident.members if p.key in set(keys)]
            if not moved:
                continue
            hit = {id(where[p.key]) for p in moved}
            kept = []
            for ident in idents:
                if id(ident) in hit:
                    rest = [p for p in ident.members if p.key not in set(keys)]
                    if rest:
                        kept.append(_renamed(ident.type, rest))
                else:
                    kept.append(ident)
            idents = kept + [_renamed(where[moved[0].key].type, moved)]
    return sorted(idents, key=lambda i: i.id)


def report_key(r: Report) -> str:
    return "|".join(r.key)


def apply_story_corrections(groups: list[list[Report]], corrections: list[dict]) -> list[list[Report]]:
    """Stories (lists of reports) with the user's merges and splits applied, in the order made."""
    groups = [list(g) for g in groups]
    for c in corrections:
        if c["target"] != "story":
            continue
        keys = list(c["keys"].get("mentions", []))
        where = {report_key(r): n for n, g in enumerate(groups) for r in g}
        if c["kind"] == "merge" and len(keys) == 2:
            a, b = where.get(keys[0]), where.get(keys[1])
            if a is not None and b is not None and a != b:
                groups[a] = sorted(groups[a] + groups[b], key=lambda r: r.key)
                groups[b] = []
        elif c["kind"] == "split":
            moved = [r for g in groups for r in g if report_key(r) in set(keys)]
            if moved:
                groups = [[r for r in g if report_key(r) not in set(keys)] for g in groups] + [moved]
    return [g for g in groups if any(r.family != "dateline" for r in g)]


def _renamed(kind: str, members: list[Local]) -> Identity:
    members = sorted(members, key=lambda p: p.key)
    return Identity(_id(kind, [(p.key, p.published) for p in members]), kind, _display(members), members)


def _unchanged(found: list[Identity], old: dict[tuple[str, str], str], gone: set[str], fresh: set[str]) -> set[str]:
    """The re-resolved identities whose stored rows stay as they are: the same id over the same
    mentions, none of a new article (a row is made from its members alone, and a stored
    article's members are what `resolve_people` keeps). Re-resolving a common surname finds
    thousands of identities and changes a few; a head of state's row alone is megabytes."""
    held: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for pair, ident in old.items():
        if ident in gone:
            held[ident].add(pair)
    out = set()
    for ident in found:
        if ident.id in held and not any(p.article in fresh for p in ident.members) and \
                held[ident.id] == {(p.article, e) for p in ident.members for e in p.entities}:
            out.add(ident.id)
    return out


def _shown(ident: Identity) -> str:
    """An identity's country as its stored row has it (`_identity_row`)."""
    originals = [p for p in ident.members if not p.copy_of]
    return country(Identity(ident.id, ident.type, ident.name, originals)) or ""


def _identity_row(ident: Identity) -> tuple[dict, list[dict]]:
    """A person's identities row, its record without the mentions, and its `identity_parts` rows
    (one a member: its mention), so that a new mention appends a row (`_person_row`)."""
    record = ident.to_dict()
    record.pop("mentions")
    names = sorted({n.lower() for n in record["names"]} | {ident.name.lower()})
    originals = [p for p in ident.members if not p.copy_of]
    return ({"id": ident.id, "type": ident.type, "name": ident.name, "names_lc": "\n".join(names),
             "country": country(Identity(ident.id, ident.type, ident.name, originals)) or "",
             "articles": record["articles"], "record": record,
             "block": " ".join(sorted({block_key(p) for p in originals})), "tally": tally_of(ident.members)},
            [keyed.part_row(ident.id, p) for p in ident.members])


def tally_of(members: list[Local]) -> dict:
    """What a new member is added to (`_person_row`): each member's type, country, name, the
    article it copies and its article's date, every role with its article, and what the record
    shows of them as sums (`keyed`: counts of types, names, countries, each title's counts and
    dates), so that a new member is added to those instead of reading every member again."""
    return {"members": {p.key: _entry(p) for p in members}, "roles": [r for p in members for r in _role_rows(p)],
            "sums": keyed.summarise((p.article, keyed.member(p)) for p in members)}


def _entry(p: Local) -> list:
    """A member as a person's tally lists it: type, country, name, the article it copies, date."""
    return [p.type, p.country, p.name, p.copy_of, p.published]


def _role_rows(p: Local) -> list[list]:
    """A member's roles as a person's tally lists them: article, title, of, written, date."""
    return [[p.article, r.title, r.of, r.text, r.published] for r in p.roles]


def _person_row(conn: Connection, key: str, old: Any, new: Identity | None, redo: set[str],
                ident_id: str) -> tuple[dict | None, list[dict]]:
    """The identities row of the person `ident_id` (`quick`, `window`): what `old` (a stored row)
    holds of articles not in `redo`, and the members of `new`; the same record `resolve` makes
    for all of them. Its mentions are rows of `identity_parts`: those of `redo` articles are
    deleted here, and the new members' rows returned with it; its record's sums are added to
    unless a member was taken out. So a head of state's new mention neither rewrites nor reads
    again every mention it has. (A body's or place's row is kept as sums and parts alone:
    `_Region._keyed_row`, `keyed`.)"""
    tally = T._record(old.tally) if old is not None else {"members": {}, "roles": [], "sums": keyed.empty()}
    record = T._record(old.record) if old is not None else {"names": []}
    parts: list[dict] = []
    names = set(record["names"])
    t = T.identity_parts
    if "mentions" in record:  # stored whole, before a person's mentions were rows: made rows now
        _, whole = keyed.parts_from(ident_id, record, tally)
        parts = [r for r in whole if r["article_id"] not in redo]
        names = {n for r in parts for n in r["mention"]["names"]}
        removed = len(parts) < len(whole)
    else:
        removed = False
        for chunk in _chunks(redo if old is not None else ()):
            removed |= conn.execute(delete(t).where(t.c.identity_id == old.id, t.c.article_id.in_(chunk))).rowcount > 0
        if removed:
            names = {n for m in conn.execute(select(t.c.mention).where(t.c.identity_id == old.id)).scalars()
                     for n in T._record(m)["names"]}
    if removed or "sums" not in tally:  # (a tally stored before its sums were)
        members = {k: v for k, v in tally["members"].items() if k.split("#", 1)[0] not in redo}
        roles = [r for r in tally["roles"] if r[0] not in redo]
        sums = keyed.summarise(keyed.members_of(members, roles))
    else:
        members, roles, sums = dict(tally["members"]), list(tally["roles"]), tally["sums"]
    added = []
    for p in new.members if new is not None else []:
        members[p.key] = _entry(p)
        roles += _role_rows(p)
        names |= set(p.names)
        parts.append(keyed.part_row(ident_id, p))
        added.append((p.article, keyed.member(p)))
    sums = keyed.add(sums, added)
    row = keyed.row(key, sums, names, ident_id)
    if row is None:
        return None, []
    return {**row, "tally": {"members": members, "roles": roles, "sums": sums}}, parts


def _story_row(record: dict) -> dict:
    return {
        "id": record["id"], "type": record["type"], "family": record["family"],
        "date_start": record["date"]["start"] or "", "date_end": record["date"]["end"] or "",
        "first_report": record["first_report"] or "", "last_report": record["last_report"] or "",
        "reports": len(record["reports"]), "articles": record["articles"], "outlets": record["outlets"],
        "countries": " " + " ".join(record["countries"]) + " ", "sectors": " " + " ".join(record["sectors"]) + " ",
        "places_lc": "\n".join(p.lower() for p in record["place"]), "part_of": record["part_of"] or "",
        "record": record,
    }


def correction_row(kind: str, target: str, mentions: list[str], blocks: list[str]) -> dict:
    return {"kind": kind, "target": target, "keys": {"mentions": mentions, "blocks": sorted(set(blocks))},
            "made_at": datetime.now(timezone.utc).isoformat()}




def update(store: Any, full: bool = False, chunk: int = CHUNK,
           on_progress: Callable[[int], None] | None = None) -> int:
    """Resolve the store's new articles, `chunk` per write transaction (a pass cut short keeps what
    it committed and resumes there); returns how many articles it resolved."""
    total = store.write(lambda conn: resolve_pending(conn, full=True, limit=chunk)) if full else 0
    while n := store.write(lambda conn: resolve_pending(conn, limit=chunk)):
        total += n
        if on_progress is not None:
            on_progress(total)
    return total


def any_pending(store: Any) -> bool:
    """Whether some stored article is not resolved yet (reads one row, not a count)."""
    a, done = schema.articles, T.resolve_done
    q = (select(a.c.id).outerjoin(done, done.c.article_id == a.c.id).where(done.c.article_id.is_(None)).limit(1))
    return store.read(lambda conn: conn.execute(q).first() is not None)


def pending(store: Any) -> int:
    """How many stored articles resolution has not seen."""
    from sqlalchemy import func

    a, done = schema.articles, T.resolve_done
    q = (select(func.count()).select_from(a.outerjoin(done, done.c.article_id == a.c.id))
         .where(done.c.article_id.is_(None)))
    return store.read(lambda conn: conn.execute(q).scalar_one())


# --- corrections -----------------------------------------------------------------------------------

def merge_identities(store: Any, first: str, second: str) -> dict:
    """Make two identities one (ids or unique prefixes), now and after every later resolution;
    returns the identity they make."""
    def run(conn: Connection) -> dict:
        a, b = _identity(conn, first), _identity(conn, second)
        if a["id"] == b["id"]:
            raise StoreError(f"{first} and {second} are one identity already")
        if "PERSON" not in (a["type"], b["type"]):
            raise StoreError("merge and split take people (a body or place is its name: one per name)")
        if a["type"] != b["type"]:
            raise StoreError(f"cannot merge a {a['type']} ({a['name']}) with a {b['type']} ({b['name']})")
        keys = [_mention_keys(a)[0], _mention_keys(b)[0]]
        return _correct(conn, "merge", keys, [a, b], keys[0])

    return store.write(run)


def split_identity(store: Any, wanted: str, articles: list[str]) -> dict:
    """Take the identity's mentions in `articles` (ids or prefixes of 6 or more) out of it, as an
    identity of their own, now and after every later resolution; returns the new identity."""
    def run(conn: Connection) -> dict:
        ident = _identity(conn, wanted)
        if ident["type"] != "PERSON":
            raise StoreError("merge and split take people (a body or place is its name: one per name)")
        own = _mention_keys(ident)
        keys = _keys_in(own, articles, "#")
        if not keys:
            raise StoreError(f"identity {ident['id']} ({ident['name']}) has no mention in {', '.join(articles)}")
        if len(keys) == len(own):
            raise StoreError(f"those are all of {ident['id']}'s articles: name fewer to split it")
        return _correct(conn, "split", keys, [ident], keys[0])

    return store.write(run)


def merge_stories(store: Any, first: str, second: str) -> dict:
    """Make two stories one, now and after every later resolution; returns the story they make."""
    def run(conn: Connection) -> dict:
        a, b = _story(conn, first), _story(conn, second)
        if a["id"] == b["id"]:
            raise StoreError(f"{first} and {second} are one story already")
        keys = [_report_keys(a)[0], _report_keys(b)[0]]
        return _correct_story(conn, "merge", keys, [a, b], keys[0])

    return store.write(run)


def split_story(store: Any, wanted: str, articles: list[str]) -> dict:
    """Take the story's reports in `articles` out of it, as a story of their own; returns it."""
    def run(conn: Connection) -> dict:
        story = _story(conn, wanted)
        own = _report_keys(story)
        keys = _keys_in(own, articles, "|")
        if not keys:
            raise StoreError(f"story {story['id']} has no report in {', '.join(articles)}")
        if len(keys) == len(own):
            raise StoreError(f"those are all of {story['id']}'s reports: name fewer to split it")
        return _correct_story(conn, "split", keys, [story], keys[0])

    return store.write(run)


def _keys_in(keys: list[str], articles: list[str], separator: str) -> list[str]:
    """The keys (article id, `separator`, the rest) of the articles named, by id or a prefix of 6 or more."""
    def named(article_id: str) -> bool:
        return any(article_id == a or len(a) >= 6 and article_id.startswith(a) for a in articles)

    return [k for k in keys if named(k.split(separator)[0])]


def _story(conn: Connection, wanted: str) -> dict:
    record = T.get_record(conn, T.stories, wanted)
    if record is None:
        raise StoreError(f"no story {wanted!r} (or the prefix names several): `parley stories` lists them")
    return record


def _report_keys(record: dict) -> list[str]:
    return [f"{r['article']}|{r['event'] or 'dateline'}" + (f"@{r['stop']}" if r.get("stop") else "")
            for r in record["reports"] if not r.get("copy_of")]


def _correct_story(conn: Connection, kind: str, keys: list[str], records: list[dict], follow: str) -> dict:
    conn.execute(insert(T.resolve_corrections), [correction_row(kind, "story", keys, [])])
    touched = {r["article"] for rec in records for r in rec["reports"]}
    for chunk in _chunks(touched):
        conn.execute(delete(T.resolve_done).where(T.resolve_done.c.article_id.in_(chunk)))
    while resolve_pending(conn, limit=CHUNK):
        pass
    article, report = follow.split("|", 1)
    r = T.story_reports
    found = conn.execute(select(r.c.story_id).where(r.c.article_id == article, r.c.report == report)).scalar()
    return T.get_record(conn, T.stories, found) if found else {}


def _identity(conn: Connection, wanted: str) -> dict:
    record = T.get_record(conn, T.identities, wanted)
    if record is None:
        raise StoreError(f"no identity {wanted!r} (or the prefix names several): `parley identities` lists them")
    return record


def _mention_keys(record: dict) -> list[str]:
    return [f"{m['article']}#{m['entity']}" for m in record["mentions"] if not m.get("copy_of")]


def _correct(conn: Connection, kind: str, keys: list[str], records: list[dict], follow: str) -> dict:
    """Store the correction, re-resolve the articles it touches, and return the identity that
    holds the mention `follow` afterwards."""
    blocks = set()
    for key in keys + [k for r in records for k in _mention_keys(r)[:1]]:
        blocks |= _blocks_of(conn, key)
    conn.execute(insert(T.resolve_corrections), [correction_row(kind, "identity", keys, sorted(blocks))])
    touched = {m["article"] for r in records for m in r["mentions"]}
    for chunk in _chunks(touched):
        conn.execute(delete(T.resolve_done).where(T.resolve_done.c.article_id.in_(chunk)))
    while resolve_pending(conn, limit=CHUNK):
        pass
    article, entity = follow.split("#", 1)
    m = T.identity_mentions
    found = conn.execute(select(m.c.identity_id).where(m.c.article_id == article, m.c.entity_id == entity)).scalar()
    return T.get_record(conn, T.identities, found) if found else {}


def _blocks_of(conn: Connection, key: str) -> set[str]:
    """The name key of the mention `key` ("article#entity"), from its article's document."""
    article, entity = key.split("#", 1)
    a = schema.articles
    data = conn.execute(select(a.c.document).where(a.c.id == article)).scalar()
    if data is None:
        return set()
    return {block_key(p) for p in locals_of(Document.from_dict(data)) if entity in p.entities}
