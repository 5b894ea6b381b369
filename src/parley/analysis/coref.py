"""Who "he", "who", "the mayor" and "the chamber" are: just enough coreference for speakers and actors.

Not a general coreference model: a few rules that news writing makes reliable. A personal pronoun
that is a subject goes to the sentence of the latest person named before it (outside quotations)
and takes, of the people named there, the subject of a speech verb, else a subject, else the
latest: "X said this during a visit by Y. He said ..." is X; any other pronoun is the latest person.
"they" does the same with groups and organisations. "who" is the latest person in its own
sentence; a definite description is the latest entity whose role title ("the chief minister",
every word of it), name ("the chamber"), group noun ("the delegation") or the title written
before its name ("Ambassador X") it repeats, of the country its modifier names ("the Ruritanian
minister"); "the company" is the organisation that was the subject there. A bare surname ("Ruiz",
"Ms Ruiz") is the one person whose full name ends with it. A resolved word becomes a mention of its
entity, so every fact that uses it points at the very word in the text, and a later pronoun can go
back to it.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from functools import lru_cache
from itertools import islice, takewhile
from typing import Any

from ..document import Document, Entity, Mention
from .doctable import sentence_of
from .lemmas import noun_lemma, verb_lemma
from .lexicon import read_table, titles
from .namewords import is_honorific
from .places import countries_in

PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers"}
GROUP_PRONOUNS = {"they", "them", "their", "we", "us", "our"}
RELATIVE = {"who", "whom"}
#: What "it" can name as a speaker: a body, a document or medium, a country.
THING_TYPES = {"ORG", "SOURCE", "GPE"}
_ACTOR_TYPES = {"PERSON", "ORG", "GROUP"}
#: Who can be a speaker: actors, and countries or communities that speak as one ("Russia said").
SPEAKER_TYPES = _ACTOR_TYPES | {"GPE", "NORP"}
_SUBJECT_DEPS = {"nsubj", "nsubjpass"}
_TITLE_WINDOW = 60  # characters before a name where its title is written ("Trade Minister X")
_MASCULINE = {"he", "him", "his", "mr", "sir"}
_FEMININE = {"she", "her", "hers", "ms", "mrs", "miss", "madam"}
#: How many mentions back an antecedent is looked for (see `Resolver._recent`).
ANTECEDENT_WINDOW = 2000


class Resolver:
    """Resolves words of one document to entities; quoted spans are passed in so that a name
    inside a quotation ("I met Ana Ruiz") is not taken for the speaker's antecedent."""

    def __init__(self, document: Document, quoted: Sequence[tuple[int, int]] = ()) -> None:
        self.document = document
        self.quoted = _merged(quoted)
        self._quote_starts = [a for a, _b in self.quoted]
        self._mentions = sorted(
            ((m.start, m.end, e) for e in document.entities for m in e.mentions), key=lambda t: t[0]
        )
        self._starts = [m[0] for m in self._mentions]
        self._longest = max((end - start for start, end, _e in self._mentions), default=0)
        self._called_by: dict[int, set[str]] = {}
        self._in_order: set[int] = set()  # entities whose mentions this resolver has put in text order

    def mentions_between(self, start: int, end: int) -> list[tuple[int, int, Entity]]:
        """The (start, end, entity) of every mention that begins in [start, end), in text order."""
        return self._mentions[bisect.bisect_left(self._starts, start) : bisect.bisect_left(self._starts, end)]

    def _recent(self, offset: int) -> list[tuple[int, int, Entity]]:
        """The mentions an antecedent is looked for among: the last `ANTECEDENT_WINDOW` before
        `offset`. A bound, so that a book-length text costs time in proportion to its length; no
        news article has that many mentions."""
        at = bisect.bisect_left(self._starts, offset)
        return self._mentions[max(0, at - ANTECEDENT_WINDOW) : at]

    def entity_at(self, start: int, end: int, types: set[str] = SPEAKER_TYPES) -> Entity | None:
        """The actor entity with a mention overlapping [start, end), the longest if several."""
        hits = [(e_end - e_start, e) for e_start, e_end, e in self.mentions_between(start - self._longest, end)
                if e.type in types and start < e_end]
        return max(hits, key=lambda h: h[0])[1] if hits else None

    def only_person_before(self, offset: int) -> Entity | None:
        """The one person the text has named outside quotations before `offset`, or None when it has
        named none or several: "X met the chamber. ..., said the Governor" where no one was called
        governor is X, the only person in the story so far."""
        people = {id(e): e for start, _end, e in self._mentions[: bisect.bisect_left(self._starts, offset)]
                  if e.type == "PERSON" and self._outside_quotes(start)}
        return next(iter(people.values())) if len(people) == 1 else None

    def resolve(self, token: Any) -> Entity | None:
        """The entity a subject token refers to, or None; records the token as its mention."""
        lower = token.lower_
        if lower in PERSON_PRONOUNS:
            skip = self._other_gender(lower, token.idx)
            found = (self._salient_subject(token, {"PERSON"}, skip=skip)
                     or self._latest_before(token.idx, {"PERSON"}, skip=skip))
        elif lower in RELATIVE:
            found = self._latest_before(token.idx, {"PERSON"}, not_before=sentence_of(token).start_char)
        elif lower in GROUP_PRONOUNS:
            found = self._salient_subject(token, {"GROUP", "ORG"}) or self._latest_before(token.idx, {"GROUP", "ORG"})
        elif token.pos_ == "NOUN" or token.pos_ == "PROPN" and titles().is_title_word(lower):
            found = self._description(token)  # "the minister", "the Ambassador"
            if found is None and token.text[:1].isupper() and not titles().is_title_word(lower):
                found = self.by_surname(token)  # a surname the tagger took for a noun
        elif token.pos_ == "PROPN":
            found = self.by_surname(token)
        else:
            found = None
        if found is not None:
            self._add_mention(found, token.idx, token.idx + len(token.text), token.text)
        return found

    def add_entity_mention(self, entity: Entity, start: int, end: int, text: str) -> None:
        """Record a word as a mention of an entity (one the caller made, or found)."""
        self._add_mention(entity, start, end, text)

    def by_surname(self, token: Any) -> Entity | None:
        """ "Ruiz", "Ms Ruiz": the person named earlier whose full name ends with that surname."""
        words = [t for t in token.doc[_left_of(token) : token.i + 1]
                 if not is_honorific(t.text) and not t.is_punct]
        if not words or len(words) > 2:
            return None
        surname = " ".join(t.text for t in words).lower()
        return self._named_with(surname, token.idx)

    def _named_with(self, surname: str, offset: int, exclude: Entity | None = None) -> Entity | None:
        """The latest full-named person before `offset` whose name ends with the surname, else one
        whose name holds it as a word ("Tan" in "Tan Wei Ming": family names come first in some). None
        when two people share it: "Clinton" alone does not say which."""
        ends, holds = None, None
        sharing: set[int] = set()
        for _start, _end, entity in self._recent(offset):
            name = entity.name.lower()
            if entity.type != "PERSON" or entity is exclude or name == surname:
                continue
            if name.endswith(" " + surname):
                ends = entity
                sharing.add(id(entity))
            elif f" {surname} " in f" {name} ":
                holds = entity
                sharing.add(id(entity))
        return None if len(sharing) > 1 else ends or holds

    def full_person(self, entity: Entity, start: int) -> Entity:
        """The full-named person an honorific-and-surname entity ("Mr Ruiz") stands for, if one was named."""
        words = entity.name.split()
        if entity.type != "PERSON" or len(words) > 2 or len(words) == 2 and not is_honorific(words[0]):
            return entity
        return self._named_with(words[-1].lower(), start, exclude=entity) or entity

    def _other_gender(self, pronoun: str, offset: int) -> set[int]:
        """Ids of the people a pronoun cannot be: those already called by the other gender's
        pronoun or honorific ("she", "Ms Ruiz" for "he")."""
        theirs = _FEMININE if pronoun in _MASCULINE else _MASCULINE
        candidates = {id(e): e for _s, _e, e in self._recent(offset)}.values()
        return {id(e) for e in candidates if e.type == "PERSON" and self._called(e) & theirs}

    def _called(self, entity: Entity) -> set[str]:
        """The words a person is called by: the first word of each mention and the word before it
        ("he", "Ms"), kept per entity and grown with each new mention."""
        words = self._called_by.get(id(entity))
        if words is None:
            words = self._called_by[id(entity)] = set()
            for mention in entity.mentions:
                words |= self._address_words(mention.start, mention.text)
        return words

    def _address_words(self, start: int, text: str) -> set[str]:
        return {w.lower().rstrip(".") for w in text.split()[:1] + _word_before(self.document.article.text, start)}

    def _salient_subject(self, token: Any, types: set[str], subjects_only: bool = False,
                         skip: set[int] | None = None) -> Entity | None:
        """For a subject pronoun: of the entities named in the sentence of the latest one before it,
        the subject of a speech verb, else a subject, else the latest ("X said ..., adding that Y
        left. He said" is X; "X met Y and Z. He said" is X). None when the pronoun is no subject."""
        latest = self._latest_before(token.idx, types, with_offset=True, skip=skip)
        if token.dep_ not in _SUBJECT_DEPS or latest is None:
            return None
        doc = token.doc
        sent = doc.char_span(latest[0], latest[0] + 1, alignment_mode="expand")
        if sent is None:
            return None
        sent = sentence_of(sent)
        stop = min(sent.end_char, token.idx)
        named = [(self._is_speech_subject(doc, start, end), self._is_subject(doc, start, end), start, entity)
                 for start, end, entity in self.mentions_between(sent.start_char, stop)
                 if entity.type in types and self._outside_quotes(start)
                 and id(entity) not in (skip or ())]
        if subjects_only:
            named = [n for n in named if n[1]]
        return max(named, key=lambda s: s[:3])[3] if named else None

    def resolve_it(self, token: Any) -> Entity | None:
        """What "it" as a speaker's subject names (see `_thing_subject`), recorded as its mention; kept
        apart from `resolve` so that only statements, not events, lean on it."""
        found = self._thing_subject(token) if token.lower_ == "it" else None
        if found is not None:
            self._add_mention(found, token.idx, token.idx + len(token.text), token.text)
        return found

    def _thing_subject(self, token: Any) -> Entity | None:
        """ "The ministry issued new rules. It said ...": "it" as a subject is the body, source or
        country that was the subject of its own sentence or the one just before."""
        sent = sentence_of(token)
        found = self._salient_subject(token, THING_TYPES, subjects_only=True)
        if found is None:
            return None
        since = sentence_of(token.doc[sent.start - 1]).start_char if sent.start > 0 else sent.start_char
        return found if any(since <= m.start < token.idx for m in found.mentions) else None

    @staticmethod
    def _head_at(doc: Any, start: int, end: int) -> Any | None:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        head = span.root
        while head.dep_ in {"compound", "flat", "appos"} and head.head.i != head.i:
            head = head.head
        return head

    def _is_subject(self, doc: Any, start: int, end: int) -> bool:
        head = self._head_at(doc, start, end)
        return head is not None and head.dep_ in _SUBJECT_DEPS

    def _is_speech_subject(self, doc: Any, start: int, end: int) -> bool:
        head = self._head_at(doc, start, end)
        return head is not None and head.dep_ in _SUBJECT_DEPS and verb_lemma(head.head, _speech_lemmas()) is not None

    def outside_quotes(self, start: int) -> bool:
        """The offset is in no quoted span."""
        return self._outside_quotes(start)

    def _outside_quotes(self, start: int) -> bool:
        at = bisect.bisect_right(self._quote_starts, start) - 1
        return at < 0 or start >= self.quoted[at][1]

    def _latest_before(self, offset: int, types: set[str], not_before: int = 0, with_offset: bool = False,
                       skip: set[int] | None = None) -> Any:
        for start, _end, entity in reversed(self._recent(offset)):
            if start < not_before:
                return None
            if entity.type in types and self._outside_quotes(start) and id(entity) not in (skip or ()):
                return (start, entity) if with_offset else entity
        return None

    def _description(self, token: Any) -> Entity | None:
        """ "the mayor", "the chief minister", "the Ruritanian minister", "the chamber", "the delegation": the
        latest entity the description fits (every title word, and the country its modifier names)."""
        modifiers = [c for c in token.lefts if c.dep_ in {"compound", "amod", "nmod"}]
        if countries_in(token.text):
            return None
        countries = countries_in(" ".join(m.text for m in modifiers))
        definite = any(child.lower_ in {"the", "this", "that"} for child in token.children)
        if not definite and not countries:
            return None
        noun = noun_lemma(token)
        wanted = {noun, *(m.lower_ for m in modifiers if not countries_in(m.text) and m.pos_ != "PROPN")}
        best = None
        unfit: set[int] = set()  # entities already found not to fit: their other mentions need no second look
        for start, _end, entity in reversed(self._recent(token.idx)):
            if entity.type not in _ACTOR_TYPES or id(entity) in unfit or not self._outside_quotes(start):
                continue
            if countries and entity.country is not None and entity.country not in countries:
                continue
            unfit.add(id(entity))
            titles = {w for r in entity.roles for w in r.title.lower().replace("-", " ").split()}
            words = {w for name in [entity.name, *entity.aliases] for w in name.lower().split()}
            if wanted <= titles or noun in words or entity.type == "PERSON" and wanted <= self._titled(entity):
                best = entity
                break
        if best is None and definite and noun in _org_nouns():
            types = {"ORG", "SOURCE"} if _org_nouns()[noun] == "media" else {"ORG"}
            best = self._salient_subject(token, types, subjects_only=True)
        return best

    def _titled(self, entity: Entity) -> set[str]:
        """Words written just before the person's names in the text, back to the name before them:
        "Trade Minister X" -> trade, minister."""
        text = self.document.article.text
        words: set[str] = set()
        for mention in entity.mentions:
            window = mention.start - _TITLE_WINDOW
            start = max([window] + [e for _s, e, other in self.mentions_between(window - self._longest, mention.start)
                                    if other is not entity and other.type == "PERSON" and e <= mention.start])
            before = text[max(0, start) : mention.start]
            before = before.replace("\n", ". ").rsplit(". ", 1)[-1]
            words |= {w.strip(",.'’()").lower() for w in before.replace("-", " ").split()}
        return words

    def _add_mention(self, entity: Entity, start: int, end: int, text: str) -> None:
        mentions = entity.mentions
        if id(entity) not in self._in_order:  # other steps may have appended out of order: sort once
            mentions.sort(key=_start_of)
            self._in_order.add(id(entity))
        at = bisect.bisect_left(mentions, start, key=_start_of)
        if not any(m.end == end for m in takewhile(lambda m: m.start == start, islice(mentions, at, None))):
            bisect.insort(mentions, Mention(start=start, end=end, text=text), key=_start_of)
            at = bisect.bisect_left(self._starts, start)
            self._mentions.insert(at, (start, end, entity))
            self._starts.insert(at, start)
            self._longest = max(self._longest, end - start)
            if id(entity) in self._called_by:
                self._called_by[id(entity)] |= self._address_words(start, text)


def _start_of(mention: Mention) -> int:
    return mention.start


def _merged(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans joined where they overlap, in text order, so that one bisection says if an offset is in any."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _word_before(text: str, start: int) -> list[str]:
    """The word written right before a mention: an honorific cut from the name ("Ms" in "Ms Ruiz")."""
    return text[max(0, start - 12) : start].split()[-1:]


def _left_of(token: Any) -> int:
    """Where a name's words begin: "Ms" in "Ms Ruiz"."""
    left = token.i
    for child in token.lefts:
        if child.dep_ in {"compound", "flat"}:
            left = min(left, child.i)
    return left


@lru_cache(maxsize=1)
def _org_nouns() -> dict[str, str]:
    return {r["noun"]: r["kind"] for r in read_table("org_nouns.tsv")}


@lru_cache(maxsize=1)
def _speech_lemmas() -> frozenset[str]:
    """Verbs whose subject is a speaker (`cues.tsv`), for the salience of a pronoun's antecedent."""
    return frozenset(r["lemma"] for r in read_table("cues.tsv"))
