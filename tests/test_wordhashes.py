"""The hash-table lookup the analysis uses to find candidate words without a Token per word."""

import numpy
import spacy

from parley.analysis.wordhashes import hash_table, members


def test_members_marks_exactly_the_listed_words():
    nlp = spacy.blank("en")
    doc = nlp("The envoy visited Ruritania and met the zebra keeper")
    from spacy.attrs import LOWER

    table = hash_table(["visited", "met", "zzzz"])  # "zzzz" sorts last: a word past it is not found
    found = members(doc.to_array(LOWER), table)
    assert [t.text for t, hit in zip(doc, found) if hit] == ["visited", "met"]
    assert found.tolist() == numpy.isin(doc.to_array(LOWER), table).tolist()


def test_an_empty_table_finds_nothing_in_any_shape():
    values = numpy.array([[1, 2], [3, 4]], dtype="uint64")
    assert members(values, hash_table([])).shape == (2, 2)
    assert not members(values, hash_table([])).any()


def test_listed_tokens_by_word_and_by_part_of_speech():
    from parley.analysis.pipeline import load_model
    from parley.analysis.wordhashes import listed_tokens

    doc = load_model()("The delegation visited Lima, and a delegation of Peru visits Quito.")
    table = hash_table(["visited", "delegation"])
    assert [t.text for t in listed_tokens(doc, table)] == ["delegation", "visited", "delegation"]
    assert [t.text for t in listed_tokens(doc, table, pos=("NOUN",))] == ["delegation", "delegation"]


def test_word_arrays_are_read_once_and_match_the_parse():
    from spacy.attrs import DEP, HEAD, LOWER, POS

    from parley.analysis.pipeline import load_model
    from parley.analysis.wordhashes import word_arrays

    doc = load_model()("The envoy of Ruritania met the minister in Lima.")
    arrays = word_arrays(doc)
    assert arrays.tolist() == doc.to_array([LOWER, POS, DEP, HEAD]).tolist()
    assert word_arrays(doc) is arrays  # kept on the document for every later step


def test_one_of_marks_only_the_given_labels():
    from parley.analysis.pipeline import load_model
    from parley.analysis.wordhashes import POS_COLUMN, one_of, word_arrays

    doc = load_model()("The envoy met the minister in Lima.")
    hit = one_of(word_arrays(doc)[:, POS_COLUMN], doc, ("VERB", "ADP"))
    assert [t.text for t, h in zip(doc, hit) if h] == ["met", "in"]
    assert not one_of(word_arrays(doc)[:, POS_COLUMN], doc, ()).any()
