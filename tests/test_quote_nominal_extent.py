"""How far a statement read from a verb's object reaches, on invented sentences."""

from __future__ import annotations

import pytest

from .sentences import analyse


def only_quote(text: str) -> str:
    quotes = analyse(text).quotes
    assert len(quotes) == 1, [q.text for q in quotes]
    return quotes[0].text


def test_the_object_keeps_its_article_and_possessive() -> None:
    assert only_quote("Ana Ruiz praised the new harbour in Ruritania.") == "the new harbour in Ruritania"
    assert only_quote("The governor defended her tariff plan on Tuesday.").startswith("her tariff plan")


@pytest.mark.parametrize(
    "text, content",
    [
        # a closing aside set off by a comma is the writer's description, not what was said
        ("Ana Ruiz praised the new harbour, which opened in May after years of delay.", "the new harbour"),
        ("The senator endorsed the tariff bill, the latest step in a long trade dispute.", "the tariff bill"),
    ],
)
def test_a_closing_aside_is_left_out(text: str, content: str) -> None:
    assert only_quote(text) == content


@pytest.mark.parametrize(
    "text, content",
    [
        # a restrictive clause (no comma, or "that") says which thing was meant: it stays
        ("Ana Ruiz praised the harbour that opened in May.", "the harbour that opened in May"),
        # an aside inside the phrase, closed by a second comma, stays with it
        ("Ana Ruiz praised the harbour of the capital, Strelsau, and its new cranes.",
         "the harbour of the capital, Strelsau, and its new cranes"),
    ],
)
def test_restrictive_and_inner_asides_stay(text: str, content: str) -> None:
    assert only_quote(text) == content
