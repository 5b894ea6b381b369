"""Stance scores are VADER's: the faster negation check and the path for texts without emojis must not
change a single score."""

import pytest
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from parley.analysis.stance import stance_of

SENTENCES = [
    "The talks were not good at all.",
    "We are never so happy as when our ports are busy.",
    "This is without doubt a great day for both countries.",
    "It was without any doubt a terrible decision.",
    "The minister isn't pleased with the delay, and the visit was never this welcome.",
    "Investors don't see any real risk; they say it is a wonderful opportunity.",
    "Nobody doubts the agreement will help, but critics call it a disaster.",
    "Ruritania strongly condemns the attack and will never accept threats.",
    "The delegation was warmly welcomed.",
    "We hardly ever fail, and we rarely disappoint our partners.",
    "",
    "The delegation arrived in the capital on Monday.",
    "The envoy smiled :) and left.",
    "The talks ended \U0001F600 on Monday.",
    "NO, the minister arrived.",
    "It was kind of a good meeting, but very disappointing overall.",
    "The kind hosts were extremely generous; no one was unhappy, nor bored.",
    "The ECONOMY is GREAT but the talks FAILED badly.",
    "  Spaces before and after a fine statement.\n\n",
    "No good options remain; it is sort of sad, though somewhat hopeful!!",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_stance_is_vaders_compound_score(sentence):
    assert stance_of(sentence) == round(SentimentIntensityAnalyzer().polarity_scores(sentence)["compound"], 3)


def test_negation_turns_a_warm_word_cold():
    assert stance_of("The visit was a success.") > 0 > stance_of("The visit was not a success.")


def test_a_statement_without_a_word_vader_scores_is_neutral_without_scoring_it():
    from parley.analysis.stance import _analyzer

    assert _analyzer().neutral("The delegation arrived in the capital on Monday.")
    assert not _analyzer().neutral("The delegation arrived in the capital on a happy Monday.")
    assert not _analyzer().neutral("The envoy smiled :) and left.")  # an emoticon VADER knows
    assert not _analyzer().neutral("The talks ended \U0001F600 on Monday.")  # an emoji: VADER reads its words
