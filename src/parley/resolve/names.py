"""Personal names reduced to comparable parts: folded words, given name, surname.

"Crown Prince Karim bin Saleh", "Mrs Varga", "Tomás Brel" and "Omer al-Rashid"
are compared as word tuples with titles and honorifics cut from the front, accents folded, and
a surname particle ("al-", "von") not compared.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import rules, words

_NOT_NAME = re.compile(r"[^\w'\- ]+")


@lru_cache(maxsize=262144)
def fold(text: str) -> str:
    """Lower case, accents removed, curly apostrophes straightened, punctuation as spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    return " ".join(_NOT_NAME.sub(" ", text).split())


@dataclass(frozen=True)
class Name:
    """A person's name as words, without leading titles."""

    words: tuple[str, ...]

    @property
    def full(self) -> str:
        return " ".join(self.words)

    @property
    def surname(self) -> str:
        return _surname(self.words[-1]) if self.words else ""

    @property
    def given(self) -> str | None:
        return self.words[0] if len(self.words) >= 2 else None

    @property
    def single(self) -> bool:
        return len(self.words) == 1


@lru_cache(maxsize=262144)
def parse(name: str) -> Name:
    """The words of a name with the titles and honorifics before it cut (at least one word kept)."""
    tokens = fold(name).split()
    lex = words()
    while len(tokens) > 1 and (tokens[0] in lex.name_titles or tokens[0].rstrip(".") in lex.name_titles):
        tokens = tokens[1:]
    return Name(tuple(tokens))


@lru_cache(maxsize=65536)
def _surname(word: str) -> str:
    return strip_particle(word)


def strip_particle(word: str) -> str:
    """'al-rashid' -> 'rashid'; a word that is all particle stays."""
    for particle in sorted(words().particles, key=len, reverse=True):
        if particle.endswith("-") and word.startswith(particle) and len(word) > len(particle):
            return word[len(particle):]
    return word


def spelling_variant(a: str, b: str) -> bool:
    """Two given names that differ only as a transliteration does: same first letter, long enough,
    at most `given_name_edits` edits per six letters (Omar/Omer, Akinwumi/Akinwunmi)."""
    if a == b:
        return True
    if not variant_lengths(a, b) or a[0] != b[0]:
        return False
    allowed = _allowed_edits(a, b)
    if allowed == 1:
        return _one_edit(a, b)
    return edit_distance(a, b) <= allowed


def variant_lengths(a: str, b: str) -> bool:
    """Whether two given names are long enough, and close enough in length, to be spelling variants:
    the cheap half of `spelling_variant`, which a common surname's thousands of pairs mostly fail."""
    return min(len(a), len(b)) >= rules().min_given_variant and abs(len(a) - len(b)) <= _allowed_edits(a, b)


def _allowed_edits(a: str, b: str) -> int:
    return max(1, rules().given_name_edits * min(len(a), len(b)) // 6)


def _one_edit(a: str, b: str) -> bool:
    """Whether two different words are one substitution, insertion or deletion apart (the edit
    distance test for the usual given name, without the whole table)."""
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:]
    return len(b) - len(a) == 1 and a[i:] == b[i + 1:]


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@lru_cache(maxsize=65536)
def relation(a: Name, b: Name) -> str:
    """How two names relate: "same" (equal, or one's words all in the other's with the same
    surname), "variant" (same surname, given names spelt differently), "surname" (one is a bare
    surname of the other, or both are the same bare word), "different" (anything else, including
    one surname with two different given names: Pavel Holm / Greta Holm)."""
    if not a.words or not b.words:
        return "different"
    if a.surname != b.surname:
        return "different"
    if a.words == b.words:
        return "surname" if a.single else "same"
    if a.single or b.single:
        return "surname"
    short, long_ = sorted((a, b), key=lambda n: len(n.words))
    if short.given == long_.given and set(short.words) <= set(long_.words):
        return "same"
    if spelling_variant(a.given or "", b.given or "") and len(a.words) == len(b.words):
        return "variant"
    return "different"
