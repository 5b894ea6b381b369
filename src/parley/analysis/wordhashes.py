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

from .doctable import word_arrays


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


#: The columns of `word_arrays`, in order: what the steps read word by word.
LOWER_COLUMN, POS_COLUMN, DEP_COLUMN, HEAD_COLUMN = range(4)


def one_of(values: Any, doc: Any, words: Iterable[str]) -> Any:
    """A boolean array shaped like `values` (one column of `word_arrays`): True where the value is the
    hash of one of a few `words` (a part of speech, a dependency label); a comparison per word is
    cheaper than `numpy.isin` for so few."""
    hit = numpy.zeros(numpy.shape(values), dtype=bool)
    for word in words:
        hit |= values == doc.vocab.strings[word]
    return hit


def listed_tokens(doc: Any, table: Any, pos: tuple[str, ...] = ()) -> list[Any]:
    """The document's tokens whose lower-cased word is in `table`, and whose part of speech is one of
    `pos` when given; only these become Tokens."""
    if not len(doc):
        return []
    arrays = word_arrays(doc)
    hit = members(arrays[:, LOWER_COLUMN], table)
    if pos:
        hit &= one_of(arrays[:, POS_COLUMN], doc, pos)
    return [doc[int(i)] for i in numpy.flatnonzero(hit)]
