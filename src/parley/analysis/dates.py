"""Pipeline step: every time expression in an article, placed on the calendar.

Candidates are spaCy's DATE and TIME spans plus what our own scanners find in the text, because
spaCy splits some forms ("the afternoon" + "April 20", "Thursday" + "morning") and misses others.
Only candidates that parse as a point or span in time are kept (`datenorm.parse`): durations ("two
decades"), ages ("52-year-old") and frequencies are not dates. Overlaps go to the longest.

Each kept expression is resolved against the publication date with the tense of the clause that
governs it (`_tense`), a year written elsewhere in its sentence (`_year_hints`), and a multi-day
duration in its sentence ("a two-day visit ... ended on Thursday", `_stretch`). The TimeExpression
keeps the words of the date itself as its text; a stretched span shows only in value..value_end.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..document import Document, TimeExpression
from . import doctable
from .datenorm import NAMED_DAY_BEFORE, Spec, number_value, parse, parse_published, resolve, scan

#: spaCy pipes this step reads: entities, sentences and dependencies, and fine-grained tags (tense).
REQUIRES = ("ner", "tagger", "parser")

_LABELS = {"DATE", "TIME"}
#: Scanner hits inside these names are part of the name ("the March 23 Movement"), not dates.
_NAME_LABELS = {"PERSON", "ORG", "WORK_OF_ART", "PRODUCT", "LAW", "FAC"}
_TRAILING = re.compile(r"(?:\s|[,;:!?\"“”()\[\]]|(?<!\d)['\u2019]s?)+$")
_LEADING = re.compile(r"^(?:\s|from\s+|[\"“(\[])+", re.IGNORECASE)

_GENERIC_BEFORE = re.compile(r"\b(?:a|an)\s+(?:\w+\s+)?$", re.IGNORECASE)
_PAST_BEFORE = re.compile(r"\bsince\s+$", re.IGNORECASE)
_FUTURE_AUX = {"will", "shall", "'ll", "\u2019ll", "wo"}
#: "is set to sign", "plans to visit", "is scheduled for": present-tense words that look ahead.
_LOOK_AHEAD = {"set", "scheduled", "slated", "due", "expected", "planned", "poised", "going", "plans", "plan",
               "intends", "aims", "upcoming", "forthcoming"}
_MODALS = {"would", "could", "can", "may", "might", "must", "should"}

_SPAN_NUMBER = r"(?P<n>one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
#: "two-day", "3-day", "three days" — but not "two days ago/later/after", which are dates of their own.
_DURATION = re.compile(rf"\b{_SPAN_NUMBER}(?:\s*[-\u2010\u2011]\s*|\s+)days?\b"
                       r"(?!\s+(?:ago|later|earlier|before|after|from))", re.IGNORECASE)
_ENDS = re.compile(r"(?:end(?:s|ed|ing)?|conclud(?:e|es|ed|ing)|wrap(?:s|ped|ping)?|clos(?:e|es|ed|ing)|"
                   r"finish(?:es|ed|ing)?|complet(?:e|es|ed|ing)|leav(?:e|es|ing)|left|depart(?:s|ed|ing)?|"
                   r"culminat(?:e|es|ed|ing)|until|till|through)", re.IGNORECASE)
_STARTS = re.compile(r"(?:beg(?:in|ins|an|un|inning)|start(?:s|ed|ing)?|kick(?:s|ed|ing)?|open(?:s|ed|ing)?|"
                     r"launch(?:es|ed|ing)?|commenc(?:e|es|ed|ing)|arriv(?:e|es|ed|ing)|embark(?:s|ed|ing)?|from)",
                     re.IGNORECASE)


@dataclass(eq=False)
class _Found:
    """A candidate expression while it is placed (compared by identity: offsets may coincide)."""

    start: int
    end: int
    spec: Spec
    from_spacy: bool
    tense: str = "past"
    value: str | None = None
    value_end: str | None = None
    precision: str = "unknown"


def extract_dates(spacy_doc: Any, document: Document) -> None:
    """Fill `document.dates` with the article's time expressions, ids t1, t2, ... in text order."""
    text = document.article.text
    published = parse_published(document.article.published)
    if not _aligned(spacy_doc, text):
        spacy_doc = None  # offsets are only shared when the parse is of this very text
    people = [(m.start, m.end) for e in document.entities if e.type == "PERSON" for m in e.mentions]
    found = _select([f for f in _candidates(spacy_doc, text) if not _inside_a_name(f, people)])
    sentences = _sentences(spacy_doc, text)
    for item in found:
        item.tense = _tense(spacy_doc, item, text, sentences, found)
        words = text[item.start : item.end]
        item.value, item.value_end, item.precision = resolve(item.spec, published, item.tense, text=words)
    for item, year in _year_hints(found, sentences, published).items():
        item.value, item.value_end, item.precision = resolve(item.spec, published, item.tense, year_hint=year)
    for item in found:
        _stretch(spacy_doc, item, text, sentences, found)
    document.dates = [
        TimeExpression(id=f"t{n}", text=text[f.start : f.end], start=f.start, end=f.end,
                       value=f.value, value_end=f.value_end, precision=f.precision)
        for n, f in enumerate(found, start=1)
    ]


def _inside_a_name(found: _Found, people: list[tuple[int, int]]) -> bool:
    """ "talks with May", "June said": a month that is a person's name (a mention of someone the
    article names, "Theresa May") is no date."""
    return any(start <= found.start and found.end <= end for start, end in people)


def _aligned(spacy_doc: Any, text: str) -> bool:
    """Whether the parse is of `text` (checked at its ends: `Doc.text` costs a join of every token)."""
    if spacy_doc is None or len(spacy_doc) == 0:
        return False
    first, last = spacy_doc[0], spacy_doc[-1]
    return (text.startswith(first.text, first.idx) and last.idx + len(last.text_with_ws) == len(text)
            and text.startswith(last.text, last.idx))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without surrounding spaces, quotes, punctuation, "from" or a possessive "'s"."""
    piece = text[start:end]
    lead = _LEADING.match(piece)
    if lead:
        start += lead.end()
    trail = _TRAILING.search(text[start:end])
    if trail:
        end = start + trail.start()
    if text.count("(", start, end) > text.count(")", start, end) and text.startswith(")", end):
        end += 1  # "3 May 2026 (Sunday)" keeps its closing bracket
    return start, end


def _candidates(spacy_doc: Any, text: str) -> Any:
    """Parsed candidates, less days that are names or figures of speech rather than dates."""
    for found in _raw_candidates(spacy_doc, text):
        before = text[max(0, found.start - 30) : found.start]
        if found.spec.kind == "weekday" and NAMED_DAY_BEFORE.search(before):
            continue  # "Black Friday"
        if found.spec.kind in ("days", "weekday") and text[found.start : found.end].isupper():
            continue  # "USA TODAY": body text does not shout its dates
        if found.spec.kind == "days" and _GENERIC_BEFORE.search(before):
            continue  # "a brighter tomorrow"
        yield found


def _raw_candidates(spacy_doc: Any, text: str) -> Any:
    names: list[tuple[int, int]] = []
    if spacy_doc is not None:
        for ent in spacy_doc.ents:
            if ent.label_ in _NAME_LABELS:
                names.append((ent.start_char, ent.end_char))
            if ent.label_ not in _LABELS:
                continue
            start, end = _trim(text, ent.start_char, ent.end_char)
            spec = parse(text[start:end]) if end > start else None
            if spec is not None:
                yield _Found(start, end, spec, from_spacy=True)
    for span in scan(text):
        start, end = _trim(text, *span)
        if any(s <= start and end <= e for s, e in names):
            continue
        spec = parse(text[start:end]) if end > start else None
        if spec is not None:
            yield _Found(start, end, spec, from_spacy=False)


def _select(found: list[_Found]) -> list[_Found]:
    """Non-overlapping candidates, longest first; a dateparser-only parse yields to any other."""
    found.sort(key=lambda f: (f.spec.kind == "fallback", f.start - f.end, not f.from_spacy, f.start))
    kept: list[_Found] = []  # disjoint, in text order: a candidate is checked against its neighbours only
    for f in found:
        at = bisect.bisect_left(kept, f.start, key=_start_of)
        if (at == 0 or kept[at - 1].end <= f.start) and (at == len(kept) or f.end <= kept[at].start):
            kept.insert(at, f)
    return kept


def _start_of(found: _Found) -> int:
    return found.start


def _sentences(spacy_doc: Any, text: str) -> list[tuple[int, int]]:
    """Sentence extents as character offsets; the whole text when the parse gives none."""
    if spacy_doc is not None and spacy_doc.has_annotation("SENT_START"):
        return [(s.start_char, s.end_char) for s in doctable.sentences(spacy_doc)]
    return [(0, len(text))]


def _sentence_of(sentences: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    index = bisect.bisect_right(sentences, (offset, float("inf"))) - 1
    return sentences[max(index, 0)]


def _tense(spacy_doc: Any, item: _Found, text: str, sentences: list[tuple[int, int]], found: list[_Found]) -> str:
    """past | present | future for the clause the expression belongs to.

    The verb that governs the expression decides ("said on Monday that it will sign on Friday" has
    one of each), except that a present tense says nothing of a weekday inside a noun phrase ("is
    raising questions about Monday's debate"). Failing that, a "will"/"shall" or "upcoming" in the
    sentence makes it future, a past-tense verb past, a present or modal verb present. News
    defaults to past, and "since April" is past.
    """
    if spacy_doc is None or not spacy_doc.has_annotation("TAG"):
        return "past"
    if _PAST_BEFORE.search(text, max(0, item.start - 8), item.start):
        return "past"
    span, nominal = spacy_doc.char_span(item.start, item.end, alignment_mode="expand"), False
    if span is not None and spacy_doc.has_annotation("DEP"):
        verb, nominal = span.root, span.root.dep_ in ("poss", "compound", "nmod", "amod")
        while not verb.tag_.startswith(("VB", "MD")) and verb.head.i != verb.i:
            verb = verb.head
            nominal = nominal or verb.tag_.startswith("NN")
        nominal = nominal and item.spec.kind == "weekday"
        tense = _clause_tense(verb) if verb.tag_.startswith("VB") else None
        if tense and not (tense == "present" and nominal):
            return tense
    start, end = _sentence_of(sentences, item.start)
    inside = [(f.start, f.end) for f in found]
    words = [t for t in spacy_doc.char_span(start, end, alignment_mode="expand") or []
             if not any(s <= t.idx < e for s, e in inside)]
    if any(t.lower_ in _FUTURE_AUX and t.tag_ == "MD" or t.lower_ in ("upcoming", "forthcoming") for t in words):
        return "future"
    if any(t.tag_ == "VBD" for t in words) or nominal:
        return "past"
    if any(t.tag_ in ("VBZ", "VBP") or t.lower_ in _MODALS for t in words):
        return "present"
    return "past"


def _clause_tense(verb: Any) -> str | None:
    """The tense of a verb's clause from its tag and auxiliaries; None when they do not say."""
    for _ in range(6):
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        words = {a.lower_ for a in auxes}
        if not auxes and verb.tag_ in ("VB", "VBN", "VBG") and verb.dep_ in ("conj", "dep") \
                and verb.head.tag_.startswith("VB"):
            verb = verb.head  # "would assume office in January, run in November": shared auxiliaries
            continue
        if words & _FUTURE_AUX:
            return "future"
        if "to" in words:  # an infinitive takes its tense from what governs it
            head = verb.head
            if head.i == verb.i:
                return "future"  # "Ministers to meet on Friday"
            head_auxes = {c.tag_ for c in head.children if c.dep_ in ("aux", "auxpass")}
            if head.lower_ in _LOOK_AHEAD and head.tag_ != "VBD" and "VBD" not in head_auxes:
                return "future"
            verb = head
            continue
        if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes):
            return "past"
        if verb.tag_ == "VBN":
            if not auxes and verb.lower_ in _LOOK_AHEAD:
                return "future"  # "the talks, scheduled for Thursday, come after ...": a plan
            if words & {"has", "have", "'ve"} or not auxes:
                return "past"  # present perfect, or "the agreement signed on Monday"
            return "future" if verb.lower_ in _LOOK_AHEAD else "present"
        if verb.tag_ in ("VBZ", "VBP") or words & _MODALS or words & {"is", "are", "am"}:
            return "future" if verb.lower_ in _LOOK_AHEAD else "present"
        if verb.head.i == verb.i:
            return None
        verb = verb.head  # a participle or bare verb: look at what it hangs from
        if not verb.tag_.startswith("VB"):
            return None
    return None


def _year_hints(found: list[_Found], sentences: list[tuple[int, int]], published: date | None) -> dict[_Found, int]:
    """Year-less dates that take the one year written elsewhere in their sentence.

    "In 2019 the plant opened on April 20": the 20th is of 2019, not the year of publication; so
    with "last year". Not from "by the end of the year" (a deadline, not the setting), and not
    a year the clause's tense rules out (a past clause and a year after publication).
    """
    by_sentence: dict[tuple[int, int], list[_Found]] = {}
    for f in found:
        by_sentence.setdefault(_sentence_of(sentences, f.start), []).append(f)
    hints: dict[_Found, int] = {}
    for group in by_sentence.values():
        years = {int(f.value[:4]) for f in group if f.value and f.value[:1].isdigit() and _names_a_year(f)}
        if len(years) != 1:
            continue
        year = years.pop()
        for f in group:
            spec = f.spec
            if spec.kind != "abs" or spec.y is not None or spec.year_rel is not None or spec.precision == "year":
                continue
            if published is not None and (f.tense == "future" and year < published.year
                                          or f.tense == "past" and year > published.year):
                continue  # the year belongs to another clause
            hints[f] = year
    return hints


def _names_a_year(found: _Found) -> bool:
    """"2019", "March 2019", "last year", "June 16 of last year" — not a decade or a span of years."""
    spec = found.spec
    if found.value != found.value_end:
        return False
    if spec.kind == "abs":
        return spec.y is not None or spec.year_rel is not None
    return spec.kind == "period" and spec.unit == "year" and spec.part is None


def _stretch(spacy_doc: Any, item: _Found, text: str, sentences: list[tuple[int, int]],
             found: list[_Found]) -> None:
    """Widen a single day to the span a duration in its sentence gives it.

    "a two-day visit ... wrapped up on Thursday": Thursday - 1 .. Thursday; "a three-day trip that
    began on Monday": Monday .. Monday + 2. The verb (or "from"/"until") governing the date says
    whether it is the first or the last day; with neither, the date is left alone.
    """
    if item.precision != "day" or item.value is None or item.value != item.value_end:
        return
    s_start, s_end = _sentence_of(sentences, item.start)
    durations = [m for m in _DURATION.finditer(text, s_start, s_end)
                 if not any(f.start < m.end() and m.start() < f.end for f in found if f is not item)
                 and not (item.start <= m.start() < item.end)]
    if not durations:
        return
    nearest = min(durations, key=lambda m: abs(m.start() - item.start))
    days = number_value(nearest.group("n"))
    cue = _cue(spacy_doc, item, text, s_start)
    if cue is None:
        return
    item.value, item.value_end = widen(item.value, days, cue)


#: What may stand between two days that one act takes together: "on Thursday and Friday", "May 3, 4".
_DAY_JOINS = frozenset({" and ", ", ", " & ", ", and ", " and on "})
_CALENDAR_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")  # a day with its year: "--04-30" has none


def joined_days(text: str, first: Any, second: Any) -> tuple[str, str] | None:
    """The stretch two time expressions name together when the text joins them ("scheduled for
    Thursday and Friday": Thursday to Friday), else None: both single days of the same calendar,
    the second later, within a month of the first."""
    if text[first.end : second.start] not in _DAY_JOINS or not all(
            t.precision == "day" and t.value_end in (None, t.value) and _CALENDAR_DAY.fullmatch(t.value or "")
            for t in (first, second)):
        return None
    gap = (_as_date(second.value) - _as_date(first.value)).days
    return (first.value, second.value) if 0 < gap <= 31 else None


def widen(day: str, days: int, cue: str) -> tuple[str, str]:
    """A single day widened to a stretch of `days` days it ends ("end") or starts ("start"): the one
    place a visit's dates are widened, for a date in the visit's sentence and for the visit event."""
    if days < 2 or days > 31 or not re.fullmatch(r"(\d{4}|-)-\d{2}-\d{2}", day):
        return day, day
    first = _as_date(day) - timedelta(days=days - 1) if cue == "end" else _as_date(day)
    return _like(day, first), _like(day, first + timedelta(days=days - 1))


_VISIT_SPAN = re.compile(rf"\b{_SPAN_NUMBER}(?:\s*[-\u2010\u2011]\s*|\s+)days?(?:\s+[a-z]+){{0,2}}?\s+"
                         r"(?:visit|trip|tour|mission|roadshow)", re.IGNORECASE)


def visit_days(text: str) -> int | None:
    """How many days a visit lasted, from "the two-day visit", "a three-day official trip"."""
    match = _VISIT_SPAN.search(text)
    if match is None:
        return None
    return number_value(match.group("n"))


def visit_cue(text: str) -> str:
    """Whether the words before a visit's date say it ended ("end", the default) or began then."""
    words = [w for w in re.findall(r"[\w']+", text)[-6:] if w.lower() not in {"from", "until", "till", "through"}]
    return "start" if any(_STARTS.fullmatch(w) for w in words) and not any(_ENDS.fullmatch(w) for w in words) else "end"


def _cue(spacy_doc: Any, item: _Found, text: str, s_start: int) -> str | None:
    """"end" or "start": what the nearest verb above the date (or a preposition before it) says."""
    words: list[str] = []
    span = spacy_doc.char_span(item.start, item.end, alignment_mode="expand") if spacy_doc is not None else None
    if span is not None and spacy_doc.has_annotation("DEP"):
        token = span.root
        while token.head.i != token.i:
            token = token.head
            words.append(token.lower_)
            if token.tag_.startswith("VB"):
                break  # the clause's verb: a cue further up belongs to another clause
    else:
        words = list(reversed(re.findall(r"[\w']+", text[s_start : item.start])))[:6]
    for word in words:
        if _ENDS.fullmatch(word):
            return "end"
        if _STARTS.fullmatch(word):
            return "start"
    return None


def _as_date(value: str) -> date:
    """A day value as a date; a year-less one ("--04-20") in a leap year, so Feb 29 exists."""
    return date.fromisoformat(value if value[:1].isdigit() else "2000" + value[1:])


def _like(template: str, day: date) -> str:
    return day.isoformat() if template[:1].isdigit() else day.strftime("--%m-%d")
