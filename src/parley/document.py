"""The `parley.article/1` document: the one contract between analyzer, store, API, exports and scorers.

Plain dataclasses with a lossless JSON form. `Document.from_dict(doc.to_dict()) == doc` holds for
every document, which is what lets the store give back the very document the analyzer made.
Fields beyond the schema's are allowed (the schema says "add fields freely"); none are renamed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

SCHEMA = "parley.article/1"

#: The JSON Schema of `parley.article/1`, shipped in the package (`json_schema()` reads it).
SCHEMA_FILE = "parley.article-1.schema.json"

ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "GROUP")


@dataclass
class Article:
    """A cleaned article: metadata plus the body text every offset points into."""

    id: str
    text: str
    file: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    headline: str | None = None
    dateline: str | None = None
    language: str = "en"
    captions: list[str] = field(default_factory=list)
    # the dateline place geocoded like any place entity ({"name","country","lat","lon","admin1","geonameid"})
    dateline_geo: dict[str, Any] | None = None
    origin: str | None = field(default=None, compare=False)  # where it was read from ("feed.xml#3", "dump.jsonl:12"), for messages


@dataclass
class Mention:
    start: int
    end: int
    text: str


@dataclass
class Role:
    title: str
    of: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class Entity:
    id: str
    type: str
    name: str
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    sector: str | None = None
    roles: list[Role] = field(default_factory=list)
    geo: dict[str, Any] | None = None
    mentions: list[Mention] = field(default_factory=list)
    members: str | None = None  # for a GROUP: who it is made of ("mayors", "business leaders")


@dataclass
class Span:
    start: int
    end: int


@dataclass
class TimeExpression:
    """A time expression in the text, normalised against the publication date.

    `value`/`value_end` are ISO dates at the precision known: "2025-03-20", "2025-03", "2025", or
    "--04-20" when the year is not known (never a guessed year); None when it cannot be placed.
    """

    id: str
    text: str
    start: int
    end: int
    value: str | None = None
    value_end: str | None = None
    precision: str = "unknown"  # day | month | year | unknown


@dataclass
class Quote:
    id: str
    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_text: str | None = None
    cue: str | None = None
    kind: str = "direct"
    stance: float | None = None
    # the content's pieces when the attribution interrupts it: "A," said X. "B." -> [A, B]
    spans: list[Span] = field(default_factory=list)


@dataclass
class EventDate:
    start: str | None = None
    end: str | None = None
    text: str | None = None
    precision: str = "unknown"


@dataclass
class Trigger:
    text: str
    start: int
    end: int


@dataclass
class Event:
    id: str
    type: str
    trigger: Trigger
    sentence: Span
    mode: str | None = None
    actor: list[str] = field(default_factory=list)
    recipient: list[str] = field(default_factory=list)
    location: str | None = None
    date: EventDate | None = None
    sectors: list[str] = field(default_factory=list)
    negated: bool = False
    hypothetical: bool = False
    confidence: float | None = None


@dataclass
class Document:
    """One analysed article: `parley.article/1`."""

    article: Article
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    dates: list[TimeExpression] = field(default_factory=list)
    schema: str = SCHEMA

    def entity(self, entity_id: str | None) -> Entity | None:
        """The entity with this id, or None."""
        return next((e for e in self.entities if e.id == entity_id), None)

    def __repr__(self) -> str:
        """One line that says which article and what was found in it, not the whole text."""
        a = self.article
        headline = a.headline if a.headline is None or len(a.headline) <= 60 else a.headline[:59] + "…"
        return (f"Document(id={a.id!r}, headline={headline!r}, published={a.published!r}, "
                f"entities={len(self.entities)}, quotes={len(self.quotes)}, events={len(self.events)})")

    def to_dataframes(self) -> dict[str, Any]:
        """{"entities", "quotes", "events"}: pandas DataFrames, one row per entity, quote or event,
        with the columns of `parley export --format entities|quotes|events` (`parley.frames`).
        pandas is an optional extra: `pip install 'parley[pandas]'`."""
        from .frames import table_frame
        from .store.tables import entity_rows, event_rows, quote_rows

        return {"entities": table_frame("entities", entity_rows(self)),
                "quotes": table_frame("quotes", quote_rows(self)),
                "events": table_frame("events", event_rows(self))}

    def to_dict(self) -> dict[str, Any]:
        article = asdict(self.article)
        article.pop("origin", None)  # a run-time detail, not part of the record
        return {
            "schema": self.schema,
            "article": article,
            "entities": [asdict(e) for e in self.entities],
            "quotes": [asdict(q) for q in self.quotes],
            "events": [asdict(v) for v in self.events],
            "dates": [asdict(t) for t in self.dates],
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        if data.get("schema", SCHEMA) != SCHEMA:
            raise ValueError(f"not a {SCHEMA} document: schema is {data.get('schema')!r}")
        return cls(
            schema=data.get("schema", SCHEMA),
            article=_build(Article, data["article"]),
            entities=[
                _build(
                    Entity,
                    e,
                    roles=[_build(Role, r) for r in e.get("roles", [])],
                    mentions=[_build(Mention, m) for m in e.get("mentions", [])],
                )
                for e in data.get("entities", [])
            ],
            quotes=[_build(Quote, q, spans=[_build(Span, p) for p in q.get("spans", [])]) for q in data.get("quotes", [])],
            events=[
                _build(
                    Event,
                    v,
                    trigger=_build(Trigger, v["trigger"]),
                    sentence=_build(Span, v["sentence"]),
                    date=_build(EventDate, v["date"]) if v.get("date") else None,
                )
                for v in data.get("events", [])
            ],
            dates=[_build(TimeExpression, t) for t in data.get("dates", [])],
        )

    @classmethod
    def from_json(cls, text: str) -> Document:
        return cls.from_dict(json.loads(text))


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of `parley.article/1`, as shipped in parley/resources/."""
    from importlib.resources import files

    return json.loads(files("parley").joinpath("resources", SCHEMA_FILE).read_text(encoding="utf-8"))


def _build(kind: type, data: dict[str, Any], **nested: Any) -> Any:
    """Make a dataclass from a dict, ignoring keys this version does not know (forward compatible)."""
    known = {f.name for f in fields(kind)}
    values = {k: v for k, v in data.items() if k in known}
    values.update(nested)
    return kind(**values)
