"""The head of an article: the short lines between the headline and the body proper.

News pages put bylines and dates there ("By Ana Ruiz, Staff Reporter", "Published: Tuesday, 12 March
2024", "Ana Ruiz | Lima", a name alone above the dateline). They are not prose: left in the body they
fuse with the first sentence into names and actors ("Reporter LIMA"). `read_head` takes them out of
the text before any offset is taken, so offsets stay honest, and keeps what they say: the published
date (a full date only; an "Updated" date only when nothing else gives one) and a named source.
A date standing alone on its line ("Friday, July 21, 2017") is read but stays: it is part of the
text (annotated corpora such as GUM mark it as a date), unlike a label or a byline.
The wire services' credit line at the foot ("(Reporting by ...; Editing by ...)") goes the same way
(`drop_credits`).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from ..analysis.namewords import particles
from .clean import is_caption
from .dateline import DateLine, parse_date_line, parse_dateline

#: Lines looked at after the headline (captions not counted), and prose lines allowed among them
#: (a standfirst may come before the byline).
_HEAD_LINES = 6
_PROSE_LINES = 2
_MAX_HEAD_CHARS = 120

_PARTICLES = "(?:" + "|".join(sorted(map(re.escape, particles()), key=len, reverse=True)) + ")"
_CAP = r"(?:[A-Z][\w'’.-]*)"
_CALENDAR = re.compile(
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?:Jan|Febr)uary|March|April|May|June|July|August"
    r"|(?:Septem|Octo|Novem|Decem)ber|Today|Yesterday|The|This|That|In|On|At|By|For|With|From",
    re.IGNORECASE,
)
#: A person's name: two to five words, capitalised except for particles ("Ana de la Cruz").
_NAME = re.compile(rf"{_CAP}(?:\s+(?:{_PARTICLES}|{_CAP})){{1,4}}")
_AND = r"(?:,|&|\band\b|\bAND\b)"
_NAMES = re.compile(rf"{_NAME.pattern}(?:\s*{_AND}\s*{_NAME.pattern})*")
#: "By Ana Ruiz", "Written by Ana Ruiz and Li Wei", then an optional tail after , | / - or "in".
_BY = re.compile(
    rf"^(?:(?:[Ww]ritten|[Rr]eported|[Pp]osted|[Ss]tory|[Ww]ords|[Tt]ext)\s+)?(?:[Bb]y|BY)\s+(?P<names>{_NAMES.pattern})"
    rf"(?:\s*(?:[,|/·•–—-]|\bin\b|\bon\b)\s*(?P<tail>.*)|\s+(?P<paren>\(.*))?$"
)
#: "Posted on March 12, 2024 by Ana Ruiz", "March 12, 2024 by Web Desk": a date, then who wrote it.
_DATED_BY = re.compile(r"^(?P<date>.{6,60}?)\s+(?:[Bb]y|BY)\s+(?P<names>[A-Za-z][\w.’' &-]{1,60})$")
_SEGMENT_SPLIT = re.compile(r"\s+[|/·•]\s+|\s*\|\s*")
_SOURCE_LABEL = re.compile(r"^(?:source|agency|via)\s*[:：]\s*(?P<source>\w[\w .&'()/-]{1,60})$", re.IGNORECASE)
#: "Editor: Li Wei", "Author: Ana Ruiz", "Reporter: ..." in the "|" line of a web page's head.
_LABELLED_NAME = re.compile(
    r"^(?:editor|edited\s+by|author|writer|reporter|correspondent|compiled\s+by)\s*[:：]\s*(?P<names>.{2,80})$",
    re.IGNORECASE,
)
#: "(People's Daily)" after a byline's names: the outlet.
_PAREN_OUTLET = re.compile(r"^\((?P<outlet>[A-Z][^()]{1,60})\)\s*")
_READING_TIME = re.compile(r"^\d{1,3}\s*(?:min|mins|minutes?)(?:\s+read)?$", re.IGNORECASE)  # "3 min read"
_HANDLE = re.compile(r"^@?[a-z][a-z0-9_.]{2,30}$")  # a content system's user name: "anaruiz"


@dataclass
class Head:
    """What the head lines said, and the lines taken out of the text."""

    published: str | None = None
    updated: str | None = None
    source: str | None = None
    removed: list[str] = field(default_factory=list)
    order_open: list[str] = field(default_factory=list)  # numeric dates whose day/month order is unknown

    @property
    def date(self) -> str | None:
        """The publication date the head gives: a published date, else the date of an update."""
        return self.published or self.updated


@lru_cache(maxsize=1)
def _title_words() -> tuple[frozenset[str], frozenset[str]]:
    """(heads, modifiers) of journalist titles, from resources/byline_titles.tsv."""
    text = files("parley.resources").joinpath("byline_titles.tsv").read_text(encoding="utf-8")
    heads: set[str] = set()
    modifiers: set[str] = set()
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or line.startswith("word\t"):
            continue
        word, _, kind = line.partition("\t")
        (heads if kind.strip() == "head" else modifiers).add(word.strip().lower())
    return frozenset(heads), frozenset(modifiers)


def is_journalist_title(text: str) -> bool:
    """"Staff Reporter", "Our Correspondent", "Senior Business Writer": modifiers, then a head word."""
    heads, modifiers = _title_words()
    words = text.strip(" ,").lower().split()
    return 1 <= len(words) <= 4 and words[-1] in heads and all(w in modifiers or w in heads for w in words[:-1])


def is_name(text: str) -> bool:
    """A person's name as a byline writes it: two to five capitalised words, none a calendar word."""
    text = text.strip()
    if not _NAME.fullmatch(text):
        return False
    words = text.split()
    return not any(_CALENDAR.fullmatch(w.strip(",.")) for w in words) and not any(c.isdigit() for c in text)


def _name_with_title(text: str) -> bool:
    """"Ana Ruiz, Staff Reporter", "Ana Ruiz Senior Reporter", "Staff Reporter" alone."""
    text = text.strip()
    if is_journalist_title(text):
        return True
    name, sep, title = text.partition(",")
    if sep:
        return is_name(name) and is_journalist_title(title)
    words = text.split()
    for cut in range(2, len(words)):
        if is_name(" ".join(words[:cut])) and is_journalist_title(" ".join(words[cut:])):
            return True
    return False


def _place(text: str) -> bool:
    """A short capitalised place in a byline tail: "Lima", "New Delhi", "LAGOS, Nigeria"."""
    parts = [p.strip() for p in text.split(",")]
    return all(re.fullmatch(rf"{_CAP}(?:\s+{_CAP}){{0,2}}", p) for p in parts) and len(parts) <= 2


class _Reading:
    """One head being read: the dates and source found so far."""

    def __init__(self, day_first: bool | None) -> None:
        self.head = Head()
        self.day_first = day_first

    def date(self, text: str) -> bool:
        found = parse_date_line(text, self.day_first)
        if found is None:
            return False
        self._keep(found)
        return True

    def _keep(self, found: DateLine) -> None:
        if found.date is None:
            return
        if found.date.iso is None and found.date.order_open:
            self.head.order_open.append(found.text)
            return
        attr = "published" if found.kind == "published" else "updated"
        if getattr(self.head, attr) is None:
            setattr(self.head, attr, found.date.iso)

    def segment(self, text: str, first: bool) -> bool:
        """One part of a "|"-separated head line."""
        text = text.strip()
        if not text:
            return True
        source = _SOURCE_LABEL.match(text)
        if source and _outlet_like(source.group("source")):
            self.head.source = self.head.source or source.group("source").strip()
            return True
        if self.date(text) or self.byline(text) or self.labelled(text) or _name_with_title(text):
            return True
        if _READING_TIME.match(text):
            return True
        if first:
            return is_name(text) or bool(_HANDLE.match(text))
        return _place(text) or is_name(text)

    def byline(self, text: str) -> bool:
        match = _BY.match(text.strip())
        if not match or not all(is_name(n) for n in re.split(rf"\s*{_AND}\s*", match.group("names"))):
            return False
        tail = (match.group("tail") or match.group("paren") or "").strip()
        outlet = _PAREN_OUTLET.match(tail)
        if outlet:
            name = outlet.group("outlet").strip()
            if not _title_words()[0] & set(name.lower().split()):  # "(Wire correspondent)" is no outlet
                self.head.source = self.head.source or name
            tail = tail[outlet.end() :].lstrip(" ,|-–—")
        return not tail or self.tail(tail)

    def dated_byline(self, text: str) -> bool:
        """"Posted on March 12, 2024 by Ana Ruiz": a date (kept), then the writers' names or title."""
        match = _DATED_BY.match(text.strip())
        if match is None:
            return False
        names = match.group("names").strip()
        writers = is_journalist_title(names) or all(is_name(n) for n in re.split(rf"\s*{_AND}\s*", names))
        return writers and self.date(match.group("date"))

    def labelled(self, text: str) -> bool:
        """"Editor: Li Wei", "Author: Ana Ruiz and Tomas Varga"."""
        match = _LABELLED_NAME.match(text.strip())
        return bool(match) and all(is_name(n) for n in re.split(rf"\s*{_AND}\s*", match.group("names").strip()))

    def tail(self, tail: str) -> bool:
        """What may follow a byline's names: titles, places, dates, each capitalised, no sentence."""
        if tail.endswith((".", "!", "?", ";")) and not self.date(tail):
            return False
        parts = [p for p in re.split(r"\s*[,|/·•]\s*", tail) if p]
        return all(
            self.date(p) or is_journalist_title(p) or _place(p) or self.labelled(p)
            for p in parts
        ) or self.date(tail)

    def line(self, text: str, following: str | None) -> str | None:
        """What `text` is: "date" for a date alone (it stays in the text, which it is part of: news
        corpora annotate it), "furniture" for a byline, a labelled or relative date, a "|" line of
        them or a name above the dateline (they leave the text), None for anything else."""
        if len(text) > _MAX_HEAD_CHARS:
            return None
        found = parse_date_line(text, self.day_first)
        if found is not None:
            self._keep(found)
            return "date" if found.bare else "furniture"
        if self.byline(text) or self.labelled(text) or _name_with_title(text) or self.dated_byline(text):
            return "furniture"
        parts = _SEGMENT_SPLIT.split(text)
        if len(parts) > 1 and all(self.segment(p, i == 0) for i, p in enumerate(parts)):
            return "furniture"
        if _SOURCE_LABEL.match(text) and self.segment(text, False):
            return "furniture"
        if is_name(text) and following is not None and _opens_body(following):
            return "furniture"
        return None


def _outlet_like(text: str) -> bool:
    """A name of an outlet or agency, not a sentence: a few words, no closing full stop."""
    text = text.strip()
    return len(text.split()) <= 6 and not text.endswith((".", "!", "?"))


def _opens_body(line: str) -> bool:
    """A line that starts the body proper: a dateline opener, or a date line."""
    return parse_dateline(line) is not None or parse_date_line(line) is not None


def _habit(lines: list[str]) -> bool | None:
    """Day first or month first, as an unambiguous numeric date in these head lines shows it."""
    for line in lines:
        for part in _SEGMENT_SPLIT.split(line):
            found = parse_date_line(part)
            if found and found.date and found.date.day_first is not None:
                return found.date.day_first
    return None


def read_head(text: str) -> tuple[str, Head]:
    """The text without its head lines, and what they said. Looks at the first lines only, skips
    captions (they leave later), and stops at the dateline or after two lines of prose."""
    lines = text.split("\n")
    candidates = _candidate_indexes(lines)
    reading = _Reading(_habit([lines[i] for i in candidates]))
    removed: set[int] = set()
    for index in candidates:
        following = next((line.strip() for line in lines[index + 1 :] if line.strip()), None)
        trial = copy.deepcopy(reading)  # what a line says counts only if the whole line is head
        kind = trial.line(lines[index].strip(), following)
        if kind is not None:
            reading = trial
        if kind == "furniture":
            removed.add(index)
            reading.head.removed.append(lines[index].strip())
    if not removed:
        return text, reading.head
    kept = "\n".join(line for i, line in enumerate(lines) if i not in removed)
    return re.sub(r"\n{3,}", "\n\n", kept).strip(), reading.head


def leading_dates_end(text: str) -> int:
    """Where the text goes on after the date lines it opens with (0 when it opens with none): the
    dateline, if any, is there."""
    position = 0
    for line in text.split("\n"):
        found = parse_date_line(line) if line.strip() else None
        if line.strip() and found is None:
            break
        position += len(line) + 1
    return min(position, len(text))


def _candidate_indexes(lines: list[str]) -> list[int]:
    """Indexes of the lines that may be head lines: non-blank, not captions, before the dateline
    and before the third line of prose."""
    out: list[int] = []
    prose = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped or is_caption(stripped):
            continue
        if len(out) >= _HEAD_LINES or parse_dateline(stripped) is not None:
            break
        out.append(index)
        if len(stripped) > _MAX_HEAD_CHARS or stripped.endswith((".", "!", "?", '"', "”")):
            prose += 1
            if prose >= _PROSE_LINES:
                break
    return out


#: One part of a wire credit line: "Additional reporting by Ana Ruiz in Lima", "Editing by Li Wei".
_CREDIT_PART = re.compile(
    r"^(?:[Aa]dditional\s+)?(?:[Rr]eporting|[Ww]riting|[Ee]diting|[Ee]dited|[Cc]ompiled|[Pp]roduced|[Gg]raphics)"
    r"\s+by\s+(?:[A-Z][\w'’.-]*|and|in|of|de|van|von|al|el|,|\s)+$"
)
#: Credit lines looked for at the foot of the text.
_CREDIT_LINES = 2


def is_credit_line(line: str) -> bool:
    """"(Reporting by Ana Ruiz; Editing by Li Wei)": every ";" part names who did what."""
    inner = line.strip().rstrip(".").strip()
    if inner.startswith("(") and inner.endswith(")"):
        inner = inner[1:-1].strip().rstrip(".")
    parts = [p.strip() for p in inner.split(";") if p.strip()]
    return bool(parts) and all(_CREDIT_PART.match(p) for p in parts)


def drop_credits(text: str) -> str:
    """The text without the credit lines at its foot."""
    lines = text.rstrip().split("\n")
    for _ in range(_CREDIT_LINES):
        if lines and is_credit_line(lines[-1]):
            lines.pop()
            while lines and not lines[-1].strip():
                lines.pop()
    return "\n".join(lines)
