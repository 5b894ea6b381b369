"""Which sectors a text talks about, read from the taxonomy in `parley/resources/sectors.tsv`.

The matcher works on word tokens, not on one big regular expression: every signal and veto phrase
is stored as a tuple of words (plural forms of its last word generated up front), so matching is one
dict lookup per word, plus a few for the rare word that starts a phrase. Tokens split on spaces and
hyphens alike, which makes "new-energy vehicles" and "new energy vehicles" the same phrase. At each
position the longest phrase wins and swallows its words, so "new-energy vehicles" is never also
"energy", and a veto ("trade union") hides the signals inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import read_table

# A word: letters and digits, kept whole across "&" (R&D, M&A) and a decimal point (4.0).
_TOKEN = re.compile(r"[^\W_]+(?:(?:&|(?<=\d)\.(?=\d))[^\W_]+)*")
# What may separate the words of one phrase: spaces and hyphens, nothing else (no commas, no full stops).
_JOIN = re.compile(r"[\s\-\u2010\u2011\u2012\u2013]+")
_VETO = ""  # the "sector" of a veto phrase


@dataclass(frozen=True)
class Sector:
    id: str
    label: str
    parent: str | None
    signals: tuple[str, ...]


@dataclass(frozen=True)
class _Matcher:
    folded: dict[tuple[str, ...], str]  # lower-case phrase -> sector id ("" for a veto)
    exact: dict[tuple[str, ...], str]  # case-sensitive phrase (acronyms) -> sector id
    lengths: dict[str, tuple[int, ...]]  # lower-case first word -> phrase lengths, longest first


def _words(phrase: str) -> list[str]:
    return _TOKEN.findall(phrase)


def _plurals(word: str) -> set[str]:
    """The word and its plural forms: mayor/mayors, tax/taxes, industry/industries, fisherman/fishermen."""
    forms = {word}
    lower = word.lower()
    if word.isupper() and len(word) > 1:  # EV -> EVs
        forms.add(word + "s")
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        forms.add(word[:-1] + "ies")
    elif lower.endswith(("s", "x", "z", "ch", "sh")):
        forms.add(word + "es")
    elif lower.endswith("man") and len(lower) > 4:
        forms.add(word[:-3] + "men")
    else:
        forms.add(word + "s")
        if lower.endswith("o"):
            forms.add(word + "es")
    return forms


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split("|") if p.strip()]


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, Sector]:
    """Sector id -> Sector, in file order. Raises ValueError on an unknown parent or a parent cycle."""
    sectors: dict[str, Sector] = {}
    for row in read_table("sectors.tsv"):
        sectors[row["id"]] = Sector(row["id"], row["label"], row["parent"] or None, tuple(_split(row["signals"])))
    for sector in sectors.values():
        seen = {sector.id}
        parent = sector.parent
        while parent is not None:
            if parent not in sectors:
                raise ValueError(f"sectors.tsv: {sector.id} has unknown parent {parent!r}")
            if parent in seen:
                raise ValueError(f"sectors.tsv: parent cycle through {parent!r}")
            seen.add(parent)
            parent = sectors[parent].parent
    return sectors


@lru_cache(maxsize=1)
def _matcher() -> _Matcher:
    """Phrase tables from the taxonomy. A phrase may signal one sector only; a signal beats a veto."""
    folded: dict[tuple[str, ...], str] = {}
    exact: dict[tuple[str, ...], str] = {}

    def add(phrase: str, sector: str) -> None:
        words = _words(phrase)
        if not words:
            return
        cased = any(ch.isupper() for ch in phrase)
        table = exact if cased else folded
        for last in _plurals(words[-1]):
            key = tuple(words[:-1]) + (last,)
            key = key if cased else tuple(w.lower() for w in key)
            held = table.get(key)
            if held and sector and held != sector:
                raise ValueError(f"sectors.tsv: {phrase!r} signals both {held} and {sector}")
            if not held:
                table[key] = sector

    for sector in taxonomy().values():
        for phrase in sector.signals:
            add(phrase, sector.id)
    for row in read_table("sectors.tsv"):  # vetoes last, so a signal elsewhere keeps its phrase
        for phrase in _split(row.get("not", "")):
            add(phrase, _VETO)

    lengths: dict[str, set[int]] = {}
    for key in (*folded, *exact):
        lengths.setdefault(key[0].lower(), set()).add(len(key))
    return _Matcher(folded, exact, {w: tuple(sorted(n, reverse=True)) for w, n in lengths.items()})


def sector_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sector id) for every signal in the text, left to right; vetoed phrases give nothing."""
    matcher = _matcher()
    # lower-casing ASCII moves no word's edges: one call for the text (else word by word)
    lowered = _TOKEN.findall(text.lower()) if text.isascii() else [w.lower() for w in _TOKEN.findall(text)]
    if matcher.lengths.keys().isdisjoint(lowered):
        return []  # no word opens a signal (most texts): their positions are never needed
    tokens = list(_TOKEN.finditer(text))
    spans: list[tuple[int, int, str]] = []
    i, count = 0, len(tokens)
    while i < count:
        sizes = matcher.lengths.get(lowered[i])
        step = 1
        if sizes:
            for size in sizes:
                if i + size > count or not _joined(text, tokens, i, size):
                    continue
                sector = matcher.exact.get(tuple(t.group() for t in tokens[i : i + size]))
                if sector is None:
                    sector = matcher.folded.get(tuple(lowered[i : i + size]))
                if sector is not None:
                    if sector:
                        spans.append((tokens[i].start(), tokens[i + size - 1].end(), sector))
                    step = size
                    break
        i += step
    return spans


def _joined(text: str, tokens: list[re.Match[str]], i: int, size: int) -> bool:
    """Whether tokens i .. i+size-1 are separated only by spaces and hyphens (one phrase, not a list)."""
    for k in range(i, i + size - 1):
        if not _JOIN.fullmatch(text, tokens[k].end(), tokens[k + 1].start()):
            return False
    return True


def sectors_in(text: str) -> list[str]:
    """Sector ids a text signals, in order of first appearance, each once."""
    return list(_sectors_named(text))


@lru_cache(maxsize=4096)
def _sectors_named(text: str) -> tuple[str, ...]:
    """`sectors_in`, kept: an article asks again about its parties' names and its sentences."""
    return tuple(dict.fromkeys(sector for _, _, sector in sector_spans(text)))


def with_parents(ids: list[str]) -> list[str]:
    """The ids, then their ancestors not already listed: what the text says first, what it implies after."""
    sectors = taxonomy()
    out = list(dict.fromkeys(ids))
    for sector_id in list(out):
        parent = sectors[sector_id].parent if sector_id in sectors else None
        while parent is not None:
            if parent not in out:
                out.append(parent)
            parent = sectors[parent].parent
    return out
