"""A counterpart holds the office of the one whose counterpart they are (analysis/counterparts.py).

Every sentence here was written for these tests."""

from __future__ import annotations

from parley import analyze


def roles_of(text: str, name: str) -> list[tuple[str, str | None]]:
    doc = analyze(text, headline="Ruritania news")
    person = next(e for e in doc.entities if e.name == name)
    return [(r.title, r.of) for r in person.roles]


def test_her_counterpart_takes_her_title_and_keeps_his_country() -> None:
    text = "Trade Minister Ana Ruiz met her Chilean counterpart, Carl Berg, on Tuesday."
    assert roles_of(text, "Carl Berg") == [("Trade Minister", "Chile")]


def test_the_nearest_titled_person_before_the_possessive_is_the_owner() -> None:
    text = ("Mayor Luis Vega looked on as Foreign Minister Ana Ruiz received her Peruvian counterpart "
            "Carl Berg in the capital.")
    assert roles_of(text, "Carl Berg") == [("Foreign Minister", "Peru")]


def test_without_a_possessive_a_counterpart_stays_one() -> None:
    text = "Mayor Ana Ruiz said the Chilean counterpart Carl Berg was late."
    assert roles_of(text, "Carl Berg") == [("counterpart", "Chile")]
