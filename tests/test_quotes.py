"""Each quote form and each way of naming a speaker, on sentences written for these tests."""

from __future__ import annotations

import pytest

from parley.analysis.quotemarks import quoted_spans
from parley.document import Document, Quote

from .sentences import analyse, speaker_name


def only_quote(doc: Document, needle: str) -> Quote:
    found = [q for q in doc.quotes if needle in q.text]
    assert len(found) == 1, [(q.text, q.kind) for q in doc.quotes]
    return found[0]


@pytest.mark.parametrize(
    "text, needle, kind, speaker, cue",
    [
        ('"The port will reopen in June," said Maria Lopez, the transport minister.',
         "port will reopen", "direct", "Maria Lopez", "said"),
        ('"We signed the deal," John Carter said.', "signed the deal", "direct", "John Carter", "said"),
        ('John Carter said: "We signed the deal and we are proud of it."', "signed the deal", "direct",
         "John Carter", "said"),
        ("Maria Lopez said that the port would reopen in June.", "port would reopen", "indirect", "Maria Lopez", "said"),
        ("Maria Lopez emphasized that exports had doubled.", "exports had doubled", "indirect", "Maria Lopez",
         "emphasized"),
        ("Maria Lopez expressed hope for closer ties between Nigeria and Chile.", "closer ties", "indirect",
         "Maria Lopez", "expressed"),
        ("According to John Carter, the factory will hire 300 workers.", "factory will hire", "indirect",
         "John Carter", "According"),
        ('John Carter said the talks were "productive and frank" and would continue.', "productive and frank",
         "mixed", "John Carter", "said"),
    ],
)
def test_quote_forms(text: str, needle: str, kind: str, speaker: str, cue: str) -> None:
    doc = analyse(text)
    quote = only_quote(doc, needle)
    assert quote.kind == kind
    assert speaker_name(doc, quote) == speaker
    assert quote.cue == cue
    assert doc.article.text[quote.start : quote.end] == quote.text
    assert -1.0 <= quote.stance <= 1.0


def test_quote_over_several_sentences_and_paragraphs() -> None:
    doc = analyse(
        'Maria Lopez opened the forum. "Trade is growing. Investment is growing too.\n\n'
        '"And we expect more next year," she said.'
    )
    quotes = [q for q in doc.quotes if q.kind == "direct"]
    assert quotes and all(speaker_name(doc, q) == "Maria Lopez" for q in quotes)
    assert any("Investment is growing" in q.text for q in quotes)


def test_interrupted_quotation_is_one_statement_with_parts() -> None:
    doc = analyse('"The plant is ready," said John Carter. "We start on Monday."')
    quote = only_quote(doc, "plant is ready")
    assert "We start on Monday" in quote.text
    assert len(quote.spans) == 2
    assert doc.article.text[quote.spans[1].start : quote.spans[1].end].startswith("We start")


def test_adding_after_an_indirect_statement_stays_one_statement() -> None:
    doc = analyse(
        "John Carter expressed his willingness to invest in the port, adding that Hamburg has strong shipyards."
    )
    assert len(doc.quotes) == 1
    assert "Hamburg has strong shipyards" in doc.quotes[0].text


def test_adding_after_a_direct_quote_is_a_second_statement() -> None:
    doc = analyse('"Exports will grow," John Carter said, adding that the chamber hopes to open an office.')
    kinds = sorted(q.kind for q in doc.quotes)
    assert kinds == ["direct", "indirect"]
    assert all(speaker_name(doc, q) == "John Carter" for q in doc.quotes)


@pytest.mark.parametrize(
    "text, needle, speaker_text",
    [
        # a pronoun refers back to the person named before
        ('Maria Lopez toured the port. "It is ready for larger ships," she said.', "larger ships", "she"),
        # "who" refers to the person it follows in its sentence
        ('The show impressed John Carter, chairman of the Baltic Chamber, who called it "a great success for the city."',
         "great success", "who"),
        # a description repeats a role title given earlier
        ("Maria Lopez, the transport minister, visited Lagos. The minister said the port would expand.",
         "port would expand", "minister"),
        # an apposition-first sentence puts the name second
        ("A veteran of the shipping trade, John Carter highlighted the strong ties between the ports.",
         "strong ties", "John Carter"),
    ],
)
def test_ways_of_naming_a_speaker(text: str, needle: str, speaker_text: str) -> None:
    doc = analyse(text)
    quote = only_quote(doc, needle)
    entity = doc.entity(quote.speaker)
    assert entity is not None and entity.type == "PERSON", quote
    assert speaker_text in (quote.speaker_text or "")
    # the word that names the speaker is one of the entity's mentions
    assert any(speaker_text in m.text for m in entity.mentions)


def test_a_name_in_a_caption_never_speaks() -> None:
    doc = analyse(
        'John Carter opened the plant. "It is a proud day," he said.\n\n'
        "John Carter at the plant. (Photo/Mia Wong)"
    )
    assert doc.article.captions == ["John Carter at the plant. (Photo/Mia Wong)"]
    assert all(speaker_name(doc, q) != "Mia Wong" for q in doc.quotes)


def test_an_occasion_does_not_speak_and_titles_are_not_quotes() -> None:
    doc = analyse('The fair underscored the city\'s rising profile. She watched "Morning Live" on Monday.')
    assert doc.quotes == []


def test_stance_follows_the_words() -> None:
    warm = only_quote(analyse('"This is a wonderful partnership," John Carter said.'), "wonderful")
    cold = only_quote(analyse('"This is a terrible, hostile decision," John Carter said.'), "terrible")
    assert warm.stance > 0.3 and cold.stance < -0.3


@pytest.mark.parametrize(
    "text, expected",
    [
        ('He said "yes" and left.', ["yes"]),
        ("He said “we will” and “we can”.", ["we will", "we can"]),
        ("It was 5\" long.", []),
        ('She said: "Unclosed at the end', ["Unclosed at the end"]),
        ("''Double single marks,'' he said.", ["Double single marks,"]),
        ('"Nested \'inner\' quote," she said.', ["Nested 'inner' quote,"]),
    ],
)
def test_quotation_marks_never_crash(text: str, expected: list[str]) -> None:
    assert [text[s.start : s.end] for s in quoted_spans(text)] == expected


@pytest.mark.parametrize(
    "lead, speaker",
    [
        ("Maria Lopez met members of the automotive chamber in Washington.", "Maria Lopez"),
        # contrast: two people named before, so "the Governor" could be either: no guess
        ("Maria Lopez met John Carter in Washington.", None),
    ],
)
def test_a_title_no_one_was_given_is_the_only_person_named_so_far(lead: str, speaker: str | None) -> None:
    doc = analyse(f'{lead} "We are sharing the benefits of investing in Lima," said the Governor.')
    quote = only_quote(doc, "sharing the benefits")
    assert speaker_name(doc, quote) == speaker
