"""A name and the acronym written with it: "Lima Textile Exporters Association (LTEA)".

News introduces an organisation by its full name with its acronym in brackets, then uses the
acronym alone. The recogniser often takes the bracket into the name and drops its closing half
("Board of Investment (BoI"), and tags the later bare acronym as another organisation or not at
all. These helpers split such a name and say whether an acronym abbreviates a name.
"""

from __future__ import annotations

import re

#: A bracketed word right after a name: its acronym when it has two capitals and the bracket closes.
_BRACKET = re.compile(r"\s*\(\s*([A-Za-z][A-Za-z&.\-]{1,14})\s*\)")


def name_and_acronym(text: str, start: int, end: int) -> tuple[int, tuple[int, int] | None]:
    """Where the name written at text[start:end] really ends, and the offsets of the acronym written
    in brackets right after it, if any. A bracket the recogniser took in without its closing half
    ("Board of Investment (BoI", "... Industry (") is no part of the name. "Chamber of Commerce
    (Lima)" has no acronym: a place has one capital; a word in lower case is one only when it spells
    the name's initials ("(dti)")."""
    opening = text.rfind("(", start, end)
    if opening >= 0 and ")" not in text[opening:end]:
        end = opening
    end = start + len(text[start:end].rstrip())
    found = _BRACKET.match(text, end)
    if found is None or sum(ch.isupper() for ch in found.group(1)) < 2 and not (
            found.group(1).islower() and abbreviates(found.group(1), text[start:end])):
        return end, None  # "Department of Trade and Industry (dti)": an acronym in lower case too
    return end, found.span(1)


def initials(name: str) -> str:
    """ "Anhui Foreign Economic Construction" -> "AFEC" (capitalised words only)."""
    return "".join(w[0] for w in re.sub(r"\s*\(.*$", "", name).split() if w[:1].isupper())


def abbreviates(acronym: str, name: str) -> bool:
    """ "AFEC" for "Anhui Foreign Economic Construction"; "KCCI" also for a name cut short to its
    first three words ("Korea Chamber of Commerce [and Industry]")."""
    letters = acronym.replace(".", "").replace("&", "").replace("-", "").upper()
    first = initials(name).upper()
    cut_short = letters.startswith(first) and len(letters) - len(first) == 1
    return len(first) >= 3 and (letters == first or cut_short)
