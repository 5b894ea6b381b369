"""Story-level PLOVER typing: one headline per type, the frames, and how units are weighed.

Every sentence here was written for these tests."""

from __future__ import annotations

import pytest

from parley import analyze
from parley.analysis import storytype


def typed(headline: str, *sentences: str) -> storytype.StoryType:
    units = [storytype.acts_in(headline)] + [storytype.acts_in(s) for s in sentences]
    return storytype.type_story(units)


def assert_typed(headline: str, kind: str, mode: str | None) -> None:
    story = typed(headline)
    assert story.type == kind
    if mode is not None:
        assert story.mode == mode


@pytest.mark.parametrize(
    "headline, kind, mode",
    [
        ("Foreign ministers of Norway and Peru hold talks in Oslo", "CONSULT", None),
        ("Kenyan president begins state visit to Ghana", "CONSULT", "visit"),
        ("Leaders of Chile and Brazil speak by phone about trade", "CONSULT", "phone"),
        ("Portugal expresses willingness to join the regional energy pact", "AGREE", None),
        ("Senate commends the mayor for the flood response", "SUPPORT", None),
        ("Government eases restrictions on foreign journalists", "CONCEDE", None),
        ("Two ports launch joint venture to expand container traffic", "COOPERATE", None),
        ("Relief agency donates medical supplies to flooded towns", "AID", None),
        ("Rebel commander releases twelve captured soldiers", "RETREAT", "release"),
        ("Governor resigns after budget scandal", "RETREAT", "resign"),
        ("Farmers' union demands higher grain prices", "REQUEST", None),
        ("Opposition leader condemns new election law", "ACCUSE", "disapprove"),
        ("Prosecutors open investigation into port contracts", "ACCUSE", "investigate"),
        ("Parliament rejects the budget proposal", "REJECT", None),
        ("Minister threatens to arrest striking dock workers", "THREATEN", "arrest"),
        ("Thousands of nurses go on strike over pay", "PROTEST", "strike"),
        ("Court convicts former minister of fraud", "SANCTION", "convict"),
        ("Army deploys troops along the eastern frontier", "MOBILIZE", "troops"),
        ("Police detain forty activists in dawn raids", "COERCE", "arrest"),
        ("Mortar shelling kills five in border town", "ASSAULT", "heavy-weapons"),
    ],
)
def test_one_headline_per_type(headline: str, kind: str, mode: str | None) -> None:
    assert_typed(headline, kind, mode)


@pytest.mark.parametrize(
    "headline, kind, mode",
    [
        ("Navy warns it will seize fishing boats", "THREATEN", None),
        ("Ministry threatens to expel foreign observers", "THREATEN", "expel"),
        ("Negotiators threaten to walk away from the talks", "THREATEN", "relations"),
        ("Families call for the release of detained journalists", "REQUEST", "yield"),
        ("Mayor asks for humanitarian aid after floods", "REQUEST", "assist"),
        ("Rebels reject calls for a ceasefire", "REJECT", None),
        ("President refuses to meet opposition leaders", "REJECT", "meet"),
        ("Two cities pledge to expand trade and investment", "AGREE", None),
        ("Militia agrees to stop fighting in the north", "CONCEDE", None),
        ("Mayor says police will not beat demonstrators", "CONCEDE", None),
        ("Government suspends talks with the union", "SANCTION", "discontinue"),
        ("Police arrest twenty after weekend protests", "COERCE", "arrest"),
        ("After months of talks, rebels free hostages", "RETREAT", "release"),
    ],
)
def test_frames_change_what_an_act_means(headline: str, kind: str, mode: str | None) -> None:
    assert_typed(headline, kind, mode)


@pytest.mark.parametrize(
    "headline, kind, mode",
    [
        # a participle inside the object describes the thing acted on, not the act
        ("Port authority must return confiscated trawlers seized in customs sweep", "RETREAT", None),
        ("Militia frees villagers abducted last spring", "RETREAT", None),
        # contrasts: a second verb of its own, after a comma or "and", stays an act
        ("Customs officers seize trawlers, detain crews", "COERCE", None),
        ("Police arrested two smugglers and seized their boats", "COERCE", None),
        # what an act brought is the news; the act before "yield", "lead to" is its occasion
        ("Quiet consultations in Lisbon yield pledges to expand port cooperation", "AGREE", None),
        ("Weekend riots lead to dozens of arrests", "COERCE", None),
        # contrasts: "yield" alone still concedes; "led a delegation to" is a trip, not an outcome
        ("Rebel commanders yield to army pressure", "CONCEDE", None),
        ("Trade minister led a delegation to Lima for talks", "CONSULT", None),
        # a ceasefire or withdrawal declared is a verbal concession; carried out, a retreat
        ("Ruritania declares ceasefire with border militias", "CONCEDE", None),
        ("Army announces withdrawal from the hill villages", "CONCEDE", None),
        ("Militias observe ceasefire along the river", "RETREAT", None),
        # contrast: an announced release has happened; the frame leaves it a retreat
        ("Government announces release of forty detainees", "RETREAT", None),
        # letting observers back in is access, a retreat
        ("Monitors allowed back into the province after talks", "RETREAT", None),
        # forces pulled out of a region retreat; a state pulling out of a pact sanctions it
        ("Ruritanian army pulls troops out of the disputed valley", "RETREAT", None),
        ("Ruritania pulls out of the regional fishing pact", "SANCTION", None),
        # platforms or the internet suspended are censorship; a suspended curfew is a concession
        ("Messaging platforms suspended in the north after clashes", "COERCE", None),
        ("Council suspends curfew in the old town", "CONCEDE", None),
        # forces sent somewhere are mobilised
        ("Governor sends troops to the northern districts", "MOBILIZE", None),
        # a frame said of an act before it, in the passive
        ("Night curfew will be lifted on Friday", "CONCEDE", None),
        ("Border talks were suspended", "SANCTION", "discontinue"),
        # a commitment is an intent; signing a ceasefire is that retreat, signing a deal signs
        ("Ruritania makes firm commitment to ease travel restrictions", "CONCEDE", None),
        ("Two militias sign ceasefire over grazing dispute", "RETREAT", "ceasefire"),
        ("Two ports sign trade agreement", "SUPPORT", None),
        # an opening participle before a noun describes someone; the act comes after
        ("Jailed poet on hunger strike in the capital", "PROTEST", "hunger"),
        ("Arrested students beaten in custody", "ASSAULT", None),
        # contrast: an opening participle with no noun after it is the act
        ("Jailed for life after the bombing", "COERCE", None),
        # over the same words, the cue naming more of them ("on hunger strike", not "on strike")
        ("Dock workers on strike for a week", "PROTEST", "strike"),
    ],
)
def test_headline_grammar(headline: str, kind: str, mode: str | None) -> None:
    """Kinds of headline grammar: a participle describing the object, an outcome and its occasion,
    a declared ceasefire, what is pulled out or suspended, frames read in the passive, an opening
    participle before a noun, the cue naming the most words."""
    assert_typed(headline, kind, mode)


def test_a_passive_frame_skips_a_noun_after_a_preposition() -> None:
    # the exports were not suspended: the tariffs on them were
    acts = storytype.acts_in("Tariffs on grain exports were suspended")
    assert not any(act.framed for act in acts)


def test_an_outcome_is_read_only_as_a_whole_phrase() -> None:
    # "ending fighting in" is not "end in": the truce and the end of fighting both stay acts
    sentence = "The council said it was starting a truce aimed at ending fighting in the east"
    named = {sentence[a.start:a.end]: a.weight for a in storytype.acts_in(sentence)}
    assert named.get("truce", 0) >= 1.0 and named.get("ending fighting", 0) >= 1.0


def test_the_headline_outweighs_a_drifting_body() -> None:
    story = typed("Army deploys troops to the capital",
                  "Protesters gathered in the square on Monday.",
                  "Demonstrators marched to parliament.")
    assert story.type == "MOBILIZE"


def test_without_a_headline_the_lead_decides() -> None:
    assert typed("", "Teachers went on strike across the country on Monday.").type == "PROTEST"


def test_no_act_no_type() -> None:
    story = typed("A sunny weekend in the capital", "The weather was warm.")
    assert story.type is None and story.confidence == 0.0


def test_inflected_forms_match() -> None:
    assert typed("Gunmen shot three guards").type == "ASSAULT"
    assert typed("Court sentenced the smugglers").type == "SANCTION"


def test_a_headline_typed_story_gets_its_event_on_top() -> None:
    doc = analyze("Officials said talks would continue. Several ministers attended the meeting on Monday.",
                  headline="Government threatens to expel foreign observers")
    top = max(doc.events, key=lambda v: v.confidence)
    assert (top.type, top.mode) == ("THREATEN", "expel")
    # the headline is not in the text: the trigger names its words, with an empty span at the lead
    assert top.trigger.text.lower().startswith("threatens")
    assert top.trigger.start == top.trigger.end == top.sentence.start


def test_a_story_event_in_the_body_keeps_its_evidence() -> None:
    doc = analyze("The interior ministry imposed a curfew in the capital on Friday after clashes.",
                  headline="Curfew imposed in capital")
    top = max(doc.events, key=lambda v: v.confidence)
    assert top.type == "COERCE" and top.mode == "curfew"
    assert doc.article.text[top.trigger.start : top.trigger.end] == top.trigger.text
    assert top.sentence.start <= top.trigger.start < top.sentence.end


def test_a_courtesy_call_on_someone_is_a_visit_not_a_request() -> None:
    from parley.analysis import storytype
    acts = storytype.acts_in("Ambassador pays courtesy call on trade minister")
    assert acts and acts[0].type == "CONSULT" and acts[0].mode == "visit"
    assert storytype.acts_in("Union calls on minister to resign")[0].type == "REQUEST"
