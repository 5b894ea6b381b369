"""Where a statement read from a verb ends when more clauses follow in its sentence, on invented
sentences, each rule with a sentence it must not change."""

from __future__ import annotations

import spacy

from parley.analysis import sentences as sentence_bounds

from .sentences import analyse


def statements(text: str) -> list[tuple[str, str]]:
    return [(q.speaker_text or "", q.text) for q in analyse(text).quotes]


def test_a_joined_clause_with_its_own_subject_is_not_the_content() -> None:
    found = statements("Ana Ruiz wants to expand the port of Strelsau, but critics say the plan is too costly.")
    assert ("Ana Ruiz", "to expand the port of Strelsau") in found
    assert ("critics", "the plan is too costly") in found


def test_another_sources_joined_statement_is_its_own() -> None:
    found = statements("Ana Ruiz has vowed to reopen the mines and cut taxes, and Tom Blake is promising "
                       "to build a new railway.")
    assert ("Ana Ruiz", "to reopen the mines and cut taxes") in found
    assert ("Tom Blake", "to build a new railway") in found


def test_a_clause_marked_by_that_is_still_what_was_said() -> None:
    found = statements("Ana Ruiz said that the plant would close, and that the union was planning a strike.")
    assert found == [("Ana Ruiz", "that the plant would close, and that the union was planning a strike")]


def test_a_second_speech_verb_joined_to_the_content_is_the_sources_second_statement() -> None:
    found = statements("The minister said the port would reopen in May and warned that contractors faced fines.")
    assert ("The minister", "the port would reopen in May") in found
    assert ("The minister", "that contractors faced fines") in found


def test_a_joined_verb_that_reports_nothing_stays_in_the_content() -> None:
    found = statements("The mayor said the firm had hired 200 workers and opened a new plant.")
    assert found == [("The mayor", "the firm had hired 200 workers and opened a new plant")]


def test_the_rest_of_the_sentence_stops_at_the_verbs_own_conjunct() -> None:
    found = statements("Ana Ruiz claimed wide support and said it proved the plan was popular.")
    assert all("and said" not in text for _, text in found), found
    assert ("Ana Ruiz", "it proved the plan was popular") in found


def test_the_day_it_was_said_is_not_what_was_said() -> None:
    assert statements("The spokesman said Monday the ministry would review the contract.") == [
        ("The spokesman", "the ministry would review the contract")]
    assert statements("The spokesman said Monday's vote would decide the contract.") == [
        ("The spokesman", "Monday's vote would decide the contract")]


def test_sentences_start_only_after_punctuation_or_a_line_break() -> None:
    nlp = spacy.blank("en")
    doc = sentence_bounds.keep_sentences_whole(nlp("Ana Ruiz cited remarks Tom Blake made. He said no.\nNew line"))
    starts = {t.text: t.is_sent_start for t in doc}
    assert starts["Tom"] is False and starts["made"] is False  # after a word: never a start
    assert starts["He"] is None  # after a full stop: the parser decides
    assert starts["New"] is None  # after a line break too
    assert doc[0].is_sent_start is True


def test_a_closing_participle_joins_the_statement_only_when_it_reports() -> None:
    assert statements("Protesters called for more information about the shooting, marching past the stadium.") == [
        ("Protesters", "more information about the shooting")]
    assert statements("The minister said the plan would create jobs, adding that the port would reopen.") == [
        ("The minister", "the plan would create jobs, adding that the port would reopen")]


def test_a_semicolon_ends_what_was_reported_unless_it_is_quoted() -> None:
    assert statements("Officials said the timing was not intentional; they learned of the deal on Friday.") == [
        ("Officials", "the timing was not intentional")]
    found = statements('Ana Ruiz said the port "will reopen; the cranes are ready" and left the hall.')
    assert any("the cranes are ready" in text for _, text in found), found


def test_a_phrase_coordinated_with_what_was_named_joins_it() -> None:
    assert statements("She began by stressing fairness, and a need to raise the minimum wage.") == [
        ("She", "fairness, and a need to raise the minimum wage")]
    assert statements("The judge spoke of the legacy of the war, and how the fight for justice went on.") == [
        ("The judge", "the legacy of the war, and how the fight for justice went on")]


def test_what_the_source_did_next_does_not_join_what_was_named() -> None:
    assert statements("Ana Ruiz praised the plan and left the hall.") == [("Ana Ruiz", "the plan")]
    assert statements("She began by praising the plan, and the crowd cheered.") == [("She", "the plan")]


def test_a_gerund_the_parser_hangs_on_the_verb_joins_the_gerund_it_is_coordinated_with() -> None:
    """The parse as the small model gives it for some such sentences: the first gerund read as an
    adjective of the object, the second joined to the verb."""
    from spacy.tokens import Doc

    from parley.analysis import quotes

    words = ["Ana", "Ruiz", "mentioned", "cutting", "port", "fees", "and", "raising", "wages", "."]
    heads = [1, 2, 2, 5, 5, 2, 2, 2, 7, 2]
    deps = ["compound", "nsubj", "ROOT", "amod", "compound", "dobj", "cc", "conj", "dobj", "punct"]
    tags = ["NNP", "NNP", "VBD", "VBG", "NN", "NNS", "CC", "VBG", "NNS", "."]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, tags=tags,
              pos=["PROPN", "PROPN", "VERB", "VERB", "NOUN", "NOUN", "CCONJ", "VERB", "NOUN", "PUNCT"])
    cue, fees = doc[2], doc[5]
    start, end = quotes._with_coordinated(cue, (doc[3].idx, fees.idx + len(fees.text)))
    assert doc.text[start:end] == "cutting port fees and raising wages"
    tags[2] = "VBG"  # "emphasizing cutting fees and raising wages": the cue's own conjunct, not the object's
    doc = Doc(doc.vocab, words=words, heads=heads, deps=deps, tags=tags, pos=[t.pos_ for t in doc])
    assert quotes._with_coordinated(doc[2], (start, fees.idx + 4)) == (start, fees.idx + 4)


def test_a_quoted_label_given_by_as_is_the_subjects_judgement_whatever_the_verb() -> None:
    assert statements('The agency rated most of the claims as "false" last year.') == [
        ("The agency", 'most of the claims as "false" last year')]
    assert statements("The agency rated most of the claims as false last year.") == []  # no one's words


def test_a_short_quotation_right_after_a_speech_verb_is_said() -> None:
    assert statements('The protesters chanted "No more taxes!" outside the hall.') == [
        ("The protesters", "No more taxes!")]
    assert statements('The mayor shouted "We will rebuild the bridge" outside the hall.') == [
        ("The mayor", "We will rebuild the bridge")]


def test_a_title_after_a_speech_verb_and_a_fragment_inside_a_sentence_are_not() -> None:
    assert statements('The mayor wrote "The Long Road Home" in 1999.') == []
    assert all(text != "duped" for _, text in statements('Ana Ruiz was "duped" by the contractors, the report said.'))
