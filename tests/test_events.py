"""Events per type, per way of naming participants, and per negation and hypothesis, on written sentences."""

from __future__ import annotations

import pytest

import parley
from parley.analysis.events import _merge_duplicates
from parley.document import Article, Document, Event, Span, Trigger

from .sentences import analyse


def names(doc: Document, ids: list[str]) -> set[str]:
    return {e.name for e in map(doc.entity, ids) if e}


def event_of(doc: Document, kind: str) -> Event:
    found = [v for v in doc.events if v.type == kind]
    assert found, [(v.type, v.trigger.text) for v in doc.events]
    return found[0]


@pytest.mark.parametrize(
    "text, kind, mode, actor, recipient",
    [
        ("John Carter visited Nairobi on Monday.", "CONSULT", "visit", "John Carter", "Nairobi"),
        ("The Kenyan delegation wrapped up a visit to Berlin on Friday.", "CONSULT", "visit", "Kenyan delegation", "Berlin"),
        ("John Carter held talks with Maria Lopez in Madrid.", "CONSULT", None, "John Carter", "Maria Lopez"),
        ("John Carter met Maria Lopez in Madrid on Tuesday.", "CONSULT", None, "John Carter", "Maria Lopez"),
        ("Maria Lopez praised Nigeria's economic reforms.", "SUPPORT", None, "Maria Lopez", "Nigeria"),
        ("John Carter accused Maria Lopez of lying.", "ACCUSE", "allege", "John Carter", "Maria Lopez"),
        ("Maria Lopez urged John Carter to act.", "REQUEST", None, "Maria Lopez", "John Carter"),
        ("John Carter rejected the offer from Maria Lopez.", "REJECT", None, "John Carter", None),
    ],
)
def test_event_types_and_participants(text: str, kind: str, mode: str | None, actor: str, recipient: str | None) -> None:
    doc = analyse(text)
    event = event_of(doc, kind)
    assert event.mode == mode
    assert actor in names(doc, event.actor)
    if recipient:
        assert recipient in names(doc, event.recipient)
    assert doc.article.text[event.trigger.start : event.trigger.end] == event.trigger.text
    assert event.sentence.start <= event.trigger.start < event.sentence.end


def test_conjoined_verbs_share_their_actor_and_meetings_inherit_the_visit() -> None:
    doc = analyse(
        "A delegation of ministers from Ghana on Thursday wrapped up a visit to Lyon. During the two-day visit, "
        "the delegation toured a car factory and held a meeting with John Carter."
    )
    visit = next(v for v in doc.events if v.mode == "visit" and names(doc, v.recipient) == {"Lyon"})
    assert visit.date is not None and (visit.date.start, visit.date.end) == ("2024-05-01", "2024-05-02")
    meeting = next(v for v in doc.events if v.trigger.text == "meeting")
    assert names(doc, meeting.actor) == names(doc, visit.actor)
    assert "John Carter" in names(doc, meeting.recipient)
    assert meeting.location == visit.location and meeting.date == visit.date
    assert len([v for v in doc.events if v.mode == "visit" and v.trigger.text == "visit"]) == 1


def test_intent_in_a_statement_is_agree_towards_the_other_party() -> None:
    doc = analyse('"We look forward to working with Chile," said John Carter, mayor of Leeds.')
    event = event_of(doc, "AGREE")
    assert names(doc, event.actor) == {"John Carter"}
    assert names(doc, event.recipient) == {"Chile"}


def test_unnamed_officials_become_a_group_recipient() -> None:
    doc = analyse("The delegation from Peru attended a session with local officials in Lyon.")
    event = event_of(doc, "CONSULT")
    recipient = doc.entity(event.recipient[0])
    assert recipient is not None and recipient.type == "GROUP" and recipient.sector == "GOV"


@pytest.mark.parametrize(
    "text, negated, hypothetical",
    [
        ("John Carter did not meet Maria Lopez.", True, False),
        ("John Carter will meet Maria Lopez in June.", False, True),
        ("John Carter would visit Lagos if invited.", False, True),
        ("John Carter met Maria Lopez.", False, False),
    ],
)
def test_negation_and_hypothesis_are_flagged_not_dropped(text: str, negated: bool, hypothetical: bool) -> None:
    doc = analyse(text)
    assert doc.events
    event = doc.events[0]
    assert (event.negated, event.hypothetical) == (negated, hypothetical)


def test_a_future_meeting_is_a_meeting_flagged_hypothetical() -> None:
    doc = analyse("John Carter will meet Maria Lopez in June.")
    assert (doc.events[0].type, doc.events[0].hypothetical) == ("CONSULT", True)


def test_sectors_of_an_event() -> None:
    doc = analyse("John Carter discussed investment in car factories and new-energy vehicles with Maria Lopez.")
    sectors = {s for v in doc.events for s in v.sectors}
    assert {"automotive", "new-energy-vehicles", "investment"} <= sectors


def test_no_event_where_nothing_is_done() -> None:
    doc = analyse("The visit was a success.")
    assert doc.events == []


def test_a_lead_without_a_named_actor_still_types_the_story() -> None:
    doc = analyse("Troops were deployed along the northern border on Monday.")
    assert [(v.type, v.actor) for v in doc.events] == [("MOBILIZE", [])]
    assert doc.events[0].confidence < 0.5  # typed from the body alone: a hint, not a finding


def test_the_story_fallback_stays_out_when_actors_act() -> None:
    doc = analyse("John Carter visited Nairobi on Monday. Troops were deployed along the border.")
    assert all(v.actor for v in doc.events)


@pytest.mark.parametrize(
    "text, place_is_party",
    [
        ("John Carter praised the Geneva accord.", False),  # the place names a thing
        ("John Carter praised the Geneva government.", True),  # the place's government is a party
    ],
)
def test_a_place_that_names_a_thing_is_no_party(text: str, place_is_party: bool) -> None:
    doc = analyse(text)
    recipients = {name for v in doc.events for name in names(doc, v.recipient)}
    assert ("Geneva" in recipients) is place_is_party, [(v.type, names(doc, v.recipient)) for v in doc.events]


@pytest.mark.parametrize(
    "text, other_side",
    [
        ("John Carter met Maria Lopez and Governor Peter Smith in Lima on Monday. John Carter hoped to deepen ties.",
         {"Maria Lopez", "Peter Smith"}),
        ("John Carter met Maria Lopez in Lima on Monday. John Carter hoped to deepen ties.", {"Maria Lopez"}),
    ],
)
def test_an_intent_without_a_named_partner_is_towards_the_whole_other_side(text: str, other_side: set[str]) -> None:
    doc = analyse(text)
    assert names(doc, event_of(doc, "AGREE").recipient) == other_side


@pytest.mark.parametrize(
    "speaker, intends",
    [
        ("Maria Lopez", True),  # a named person speaks for her side
        ("officials", False),  # unnamed people: who intends is not named
        ("the statement", False),  # a document is no party
    ],
)
def test_an_intent_needs_a_named_speaker(speaker: str, intends: bool) -> None:
    doc = analyse(f'John Carter met Maria Lopez in Lima. "We hope to deepen ties with Peru," {speaker} said.')
    assert bool([v for v in doc.events if v.type == "AGREE"]) is intends, [(v.type, v.trigger.text) for v in doc.events]


@pytest.mark.parametrize(
    "sentence, partner",
    [
        ('"We are keen to work with Geneva," Peruvian Foreign Minister Maria Lopez said.', "Geneva"),
        ('"We are keen to see the Geneva accord hold," Peruvian Foreign Minister Maria Lopez said.', None),
    ],
)
def test_a_statement_partner_is_not_a_place_that_names_a_thing(sentence: str, partner: str | None) -> None:
    doc = analyse(sentence)
    recipients = {name for v in doc.events if v.type == "AGREE" for name in names(doc, v.recipient)}
    assert ("Geneva" in recipients) is (partner is not None), [(v.type, names(doc, v.recipient)) for v in doc.events]


@pytest.mark.parametrize(
    "subject, intends",
    [
        ("The trade mission", False),  # what is intended, not who intends
        ("The trade mission by John Carter", True),  # the act's doer intends
    ],
)
def test_the_subject_of_a_passive_intent_is_what_is_intended(subject: str, intends: bool) -> None:
    doc = analyse(f"John Carter met Maria Lopez in Lima. {subject} was intended to open new markets with Peru.")
    assert any(v.type == "AGREE" and v.trigger.text == "intended" for v in doc.events) is intends


@pytest.mark.parametrize(
    "clause, promise",
    [
        ("Canada had sent a trade delegation to Peru", False),  # what had been done
        ("Canada would send a trade delegation to Peru", True),
        ("Canada wanted closer ties with Peru", True),  # a reported past tense is still the intent
    ],
)
def test_a_promise_word_that_tells_a_past_act_is_no_promise(clause: str, promise: bool) -> None:
    doc = analyse(f"John Carter met Maria Lopez in Lima. John Carter reiterated that {clause}.")
    assert any(v.type == "AGREE" and v.trigger.text == "reiterated" for v in doc.events) is promise


@pytest.mark.parametrize(
    "what, intends",
    [
        ("our refinery capacity", False),  # growing one's own thing
        ("our trade ties with Peru", True),  # growing a tie
    ],
)
def test_a_growth_verb_states_an_intent_only_for_a_tie(what: str, intends: bool) -> None:
    doc = analyse(f'John Carter met Maria Lopez in Lima. "We need to expand {what}," John Carter said.')
    assert any(v.type == "AGREE" for v in doc.events) is intends


@pytest.mark.parametrize(
    "before, other_side",
    [
        ("John Carter had visited Peru in 2005.", {"Maria Lopez"}),  # told as done before: not the story's meeting
        ("John Carter visited Peru on Sunday.", {"Peru"}),  # the first meeting of the story
    ],
)
def test_an_earlier_visit_is_not_the_meeting_an_intent_is_towards(before: str, other_side: set[str]) -> None:
    doc = analyse(f"{before} John Carter met Maria Lopez in Lima on Monday. John Carter hoped to deepen ties.")
    assert names(doc, event_of(doc, "AGREE").recipient) == other_side



@pytest.mark.parametrize(
    "opening, partner",
    [
        ("With John Carter arriving next week, Peruvian Trade Minister Maria Lopez said she hopes to deepen ties.", False),
        ("Peruvian Trade Minister Maria Lopez said she hopes to deepen ties with John Carter.", True),  # contrast
    ],
)
def test_the_subject_of_an_absolute_with_clause_is_no_partner(opening: str, partner: bool) -> None:
    """ "With X arriving, ..." tells the circumstance: X is no partner of the intent; "ties with X" is."""
    doc = analyse(opening)
    recipients = {name for v in doc.events if v.type == "AGREE" for name in names(doc, v.recipient)}
    assert ("John Carter" in recipients) is partner, [(v.type, names(doc, v.actor), names(doc, v.recipient)) for v in doc.events]


@pytest.mark.parametrize("pair", ["between Britain and Chile", "between Chile and Britain"])
def test_ties_between_the_speakers_country_and_another_are_towards_the_other(pair: str) -> None:
    doc = analyse("British Prime Minister Maria Lopez met Chilean Trade Minister John Carter in London. "
                  f"She said she hoped more exchanges {pair} will deepen cooperation.")
    statement = next(v for v in doc.events if v.type == "AGREE" and names(doc, v.actor) == {"Maria Lopez"})
    assert doc.entity(statement.recipient[0]).name == "Chile", [(v.type, names(doc, v.recipient)) for v in doc.events]


def test_meetings_measured_by_a_noun_are_the_clauses_subjects() -> None:
    doc = analyse("After a day of meetings with Ana Cruz and Luis Vega, Carl Berg told reporters he was pleased.")
    meeting = event_of(doc, "CONSULT")
    assert names(doc, meeting.actor) == {"Carl Berg"} and names(doc, meeting.recipient) == {"Ana Cruz", "Luis Vega"}


def test_other_acts_measured_by_a_noun_are_not_the_clauses_subjects() -> None:
    doc = analyse("After several days of protests, Mayor Luis Vega lifted the curfew on Sunday.")
    assert not [v for v in doc.events if v.type == "PROTEST" and "Luis Vega" in names(doc, v.actor)]


def test_a_release_of_a_publication_is_no_concession() -> None:
    for text in ("The Peruvian government released a report on the mine on Friday.",
                 "Peru said the police video should be released soon.",
                 "A poll released by the Peruvian government on Friday showed gains."):
        assert not [v for v in analyse(text).events if v.type == "CONCEDE"], text


def test_a_release_of_people_is_a_concession() -> None:
    doc = analyse("Peru released the hostages on Friday.")
    assert [v for v in doc.events if v.type == "CONCEDE"]
    doc = analyse("Ana Cruz was released from house arrest on Monday.")
    assert [v for v in doc.events if v.type == "CONCEDE"]


def test_violence_said_of_a_thing_is_a_figure_of_speech() -> None:
    for text in ("The Ruritanian senate killed the port bill on Tuesday.",
                 "Opposition leader Ana Cruz attacked the budget proposal on Monday.",
                 "The accord, offered by Speaker Luis Vega, virtually killed the tax plan, analysts said.",
                 "Minister Ana Cruz shot down the idea of new tariffs."):
        assert not [v for v in analyse(text).events if v.type == "ASSAULT"], text


def test_violence_against_people_is_an_assault() -> None:
    for text in ("Rebels attacked the Ruritanian convoy near the border on Monday.",
                 "Ruritanian police shot two protesters in the capital."):
        assert [v for v in analyse(text).events if v.type == "ASSAULT"], text


def test_a_figure_of_speech_leaves_the_headline_its_act() -> None:
    # the body's "release" acts on a plan; the headline still says the story is a release
    doc = parley.analyze("Talks on a plan to release ten hostages failed this week.",
                         headline="Rebels release hostages in the north")
    assert [v for v in doc.events if v.type == "RETREAT"]


def test_what_someone_heard_states_no_intent_of_theirs() -> None:
    doc = analyse("Many Peruvians have heard that Chile wants to deepen ties with Peru.")
    assert not [v for v in doc.events if v.type == "AGREE" and names(doc, v.actor) == {"Peruvians"}]
    doc = analyse("Many Peruvians have said that they want to deepen ties with Chile.")
    assert [v for v in doc.events if v.type == "AGREE" and names(doc, v.actor) == {"Peruvians"}]


def test_a_noun_conjoined_to_a_modifier_modifies_too() -> None:
    """ "trade and investment delegations" are delegations: "investment" is no act of cooperation."""
    doc = analyse("Chile received many tourism and investment delegations during the year, which boosted hotel bookings.")
    assert not [v for v in doc.events if v.type == "COOPERATE"]
    doc = analyse("Peru and Chile agreed on trade and investment last year.")
    assert [v for v in doc.events if v.type == "COOPERATE" and v.trigger.text == "investment"]


def test_an_act_on_two_joined_days_spans_both() -> None:
    doc = analyse("Ana Cruz, Peru's trade minister, held talks with Chile's envoy on Thursday and Friday in Lima.",
                  published="2024-05-06")
    talks = [v for v in doc.events if v.type == "CONSULT"]
    assert talks and (talks[0].date.start, talks[0].date.end) == ("2024-05-02", "2024-05-03")
    # contrast: two acts on two days are not one stretch
    doc = analyse("Ana Cruz, Peru's trade minister, met Chile's envoy on Monday and Ecuador's envoy on Thursday.",
                  published="2024-05-06")
    met = [v for v in doc.events if v.type == "CONSULT"]
    assert met and met[0].date.start == met[0].date.end


def test_a_wire_lead_told_in_the_past_is_dated_by_its_dateline() -> None:
    doc = parley.analyze("LIMA, May 3 - Peru's trade minister Ana Cruz met Chile's envoy Luis Soto.\n"
                         "The two discussed copper exports.", headline="Test", published="2024-05-03")
    met = [v for v in doc.events if v.type == "CONSULT" and v.trigger.text == "met"]
    assert met and met[0].date is not None and met[0].date.start == "2024-05-03"
    # contrast: without a dateline the day is not known, and a plan in the lead is no act of that day
    doc = analyse("Peru's trade minister Ana Cruz met Chile's envoy Luis Soto.", published="2024-05-03")
    assert all(v.date is None for v in doc.events if v.type == "CONSULT")
    doc = parley.analyze("LIMA, May 3 - Peru's trade minister Ana Cruz will meet Chile's envoy Luis Soto.",
                         headline="Test", published="2024-05-03")
    assert all(v.date is None for v in doc.events if v.type == "CONSULT")


def test_heading_somewhere_is_a_trip_of_whoever_heads_there() -> None:
    doc = analyse("Peru's trade minister Luis Soto will be heading to Chile in June to pursue free trade talks.")
    trips = [v for v in doc.events if v.type == "CONSULT" and v.trigger.text == "heading"]
    assert trips and names(doc, trips[0].actor) == {"Luis Soto"} and names(doc, trips[0].recipient) == {"Chile"}
    # contrast: money sent somewhere is no visit, and "lead to" is a cause
    doc = analyse("Another 20 million dollars in Soto family money is headed to a Lima charity.")
    assert not [v for v in doc.events if v.trigger.text == "headed"]
    doc = analyse("The deal will lead to Chilean investment in Peru, Luis Soto said.")
    assert not [v for v in doc.events if v.trigger.text == "lead"]


def test_a_courtesy_call_during_which_a_host_welcomes_a_guest_is_the_guests() -> None:
    doc = analyse("Speaker Ana Cruz welcomed Chilean Ambassador Luis Soto during a courtesy call in Lima.")
    calls = [v for v in doc.events if v.trigger.text == "call"]
    assert calls and names(doc, calls[0].actor) == {"Luis Soto"} and names(doc, calls[0].recipient) == {"Ana Cruz"}
    # contrast: a host who speaks during a call is still its recipient, the caller its actor
    doc = analyse("Speaker Ana Cruz said during a courtesy call by Chilean Ambassador Luis Soto that ties were strong.")
    calls = [v for v in doc.events if v.trigger.text == "call"]
    assert calls and names(doc, calls[0].actor) == {"Luis Soto"}


def test_one_act_told_from_both_sides_puts_no_one_on_both_sides() -> None:
    # "Ana Ruiz met Luis Vega ... Vega met Ruiz": one meeting; Vega, its recipient, is not made an actor too
    text = "Ana Ruiz met Luis Vega in Lima. Later Vega met Ruiz at the port."
    doc = Document(article=Article(id="a", text=text, headline="", published=None))
    first = Event(id="", type="CONSULT", trigger=Trigger("met", 9, 12), sentence=Span(0, 31), actor=["e1"], recipient=["e2"])
    second = Event(id="", type="CONSULT", trigger=Trigger("met", 43, 46), sentence=Span(32, 64), actor=["e2"], recipient=["e1"])
    (merged,) = _merge_duplicates(doc, [first, second])
    assert merged.actor == ["e1"] and merged.recipient == ["e2"]
