"""Page furniture (links to other stories, advertising, invitations, rights notices) leaves the body;
prose that opens with the same words stays. Lines written for these tests."""

from __future__ import annotations

import pytest

import parley
from parley.ingest.furniture import drop_furniture, is_furniture
from parley.ingest.prepare import prepare
from parley.ingest.records import RawRecord


@pytest.mark.parametrize(
    "line",
    [
        "Also read: Ruritania signs a port deal with Borduria",
        "ALSO READ | Borduria's exports hit a record",
        "Read more: https://news.example/ruritania",
        "RELATED >> Minister tours the free zone",
        "Watch: the envoy arrives in Strelsau",
        "ADVERTISEMENT",
        "- Advertisement -",
        "Story continues below advertisement",
        "Copyright 2024 Ruritania Daily. All rights reserved.",
        "© 2024 The Strelsau Times",
        "Follow us on X @RuritaniaNews",
        "Subscribe to our trade newsletter here.",
        "Share this article",
    ],
)
def test_furniture_lines(line: str) -> None:
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Copyright claims rose 20 percent last year, the ministry said.",
        "Related talks will follow in May, officials said.",
        "Watch out for more deals, the minister said.",
        "Share prices rose on Monday.",
        "Follow-up talks are planned for June.",
        "He urged firms to subscribe to the new export insurance scheme, which covers 90 percent of losses "
        "and was launched in 2023 by the state bank of Ruritania.",
        "“Join our efforts,” the mayor told investors.",
    ],
)
def test_prose_opening_with_the_same_words_stays(line: str) -> None:
    assert not is_furniture(line)
    assert drop_furniture(f"First line.\n{line}\nLast line.") == f"First line.\n{line}\nLast line."


def test_a_linked_headline_makes_no_event_and_the_credit_above_the_foot_goes() -> None:
    text = ("Ruritania and Borduria sign port deal\n"
            "Ruritania and Borduria signed a port deal on Friday, Trade Minister Ana Ruiz said.\n"
            "Also read: Borduria's president visits Strelsau\n"
            "The deal covers two ports.\n"
            "(Reporting by Luis Soto; Editing by Maria Lopez)\n"
            "Copyright 2024 Ruritania Daily. All rights reserved.")
    article = prepare(RawRecord(text=text, origin="t.txt", file="t.txt"))
    assert "Also read" not in article.text and "visits Strelsau" not in article.text
    assert "Reporting by" not in article.text and "Copyright" not in article.text
    assert "The deal covers two ports." in article.text
    doc = parley.analyze(article.text, headline=article.headline, published="2024-05-03")
    assert not [e for e in doc.entities if e.name in {"Luis Soto", "Maria Lopez"}]


def test_an_article_that_is_only_furniture_is_kept_not_emptied() -> None:
    text = "Mayor promises to end curfew\n(Copyright 2012 Ruritania Press. All rights reserved.)"
    article = prepare(RawRecord(text=text, origin="t.txt", file="t.txt"))
    assert article.headline == "Mayor promises to end curfew" and "Copyright" in article.text
