"""Quotations interrupted by their attribution, and attributions the parser puts in a sentence of
their own. Every sentence here is invented for these tests."""

from __future__ import annotations

from parley.document import Document, Quote

from .sentences import analyse


def quotes_with(doc: Document, needle: str) -> list[Quote]:
    return [q for q in doc.quotes if needle in q.text]


def test_a_question_attributed_in_the_next_short_sentence_is_a_statement() -> None:
    doc = analyse('"Does anybody know what the plan of the council is?" Ana Ruiz asked. "Neither do I."')
    found = quotes_with(doc, "Does anybody know")
    assert len(found) == 1 and found[0].kind == "direct" and found[0].speaker_text == "Ana Ruiz"


def test_a_next_sentence_with_content_of_its_own_does_not_attribute_the_question() -> None:
    doc = analyse('"Does anybody know what the plan of the council is?" Ana Ruiz asked the court for more time.')
    assert not quotes_with(doc, "Does anybody know")


def test_a_quotation_split_by_the_cue_and_but_is_one_statement() -> None:
    doc = analyse('"I respect Tom Weller," she said, but "when it comes to taxes, he has sided with the banks."')
    found = quotes_with(doc, "I respect")
    assert len(found) == 1 and "sided with the banks" in found[0].text


def test_a_new_clause_between_two_quotations_keeps_them_apart() -> None:
    doc = analyse('"I respect Tom Weller," she said, but her aides were less kind. "He is a fraud."')
    found = quotes_with(doc, "I respect")
    assert len(found) == 1 and "fraud" not in found[0].text


def test_a_participle_with_its_own_object_between_two_quotations_is_a_statement_of_its_own() -> None:
    doc = analyse('"Every time you say that," Tom Weller said, referring to the excuse, '
                  '"you give ammunition to the people who want to close the banks."')
    found = quotes_with(doc, "Every time")
    assert len(found) == 1 and "ammunition" in found[0].text
    assert [q.text for q in doc.quotes if q.cue == "referring"] == ["the excuse"]


def test_a_bare_participle_between_two_quotations_opens_the_second() -> None:
    doc = analyse('"We lost the vote," Tom Weller said, adding, "but we will try again next year."')
    found = quotes_with(doc, "We lost")
    assert len(found) == 1 and "try again" not in found[0].text


def test_the_source_after_a_quotation_speaks_even_when_the_parser_gives_the_cue_a_subject_inside_it() -> None:
    doc = analyse("“The party is in panic mode. Full panic mode,” said Ana Ruiz, the president of the Lakeside Caucus.")
    found = quotes_with(doc, "panic mode")
    assert len(found) == 1 and found[0].speaker_text == "Ana Ruiz"


def test_a_long_description_of_the_source_between_two_quotations_keeps_them_one_statement() -> None:
    doc = analyse('"These are strange days," said Ana Ruiz, a lawyer for the Lakeside Trust, who has challenged '
                  'the mining firms over river pollution for years. "I am skeptical the plan can work."')
    found = quotes_with(doc, "strange days")
    assert len(found) == 1 and "skeptical" in found[0].text


def test_a_circumstance_of_the_statement_between_two_quotations_keeps_them_one_statement() -> None:
    doc = analyse('"Subpoenas are not optional," Tom Weller said after the witness failed to appear at the hearing. '
                  '"He is a crucial witness in this inquiry."')
    found = quotes_with(doc, "not optional")
    assert len(found) == 1 and "crucial witness" in found[0].text


def test_quoted_words_inside_a_reported_clause_make_one_mixed_statement() -> None:
    doc = analyse('Senator Ana Ruiz claimed that voting fraud is "a big, big problem in this state" but '
                  '"nobody has the courage to talk about it."')
    found = quotes_with(doc, "voting fraud")
    assert len(found) == 1 and found[0].kind == "mixed" and "courage" in found[0].text
    assert len(doc.quotes) == 1


def test_a_quotation_joined_to_the_reported_clause_by_and_of_is_part_of_it() -> None:
    doc = analyse('Ana Ruiz said the event brought back memories of her father, and of "all the people who '
                  'were not here who did things to get us here."')
    found = quotes_with(doc, "memories")
    assert len(found) == 1 and "all the people" in found[0].text


def test_a_quotation_in_the_next_sentence_is_not_part_of_the_reported_clause() -> None:
    doc = analyse('Ana Ruiz said the plan was dead. "We will fight on all the same," she added.')
    found = quotes_with(doc, "plan was dead")
    assert len(found) == 1 and "fight on" not in found[0].text


def test_a_quotation_that_is_nearly_all_of_the_clause_stays_direct() -> None:
    doc = analyse('Ana Ruiz said on Monday that "the generals have been reduced to rubble."')
    found = quotes_with(doc, "rubble")
    assert len(found) == 1 and found[0].kind == "direct"


def test_a_parenthetical_source_with_its_addressee_and_time_reports_the_sentence_around_it() -> None:
    doc = analyse("The difference now, Tom Weller told me on Friday, is that the council has a budget.")
    found = quotes_with(doc, "council has a budget")
    assert len(found) == 1 and found[0].spans and "difference now" in found[0].text


def test_a_parenthetical_source_after_an_opening_clause_reports_both_parts() -> None:
    doc = analyse("Though the last move was smooth, Ana Ruiz said, replacing the mayor would be much harder.")
    found = quotes_with(doc, "replacing the mayor")
    assert len(found) == 1 and len(found[0].spans) == 2


def test_a_cue_with_an_object_between_commas_is_no_parenthetical_source() -> None:
    doc = analyse("The budget, Ana Ruiz told the council, was a matter for the voters.")
    assert not [q for q in doc.quotes if len(q.spans) == 2]


def test_a_question_attributed_at_the_opening_of_a_longer_sentence_is_a_statement() -> None:
    doc = analyse('"Are you winning?" she said, but Tom Weller was drifting off again, and the crowd went on cheering.')
    found = quotes_with(doc, "winning")
    assert len(found) == 1 and found[0].cue == "said"


def test_a_longer_sentence_whose_cue_comes_late_does_not_attribute_the_question() -> None:
    doc = analyse('"Is it over?" The crowd went on cheering while the mayor said nothing at all.')
    assert not quotes_with(doc, "Is it over")
