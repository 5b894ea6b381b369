"""A person after a title of several words, misspelt or not ("Prime Minster"); a month that is a
person's name is no date. Invented sentences, each with a contrastive one."""

from __future__ import annotations

import parley


def people(text: str) -> dict[str, list[str]]:
    doc = parley.analyze(text)
    return {e.name: [r.title for r in e.roles] for e in doc.entities if e.type == "PERSON"}


def test_a_name_after_a_misspelt_title_of_two_words_is_a_person() -> None:
    found = people("Talks between visiting Ruritanian Prime Minster Ana Ruiz and President Tomas Berg began on Monday.")
    assert found == {"Ana Ruiz": ["Prime Minster"], "Tomas Berg": ["President"]}


def test_a_church_called_a_minster_is_no_title() -> None:
    assert people("The choir of Strelsau Minster sang at the service on Sunday.") == {}


def test_a_month_that_is_a_persons_name_is_no_date() -> None:
    doc = parley.analyze("Prime Minister Hanna May arrived in Zenda on Thursday. Talks with May began at noon.",
                         published="2018-08-30")
    assert [t.text for t in doc.dates] == ["Thursday"]


def test_a_month_beside_a_person_is_still_a_date() -> None:
    doc = parley.analyze("Prime Minister Hanna May arrived in Zenda on Thursday. The accord will be signed in May.",
                         published="2018-08-30")
    assert [t.text for t in doc.dates] == ["Thursday", "May"]
