"""Search snippets made in Python from the texts of the hits shown, with the matched words in [ ].

The database's own snippet functions (FTS5 `snippet`, PostgreSQL `ts_headline`) re-run the query
for each row; for a prefix such as "pres*" over a large store that is ~20 ms a row, seconds for a
result list. Here the words are found with a regular expression over the text folded as the index
folds it (case, diacritics), so a snippet costs the same whatever the query.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from . import schema
from .postgres import fold
from .searchquery import SearchQuery, Term

_WORD = re.compile(r"\w+")


def _fold(text: str) -> tuple[str, list[int] | None]:
    """The text lower-cased without diacritics, and for each of its characters the index of the
    original character it came from (None when each character folds to exactly one: the same)."""
    if text.isascii():
        return text.lower(), None
    table = {ord(c): _fold_char(c) for c in set(text)}
    if all(len(v) == 1 for v in table.values()):
        return text.translate(table), None
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        folded = table[ord(ch)]
        out.append(folded)
        where += [i] * len(folded)
    return "".join(out), where


def _fold_char(c: str) -> str:
    """One character as the full-text indexes fold it (PostgreSQL's `fold`; FTS5's remove_diacritics)."""
    return fold(c).lower()


class _Matcher:
    """Finds a query's terms in folded text the way the stemmed index matches them: a word matches
    a query word with the same stem ("delegations" for "delegation"). A regular expression finds
    candidates by the letters the word and its stem share; the stems then decide."""

    def __init__(self, terms: list[Term]) -> None:
        self._terms: list[tuple[list[str], str | None]] = []  # stems, and the prefix its last word is
        alternatives = []
        for term in terms:
            words = _WORD.findall(_fold(term.text)[0])
            if not words:
                continue
            self._terms.append(([_stem(w) for w in words], words[-1] if term.prefix else None))
            pieces = [re.escape(_shared_start(w)) + r"\w*" for w in words]
            alternatives.append(r"\b" + r"\W+".join(pieces))
        self._pattern = re.compile("|".join(alternatives)) if alternatives else None

    def __bool__(self) -> bool:
        return self._pattern is not None

    def finditer(self, folded: str) -> list[re.Match[str]]:
        return [m for m in self._pattern.finditer(folded) if self._matches(_WORD.findall(m.group()))] \
            if self._pattern else []

    def _matches(self, words: list[str]) -> bool:
        stems = [_stem(w) for w in words]
        for wanted, prefix in self._terms:
            if len(wanted) != len(stems):
                continue
            if prefix is None and stems == wanted:
                return True
            if prefix is not None and stems[:-1] == wanted[:-1] and (
                    words[-1].startswith(prefix) or stems[-1].startswith(wanted[-1])):
                return True
        return False


def _shared_start(word: str) -> str:
    """The letters a word and its stem begin with alike ("compan" for "company"/"compani")."""
    stem = _stem(word)
    n = 0
    while n < min(len(word), len(stem)) and word[n] == stem[n]:
        n += 1
    return word[:max(n, 1)]


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _stemmer().stemWord(word)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("porter")  # the algorithm of SQLite's index; PostgreSQL's English is close


def snippet(texts: list[str], terms: list[Term], words: int = 16) -> str:
    """About `words` words around the first match in the text (of `texts`) with the most matches."""
    pattern = _Matcher(terms)
    if not pattern:
        return ""
    best: tuple[int, str, str, list[int] | None, list[re.Match[str]]] | None = None
    for text in texts:
        folded, where = _fold(text or "")
        found = list(pattern.finditer(folded))
        if found and (best is None or len(found) > best[0]):
            best = (len(found), text, folded, where, found)
    if best is None:
        return ""
    _, text, folded, where, found = best
    # the words around the first match, read from a stretch of text about it, not the whole text
    near = max(0, found[0].start() - 40 * words)
    spans = [m.span() for m in _WORD.finditer(folded, near, found[0].end() + 40 * words)]
    first = next(i for i, (s, e) in enumerate(spans) if e > found[0].start())
    lo = max(0, first - words // 3)
    hi = min(len(spans), lo + words)
    start, end = spans[lo][0], spans[hi - 1][1]
    marks = [(max(m.start(), start), min(m.end(), end)) for m in found if m.start() < end and m.end() > start]
    pieces, at = [], start
    for s, e in marks:
        pieces += [_orig(text, where, at, s), "[", _orig(text, where, s, e), "]"]
        at = e
    pieces.append(_orig(text, where, at, end))
    before = _WORD.search(folded, 0, start) is not None
    after = _WORD.search(folded, end) is not None
    return ("…" if before else "") + "".join(pieces) + ("…" if after else "")


def _orig(text: str, where: list[int] | None, start: int, end: int) -> str:
    """The original text behind folded characters [start, end)."""
    if start >= end:
        return ""
    if where is None:
        return text[start:end]
    return text[where[start]:where[end - 1] + 1]


def for_articles(conn: Connection, article_ids: list[str], query: SearchQuery) -> dict[str, str]:
    """A snippet for each of these articles, from its text, headline and quotes."""
    a, q = schema.articles, schema.quotes
    ids = sorted(set(article_ids))
    if not ids:
        return {}
    quotes: dict[str, list[str]] = {}
    for r in conn.execute(select(q.c.article_id, q.c.text).where(q.c.article_id.in_(ids)).order_by(q.c.start)):
        quotes.setdefault(r.article_id, []).append(r.text)
    return {r.id: snippet([r.text, r.headline or "", "\n".join(quotes.get(r.id, []))], query.terms)
            for r in conn.execute(select(a.c.id, a.c.headline, a.c.text).where(a.c.id.in_(ids)))}
