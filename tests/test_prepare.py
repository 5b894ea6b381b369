"""Cleaning, headlines, datelines and published dates, on sentences written for these tests."""

from __future__ import annotations

import pytest

from parley.ingest.clean import clean_body, is_caption, normalize_unicode, split_glued_words
from parley.ingest.dateline import parse_dateline, parse_full_date
from parley.ingest.prepare import article_id, prepare
from parley.ingest.records import RawRecord
from parley.errors import SourceError


def plain(text: str, **kw: object) -> RawRecord:
    return RawRecord(text=text, origin="test.txt", file="test.txt", **kw)  # type: ignore[arg-type]


def test_unicode_spaces_and_invisibles_are_normalised() -> None:
    raw = "Trade\u00a0talks\u2009resumed\u200b today.\r\n\r\n\r\n\r\nMinisters\u202fmet."
    assert normalize_unicode(raw) == "Trade talks resumed today.\n\nMinisters met."


def test_glued_words_are_split_but_names_kept() -> None:
    assert split_glued_words("a fine harbour indeedThe port opened") == "a fine harbour indeed The port opened"
    assert split_glued_words("exports of textiles, componentsfood and wine") == (
        "exports of textiles, components food and wine"
    )
    for kept in ("the new iPhone", "at McDonald's", "on YouTube", "cybersecurity firms", "a megacity"):
        assert split_glued_words(kept) == kept


@pytest.mark.parametrize(
    "line",
    [
        "The minister, left, tours the plant on Monday. (Photo/Li Wei)",
        "Delegates at the forum. (Photo: Ana Ruiz)",
        "A crane at the port. (AP Photo/John Doe)",
        "Photo: the signing ceremony in Lagos.",
        "Workers assemble batteries. [Photo by Sam Hill]",
    ],
)
def test_captions_are_recognised(line: str) -> None:
    assert is_caption(line)


def test_captions_leave_the_body() -> None:
    body, captions = clean_body("First paragraph.\n\nThe mayor at the plant. (Photo/Li Wei)\n\nLast paragraph.")
    assert body == "First paragraph.\n\nLast paragraph."
    assert captions == ["The mayor at the plant. (Photo/Li Wei)"]


def test_ordinary_paragraph_with_parentheses_is_not_a_caption() -> None:
    assert not is_caption("The company (founded in 1990) opened a plant.")


@pytest.mark.parametrize(
    "opening, place, source, date",
    [
        ("LAGOS, (NAN - Daily Wire - 3rd Feb, 2024) The governor said", "LAGOS", "NAN - Daily Wire", "2024-02-03"),
        ("NAIROBI (Reuters) - Kenya signed", "NAIROBI", "Reuters", None),
        ("HANOI, June 4 (Xinhua) -- Vietnam and", "HANOI", "Xinhua", None),
        ("Lyon - The fair opened", "Lyon", None, None),
        ("SAO PAULO — Brazil's exports", "SAO PAULO", None, None),
    ],
)
def test_datelines(opening: str, place: str, source: str | None, date: str | None) -> None:
    found = parse_dateline(opening)
    assert found is not None
    assert (found.place, found.source, parse_full_date(found.date_text)) == (place, source, date)
    assert opening[found.end].isalpha()


@pytest.mark.parametrize("opening", ["Officials said on Monday that", "Obama: we will act", "A plant (in Ohio) closed"])
def test_prose_is_not_a_dateline(opening: str) -> None:
    assert parse_dateline(opening) is None


def test_partial_dates_are_never_completed() -> None:
    assert parse_full_date("June 4") is None
    assert parse_full_date("2019") is None
    assert parse_full_date("4 June 2019") == "2019-06-04"
    assert parse_full_date("2019-06-04T08:00:00+02:00") == "2019-06-04"
    assert parse_full_date("not a date") is None


def test_plain_text_with_date_line() -> None:
    article = prepare(plain("date 2024-02-03 Governor Welcomes Investors\nLAGOS - The governor met investors."))
    assert article.headline == "Governor Welcomes Investors"
    assert article.published == "2024-02-03"
    assert article.dateline == "LAGOS"
    assert article.text == "The governor met investors."


def test_first_line_is_the_headline_and_no_date_is_invented() -> None:
    article = prepare(plain("Ports Reopen After Storm\n\nShipping resumed on Tuesday in the bay."))
    assert article.headline == "Ports Reopen After Storm"
    assert article.published is None
    assert article.dateline is None
    assert article.text == "Shipping resumed on Tuesday in the bay."


def test_single_paragraph_has_no_headline() -> None:
    article = prepare(plain("Shipping resumed on Tuesday in the bay."))
    assert article.headline is None and article.text == "Shipping resumed on Tuesday in the bay."


def test_body_layout_keeps_the_given_title_and_date() -> None:
    record = RawRecord(text="Shipping resumed.", origin="x.jsonl:1", layout="body", title="Ports", published="2020-05-01")
    article = prepare(record)
    assert (article.headline, article.published, article.text) == ("Ports", "2020-05-01", "Shipping resumed.")


def test_identity_ignores_whitespace_and_case_but_keeps_caller_ids() -> None:
    assert article_id("Ports  reopen.\n") == article_id("ports reopen.")
    assert prepare(plain("Head\nBody text.", id="abc")).id == "abc"


def test_empty_body_is_an_error_naming_the_input() -> None:
    with pytest.raises(SourceError, match="test.txt"):
        prepare(plain("date 2024-02-03 Only A Headline\n\n   "))
    with pytest.raises(SourceError, match="empty"):
        prepare(plain(" \u00a0\n\u200b"))


def test_a_body_from_a_json_record_loses_its_byline_and_keeps_the_records_date() -> None:
    body = "By Tomas Varga, Staff Reporter\nPublished: 14 May 2023\nGDANSK - The port authority signed a deal."
    article = prepare(RawRecord(text=body, origin="x.jsonl:1", layout="body", title="Port Deal", published="2023-05-15"))
    assert (article.published, article.dateline, article.text) == ("2023-05-15", "GDANSK", "The port authority signed a deal.")
    article = prepare(RawRecord(text=body, origin="x.jsonl:1", layout="body", title="Port Deal"))
    assert article.published == "2023-05-14"


def test_a_numeric_date_from_metadata_whose_order_is_open_is_not_guessed() -> None:
    record = RawRecord(text="Shipping resumed.", origin="x.jsonl:1", layout="body", published="4/6/2023")
    assert prepare(record).published is None
    record = RawRecord(text="Shipping resumed.", origin="x.jsonl:1", layout="body", published="24/6/2023")
    assert prepare(record).published == "2023-06-24"
