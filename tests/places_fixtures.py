"""Invented documents for the country and place pages (no spaCy): visits each way between three
countries, places inside and outside a province, an undated event and quotes by officials.

The stored places carry the gazetteer's own `geo`, as the analysis writes it, so the pages meet the
admin hierarchy real stores have: a city under its province under its country.

- "a": a Chilean delegation visits Mianyang (Sichuan, China) and meets a Chinese mayor, who is quoted.
- "b": a Kenyan minister meets a Chinese governor in Yichang (Hubei, China).
- "c": a Chinese delegation visits Mombasa (Kenya).
- "d": a Chilean and a Chinese official agree on farming; the article has no date.
- "e": Sichuan named on its own, so the province has a page.
"""

from __future__ import annotations

from parley.analysis.places import lookup
from parley.document import (
    Article,
    Document,
    Entity,
    Event,
    EventDate,
    Mention,
    Quote,
    Span,
    Trigger,
)

CHILE_TO_CHINA = ("A Chilean copper delegation led by Marta Quispe visited Mianyang on Tuesday. "
                  "The delegation met Mayor Gao Ren at the city hall. "
                  "Quispe said the delegation hopes to invest in battery plants. "
                  "\"We welcome partners who build here,\" Gao Ren said.")
KENYA_TO_CHINA = "Kenyan minister Wanjiru Odhiambo met governor Tan Wei in Yichang to discuss tea exports."
CHINA_TO_KENYA = "A Chinese port delegation led by Shen Bo visited Mombasa and met county officials."
UNDATED = "Chilean envoy Diego Araya and Chinese official Bai Lin agreed to study farming links."
PROVINCE = "Sichuan announced a new export fair for the spring."


def _geo(name: str) -> dict:
    place = lookup(name)
    assert place is not None, name
    return place.geo()


class Doc:
    """A document built word by word: entities, events and quotes point at words of `text`."""

    def __init__(self, aid: str, text: str, published: str | None) -> None:
        self.text, self.aid, self.published = text, aid, published
        self.entities: list[Entity] = []
        self.events: list[Event] = []
        self.quotes: list[Quote] = []

    def entity(self, eid: str, type_: str, name: str, country: str | None, place: str | None = None) -> str:
        start = self.text.index(name)
        self.entities.append(Entity(id=eid, type=type_, name=name, country=country,
                                    geo=_geo(place) if place else None,
                                    mentions=[Mention(start, start + len(name), name)]))
        return eid

    def event(self, eid: str, type_: str, mode: str | None, word: str, actor: list[str], recipient: list[str],
              location: str | None = None, date: str | None = None, sectors: list[str] | None = None) -> None:
        start = self.text.index(word)
        s_start = self.text.rfind(". ", 0, start)
        s_start = 0 if s_start < 0 else s_start + 2
        s_end = self.text.find(".", start) + 1
        self.events.append(Event(id=eid, type=type_, mode=mode, trigger=Trigger(word, start, start + len(word)),
                                 sentence=Span(s_start, s_end), actor=actor, recipient=recipient, location=location,
                                 date=EventDate(date, date, date, "day") if date else None,
                                 sectors=sectors or [], confidence=0.9))

    def quote(self, qid: str, words: str, speaker: str) -> None:
        start = self.text.index(words)
        self.quotes.append(Quote(id=qid, text=words, start=start, end=start + len(words), speaker=speaker,
                                 speaker_text=next(e.name for e in self.entities if e.id == speaker), cue="said"))

    def doc(self) -> Document:
        return Document(article=Article(id=self.aid * 40, text=self.text, published=self.published,
                                        headline=self.text[:40], source="Invented Wire"),
                        entities=self.entities, events=self.events, quotes=self.quotes)


def documents() -> list[Document]:
    a = Doc("a", CHILE_TO_CHINA, "2025-03-12")
    a.entity("e1", "GROUP", "Chilean copper delegation", "CHL")
    a.entity("e2", "PERSON", "Marta Quispe", "CHL")
    a.entity("e3", "GPE", "Mianyang", "CHN", place="Mianyang")
    a.entity("e4", "PERSON", "Gao Ren", "CHN")
    a.event("v1", "CONSULT", "visit", "visited", ["e1", "e2"], ["e3"], "e3", "2025-03-11")
    a.event("v2", "CONSULT", None, "met", ["e1"], ["e4"], "e3", "2025-03-11")
    a.event("v3", "AGREE", None, "hopes", ["e2"], ["e3"], sectors=["new-energy-vehicles"])
    a.quote("q1", "We welcome partners who build here,", "e4")

    b = Doc("b", KENYA_TO_CHINA, "2024-06-20")
    b.entity("e1", "PERSON", "Wanjiru Odhiambo", "KEN")
    b.entity("e2", "PERSON", "Tan Wei", "CHN")
    b.entity("e3", "GPE", "Yichang", "CHN", place="Yichang")
    b.event("v1", "CONSULT", None, "met", ["e1"], ["e2"], "e3", "2024-06-18", sectors=["agriculture"])

    c = Doc("c", CHINA_TO_KENYA, "2023-09-05")
    c.entity("e1", "GROUP", "Chinese port delegation", "CHN")
    c.entity("e2", "PERSON", "Shen Bo", "CHN")
    c.entity("e3", "GPE", "Mombasa", "KEN", place="Mombasa")
    c.entity("e4", "GROUP", "county officials", "KEN")
    c.event("v1", "CONSULT", "visit", "visited", ["e1", "e2"], ["e3"], "e3", "2023-09-04", sectors=["logistics"])
    c.event("v2", "CONSULT", None, "met", ["e1"], ["e4"], "e3", "2023-09-04")

    d = Doc("d", UNDATED, None)
    d.entity("e1", "PERSON", "Diego Araya", "CHL")
    d.entity("e2", "PERSON", "Bai Lin", "CHN")
    d.event("v1", "AGREE", None, "agreed", ["e1"], ["e2"], sectors=["agriculture"])

    e = Doc("e", PROVINCE, "2025-01-15")
    e.entity("e1", "GPE", "Sichuan", "CHN", place="Sichuan")
    return [a.doc(), b.doc(), c.doc(), d.doc(), e.doc()]


def aid(letter: str) -> str:
    return letter * 40
