"""Name spans repaired before they become entities.

The recogniser cuts organisation names short or in two ("Chamber of Commerce" + "China" for "the
Chamber of Commerce in China"; "Acme" + "Global R&D Center" for "Acme automobile Global R&D Center"),
and folds a title into a person's name ("Mayor Ana Ruiz"). These rules put the whole name back
together and take the title off, working on token spans of the spaCy doc.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .doctable import words as doc_words
from .lexicon import titles
from .namewords import is_firm_noun, is_honorific, is_org_word, is_particle, is_place_word
from .places import lookup
from .roles import honorific_prefix_length, title_prefix_length

#: Last words of names of bodies that are often followed by where they sit: "... in China".
_INSTITUTION_HEADS = {
    "commerce", "chamber", "association", "council", "center", "centre", "institute", "office", "bureau",
    "committee", "federation", "society", "foundation", "forum", "alliance", "agency", "union", "club",
    "embassy", "consulate", "mission", "delegation", "academy", "school", "university", "hospital",
}  # fmt: skip
_JOINABLE_POS = {"NOUN", "PROPN"}
_MAX_GAP = 2  # tokens of lower-case nouns allowed between two halves of one organisation name


@dataclass
class NameSpan:
    """A token span [start, end) with Parley's type, and the title cut from its front, if any."""

    start: int
    end: int
    label: str
    title_start: int | None = None  # where a title cut from the front began: it spans [title_start, start)


def repair_spans(doc: Any, spans: list[NameSpan]) -> list[NameSpan]:
    """Titles off person names, split organisation names joined, "X in Place" kept whole."""
    spans = sorted((span for span in spans if not _title_prefix(doc, span)), key=lambda s: s.start)
    taken = {i for span in spans for i in range(span.start, span.end)}
    spans = [span for span in spans if not (span.label == "PERSON" and (_shouted(doc, span) or not _name_after_title(doc, span, taken)))]
    for span in spans:
        if span.label == "PERSON":
            _cut_title(doc, span)
            _cut_honorifics(doc, span)
            _trim_tail(doc, span)
            if span.title_start is None:
                _take_dropped_first_name(doc, span, taken)
            _take_dropped_last_name(doc, span, taken)
    spans = sorted(spans + _unlabelled_people(doc, taken), key=lambda s: s.start)
    spans = _organisations_called_people(doc, spans, taken)
    spans = [part for span in spans for part in _split_place_and_person(doc, span)]
    spans = _join_org_halves(doc, spans)
    return _absorb_location_suffix(doc, spans)


def _title_prefix(doc: Any, span: NameSpan) -> bool:
    """ "[Trade and Investment Cabinet] Secretary Ana Ruiz": a name whose last word begins a title
    with the word after it ("Cabinet Secretary") is the front of that title, not a body."""
    if span.label not in {"ORG", "PERSON"} or span.end >= len(doc):
        return False
    return titles().is_head(f"{doc[span.end - 1].text} {doc[span.end].text}")


def _shouted(doc: Any, span: NameSpan) -> bool:
    """ "PRIME MINISTER VISITS LIMA": words all in capitals are a headline, not a person's name."""
    words = [t.text for t in doc[span.start : span.end] if t.is_alpha]
    return len(words) >= 2 and all(w.isupper() and len(w) > 1 for w in words)


def _name_after_title(doc: Any, span: NameSpan, taken: set[int]) -> bool:
    """A PERSON span made only of titles and honorifics ("Amb", "cum Minister") moves to the name
    written after it ("Amb. Endo" -> "Endo"); False when there is none, and the span is no person."""
    lexicon = titles()
    words = [t for t in doc[span.start : span.end] if t.text != "."]
    if not all(lexicon.is_title_word(t.text) or is_honorific(t.text) or t.lower_ in {"cum", "and"} for t in words):
        return True
    k = span.end
    if k < len(doc) and doc[k].text == ".":
        k += 1
    end = k
    while end < len(doc) and end - k < 3 and _name_word(doc[end], taken - set(range(k, k + 3))):
        end += 1
    if end == k and k < len(doc) and doc[k].ent_type_ == "PERSON":
        return False  # the recogniser has that name already
    if end == k:
        return False
    for i in range(span.start, end):
        taken.add(i)
    span.title_start, span.start, span.end = span.start, k, end
    return True


def _cut_title(doc: Any, span: NameSpan) -> None:
    n = title_prefix_length(list(doc[span.start : span.end]))
    if n and not is_particle(doc[span.start + n].text):  # "Sultan bin Saeed" is a name
        span.title_start = span.start
        span.start += n


def _cut_honorifics(doc: Any, span: NameSpan) -> None:
    """ "Datuk Seri Ana Ruiz", "Dr. Ana Ruiz", "Mr Ruiz": the honorific is not part of the name."""
    span.start += honorific_prefix_length(list(doc[span.start : span.end]))


def _name_word(token: Any, taken: set[int]) -> bool:
    """A capitalised proper noun outside any other name, title or honorific: part of a name."""
    return (
        token.i not in taken
        and token.pos_ == "PROPN"
        and token.text[:1].isupper()
        and token.text.replace("-", "").isalpha()
        and not titles().is_title_word(token.text)
        and not is_honorific(token.text)
        and not is_org_word(token.text)
        and not _acronym(token.text)
        and not token.ent_type_
    )


def _opens_sentence(doc: Any, i: int) -> bool:
    return i == 0 or doc[i].is_sent_start or doc[i - 1].is_space or doc[i - 1].text in {'"', "“", "'", "‘", ":", "."}


def _trim_tail(doc: Any, span: NameSpan) -> None:
    """ "Kenyatta at" recognised as a name: lower-case function words do not end a name."""
    while span.end - span.start > 1 and _function_word(doc, span.end - 1):
        span.end -= 1


def _function_word(doc: Any, i: int) -> bool:
    token = doc[i]
    joined = i > 0 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_  # "Ki-moon"
    return (token.text.islower() and not joined and not is_particle(token.text)
            and token.pos_ in {"ADP", "DET", "CCONJ", "SCONJ", "AUX", "PRON", "VERB", "ADV", "PART"})


def _take_dropped_last_name(doc: Any, span: NameSpan, taken: set[int]) -> None:
    """ "Dr. Ana Ruiz" recognised as "Dr. Ana": capitalised proper nouns right after a name."""
    added = 0
    while added < 2 and span.end < len(doc) and _name_word(doc[span.end], taken):
        span.end += 1
        added += 1


def _take_dropped_first_name(doc: Any, span: NameSpan, taken: set[int]) -> None:
    """ "Anders Berg" recognised as "Berg": capitalised proper nouns right before a short name."""
    added = 0
    while added < 2 and span.end - span.start <= 3 and span.start > 0 and _name_word(doc[span.start - 1], taken):
        if (added or span.end - span.start > 1) and _opens_sentence(doc, span.start - 1):
            break  # "Rival Ana Ruiz said": a capitalised first word of a sentence is no first name
        span.start -= 1
        added += 1


def _organisations_called_people(doc: Any, spans: list[NameSpan], taken: set[int]) -> list[NameSpan]:
    """A PERSON name with an organisation word is an organisation, or one followed by a person.

    "Lima Chamber" -> ORG; "Lima" + "Chamber" (the word outside the span) -> ORG "Lima Chamber";
    "Lima Chamber Ana Ruiz" -> ORG "Lima Chamber" and PERSON "Ana Ruiz".
    """
    out: list[NameSpan] = []
    for span in spans:
        if span.label == "ORG":
            out.extend(_split_org_and_person(doc, span, taken))
            continue
        if span.label != "PERSON":
            out.append(span)
            continue
        if span.end < len(doc) and span.end not in taken and is_org_word(doc[span.end].text):
            span.end += 1
            taken.add(span.end - 1)
        inner = [k for k in range(span.start, span.end) if is_org_word(doc[k].text)]
        if span.end < len(doc) and is_firm_noun(doc[span.end].text):
            out.append(NameSpan(span.start, span.end, "ORG"))  # "the Orvex group": a body, not a person
        elif span.end - span.start == 1 and _acronym(doc[span.start].text):
            out.append(NameSpan(span.start, span.end, "ORG"))  # "DMIC": people are not written as acronyms
        elif not inner:
            out.append(span)
        elif inner[-1] == span.end - 1:
            out.append(NameSpan(span.start, span.end, "ORG"))
        elif span.end - inner[-1] - 1 >= 2:
            out.append(NameSpan(span.start, inner[-1] + 1, "ORG"))
            out.append(NameSpan(inner[-1] + 1, span.end, "PERSON"))
        else:
            out.append(NameSpan(span.start, span.end, "ORG"))
    return out


def _split_place_and_person(doc: Any, span: NameSpan) -> list[NameSpan]:
    """ "ambassador to [the Philippines Ana Ruiz]" read as one name: the place, then the person.

    Only after a title ("Ambassador to", "Vice governor of", "Minister"), when the front of the
    span is a place the gazetteer knows and the rest is two or three name words it does not know.
    """
    if span.label not in {"GPE", "ORG", "LOC", "PERSON"} or not _after_title(doc, span.start):
        return [span]
    if span.label == "PERSON" and not (span.start > 0 and doc[span.start - 1].lower_ in {"of", "to", "in"}):
        return [span]  # "Ambassador Chen Wei": a surname that is also a place is no place here
    start = span.start + (1 if doc[span.start].lower_ == "the" else 0)
    for cut in range(span.end - 2, start, -1):  # the longest place first: "Lima Province" + "Ana Ruiz"
        rest = doc[cut : span.end]
        if not 2 <= len(rest) <= 3 or not all(_name_like(t) and not is_org_word(t.text) for t in rest):
            continue  # "editor of the Lima Daily Times": a paper, not a place and a person
        if lookup(doc[start:cut].text) is not None and lookup(rest.text) is None:
            return [NameSpan(span.start, cut, "GPE"), NameSpan(cut, span.end, "PERSON")]
    return [span]


def _after_title(doc: Any, i: int) -> bool:
    """A title, or a title and "to/of/in (the)", is written right before token i (read off the
    document's word list: asked of every name, a Token per word looked at cost more)."""
    words = doc_words(doc)
    k = i - 1
    if k >= 0 and words[k].lower() == "the":
        k -= 1
    if k >= 0 and words[k].lower() in {"of", "to", "in"}:
        k -= 1
    return k >= 0 and titles().is_title_word(words[k]) or (
        k >= 2 and words[k - 1].lower() in {"of", "to", "in"} and doc[k].pos_ == "PROPN" and titles().is_title_word(words[k - 2]))


def _name_like(token: Any) -> bool:
    word = token.text
    return (word[:1].isupper() and word.replace("-", "").isalpha() and not is_org_word(word)
            and not titles().is_title_word(word) and not is_honorific(word) and not is_place_word(word))


def _unlabelled_people(doc: Any, taken: set[int]) -> list[NameSpan]:
    """Names the recogniser left out, right after a title: "Executive Chair Chung Eui-sun",
    "Mayor of Lima Province Ana Ruiz", "Minister for Trade Ana Ruiz" (two to four name words)."""
    found = []
    free = 0  # the first word after the last name found
    for p in _proper_nouns_outside_names(doc):
        if p < free or p in taken or not _name_start(doc[p]):
            continue
        end = _name_run_end(doc, p, taken)
        if end is None or not (_title_context(doc, p) or _apposed_title(doc, p, end)) or lookup(doc[p:end].text):
            continue
        found.append(NameSpan(p, end, "PERSON"))
        taken.update(range(p, end))
        free = end
    return found


def _proper_nouns_outside_names(doc: Any) -> list[int]:
    """The alphabetic proper nouns outside every recognised name, not in capitals: the only words
    `_name_start` can take, found on the parse's arrays instead of a Token per word."""
    import numpy
    from spacy.attrs import ENT_TYPE, IS_ALPHA, IS_UPPER, POS

    if not len(doc):
        return []
    values = doc.to_array([POS, ENT_TYPE, IS_ALPHA, IS_UPPER])
    wanted = (values[:, 0] == doc.vocab.strings["PROPN"]) & (values[:, 1] == 0) & (values[:, 2] == 1) & (values[:, 3] == 0)
    return numpy.flatnonzero(wanted).tolist()


def _name_start(token: Any) -> bool:
    word = token.text
    return (token.pos_ == "PROPN" and word[:1].isupper() and word.isalpha() and not word.isupper() and not token.ent_type_
            and not titles().is_title_word(word) and not is_honorific(word) and not is_org_word(word)
            and not is_place_word(word))


def _title_context(doc: Any, p: int) -> bool:
    """A title, or a title and the body it is "of", is written right before token p."""
    k = p - 1
    while k > 0 and is_honorific(doc[k].text.rstrip(".")):
        k -= 1
    if k < 0:
        return False
    lexicon = titles()
    if any(lexicon.is_head(doc[j : k + 1].text) for j in range(max(0, k - lexicon.longest + 1), k)):
        return True  # a title of several words ends right here: "Prime Minister", "prime minster"
    if lexicon.is_title_word(doc[k].text) and doc[k].text[:1].isupper():
        return any(lexicon.is_head(t.text) for t in doc[max(0, k - 5) : k + 1])
    if lexicon.is_head(doc[k].text) and doc[k].pos_ == "NOUN":  # "his Chilean counterpart Ana Ruiz"
        return True
    while k > 0 and is_place_word(doc[k].text):
        k -= 1  # "Lima Province"
    if not doc[k].ent_type_ in {"GPE", "ORG", "LOC"}:
        return False
    while k > 0 and doc[k - 1].ent_type_ == doc[k].ent_type_ and doc[k].ent_iob_ != "B":
        k -= 1
    return k >= 2 and doc[k - 1].lower_ in {"of", "in", "to"} and lexicon.is_head(doc[k - 2].text)


def _apposed_title(doc: Any, p: int, end: int) -> bool:
    """A title in apposition next to the name: "Ana Ruiz, president of ...", "..., MLA" or
    "the Minister for Trade, Ana Ruiz, said"."""
    if end + 1 < len(doc) and doc[end].text == ",":
        k = end + 1
        while k < len(doc) and doc[k].lower_ in {"the", "a", "an"}:
            k += 1
        if k < len(doc) and titles().is_title_word(doc[k].text) and doc[k].pos_ != "VERB":
            return True
    if p >= 2 and doc[p - 1].text == ",":
        before = doc[max(0, p - 8) : p - 1]
        closes = end >= len(doc) or doc[end].is_punct or doc[end].pos_ in {"VERB", "AUX"}
        return closes and any(titles().is_head(t.text) for t in before) and not any(t.is_punct for t in before[-3:])
    return False


def _name_run_end(doc: Any, p: int, taken: set[int]) -> int | None:
    """End of a personal name of two to four words starting at p, closed by punctuation, "and", a
    preposition or a verb; None when the run is no such name."""
    words, k = 0, p
    while k < len(doc) and words < 5:
        token = doc[k]
        if k in taken or token.ent_type_:
            break
        if token.text == "-" and not token.whitespace_ and k + 1 < len(doc) and doc[k + 1].text.isalpha():
            k += 2  # "Eui-sun"
            continue
        if k > p and is_particle(token.text) and token.text.islower():
            k += 1  # "Moin ul Haque"
            continue
        if not _name_start(token):
            break
        words += 1
        k += 1
    if not 2 <= words <= 4 or doc[k - 1].text == "-":
        return None
    closing = k >= len(doc) or doc[k].is_punct or doc[k].pos_ in {"CCONJ", "ADP", "VERB", "AUX"} or doc[k].is_space
    return k if closing else None


def _acronym(word: str) -> bool:
    return 2 <= len(word) <= 6 and word.isalpha() and word.isupper()


def _split_org_and_person(doc: Any, span: NameSpan, taken: set[int]) -> list[NameSpan]:
    """ "President [Lima Chamber Ana Ruiz]" read as one ORG: a title introduces the person after it."""
    while span.start > 0 and is_org_word(doc[span.start].text) and _name_word(doc[span.start - 1], taken):
        span.start -= 1  # "Lima" dropped before "Chamber Ana Ruiz"
    inner = [k for k in range(span.start, span.end - 1) if is_org_word(doc[k].text)]
    if not inner or span.start == 0:
        return [span]
    cut = inner[-1] + 1
    rest = doc[cut : span.end]
    if not 2 <= len(rest) <= 3 or not all(t.text[:1].isupper() and t.text.replace("-", "").isalpha() for t in rest):
        return [span]
    if not titles().is_title_word(doc[span.start - 1].text):
        return [span]
    return [NameSpan(span.start, cut, "ORG"), NameSpan(cut, span.end, "PERSON")]


def _join_org_halves(doc: Any, spans: list[NameSpan]) -> list[NameSpan]:
    out: list[NameSpan] = []
    for span in spans:
        prev = out[-1] if out else None
        if prev and prev.label == "ORG" and span.label == "ORG" and _joinable_gap(doc, prev.end, span.start):
            prev.end = span.end
            continue
        out.append(span)
    return out


def _joinable_gap(doc: Any, a: int, b: int) -> bool:
    gap = doc[a:b]
    return 0 <= len(gap) <= _MAX_GAP and all(t.pos_ in _JOINABLE_POS and not t.is_punct for t in gap)


def _absorb_location_suffix(doc: Any, spans: list[NameSpan]) -> list[NameSpan]:
    """ "the Chamber of Commerce in China," is one name when the body's head is an institution."""
    out: list[NameSpan] = []
    skip: set[int] = set()
    for n, span in enumerate(spans):
        if n in skip:
            continue
        nxt = spans[n + 1] if n + 1 < len(spans) else None
        if (
            span.label == "ORG"
            and nxt is not None
            and nxt.label in {"GPE", "LOC"}
            and nxt.start == span.end + 1
            and doc[span.end].lower_ == "in"
            and doc[span.end - 1].lower_ in _INSTITUTION_HEADS
            and _closes(doc, nxt.end)
        ):
            out.append(NameSpan(span.start, nxt.end, "ORG", span.title_start))
            skip.add(n + 1)
            continue
        out.append(span)
    return out


def _closes(doc: Any, i: int) -> bool:
    """The name ends here: punctuation, a verb, a conjunction or the end of the text follows."""
    return i >= len(doc) or doc[i].is_punct or doc[i].pos_ in {"VERB", "AUX", "CCONJ"} or doc[i].is_space
