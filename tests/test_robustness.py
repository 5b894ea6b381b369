"""The analyzer never crashes on odd but possible text; each case once failed or could."""

from __future__ import annotations

import pytest

import parley

ODD_TEXTS = [
    '"',
    '""""',
    "“Unclosed quote at the end",
    "” closing mark first, then text.",
    "He said: said said said.",
    "The the the the.",
    "A" * 5000,
    "Visit. Visit visit. Meeting with with with.",
    "Ana Ruiz, Ana Ruiz, Ana Ruiz said Ana Ruiz met Ana Ruiz.",
    "China China China China China, China said China met China in China.",
    "On Thursday, on Friday, on Saturday, from April 20 to 22, 2025 to 2026, they met.",
    "— ― – - : ; , .",
    "😀 emoji 🇨🇳 flags and ZWJ 👩‍💻 text said the delegation.",
    "Le ministre a dit: «Nous coopérerons.»",
    "X" + " word" * 3000 + ".",
]


@pytest.mark.parametrize("text", ODD_TEXTS)
def test_odd_text_analyses_without_error(text: str) -> None:
    doc = parley.analyze(text, headline="Odd", published="2025-03-21")
    body = doc.article.text
    for entity in doc.entities:
        for mention in entity.mentions:
            assert body[mention.start : mention.end] == mention.text
    for quote in doc.quotes:
        assert 0 <= quote.start <= quote.end <= len(body)
    for event in doc.events:
        assert body[event.trigger.start : event.trigger.end] == event.trigger.text or event.type == "AGREE"
        assert {*event.actor, *event.recipient} <= {e.id for e in doc.entities}
