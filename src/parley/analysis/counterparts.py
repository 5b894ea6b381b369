"""A counterpart holds the office of the one whose counterpart they are.

"Foreign Minister Ana Ruiz received her Peruvian counterpart Luis Vega" tells Luis Vega's office as
much as "Peruvian Foreign Minister Luis Vega" would: the role read for him is ("counterpart",
"Peru"), and the title is the one the possessive points back to -- the nearest person named before
him in the sentence, who holds a title of their own. Without a possessive ("the two counterparts")
or without such a person, the role stays as it was read.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..document import Document, Entity, Role
from .affiliation import sentence_bounds
from .lexicon import read_table

_POSSESSIVE_BEFORE = re.compile(r"\b(?:his|her|their)\s+(?:[\w’'-]+\s+){0,2}$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _relative_titles() -> frozenset[str]:
    return frozenset(row["title"].casefold() for row in read_table("relative_titles.tsv"))


def title_counterparts(document: Document) -> None:
    """Give each "counterpart" role the title of the person the possessive before it points to."""
    text = document.article.text
    people = [e for e in document.entities if e.type == "PERSON"]
    for person in people:
        for k, role in enumerate(person.roles):
            if role.title.casefold() not in _relative_titles() or role.start is None:
                continue
            title = _owner_title(text, role.start, person, people)
            if title is not None:
                person.roles[k] = Role(title, role.of, role.start, role.end)


def _owner_title(text: str, start: int, person: Entity, people: list[Entity]) -> str | None:
    """The own title of the nearest other person named before `start` in its sentence, when a
    possessive ("his", "her", "their") comes just before the counterpart."""
    begin, _end = sentence_bounds(text, start)
    if not _POSSESSIVE_BEFORE.search(text[max(begin, start - 60) : start]):
        return None
    before = [(m.start, other) for other in people if other is not person
              for m in other.mentions if begin <= m.start < start]
    if not before:
        return None
    owner = max(before, key=lambda found: found[0])[1]
    return next((r.title for r in owner.roles if r.title.casefold() not in _relative_titles()), None)
