"""Which of a document's words belong to a fixed word list, tested on the parse's hash arrays.

spaCy keeps every word as a 64-bit hash in `doc.to_array`. A word list becomes one sorted array of
hashes, built once; a document's words are then looked up with one binary search each
(`numpy.searchsorted`), without a Token object or a Python string per word. `numpy.isin` gives the
same answer but sorts the list again on every call, which cost more than the search itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy
from spacy.strings import hash_string


def hash_table(words: Iterable[str]) -> Any:
    """The words' spaCy hashes, sorted and unique: the table `members` searches."""
    return numpy.array(sorted({hash_string(word) for word in words}), dtype="uint64")


def members(values: Any, table: Any) -> Any:
    """A boolean array shaped like `values` (hashes from `doc.to_array`): True where the hash is in
    `table` (from `hash_table`)."""
    if not len(table):
        return numpy.zeros(numpy.shape(values), dtype=bool)
    at = numpy.searchsorted(table, values)
    at[at == len(table)] = 0  # past the last entry: compare with any entry, which cannot be equal
    return table[at] == values


def listed_tokens(doc: Any, table: Any, pos: tuple[str, ...] = ()) -> list[Any]:
    """The document's tokens whose lower-cased word is in `table`, and whose part of speech is one of
    `pos` when given; only these become Tokens."""
    from spacy.attrs import LOWER, POS

    if not len(doc):
        return []
    hit = members(doc.to_array(LOWER), table)
    if pos:
        hit &= numpy.isin(doc.to_array(POS), [doc.vocab.strings[p] for p in pos])
    return [doc[int(i)] for i in numpy.flatnonzero(hit)]
