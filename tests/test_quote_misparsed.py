"""Statements the small parser misreads, recovered from the shape of the clause. Every sentence here
is invented for these tests."""

from __future__ import annotations

from parley.document import Document, Quote

from .sentences import analyse


def quotes_with(doc: Document, needle: str) -> list[Quote]:
    return [q for q in doc.quotes if needle in q.text]


def test_a_that_clause_hung_on_the_noun_before_it_is_what_was_said() -> None:
    doc = analyse("In Lagos last week, Tom Weller told a meeting of island leaders that few people "
                  "understood the stakes better than fishermen.")
    found = quotes_with(doc, "few people understood")
    assert len(found) == 1 and found[0].cue == "told"


def test_a_that_clause_after_a_time_phrase_is_what_was_tweeted() -> None:
    doc = analyse("Tom Weller tweeted in the early morning hours that the mayor was a fraud.")
    found = quotes_with(doc, "mayor was a fraud")
    assert len(found) == 1 and found[0].cue == "tweeted"


def test_a_relative_clause_with_a_gap_is_not_what_was_said() -> None:
    doc = analyse("Tom Weller read from a letter to the leaders that the council had sent.")
    assert not quotes_with(doc, "council had sent")


def test_the_clause_after_the_cue_is_reported_when_another_stands_before_it() -> None:
    doc = analyse("It’s an unlikely scenario; the mayor’s team says she’ll continue her campaign next week.")
    found = quotes_with(doc, "continue her campaign")
    assert len(found) == 1 and "unlikely" not in found[0].text


def test_an_as_clause_of_a_speech_verb_reports_the_clause_it_hangs_from() -> None:
    doc = analyse("As many economists have pointed out, the mayor is free to publish the audit.")
    found = quotes_with(doc, "free to publish")
    assert len(found) == 1 and found[0].cue == "pointed"


def test_an_as_clause_after_the_main_clause_reports_it_too() -> None:
    doc = analyse("The mayor is free to publish the report, as Ana Ruiz noted on Monday.")
    found = quotes_with(doc, "free to publish")
    assert len(found) == 1 and found[0].speaker_text == "Ana Ruiz"


def test_a_temporal_as_clause_with_a_speech_verb_of_its_own_content_reports_nothing_else() -> None:
    doc = analyse("The hall fell silent as Ana Ruiz spoke about the flood.")
    assert not quotes_with(doc, "hall fell silent")


def test_quoted_words_in_the_object_of_a_verb_of_judging_are_the_subjects() -> None:
    doc = analyse('Japan branded the northern state an "outlaw nation in the neighborhood."')
    found = quotes_with(doc, "outlaw nation")
    assert len(found) == 1 and found[0].kind == "mixed" and "northern state" in found[0].text


def test_a_quoted_title_in_the_object_of_a_verb_is_no_statement() -> None:
    doc = analyse('Japan branded the northern state with "The Outlaw Nation" on Monday.')
    assert not quotes_with(doc, "Outlaw Nation")


def test_quoted_words_in_the_object_of_a_verb_of_doing_are_no_statement() -> None:
    doc = analyse('Japan signed the "strategic partnership" accord with Kenya on Monday.')
    assert not quotes_with(doc, "strategic partnership")


def test_a_participle_with_no_one_who_says_it_is_no_statement() -> None:
    doc = analyse("Assuming that the dam holds, the farms downstream will be safe.")
    assert not doc.quotes


def test_a_participle_whose_source_is_the_main_subject_is_a_statement() -> None:
    doc = analyse("Tom Weller left the hall, saying that the dam would hold.")
    assert quotes_with(doc, "dam would hold")
