"""International bodies: the UN, the EU, other intergovernmental and international non-governmental
organisations. They take PLOVER's non-state codes (UNO, EUR, IGO, NGO), never a member state's.

The list is data (`resources/international_bodies.tsv`). A name is an international body when it is
one of the names or aliases, or starts with one followed by a word of its own ("UN Security Council",
"EU Trade Commissioner" as the body of a role), or contains a full (non-acronym) name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import read_table


@dataclass(frozen=True)
class Body:
    name: str
    code: str  # UNO, EUR, IGO or NGO
    sector: str | None


def _is_acronym(form: str) -> bool:
    letters = form.replace(".", "").replace("-", "")
    return sum(ch.isupper() for ch in letters) >= 2 and not any(ch.islower() for ch in letters[1:-1] if ch != "f")


@lru_cache(maxsize=1)
def _forms() -> tuple[dict[str, Body], dict[str, Body], tuple[str, ...]]:
    """(folded full names -> body, acronyms as written -> body, full names longest first)."""
    names: dict[str, Body] = {}
    acronyms: dict[str, Body] = {}
    for row in read_table("international_bodies.tsv"):
        body = Body(row["name"], row["code"], row["sector"] or None)
        for form in (row["name"], *[a for a in row["aliases"].split("|") if a]):
            if _is_acronym(form) and " " not in form:
                acronyms.setdefault(form, body)
            else:
                names.setdefault(_fold(form), body)
    return names, acronyms, tuple(sorted(names, key=len, reverse=True))


def _fold(text: str) -> str:
    return " ".join(re.sub(r"^(the|The) ", "", text.replace("’", "'")).casefold().split())


@lru_cache(maxsize=4096)
def international_body(name: str) -> Body | None:
    """The international body a name (of an organisation, or the body of a role) denotes, else None."""
    names, acronyms, _ = _forms()
    name = name.strip().strip(",;:()")
    if not name:
        return None
    folded = _fold(name.rstrip("."))
    if folded in names:
        return names[folded]
    first = name.split()[0]
    if name in acronyms or name.rstrip(".") in acronyms:
        return acronyms.get(name) or acronyms[name.rstrip(".")]
    if first in acronyms and len(name.split()) <= 4:  # "UN Security Council", "EU Commission"
        return acronyms[first]
    if not _any_long_name().search(folded):
        return None  # most names: one search instead of one per body
    for full, inside, ending in _long_name_patterns():
        if inside.search(folded) and (folded.startswith(full) or ending.search(folded)):
            return names[full]  # "United Nations Development Programme", "Secretariat of the WTO"
    return None


@lru_cache(maxsize=1)
def _long_name_patterns() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    """For each body's name of two words or more, longest first: patterns for the name as whole
    words, and for "... of (the) NAME" at the end, compiled once."""
    return [(full, re.compile(rf"(?<!\w){re.escape(full)}(?!\w)"), re.compile(rf"\bof (the )?{re.escape(full)}$"))
            for full in _forms()[2] if len(full.split()) > 1]


@lru_cache(maxsize=1)
def _any_long_name() -> re.Pattern[str]:
    """One pattern that matches where any of the long names' whole-word patterns would."""
    names = [full for full, _inside, _ending in _long_name_patterns()]
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")
