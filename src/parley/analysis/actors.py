"""Country (ISO 3166-1 alpha-3, or PLOVER's UNO/EUR/IGO/NGO) and PLOVER actor sector for people,
organisations and groups.

An actor's country comes from what the article says about it, strongest evidence first:
- a person: the body of each role ("mayor of Lima" -> Lima's country; "CEO of Acme" -> Acme's; "EU
  Trade Commissioner" -> EUR), a demonym in a title ("Peruvian trade minister"); else the words
  around a mention (`affiliation`): "his Turkish counterpart X", "Chinese Ambassador to Zimbabwe X"
  (a post "to"/"in" a place is never that place's), "Pakistani businessmen including X", "a Kenyan
  delegation headed by X", the name before in a list of titles sharing one body; else, for a public
  office written without a country ("President X") or a body that would take the story's country,
  where the story is set;
- an organisation: an international body (`bodies`) takes its non-state code; else the first
  country its name names ("Peru Chamber of Commerce in China" -> PER: "in China" is where it sits),
  a demonym before it ("the Ukrainian state-owned X company"), the organisation an acronym
  abbreviates; else where the story is set -- except for a company (`company_words.tsv`), which
  visiting firms make as likely to be foreign;
- a group: the places it comes from and the bodies in its name ("a delegation of mayors from Peru").
Sectors are PLOVER's (JRN media, MED health; IGO and NGO are country codes there, not sectors): from
the title (mayor -> GOV), the body, keywords in an organisation's name (`org_sectors.tsv`).
Places and demonyms are resolved by `places`; every word list is data in `resources/`.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any

from ..document import Document, Entity, Event, Role
from . import affiliation
from .acronyms import abbreviates
from .bodies import international_body
from .lexicon import group_nouns, org_keywords, read_table, titles
from .places import countries_in, lookup

_GROUP_MEMBER_SECTORS = (
    (re.compile(r"\b(business|corporate|company|companies|industry|industrial|entrepreneurs?|investors?|"
                r"executives?|bankers?|traders?|firms?)\b", re.I), "BUS"),
    (re.compile(r"\b(officials?|government|mayors?|ministers?|governors?|diplomats?|civil servants?)\b", re.I), "GOV"),
    (re.compile(r"\b(lawmakers?|legislators?|parliamentarians?|senators?|MPs|congressmen)\b", re.I), "LEG"),
    (re.compile(r"\b(students?|academics?|scholars?|professors?|universit(y|ies)|researchers?)\b", re.I), "EDU"),
    (re.compile(r"\b(journalists?|reporters?|media|editors?)\b", re.I), "JRN"),
    (re.compile(r"\b(doctors?|physicians?|nurses?|health)\b", re.I), "MED"),
    (re.compile(r"\b(activists?|volunteers?|protesters?)\b", re.I), "CVL"),
    (re.compile(r"\b(charities|NGOs?)\b", re.I), "SOC"),
    (re.compile(r"\b(soldiers?|officers?|military|troops)\b", re.I), "MIL"),
)  # fmt: skip


def assign_countries_and_sectors(spacy_doc: Any, document: Document) -> None:
    """Set `country` and `sector` on every person, organisation and group entity."""
    context = _Context(document)
    for entity in document.entities:
        if entity.type == "ORG":
            _organisation(entity, context)
    for entity in document.entities:
        if entity.type == "GROUP":
            _group(entity, context)
    people = [e for e in document.entities if e.type == "PERSON"]
    for entity in people:
        _person(entity, context)
    for entity in document.entities:
        if entity.type == "GROUP" and not entity.country:
            entity.country = _owner_country(entity, context)
    for entity in people:
        entity.country = entity.country or _group_member_country(entity, context) or _list_country(entity, context)
    for entity in people:
        entity.country = entity.country or _unnamed_country(entity, context)
    for entity in document.entities:
        if entity.type == "FAC" and not entity.country:
            entity.country = _name_country(entity)  # "Pakistan Embassy": no coordinates, yet a country


def assign_actor(entity: Entity, document: Document) -> None:
    """Country and sector for one entity a later step creates (a group an event finds, say)."""
    context = _Context(document)
    if entity.type == "ORG":
        _organisation(entity, context)
    elif entity.type == "GROUP":
        _group(entity, context)
    elif entity.type == "PERSON":
        _person(entity, context)
        entity.country = entity.country or _unnamed_country(entity, context)
    if entity.type == "GROUP" and not entity.country and not _joint(entity):
        entity.country = _owner_country(entity, context)


def settle_visitors(document: Document, engaging: frozenset[str]) -> None:
    """After the events: a person given the story's country only because their office names none
    ("Foreign Secretary X" in a story set in Washington) who engages, as one side of an event of a
    type in `engaging` told in a sentence that names them (not a pronoun, which may be misread), a
    side firmly of that same country ("X urged the United States", "Y of Peru received X") is its
    visitor: they take the story's other country. Only guesses are changed; a person whose words
    give a country keeps it."""
    setting = story_country(document)
    other = _second_country(document, setting) if setting is not None else None
    if other is None:
        return
    context: _Context | None = None  # read only for a person who may be a visitor
    for event in document.events:
        if event.type not in engaging:
            continue
        for side, counterpart, addressed in ((event.actor, event.recipient, True), (event.recipient, event.actor, False)):
            guessed = [p for p in filter(None, map(document.entity, side)) if p.type == "PERSON"
                       and p.country == setting and _named_in(p, event)]
            others = [e for e in filter(None, map(document.entity, counterpart)) if e.country == setting]
            if not guessed or not others:
                continue
            context = context or _Context(document)
            if any(_firmly_of(e, setting, context, addressed) for e in others):
                for person in guessed:
                    if not _evidenced_country(person, context):
                        person.country = other


def _named_in(person: Entity, event: Event) -> bool:
    """The event's sentence calls the person by (part of) their name, not "he" or "the minister"."""
    words = set(person.name.split())
    return any(event.sentence.start <= m.start < event.sentence.end and words & set(m.text.split())
               for m in person.mentions)


def _evidenced_country(person: Entity, context: "_Context") -> str | None:
    """The country the article's words give a person (roles, words around, group or list), not the
    story's own country guessed for an office that names none."""
    evidence = next((c for c, _ in (_role_evidence(role, context) for role in person.roles) if c), None)
    return evidence or _context_country(person, context) or _group_member_country(person, context) \
        or _list_country(person, context)


def _firmly_of(entity: Entity | None, country: str, context: "_Context", addressed: bool) -> bool:
    """The entity is of `country` by what the article says: the country itself, when it is the one
    addressed ("X urged the United States"), a body that names it, a person whose words give it."""
    if entity is None or entity.country != country:
        return False
    if entity.type == "GPE":
        return addressed and (entity.geo or {}).get("kind") == "country"
    if entity.type == "PERSON":
        return _evidenced_country(entity, context) == country
    return entity.type == "ORG" and country in countries_in(entity.name)


class _Context:
    """What every actor of one article is read against: its text, setting, names and people."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.text = document.article.text
        self.setting = story_country(document)
        self.other_country = _second_country(document, self.setting)
        self.by_name = _names(document)
        people = [e for e in document.entities if e.type == "PERSON" and _named_like_a_person(e.name)]
        self.person_spans = affiliation.Spans((m.start, m.end) for e in people for m in e.mentions)
        self.by_span = {(m.start, m.end): e for e in people for m in e.mentions}
        self._group_ends: dict[int, list[tuple[int, Entity]]] | None = None

    def resolve(self, name: str) -> str | None:
        """The country of an organisation or group the article names so, or abbreviates so ("AFEC")."""
        entity = self.by_name.get(_key(name))
        if entity is not None and entity.type in {"ORG", "GROUP"} and entity.country:
            return entity.country
        return self.abbreviated(name)

    def abbreviated(self, name: str) -> str | None:
        """The country of the organisation an acronym abbreviates: "LTEA" -> Lima Textile Exporters Association."""
        if not (name.isupper() and len(name) >= 3):
            return None
        orgs = (e for e in self.document.entities if e.type == "ORG")
        full = next((e for e in orgs if abbreviates(name, e.name)), None)
        return full.country if full is not None else None

    def groups_ending_at(self, end: int) -> list[tuple[int, Entity]]:
        """The groups with a mention ending at `end`, each with its rank in entity and mention order."""
        if self._group_ends is None:
            self._group_ends = {}
            groups = (g for g in self.document.entities if g.type == "GROUP")
            for rank, (mention_end, group) in enumerate((m.end, g) for g in groups for m in g.mentions):
                self._group_ends.setdefault(mention_end, []).append((rank, group))
        return self._group_ends.get(end, [])

    def others(self, entity: Entity) -> affiliation.Spans:
        return self.person_spans.without((m.start, m.end) for m in entity.mentions)


def _named_like_a_person(name: str) -> bool:
    """Not a body or a bare title the recogniser took for a person ("Acme Chamber", "cum Minister"):
    such a "person" must not cut the description of the real person next to it."""
    words = name.split()
    return bool(words) and organisation_sector(name) is None and not titles().is_head(words[-1])


def retype_org_places(spacy_doc: Any, document: Document) -> None:
    """An "organisation" named exactly like a known place, with no organisation word in it, is the place.

    The small model labels regions and districts ORG about as often as GPE; left as ORG they get
    neither coordinates nor a place's role in events.
    """
    for entity in document.entities:
        if entity.type == "ORG" and organisation_sector(entity.name) is None and lookup(entity.name) is not None:
            entity.type = "GPE"


def story_country(document: Document) -> str | None:
    """Where the story is set: the dateline's country, else the country of most place mentions."""
    if document.article.dateline_geo and document.article.dateline_geo.get("country"):
        return document.article.dateline_geo["country"]
    counts: Counter[str] = Counter()
    for entity in document.entities:
        if entity.type in {"GPE", "LOC", "FAC"} and entity.country:
            counts[entity.country] += len(entity.mentions)
    return counts.most_common(1)[0][0] if counts else None


def _second_country(document: Document, setting: str | None) -> str | None:
    """The country of most place mentions after the setting's: the other side of a visit story."""
    counts: Counter[str] = Counter()
    for entity in document.entities:
        if entity.type in {"GPE", "LOC", "FAC", "NORP"} and entity.country and entity.country != setting:
            counts[entity.country] += len(entity.mentions)
    return counts.most_common(1)[0][0] if counts else None


def _names(document: Document) -> dict[str, Entity]:
    names = {}
    for entity in document.entities:
        for name in (entity.name, *entity.aliases):
            names.setdefault(_key(name), entity)
    return names


_CLOSING_ACRONYM = re.compile(r"\s*\([^)]*\)?\s*$")
_OPENING_ARTICLE = re.compile(r"^(the|a|an) ")


def _key(name: str) -> str:
    name = _CLOSING_ACRONYM.sub("", name)  # "Board of Investment (BoI)" is "Board of Investment"
    return _OPENING_ARTICLE.sub("", " ".join(name.casefold().replace("’", "'").split()))


# --------------------------------------------------------------------------- organisations


def _organisation(entity: Entity, context: _Context) -> None:
    body = next(filter(None, (international_body(n) for n in (entity.name, *entity.aliases))), None)
    if body is not None:
        entity.country = entity.country or body.code
        entity.sector = entity.sector or body.sector
        return
    entity.sector = entity.sector or organisation_sector(entity.name)
    entity.country = (
        entity.country or _name_country(entity) or _described_country(entity, context)
        or context.abbreviated(entity.name)
    )
    if not entity.country:
        entity.country = _body_default(entity.name, context)


def _body_default(name: str, context: _Context) -> str | None:
    """The country of a body named without one: the story's for a ministry, a chamber, a board or a
    site ("the Foreign Ministry", "the Acme Super Factory"); none for a company ("Acme Motors") or a
    news outlet, since visiting firms and foreign agencies are as common in these stories as local ones."""
    words = set(re.findall(r"[a-z]+", name.casefold()))
    if words & _words("company_words.tsv", "word") and not words & _words("site_nouns.tsv", "noun"):
        return None
    if organisation_sector(name) == "JRN":
        return None  # a news agency quoted from abroad is as common as a local paper
    return context.setting


@lru_cache(maxsize=4)
def _words(table: str, column: str) -> frozenset[str]:
    return frozenset(row[column].casefold() for row in read_table(table))


def _name_country(entity: Entity) -> str | None:
    """The country an organisation's name gives: the first one named, not counting where it sits.

    "Peru Chamber of Commerce in China" -> PER; "Malaysia China Chamber of Commerce" -> MYS;
    "Chamber of Commerce in China" -> CHN (only where it sits is named).
    """
    seated: str | None = None
    for name in (entity.name, *entity.aliases):
        parts = re.split(r"\s+(?:based in|in|at)\s+", name, maxsplit=1)
        own, seat = parts[0], parts[1] if len(parts) > 1 else ""
        found = countries_in(own.replace("-", " "))
        if found:
            return found[0]
        seated = seated or next(iter(countries_in(seat)), None)
    return seated


def _described_country(entity: Entity, context: _Context) -> str | None:
    """ "the Ukrainian state-owned Naftohaz company", "Zambian miner X": a description by a mention."""
    for mention in entity.mentions:
        phrase = affiliation.phrase_before(context.text, mention.start, context.person_spans, apposition=False)
        found = affiliation.country_of_phrase(phrase) if phrase else None
        if found:
            return found
    return None


@lru_cache(maxsize=4096)
def organisation_sector(name: str) -> str | None:
    """The sector an organisation's name signals, by the most specific keyword in it."""
    body = international_body(name)
    if body is not None:
        return body.sector
    lowered = f" {name.casefold()} "
    if not _any_org_keyword().search(lowered):
        return None  # most names: one search instead of one per keyword
    return next((sector for keyword, pattern, sector in _org_keyword_patterns()
                 if keyword in lowered and pattern.search(lowered)), None)  # the plain test first: far cheaper


_KEYWORD = r"(?<![\w&]){}(?![\w&])"  # a keyword as whole words ("R&D" is one word)


@lru_cache(maxsize=1)
def _org_keyword_patterns() -> list[tuple[str, re.Pattern[str], str]]:
    """Each organisation keyword, as written and as a whole-word pattern compiled once, most specific first."""
    return [(keyword, re.compile(_KEYWORD.format(re.escape(keyword))), sector) for keyword, sector in org_keywords()]


@lru_cache(maxsize=1)
def _any_org_keyword() -> re.Pattern[str]:
    """One pattern that matches where any keyword pattern would: which one decides the sector."""
    return re.compile(_KEYWORD.format("(?:" + "|".join(re.escape(k) for k, _ in org_keywords()) + ")"))


# --------------------------------------------------------------------------- groups


def _group(entity: Entity, context: _Context) -> None:
    texts = [entity.name, *entity.aliases]
    if not entity.country and not _joint(entity):
        ranked = Counter(c for text in texts for c in countries_in(text)).most_common(1)
        entity.country = ranked[0][0] if ranked else None
    if not entity.country and not _joint(entity):  # "the PCJCCI trade delegation": the body it comes from
        entity.country = next(filter(None, (affiliation.country_of_phrase(t, context.resolve) for t in texts)), None)
    if not entity.sector:
        words = entity.name.lower().split()
        phrases = [" ".join(words[i : i + 2]) for i in range(len(words) - 1)] + words  # "trade delegation" first
        noun_sector = next((group_nouns()[p] for p in phrases if group_nouns().get(p)), None)
        entity.sector = noun_sector or _members_sector(" ".join([entity.members or "", *texts]))


def _joint(group: Entity) -> bool:
    """A group its name gives to several countries alike ("Nigerian and Chilean officials"): no one's."""
    ranked = Counter(c for text in [group.name, *group.aliases] for c in countries_in(text)).most_common(2)
    return len(ranked) == 2 and ranked[0][1] == ranked[1][1]


def _members_sector(text: str) -> str | None:
    sector = titles().sector_of(text.split(" from ")[0]) if text else None
    if sector:
        return sector
    for pattern, found in _GROUP_MEMBER_SECTORS:
        if pattern.search(text):
            return found
    return None


# --------------------------------------------------------------------------- people


def _person(entity: Entity, context: _Context) -> None:
    evidence = [_role_evidence(role, context) for role in entity.roles]
    entity.country = entity.country or next((c for c, _ in evidence if c), None) or _context_country(entity, context)
    entity.sector = entity.sector or next((s for _, s in evidence if s), None)
    if not entity.sector:
        entity.sector = _described_sector(entity, context)


def _described_sector(entity: Entity, context: _Context) -> str | None:
    """The sector the title before a name implies when no role was found ("Foreign Minister Dr. X")."""
    for mention in entity.mentions:
        phrase = affiliation.phrase_before(context.text, mention.start, context.others(entity), apposition=False)
        words = phrase.split() if phrase else []
        while words and not titles().is_head(words[-1].strip(".,")):
            words.pop()  # "Minister Dr." -> "Minister"
        if words:
            return titles().sector_of(" ".join(words))
    return None


def _unnamed_country(entity: Entity, context: _Context) -> str | None:
    """A person whose description names no country: the story's, when they hold a public office
    ("President X", "the Industry Minister") or speak for a body that would be ("Acme Chamber
    president X"); else none."""
    titles_held = [r.title for r in entity.roles]
    bodies = [r.of for r in entity.roles if r.of and not _is_posting(r, context.text)]
    for mention in entity.mentions[:1]:
        phrase = affiliation.phrase_before(context.text, mention.start, context.others(entity), apposition=False)
        if phrase:
            titles_held.append(phrase)
            bodies += affiliation.bodies_in(phrase)
    if any(_is_public_office(t, entity.sector) for t in titles_held):
        return _home_of(entity, context)
    for body in bodies:
        if context.by_name.get(_key(body)) is None and not countries_in(body):
            return _body_default(body, context)
    return None


#: title sectors of public offices that, unqualified, are read as the story's own country's
_PUBLIC = {"GOV", "LEG", "JUD", "MIL", "COP"}


def _home_of(entity: Entity, context: _Context) -> str | None:
    """The story's country for an office written without one -- unless a sentence sends the holder
    there ("President X will travel to Peru", "X is now in Lima"): a visitor's country is then the
    other one the story is about, when there is exactly one other."""
    setting = context.setting
    if setting is None or context.other_country is None:
        return setting
    visiting = affiliation.goes_to(context.document, entity, setting, context.others(entity))
    return context.other_country if visiting else setting


def _is_public_office(title: str, sector: str | None) -> bool:
    """A public office that, unqualified, is the story's own country's; a posting abroad is not."""
    if _is_posted(title):
        return False
    head = re.split(r"\s+of\s+", title, maxsplit=1)[0]  # "Secretary of State": a secretary
    return _office_kind(title) == "state" or sector in _PUBLIC or titles().sector_of(head) in _PUBLIC


def _office_kind(title: str) -> str | None:
    words = title.casefold().split()
    phrases = {" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)}
    kinds = {_office_kinds()[p] for p in phrases if p in _office_kinds()}
    return "posted" if "posted" in kinds else next(iter(kinds), None)


@lru_cache(maxsize=1)
def _office_kinds() -> dict[str, str]:
    return {row["title"].casefold(): row["kind"] for row in read_table("office_kinds.tsv")}


def _context_country(entity: Entity, context: _Context) -> str | None:
    """The country the words around the person's mentions give, first mention first."""
    others = context.others(entity)
    text = context.text
    for mention in sorted(entity.mentions, key=lambda m: m.start):
        for phrase in (
            affiliation.phrase_before(text, mention.start, others),
            affiliation.phrase_after(text, mention.end, others),
            affiliation.list_head_phrase(text, mention.start, others),
        ):
            found = affiliation.country_of_phrase(phrase, context.resolve) if phrase else None
            if found:
                return found
        group = affiliation.leading_group(context.document, mention.start)
        if group is not None:
            return group.country
    return None


def _owner_country(group: Entity, context: _Context) -> str | None:
    """A group takes the country of the person it belongs to ("X is accompanied by a delegation")."""
    for mention in group.mentions:
        owner = affiliation.group_owner(context.text, mention.start, context.person_spans)
        holder = context.by_span.get(owner) if owner else None
        if holder is not None and holder.country:
            return holder.country
    return None


def _group_member_country(entity: Entity, context: _Context) -> str | None:
    """A name listed in a group takes its country: "a large Kenyan delegation including Minister X"."""
    for mention in entity.mentions:
        intro = affiliation.list_intro(context.text, mention.start, context.others(entity))
        if intro is None:
            continue
        ending = sorted(found for end in range(intro[0] - 2, intro[0] + 1) for found in context.groups_ending_at(end))
        group = next((g for _rank, g in ending if g.country), None)
        if group is not None:
            return group.country
    return None


def _list_country(entity: Entity, context: _Context) -> str | None:
    """A name in a list of titled names sharing one body takes the country of the name before it."""
    others = context.others(entity)
    for mention in entity.mentions:
        previous = affiliation.previous_in_list(context.text, mention.start, others)
        while previous is not None:
            holder = context.by_span.get(previous)
            if holder is not None and holder.country:
                return holder.country
            previous = affiliation.previous_in_list(context.text, previous[0], others)
    return None


_POSTED = re.compile(r"\b(?:to|in|at)\s+(?:the\s+)?$")


def _role_evidence(role: Role, context: _Context) -> tuple[str | None, str | None]:
    """(country, sector) one role gives: from the body it belongs to, else from the title itself."""
    title_sector = titles().sector_of(role.title)
    title_country = affiliation.country_of_phrase(role.title)  # "Peruvian trade minister"
    if not role.of or _is_posting(role, context.text):
        return title_country, title_sector  # "ambassador to Peru": Peru is where, not whose
    body = international_body(role.of)
    if body is not None:
        return body.code, title_sector or body.sector
    known = context.by_name.get(_key(role.of))
    if known is not None and known.type in {"ORG", "GROUP"}:
        return known.country or title_country or _of_country(role.of), title_sector or known.sector
    if known is not None and known.type in {"GPE", "LOC", "FAC"} and known.country:
        return known.country, title_sector or "GOV"  # "president of Peru": a public office
    body_sector = organisation_sector(role.of)
    named = _of_country(role.of)
    if body_sector:
        return named or title_country, title_sector or body_sector
    if named:
        return named, title_sector or "GOV"
    place = _place_country(role.of, context.setting)
    if place:
        return place, title_sector or "GOV"
    return title_country, title_sector


def _of_country(name: str) -> str | None:
    """The country a role's body names: "Peru", "Thai", "the Peruvian Chamber of Commerce in China"."""
    own = re.split(r"\s+(?:in|at)\s+", name, maxsplit=1)[0]
    return affiliation.country_of_phrase(own) or next(iter(countries_in(name)), None)


def _is_posting(role: Role, text: str) -> bool:
    """True when the role's body is where the holder is posted, not whose: "ambassador to Peru",
    "consul general in Lima" (a post abroad, "to", "in" or "at"); any title "to" a place."""
    if role.start is None or role.end is None or not role.of:
        return False
    span = text[role.start : role.end]
    at = span.rfind(role.of)
    if at <= 0:
        return False
    before = span[:at]
    if re.search(r"\bto\s+(?:the\s+)?$", before):
        return True
    return bool(_POSTED.search(before)) and _is_posted(role.title)


def _is_posted(title: str) -> bool:
    return _office_kind(title) == "posted"


def _place_country(name: str, setting: str | None) -> str | None:
    """The country of a place named exactly so ("Brno"); not of whatever a lookup can stretch to."""
    place = lookup(name, (setting,) if setting else ())
    if place is None or _key(place.name) != _key(re.sub(r"^(?:the|The) ", "", name)):
        return None
    return place.country
