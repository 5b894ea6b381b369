"""Who "he", "who", "the mayor" and "the chamber" are: just enough coreference for speakers and actors.

Not a general coreference model: a few rules that news writing makes reliable. A personal pronoun
is the latest person named before it (outside quotations); "who" is the latest person in its own
sentence; a definite description is the latest entity whose role title ("the mayor"), name
("the chamber") or group noun ("the delegation") it repeats. A resolved word becomes a mention of
its entity, so every fact that uses it points at the very word in the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..document import Document, Entity, Mention
from .lemmas import noun_lemma

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
GROUP_PRONOUNS = {"they", "them", "their", "we", "us", "our"}
RELATIVE = {"who", "whom"}
_ACTOR_TYPES = {"PERSON", "ORG", "GROUP"}
#: Who can be a speaker: actors, and countries or communities that speak as one ("Russia said").
SPEAKER_TYPES = _ACTOR_TYPES | {"GPE", "NORP"}


class Resolver:
    """Resolves words of one document to entities; quoted spans are passed in so that a name
    inside a quotation ("I met Ana Ruiz") is not taken for the speaker's antecedent."""

    def __init__(self, document: Document, quoted: Sequence[tuple[int, int]] = ()) -> None:
        self.document = document
        self.quoted = list(quoted)
        self._mentions = sorted(
            ((m.start, m.end, e) for e in document.entities for m in e.mentions), key=lambda t: t[0]
        )

    def entity_at(self, start: int, end: int, types: set[str] = SPEAKER_TYPES) -> Entity | None:
        """The actor entity with a mention overlapping [start, end), the longest if several."""
        hits = [(e_end - e_start, e) for e_start, e_end, e in self._mentions
                if e.type in types and e_start < end and start < e_end]
        return max(hits, key=lambda h: h[0])[1] if hits else None

    def resolve(self, token: Any) -> Entity | None:
        """The entity a subject token refers to, or None; records the token as its mention."""
        lower = token.lower_
        if lower in PERSON_PRONOUNS:
            found = self._latest_before(token.idx, {"PERSON"})
        elif lower in RELATIVE:
            found = self._latest_before(token.idx, {"PERSON"}, not_before=token.sent.start_char)
        elif lower in GROUP_PRONOUNS:
            found = self._latest_before(token.idx, {"GROUP", "ORG"})
        elif token.pos_ == "NOUN":
            found = self._description(token)
        else:
            found = None
        if found is not None:
            self._add_mention(found, token.idx, token.idx + len(token.text), token.text)
        return found

    def _outside_quotes(self, start: int) -> bool:
        return not any(a <= start < b for a, b in self.quoted)

    def _latest_before(self, offset: int, types: set[str], not_before: int = 0) -> Entity | None:
        best = None
        for start, _end, entity in self._mentions:
            if start >= offset:
                break
            if start >= not_before and entity.type in types and self._outside_quotes(start):
                best = entity
        return best

    def _description(self, token: Any) -> Entity | None:
        """ "the mayor", "the chamber", "the delegation": the latest entity the noun describes."""
        if not any(child.lower_ in {"the", "this", "that"} for child in token.children):
            return None
        noun = noun_lemma(token)
        best = None
        for start, _end, entity in self._mentions:
            if start >= token.idx:
                break
            if entity.type not in _ACTOR_TYPES or not self._outside_quotes(start):
                continue
            titles = {w for r in entity.roles for w in r.title.lower().replace("-", " ").split()}
            words = set(entity.name.lower().split())
            if noun in titles or noun in words:
                best = entity
        return best

    def _add_mention(self, entity: Entity, start: int, end: int, text: str) -> None:
        if not any(m.start == start and m.end == end for m in entity.mentions):
            entity.mentions.append(Mention(start=start, end=end, text=text))
            entity.mentions.sort(key=lambda m: m.start)
