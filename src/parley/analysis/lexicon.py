"""The word lists the actors layer reads, loaded once from `parley/resources/`.

Knowledge that is data stays data: titles and the sectors they imply, organisation-name keywords
and their sectors, group nouns. Code asks questions ("is this a title head?"), never lists words.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of a TSV resource with a header line; lines starting with # are comments."""
    text = files("parley.resources").joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{k: (v or "").strip() for k, v in row.items()} for row in rows]


@dataclass(frozen=True)
class Titles:
    heads: dict[str, str | None]  # lower-case title phrase -> sector implied (None: depends on the body)
    modifiers: frozenset[str]
    longest: int  # words in the longest head phrase

    def head_sector(self, phrase: str) -> str | None:
        return self.heads.get(phrase.lower())

    def is_head(self, phrase: str) -> bool:
        return phrase.lower() in self.heads

    def is_title_word(self, word: str) -> bool:
        lowered = word.lower()
        return lowered in self.heads or lowered in self.modifiers

    def sector_of(self, title: str) -> str | None:
        """The sector the title's head implies: the longest known head phrase ending the title."""
        words = title.lower().replace("-", " - ").split()
        words = [w for w in words if w != "-"]
        for size in range(min(self.longest, len(words)), 0, -1):
            for joiner in (" ", "-"):
                phrase = joiner.join(words[-size:])
                if phrase in self.heads:
                    return self.heads[phrase]
        return None


@lru_cache(maxsize=1)
def titles() -> Titles:
    heads: dict[str, str | None] = {}
    modifiers: set[str] = set()
    for row in read_table("titles.tsv"):
        if row["kind"] == "modifier":
            modifiers.add(row["title"].lower())
        else:
            heads[row["title"].lower()] = row["sector"] or None
    return Titles(heads, frozenset(modifiers), max(len(h.split()) for h in heads))


@lru_cache(maxsize=1)
def org_keywords() -> list[tuple[str, str]]:
    """(keyword, sector), longest keywords first so the most specific phrase decides."""
    rows = [(row["keyword"].lower(), row["sector"]) for row in read_table("org_sectors.tsv")]
    order = {kw: n for n, (kw, _) in enumerate(rows)}
    return sorted(rows, key=lambda r: (-len(r[0].split()), order[r[0]]))


@lru_cache(maxsize=1)
def group_nouns() -> dict[str, str | None]:
    """Nouns that name a group acting together ("delegation"), with the sector they imply."""
    return {row["noun"].lower(): row["sector"] or None for row in read_table("group_nouns.tsv")}
