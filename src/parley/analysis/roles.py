"""Titles and affiliations of people, from every way news writes them.

- apposition after the name: "Ana Ruiz, the trade minister of Peru," / "said Ana Ruiz, deputy mayor
  of Lima" / "Ana Ruiz, who serves as chief executive of Andes Mining,"
- an "as" phrase: "appointed Ana Ruiz as chief executive"
- pre-modifiers: "Lima Mayor Ana Ruiz", "Executive Vice President Ana Ruiz", "Apple CEO Tim Cook",
  "Ruritania Chamber vice president Dr. Ana Ruiz", "Speaker of the National Assembly Ana Ruiz",
  "Ruritania's ambassador to Peru Ana Ruiz"; a body after the name: "Governor Ana Ruiz of Lima"
- apposition before the name: "the mayor of Lima, Ana Ruiz," / "Lima's mayor, Ana Ruiz"
- lists of officers: "secretary Ana Ruiz, treasurer Bo Li and ...", "vice presidents Ana Ruiz and Bo Li"

A role phrase is read the same way wherever it stands: a body before the title ("Lima", "Peru's",
a demonym that names its country), the title (modifiers and a head from `resources/titles.tsv`), a
portfolio that belongs to the title ("Minister of Foreign Affairs", "member of the Standing
Committee"), then the body ("of Lima"). Honorifics ("Mr", "Dr.", "Datuk") are skipped, never roles.
The patterns are read off the token sequence (with part-of-speech tags) rather than off the
dependency parse alone, because the small parser often attaches appositions wrongly; a role is
only accepted when its head is a known title, which keeps precision. Offsets cover its words.
"""

from __future__ import annotations

import re
from typing import Any

from ..document import Role
from .lexicon import titles
from .namewords import is_body_noun, is_honorific
from .places import country_of_demonym, gazetteer
from .doctable import doc_text, text_of
from .doctable import words as doc_words

_STOP_PUNCT = {",", ".", ";", ":", "(", ")", '"', "“", "”", "—", "–", "?", "!", "'", "‘", "’"}
_DETERMINERS = {"the", "a", "an", "its", "his", "her", "their", "our", "this", "that", "then", "now", "also"}
_ARTICLES = {"the", "a", "an"}
_PREPOSITIONS = {"of", "at", "for", "to", "with", "in", "from", "on"}
_BODY_PREPOSITIONS = {"of", "at"}  # the body a title belongs to; "in"/"to" name a posting, used when nothing else
_PORTFOLIO_PREPOSITIONS = {"of", "for"}
_JOINERS = {"and", "&", "cum"}
_QUANTIFIERS = {"other", "such", "many", "several", "some", "all", "most", "few", "both", "each", "every"}
_AFTER_BODY_STOPS = {"to", "for", "on", "with", "from", "at", "by", "and", "in"}
_POSSESSIVE = {"'s", "’s"}
_MEMBERSHIP_HEADS = {"member", "members", "alternate member"}
_LINKING = (
    ("who", "is"), ("who", "was"), ("who", "serves", "as"), ("who", "served", "as"), ("who", "became"),
    ("who", "has", "been"), ("who", "had", "been"), ("who", "is", "also"), ("who", "was", "also"),
    ("who", "heads"), ("who", "leads"), ("who", "chairs"), ("as",), ("currently",), ("now",),
)  # fmt: skip
_HEAD_VERBS = {"heads": "head", "leads": "leader", "chairs": "chairman"}
_MAX_SEGMENT = 24  # tokens: a role is a noun phrase, not a clause
_MAX_PREMODIFIER = 32  # tokens of a title phrase written before a name
_MAX_PARENTHESIS = 10  # tokens inside a parenthesis a role phrase may hold: "(CPC)"


def roles_for_mention(doc: Any, start: int, end: int) -> list[Role]:
    """Every role written around one mention of a person (token indices [start, end))."""
    found = []
    found += _after(doc, start, end)
    before = _before_premodifier(doc, start) or _listed_after(doc, start)
    found += _body_after_name(doc, end, before)
    found += _before_apposition(doc, _anchor(doc, start), end)
    return found


#: doc.user_data key: token indices of the people's names, once the recogniser's spans are repaired
PERSON_TOKENS = "parley.person_tokens"
PERSON_STARTS = "parley.person_starts"


def is_person_token(doc: Any, k: int) -> bool:
    """Token k is part of a person's name (the repaired names where known, else the recogniser's)."""
    people = doc.user_data.get(PERSON_TOKENS)
    return k in people if people is not None else doc[k].ent_type_ == "PERSON"


def _starts_person(doc: Any, k: int) -> bool:
    starts = doc.user_data.get(PERSON_STARTS)
    return k in starts if starts is not None else doc[k].ent_iob_ == "B"


def title_prefix_length(tokens: list[Any]) -> int:
    """How many leading tokens of a name span are a title ("Mayor", "Executive Vice President")."""
    lexicon = titles()
    n = 0
    while n < len(tokens) - 1 and (lexicon.is_title_word(tokens[n].text) and tokens[n].text[:1].isupper()):
        n += 1
    while n > 0 and not lexicon.is_head(tokens[n - 1].text):
        n -= 1  # a title ends in a head word: "Vice" alone is part of the name, not a title
    return n


def honorific_prefix_length(tokens: list[Any]) -> int:
    """How many leading tokens of a name span are honorifics ("Dr.", "Datuk Seri", "H E")."""
    n = 0
    while n < len(tokens) - 1:
        step = _honorific_at(tokens, n)
        if not step:
            break
        n += step
    return n if n < len(tokens) else 0


def _honorific_at(tokens: Any, n: int) -> int:
    """Tokens an honorific starting at tokens[n] takes (0: none): "Dr", "Dr .", "Tan Sri"."""
    if n + 1 < len(tokens) and is_honorific(f"{tokens[n].text} {tokens[n + 1].text}"):
        return 2
    if is_honorific(tokens[n].text):
        return 2 if n + 1 < len(tokens) and tokens[n + 1].text == "." else 1
    return 0


def premodifier_role(doc: Any, start: int, end: int) -> Role | None:
    """The title inside a span's first tokens: "Mayor Ana Ruiz" labelled as one name."""
    n = title_prefix_length(list(doc[start:end]))
    if not n:
        return None
    span = doc[start : start + n]
    return Role(title=_singular(span.text), start=span.start_char, end=span.end_char)


# --- after the name -------------------------------------------------------------------------------


def _after(doc: Any, start: int, end: int) -> list[Role]:
    i = end
    if i < len(doc) and doc[i].text == ",":
        i += 1
    elif not (i < len(doc) and doc[i].lower_ == "as"):
        return []
    linked = _skip_linking(doc, i)
    head_verb = _HEAD_VERBS.get(doc[linked - 1].lower_) if linked > i else None
    segment = _before_next_name(doc, *_segment_forward(doc, linked))
    if (segment is not None and linked == i and segment[1] < len(doc) and doc[segment[1]].pos_ in {"VERB", "AUX"}
            and doc[i].lower_ in _ARTICLES):
        return []  # "Before meeting Ruiz, the mayor paid a call": the phrase is the next clause's subject
    if segment is None:
        return []  # "Ana Ruiz, President Bo Li": the title introduces the next name
    if head_verb:  # "who heads the Lima office": the whole segment is the body
        a, b = segment
        while a < b and doc[a].lower_ in _ARTICLES:
            a += 1
        if a >= b:
            return []
        return [Role(title=head_verb, of=doc[a:b].text, start=doc[linked - 1].idx, end=doc[b - 1].idx + len(doc[b - 1]))]
    return _roles_in(doc, segment)


def _before_next_name(doc: Any, a: int, b: int) -> tuple[int, int] | None:
    """The segment up to the next person named in it ("chairman of X and Bo Li, ..."), or None
    when a title there introduces that person ("Ana Ruiz, President Bo Li")."""
    named = next((k for k in range(a, b) if is_person_token(doc, k)), None)
    if named is None:
        return a, b
    if named > a and doc[named - 1].lower_ in _JOINERS:
        return a, named - 1
    return None


def _skip_linking(doc: Any, i: int) -> int:
    words = [t.lower_ for t in doc[i : i + 3]]
    for pattern in sorted(_LINKING, key=len, reverse=True):
        if tuple(words[: len(pattern)]) == pattern:
            return i + len(pattern)
    return i


def _segment_forward(doc: Any, i: int) -> tuple[int, int]:
    """Tokens from i up to the next clause boundary: punctuation, a verb, or the length limit.

    A short parenthesis ("(CPC)") and a comma inside a list of portfolio words ("Commerce,
    Industry and Trade") do not end it.
    """
    lexicon = titles()
    j = i
    while j < len(doc) and j - i < _MAX_SEGMENT:
        token = doc[j]
        if token.text == "(" and j > i:
            close = _closing_parenthesis(doc, j)
            if close is not None:
                j = close + 1
                continue
        if token.text == "," and j > i and j + 1 < len(doc) and lexicon.is_title_word(doc[j - 1].text) \
                and lexicon.is_title_word(doc[j + 1].text) and doc[j + 1].text[:1].isupper():
            j += 1
            continue
        if token.text in _STOP_PUNCT or token.is_space:
            break
        if token.pos_ in {"VERB", "AUX"} and not lexicon.is_title_word(token.text) and not _hyphenated(doc, j):
            break
        if token.lower_ in {"who", "which", "that", "said", "says"}:
            break
        j += 1
    return i, j


def _closing_parenthesis(doc: Any, i: int) -> int | None:
    for k in range(i + 1, min(len(doc), i + _MAX_PARENTHESIS + 1)):
        if doc[k].text == ")":
            return k
        if doc[k].pos_ in {"VERB", "AUX"} or doc[k].text in {"(", ".", ";"}:
            return None
    return None


def _opening_parenthesis(doc: Any, i: int, floor: int) -> int | None:
    for k in range(i - 1, max(floor, i - _MAX_PARENTHESIS) - 1, -1):
        if doc[k].text == "(":
            return k
        if doc[k].pos_ in {"VERB", "AUX"} or doc[k].text in {")", ".", ";"}:
            return None
    return None


def _hyphenated(doc: Any, i: int) -> bool:
    """ "state-owned": a verb form joined by a hyphen is part of a compound adjective."""
    return i > 0 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_


# --- before the name ------------------------------------------------------------------------------


def _anchor(doc: Any, start: int) -> int:
    """Where a name's written front begins: before its honorifics and a title right before it."""
    i = _skip_honorifics(doc, start)
    r = _title_run_before(doc, i, max(0, i - 6))
    return _skip_honorifics(doc, r) if r is not None else i


def _skip_honorifics(doc: Any, start: int) -> int:
    words = doc_words(doc)
    i = start
    while i > 0:
        if i > 1 and is_honorific(f"{words[i - 2]} {words[i - 1]}"):
            i -= 2
        elif is_honorific(words[i - 1]):
            i -= 1
        elif i > 1 and words[i - 1] == "." and is_honorific(words[i - 2]):
            i -= 2
        else:
            break
    return i


def _title_run_before(doc: Any, j: int, floor: int) -> int | None:
    """Start of a run of title words ending at j in a head ("Foreign Affairs Minister"), else None.

    The run is not the complement of an earlier title ("Minister of Foreign Affairs"): then None.
    """
    lexicon = titles()
    r = j
    while r > floor and doc[r - 1].text not in _STOP_PUNCT and (
            lexicon.is_title_word(doc[r - 1].text) or _head_phrase_at(doc, r - 1, j)):
        r -= 1  # "High Commissioner": a head of several words whose first is no title word
    if r == j or not _ends_in_title(doc[r:j]):
        return None
    if r > floor + 1 and doc[r - 1].lower_ in _JOINERS and lexicon.is_title_word(doc[r - 2].text):
        s = r - 1
        while s > floor and lexicon.is_title_word(doc[s - 1].text):
            s -= 1
        if s > floor and doc[s - 1].lower_ in _PORTFOLIO_PREPOSITIONS:
            return None  # "Minister of Trade and Industry": a portfolio, not a title of its own
        r = s  # "Trade and Industry Minister"
    if r > floor and doc[r - 1].lower_ in _PORTFOLIO_PREPOSITIONS:
        return None
    return r


def _before_premodifier(doc: Any, start: int) -> list[Role]:
    """The title phrase written right before a name, with the body it names.

    "Lima Mayor Ana Ruiz", "French Prime Minister Ana Ruiz", "Foreign Ministry spokesman Ana Ruiz",
    "Speaker of the National Assembly Advocate Ana Ruiz" (two roles), "Ruritania's ambassador to
    Peru Ana Ruiz"; a lower-case title only after a body or in a list ("secretary Ana Ruiz, ...").
    """
    j = _skip_honorifics(doc, start)
    i = _phrase_start(doc, j)
    if i >= j:
        return []
    r = _title_run_before(doc, j, i)
    if r is None:
        roles = _pieces(doc, i, j, loose=False)
    elif r > i and doc[r - 1].lower_ in _PREPOSITIONS:
        roles = [_role(doc, r, j, None, r)]  # "chief of staff to President Ana Ruiz": the first title is someone else's
    elif r > i and _has_title(doc, i, r):
        roles = _pieces(doc, i, r, loose=False) + [_role(doc, r, j, None, r)]
    else:
        of = _body_name(doc, i, r) if r > i else None
        roles = [_role(doc, r, j, of, i if of else r)]
    if not any(word[:1].isupper() for role in roles for word in role.title.split()):
        opener = doc[i - 1] if i > 0 else None
        if opener is not None and (opener.lower_ in _DETERMINERS or opener.pos_ in {"DET", "ADJ"}) \
                and not (r is not None and r > i) and not any(role.of for role in roles):
            return []  # "the mayor Ana Ruiz": a lower-case title after a determiner is a description
    return roles


def _role(doc: Any, t0: int, t1: int, of: str | None, first: int) -> Role:
    """The role titled by tokens [t0, t1), its text starting at token `first`."""
    end = doc[t1 - 1]
    return Role(title=_singular(doc[t0:t1].text), of=of, start=doc[first].idx, end=end.idx + len(end.text))


def _phrase_start(doc: Any, j: int) -> int:
    """Leftmost token of the title phrase that ends at j (j itself when there is none)."""
    lexicon = titles()
    i = j
    while i > 0 and j - i < _MAX_PREMODIFIER:
        token, k = doc[i - 1], i - 1
        if token.text == ")":
            opening = _opening_parenthesis(doc, k, max(0, j - _MAX_PREMODIFIER))
            if opening is None or opening == 0:
                break
            i = opening
            continue
        lower = token.lower_
        ok = (
            lexicon.is_title_word(token.text)
            or (token.pos_ == "PROPN" and token.text[:1].isupper())
            or (token.text.isupper() and token.text.isalpha() and len(token.text) > 1)
            or token.ent_type_ in {"NORP", "GPE", "ORG", "LOC"}
            or token.text in _POSSESSIVE
            or (lower in _PORTFOLIO_PREPOSITIONS | {"in", "to"} and i < j and k > 0)
            or (lower in _ARTICLES and k > 0 and doc[k - 1].lower_ in _PREPOSITIONS and i < j)
            or (lower in _JOINERS and k > 0 and i < j and (doc[k - 1].text[:1].isupper() or doc[k - 1].text == ")")
                and not is_person_token(doc, k - 1))
            or (token.text == "-" and not token.whitespace_ and k > 0)
            or (is_body_noun(lower) and k > 0 and doc[k - 1].pos_ == "PROPN")
        )
        if not ok or token.text in _STOP_PUNCT or token.pos_ in {"VERB", "AUX"} and not lexicon.is_title_word(token.text):
            break
        i -= 1
    while i < j and (doc[i].lower_ in _PREPOSITIONS | _ARTICLES | _JOINERS or doc[i].text in _POSSESSIVE | {"-"}):
        i += 1
    return i


def _has_title(doc: Any, a: int, b: int) -> bool:
    return _title_run(doc, a, b) is not None


def _before_apposition(doc: Any, start: int, end: int) -> list[Role]:
    """ "the mayor of Lima, Ana Ruiz," and "Lima's mayor, Ana Ruiz": a role, a comma, the name."""
    if start < 2 or doc[start - 1].text != ",":
        return []
    if not _closes(doc, end):
        return []
    j = start - 1
    i = j
    while i > 0 and j - i < _MAX_SEGMENT:
        token = doc[i - 1]
        if token.text == ")":
            opening = _opening_parenthesis(doc, i - 1, max(0, j - _MAX_SEGMENT))
            if opening is not None and opening > 0:
                i = opening
                continue
        if token.text in _STOP_PUNCT or token.is_space:
            break
        if token.pos_ in {"VERB", "AUX", "SCONJ", "PRON"} and not _hyphenated(doc, i - 1) \
                and not titles().is_title_word(token.text):
            break  # "Managing Director of Acme, Ana Ruiz": a title word tagged as a verb is no clause
        i -= 1
    named = [k for k in range(i, j) if is_person_token(doc, k)]
    if named:
        i = named[-1] + 1  # "President Bo Li and the Lima mayor, Ana Ruiz": only what follows Bo Li
    while i < j and (doc[i].lower_ in _PREPOSITIONS - {"of"} or doc[i].pos_ == "ADP" or doc[i].lower_ in _JOINERS):
        i += 1  # "met with the mayor of Lima": the role starts after "with"
    return _roles_in(doc, (i, j), loose=True)


def _closes(doc: Any, i: int) -> bool:
    """The name ends its phrase: punctuation, a possessive, a verb or the end of the text follows."""
    if i >= len(doc) or doc[i].is_space:
        return True
    token = doc[i]
    return token.text in _STOP_PUNCT or token.text in _POSSESSIVE or token.pos_ in {"VERB", "AUX"}


def _listed_after(doc: Any, start: int) -> list[Role]:
    """ "vice presidents Ana Ruiz and Bo Li": a plural title before a list covers each name in it."""
    k = start - 1
    if k < 1 or doc[k].lower_ not in {"and", ","}:
        return []
    if not is_person_token(doc, k - 1):
        return []
    first = k - 1
    while first > 0 and is_person_token(doc, first - 1) and not _starts_person(doc, first):
        first -= 1
    roles = _before_premodifier(doc, first) or _listed_after(doc, first)
    return [role for role in roles if _is_plural_title(doc, role)]


def _is_plural_title(doc: Any, role: Role) -> bool:
    """The title is written in the plural ("vice presidents"): its singular is not in the text."""
    text = doc_text(doc)[role.start : role.end] if role.start is not None and role.end is not None else ""
    return re.search(rf"\b{re.escape(role.title)}\b", text, re.IGNORECASE) is None


def _body_after_name(doc: Any, end: int, roles: list[Role]) -> list[Role]:
    """ "Governor Ana Ruiz of Lima": the body after the name completes a title written before it."""
    if not roles or end + 1 >= len(doc) or doc[end].lower_ != "of":
        return roles
    a, b = _segment_forward(doc, end + 1)
    b = next((k for k in range(a + 1, b) if doc[k].lower_ in _AFTER_BODY_STOPS or is_person_token(doc, k)), b)
    while a < b and doc[a].lower_ in _ARTICLES:
        a += 1
    if a >= b:
        return roles
    body = doc[a:b].text
    out = []
    for role in roles:
        if role.of is None or role.of.casefold() in body.casefold():
            role = Role(title=role.title, of=body, start=role.start, end=role.end)
        out.append(role)
    return out


# --- reading a segment as roles -------------------------------------------------------------------


def _roles_in(doc: Any, segment: tuple[int, int], loose: bool = False) -> list[Role]:
    """Split "the delegation leader and mayor of Lima" into roles, each headed by a known title."""
    return _pieces(doc, segment[0], segment[1], loose)


def _pieces(doc: Any, i: int, j: int, loose: bool) -> list[Role]:
    pieces: list[tuple[int, int]] = []
    piece_start = i
    for k in range(i, j):
        if doc[k].lower_ in _JOINERS and _starts_with_title(doc, k + 1, j) and _has_title(doc, piece_start, k):
            pieces.append((piece_start, k))
            piece_start = k + 1
    pieces.append((piece_start, j))
    roles = []
    for a, b in pieces:
        role = _role_of_piece(doc, a, b, loose)
        if role:
            roles.append(role)
    return roles


def _starts_with_title(doc: Any, i: int, j: int) -> bool:
    """A title, or a short body and a title ("US Trade Representative"), begins at i."""
    while i < j and doc[i].lower_ in _DETERMINERS:
        i += 1
    body = i
    while body < min(j, i + 3) and doc[body].pos_ == "PROPN" and not titles().is_title_word(doc[body].text):
        body += 1
    if body > i and body < j and titles().is_title_word(doc[body].text):
        i = body
    k = i
    while k < j and titles().is_title_word(doc[k].text):
        k += 1
    return k > i and _ends_in_title(doc[i:k])


def _title_run(doc: Any, a: int, b: int) -> tuple[int, int] | None:
    """The first run of title words in [a, b) that ends in a head: (start, end), else None."""
    lexicon = titles()
    k = a
    while k < b:
        phrase = _head_phrase_at(doc, k, b)
        if not phrase and not lexicon.is_title_word(doc[k].text):
            k += 1
            continue
        e = k + phrase
        while e < b and (lexicon.is_title_word(doc[e].text) or (
            doc[e].lower_ in _JOINERS | {"-"} and e + 1 < b and lexicon.is_title_word(doc[e + 1].text))):
            e += 1
        last = e
        while last > k and not _ends_in_title(doc[k:last]):
            last -= 1
        if last > k:
            return k, last
        k = e
    return None


def _head_phrase_at(doc: Any, k: int, b: int) -> int:
    """Tokens of a multi-word head starting at k whose first word is no title word ("delegation leader")."""
    lexicon = titles()
    for size in range(min(lexicon.longest, b - k), 1, -1):
        if lexicon.is_head(text_of(doc, k, k + size)):
            return size
    return 0


def _role_of_piece(doc: Any, a: int, b: int, loose: bool = False) -> Role | None:
    """One role phrase: [body] title [of portfolio] [of body]."""
    while a < b and doc[a].lower_ in _DETERMINERS:
        a += 1
    if a >= b:
        return None
    first = a
    first_prep = next((k for k in range(a + 1, b) if doc[k].lower_ in _PREPOSITIONS), b)
    possessive = next((k for k in range(a, first_prep) if doc[k].text in _POSSESSIVE), None)
    of: str | None = None
    if possessive is not None and possessive > a:
        of = _body_name(doc, a, possessive)
        a = possessive + 1
    run = _title_run(doc, a, b)
    if run is None:
        return None
    t0, t1 = run
    if t0 > a and not any(t.text[:1].isupper() or t.lower_ in _PREPOSITIONS for t in doc[a:t0]):
        if all(t.pos_ in {"NOUN", "ADJ"} and t.lower_ not in _QUANTIFIERS for t in doc[a:t0]):
            t0 = a  # "the expedition leader", "senior climate adviser": lower-case words of the title
        else:
            a = first = t0  # "among other State officials": no body, no title there
    if t0 > a:
        before = doc[a:t0]
        if any(t.lower_ in _PREPOSITIONS for t in before):
            if not loose:
                return None
            first = t0  # "the greeting of the Undersecretary ...": the role starts at its title
        elif of is None:
            of = _body_name(doc, a, t0)
    title_end = _portfolio_end(doc, t0, t1, b)
    k = title_end
    if k < b and doc[k].lower_ in _PREPOSITIONS:
        prep, rest = doc[k].lower_, k + 1
        while rest < b and doc[rest].lower_ in _ARTICLES:
            rest += 1
        if rest < b and (prep in _BODY_PREPOSITIONS or of is None):
            stop = next((m for m in range(rest + 1, b) if doc[m].lower_ == "to"), b)
            of = doc[rest:stop].text  # "ambassador of Peru to Chile": Peru
    elif k < b and of is None and doc[k].pos_ == "PROPN" and doc[k].text[:1].isupper():
        of = doc[k:b].text  # "President Lima Chamber Ana Ruiz"
    named = next((k for k in range(title_end, b) if is_person_token(doc, k)), None)
    if named is not None and of is not None:
        of = _without_person(doc, named, of)
    end_token = doc[b - 1]
    return Role(title=_title_text(doc, t0, t1, title_end), of=of, start=doc[first].idx,
                end=end_token.idx + len(end_token.text))


def _without_person(doc: Any, named: int, of: str) -> str | None:
    """A body written up to another person's name is what comes before it: "China and" -> "China"."""
    pos = of.find(doc[named].text)
    if pos < 0:
        return of
    words = of[:pos].replace(",", " ").split()
    while words and (words[-1].lower() in _JOINERS | _ARTICLES | _PREPOSITIONS
                     or titles().is_title_word(words[-1]) or country_of_demonym(words[-1])):
        words.pop()
    return " ".join(words) or None


def _portfolio_end(doc: Any, t0: int, t1: int, b: int) -> int:
    """Where a title ends once the portfolio after it is taken in.

    "Minister of Foreign Affairs (of Peru)", "Minister for Trade and Industry", and for a member, the
    body he is a member of: "member of the Standing Committee (of the Lima Committee)".
    """
    lexicon = titles()
    if t1 >= b or doc[t1].lower_ not in _PORTFOLIO_PREPOSITIONS:
        return t1
    c0 = t1 + 1
    while c0 < b and doc[c0].lower_ in _ARTICLES:
        c0 += 1
    c1 = c0
    while c1 < b and doc[c1].lower_ not in _PREPOSITIONS and doc[c1].text != "(":
        c1 += 1
    words = [w.strip(",") for w in doc[c0:c1].text.split() if w.strip(",") and w.lower() not in _JOINERS]
    if words and all(lexicon.is_title_word(w) for w in words):
        return c1
    head = doc[t0:t1].text.lower()
    if words and head.split()[-1] in _MEMBERSHIP_HEADS and c1 < b and doc[c1].lower_ == "of":
        return c1
    return t1


def _title_text(doc: Any, t0: int, t1: int, end: int) -> str:
    head = _singular(doc[t0:t1].text)
    return head if end == t1 else f"{head} {doc[t1:end].text}"


def _singular(title: str) -> str:
    """ "vice presidents" -> "vice president": a plural head names each person's own title."""
    words = title.split()
    if not words:
        return title
    last, lexicon = words[-1], titles()
    for plural, singular in (("ies", "y"), ("men", "man"), ("s", "")):
        if last.lower().endswith(plural) and len(last) > len(plural) + 2:
            candidate = last[: -len(plural)] + singular
            if lexicon.is_head(candidate):
                return " ".join([*words[:-1], candidate])
    return title


def _body_name(doc: Any, a: int, b: int) -> str | None:
    """A body written before a title; a demonym names its country ("French" -> "France").

    A parenthesis after the body's name is left out: "Acme (Andean Mining Company)" -> "Acme".
    """
    while b > a and doc[b - 1].text in _POSSESSIVE:
        b -= 1  # "Kenya's President": Kenya
    opening = next((k for k in range(a + 1, b) if doc[k].text == "("), None)
    if opening is not None and doc[b - 1].text == ")":
        b = opening
    span = doc[a:b]
    text = span.text.strip()
    if not text:
        return None
    if len(span) == 1:
        iso3 = country_of_demonym(text)
        if iso3:
            place = gazetteer().countries.get(iso3)
            if place is not None:
                return place.name
        if span[0].pos_ in {"ADJ"} and not text[:1].isupper():
            return None
    return text


def _ends_in_title(span: Any) -> bool:
    lexicon = titles()
    words = span.text.lower().split()
    for size in range(min(lexicon.longest, len(words)), 0, -1):
        if lexicon.is_head(" ".join(words[-size:])):
            return True
    return False
