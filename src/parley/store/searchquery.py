"""What a search asks for, read from what a user types (the same on SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r'(-?)"([^"]*)"|(\S+)')


@dataclass(frozen=True)
class Term:
    """Words to find in sequence (a phrase when several); with `prefix`, the last word is a prefix."""

    text: str
    prefix: bool = False


@dataclass(frozen=True)
class SearchQuery:
    """What a search asks for: every clause (any one of its terms), and none of `excluded`."""

    clauses: tuple[tuple[Term, ...], ...] = ()
    excluded: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.clauses)

    @property
    def terms(self) -> list[Term]:
        """The terms a match may show (for snippets): those of every clause."""
        return [term for clause in self.clauses for term in clause]


def parse_query(query: str) -> SearchQuery:
    """User text -> SearchQuery, the way web search engines read it.

    Words and "quoted phrases" must all match (`AND` may be written); `A OR B` matches either; `-word`, `-"a phrase"` and
    `NOT word` exclude; `pres*` is a prefix. Matching is by word stems, so "delegations" finds
    "delegation". Anything else (AND, NEAR(, parentheses, stray quotes) is just text, so no input
    is a syntax error; a query that only excludes matches nothing.
    """
    clauses: list[list[Term]] = []
    excluded: list[Term] = []
    join_next = negate_next = False
    for minus, phrase, word in _TOKEN.findall((query or "").replace("\x00", " ")):  # NUL ends an FTS5 string
        if not minus and not phrase and word in {"OR", "NOT", "AND"}:  # AND is what words do anyway
            join_next, negate_next = (clauses != [] and word == "OR"), word == "NOT"
            continue
        negate = negate_next or bool(minus) or (word.startswith("-") and len(word) > 1)
        term = _term(phrase if phrase or minus else word.removeprefix("-") if negate else word, bool(phrase))
        if term is not None:
            if negate:
                excluded.append(term)
            elif join_next:
                clauses[-1].append(term)
            else:
                clauses.append([term])
        join_next = negate_next = False
    return SearchQuery(tuple(tuple(c) for c in clauses), tuple(excluded))


def _term(raw: str, phrase: bool) -> Term | None:
    """A Term from a phrase or a word (`word*` is a prefix); None when it has no word characters."""
    if phrase:
        text, prefix = raw, False
    else:
        raw = raw.replace('"', "")
        prefix = raw.endswith("*") and len(raw) > 1
        text = raw.rstrip("*") if prefix else raw
    if not re.search(r"\w", text):  # a term with no word characters would match nothing
        return None
    return Term(text.strip(), prefix and bool(re.search(r"\w$", text)))
