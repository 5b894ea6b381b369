"""Which constructions are attributed statements and which are not, on invented sentences."""

from __future__ import annotations

import pytest

from parley.document import Document

from .sentences import analyse


def speaker_of(doc: Document, needle: str) -> str | None:
    found = [q for q in doc.quotes if needle in q.text]
    assert len(found) == 1, [(q.text, q.speaker_text) for q in doc.quotes]
    entity = doc.entity(found[0].speaker)
    return entity.name if entity else found[0].speaker_text


@pytest.mark.parametrize(
    "text, needle",
    [
        # a cue inside what another source reports belongs to that report
        ("Ruritania and Freedonia have agreed to hold a tariff review, Trade Minister Ana Ruiz has announced.",
         "agreed to hold a tariff review"),
        ("The two towns hope to finish the port by May, Ana Ruiz said.", "hope to finish the port"),
    ],
)
def test_the_outer_source_reports_the_inner_cue(text: str, needle: str) -> None:
    assert speaker_of(analyse(text), needle) == "Ana Ruiz"


@pytest.mark.parametrize(
    "text",
    [
        "Ruritania has agreed to buy more wheat from Freedonia.",  # an agreement is an event
        "Ana Ruiz is expected to visit the port next week.",  # passive: nobody expects anything here
        "It was remarked that the port handled more ships.",
        "Ana Ruiz discussed fishing quotas with the visitors.",  # a discussion is a meeting
        "Ana Ruiz welcomed the delegation from Freedonia.",  # a welcome is an event
        "The minister listed the harbours that Ruritania offers to shipowners.",  # object relative
        "Ana Ruiz called on the trade minister of Freedonia on Monday.",  # a courtesy call
        "A printed statement was handed to the press.",
    ],
)
def test_no_statement(text: str) -> None:
    assert analyse(text).quotes == []


@pytest.mark.parametrize(
    "text, needle",
    [
        ("Ruritania has agreed that the tariffs were too high, Ana Ruiz said.", "tariffs were too high"),
        ("Ana Ruiz called on Freedonia to cut its tariffs.", "to cut its tariffs"),
        ("Ana Ruiz spoke of chances for ferry routes between the two islands.", "chances for ferry routes"),
        ("Ana Ruiz conveyed her hope for a wider fishing accord.", "hope for a wider"),
        ("Ana Ruiz asked for support to build schools in the north.", "support to build schools"),
        ("The port will reopen in June, Ana Ruiz told reporters.", "port will reopen"),
        ("Ana Ruiz told a news briefing she was sure the plant had begun to hire workers.", "begun to hire"),
        ("The fire was an act of arson that Ana Ruiz described as a disgrace.", "disgrace"),
    ],
)
def test_statement(text: str, needle: str) -> None:
    assert speaker_of(analyse(text), needle) == "Ana Ruiz"


def test_addressee_is_not_the_content() -> None:
    doc = analyse("Ana Ruiz told reporters that the port would reopen.")
    assert [q.text for q in doc.quotes] == ["that the port would reopen"]


def test_a_statement_ends_with_its_paragraph() -> None:
    doc = analyse("Ana Ruiz said the port was ready\n\nThe ships arrived on Monday.")
    assert [q.text for q in doc.quotes] == ["the port was ready"]


def test_a_quoted_paragraph_without_a_cue_goes_on_from_the_speaker_before() -> None:
    doc = analyse("Ana Ruiz said the port was ready for larger ships.\n\n"
                  "\u201cWe will open two new berths next year and hire more workers.\u201d\n\n"
                  "The ships arrived on Monday.")
    assert speaker_of(doc, "two new berths") == "Ana Ruiz"


def test_a_quoted_paragraph_with_nobody_before_it_is_no_statement() -> None:
    doc = analyse("\u201cWe will open two new berths next year and hire more workers.\u201d\n\nThe ships arrived.")
    assert doc.quotes == []


def test_said_this_in_the_next_sentence_attributes_the_quotation() -> None:
    doc = analyse("\u201cWe have drawn up a plan for three new ferries to Freedonia.\u201d "
                  "Ana Ruiz said this at a dinner for the visitors.")
    assert speaker_of(doc, "drawn up a plan") == "Ana Ruiz"


@pytest.mark.parametrize("verb", ["This was stated by", "That statement was made by"])
def test_this_was_stated_by_attributes_the_sentence_before(verb: str) -> None:
    doc = analyse(f"The new ferry will halve the crossing to Freedonia. {verb} Ana Ruiz on Monday.")
    assert speaker_of(doc, "halve the crossing") == "Ana Ruiz"


def test_this_was_built_by_is_no_statement() -> None:
    doc = analyse("The port is the largest in Ruritania. This was built by Ana Ruiz in 1990.")
    assert doc.quotes == []


def test_the_one_quoted_as_saying_speaks() -> None:
    doc = analyse("Ana Ruiz met John Carter in Lagos. The bulletin quotes Mr Carter as saying the talks went well.")
    assert speaker_of(doc, "talks went well") == "John Carter"


def test_a_conjoined_phrase_after_spoke_of_is_part_of_the_statement() -> None:
    doc = analyse("Ana Ruiz spoke of chances for ferry routes, and for trade in fish, especially with Freedonia.")
    assert speaker_of(doc, "and for trade in fish") == "Ana Ruiz"


def test_saying_so_reports_nothing_new() -> None:
    doc = analyse("The bulletin quotes Ana Ruiz as saying so when she toured the docks.")
    assert all("when she toured" not in q.text for q in doc.quotes)


def test_an_inverted_statement_starts_after_a_line_break() -> None:
    doc = analyse("Ana Ruiz at the harbour (photo)\nThe port will reopen in June, the ministry said.")
    assert [q.text for q in doc.quotes] == ["The port will reopen in June"]


def test_a_pronoun_object_is_no_content() -> None:
    assert analyse("Ana Ruiz praised them warmly.").quotes == []


def test_a_pronoun_object_with_what_is_said_of_it_is() -> None:
    doc = analyse("Ana Ruiz described it as a turning point for the region.")
    assert speaker_of(doc, "turning point") == "Ana Ruiz"


@pytest.mark.parametrize("text", [
    "Ana Ruiz began a tour with John Carter expected to focus on fishing.",
    "Ana Ruiz opened a fair with exhibits expected to draw big crowds.",
])
def test_a_reduced_relative_expected_to_is_no_statement(text: str) -> None:
    assert analyse(text).quotes == []


def test_expected_to_with_a_finite_subject_is_a_statement() -> None:
    doc = analyse("Ana Ruiz has expected to sign the deal since May.")
    assert speaker_of(doc, "sign the deal") == "Ana Ruiz"
