"""Time expressions: their surface forms, and their place on the calendar given a publication date.

The common forms are parsed here with regular expressions rather than dateparser: dateparser costs
a millisecond or more a call (150 ms the first time) and is too loose for news ("two decades" comes
back as a date twenty years ago, "the 1990s" as yesterday, a year-less date gets the current year).
It is kept for leftovers that name a month or a weekday (`_fallback`).

`parse` says what the words fix (a `Spec`); `resolve` places that against the publication date P
and the tense of the clause. Nothing that needs P is placed without it: the value is then None, or
"--MM-DD" / "--MM" when only the year is missing. A year is never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

#: How far after P a year-less date in a past-tense clause may fall and still take P's year
#: (an article is often stamped a day or two before the events it reports as done).
SLACK_DAYS = 7

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
_MONTH_ABBREVIATIONS = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
            "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
            "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60}


def number_value(word: str) -> int:
    """The value of a count written in words or digits ("seventeen", "a", "3"): one table for the
    time expressions and the visits' lengths."""
    word = word.lower()
    return _NUMBERS[word] if word in _NUMBERS else int(word)


_PART = r"(?:early|mid|late|(?:the\s+)?(?:end|beginning|start|middle|close)\s+of)"

# Templates: <NAME> or <NAME:group> expand to these pieces (and to month and weekday names, matched
# case-sensitively in running text, where "may" and "march" are verbs, case-free when parsing).
_PIECES = {
    "DAY": r"(?:3[01]|[12]\d|0?[1-9])(?!\d)(?:st|nd|rd|th)?",
    "YEAR": r"(?:1[5-9]|20|21)\d\d(?!\d)",
    "NUM": r"(?:an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
           r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|\d{1,3})",
    "DASH": r"[-\u2010-\u2015\u2212]",
    "APOS": r"['\u2019]",
    "TODPRE": r"(?:(?:the\s+)?(?:early\s+|late\s+)?(?:morning|afternoon|evening|night)\s+of\s+)?",
    "TODSUF": r"(?:\s+(?:morning|afternoon|evening|night|midday|noon))?",
    "RPRE": r"(?:(?P<btw>between)\s+|from\s+)?",
    "SEP": r"\s*(?P<sep>[-\u2010-\u2015\u2212]|to|through|thru|until|till|and)\s*",
    "REL": r"(?:,?\s+(?:of\s+)?(?P<rel>last|this|next)\s+year)?",
}

# (name, template, anchor). Each is scanned for in running text near its anchor words (`scan`);
# bare years, months and decades (anchor None) are left to spaCy, which sees context ("2000 troops").
_TEMPLATES: tuple[tuple[str, str, str | None], ...] = (
    ("r_mdmd", r"<RPRE><MON:m>\s+<DAY:d>(?:,?\s+<YEAR:y>)?<SEP><MON:m2>\s+<DAY:d2>(?:,?\s+<YEAR:y2>)?", "MON"),
    ("r_mdd", r"<RPRE><MON:m>\s+<DAY:d><SEP><DAY:d2>(?:,?\s+<YEAR:y2>)?", "MON"),
    ("r_dmdm", (r"<RPRE><DAY:d>\s+(?:of\s+)?<MON:m>(?:,?\s+<YEAR:y>)?"
                r"<SEP><DAY:d2>\s+(?:of\s+)?<MON:m2>,?(?:\s+<YEAR:y2>)?"), "MON"),
    ("r_ddm", r"<RPRE>(?:the\s+)?<DAY:d><SEP>(?:the\s+)?<DAY:d2>\s+(?:of\s+)?<MON:m2>,?(?:\s+<YEAR:y2>)?", "MON"),
    ("r_mm", r"<RPRE><MON:m>(?:,?\s+<YEAR:y>)?<SEP><MON:m2>,?(?:\s+<YEAR:y2>)?", "MON"),
    ("r_yy", r"<RPRE><YEAR:y>(?:<SEP><YEAR:y2>|(?:<DASH>|/)(?P<yy>\d\d)(?!\d))", None),
    ("d_iso", r"<TODPRE><YEAR:y>(?P<s>[-/.])(?P<m>0?[1-9]|1[0-2])(?P=s)(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)<TODSUF>",
     "DIGITS"),
    ("d_num", r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.]<YEAR:y>", None),
    ("d_mdy", r"<TODPRE>(?:<WD>,?\s+(?:the\s+)?)?<MON:m>\s+<DAY:d>(?:,?\s+<YEAR:y>)?<REL>(?:\s*\(<WD>\))?<TODSUF>",
     "MON"),
    ("d_dmy", (r"<TODPRE>(?:<WD>,?\s+)?(?:the\s+)?<DAY:d>\s+(?:of\s+)?<MON:m>,?(?:\s+<YEAR:y>)?<REL>"
               r"(?:\s*\(<WD>\))?<TODSUF>"), "MON"),
    ("wd", (r"<TODPRE>(?:(?P<mod>last|next|this\s+past|this\s+coming|this|coming|past|earlier|later|early|late"
            r"|midnight|noon|overnight)\s+(?:on\s+)?)?<WD:w>(?:\s+(?:of\s+)?(?P<wk>last|next|this)\s+week)?<TODSUF>"),
     "WD"),
    ("rd", (r"(?:(?:early|late|earlier|later)\s+)?(?P<w>today|tonight|yesterday|tomorrow)<TODSUF>"
            r"|(?P<w2>this\s+(?:morning|afternoon|evening)|last\s+night"
            r"|(?:the\s+)?day\s+(?:before\s+yesterday|after\s+tomorrow))"), "DAYWORD"),
    ("ago", r"(?P<n><NUM>)\s+(?P<u>day|week|month|year|decade)s?\s+ago", "UNIT"),
    ("per", (r"(?:(?P<part>earlier|later|early|late|(?:the\s+)?(?:end|beginning|start|middle|close|rest)\s+of)\s+)?"
             r"(?P<rel>this\s+past|this|last|next|the\s+current)\s+(?P<u>week|weekend|month|year)"), "UNIT"),
    ("per_the", r"(?P<part>(?:the\s+)?(?:end|beginning|start|middle|close)\s+of)\s+the\s+(?P<u>week|month|year)",
     "UNIT"),
    ("q", (r"(?:the\s+)?(?P<q>first|second|third|fourth|final|last|1st|2nd|3rd|4th)\s+(?P<qh>quarter|half)\s+of\s+"
           r"(?:<YEAR:y>|(?:the\s+)?(?P<rel>this|last|next|current)\s+year|the\s+year)"), "UNIT"),
    ("q_code", r"(?P<qn>[Qq][1-4]|[Hh][12])\s*(?:of\s+)?<YEAR:y>", "QCODE"),
    ("m_y", r"(?:" + _PART + r"\s*<DASH>?\s*)?<MON:m>,?\s+(?:of\s+)?<YEAR:y>", "MON"),
    ("m_rel", (r"<MON:m>\s+(?:of\s+)?(?P<rel>last|this|next)\s+year"
               r"|(?P<dir>last|next|this\s+past|this\s+coming|this|past|coming)\s+<MON:m2>"), "MON"),
    ("m_part", _PART + r"\s*<DASH>?\s*<MON:m>", "MON"),
    ("m", r"<MON:m>", None),
    ("y", r"(?:" + _PART + r"\s*<DASH>?\s*)?(?:the\s+year\s+)?<YEAR:y>", None),
    ("dec", r"(?:the\s+)?(?:(?:early|mid|late)\s*<DASH>?\s*)?(?P<dec>(?:1[5-9]|20)\d)0<APOS>?s", None),
    ("season", r"(?:(?:early|late)\s+)?(?:the\s+)?(?:spring|summer|autumn|fall|winter)\s+(?:of\s+)?<YEAR:y>", None),
    ("hol", r"(?P<hol>christmas(?:\s+(?:day|eve))?|new\s+year<APOS>?s?\s+(?:day|eve))(?:,?\s+<YEAR:y>)?", None),
)


def _alternation(words: tuple[str, ...], cased: bool, abbreviations: tuple[str, ...] = ()) -> str:
    """Names as a regex; abbreviations may take a full stop ("Sept."), full names may not."""
    alt = rf"(?:{'|'.join(words)})\b"
    if abbreviations:
        alt = rf"(?:{alt}|(?:{'|'.join(abbreviations)})\b\.?)"
    return f"(?-i:{alt})" if cased else alt


def _expand(template: str, cased: bool) -> str:
    def piece(match: re.Match[str]) -> str:
        name, group = match.group(1), match.group(2)
        if name == "MON":
            body = _alternation(_MONTHS, cased, _MONTH_ABBREVIATIONS)
        elif name == "WD":
            body = _alternation(_WEEKDAYS, cased)
        else:
            body = _PIECES[name]
        return f"(?P<{group}>{body})" if group else body

    return re.sub(r"<([A-Z]+)(?::(\w+))?>", piece, template)


_PARSERS = [(name, re.compile(_expand(t, cased=False), re.IGNORECASE)) for name, t, _ in _TEMPLATES]
#: Scanners over running text, with edges that stop them starting or ending inside a word.
_SCANNERS = [
    (anchor, re.compile(r"(?<![\w-])(?:" + _expand(t, cased=True) + r")(?![\w])", re.IGNORECASE))
    for _, t, anchor in _TEMPLATES
    if anchor
]
#: Words every match of a scanner contains: the scanners only run near them (a fifth of the cost).
#: Plain case-sensitive alternations (run on the lower-cased text where case varies) are what
#: Python's regex engine skips through fast.
_ANCHORS = {
    "MON": (re.compile(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"), False),
    "WD": (re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"), False),
    "DAYWORD": (re.compile(r"to(?:day|night|morrow)|yesterday|this (?:morning|afternoon|evening)|last night"), True),
    "UNIT": (re.compile(r"week|month|year|decade|ago\b"), True),
    "DIGITS": (re.compile(r"[12]\d\d\d[-/.]\d"), False),
    "QCODE": (re.compile(r"[QqHh][1-4]\b"), False),
}
_REACH = 80  # characters a match may run before or after its anchor word


def scan(text: str) -> list[tuple[int, int]]:
    """Spans of running text that look like time expressions (overlapping: the caller chooses)."""
    lower = text.lower()
    if len(lower) != len(text):  # a few characters lower-case to two ("İ"): keep the offsets true
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    spans: set[tuple[int, int]] = set()
    for key, (anchor, on_lower) in _ANCHORS.items():
        windows: list[list[int]] = []
        for hit in anchor.finditer(lower if on_lower else text):
            lo, hi = max(0, hit.start() - _REACH), min(len(text), hit.end() + _REACH)
            if windows and lo <= windows[-1][1]:
                windows[-1][1] = hi
            else:
                windows.append([lo, hi])
        for scanner_key, pattern in _SCANNERS:
            if scanner_key == key:
                for lo, hi in windows:
                    spans.update(m.span() for m in pattern.finditer(text, lo, hi))
    return sorted(spans)


@dataclass(frozen=True)
class Spec:
    """What the words of a time expression fix, before the publication date is applied.

    kind "abs": a calendar day, month or year, or a span of them (y None: the year is not written;
    year_rel: "of last year"); "weekday": n = 0 (Monday) .. 6; "days": n days from P; "period": the
    week/weekend/month/year n units from P's; "fallback": for dateparser; "unknown": a date that
    cannot be placed ("03/04/2025").
    """

    kind: str
    precision: str = "day"
    y: int | None = None
    m: int | None = None
    d: int | None = None
    y2: int | None = None
    m2: int | None = None
    d2: int | None = None
    year_rel: int | None = None
    direction: str | None = None  # last | next | this | past | future, when the words force one
    n: int = 0
    unit: str | None = None
    part: str | None = None  # "earlier" this week, "later" this week
    week: int | None = None  # "Monday of last week": -1


_REL = {"last": -1, "this": 0, "next": 1, "current": 0, "this past": -1}
_DIRECTIONS = {"last": "last", "this past": "last", "past": "last", "next": "next", "this coming": "next",
               "coming": "next", "this": "this", "earlier": "past", "later": "future"}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4, "1st": 1, "2nd": 2,
             "3rd": 3, "4th": 4}


def _words(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def _month(text: str) -> int:
    return int(text) if text.isdigit() else [m[:3].lower() for m in _MONTHS].index(text.lower()[:3]) + 1


def _int(text: str | None) -> int | None:
    return int(re.sub(r"\D", "", text)) if text else None


def _rel(text: str | None) -> int | None:
    return _REL[_words(text).replace("the ", "")] if text else None


def _valid(m: int, d: int | None, y: int | None) -> bool:
    try:
        date(y or 2000, m, d or 1)  # 2000: a leap year, so a year-less Feb 29 is a date
    except ValueError:
        return False
    return True


def _range(name: str, g: dict[str, str | None]) -> Spec | None:
    y, y2, d, d2 = _int(g["y"]) if "y" in g else None, _int(g["y2"]), _int(g.get("d")), _int(g.get("d2"))
    if _words(g.get("sep")) == "and" and not g["btw"] and not (name in ("r_mdd", "r_ddm") and d2 == (d or 0) + 1):
        return None  # "March 3 and April 5" are two dates, not a span
    if name == "r_yy":
        if g["yy"]:
            y2 = y // 100 * 100 + int(g["yy"])  # "2024-25"
            if y2 <= y:  # "2025-03": an ISO month
                return Spec("abs", "month", y=y, m=int(g["yy"])) if 1 <= int(g["yy"]) <= 12 else None
        return Spec("abs", "year", y=y, y2=y2) if y2 > y else None
    m = _month(g["m"]) if g.get("m") else None
    m2 = _month(g["m2"]) if g.get("m2") else None
    m, m2 = m or m2, m2 or m
    if y is None and y2 is not None:  # "December 28 to January 3, 2025"
        y = y2 - 1 if (m, d or 0) > (m2, d2 or 0) else y2
    if not (_valid(m, d, y) and _valid(m2, d2, y2)):
        return None
    return Spec("abs", "day" if d else "month", y=y, m=m, d=d, y2=y2, m2=m2, d2=d2)


def _numeric(g: dict[str, str | None]) -> Spec | None:
    a, b, y = int(g["a"]), int(g["b"]), _int(g["y"])
    if a > 12 >= b:
        m, d = b, a
    elif b > 12 >= a or a == b:
        m, d = a, b
    else:
        return Spec("unknown", "unknown")  # 03/04/2025: day-first or month-first is not known
    return Spec("abs", "day", y=y, m=m, d=d) if _valid(m, d, y) else None


def _relative_day(g: dict[str, str | None]) -> Spec:
    word = _words(g["w"] or g["w2"])
    offsets = {"yesterday": -1, "last night": -1, "tomorrow": 1}
    return Spec("days", n=-2 if "before" in word else 2 if "after" in word else offsets.get(word, 0))


def _ago(g: dict[str, str | None]) -> Spec:
    n, unit = number_value(g["n"]), g["u"].lower()
    if unit in ("day", "week"):
        return Spec("days", n=-n * (7 if unit == "week" else 1))
    if unit == "month":
        return Spec("period", "month", unit="month", n=-n)
    return Spec("period", "year", unit="year", n=-n * (10 if unit == "decade" else 1))


def _quarter(g: dict[str, str | None]) -> Spec:
    code, y = (g.get("qn") or "").lower(), _int(g.get("y"))
    half = code.startswith("h") or _words(g.get("qh")) == "half"
    k = int(code[1]) if code else _ORDINALS[g["q"].lower()]
    k = min(k, 2) if half else k  # "the last half"
    first, last = ((k - 1) * 6 + 1, k * 6) if half else ((k - 1) * 3 + 1, k * 3)
    year_rel = _rel(g.get("rel")) if g.get("rel") else (0 if y is None else None)
    return Spec("abs", "month", y=y, m=first, y2=y, m2=last, year_rel=year_rel)


def _holiday(g: dict[str, str | None]) -> Spec:
    hol = _words(g["hol"])
    if hol.startswith("new"):
        m, d = (12, 31) if hol.endswith("eve") else (1, 1)
    else:
        m, d = 12, 24 if hol.endswith("eve") else 25
    return Spec("abs", "day", y=_int(g.get("y")), m=m, d=d)


def _build(name: str, g: dict[str, str | None]) -> Spec | None:
    """The Spec for one template's match, or None when its numbers make no date."""
    if name.startswith("r_"):
        return _range(name, g)
    if name == "d_num":
        return _numeric(g)
    y, m, d = _int(g.get("y")), _month(g["m"]) if g.get("m") else None, _int(g.get("d"))
    if name in ("d_iso", "d_mdy", "d_dmy"):
        return Spec("abs", "day", y=y, m=m, d=d, year_rel=_rel(g.get("rel"))) if _valid(m, d, y) else None
    if name == "wd":
        return Spec("weekday", n=_WEEKDAYS.index(g["w"].capitalize()), direction=_DIRECTIONS.get(_words(g["mod"])),
                    week=_rel(g["wk"]))
    if name == "rd":
        return _relative_day(g)
    if name == "ago":
        return _ago(g)
    if name in ("per", "per_the"):
        unit = g["u"].lower()
        precision = "day" if unit in ("week", "weekend") else unit
        return Spec("period", precision, unit=unit, n=_rel(g.get("rel")) or 0, part=_words(g["part"]) or None)
    if name in ("q", "q_code"):
        return _quarter(g)
    if name in ("m_y", "m_part", "m"):
        return Spec("abs", "month", y=y, m=m)
    if name == "m_rel":
        if g["rel"]:
            return Spec("abs", "month", m=m, year_rel=_rel(g["rel"]))
        return Spec("abs", "month", m=_month(g["m2"]), direction=_DIRECTIONS[_words(g["dir"])])
    if name in ("y", "season"):  # a season is placed at its year: its months depend on the hemisphere
        return Spec("abs", "year", y=y)
    if name == "dec":
        return Spec("abs", "year", y=int(g["dec"]) * 10, y2=int(g["dec"]) * 10 + 9)
    return _holiday(g)


_LEADING = re.compile(r"^(?:on|in|during|at|of)\s+", re.IGNORECASE)
_DATE_WORD = re.compile(r"|".join((_alternation(_MONTHS, False, _MONTH_ABBREVIATIONS), _alternation(_WEEKDAYS, False),
                                   r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")), re.IGNORECASE)
_NOT_A_POINT = re.compile(r"\b(?:years?|decades?|centur(?:y|ies)|old|aged?|every|each|daily|weekly|annual(?:ly)?)\b",
                          re.IGNORECASE)
#: Names of days that are no weekday of a week ("Black Friday" sales, the "Good Friday" agreement).
_NAMED = r"\b(?:Black|Good|Cyber|Super|Ash|Holy|Easter|Maundy|Palm|Shrove|Bloody|Manic)\s+"
NAMED_DAY_BEFORE = re.compile(_NAMED + "$")


@lru_cache(maxsize=8192)
def parse(text: str) -> Spec | None:
    """What a time expression fixes, or None when it names no point or span that could be placed.

    Durations ("two decades", "over 50 years"), ages ("52-year-old"), frequencies ("daily") and
    vague spans ("recent weeks", "the first quarter") give None: they are not dates.
    """
    clean = " ".join(text.split()).strip(" ,;:([]\"“”")
    if clean.endswith(")") and "(" not in clean:
        clean = clean[:-1]
    clean = _LEADING.sub("", re.sub(r"(?:['\u2019]s|['\u2019])$", "", clean))
    for name, pattern in _PARSERS:
        match = pattern.fullmatch(clean)
        spec = _build(name, match.groupdict()) if match else None
        if spec is not None:
            return spec
    if _DATE_WORD.search(clean) and not _NOT_A_POINT.search(clean) and not re.search(_NAMED, clean):
        return Spec("fallback", "unknown")
    return None


def parse_published(published: str | None) -> date | None:
    """The publication date from an ISO date or date-time, or None."""
    try:
        return date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def _fmt(y: int | None, m: int | None = None, d: int | None = None) -> str:
    if y is None:
        return f"--{m:02d}" + (f"-{d:02d}" if d else "")
    return f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if m and d else "")


def _pick_year(m: int, d: int | None, p: date, rule: str) -> int:
    """The year a year-less month (day) takes: the occurrence the rule picks around P.

    past: the latest on or before P (+ SLACK_DAYS for days); future: the first on or after P;
    last/next: strictly before/after; this: P's year; present: the nearest to P.
    """
    years = (p.year - 1, p.year, p.year + 1)
    if d is None:  # month precision: compare whole months
        keys = {y: y * 12 + m for y in years}
        here = cut = p.year * 12 + p.month
    else:
        keys = {y: date(y, m, d).toordinal() for y in years if _valid(m, d, y)}
        here, cut = p.toordinal(), p.toordinal() + SLACK_DAYS
    if rule == "this" or not keys:
        return p.year
    if rule in ("past", "last"):
        limit = cut if rule == "past" else here - 1
        return max((y for y, k in keys.items() if k <= limit), default=p.year)
    if rule in ("future", "next"):
        limit = here if rule == "future" else here + 1
        return min((y for y, k in keys.items() if k >= limit), default=p.year)
    return min(keys, key=lambda y: (abs(keys[y] - here), y != p.year))


def _absolute(spec: Spec, p: date | None, tense: str, year_hint: int | None) -> tuple[str | None, str | None, str]:
    y, m, d = spec.y, spec.m, spec.d
    if spec.precision == "year":
        return _fmt(y), _fmt(spec.y2 or y), "year"
    if y is None and spec.year_rel is not None:
        y = p.year + spec.year_rel if p is not None else None
    elif y is None and year_hint is not None:
        y = year_hint
    elif y is None and p is not None:
        y = _pick_year(m, d, p, spec.direction or tense)
    m2, d2 = spec.m2 or m, spec.d2 or (d if spec.m2 is None else None)
    y2 = spec.y2 if spec.y2 is not None else None if y is None else y + ((m2, d2 or 0) < (m, d or 0))
    if y is not None and not (_valid(m, d, y) and _valid(m2, d2, y2)):
        return None, None, "unknown"  # Feb 29 in a common year
    return _fmt(y, m, d), _fmt(y2, m2, d2), spec.precision


def _monday(p: date) -> date:
    return p - timedelta(days=p.weekday())


def _weekday(spec: Spec, p: date, tense: str) -> date:
    if spec.week is not None:
        return _monday(p) + timedelta(days=7 * spec.week + spec.n)
    back = (p.weekday() - spec.n) % 7  # days back to the latest such day on or before P
    rule = spec.direction or tense
    if rule == "this":
        rule = "past" if tense == "past" else "future"
    if rule == "last":
        return p - timedelta(days=back or 7)
    if rule == "next":
        return p + timedelta(days=7 - back)
    if rule == "future" or rule == "present" and 7 - back < back:
        return p + timedelta(days=(7 - back) % 7)
    return p - timedelta(days=back)


def _period(spec: Spec, p: date, tense: str) -> tuple[str, str, str]:
    n = spec.n
    if spec.unit == "year":
        return _fmt(p.year + n), _fmt(p.year + n), "year"
    if spec.unit == "month":
        index = p.year * 12 + p.month - 1 + n
        return _fmt(index // 12, index % 12 + 1), _fmt(index // 12, index % 12 + 1), "month"
    if spec.unit == "weekend":
        saturday = p - timedelta(days=(p.weekday() - 5) % 7)  # the latest Saturday on or before P
        if n < 0 and saturday + timedelta(days=1) >= p:
            saturday -= timedelta(days=7)  # "last weekend" has ended before P
        elif n > 0 or n == 0 and tense == "future" and p.weekday() < 5:
            saturday += timedelta(days=7)
        return saturday.isoformat(), (saturday + timedelta(days=1)).isoformat(), "day"
    start = _monday(p) + timedelta(days=7 * n)
    end = start + timedelta(days=6)
    if n == 0 and spec.part == "earlier":
        end = p
    elif n == 0 and spec.part == "later":
        start = p
    return start.isoformat(), end.isoformat(), "day"


def resolve(spec: Spec, published: date | None, tense: str = "past", year_hint: int | None = None,
            text: str = "") -> tuple[str | None, str | None, str]:
    """(value, value_end, precision) for a parsed expression, against the publication date P.

    tense is "past", "present" or "future". Weekdays: past -> the latest such day on or before P;
    future -> the first on or after P; present ("the visit runs through Saturday") -> the nearer of
    the two; "last"/"next" -> strictly before/after. A year-less date takes `year_hint` (a year
    written elsewhere in its sentence) when given, else the year `_pick_year` gives; with no P it
    stays year-less ("--04-20"). What is relative to P is (None, None, "unknown") without P.
    `text` is only needed for a "fallback" spec.
    """
    if spec.kind == "abs":
        return _absolute(spec, published, tense, year_hint)
    if spec.kind == "fallback":
        return _fallback(text, published.isoformat() if published else None, tense)
    if published is None or spec.kind == "unknown":
        return None, None, "unknown"
    if spec.kind == "weekday":
        day = _weekday(spec, published, tense).isoformat()
        return day, day, "day"
    if spec.kind == "days":
        day = (published + timedelta(days=spec.n)).isoformat()
        return day, day, "day"
    return _period(spec, published, tense)


@lru_cache(maxsize=4096)
def _fallback(text: str, published: str | None, tense: str) -> tuple[str | None, str | None, str]:
    """dateparser, for a form the patterns miss ("21-Mar-2025", "March the 21st").

    Trusted only as far as the words go: without P, a year it took from its base is dropped (a
    year is never guessed) and a weekday is not placed.
    """
    # imported here, not at the top: it takes a while to load and most articles never need it
    from dateparser.date import DateDataParser

    base = parse_published(published)
    settings = {"RELATIVE_BASE": datetime.combine(base or date(2000, 1, 1), datetime.min.time()),
                "PREFER_DATES_FROM": "future" if tense == "future" else "past", "RETURN_TIME_AS_PERIOD": True}
    try:
        data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    except Exception:  # noqa: BLE001 - dateparser raises assorted errors on odd strings
        return None, None, "unknown"
    if data is None or data.date_obj is None:
        return None, None, "unknown"
    when, period = data.date_obj.date(), data.period
    day = period in ("day", "time")
    if base is None and not re.search(r"(?<!\d)(?:1[5-9]|20|21)\d\d(?!\d)", text):
        if not re.search(_alternation(_MONTHS, False, _MONTH_ABBREVIATIONS), text, re.IGNORECASE):
            return None, None, "unknown"
        value = _fmt(None, when.month, when.day if day else None)
        return value, value, "day" if day else "month"
    if day:
        return when.isoformat(), when.isoformat(), "day"
    if period == "month":
        return _fmt(when.year, when.month), _fmt(when.year, when.month), "month"
    if period == "year":
        return _fmt(when.year), _fmt(when.year), "year"
    return None, None, "unknown"


def normalise(text: str, published: str | None, *, future: bool = False) -> tuple[str | None, str | None, str]:
    """(value, value_end, precision) for a time expression on its own, e.g. for the events layer.

    `future` says the clause is in the future tense; otherwise it is taken as past (news).
    Words that are not a date give (None, None, "unknown").
    """
    spec = parse(text)
    if spec is None:
        return None, None, "unknown"
    return resolve(spec, parse_published(published), "future" if future else "past", text=text)


__all__ = ["NAMED_DAY_BEFORE", "SLACK_DAYS", "Spec", "normalise", "parse", "parse_published", "resolve", "scan"]
