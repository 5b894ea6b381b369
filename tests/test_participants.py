"""Who takes part in an event: the kinds of sentences that name both sides (written sentences only)."""

from __future__ import annotations

import pytest

import parley
from parley.document import Document, Event

from .sentences import analyse


def names(doc: Document, ids: list[str]) -> set[str]:
    return {e.name for e in map(doc.entity, ids) if e}


def events_of(doc: Document, kind: str) -> list[Event]:
    return [v for v in doc.events if v.type == kind]


def sides(doc: Document, event: Event) -> tuple[set[str], set[str]]:
    return names(doc, event.actor), names(doc, event.recipient)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("John Carter and Maria Lopez met in Madrid on Tuesday.", "CONSULT"),
        ("John Carter and Maria Lopez signed a trade agreement in Madrid.", "SUPPORT"),
        ("An agreement was signed between John Carter and Maria Lopez in Madrid.", "SUPPORT"),
    ],
)
def test_both_sides_of_a_symmetric_act(text: str, kind: str) -> None:
    doc = analyse(text)
    actor, recipient = sides(doc, events_of(doc, kind)[0])
    assert actor | recipient == {"John Carter", "Maria Lopez"} and actor and recipient


def test_a_signed_document_is_not_a_party() -> None:
    doc = analyse("John Carter signed a memorandum of understanding with Maria Lopez in Madrid.")
    assert sides(doc, events_of(doc, "SUPPORT")[0]) == ({"John Carter"}, {"Maria Lopez"})


def test_a_courtesy_call_is_a_visit_and_a_call_to_act_a_request() -> None:
    doc = analyse("Ambassador Ana Ruiz paid a courtesy call on Minister John Carter in Lima on Monday.")
    visit = next(v for v in doc.events if v.mode == "visit")
    assert sides(doc, visit) == ({"Ana Ruiz"}, {"John Carter"})
    doc = analyse("Ana Ruiz called on John Carter to resign.")
    assert not [v for v in doc.events if v.mode == "visit"]
    assert events_of(doc, "REQUEST")


def test_the_passive_visitor_is_the_actor() -> None:
    doc = analyse("John Carter was received by Maria Lopez in Lima on Monday.")
    assert sides(doc, events_of(doc, "CONSULT")[0]) == ({"John Carter"}, {"Maria Lopez"})
    doc = analyse("Maria Lopez received John Carter in Lima on Monday.")
    assert sides(doc, events_of(doc, "CONSULT")[0]) == ({"John Carter"}, {"Maria Lopez"})


def test_the_possessor_of_a_meeting_is_its_actor() -> None:
    doc = analyse("During his meeting with Maria Lopez in Madrid, John Carter praised the new port.")
    assert any(sides(doc, v) == ({"John Carter"}, {"Maria Lopez"}) for v in events_of(doc, "CONSULT"))
    doc = analyse("During the meeting in Madrid, John Carter praised the new port.")
    assert not events_of(doc, "CONSULT")


def test_unnamed_people_are_one_group_party() -> None:
    doc = analyse("Foreign envoys met John Carter in Lima on Monday.")
    event = events_of(doc, "CONSULT")[0]
    group = doc.entity(event.actor[0])
    assert group is not None and group.type == "GROUP" and group.name == "Foreign envoys"
    assert names(doc, event.recipient) == {"John Carter"}


def test_a_promise_is_towards_the_other_side_of_the_meeting() -> None:
    doc = analyse("John Carter met Maria Lopez in Madrid on Monday. Carter pledged to deepen cooperation.")
    assert sides(doc, events_of(doc, "AGREE")[0]) == ({"John Carter"}, {"Maria Lopez"})
    doc = analyse("John Carter met Maria Lopez in Madrid on Monday. Peter Brown pledged to deepen cooperation.")
    assert not any(names(doc, v.actor) == {"Peter Brown"} for v in doc.events)


def test_an_engagement_told_twice_is_one_event() -> None:
    doc = analyse("John Carter visited Lima on Monday. Carter's visit to Lima lasted a day.")
    visits = [v for v in doc.events if v.mode == "visit"]
    assert len(visits) == 1 and sides(doc, visits[0]) == ({"John Carter"}, {"Lima"})


@pytest.mark.parametrize(
    "text",
    [
        "John Carter hoped to deepen cooperation with Peru.",
        "John Carter expressed his willingness to work with Peru.",
        "John Carter is keen to cooperate with Peru.",
    ],
)
def test_the_other_side_of_an_intent_is_inside_what_is_intended(text: str) -> None:
    doc = analyse(text)
    assert sides(doc, events_of(doc, "AGREE")[0]) == ({"John Carter"}, {"Peru"})


def test_an_adjective_of_intent_needs_a_copula() -> None:
    doc = analyse("John Carter is a keen observer of Peru.")
    assert not events_of(doc, "AGREE")


def test_a_denied_intent_is_negated() -> None:
    doc = analyse("John Carter is not willing to cooperate with Peru.")
    assert events_of(doc, "AGREE")[0].negated


def test_a_dateline_place_is_not_the_actor() -> None:
    doc = analyse("LIMA (Agency) — John Carter held talks with Maria Lopez on Monday.")
    assert sides(doc, events_of(doc, "CONSULT")[0]) == ({"John Carter"}, {"Maria Lopez"})


def test_a_planned_visit_is_a_visit_flagged_hypothetical() -> None:
    doc = analyse("John Carter will visit Lima next month.")
    visit = events_of(doc, "CONSULT")[0]
    assert visit.mode == "visit" and visit.hypothetical


def test_a_meeting_between_two_parties_is_theirs() -> None:
    doc = analyse("Ana Ruiz travelled to Lima for a meeting between John Carter and Maria Lopez on Monday.")
    meeting = next(v for v in doc.events if v.trigger.text == "meeting")
    assert sides(doc, meeting) == ({"John Carter"}, {"Maria Lopez"})


def test_the_agent_of_a_visit_noun_is_its_actor() -> None:
    doc = analyse("Peter Brown spoke in Lima during a courtesy call by John Carter on Maria Lopez.")
    assert any(sides(doc, v) == ({"John Carter"}, {"Maria Lopez"}) for v in doc.events if v.mode == "visit")


def test_a_counted_group_is_the_party_counted() -> None:
    doc = analyse("A total of 40 foreign envoys visited Lima on Monday.")
    visit = next(v for v in doc.events if v.mode == "visit")
    assert names(doc, visit.actor) == {"foreign envoys"} and names(doc, visit.recipient) == {"Lima"}


def test_a_nationality_adjective_is_not_a_party() -> None:
    doc = analyse("Peruvian officials met John Carter in Lima on Monday.")
    event = events_of(doc, "CONSULT")[0]
    assert names(doc, event.actor) == {"Peruvian officials"}


def test_a_nationality_party_is_its_country_when_the_article_names_it() -> None:
    doc = analyse("Japanese officials met John Carter in Lima. The Japanese ambassador praised Japan's ties with Peru.")
    assert any("Japan" in names(doc, v.actor) or "Japanese officials" in names(doc, v.actor) for v in doc.events)
    assert not any(e.type == "NORP" for v in doc.events for e in map(doc.entity, v.actor + v.recipient) if e)


def test_a_statement_of_intent_names_its_partner_and_its_negation() -> None:
    doc = analyse('"We look forward to deepening ties with Peru," said John Carter, mayor of Leeds.')
    assert sides(doc, events_of(doc, "AGREE")[0]) == ({"John Carter"}, {"Peru"})
    doc = analyse('"We would never deepen ties with Peru," said John Carter, mayor of Leeds.')
    assert events_of(doc, "AGREE")[0].negated


def test_the_meeting_named_again_is_the_same_meeting() -> None:
    doc = analyse("John Carter met foreign envoys in Lima on Monday. The meeting with the ambassadors lasted an hour.")
    assert len(events_of(doc, "CONSULT")) == 1


def test_a_planned_investment_is_no_cooperation_event() -> None:
    doc = analyse("John Carter met Maria Lopez in Lima. Carter said Canada would invest in Peru.")
    assert not events_of(doc, "COOPERATE")
    doc = analyse("John Carter met Maria Lopez in Lima. Canada invested in Peru last year.")
    assert events_of(doc, "COOPERATE")


def test_a_participle_visit_belongs_to_the_noun_it_describes() -> None:
    doc = analyse("John Carter held a meeting on Monday with a Peruvian delegation visiting Madrid.")
    visit = next(v for v in doc.events if v.mode == "visit")
    assert names(doc, visit.recipient) == {"Madrid"} and "delegation" in " ".join(names(doc, visit.actor))
    meeting = next(v for v in doc.events if v.trigger.text == "meeting")
    assert doc.entity(meeting.location).name == "Madrid"


def test_where_a_meeting_was_is_not_where_an_office_is() -> None:
    doc = analyse("The Ambassador in Peru John Carter met Maria Lopez on Monday at her office in Madrid.")
    meeting = events_of(doc, "CONSULT")[0]
    assert doc.entity(meeting.location).name == "Madrid"


def test_leading_a_delegation_to_a_place_is_a_visit() -> None:
    doc = analyse("John Carter led a trade delegation to Peru on Monday.")
    visit = next(v for v in doc.events if v.mode == "visit")
    assert sides(doc, visit) == ({"John Carter"}, {"Peru"})
    doc = analyse("John Carter led the talks on Monday.")
    assert not [v for v in doc.events if v.mode == "visit"]


def test_an_indefinite_forum_during_an_act_is_a_new_meeting() -> None:
    doc = analyse("John Carter spoke on Friday during a business forum in Lima hosted by Maria Lopez.")
    assert any(sides(doc, v) == ({"John Carter"}, {"Maria Lopez"}) for v in events_of(doc, "CONSULT"))
    doc = analyse("John Carter met Maria Lopez in Lima. John Carter spoke during the forum.")
    assert len(events_of(doc, "CONSULT")) == 1


def test_exchanging_views_is_a_meeting() -> None:
    doc = analyse("John Carter exchanged views with Maria Lopez in Lima.")
    assert sides(doc, events_of(doc, "CONSULT")[0]) == ({"John Carter"}, {"Maria Lopez"})


def test_a_pronoun_in_a_subordinate_clause_is_the_outer_subject() -> None:
    doc = analyse("Maria Lopez spoke first. John Carter was in Lima, where he met Peter Brown.")
    assert any(sides(doc, v) == ({"John Carter"}, {"Peter Brown"}) for v in events_of(doc, "CONSULT"))


def test_the_story_is_told_by_an_event_with_both_sides_when_there_is_one() -> None:
    doc = parley.analyze("John Carter arrived on Monday. He met Maria Lopez in Lima.", headline="Carter visits Lima",
                         published="2024-05-03")
    assert all(v.recipient for v in doc.events if v.type == "CONSULT")
    top = max(doc.events, key=lambda v: v.confidence or 0.0)
    assert top.type == "CONSULT" and sides(doc, top) == ({"John Carter"}, {"Maria Lopez"})
    doc = parley.analyze("Troops were deployed along the northern border on Monday.", headline="Troops deployed")
    assert [v.type for v in doc.events] == ["MOBILIZE"]


def test_both_sides_are_the_sides_of_the_meeting() -> None:
    doc = analyse("John Carter met Maria Lopez in Lima on Monday. Both sides discussed cooperation in tourism and mining. "
                  "The two sides agreed to deepen cooperation.")
    meeting = events_of(doc, "CONSULT")
    assert len(meeting) == 1 and {"tourism", "mining"} <= set(meeting[0].sectors)
    agree = events_of(doc, "AGREE")[0]
    assert sides(doc, agree) == ({"John Carter"}, {"Maria Lopez"})


def test_the_us_is_a_party_not_a_pronoun() -> None:
    doc = analyse("The EU and US have agreed to begin talks on trade.")
    assert any(sides(doc, v) == ({"EU"}, {"US"}) for v in events_of(doc, "CONSULT"))


def test_a_statement_by_a_speaker_of_unknown_country_names_no_foreign_party_by_guess() -> None:
    doc = analyse('Peter Brown said "exporters are keen to get back to Australia soon."')
    assert not any(names(doc, v.recipient) == {"Australia"} for v in events_of(doc, "AGREE"))


def test_a_courtesy_call_and_the_meeting_it_was_are_one_engagement() -> None:
    doc = analyse("Ambassador John Carter paid a courtesy call on Minister Maria Lopez in Lima on Monday. "
                  "Carter met Lopez at her office.")
    assert len(events_of(doc, "CONSULT")) == 1
    doc = analyse("John Carter visited Lima on Monday. Carter met Maria Lopez there.")
    assert len(events_of(doc, "CONSULT")) == 2  # the visit to a city and the meeting in it are two


def test_the_meeting_named_again_joins_the_meeting_told_before() -> None:
    doc = analyse("Peru's trade minister met foreign envoys on Monday. The meeting took place in Lima between "
                  "John Carter and the ambassadors.")
    assert len(events_of(doc, "CONSULT")) == 1


def test_a_byline_is_no_party_but_a_sentence_broken_by_a_line_break_is_one_sentence() -> None:
    doc = analyse("Peter Brown Senior Reporter\nThe new ambassador paid a courtesy call on Maria Lopez in Lima.")
    assert not any("Peter Brown" in names(doc, v.actor) for v in doc.events)
    doc = analyse("Ambassador John Carter paid a courtesy call on the Department of Trade\n"
                  "Secretary Maria Lopez, and they discussed trade between the two countries on Monday.")
    assert any(sides(doc, v) == ({"John Carter"}, {"Maria Lopez"}) for v in events_of(doc, "CONSULT"))


def test_receiving_the_greeting_of_someone_is_receiving_them() -> None:
    doc = analyse("Maria Lopez received the greeting of the Undersecretary of Foreign Affairs of Italy, John Carter, "
                  "in Lima on Monday.")
    assert sides(doc, events_of(doc, "CONSULT")[0]) == ({"John Carter"}, {"Maria Lopez"})


def test_the_maker_of_what_is_agreed_on_is_the_other_side() -> None:
    doc = analyse("Canada has agreed to pay more for gas supplied by Peru.")
    assert sides(doc, events_of(doc, "AGREE")[0]) == ({"Canada"}, {"Peru"})


def test_unnamed_businessmen_are_a_party() -> None:
    doc = analyse("The businessmen from Peru agreed with John Carter to visit Lima.")
    agree = events_of(doc, "AGREE")[0]
    assert names(doc, agree.actor) == {"businessmen from Peru"} and names(doc, agree.recipient) == {"John Carter"}


def test_a_vow_in_response_reaches_its_partner() -> None:
    doc = analyse("The ambassadors vowed in response to actively cooperate with Peru.")
    assert names(doc, events_of(doc, "AGREE")[0].recipient) == {"Peru"}


def test_a_signing_to_come_is_a_promise() -> None:
    doc = analyse("Canada will sign a trade agreement with Peru next month.")
    assert events_of(doc, "AGREE") and not events_of(doc, "SUPPORT")
    doc = analyse("Canada signed a trade agreement with Peru on Monday.")
    assert events_of(doc, "SUPPORT")


def test_a_year_in_a_name_is_not_the_date_of_a_promise() -> None:
    doc = analyse("John Carter promised to deepen ties with Peru before the 2030 World Cup.")
    assert events_of(doc, "AGREE")[0].date is None
    doc = analyse("John Carter promised on 4 June 2024 to deepen ties with Peru.")
    assert events_of(doc, "AGREE")[0].date.start == "2024-06-04"


def test_establishing_ties_is_cooperation_and_a_plan_to_is_a_promise() -> None:
    doc = analyse("Canada and Peru established sister-city relations on Monday.")
    assert any(sides(doc, v) == ({"Canada"}, {"Peru"}) for v in events_of(doc, "COOPERATE"))
    doc = analyse("Canada will establish a joint commission with Peru next year.")
    assert events_of(doc, "AGREE") and not events_of(doc, "COOPERATE")



def test_what_a_visit_as_subject_coincides_with_is_no_party() -> None:
    doc = analyse("Peter Brown met Maria Lopez on Monday. John Carter's visit to Lima could coincide with the "
                  "arrival of the Canadian Ambassador Ana Ruiz.")
    visit = next(v for v in doc.events if v.mode == "visit")
    assert "Ana Ruiz" not in names(doc, visit.recipient)


def test_a_purpose_is_not_yet_done_and_the_invited_are_its_actors() -> None:
    doc = analyse("Canada launched talks with Peru on Monday to sign a trade agreement.")
    assert not events_of(doc, "SUPPORT")
    doc = analyse("John Carter invited Canadian firms to invest in Peru.")
    assert not any(names(doc, v.actor) == {"John Carter"} and v.trigger.text == "invest" for v in doc.events)


def test_no_one_acts_in_a_generic_infinitive() -> None:
    doc = analyse('"Lima is the best place to invest and to do business in Peru," John Carter said.')
    assert not any(v.trigger.text == "invest" and v.actor for v in doc.events)


def test_their_willingness_is_the_willingness_of_the_conjoined_subject() -> None:
    doc = analyse("Canada and Peru confirmed their willingness to settle the dispute with Chile.")
    actors = set().union(*(names(doc, v.actor) for v in events_of(doc, "AGREE")))
    assert "Canada" in actors


def test_no_one_invests_in_the_benefits_of_investing() -> None:
    doc = analyse("John Carter met Maria Lopez in Lima. They shared the benefits of investing in Peru.")
    assert not events_of(doc, "COOPERATE")


def test_a_group_leader_is_on_the_groups_side() -> None:
    doc = analyse("A Kenyan delegation headed by Trade Minister Peter Kamau visited Lima on Monday.")
    actor, recipient = sides(doc, events_of(doc, "CONSULT")[0])
    assert actor == {"Kenyan delegation", "Peter Kamau"} and recipient == {"Lima"}
    doc = analyse("The Lima Chamber of Commerce received a business delegation led by its chairman Tom Hale.")
    actor, recipient = sides(doc, events_of(doc, "CONSULT")[0])
    assert "Tom Hale" in actor and recipient == {"Lima Chamber of Commerce"}


def test_what_is_led_by_someone_is_no_group_of_theirs() -> None:
    doc = analyse("The talks led by Tom Hale ended early, and Peter Kamau met Maria Lopez in Lima.")
    assert all("Tom Hale" not in names(doc, v.actor) for v in doc.events)


def test_an_indefinite_group_is_another_group() -> None:
    doc = analyse("A Kenyan delegation visited Lima on Monday. The Lima Chamber of Commerce also "
                  "received a business delegation on Tuesday. The delegation met Mayor Luis Vega.")
    groups = [e for e in doc.entities if e.type == "GROUP"]
    assert len(groups) == 2
    doc = analyse("A Kenyan delegation visited Lima on Monday. The delegation met Mayor Luis Vega.")
    assert len([e for e in doc.entities if e.type == "GROUP"]) == 1


def test_a_visit_here_is_to_the_dateline_place() -> None:
    doc = analyse("LIMA, March 3 - Peter Kamau, who is here on an official visit, met Mayor Luis Vega.")
    visit = next(v for v in doc.events if v.trigger.text == "visit")
    assert sides(doc, visit) == ({"Peter Kamau"}, {"Lima"}) and doc.entity(visit.location).name == "Lima"
    doc = analyse("Peter Kamau, who is here on an official visit, met Mayor Luis Vega.")
    assert not [v for v in doc.events if v.trigger.text == "visit"]  # no dateline: no telling where "here" is
    doc = analyse("LIMA, March 3 - Peter Kamau said it was here that his family had lived.")
    assert not doc.events


def test_one_who_speaks_during_a_call_is_called_on() -> None:
    doc = analyse("Mayor Luis Vega said this during a courtesy call by Peter Kamau of the Kenyan embassy.")
    visit = next(v for v in doc.events if v.mode == "visit")
    assert sides(doc, visit) == ({"Peter Kamau"}, {"Luis Vega"})
    doc = analyse("Mayor Luis Vega said this during a visit to Kenya last year.")
    visit = next(v for v in doc.events if v.mode == "visit")
    assert sides(doc, visit) == ({"Luis Vega"}, {"Kenya"})


def test_a_party_now_in_a_place_is_visiting_it() -> None:
    doc = analyse("President Carl Berg and his delegation are now in Hangzhou, one of the richest cities in China.")
    visit = next(v for v in doc.events if v.mode == "visit")
    assert sides(doc, visit) == ({"Carl Berg"}, {"Hangzhou"})
    for text in ("Ana Cruz is now in charge of the trade ministry.", "Peru is now in recession, Ana Cruz said.",
                 "Ana Cruz was in Lima, where she grew up."):
        assert not [v for v in analyse(text).events if v.mode == "visit"], text
