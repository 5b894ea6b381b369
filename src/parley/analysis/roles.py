"""Titles and affiliations of people, from every way news writes them.

- apposition after the name: "Ana Ruiz, the trade minister of Peru," / "said Ana Ruiz, deputy mayor
  of Lima" / "Ana Ruiz, who serves as chief executive of Andes Mining,"
- an "as" phrase: "appointed Ana Ruiz as chief executive"
- pre-modifiers: "Lima Mayor Ana Ruiz", "Executive Vice President Ana Ruiz", "Apple CEO Tim Cook"
- apposition before the name: "the mayor of Lima, Ana Ruiz," / "Lima's mayor, Ana Ruiz"

The patterns are read off the token sequence (with part-of-speech tags) rather than off the
dependency parse alone, because the small parser often attaches appositions wrongly; a role is
only accepted when its head is a known title (`resources/titles.tsv`), which keeps precision.
Each role's offsets cover its words in the text.
"""

from __future__ import annotations

from typing import Any

from ..document import Role
from .lexicon import titles

_STOP_PUNCT = {",", ".", ";", ":", "(", ")", '"', "“", "”", "—", "–", "?", "!", "'", "‘", "’"}
_DETERMINERS = {"the", "a", "an", "its", "his", "her", "their", "our", "this", "that", "then", "now", "also"}
_PREPOSITIONS = {"of", "at", "for", "to", "with", "in", "from", "on"}
_LINKING = (
    ("who", "is"), ("who", "was"), ("who", "serves", "as"), ("who", "served", "as"), ("who", "became"),
    ("who", "has", "been"), ("who", "had", "been"), ("who", "is", "also"), ("who", "was", "also"),
    ("who", "heads"), ("who", "leads"), ("who", "chairs"), ("as",), ("currently",), ("now",),
)  # fmt: skip
_HEAD_VERBS = {"heads": "head", "leads": "leader", "chairs": "chairman"}
_MAX_SEGMENT = 16  # tokens: a role is a noun phrase, not a clause


def roles_for_mention(doc: Any, start: int, end: int) -> list[Role]:
    """Every role written around one mention of a person (token indices [start, end))."""
    found = []
    found += _after(doc, start, end)
    found += _before_premodifier(doc, start)
    found += _before_apposition(doc, start, end)
    return found


def title_prefix_length(tokens: list[Any]) -> int:
    """How many leading tokens of a name span are a title ("Mayor", "Executive Vice President")."""
    lexicon = titles()
    n = 0
    while n < len(tokens) - 1 and (lexicon.is_title_word(tokens[n].text) and tokens[n].text[:1].isupper()):
        n += 1
    while n > 0 and not lexicon.is_head(tokens[n - 1].text):
        n -= 1  # a title ends in a head word: "Vice" alone is part of the name, not a title
    return n


def premodifier_role(doc: Any, start: int, end: int) -> Role | None:
    """The title inside a span's first tokens: "Mayor Ana Ruiz" labelled as one name."""
    n = title_prefix_length(list(doc[start:end]))
    if not n:
        return None
    span = doc[start : start + n]
    return Role(title=span.text, start=span.start_char, end=span.end_char)


# --- after the name -------------------------------------------------------------------------------


def _after(doc: Any, start: int, end: int) -> list[Role]:
    i = end
    if i < len(doc) and doc[i].text == ",":
        i += 1
    elif not (i < len(doc) and doc[i].lower_ == "as"):
        return []
    linked = _skip_linking(doc, i)
    head_verb = _HEAD_VERBS.get(doc[linked - 1].lower_) if linked > i else None
    segment = _segment_forward(doc, linked)
    if head_verb:  # "who heads the Lima office": the whole segment is the body
        a, b = segment
        while a < b and doc[a].lower_ in {"the", "a", "an"}:
            a += 1
        if a >= b:
            return []
        return [Role(title=head_verb, of=doc[a:b].text, start=doc[linked - 1].idx, end=doc[b - 1].idx + len(doc[b - 1]))]
    return _roles_in(doc, segment)


def _skip_linking(doc: Any, i: int) -> int:
    words = [t.lower_ for t in doc[i : i + 3]]
    for pattern in sorted(_LINKING, key=len, reverse=True):
        if tuple(words[: len(pattern)]) == pattern:
            return i + len(pattern)
    return i


def _segment_forward(doc: Any, i: int) -> tuple[int, int]:
    """Tokens from i up to the next clause boundary: punctuation, a verb, or the length limit."""
    j = i
    while j < len(doc) and j - i < _MAX_SEGMENT:
        token = doc[j]
        if token.text in _STOP_PUNCT or token.is_space:
            break
        if token.pos_ in {"VERB", "AUX"} and not titles().is_title_word(token.text):
            break
        if token.lower_ in {"who", "which", "that", "said", "says"}:
            break
        j += 1
    return i, j


# --- before the name ------------------------------------------------------------------------------


def _before_premodifier(doc: Any, start: int) -> list[Role]:
    """ "Lima Mayor Ana Ruiz", "U.S. Secretary of State Ana Ruiz": title words right before the name."""
    lexicon = titles()
    i = start
    while i > 0:
        token = doc[i - 1]
        inner_of = token.lower_ == "of" and i - 1 > 0 and lexicon.is_head(doc[i - 2].text) and i < start
        if token.text in _STOP_PUNCT or not (
            lexicon.is_title_word(token.text)
            or token.pos_ == "PROPN"
            or token.ent_type_ == "NORP"
            or token.text in {"'s", "’s"}
            or inner_of
        ):
            break
        i -= 1
    run = list(doc[i:start])
    # the title: from the first title word of the trailing run of title words (a "head of X" inside
    # counts, "Secretary of State") to the name; it must end in a head word or a "head of X"
    k = len(run)
    while k > 0 and (lexicon.is_title_word(run[k - 1].text) or run[k - 1].lower_ == "of"
                     or (k < len(run) and run[k].lower_ == "of")):
        k -= 1
    while k < len(run) and not lexicon.is_title_word(run[k].text):
        k += 1
    title_tokens = run[k:]
    has_of = any(t.lower_ == "of" for t in title_tokens)
    if not title_tokens or not (lexicon.is_head(title_tokens[-1].text) or has_of):
        return []
    if not any(t.text[:1].isupper() for t in title_tokens):
        return []  # "the mayor Ana Ruiz" in lower case is an apposition without commas; rare, skip
    body = [t for t in run[:k] if t.text not in {"'s", "’s"}]
    of = None
    first = title_tokens[0]
    if body:
        of = doc[body[0].i : body[-1].i + 1].text
        if body[-1].ent_type_ == "NORP" or body[-1].pos_ == "ADJ":
            of = None  # "Chinese Foreign Minister": the demonym stays in the title
            first = body[0]
    span_start = (body[0] if of else first).idx
    return [Role(title=doc[first.i : title_tokens[-1].i + 1].text, of=of, start=span_start,
                 end=title_tokens[-1].idx + len(title_tokens[-1].text))]


def _before_apposition(doc: Any, start: int, end: int) -> list[Role]:
    """ "the mayor of Lima, Ana Ruiz," and "Lima's mayor, Ana Ruiz": a role, a comma, the name."""
    if start < 2 or doc[start - 1].text != ",":
        return []
    closes = end >= len(doc) or doc[end].text in _STOP_PUNCT or doc[end].is_space
    if not closes:
        return []
    j = start - 1
    i = j
    while i > 0 and j - i < _MAX_SEGMENT:
        token = doc[i - 1]
        if token.text in _STOP_PUNCT or token.is_space or token.pos_ in {"VERB", "AUX", "SCONJ", "PRON"}:
            break
        i -= 1
    while i < j and (doc[i].lower_ in _PREPOSITIONS - {"of"} or doc[i].pos_ == "ADP"):
        i += 1  # "met with the mayor of Lima": the role starts after "with"
    return _roles_in(doc, (i, j))


# --- reading a segment as roles -------------------------------------------------------------------


def _roles_in(doc: Any, segment: tuple[int, int]) -> list[Role]:
    """Split "the delegation leader and mayor of Lima" into roles, each headed by a known title."""
    i, j = segment
    pieces: list[tuple[int, int]] = []
    piece_start = i
    for k in range(i, j):
        if doc[k].lower_ in {"and", "&"} and _starts_with_title(doc, k + 1, j):
            pieces.append((piece_start, k))
            piece_start = k + 1
    pieces.append((piece_start, j))
    roles = []
    for a, b in pieces:
        role = _role_of_piece(doc, a, b)
        if role:
            roles.append(role)
    return roles


def _starts_with_title(doc: Any, i: int, j: int) -> bool:
    while i < j and doc[i].lower_ in _DETERMINERS:
        i += 1
    k = i
    while k < j and titles().is_title_word(doc[k].text):
        k += 1
    return k > i and titles().is_head(doc[k - 1].text)


def _role_of_piece(doc: Any, a: int, b: int) -> Role | None:
    while a < b and doc[a].lower_ in _DETERMINERS:
        a += 1
    if a >= b:
        return None
    first = a
    # "X's title" / "X's title of Y": the possessor is the body
    first_prep = next((k for k in range(a + 1, b) if doc[k].lower_ in _PREPOSITIONS), b)
    possessive = next((k for k in range(a, first_prep) if doc[k].text in {"'s", "’s"}), None)
    of: str | None = None
    if possessive is not None and possessive > a:
        of = doc[a:possessive].text
        a = possessive + 1
    cut = next((k for k in range(a, b) if doc[k].lower_ in _PREPOSITIONS and k > a), b)
    title_span = doc[a:cut]
    if not title_span or not _ends_in_title(title_span):
        return None
    if cut < b:
        rest = cut + 1
        while rest < b and doc[rest].lower_ in {"the", "a", "an"}:
            rest += 1
        if rest < b:
            of = doc[rest:b].text
    end_token = doc[b - 1]
    return Role(title=title_span.text, of=of, start=doc[first].idx, end=end_token.idx + len(end_token.text))


def _ends_in_title(span: Any) -> bool:
    lexicon = titles()
    words = span.text.lower().split()
    for size in range(min(lexicon.longest, len(words)), 0, -1):
        if lexicon.is_head(" ".join(words[-size:])):
            return True
    return False
