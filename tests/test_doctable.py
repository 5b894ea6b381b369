"""The shared per-document table and the faster scans: each must give exactly what the slower
form it replaces gives (spaCy's own `token.sent` and `Span.text`, the regexes as first written)."""

import re

import pytest

from parley.analysis import doctable
from parley.analysis.pipeline import load_model

TEXT = (
    "The Ruritanian trade minister arrived in Lima on Monday. He met the mayor, Ana Ruiz.\n\n"
    "\"We want closer ties,\" she said. Talks on mining and tourism followed!\nBy Bo Lund"
)


@pytest.fixture(scope="module")
def doc():
    return load_model()(TEXT)


def test_sentence_of_is_spacys_sentence_for_every_token_and_span(doc):
    assert len(doctable.sentences(doc)) > 2
    for token in doc:
        found, expected = doctable.sentence_of(token), token.sent
        assert (found.start, found.end) == (expected.start, expected.end)
    span = doc[3:6]
    assert (doctable.sentence_of(span).start, doctable.sentence_of(span).end) == (span.sent.start, span.sent.end)


def test_text_of_is_the_spans_text_without_making_it(doc):
    for start in range(len(doc)):
        for end in range(start, min(len(doc), start + 6) + 1):
            assert doctable.text_of(doc, start, end) == doc[start:end].text
    assert doctable.words(doc) == [t.text for t in doc]
    assert doctable.doc_text(doc) == doc.text


def test_the_table_is_made_once_per_document(doc):
    assert doctable.sentences(doc) is doctable.sentences(doc)
    assert doctable.offsets(doc) is doctable.offsets(doc)
    other = load_model()("One sentence here.")
    assert doctable.words(other) == ["One", "sentence", "here", "."]  # another document, its own table


def test_known_bodies_are_found_after_a_space_never_inside_a_word():
    from parley.analysis.entities import _bodies_in, _bodies_pattern

    spans = [m.span() for m in _bodies_in("Ruritania joined the EU; XEU and A.EU are not bodies.")]
    assert spans == [(21, 23)]
    # the same matches as the look-behind the scan replaces, on text that exercises each edge
    guarded = re.compile(r"(?<![\w.])(?:" + _bodies_pattern().pattern[3:])
    for text in ("the EU and the UN", "theEU UN.", "EU-wide, U.N.,EU", "ASEAN summit; aASEAN", ""):
        assert [m.span() for m in _bodies_in(text)] == [m.span() for m in guarded.finditer(text)]


def test_sentence_gaps_are_the_ones_the_three_look_backs_find():
    from parley.analysis.affiliation import _SENTENCE_END

    written = re.compile(r"(?<=[a-z0-9]{2}[.!?])[\"”’]?\s+|(?<=[.!?][\"”’])\s+|\n+")
    for text in ("Mr. Ruiz came. He left!  Then \"we go.\" Now\n\nnext", "ab.\" c", "x.”  y", "U.S. envoy"):
        assert [m.span() for m in _SENTENCE_END.finditer(text)] == [m.span() for m in written.finditer(text)]


def test_a_sentence_without_a_word_that_opens_an_act_is_passed_over():
    from parley.analysis import storytype

    assert storytype.acts_in("The weather in the capital was mild.") == []
    acts = storytype.acts_in("The minister met the ambassador.")
    assert acts and acts[0].type == "CONSULT"
    # the lower-cased words are the same whether the unit is plain ASCII or not
    assert list(storytype._tokens("Ruiz MET Lund")) == ["ruiz", "met", "lund"]
    assert list(storytype._tokens("Ruíz MET Lund")) == ["ru", "z", "met", "lund"]  # "í" is no word letter


@pytest.mark.parametrize("text", [
    TEXT,
    "  Leading spaces,\ttabs\u00a0and non-breaking spaces;\r\nWindows line ends.  \n\n\n",
    "Emoji 🤝 and accents: Zürich, São Paulo — “quoted” … done",
])
def test_the_kept_text_is_what_spacy_joins_its_words_into(text):
    """`keep_text` stands the input text in for `doc.text`: sound only because spaCy's tokenizer
    keeps every character; a model or tokenizer that dropped or changed one would fail here."""
    doc = load_model()(text)
    assert doc.text == text
    doctable.keep_text(doc, text)
    assert doctable.doc_text(doc) is text
    assert doctable.text_of(doc, 0, len(doc)) == doc[0 : len(doc)].text


def test_long_texts_parsed_in_parts_keep_their_text_too():
    from parley.analysis.pipeline import PART_CHARS, _parse_in_parts

    text = ("The minister met the mayor in Lima.  " * (PART_CHARS // 30 + 5)) + "\nEnd."
    doc = _parse_in_parts(load_model(), text)
    assert len(text) > PART_CHARS and doc.text == text
