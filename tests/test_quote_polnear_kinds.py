"""Kinds of attribution common in political news, each with a sentence it must not fire on.

Every sentence here is invented for these tests.
"""

from __future__ import annotations

from parley.document import Document, Quote

from .sentences import analyse, speaker_name


def quotes_with(doc: Document, needle: str) -> list[Quote]:
    return [q for q in doc.quotes if needle in q.text]


def test_interrupted_quotation_in_two_apostrophe_marks_is_one_statement() -> None:
    doc = analyse("''The budget is a start,'' said Ana Ruiz, a fellow at the Lakeside Institute. "
                  "''It does not fix the pension gap.''")
    found = quotes_with(doc, "budget is a start")
    assert len(found) == 1 and "pension gap" in found[0].text


def test_a_new_cue_after_a_two_apostrophe_quotation_starts_its_own_statement() -> None:
    doc = analyse("''The budget is a start,'' said Ana Ruiz. Tom Weller disagreed with her. "
                  "''It does not fix the pension gap,'' he said.")
    found = quotes_with(doc, "budget is a start")
    assert len(found) == 1 and "pension gap" not in found[0].text


def test_a_nominal_statement_keeps_its_argument_but_not_when_or_where() -> None:
    doc = analyse("Ana Ruiz criticized the river plan during a town hall on Tuesday.")
    found = quotes_with(doc, "river plan")
    assert len(found) == 1 and "town hall" not in found[0].text


def test_a_nominal_statement_keeps_what_it_is_praised_for() -> None:
    doc = analyse("Ana Ruiz praised the mayor for his handling of the floods.")
    found = quotes_with(doc, "mayor")
    assert len(found) == 1 and "handling of the floods" in found[0].text


def _speaker_mentions(doc: Document, quote: Quote) -> list[str]:
    entity = doc.entity(quote.speaker)
    return [doc.article.text[m.start : m.end] for m in entity.mentions] if entity else []


def test_a_relative_pronoun_speaks_for_the_noun_it_follows() -> None:
    doc = analyse("Ana Ruiz met officials of the Lakeside Fisheries Board on Monday. The visit came after a report by the Lakeside Fisheries Board, which said that the quota would stay.")
    found = quotes_with(doc, "quota would stay")
    assert len(found) == 1
    entity = doc.entity(found[0].speaker)
    assert entity is not None and "Fisheries Board" in entity.name
    assert "which" in _speaker_mentions(doc, found[0])


def test_a_relative_pronoun_that_is_no_subject_does_not_speak() -> None:
    doc = analyse("The bridge that Ana Ruiz said would open in May is still closed.")
    for quote in doc.quotes:
        assert "that" not in _speaker_mentions(doc, quote)


def test_it_as_a_speaker_is_the_body_that_was_the_subject_just_before() -> None:
    doc = analyse("The Lakeside Fisheries Board published new rules on Monday. It said that the quota would stay.")
    found = quotes_with(doc, "quota would stay")
    assert len(found) == 1
    entity = doc.entity(found[0].speaker)
    assert entity is not None and "Fisheries Board" in entity.name
    assert "It" in _speaker_mentions(doc, found[0])


def test_it_after_a_person_as_subject_is_not_that_person() -> None:
    doc = analyse("Ana Ruiz read the weather report on Monday. It said that rain would come.")
    for quote in quotes_with(doc, "rain would come"):
        entity = doc.entity(quote.speaker)
        assert entity is None or entity.type != "PERSON"


def test_it_with_a_plan_but_no_clause_reports_nothing() -> None:
    doc = analyse("The Lakeside Fisheries Board published new rules on Monday. It proposes to cut the quota.")
    assert not quotes_with(doc, "cut the quota")


def test_i_outside_quotation_marks_is_the_author() -> None:
    doc = analyse("The river plan was approved on Monday. I think that the plan will fail.")
    found = quotes_with(doc, "plan will fail")
    assert len(found) == 1
    entity = doc.entity(found[0].speaker)
    assert entity is not None and entity.name == "the author" and "I" in _speaker_mentions(doc, found[0])


def test_i_inside_a_quotation_is_not_the_author() -> None:
    doc = analyse('"I think the plan will fail," Ana Ruiz said on Monday.')
    assert all(e.name != "the author" for e in doc.entities)


def test_a_rhetorical_verb_attributes_its_object_and_what_it_is_likened_to() -> None:
    doc = analyse("Ana Ruiz likened the river plan to a tax on farmers.")
    found = quotes_with(doc, "river plan")
    assert len(found) == 1 and "tax on farmers" in found[0].text


def test_a_rhetorical_verb_with_an_occasion_as_subject_reports_nothing() -> None:
    doc = analyse("The festival invoked the spirit of the old harbour.")
    assert not quotes_with(doc, "spirit")


def test_referring_to_something_attributes_it() -> None:
    doc = analyse("Ana Ruiz referred to the cuts in the river budget during the debate.")
    found = quotes_with(doc, "cuts in the river budget")
    assert len(found) == 1 and "debate" not in found[0].text


def test_a_group_that_advocates_a_policy_is_no_statement() -> None:
    doc = analyse("The trade group, which includes Chile and Peru, advocates free farm trade.")
    assert not quotes_with(doc, "free farm trade")


def test_the_owner_of_a_claim_said_its_that_clause() -> None:
    doc = analyse("Ana Ruiz, the finance minister, spoke in Lagos on Monday. "
                  "Reporters later checked Ruiz's claim that the river tax had doubled since May.")
    found = quotes_with(doc, "river tax had doubled")
    assert len(found) == 1 and found[0].text.startswith("that")
    assert speaker_name(doc, found[0]) == "Ana Ruiz"


def test_a_claim_with_no_owner_or_a_relative_that_is_no_statement() -> None:
    doc = analyse("The claim that the river tax had doubled spread fast. The report that Ana Ruiz read was long.")
    assert not quotes_with(doc, "river tax had doubled")
    assert not quotes_with(doc, "read was long")


def test_a_quote_only_cue_with_a_that_clause_reports_it() -> None:
    doc = analyse("Ana Ruiz charged that the river contract had been rigged.")
    assert len(quotes_with(doc, "river contract had been rigged")) == 1


def test_a_quote_only_cue_without_a_clause_reports_nothing() -> None:
    doc = analyse("The police charged two men after the river protest.")
    assert not quotes_with(doc, "two men")


def test_each_turn_of_a_transcript_is_its_speakers_statement() -> None:
    doc = analyse("Ana Ruiz spoke to Tom Weller on the radio.\n\n"
                  "WELLER: Will the river tax go up next year?\n\n"
                  "RUIZ: No, it will stay where it is.\n\n"
                  "WELLER: Thank you for coming in.")
    turns = quotes_with(doc, "stay where it is")
    assert len(turns) == 1 and turns[0].speaker_text == "RUIZ"
    assert turns[0].text == "No, it will stay where it is."
    assert len(quotes_with(doc, "river tax go up")) == 1


def test_a_single_capitalised_label_is_no_transcript() -> None:
    doc = analyse("UPDATE: The river tax vote was moved to Friday.\n\nThe council meets at noon.")
    assert not quotes_with(doc, "river tax vote")


def test_a_transcript_set_in_quotation_marks_still_gives_one_statement_per_turn() -> None:
    doc = analyse("Ana Ruiz spoke to Tom Weller on the radio.\n\n"
                  '"WELLER: Will the river tax go up next year?\n\n'
                  '"RUIZ: No, it will stay where it is. I want it to stay.\n\n'
                  '"WELLER: Thank you for coming in."')
    turns = quotes_with(doc, "stay where it is")
    assert len(turns) == 1 and turns[0].speaker_text == "RUIZ" and "WELLER" not in turns[0].text


def test_what_a_sentence_framed_by_a_poll_says_is_the_polls_finding() -> None:
    doc = analyse("In the latest Lakeside Tribune poll, Ana Ruiz leads the race by five points.")
    found = quotes_with(doc, "leads the race by five points")
    assert len(found) == 1 and found[0].cue == "In"


def test_a_speech_verb_or_a_place_in_the_frame_is_no_poll_finding() -> None:
    doc = analyse("In a statement, the ministry said the port would open. In the park, children played football.")
    assert all(q.cue != "In" for q in doc.quotes)


def test_a_signed_quotation_is_signed_by_the_name_on_its_own_line() -> None:
    doc = analyse("“The river tax hurts every farmer in the valley.” ― Ana Ruiz.\n\nLakeside Photo/Archive.\n\n"
                  "“We will fight the river tax.” ― Tom Weller")
    first = quotes_with(doc, "hurts every farmer")
    assert len(first) == 1 and first[0].speaker_text == "Ana Ruiz"


def test_what_a_record_finds_is_reported() -> None:
    doc = analyse("A new study found serious gaps in the river budget.")
    assert len(quotes_with(doc, "serious gaps")) == 1


def test_what_people_find_or_show_is_no_statement() -> None:
    doc = analyse("The farmers found ways to cut costs. The fans showed signs of fatigue.")
    assert not quotes_with(doc, "ways to cut costs") and not quotes_with(doc, "signs of fatigue")


def test_a_gerund_after_a_prepositional_cue_is_what_is_called_for() -> None:
    doc = analyse("Ana Ruiz called for cutting the river tax by half.")
    assert len(quotes_with(doc, "cutting the river tax")) == 1


def test_a_gerund_after_an_ordinary_preposition_is_no_statement() -> None:
    doc = analyse("Ana Ruiz left after cutting the ribbon at the river bridge.")
    assert not quotes_with(doc, "cutting the ribbon")
