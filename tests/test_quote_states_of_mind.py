"""States of mind, intents and stances read as attributions: attitude adjectives with a clause,
intent nouns with an owner, verbs that are cues only with their preposition, and cues embedded
under "by", "of" or "able to". Every sentence here is invented for these tests."""

from __future__ import annotations

from parley.document import Document, Quote

from .sentences import analyse


def quotes_with(doc: Document, needle: str) -> list[Quote]:
    return [q for q in doc.quotes if needle in q.text]


def test_an_attitude_adjective_with_a_that_clause_is_its_holders_view() -> None:
    doc = analyse("Ana Ruiz, the mayor of Lakeside, is worried that the new dam will fail.")
    found = quotes_with(doc, "dam will fail")
    assert len(found) == 1 and found[0].kind == "indirect" and found[0].cue == "worried"


def test_an_attitude_adjective_without_a_clause_reports_nothing() -> None:
    doc = analyse("Ana Ruiz, the mayor of Lakeside, is worried about a rise in tariffs.")
    assert not quotes_with(doc, "tariffs")


def test_a_raising_adjective_with_an_infinitive_holds_no_view() -> None:
    doc = analyse("Ana Ruiz said nothing. The river road is sure to flood in the spring.")
    assert not quotes_with(doc, "flood")


def test_an_impersonal_subject_holds_no_view() -> None:
    doc = analyse("It is certain that the new dam will hold.")
    assert not quotes_with(doc, "dam will hold")


def test_an_intent_noun_with_an_owner_is_the_owners_intent() -> None:
    doc = analyse("Mayor Ana Ruiz met the council on Monday. Ruiz's determination to close the old mine angered it.")
    found = quotes_with(doc, "close the old mine")
    assert len(found) == 1 and found[0].cue == "determination"


def test_an_intent_noun_whose_owner_the_text_does_not_name_reports_nothing() -> None:
    doc = analyse("The mine closed when its plans to expand were dropped.")
    assert not quotes_with(doc, "expand")


def test_a_verb_that_is_a_cue_only_with_its_preposition() -> None:
    doc = analyse("Ana Ruiz railed against the corrupting influence of lobbyists.")
    found = quotes_with(doc, "corrupting influence")
    assert len(found) == 1 and found[0].cue == "railed"


def test_a_verb_with_another_preposition_is_no_cue() -> None:
    doc = analyse("Ana Ruiz railed at the back of the boat.")
    assert not doc.quotes


def test_a_date_after_a_prepositional_cue_is_not_what_is_said() -> None:
    doc = analyse("Other officials weighed in Friday.")
    assert not doc.quotes


def test_a_cue_embedded_under_by_speaks_for_the_subject_of_the_clause() -> None:
    doc = analyse("Ana Ruiz opened by emphasizing economic fairness and a higher minimum wage.")
    found = quotes_with(doc, "economic fairness")
    assert len(found) == 1 and found[0].speaker_text == "Ana Ruiz"


def test_a_non_cue_embedded_under_by_reports_nothing() -> None:
    doc = analyse("Ana Ruiz opened by cutting the ribbon at the new bridge.")
    assert not doc.quotes


def test_seeing_an_object_as_something_is_the_viewers_judgement() -> None:
    doc = analyse("Tom Weller sees Ana Ruiz as a uniter.")
    found = quotes_with(doc, "uniter")
    assert len(found) == 1 and found[0].cue == "sees"


def test_seeing_an_object_somewhere_is_no_judgement() -> None:
    doc = analyse("Tom Weller saw Ana Ruiz at the market.")
    assert not doc.quotes


def test_a_call_for_someone_to_act_is_a_demand() -> None:
    doc = analyse("Ana Ruiz is calling for the state to step up its efforts against floods.")
    found = quotes_with(doc, "step up its efforts")
    assert len(found) == 1 and found[0].cue == "calling"


def test_what_records_show_is_reported() -> None:
    doc = analyse("Leaked emails showed staff favoring the mayor.")
    found = quotes_with(doc, "staff favoring")
    assert len(found) == 1


def test_what_people_show_is_not_reported() -> None:
    doc = analyse("The farmers showed visitors around the mill.")
    assert not doc.quotes


def test_an_anaphoric_object_of_say_is_a_statement() -> None:
    doc = analyse("Tom Weller has said the same thing about the dam.")
    found = quotes_with(doc, "the same thing")
    assert len(found) == 1 and found[0].cue == "said"


def test_say_with_a_quantity_is_no_anaphoric_statement() -> None:
    doc = analyse("Tom Weller said so many things.")
    assert not doc.quotes


def test_saying_so_after_a_quotation_is_no_new_statement() -> None:
    doc = analyse('"We will build the port," Tom Weller said. A statement from the council quotes him as saying so '
                  'when he met the envoy.')
    assert not [q for q in doc.quotes if q.text == "so"]


def test_addressing_an_audience_reports_nothing() -> None:
    doc = analyse("Senator Ana Ruiz addressed the convention on Monday.")
    assert not doc.quotes


def test_addressing_an_issue_is_a_statement_about_it() -> None:
    doc = analyse("Senator Ana Ruiz addressed the rising cost of housing on Monday.")
    assert quotes_with(doc, "cost of housing")


def test_celebrating_a_birthday_reports_nothing() -> None:
    doc = analyse("Senator Ana Ruiz celebrated her 70th birthday on Monday.")
    assert not doc.quotes


def test_what_someone_tweeted_is_a_statement() -> None:
    doc = analyse("Senator Ana Ruiz tweeted her thanks to the volunteers.")
    found = quotes_with(doc, "thanks to the volunteers")
    assert len(found) == 1 and found[0].cue == "tweeted"


def test_a_stance_noun_with_an_owner_is_the_owners_statement_about_its_topic() -> None:
    doc = analyse("Farmers were angered by Senator Ana Ruiz's criticism of the river plan.")
    found = quotes_with(doc, "river plan")
    assert len(found) == 1 and found[0].cue == "criticism"


def test_a_stance_noun_after_a_light_verb_is_the_subjects_statement() -> None:
    doc = analyse("Senator Ana Ruiz has made several comments about the possibility of fraud.")
    found = quotes_with(doc, "possibility of fraud")
    assert len(found) == 1 and found[0].cue == "comments"


def test_a_stance_noun_received_from_others_is_not_the_subjects() -> None:
    doc = analyse("Senator Ana Ruiz drew criticism from farmers on Monday.")
    assert not doc.quotes


def test_a_stance_noun_without_an_owner_reports_nothing() -> None:
    doc = analyse("The criticism of the river plan grew over the summer.")
    assert not doc.quotes
