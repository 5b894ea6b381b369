"""Stance of a statement, -1 (hostile) to 1 (warm), from VADER's lexicon-based sentiment.

VADER (vaderSentiment on PyPI) is tuned for short social and news text, ships its lexicon in the
package and needs no model download; its compound score is already in [-1, 1].
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import BOOSTER_DICT, N_SCALAR, SentimentIntensityAnalyzer, SentiText, negated

    class Analyzer(SentimentIntensityAnalyzer):  # type: ignore[misc]
        """VADER with two shortcuts, its rules unchanged word for word (a test compares the scores):
        the negation check lower-cases only the words it reads (VADER 3.3.2 lower-cases every word of
        the text again for each sentiment word it meets, a third of the scoring), and a text without
        an emoji skips VADER's character-by-character rewriting of emojis and its call per word
        outside the lexicon (which only adds a 0)."""

        def polarity_scores(self, text: str) -> dict[str, float]:
            if not self.emoji_characters.isdisjoint(text):
                return super().polarity_scores(text)  # emojis become their descriptions first
            sentitext = SentiText(text.strip())
            words = sentitext.words_and_emoticons
            lexicon = self.lexicon
            sentiments: list[float] = []
            for i, item in enumerate(words):  # VADER's loop, as written in polarity_scores
                lowered = item.lower()
                if lowered in BOOSTER_DICT or lowered not in lexicon:
                    sentiments.append(0)  # a booster, or no valence of its own ("kind of" included)
                    continue
                if i < len(words) - 1 and lowered == "kind" and words[i + 1].lower() == "of":
                    sentiments.append(0)
                    continue
                sentiments = self.sentiment_valence(0, sentitext, item, i, sentiments)
            sentiments = self._but_check(words, sentiments)
            return self.score_valence(sentiments, text.strip())

        @staticmethod
        def _negation_check(valence: float, words: list[str], start_i: int, i: int) -> float:
            def word(back: int) -> str:
                return str(words[i - back]).lower()

            if start_i == 0:
                if negated([word(1)]):
                    valence = valence * N_SCALAR
            if start_i == 1:
                if word(2) == "never" and word(1) in {"so", "this"}:
                    valence = valence * 1.25
                elif word(2) == "without" and word(1) == "doubt":
                    pass
                elif negated([word(2)]):
                    valence = valence * N_SCALAR
            if start_i == 2:
                if word(3) == "never" and word(2) in {"so", "this"} or word(1) in {"so", "this"}:
                    valence = valence * 1.25
                elif word(3) == "without" and (word(2) == "doubt" or word(1) == "doubt"):
                    pass
                elif negated([word(3)]):
                    valence = valence * N_SCALAR
            return valence

        def __init__(self) -> None:
            super().__init__()
            self.emoji_characters = frozenset(key for key in self.emojis if len(key) == 1)  # VADER reads them one by one

        def neutral(self, text: str) -> bool:
            """No word of the text is in VADER's lexicon (read as VADER splits and strips words) and
            no character is an emoji: every word's valence is then 0, and so is the compound score,
            without VADER's passes over the text (a third of the statements in news)."""
            if not self.emoji_characters.isdisjoint(text):
                return False
            return not any(SentiText._strip_punc_if_word(word).lower() in self.lexicon for word in text.split())

    return Analyzer()


def stance_of(text: str) -> float:
    """VADER's compound score of the statement, rounded to three places."""
    analyzer = _analyzer()
    if analyzer.neutral(text):
        return 0.0
    return round(analyzer.polarity_scores(text)["compound"], 3)
