"""Where a person or organisation belongs, read from the words written around one of its mentions.

A careful reader takes an actor's country from the description next to its name, strongest first:
- the title phrase before the name: "Chinese Ambassador to Zimbabwe Zhou", "Pakistan's ambassador
  to the United States Ali", "Economy Minister of the UAE, Sultan", "his Turkish counterpart Mevlut",
  "the Ukrainian state-owned Naftohaz company" -- a place after "to", "in", "at", "with" is where
  the actor is posted or goes, never its country;
- the apposition or "of"/"from" phrase after it: "Ana, Peru's trade minister,", "Governor Huang of
  the Chinese province of Sichuan", "Yu and Wang from the Chinese Publishing House";
- a list the name is one item of: "Pakistani businessmen including A, B and C";
- the group the person leads: "a Ghanaian delegation, headed by President X".
Only phrases that describe (holding a title or a noun such as "counterpart", "company") count.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache

from ..document import Document, Entity
from .bodies import international_body
from .lexicon import read_table, titles
from .namewords import is_honorific, particles
from .places import countries_in

#: text -> country of a name the article knows (an organisation, a group), or None
Resolver = Callable[[str], "str | None"]

_TOKEN = re.compile(r"[^\W_][\w.&'’-]*|[(),;:\"“”]")
_FUNCTION = {"of", "the", "and", "&", "to", "in", "at", "for", "on", "with"} | particles()
_DESTINATION = {"to", "in", "at", "with", "on", "toward", "towards", "into", "for", "across", "inside", "within"}
_DETERMINERS = {"the", "a", "an", "his", "her", "its", "their", "our", "this", "that", "then", "now", "also", "new"}
_LIST_INTRO = {"including", "namely", "like", "were", "are", "was", "is", ":"}
_MAX_PHRASE = 16
#: How far before a mention its description or the head of its list is looked for: a list of some
#: fifty names; past that a sentence of thousands of names would be read again for every name.
_LOOK_BACK_CHARS = 1500
#: The gap after a sentence's last word. It opens with a look at the one character every gap starts
#: with (a space or a closing quote), so that most positions are passed over at one test rather than
#: the three look-backs.
_SENTENCE_END = re.compile(r"(?=[\s\"”’])(?:(?<=[a-z0-9]{2}[.!?])[\"”’]?\s+|(?<=[.!?][\"”’])\s+|\n+)")


@lru_cache(maxsize=1)
def _nouns() -> frozenset[str]:
    return frozenset(row["noun"].lower() for row in read_table("affiliation_nouns.tsv"))


def _describes(word: str) -> bool:
    """A word that makes a phrase a description of someone: a title word or an affiliation noun."""
    lowered = word.lower().strip("'’")
    singular = lowered[:-1] if lowered.endswith("s") and len(lowered) > 3 else lowered
    return any(titles().is_title_word(w) or w in _nouns() for w in (lowered, singular))


def sentence_bounds(text: str, start: int) -> tuple[int, int]:
    """[begin, end) of the sentence holding offset `start` (abbreviations such as "Mr." do not end one)."""
    ends, starts = _sentence_marks(text)
    k = bisect_right(starts, start) - 1  # the last sentence that starts at or before `start`
    j = bisect_left(ends, start)  # the first sentence end at or after `start`
    return (starts[k] if k >= 0 else 0), (ends[j] if j < len(ends) else len(text))


@lru_cache(maxsize=4)
def _sentence_marks(text: str) -> tuple[list[int], list[int]]:
    """(where each sentence ends, where the next one starts) in `text`, found once per text: looked
    up for every mention, a scan from the top would cost time quadratic in the article's length."""
    found = list(_SENTENCE_END.finditer(text))
    return [m.start() for m in found], [m.end() for m in found]


class Spans:
    """Other people's mentions, sorted once, for overlap and neighbour look-ups in log time (an
    article listing 20,000 names must not cost 20,000 x 20,000 comparisons). Mentions of people do
    not overlap one another, which the look-ups rely on; `exclude` leaves a person's own out."""

    def __init__(self, spans: Iterable[tuple[int, int]], exclude: frozenset[tuple[int, int]] = frozenset()) -> None:
        self._spans = spans._spans if isinstance(spans, Spans) else sorted(set(spans))
        self._starts = spans._starts if isinstance(spans, Spans) else [s for s, _ in self._spans]
        self._exclude = exclude

    def without(self, own: Iterable[tuple[int, int]]) -> Spans:
        return Spans(self, frozenset(own))

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return (s for s in self._spans if s not in self._exclude)

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect_left(self._starts, end) - 1  # the last span starting before `end`
        while k >= 0 and self._spans[k] in self._exclude:
            k -= 1
        return k >= 0 and self._spans[k][1] > start

    def starting_in(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans that begin in [start, end), in order."""
        found = self._spans[bisect_left(self._starts, start) : bisect_left(self._starts, end)]
        return [s for s in found if s not in self._exclude]

    def starting_at(self, offset: int) -> tuple[int, int] | None:
        k = bisect_left(self._starts, offset)
        while k < len(self._spans) and self._starts[k] == offset:
            if self._spans[k] not in self._exclude:
                return self._spans[k]
            k += 1
        return None

    def last_ending_by(self, offset: int) -> tuple[int, int] | None:
        k = bisect_right(self._starts, offset) - 1
        while k >= 0 and (self._spans[k][1] > offset or self._spans[k] in self._exclude):
            k -= 1
        return self._spans[k] if k >= 0 else None

    def first_start_in(self, start: int, end: int) -> int | None:
        k = bisect_left(self._starts, start)
        while k < len(self._spans) and self._starts[k] < end:
            if self._spans[k] not in self._exclude:
                return self._starts[k]
            k += 1
        return None


def _spans(others: Iterable[tuple[int, int]]) -> Spans:
    return others if isinstance(others, Spans) else Spans(others)


def country_of_phrase(phrase: str, resolve: Resolver | None = None) -> str | None:
    """The country a descriptive phrase gives its holder: the first country, demonym, international
    body or known organisation in it that is not the object of "to", "in", "at", "with" ...

    "Chinese Ambassador to Zimbabwe" -> CHN; "Economy Minister of the UAE" -> ARE; "EU Trade
    Commissioner" -> EUR; "ambassador to the United States" -> None.
    """
    runs: list[str] = []
    current: list[str] = []
    skipping = False
    for token in _TOKEN.findall(phrase):
        lowered = token.lower()
        capital = token[:1].isupper()
        if lowered in _DESTINATION:
            skipping = True
        elif skipping and (capital or lowered in {"the", "of", "and", "&"} or "-" in token):
            continue
        elif capital and lowered not in _FUNCTION:
            skipping = False
            current.append(token)
            continue
        else:
            skipping = False
        if current:
            runs.append(" ".join(current))
            current = []
    if current:
        runs.append(" ".join(current))
    for run in runs:
        found = _country_of_run(run, resolve)
        if found:
            return found
    return None


def _country_of_run(run: str, resolve: Resolver | None) -> str | None:
    """An international body named in the run, else a country or demonym, else a known organisation."""
    pieces = _pieces(run)
    for piece in pieces:
        body = international_body(piece)
        if body is not None and (" " in piece or piece.replace(".", "").isupper()):
            return body.code
    found = countries_in(run)
    if found:
        return found[0]
    if resolve is not None:
        for piece in pieces:
            if not _describes(piece):
                known = resolve(piece)
                if known:
                    return known
    return None


def _pieces(run: str) -> list[str]:
    """Every run of consecutive words, longest first, without a possessive ending."""
    words = [re.sub(r"['’]s$", "", w) for w in run.split()]
    return [" ".join(words[i : i + size]) for size in range(len(words), 0, -1) for i in range(len(words) - size + 1)]


def _tokens(text: str, begin: int, end: int) -> list[tuple[int, int, str]]:
    """The words and marks wholly inside [begin, end), cut from the text's tokens found once."""
    starts, tokens = _all_tokens(text)
    i, j = bisect_left(starts, begin), bisect_left(starts, end)
    if j > i and tokens[j - 1][1] > end:
        j -= 1  # a word running past the end is not inside
    return tokens[i:j]


@lru_cache(maxsize=4)
def _all_tokens(text: str) -> tuple[list[int], list[tuple[int, int, str]]]:
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    return [s for s, _, _ in tokens], tokens


def phrase_before(
    text: str, start: int, others: Sequence[tuple[int, int]] = (), *, apposition: bool = True
) -> str | None:
    """The descriptive phrase written right before a mention ("Chinese Ambassador to Zimbabwe"), or
    the comma-closed apposition before it ("The head of the Ukrainian company, Yury"), else None.

    With `apposition`, a bare honorific or title before the name ("..., Dr. Ana", "Ghana's High
    Commissioner, Professor Ana") reaches back over one comma to the description before it.
    """
    begin, _ = sentence_bounds(text, start)
    tokens = _tokens(text, max(begin, start - _LOOK_BACK_CHARS), start)
    if tokens and tokens[-1][2] == ",":
        if not apposition:
            return None
        tokens = tokens[:-1]
        segment = _segment_before(tokens, others)
        if segment:
            return text[segment[0] : segment[1]]
    kept = _scan_back(tokens, others)
    stopped_at = len(tokens) - len(kept) - 1
    own = text[kept[0][0] : kept[-1][1]] if kept else ""
    if apposition and stopped_at >= 0 and tokens[stopped_at][2] == "," and not countries_in(own):
        before = tokens[:stopped_at]
        segment = _segment_before(before, others)
        prior = _scan_back(before, others)
        first = segment[0] if segment else (prior[0][0] if prior else None)
        if first is not None and (segment or any(_describes(w) for _, _, w in prior)):
            return text[first:start].strip()
    if not kept or not any(_describes(w) for _, _, w in kept):
        return None
    return own


def _scan_back(tokens: list[tuple[int, int, str]], others: Sequence[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The run of descriptive tokens ending the token list (capitalised words, titles, "of", ...)."""
    kept: list[tuple[int, int, str]] = []
    for k in range(len(tokens) - 1, -1, -1):
        token = tokens[k]
        word = token[2]
        if _inside(token, others) or len(kept) >= _MAX_PHRASE or (word == "and" and k and _ends_a_name(tokens[k - 1][2])):
            break  # "... Theresa May and President X": "and" joins two people, not two words of a title
        lowered = word.lower()
        if word in {"(", ")"} or word[:1].isupper() or lowered in _FUNCTION or _describes(word) or (
            "-" in word and word[:1].islower()
        ):
            kept.append(token)
            continue
        break
    kept.reverse()
    while kept and (kept[0][2].lower() in _FUNCTION or kept[0][2] in {"(", ")"}
                    or (len(kept) > 1 and not _describes(kept[0][2]) and kept[1][2].lower() in _DESTINATION)):
        kept.pop(0)  # "According to Zimbabwe's ambassador": the phrase starts at "Zimbabwe's"
    return kept


def _ends_a_name(word: str) -> bool:
    """A capitalised word that is neither part of a title nor a place: the end of someone's name."""
    return word[:1].isupper() and not _describes(word) and not countries_in(word) and not is_honorific(word)


def _segment_before(tokens: list[tuple[int, int, str]], others: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The comma-separated segment ending at `tokens`, when it starts with a description."""
    i = len(tokens)
    while i > 0 and tokens[i - 1][2] not in {",", ";", ":", '"', "“", "”"} and len(tokens) - i < _MAX_PHRASE:
        if _inside(tokens[i - 1], others):
            return None
        i -= 1
    segment = tokens[i:]
    while segment and segment[0][2].lower() in _DETERMINERS | {"by", "with", "and"}:
        segment = segment[1:]
    if not segment or len(segment) >= _MAX_PHRASE:
        return None
    head = segment[:4]
    if not any(_describes(w) for _, _, w in head):
        return None
    return segment[0][0], segment[-1][1]


def phrase_after(text: str, end: int, others: Sequence[tuple[int, int]] = ()) -> str | None:
    """The description after a mention: ", Peru's trade minister," or "of/from <place or body>"."""
    _, stop = sentence_bounds(text, end)
    rest = text[end:stop]
    rest = re.sub(r"^\s*\([^()]{0,40}\)", "", rest)  # "(right)", "(UAE)"
    offset = end + (len(text[end:stop]) - len(rest))
    # skip the rest of a list of names: "Yu and Wang from ..."
    while True:
        match = re.match(r"\s*(,|and)\s*", rest)
        if not match:
            break
        nxt = offset + match.end()
        other = _spans(others).starting_at(nxt)
        if other is None:
            break
        rest = text[other[1] : stop]
        offset = other[1]
    apposition = re.match(r"\s*,\s*([^,;()]{2,120}?)\s*(?=[,;()]|$)", rest)
    if apposition:
        words = apposition.group(1).split()
        while words and words[0].lower() in _DETERMINERS:
            words = words[1:]
        head = words[:4]
        if words and len(words) < _MAX_PHRASE and any(_describes(w) for w in head):
            return " ".join(words)
    origin = re.match(r"\s+(?:of|from)\s+([^,;()]{2,300}?)\s*(?=[,;()]|$)", rest)
    if origin:
        return "of " + " ".join(origin.group(1).split()[:8])
    return None


def _inside(token: tuple[int, int, str], spans: Sequence[tuple[int, int]] | Spans) -> bool:
    return _spans(spans).overlaps(token[0], token[1])


def list_intro(text: str, start: int, others: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """Offsets of the word that opens the list a mention is in: "including" in "businessmen
    including A, B and C" (for any of A, B, C), else None."""
    begin, _ = sentence_bounds(text, start)
    tokens = _tokens(text, max(begin, start - _LOOK_BACK_CHARS), start)
    i = len(tokens)
    while i > 0 and (tokens[i - 1][2] in {",", "and"} or _titled(tokens, i - 1) or _inside(tokens[i - 1], others)):
        i -= 1
    if i == 0 or tokens[i - 1][2].lower() not in _LIST_INTRO:
        return None
    if i >= 2 and tokens[i - 2][2].lower() == "such":
        i -= 1
    return tokens[i - 1][0], tokens[i - 1][1]


def _titled(tokens: list[tuple[int, int, str]], k: int) -> bool:
    """A word of a listed item other than the name: its title and the rest of the name ("including
    Foreign Minister A, Transport, Maritime Affairs and Communications Minister B")."""
    word = tokens[k][2]
    return word[:1].isupper() or titles().is_title_word(word) or word.lower() in {"of", "and", "the", "&"}


def list_head_phrase(text: str, start: int, others: Sequence[tuple[int, int]]) -> str | None:
    """ "Pakistani businessmen including A, B and C": the phrase that introduces a list of names."""
    intro = list_intro(text, start, others)
    return phrase_before(text, intro[0], others) if intro else None


_LED_BY_REACH = 150  # characters from "led by" to the name it introduces
_LED_BY = re.compile(r"\b(headed|led|accompanied|chaired)\s+by\b[^.;:]{0,%d}$" % _LED_BY_REACH)


def leading_group(document: Document, start: int) -> Entity | None:
    """The group or organisation a person heads in "a Ghanaian delegation, headed by President X"."""
    text = document.article.text
    begin, _ = sentence_bounds(text, start)
    match = _LED_BY.search(text, max(begin, start - _LED_BY_REACH - 30), start)  # within reach of the name
    if not match:
        return None
    cut = match.start()
    best: tuple[int, Entity] | None = None
    for entity in document.entities:
        if entity.type not in {"GROUP", "ORG"} or not entity.country:
            continue
        for mention in entity.mentions:
            if begin <= mention.start and mention.end <= cut and (best is None or mention.start > best[0]):
                best = (mention.start, entity)
    return best[1] if best else None


def previous_in_list(text: str, start: int, others: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The mention before this one in a list of titled names sharing one body: "MCCC branch adviser
    A, secretary B and vice treasurer C" -> for C, B's mention. Only bare lower-case titles between."""
    previous = _spans(others).last_ending_by(start)
    if previous is None:
        return None
    gap = text[previous[1] : start]
    gap = " ".join(w for w in gap.split() if not is_honorific(w))  # "treasurer Datuk C"
    words = [w for w in re.findall(r"[a-z][a-z-]*", gap) if w != "and"]
    if not words and re.fullmatch(r"\s*(?:,|,?\s*and)\s*", gap):  # "vice presidents A and B"
        shared = re.search(r"([a-z]+s)\s+$", text[max(0, previous[0] - 40) : previous[0]])
        return previous if shared and _describes(shared.group(1)) else None
    if re.fullmatch(r"\s*(?:,|,?\s*and)\s*(?:[a-z][a-z-]*\s*){1,5}", gap) and words and _describes(words[-1]):
        return previous  # "..., secretary B", "... and vice public relations officer C"
    return None


def bodies_in(phrase: str) -> list[str]:
    """Names of bodies in a title phrase: the capitalised runs that are not title words
    ("PCJCCI vice president" -> ["PCJCCI"]; "Acme Chamber President" -> ["Acme Chamber"])."""
    runs: list[str] = []
    current: list[str] = []
    for token in _TOKEN.findall(phrase) + ["."]:
        if token[:1].isupper() and not titles().is_title_word(token) and not is_honorific(token):
            current.append(token)
            continue
        if current:
            runs.append(" ".join(current))
            current = []
    return runs


def group_owner(text: str, group_start: int, people: Spans) -> tuple[int, int] | None:
    """The person a group belongs to, from the sentence around one of its mentions: "X is accompanied
    by a large delegation", "X's delegation", "the delegation, led by X," -> X's mention."""
    begin, end = sentence_bounds(text, group_start)
    people = people.starting_in(begin, end)
    for person in people:
        if begin <= person[0] and person[1] <= group_start:
            between = text[person[1] : group_start]
            if re.fullmatch(r"(?:['’]s\s+|\s+(?:\w+\s+){0,3}?(?:accompanied|joined)\s+by\s+(?:a|an|the|his|her)?\s*)"
                            r"(?:[\w-]+\s+){0,3}", between):
                return person
    for person in people:
        if group_start < person[0] < end and re.fullmatch(
            r"[^.;]{0,80}?\b(?:led|headed)\s+by\s+(?:[\w.’'-]+\s+){0,5}", text[group_start : person[0]]
        ):
            return person
    return None


_TRAVEL = re.compile(r"\b(?:travel\w*|visit\w*|arriv\w*|fl(?:y|ies|ew|ying)|head(?:s|ed|ing)? to|trip|tour\w*|"
                     r"mission|journey\w*|land(?:s|ed)?)\b", re.I)
_BOUND_FOR = re.compile(r"(?:\bto|\bvisit(?:s|ed|ing)?|\barriv(?:e|es|ed|ing) (?:in|at)|\b(?:is|was|are|were) now in|"
                        r"\blanded in)\s+(?:the\s+)?$", re.I)


#: Words that make the next name a companion on the same trip, not a traveller of their own:
#: "X will travel with President Y to Peru" (Y goes too; Peru is still X's destination).
_COMPANION = re.compile(r"\b(?:with|alongside|accompanied by|together with)\s+(?:[A-Z][\w.’'-]*\s+){0,4}$")


def _next_traveller(text: str, others: "Spans", start: int, end: int) -> int:
    """Where the next person the sentence sends somewhere is named, after `start` (else `end`)."""
    while (at := others.first_start_in(start, end)) is not None:
        if not _COMPANION.search(text[max(0, at - 60) : at]):
            return at
        start = at + 1
    return end


def goes_to(document: Document, person: Entity, country: str, others: Sequence[tuple[int, int]] = ()) -> bool:
    """True when a sentence naming the person has them travel to, or arrive in, a place of the
    country: "X will travel to the United States", "President X is now in Hangzhou" -- before any
    other person the sentence names ("X will go to Peru and Y to Chile": Chile is Y's)."""
    text = document.article.text
    places = [m.start for e in document.entities if e.type in {"GPE", "LOC", "FAC"} and e.country == country
              for m in e.mentions]
    for mention in person.mentions[:3]:
        begin, end = sentence_bounds(text, mention.start)
        end = _next_traveller(text, _spans(others), mention.end, end)
        travels = bool(_TRAVEL.search(text[begin:end]))
        for start in places:
            bound = _BOUND_FOR.search(text[max(begin, start - 30) : start]) if mention.end <= start < end else None
            if bound and (travels or not bound.group().lower().startswith("to")):
                return True
    return False
