"""Sentence boundaries only where the text can end a sentence.

The small English model's parser sometimes starts a sentence in mid-clause ("X cited remarks | Y
had made about Z"), most often before a capitalised name. Every analysis step reads one sentence at a
time, so such a cut loses the speaker or the content of a statement and the actor of an event. Before
the parser runs, this component marks each word that follows a word (not punctuation, not a line
break) as not starting a sentence; the parser keeps such preset marks and chooses every other
boundary as before. spaCy's sentencizer would replace the parser's boundaries, not constrain them,
hence this small component.
"""

from __future__ import annotations

from typing import Any

import numpy
from spacy.attrs import IS_ALPHA, IS_SPACE, ORTH, SENT_START
from spacy.language import Language

COMPONENT = "parley_sentence_bounds"

@Language.component(COMPONENT)
def keep_sentences_whole(doc: Any) -> Any:
    """Mark "not a sentence start" on every word whose previous token is a word."""
    if len(doc) < 2:
        return doc
    values = doc.to_array([ORTH, IS_ALPHA, IS_SPACE])
    orth, alpha, space = values[:, 0], values[:, 1].astype(bool), values[:, 2].astype(bool)
    kinds, index = numpy.unique(orth, return_inverse=True)
    may_end = numpy.array([_may_end(doc.vocab.strings[int(k)]) for k in kinds], dtype=bool)[index]
    inside = numpy.zeros(len(doc), dtype=bool)
    inside[1:] = alpha[1:] & ~space[:-1] & ~may_end[:-1]
    starts = numpy.zeros((len(doc), 1), dtype="int32")
    starts[inside, 0] = -1  # "not a start"; 0 leaves the choice to the parser
    starts[0, 0] = 1
    doc.from_array([SENT_START], starts.astype("uint64"))
    return doc


def _may_end(text: str) -> bool:
    """Punctuation of any kind may end a sentence (a headline or a byline ends in dashes, bullets
    and bars too); a word or a number may not."""
    return not text or not text[-1].isalnum()


def add_to(nlp: Any) -> None:
    """Put the component before the parser (no-op without one, or when already there)."""
    if "parser" in nlp.pipe_names and COMPONENT not in nlp.pipe_names:
        nlp.add_pipe(COMPONENT, before="parser")
