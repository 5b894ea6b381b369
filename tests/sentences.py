"""Helpers for tests that analyse a sentence of their own and look at what came out."""

from __future__ import annotations

import parley
from parley.document import Document, Entity, Quote


def analyse(text: str, published: str | None = "2024-05-03", **fields: str) -> Document:
    """One invented article: the text under a neutral headline, published on a fixed day."""
    return parley.analyze(text, headline="Test", published=published, **fields)


def person(doc: Document, name: str) -> Entity:
    found = [e for e in doc.entities if e.type == "PERSON" and name in (e.name, *e.aliases)]
    assert found, f"no person {name!r} in {[(e.type, e.name) for e in doc.entities]}"
    return found[0]


def roles(entity: Entity) -> set[tuple[str, str | None]]:
    return {(r.title.lower(), r.of) for r in entity.roles}


def speaker_name(doc: Document, quote: Quote) -> str | None:
    entity = doc.entity(quote.speaker)
    return entity.name if entity else None
