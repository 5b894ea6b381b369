"""One article event as a report of a story: its family, participants as identities, places,
dates, and whether it only announces what is planned.

Participants are identities (people, bodies) and countries. Places are (country, area, city)
triples from the gazetteer fields the analyzer set. Dates are day intervals: the event's own
date where the analyzer placed it, else the article's date with a reach (a past report) or a
lead (an announcement), else unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cached_property

from ..document import Document, Entity, Event
from . import legs
from .lexicon import rules, words
from .names import fold

PLACE_TYPES = ("GPE", "LOC", "FAC")
BODY = "ORG"


@dataclass(frozen=True)
class Place:
    country: str | None
    area: str | None  # first-level division
    city: str | None  # a city or site: geonameid or folded name

    @property
    def level(self) -> str:
        return "city" if self.city else "area" if self.area else "country" if self.country else "none"


@dataclass
class Report:
    article: str
    event: str
    file: str | None
    outlet: str | None
    published: str | None
    family: str  # consult | signing | the PLOVER type in lower case
    type: str
    visit: bool
    planned: bool
    people: frozenset[str]  # identity ids of actors and recipients
    actors: frozenset[str]  # identity ids of the people who act (the visitor of a visit)
    homes: frozenset[tuple[str, str]]  # (identity id, country) of the participants whose country is known
    countries: frozenset[str]  # countries of the actors and recipients (of places and people)
    nearby: frozenset[str]  # identity ids of people named in the event's sentence
    places: tuple[Place, ...]
    place_names: tuple[str, ...]
    when: tuple[date, date] | None
    sentence: str
    trigger: str
    stop: str | None = None  # the country of this stop, for a trip to several
    copy_of: str | None = None  # for a near-duplicate article's report: the article it copies

    @cached_property
    def key(self) -> tuple[str, str]:
        return (self.article, self.event + (f"@{self.stop}" if self.stop else ""))


def reports_of(doc: Document, identity_of: dict[str, str], country_of: dict[str, str | None],
               places: frozenset[str] = frozenset()) -> list[Report]:
    """The article's events (not negated ones) as reports; `identity_of` maps "article#entity"
    keys to identity ids, `country_of` identity ids to their country, `places` holds the folded
    names the documents give places (a bare one-word "person" of that name is not trusted). A trip to several countries
    ("toured Ruritania and Zenda") is one report per country: each stop is its own story."""
    out = []
    for event in sorted(doc.events, key=lambda e: e.id):
        if event.negated:
            continue
        report = _report(doc, event, identity_of, country_of, places)
        stops = sorted({p.country for p in report.places if p.country})
        if report.visit and len(stops) > 1:
            out += [replace(report, stop=c, places=tuple(p for p in report.places if p.country == c),
                            place_names=tuple(n for n, p in zip(report.place_names, report.places)
                                              if p.country == c))
                    for c in stops]
        else:
            out.append(report)
    return out + passing_reports(doc, out, identity_of, country_of)


PASSING = "trip"  # the event id of a stop named in passing starts so (no analyzer event has it)


def is_passing(r: Report) -> bool:
    return r.event.startswith(PASSING)


def passing_reports(doc: Document, reports: list[Report], identity_of: dict[str, str],
                    country_of: dict[str, str | None]) -> list[Report]:
    """The stops of the article's visitor that a sentence names in passing, with no event of their
    own (`legs`): one report each, of the visitor's visit to that country."""
    who = legs.visitor(doc, reports, country_of, identity_of)
    if who is None:
        return []
    art, home = doc.article, country_of.get(who)
    out = []
    for n, (e, s, t, cue, planned) in enumerate(legs.legs(doc, reports, who, home, identity_of), 1):
        place = _place(e)
        out.append(Report(
            article=art.id, event=f"{PASSING}{n}", file=art.file, outlet=art.source, published=art.published,
            family="consult", type="CONSULT", visit=True, planned=planned,
            people=frozenset({who}), actors=frozenset({who}),
            homes=frozenset({(who, home)}) if home else frozenset(),
            countries=frozenset(c for c in (place.country, home) if c), nearby=frozenset(),
            places=(place,), place_names=(e.name,),
            when=_around(art.published, planned),
            sentence=art.text[s:t], trigger=cue, stop=place.country,
        ))
    return out


def _homes(article: str, parties: list[Entity], identity_of: dict[str, str],
           country_of: dict) -> frozenset[tuple[str, str]]:
    """(identity id, country) of the event's people and bodies whose country is known. A body's
    is the one this article gives it, else its identity's: a name many countries' bodies share
    ("the Foreign Ministry") is one identity whose country follows a tie of counts, and a report
    that said which one must not change with it (nor be resolved again when it flips)."""
    out = set()
    for e in parties:
        if (p := identity_of.get(f"{article}#{e.id}")) is None:
            continue
        if (c := (e.country if e.type == BODY else None) or country_of.get(p)):
            out.add((p, c))
    return frozenset(out)


def _report(doc: Document, event: Event, identity_of: dict[str, str], country_of: dict,
            places: frozenset[str] = frozenset()) -> Report:
    art = doc.article
    parties = [doc.entity(i) for i in (*event.actor, *event.recipient)]
    parties = [e for e in parties if e is not None]
    people = frozenset(filter(None, (identity_of.get(f"{art.id}#{e.id}") for e in parties)))
    homes = _homes(art.id, parties, identity_of, country_of)
    countries = {e.country for e in parties if e.type in PLACE_TYPES and e.country}
    countries |= {c for _, c in homes}
    trigger = fold(event.trigger.text)
    visit = event.mode == "visit" or _trip(art.text, event)
    signing = any(w.startswith(sign) for w in trigger.split() for sign in words().signing)
    spots = _spots(doc, event, visit, signing)
    located = sorted({(e.name, p) for e in spots if (p := _place(e)).level != "none"},
                     key=lambda np: (np[0], str(np[1])))
    s, t = event.sentence.start, event.sentence.end
    actors = _ids(doc, [i for i in event.actor if fold(_name(doc, i)) not in places], identity_of, "PERSON")
    if not actors:  # "She visited ...", or a subject the analyzer took for a person: who came before
        s = _sentence_before(art.text, s)
    nearby = frozenset(filter(None, (identity_of.get(f"{art.id}#{e.id}") for e in doc.entities
                                     if e.type == "PERSON" and any(s <= m.start < t for m in e.mentions))))
    s = event.sentence.start
    family = "signing" if signing else "consult" if event.type == "CONSULT" or visit else event.type.lower()
    return Report(
        article=art.id, event=event.id, file=art.file, outlet=art.source, published=art.published,
        family=family, type=event.type, visit=visit, planned=bool(event.hypothetical),
        people=people, actors=actors,
        homes=homes,
        countries=frozenset(countries), nearby=nearby - people,
        places=tuple(p for _, p in located), place_names=tuple(n for n, _ in located), when=_when(event, art.published, _named_date(doc, event)),
        sentence=art.text[s:t], trigger=event.trigger.text,
    )


def _name(doc: Document, entity_id: str) -> str:
    e = doc.entity(entity_id)
    return e.name if e is not None else ""


def place_names(docs: list[Document]) -> frozenset[str]:
    """Folded one-word names the documents give places (GPE, LOC, FAC)."""
    return frozenset(fold(e.name) for d in docs for e in d.entities
                     if e.type in PLACE_TYPES and len(fold(e.name).split()) == 1)


def _sentence_before(text: str, start: int) -> int:
    """Where the sentence before the one starting at `start` starts (approximately: after the
    last full stop or line break before it)."""
    head = text[:start].rstrip()
    cut = max(head.rfind(". ", 0, len(head) - 1), head.rfind("\n", 0, len(head) - 1))
    return cut + 1 if cut >= 0 else 0


def _named_date(doc: Document, event: Event) -> bool:
    """The event's date is written as a person's name ("June" a person's name, not the month)."""
    said = fold(event.date.text or "") if event.date else ""
    return bool(said) and any(said == fold(n) for e in doc.entities if e.type == "PERSON"
                              for n in (e.name, *e.aliases))


def _trip(text: str, event: Event) -> bool:
    """A trip word as the trigger or right after it ("Trade Mission")."""
    after = text[event.trigger.end:event.trigger.end + 40].split()
    said = fold(" ".join([event.trigger.text, *after[:1]])).split()
    return any(w in words().trips for w in said)


def _spots(doc: Document, event: Event, visit: bool, signing: bool = False) -> list[Entity]:
    """Where it happened: a visit's destinations (its place and the places it goes to); for a
    meeting its place, else the cities it names; for anything else its place, unless that place is
    a party ("Ruritania and Zenda signed"): a country a meeting or a signing is with is a party,
    and a signing's country is more often a signatory than where the pens were."""
    parties = set(event.actor) | set(event.recipient)
    ids = [event.location] if event.location and (visit or event.location not in parties) else []
    if signing and ids and _kind(doc.entity(ids[0])) == "country":
        ids = []
    meeting = event.type == "CONSULT" and not ids
    ids += [i for i in event.recipient if visit or (meeting and _kind(doc.entity(i)) != "country")]
    found = [e for e in (doc.entity(i) for i in ids) if e is not None and e.type in PLACE_TYPES]
    home = (doc.article.dateline_geo or {}).get("geonameid")
    found = [e for e in found if e.id in parties or _said_in(e, event.sentence.start, event.sentence.end)
             or (home and (e.geo or {}).get("geonameid") == home)]
    if visit:
        found += _conjoined(doc, event, found)
    return list({e.id: e for e in found}.values())


def _said_in(e: Entity, start: int, end: int) -> bool:
    """A place the event's sentence names (a place carried from elsewhere is trusted only when it
    is the dateline's)."""
    return any(start <= m.start < end for m in e.mentions)


_CONJOINED = re.compile(r"^(?:\s+on\s+\w+)?\s*(?:,|and|, and|as well as)\s*$")


def _conjoined(doc: Document, event: Event, found: list[Entity]) -> list[Entity]:
    """Countries the sentence lists with a destination: "toured Ruritania on Monday and Zenda"."""
    text, s, t = doc.article.text, event.sentence.start, event.sentence.end
    ends = [m.end for e in found for m in e.mentions if s <= m.start < t]
    more: list[Entity] = []
    for e in doc.entities:
        if e.type != "GPE" or _kind(e) != "country" or e in found:
            continue
        for m in e.mentions:
            if s <= m.start < t and any(end < m.start and _CONJOINED.match(text[end:m.start]) for end in ends):
                more.append(e)
                ends.append(m.end)
                break
    return more


def _kind(e: Entity | None) -> str | None:
    return (e.geo or {}).get("kind") if e is not None else None


def dateline_report(doc: Document, identity_of: dict[str, str]) -> Report | None:
    """An article written from a place on a known day reports what the people of its first
    paragraph do there then: a report of no event, that only joins a story held by real reports
    (a person, the place and the day in common)."""
    art = doc.article
    geo = art.dateline_geo or {}
    if not geo.get("country") or _day(art.published) is None:
        return None
    spot = Entity(id="dateline", type="GPE", name=geo.get("name") or art.dateline or "", geo=geo,
                  country=geo.get("country"))
    lead = len(art.text.split("\n", 1)[0]) if art.text else 0
    people = frozenset(filter(None, (identity_of.get(f"{art.id}#{e.id}") for e in doc.entities
                                     if e.type == "PERSON" and any(m.start < lead for m in e.mentions))))
    pub = _day(art.published)
    reach = timedelta(days=rules().undated_reach_days)
    return Report(
        article=art.id, event="dateline", file=art.file, outlet=art.source, published=art.published,
        family="dateline", type="CONSULT", visit=False, planned=False, people=people,
        actors=frozenset(), homes=frozenset(), countries=frozenset(), nearby=frozenset(), places=(_place(spot),),
        place_names=(spot.name,), when=(pub - reach, pub), sentence=art.dateline or "", trigger="",
    )


def _ids(doc: Document, ids: list[str], identity_of: dict[str, str], kind: str) -> frozenset[str]:
    ents = [doc.entity(i) for i in ids]
    return frozenset(filter(None, (identity_of.get(f"{doc.article.id}#{e.id}") for e in ents
                                   if e is not None and e.type == kind)))


def _place(e: Entity) -> Place:
    geo = e.geo or {}
    country = geo.get("country") or e.country
    kind = geo.get("kind")
    if not country:
        return Place(None, None, None)
    if kind == "country":
        return Place(country, None, None)
    if kind == "admin1":
        return Place(country, fold(geo.get("admin1") or e.name), None)
    if kind in ("continent", "region"):
        return Place(None, None, None)
    city = str(geo["geonameid"]) if geo.get("geonameid") else fold(e.name)
    return Place(country, fold(geo["admin1"]) if geo.get("admin1") else None, city)


def _when(event: Event, published: str | None, misread: bool = False) -> tuple[date, date] | None:
    """Day interval of the event: its own date where known to the day or month, else from the
    article's date (an announcement: up to `planned_lead_days` after; a past report: up to
    `undated_reach_days` before), else None."""
    d = event.date
    if d is not None and d.precision in ("day", "month") and not misread:
        span = _interval(d.start, d.end or d.start)
        if span is not None:
            return span
    return _around(published, bool(event.hypothetical))


def _around(published: str | None, planned: bool) -> tuple[date, date] | None:
    """The days an undated report can be about: after the article's date for an announcement,
    before it for a past report; None for an article with no date."""
    pub = _day(published)
    if pub is None:
        return None
    limits = rules()
    if planned:
        return (pub, pub + timedelta(days=limits.planned_lead_days))
    return (pub - timedelta(days=limits.undated_reach_days), pub)


def _interval(start: str | None, end: str | None) -> tuple[date, date] | None:
    first, last = _bound(start, False), _bound(end, True)
    if first is None or last is None or last < first:
        return None
    return (first, last)


def _bound(value: str | None, upper: bool) -> date | None:
    """'2018-08-29' -> that day; '2018-08' -> its first (or last) day; anything else None."""
    if not value or value.startswith("--"):
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        if len(value) == 7:
            first = date.fromisoformat(value + "-01")
            if not upper:
                return first
            nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
            return nxt - timedelta(days=1)
    except ValueError:
        return None
    return None


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None
