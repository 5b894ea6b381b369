"""Datelines and publication dates.

A dateline opens a news body: `CHONGQING, (APP - UrduPoint / Pakistan Point News - 21st Mar, 2025)`,
`WASHINGTON (Reuters) -`, `BEIJING, March 21 (Xinhua) --`, `Chongqing - `, `LONDON — `. It names the
place the story was filed from, often the agency, sometimes a date. It is cut from the body (it is
not prose, and it confuses the parser) and kept as `article.dateline` and `article.source`.

Date lines under a headline ("Published: Tuesday, 12 March 2024", "12/3/2024 10:05", "Updated 2 hours
ago") are read by `parse_date_line`, with the project's own patterns: a publication date is only
accepted when the day, the month and the year are all given, and a numeric date whose day and month
could be swapped ("5/3/2024") is left unknown unless something says which comes first. A published
date is never invented, and a relative phrase never becomes one. Other date texts (a feed's or a
page's metadata) fall back to dateparser, with the same all-parts rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

# A place: one to four capitalised words ("NEW YORK", "Chongqing", "St. Louis"), optionally
# followed by a state or country after a comma ("NEW YORK, N.Y.", "Lagos, Nigeria").
_WORD = r"(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b)(?:[A-Z][A-Za-z'.\-]*|[A-Z]{2,})"
_PLACE = rf"(?P<place>{_WORD}(?:\s{_WORD}){{0,3}}(?:,\s{_WORD}(?:\s{_WORD}){{0,2}})?)"
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"
_DATE = (
    rf"(?:(?:{_WEEKDAY},?\s+)?"
    rf"(?:{_MONTHS}\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}(?:,?\s*\d{{4}})?))"
)
_DAY_MONTH = rf"(?P<date>{_DATE})"
_SEP = r"(?:\s*(?:-{1,2}|–|—|:)\s+)"

# "PLACE, (SOURCE ...) Text" / "PLACE (SOURCE) - Text" / "PLACE, Month D (SOURCE) -- Text"
_WITH_SOURCE = re.compile(
    rf"^{_PLACE},?\s*(?:{_DAY_MONTH}\s*)?\((?P<paren>[^()]{{1,160}})\)(?:{_SEP}|\s+)(?=\S)"
)
# "PLACE, Month D -- Text" / "PLACE - Text" / "PLACE: Text"
_PLAIN = re.compile(rf"^{_PLACE}(?:,\s*{_DAY_MONTH})?{_SEP}(?=\S)")
# Inside the parenthesis: "APP - UrduPoint / Pakistan Point News - 21st Mar, 2025"
_PAREN_DATE = re.compile(rf"\s*[-–—,]\s*{_DAY_MONTH}\s*$")
# "Pune (Maharashtra) [India], March 12 (ANI): Text": city, state (may be left out), country, date, agency.
_BRACKETED = re.compile(
    rf"^(?P<place>{_WORD}(?:\s{_WORD}){{0,3}})\s*(?:\([^()]{{1,40}}\)\s*)?\[[^\[\]]{{1,40}}\],?\s*"
    rf"(?:{_DAY_MONTH}\s*)?\((?P<paren>[^()]{{1,60}})\){_SEP}(?=\S)"
)
# "KATHMANDU, Nepal, March 12 / Agency: Text", "AUSTIN, Texas, March 12, 2024 /Wirename/ -- Text"
_SLASHED = re.compile(
    rf"^{_PLACE},\s*{_DAY_MONTH}\s*/\s*(?P<agency>[A-Z][\w.&' -]{{0,40}}?)\s*/?{_SEP}(?=\S)"
)
# "Friday, March 8, 2024 – Text": a date where the place would be.
_DATE_OPENER = re.compile(rf"^{_DAY_MONTH}{_SEP}(?=\S)")


_CALENDAR_WORD = re.compile(rf"(?:{_WEEKDAY}|{_MONTHS}),?")


@dataclass
class Dateline:
    place: str | None  # None when the opener is a date alone ("Friday, March 8, 2024 - ")
    source: str | None
    date_text: str | None
    end: int  # where the body proper starts


def parse_dateline(body: str) -> Dateline | None:
    """The dateline at the start of `body`, or None when the body opens with prose."""
    match = _BRACKETED.match(body)
    if match and _looks_like_source(match.group("paren")):
        place, source = _clean_place(match.group("place")), match.group("paren").strip()
        return Dateline(place, source, match.group("date"), match.end())
    match = _SLASHED.match(body)
    if match and _looks_like_place(match.group("place")):
        source = match.group("agency").strip()
        return Dateline(_clean_place(match.group("place")), source or None, match.group("date"), match.end())
    match = _DATE_OPENER.match(body)
    if match:
        return Dateline(None, None, match.group("date"), match.end())
    match = _WITH_SOURCE.match(body)
    if match:
        paren = match.group("paren").strip()
        date_text = match.group("date")
        inner = _PAREN_DATE.search(paren)
        if inner:
            date_text = date_text or inner.group("date")
            paren = paren[: inner.start()].strip()
        if not _looks_like_source(paren) or not _may_open_place(match.group("place")):
            return None
        return Dateline(_clean_place(match.group("place")), paren or None, date_text, match.end())
    match = _PLAIN.match(body)
    if match and _looks_like_place(match.group("place")):
        if ":" in match.group(0)[len(match.group("place")) :] and not match.group("place").isupper():
            return None  # "Trump: we will win" is speech, "LONDON: ..." a dateline
        return Dateline(_clean_place(match.group("place")), None, match.group("date"), match.end())
    return None


def _clean_place(place: str) -> str:
    return place.strip().rstrip(",")


def _may_open_place(place: str) -> bool:
    """Not a byline ("By Ana Ruiz (Daily News)") nor a date ("Friday - ...", "March - ...")."""
    words = place.replace(",", " ").split()
    return bool(words) and words[0] not in ("By", "BY") and not _CALENDAR_WORD.fullmatch(words[0])


def _looks_like_place(place: str) -> bool:
    """All capitals ("LONDON") or a short run of capitalised words that is not a sentence opener."""
    words = place.replace(",", " ").split()
    if not _may_open_place(place):
        return False
    return 1 <= len(words) <= 5 and not {"I", "A", "The", "This", "It"} & set(words[:1])


def _looks_like_source(paren: str) -> bool:
    """An agency or outlet: short, capitalised, not a parenthetical remark."""
    return 0 < len(paren) <= 120 and paren[:1].isupper() and paren.count(" ") <= 12


def parse_full_date(text: str | None) -> str | None:
    """ISO date from `text` when it gives day, month and year; otherwise None (never a guess)."""
    if not text:
        return None
    text = text.strip()
    own = read_date(text)
    if own is not None:
        return own.iso
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            return None
    iso = re.match(r"(\d{4}-\d{2}-\d{2})[T ]\d", text)
    if iso:
        return parse_full_date(iso.group(1))
    import dateparser

    parsed: datetime | None = dateparser.parse(
        text,
        languages=["en"],
        # no "relative-time" parser: "2 hours ago" or "in 5 years" would resolve against the clock
        # of the ingest, inventing a date the article never gave
        settings={"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past",
                  "PARSERS": ["timestamp", "custom-formats", "absolute-time"]},
    )
    return parsed.date().isoformat() if parsed else None


# ---- date lines -------------------------------------------------------------------------------

_MONTH_NUMBERS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
#: "Published:", "Updated on", "Last updated:", "Posted at", "First published" ... before a date.
_LABEL = re.compile(
    r"^(?P<label>(?:first\s+|last\s+)?(?:published|updated|posted|modified|released|issued|date|dated)"
    r"(?:\s+(?:on|at))?)\s*[:\-–—|]?\s*",
    re.IGNORECASE,
)
_UPDATE_LABELS = ("updated", "modified", "last")
# Times and zones are dropped before the date is read: "10:05", "10.05am", "3 p.m.", "GMT+8", "(IST)".
_TIME = re.compile(
    r"(?<![\d.:/])\d{1,2}(?:[:.]\d{2}){1,2}(?![\d.:/]\d)\s*(?:[ap]\.?\s?m\.?)?"
    r"|(?<![\d.:/])\d{1,2}\s*[ap]\.?\s?m\b\.?",
    re.IGNORECASE,
)
_ZONE = re.compile(
    r"\(?\b(?:GMT|UTC|Z|[ECMPA][SD]?T|BST|CES?T|EES?T|WAT|EAT|CAT|SAST|IST|JST|KST|HKT|SGT|PHT|PKT|AES?T|AEDT"
    r"|WIB|MSK)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\b\)?"
)
#: US time zones: an outlet that gives its times in them writes its dates month first (3/12 is March 12).
#: CST is left out (China Standard Time too), and so are zones of countries that write the day first.
_US_ZONE = re.compile(r"\b(?:E[SD]?T|CDT|CT|M[SD]?T|P[SD]?T)\b")
_ISO_TIME = re.compile(r"(?<=\d)T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?")
_FILLER = re.compile(
    rf"^(?:(?:{_WEEKDAY}|at|on|\||/|,|-|–|—)\s*)+|(?:\s*(?:at|on|\||/|,|-|–|—))+$", re.IGNORECASE
)
_RELATIVE = re.compile(
    r"^(?:about\s+|around\s+)?(?:\d+|an?|one)\s*(?:sec|min|hr|hour|day|week|month|year)s?\.?\s+ago$"
    r"|^(?:just\s+now|today|yesterday|moments\s+ago)(?:\s+at)?$",
    re.IGNORECASE,
)
_YMD = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")
_NUMERIC = re.compile(r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})")
_ORD = r"(?:st|nd|rd|th)?"
_DMY = re.compile(
    rf"(?P<d>\d{{1,2}}){_ORD}(?:\s+(?:of\s+)?|-)(?P<m>{_MONTHS})(?:,?\s+|-)(?P<y>\d{{4}})", re.IGNORECASE
)
_MDY = re.compile(rf"(?P<m>{_MONTHS})\s+(?P<d>\d{{1,2}}){_ORD},?\s+(?P<y>\d{{4}})", re.IGNORECASE)
# Day and month, or month and year, alone: a date line whose date stays unknown.
_PARTIAL = re.compile(
    rf"(?:\d{{1,2}}{_ORD}\s+(?:of\s+)?{_MONTHS}|{_MONTHS}\s+\d{{1,2}}{_ORD}|{_MONTHS},?\s+\d{{4}})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateRead:
    """A date text read on its own: the ISO date, or None with `order_open` when day and month
    could be swapped ("5/3/2024": 5 March or 3 May) and nothing said which comes first."""

    iso: str | None
    order_open: bool = False
    day_first: bool | None = None  # what an unambiguous numeric date shows of its writer's habit


@dataclass(frozen=True)
class DateLine:
    """A head line that is a date: `kind` is "published" or "updated"; `date` is None when the
    date is partial, relative ("2 hours ago") or of unknown order."""

    kind: str
    date: DateRead | None
    text: str
    bare: bool = True  # a date alone ("Friday, July 21, 2017"), not "Published: ..." nor "2 hours ago"


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month(name: str) -> int:
    return _MONTH_NUMBERS[name[:3].lower()]


def read_numeric(a: int, b: int, year: int, sep: str, day_first: bool | None = None) -> DateRead:
    """`a/b/year`: day first when a > 12, month first when b > 12, day first with dots (a habit of
    the countries that write them); otherwise the writer's habit `day_first` decides (another date of
    the same head, or a US time zone beside the date), or nothing."""
    if sep == ".":
        return DateRead(_valid(year, b, a), day_first=True)
    if a > 12 >= b:
        return DateRead(_valid(year, b, a), day_first=True)
    if b > 12 >= a:
        return DateRead(_valid(year, a, b), day_first=False)
    if a == b:
        return DateRead(_valid(year, a, b))
    if day_first is None:
        return DateRead(None, order_open=True)
    return DateRead(_valid(year, b, a) if day_first else _valid(year, a, b))


def _bare(text: str) -> str:
    """The date text without times, zones, weekdays and joining words."""
    text = _ISO_TIME.sub("", text)
    text = _TIME.sub(" ", text)
    text = _ZONE.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return _FILLER.sub("", text).strip()


def read_date(text: str, day_first: bool | None = None) -> DateRead | None:
    """A text that is wholly one full date (times, zones and the weekday allowed), else None."""
    bare = _bare(text)
    match = _YMD.fullmatch(bare)
    if match:
        return DateRead(_valid(int(match["y"]), int(match["m"]), int(match["d"])))
    match = _NUMERIC.fullmatch(bare)
    if match:
        if day_first is None and _US_ZONE.search(text):
            day_first = False
        return read_numeric(int(match["a"]), int(match["b"]), int(match["y"]), match["sep"], day_first)
    for pattern in (_DMY, _MDY):
        match = pattern.fullmatch(bare)
        if match:
            return DateRead(_valid(int(match["y"]), _month(match["m"]), int(match["d"])))
    return None


_PLACE_BEFORE = re.compile(rf"^{_WORD}(?:\s{_WORD}){{0,2}},\s+(?=\S)")


def _after_place(text: str, day_first: bool | None) -> DateRead | None:
    """"Lima, 12 March 2024": a full date after the place it was filed from."""
    match = _PLACE_BEFORE.match(text)
    if not match or _CALENDAR_WORD.fullmatch(text[: match.end()].split()[0]):
        return None
    found = read_date(text[match.end() :], day_first)
    return found if found is not None and (found.iso or found.order_open) else None


def parse_date_line(line: str, day_first: bool | None = None) -> DateLine | None:
    """A head line that is a date and nothing else ("Published: Tuesday, 12 March 2024, 10:05",
    "Updated 3 hours ago", "March 12"), else None. Only a full date gives a value."""
    text = line.strip()
    kind = "published"
    label = _LABEL.match(text)
    bare = label is None
    if label:
        if label.group("label").split()[0].lower() in _UPDATE_LABELS:
            kind = "updated"
        text = text[label.end() :]
    if not text or len(text) > 80:
        return None
    if _RELATIVE.match(_bare(text)):
        return DateLine(kind, None, line.strip(), bare=False)
    found = read_date(text, day_first) or _after_place(text, day_first)
    if found is not None:
        return DateLine(kind, found, line.strip(), bare)
    if _PARTIAL.fullmatch(_bare(text)):
        return DateLine(kind, None, line.strip(), bare)
    return None
