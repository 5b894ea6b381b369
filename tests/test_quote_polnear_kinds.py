"""Kinds of attribution common in political news, each with a sentence it must not fire on.

Every sentence here is invented for these tests.
"""

from __future__ import annotations

import parley
from parley.document import Document, Quote


def analyse(text: str) -> Document:
    return parley.analyze(text, headline="Test", published="2024-05-03")


def quotes_with(doc: Document, needle: str) -> list[Quote]:
    return [q for q in doc.quotes if needle in q.text]


def test_interrupted_quotation_in_two_apostrophe_marks_is_one_statement() -> None:
    doc = analyse("''The budget is a start,'' said Ana Ruiz, a fellow at the Lakeside Institute. "
                  "''It does not fix the pension gap.''")
    found = quotes_with(doc, "budget is a start")
    assert len(found) == 1 and "pension gap" in found[0].text


def test_a_new_cue_after_a_two_apostrophe_quotation_starts_its_own_statement() -> None:
    doc = analyse("''The budget is a start,'' said Ana Ruiz. Tom Weller disagreed with her. "
                  "''It does not fix the pension gap,'' he said.")
    found = quotes_with(doc, "budget is a start")
    assert len(found) == 1 and "pension gap" not in found[0].text


def test_a_nominal_statement_keeps_its_argument_but_not_when_or_where() -> None:
    doc = analyse("Ana Ruiz criticized the river plan during a town hall on Tuesday.")
    found = quotes_with(doc, "river plan")
    assert len(found) == 1 and "town hall" not in found[0].text


def test_a_nominal_statement_keeps_what_it_is_praised_for() -> None:
    doc = analyse("Ana Ruiz praised the mayor for his handling of the floods.")
    found = quotes_with(doc, "mayor")
    assert len(found) == 1 and "handling of the floods" in found[0].text
