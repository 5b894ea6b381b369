"""The other stops of a trip, as an article names them in passing: reports of no analyzer event.

A trip article tells its visitor's other stops in a clause, not as events of their own: "she
arrived from Zenda and travels on to Borduria", "will travel to Zenda and Borduria on Friday", "after
stops that included a visit to Zenda". Those are the passing mentions and announcements that make one
stop a story reported by every paper of the trip. Here each country a sentence names after a
trip word (`resolve_words.tsv`: trip_cue), or listed after such a country ("Zenda and Borduria",
trip_link words; "to Zenda from Borduria": where the visitor came from), is a report of the visitor's visit there, when:

- the article has one visitor: the person its meetings and visits name most whose home country
  is not the country the article mostly takes place in (the host is not the one who travels);
- the sentence names no other person by name (a pronoun is read as the visitor: the analyzer's
  guesses for pronouns are not trusted), and the country is not the visitor's own;
- no event of that sentence already places the visitor, or someone it names as the one who
  acts, in that country: what the analyzer read stays its report (an event with no one acting,
  "She visited Zenda" with the pronoun read as a place, does not hide the visitor's stop).

Planned when the clause says so (trip_plan words: "will", "due"), dated like any undated
report (`reports._when`). The report is a visit, with the visitor as its only participant, so it
joins a stop's story by the visitor and the country, and chains nothing (a bare country never
ties two city stops: `stories.cluster_reports`).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..analysis.lexicon import read_table
from ..document import Document, Entity
from .names import fold

_BOUNDARY = re.compile(r"(?<=[.!?])\s+|\n+")
_PRONOUNS = frozenset({"she", "he", "her", "him", "his", "hers", "they", "them", "their", "who", "whom"})


@lru_cache(maxsize=1)
def _words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    rows = read_table("resolve_words.tsv")
    cues = frozenset(r["word"] for r in rows if r["kind"] == "trip_cue")
    plans = frozenset(r["word"] for r in rows if r["kind"] == "trip_plan")
    links = frozenset(r["word"] for r in rows if r["kind"] == "trip_link")
    return cues, plans, links


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text's sentences, cut at a full stop and space or a line break."""
    out, start = [], 0
    for m in _BOUNDARY.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def visitor(doc: Document, reports: list, country_of: dict[str, str | None], identity_of: dict[str, str]) -> str | None:
    """The identity of the one person the article's meetings and visits are mostly about who is
    not at home there (None when no one, or two as often)."""
    host = _host_country(doc)
    persons = {identity_of.get(f"{doc.article.id}#{e.id}") for e in doc.entities if e.type == "PERSON"}
    found: Counter = Counter()
    for r in reports:
        if r.family != "consult":
            continue
        here = {p.country for p in r.places if p.country} or ({host} if host else set())
        for p in r.people | r.nearby:
            home = country_of.get(p)
            if p in persons and home and here and home not in here:
                found[p] += 1
    ranked = found.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _host_country(doc: Document) -> str | None:
    """The country the article's places are most often in (by mentions)."""
    found: Counter = Counter()
    for e in doc.entities:
        country = (e.geo or {}).get("country") or e.country
        if e.type in ("GPE", "LOC", "FAC") and country and (e.geo or {}).get("kind") not in ("continent", "region"):
            found[country] += len(e.mentions) or 1
    ranked = found.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def legs(doc: Document, reports: list, who: str, home: str | None,
         identity_of: dict[str, str]) -> list[tuple[Entity, int, int, str, bool]]:
    """(country entity, sentence start, sentence end, cue, planned) for each stop the article names
    in passing for its visitor `who` (module docstring)."""
    text = doc.article.text
    cues, plans, links = _words()
    countries = [(m.start, m.end, e) for e in doc.entities if e.type == "GPE" and (e.geo or {}).get("kind") == "country"
                 and ((e.geo or {}).get("country") or e.country) for m in e.mentions]
    named = [(m.start, identity_of.get(f"{doc.article.id}#{e.id}")) for e in doc.entities if e.type == "PERSON"
             for m in e.mentions if fold(text[m.start:m.end]) not in _PRONOUNS]
    placed = {(r.sentence.strip(), p.country) for r in reports for p in r.places
              if p.country and (r.actors or who in r.people | r.nearby)}
    out = []
    for s, t in sentences(text):
        others = {i for start, i in named if s <= start < t and i != who}
        if others:
            continue
        said = text[s:t].strip()
        seen: set[str] = set()
        cue_at, last_end = None, None
        for start, end, e in sorted((x for x in countries if s <= x[0] < t), key=lambda x: x[0]):
            country = (e.geo or {}).get("country") or e.country
            before = fold(text[(last_end if last_end is not None else s):start]).split()
            if cue_at is not None and before and all(w in links for w in before):
                cue = cue_at  # "Zenda and Borduria": the list goes on
            elif cue_at is not None and before == ["from"]:
                cue = "from"  # "to Zenda from Borduria": where the visitor came from
            else:
                cue = _cue(before, cues)
            last_end, cue_at = end, cue
            if cue is None:
                continue
            if country == home or country in seen or (said, country) in placed:
                continue
            seen.add(country)
            clause = fold(text[s:start]).split()
            out.append((e, s, t, cue, any(w in plans for w in clause)))
    return out


def _cue(before: list[str], cues: frozenset[str]) -> str | None:
    """The trip word right before a country (within three words: "travels on to", "tour of")."""
    for w in reversed(before[-3:]):
        if w in cues:
            return w
    return None
