"""Datelines and publication dates.

A dateline opens a news body: `CHONGQING, (APP - UrduPoint / Pakistan Point News - 21st Mar, 2025)`,
`WASHINGTON (Reuters) -`, `BEIJING, March 21 (Xinhua) --`, `Chongqing - `, `LONDON — `. It names the
place the story was filed from, often the agency, sometimes a date. It is cut from the body (it is
not prose, and it confuses the parser) and kept as `article.dateline` and `article.source`.

Dates are parsed by dateparser, but a publication date is only accepted when the day, the month and
the year are all given: a published date is never invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

# A place: one to four capitalised words ("NEW YORK", "Chongqing", "St. Louis"), optionally
# followed by a state or country after a comma ("NEW YORK, N.Y.", "Lagos, Nigeria").
_WORD = r"(?:[A-Z][A-Za-z'.\-]*|[A-Z]{2,})"
_PLACE = rf"(?P<place>{_WORD}(?:\s{_WORD}){{0,3}}(?:,\s{_WORD}(?:\s{_WORD}){{0,2}})?)"
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DATE = rf"(?:{_MONTHS}\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}(?:,?\s*\d{{4}})?)"
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


@dataclass
class Dateline:
    place: str
    source: str | None
    date_text: str | None
    end: int  # where the body proper starts


def parse_dateline(body: str) -> Dateline | None:
    """The dateline at the start of `body`, or None when the body opens with prose."""
    match = _WITH_SOURCE.match(body)
    if match:
        paren = match.group("paren").strip()
        date_text = match.group("date")
        inner = _PAREN_DATE.search(paren)
        if inner:
            date_text = date_text or inner.group("date")
            paren = paren[: inner.start()].strip()
        if not _looks_like_source(paren):
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


def _looks_like_place(place: str) -> bool:
    """All capitals ("LONDON") or a short run of capitalised words that is not a sentence opener."""
    words = place.replace(",", " ").split()
    return 1 <= len(words) <= 5 and not {"I", "A", "The", "This", "It"} & set(words[:1])


def _looks_like_source(paren: str) -> bool:
    """An agency or outlet: short, capitalised, not a parenthetical remark."""
    return 0 < len(paren) <= 120 and paren[:1].isupper() and paren.count(" ") <= 12


def parse_full_date(text: str | None) -> str | None:
    """ISO date from `text` when it gives day, month and year; otherwise None (never a guess)."""
    if not text:
        return None
    text = text.strip()
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
        settings={"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"},
    )
    return parsed.date().isoformat() if parsed else None
