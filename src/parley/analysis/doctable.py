"""What the analysis steps read of a parsed document, computed once per document and shared.

spaCy computes several things afresh each time they are asked for: `doc.text` joins every token,
`doc.to_array` copies the parse, `token.sent` walks its sentence's words to find both ends and makes
a new Span. Asked per word or per candidate by every step, these cost about a fifth of what the
steps do (issue 12's cost target: the whole analysis within 1.2x the bare parse). Each is kept
here, in the document's `user_data`, on first use; the parse never changes after `nlp` (no step
retokenises), so nothing goes stale.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from spacy.attrs import DEP, HEAD, IDX, LENGTH, LOWER, ORTH, POS

_TEXT = "parley_text"
_WORDS = "parley_words"
_ARRAYS = "parley_word_arrays"
_SENTENCES = "parley_sentences"
_OFFSETS = "parley_offsets"


def doc_text(doc: Any) -> str:
    """The parsed text (`doc.text`), built once."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def keep_text(doc: Any, text: str) -> None:
    """Record the text `doc` was parsed from as its text: spaCy's tokenizer keeps every character
    (`doc.text == text`), and joining the tokens again costs more than any step's own reading of it."""
    doc.user_data[_TEXT] = text


def words(doc: Any) -> list[str]:
    """Every token's text, in order, read once."""
    found = doc.user_data.get(_WORDS)
    if found is None:
        strings = doc.vocab.strings
        found = doc.user_data[_WORDS] = [strings[h] for h in doc.to_array(ORTH).tolist()]  # no Token per word
    return found


def offsets(doc: Any) -> tuple[list[int], list[int]]:
    """Every token's first and past-the-end character offsets, read once."""
    found = doc.user_data.get(_OFFSETS)
    if found is None:
        values = doc.to_array([IDX, LENGTH])
        found = doc.user_data[_OFFSETS] = (values[:, 0].tolist(), (values[:, 0] + values[:, 1]).tolist())
    return found


def text_of(doc: Any, start: int, end: int) -> str:
    """The text of tokens [start, end): `doc[start:end].text` without making the Span."""
    if end <= start:
        return ""
    starts, ends = offsets(doc)
    return doc_text(doc)[starts[start] : ends[end - 1]]


def word_arrays(doc: Any) -> Any:
    """The parse's per-word hashes (lower-cased word, part of speech, dependency, head offset), one
    row per word, in the columns `wordhashes` names (`doc.to_array` copies them on each call)."""
    arrays = doc.user_data.get(_ARRAYS)
    if arrays is None:
        arrays = doc.user_data[_ARRAYS] = doc.to_array([LOWER, POS, DEP, HEAD])
    return arrays


def sentences(doc: Any) -> list[Any]:
    """The document's sentences (`doc.sents`) as a list, made once."""
    return _sentence_table(doc)[1]


def sentence_of(item: Any) -> Any:
    """The sentence a token (or a span, by its first word) is in: `token.sent`, found by a binary
    search over the sentences' starts instead of a walk over the words."""
    starts, spans = _sentence_table(item.doc)
    at = item.i if hasattr(item, "i") else item.start
    return spans[bisect_right(starts, at) - 1]


def _sentence_table(doc: Any) -> tuple[list[int], list[Any]]:
    table = doc.user_data.get(_SENTENCES)
    if table is None:
        spans = list(doc.sents)
        table = doc.user_data[_SENTENCES] = ([s.start for s in spans], spans)
    return table
