"""Entity ids: assigned once the set of entities is settled, in order of first mention."""

from __future__ import annotations

from ..document import Document


def renumber_entities(document: Document) -> None:
    """Entity ids in order of first mention; steps that add or merge entities call it before any
    step that refers to entities by id."""
    document.entities.sort(key=lambda e: min((m.start for m in e.mentions), default=0))
    for n, entity in enumerate(document.entities, start=1):
        entity.id = f"e{n}"
