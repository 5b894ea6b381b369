"""Stance of a statement, -1 (hostile) to 1 (warm), from VADER's lexicon-based sentiment.

VADER (vaderSentiment on PyPI) is tuned for short social and news text, ships its lexicon in the
package and needs no model download; its compound score is already in [-1, 1].
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def stance_of(text: str) -> float:
    """VADER's compound score of the statement, rounded to three places."""
    return round(_analyzer().polarity_scores(text)["compound"], 3)
