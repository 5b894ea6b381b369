"""Cross-article resolution: identities (one person, many articles) and stories (one event,
many reports), computed from `parley.article/1` documents.

    resolve(documents) -> Resolution      identities and stories; the same for any input order
    Resolution.identity_records()         dicts in the shape `parley export --format identities` writes
    Resolution.story_records()            dicts in the shape `parley export --format stories` writes

Modules: names (name parts), mentions (one article's people), identities (joining them),
reports (one event as a report), stories (joining reports), clusters (the shared union-find).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..document import Document
from . import keyed
from .identities import Identity, resolve_identities
from .mentions import AGENT_TYPES, locals_of
from .reports import Report, dateline_report, is_passing, place_names, reports_of
from .stories import cluster_reports, part_of, story_id, summary

__all__ = ["Resolution", "resolve", "story_record"]


@dataclass
class Resolution:
    identities: list[Identity]
    stories: dict[str, list[Report]]
    parts: dict[str, str]  # signing story id -> the visit story it happened during
    names: dict[str, str]  # identity id -> display name

    def identity_records(self) -> list[dict]:
        return [i.to_dict() for i in self.identities]

    def story_records(self) -> list[dict]:
        return [story_record(sid, self.stories[sid], self.names, self.parts.get(sid)) for sid in sorted(self.stories)]


def story_record(sid: str, group: list[Report], names: dict[str, str] | None, part: str | None) -> dict:
    """A story as `parley export --format stories` writes it; `names` gives participants' names.
    Without `names` (a stored story), a participant is its identity id alone: the store puts the
    identity's name in as it reads the story (`store.resolved.with_names`), so that a name that
    changes does not send every story its identity takes part in back to be made again."""
    people = sorted({p for r in group for p in r.people})
    dates = sorted(r.published for r in group if r.published)
    return {
        "id": sid, **summary(group),
        "participants": [{"identity": p, "name": names.get(p, p)} if names is not None else {"identity": p}
                         for p in people],
        "part_of": part,
        "articles": len({r.article for r in group}),
        "outlets": len({r.outlet or r.file for r in group}),
        "first_report": dates[0] if dates else None,
        "last_report": dates[-1] if dates else None,
        "reports": [_report(r) for r in group],
    }


def resolve(documents: Iterable[Document], copies: dict[str, str] | None = None) -> Resolution:
    """Identities and stories of the documents. `copies` maps a near-duplicate article's id to
    the article it copies: a copy takes no part in joining (it counts once, as its original) but
    is listed among the reports and mentions of its original's stories and identities."""
    docs = sorted(documents, key=lambda d: d.article.id)
    present = {d.article.id for d in docs}
    copies = {k: v for k, v in (copies or {}).items() if v in present and k != v}
    originals = [d for d in docs if d.article.id not in copies]
    people = [p for d in originals for p in locals_of(d)]
    identities, _ = resolve_identities(people)
    countries = {ident.id: country(ident) for ident in identities}
    stories = resolve_stories(originals, entity_identities(identities), countries, place_names(originals))
    add_copies([d for d in docs if d.article.id in copies], copies, identities, stories)
    return Resolution(identities, stories, part_of(stories), {i.id: i.name for i in identities})


def entity_identities(identities: Iterable[Identity]) -> dict[str, str]:
    """"article#entity" -> identity id, for people and bodies (the participants of reports)."""
    return {f"{m.article}#{e}": ident.id for ident in identities if ident.type in AGENT_TYPES
            for m in ident.members for e in m.entities}


def resolve_stories(originals: list[Document], entity_identity: dict[str, str], countries: dict[str, str | None],
                    known_places: frozenset[str]) -> dict[str, list[Report]]:
    """Stories of the documents' reports (copies left out), by story id."""
    reports = [r for d in originals for r in reports_of(d, entity_identity, countries, known_places)]
    reports += [r for d in originals if (r := dateline_report(d, entity_identity)) is not None]
    return {story_id(g): g for g in cluster_reports(reports)}


def add_copies(dupes: list[Document], copies: dict[str, str], identities: list[Identity],
                stories: dict[str, list[Report]]) -> None:
    """List each copy where its original is: its people (by entity id) among the identity's
    mentions, its events (by event id) and the stops it names in passing among the story's reports."""
    for doc in dupes:
        art, original = doc.article, copies[doc.article.id]
        own = {p.entities[0]: p for p in locals_of(doc)}
        for ident in identities:
            for m in [m for m in ident.members if m.article == original]:
                if (p := own.get(m.entities[0])) is not None:
                    p.file, p.published, p.copy_of = art.file, art.published, original
                    ident.members.append(p)
        events = {e.id for e in doc.events}
        for group in stories.values():
            group += [replace(r, article=art.id, file=art.file, outlet=art.source, published=art.published,
                              copy_of=original)
                      for r in list(group) if r.article == original and (r.event in events or is_passing(r))]


def country(ident: Identity) -> str | None:
    """The country most of the identity's articles give it; on a tie, the one given first (`keyed.home`)."""
    found = Counter(m.country for m in ident.members if m.country)
    firsts: dict[str, str] = {}
    for m in ident.members:
        if m.country:
            seen_at = keyed.first_seen(m.article, m.published)
            firsts[m.country] = min(firsts.get(m.country, seen_at), seen_at)
    return keyed.home(found, firsts)


def _report(r: Report) -> dict:
    """A story's report: the article event (None for an article that joins by its dateline)."""
    dateline = r.family == "dateline"
    return {
        "article": r.article, "file": r.file, "event": None if dateline else r.event,
        "outlet": r.outlet, "published": r.published, "trigger": r.trigger or None,
        "planned": r.planned, "by_dateline": dateline, "stop": r.stop, "copy_of": r.copy_of,
        "when": [r.when[0].isoformat(), r.when[1].isoformat()] if r.when else None,
        "sentence": r.sentence,
    }
