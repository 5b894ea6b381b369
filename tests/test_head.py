"""An article's head: date lines, agency datelines and bylines, on heads written for these tests.

Each kind has a head it must read and a contrastive line it must leave alone.
"""

from __future__ import annotations

import pytest

from parley.ingest.dateline import parse_date_line, parse_dateline, parse_full_date, read_numeric
from parley.ingest.head import drop_credits, is_credit_line, is_journalist_title, is_name, read_head
from parley.ingest.prepare import prepare
from parley.ingest.records import RawRecord


def plain(text: str, **kw: object) -> RawRecord:
    return RawRecord(text=text, origin="test.txt", file="test.txt", **kw)  # type: ignore[arg-type]


# ---- date lines ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, iso",
    [
        ("14 May 2023, 09:40", "2023-05-14"),
        ("14/5/2023 09:40", "2023-05-14"),  # 14 cannot be a month
        ("5/14/2023", "2023-05-14"),  # 14 cannot be a month, so the month comes first
        ("14.05.2023", "2023-05-14"),  # dotted dates are written day first
        ("May 14, 2023", "2023-05-14"),
        ("2023-05-14", "2023-05-14"),
        ("2023-05-14T09:40:00+03:00", "2023-05-14"),
        ("Published: Sunday, 14 May 2023", "2023-05-14"),
        ("Posted on May 14, 2023 | 9:40 am", "2023-05-14"),
        ("Last updated on 14th of May, 2023 at 9.40pm (GMT+3)", "2023-05-14"),
        ("9:40 AM EDT, Sun May 14, 2023", "2023-05-14"),
        ("14 OCT 2023 09:40 EST", "2023-10-14"),
        ("14-May-2023", "2023-05-14"),
        ("Updated: May 14, 2023 / 09:40 AM IST", "2023-05-14"),
        ("Bratislava, 14 May 2023", "2023-05-14"),  # the place it was filed from, then the date
    ],
)
def test_full_date_lines_give_the_date(line: str, iso: str) -> None:
    found = parse_date_line(line)
    assert found is not None and found.date is not None and found.date.iso == iso


@pytest.mark.parametrize(
    "line", ["Updated 3 hours ago", "Posted 25 mins ago", "Yesterday", "May 14", "14 May", "Just now"]
)
def test_relative_and_partial_date_lines_are_head_lines_without_a_date(line: str) -> None:
    found = parse_date_line(line)
    assert found is not None and (found.date is None or found.date.iso is None)


@pytest.mark.parametrize(
    "line",
    [
        "The fair closed on 14 May 2023 with record sales.",
        "Delegates arrived on May 14, 2023, for talks.",
        "Trade rose 14.5 per cent in 2023",
        "Ruritania and Freedonia",
        "Bratislava, Slovakia",
        "Bratislava, the capital, on 14 May 2023",
    ],
)
def test_prose_with_a_date_is_not_a_date_line(line: str) -> None:
    assert parse_date_line(line) is None


def test_day_and_month_that_could_swap_stay_unknown_without_a_habit() -> None:
    assert read_numeric(4, 6, 2023, "/").iso is None
    assert read_numeric(4, 6, 2023, "/").order_open
    assert read_numeric(4, 6, 2023, "/", day_first=True).iso == "2023-06-04"
    assert read_numeric(4, 6, 2023, "/", day_first=False).iso == "2023-04-06"
    assert read_numeric(4, 4, 2023, "/").iso == "2023-04-04"  # both readings agree
    assert parse_full_date("4/6/2023") is None  # never dateparser's month-first guess


def test_a_us_time_zone_means_month_first() -> None:
    found = parse_date_line("04/06/2023 10:05 AM ET")
    assert found is not None and found.date is not None and found.date.iso == "2023-04-06"
    for line in ("04/06/2023 10:05 GMT", "04/06/2023 10:05 CST", "04/06/2023"):
        found = parse_date_line(line)
        assert found is not None and found.date is not None and found.date.iso is None, line


def test_a_date_with_the_reading_time_is_read() -> None:
    text, head = read_head("14 May 2023 · 3 min read\nThe ministers met.")
    assert (text, head.published) == ("The ministers met.", "2023-05-14")
    text, head = read_head("14 May 2023 · 3 ministers\nThe ministers met.")
    assert head.published is None and text.startswith("14 May 2023")


def test_the_writers_habit_comes_from_an_unambiguous_date_in_the_same_head() -> None:
    _, head = read_head("Published 4/6/2023 08:15\nUpdated 21/6/2023 10:00\nThe ministers met in the capital.")
    assert head.published == "2023-06-04"
    _, head = read_head("Posted 4/6/2023 | Updated 21/6/2023\nThe ministers met in the capital.")
    assert head.published == "2023-06-04"
    _, head = read_head("Published 4/6/2023 08:15\nThe ministers met in the capital.")
    assert head.published is None and head.order_open == ["Published 4/6/2023 08:15"]


def test_impossible_dates_are_not_published() -> None:
    found = parse_date_line("31/2/2023")
    assert found is not None and found.date is not None and found.date.iso is None


# ---- datelines -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "opening, place, source, iso",
    [
        ("Nagpur (Maharashtra) [India], May 14 (PTI): The state signed", "Nagpur", "PTI", None),
        ("Salta (Salta) [Argentina], May 14, 2023 (Telam): Exporters", "Salta", "Telam", "2023-05-14"),
        ("Lima [Peru], May 14 (Andina): The ministry said", "Lima", "Andina", None),  # no state given
        ("GDANSK, Poland, May 14 / Wire Service: Poland and", "GDANSK, Poland", "Wire Service", None),
        ("TULSA, Okla., May 14, 2023 /NewsWire/ -- Acme Corp", "TULSA, Okla.", "NewsWire", "2023-05-14"),
        ("LIMA, Sunday, May 14, 2023 — Peru's exports", "LIMA", None, "2023-05-14"),
        ("Sunday, May 14, 2023 – The trade minister", None, None, "2023-05-14"),
        ("Sunday, 14 May 2023 - The trade minister", None, None, "2023-05-14"),
    ],
)
def test_agency_and_dated_datelines(opening: str, place: str | None, source: str | None, iso: str | None) -> None:
    found = parse_dateline(opening)
    assert found is not None
    assert (found.place, found.source, parse_full_date(found.date_text)) == (place, source, iso)
    assert opening[found.end].isalpha()


@pytest.mark.parametrize(
    "opening",
    [
        "Pune officials (some of them) [reportedly] said the deal was near.",
        "Lima officials [reportedly] agreed (in private): the deal is near.",
        "Sunday - the markets were closed",
        "Exports rose 4% in May / June after the deal.",
    ],
)
def test_prose_openings_are_not_agency_datelines(opening: str) -> None:
    found = parse_dateline(opening)
    assert found is None or found.source is None


def test_a_year_less_agency_dateline_leaves_published_unknown() -> None:
    article = prepare(plain("Mills Reopen\n\nNagpur (Maharashtra) [India], May 14 (PTI): The state signed a deal."))
    assert (article.dateline, article.source, article.published) == ("Nagpur", "PTI", None)
    assert article.text == "The state signed a deal."


# ---- bylines -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "By Tomas Varga",
        "By Tomas Varga, Staff Reporter",
        "BY TOMAS VARGA AND ELIF ARSLAN",
        "By Tomas Varga in Bratislava",
        "By Tomas Varga | May 14, 2023",
        "Tomas Varga, Senior Business Writer",
        "Tomas Varga Senior Reporter",
        "Tomas Varga | Bratislava",
        "Our Correspondent",
        "tvarga / 2023-05-14",
        "Editor: Tomas Varga",
        "Source: Ruritania Wire | 2023-05-14 10:05:33 | Editor: Tomas Varga",
    ],
)
def test_bylines_leave_the_body(line: str) -> None:
    text, head = read_head(f"{line}\nThe two ministers met on Friday in the capital.")
    assert text == "The two ministers met on Friday in the capital."
    assert head.removed == [line]


@pytest.mark.parametrize(
    "line",
    [
        "By Tuesday, the talks had collapsed.",
        "By contrast, exports rose.",
        "By 2030 the port will double in size",
        "Tomas Varga said the talks went well.",
        "Trade Minister Tomas Varga met his counterpart",
        "Editor: the paper's view on the trade deal.",
        "Source: officials close to the talks said so.",
    ],
)
def test_sentences_that_look_like_bylines_stay(line: str) -> None:
    text, head = read_head(f"{line}\nThe two ministers met on Friday in the capital.")
    assert head.removed == [] and text.startswith(line)


def test_a_web_heads_source_editor_and_outlet_are_read() -> None:
    _, head = read_head("Source: Ruritania Wire | 2023-05-14 10:05:33 | Editor: Tomas Varga\nThe ministers met.")
    assert (head.source, head.published) == ("Ruritania Wire", "2023-05-14")
    text, head = read_head("By Tomas Varga (Daily Ruritanian) 09:57, May 14, 2023\nThe ministers met.")
    assert (text, head.source, head.published) == ("The ministers met.", "Daily Ruritanian", "2023-05-14")
    text, head = read_head("By Tomas Varga (Wire correspondent)\nThe ministers met.")
    assert (text, head.source) == ("The ministers met.", None)


def test_a_byline_with_its_outlet_is_not_a_dateline() -> None:
    assert parse_dateline("By Tomas Varga (Daily Ruritanian) The ministers met.") is None
    found = parse_dateline("BRATISLAVA (Daily Ruritanian) - The ministers met.")
    assert found is not None and found.place == "BRATISLAVA"


def test_a_name_alone_is_a_byline_only_above_the_dateline() -> None:
    text, head = read_head("Tomas Varga\nBRATISLAVA (Wire) - Slovakia signed a deal.")
    assert text == "BRATISLAVA (Wire) - Slovakia signed a deal." and head.removed == ["Tomas Varga"]
    text, head = read_head("Tomas Varga\nSlovakia signed a deal with the firm.")
    assert head.removed == [] and text.startswith("Tomas Varga")


def test_names_and_titles() -> None:
    assert is_name("Ana de la Cruz") and is_name("TOMAS VARGA")
    assert not is_name("Sunday May") and not is_name("Tomas") and not is_name("Room 101")
    assert is_journalist_title("Staff Reporter") and is_journalist_title("Senior Business Correspondent")
    assert not is_journalist_title("Trade Minister") and not is_journalist_title("Reporters Without Borders")


# ---- the whole head through prepare --------------------------------------------------------------


def test_head_under_the_headline_gives_the_date_and_leaves_the_body() -> None:
    article = prepare(
        plain(
            "Port Deal Signed\n\nBy Tomas Varga, Staff Reporter\nPublished: Sunday, 14 May 2023\n"
            "Updated: 15 May 2023, 10:05\n\nGDANSK - The port authority signed a deal."
        )
    )
    assert article.headline == "Port Deal Signed"
    assert article.published == "2023-05-14"
    assert article.dateline == "GDANSK"
    assert article.text == "The port authority signed a deal."


def test_an_update_date_is_used_only_when_nothing_else_gives_one() -> None:
    article = prepare(plain("Port Deal Signed\n\nUpdated 15/5/2023 10:05\n\nThe port authority signed a deal."))
    assert article.published == "2023-05-15"
    article = prepare(plain("Port Deal Signed\n\nUpdated 2 hours ago\n\nThe port authority signed a deal."))
    assert article.published is None


def test_a_date_line_above_the_headline() -> None:
    article = prepare(plain("14 May 2023\nPort Deal Signed\n\nThe port authority signed a deal."))
    assert (article.headline, article.published, article.text) == (
        "Port Deal Signed", "2023-05-14", "14 May 2023\n\nThe port authority signed a deal.")


def test_a_date_alone_stays_in_the_text_and_the_dateline_after_it_is_still_cut() -> None:
    article = prepare(plain("Port Deal Signed\n\nSunday, May 14, 2023\nGDANSK - The port authority signed a deal."))
    assert (article.published, article.dateline) == ("2023-05-14", "GDANSK")
    assert article.text == "Sunday, May 14, 2023\nThe port authority signed a deal."


def test_labelled_and_relative_dates_leave_the_text() -> None:
    for line in ("Published: Sunday, 14 May 2023", "Updated 3 hours ago"):
        text, head = read_head(f"{line}\nThe port authority signed a deal.")
        assert text == "The port authority signed a deal." and head.removed == [line]


def test_a_standfirst_and_a_caption_do_not_hide_the_byline() -> None:
    article = prepare(
        plain(
            "Port Deal Signed\n\nA deal worth millions was signed on Sunday.\n"
            "The minister at the quay. (Photo/Elif Arslan)\nTomas Varga Senior Reporter\n"
            "The port authority signed a deal with a shipping firm."
        )
    )
    assert "Varga" not in article.text
    assert article.text.startswith("A deal worth millions was signed on Sunday.")


def test_dates_in_the_body_are_never_the_published_date() -> None:
    article = prepare(
        plain("Port Deal Signed\n\nThe port authority signed a deal.\nIt was announced on 14 May 2023.\n"
              "Work starts in June.\n14 May 2023\nThe end.")
    )
    assert article.published is None


def test_a_date_line_after_two_prose_paragraphs_is_left_alone() -> None:
    text, head = read_head("The authority met.\nThe firm agreed.\n14 May 2023\nMore text.")
    assert head.published is None and "14 May 2023" in text


@pytest.mark.parametrize(
    "line",
    [
        "(Reporting by Tomas Varga; Editing by Elif Arslan.)",
        "(Additional reporting by Tomas Varga in Bratislava and Elif Arslan in Ankara; Writing by Ana de Souza)",
        "Reporting by Tomas Varga; editing by Elif Arslan",
    ],
)
def test_wire_credit_lines_leave_the_foot_of_the_body(line: str) -> None:
    assert is_credit_line(line)
    assert drop_credits(f"The ministers met.\n\n{line}\n") == "The ministers met."


@pytest.mark.parametrize(
    "line",
    [
        "Reporting by the agency showed that exports rose.",
        "(Editing by hand is slow, the minister said.)",
        "Writing by Tomas Varga won a prize in 2020, the ministry said.",
    ],
)
def test_sentences_about_reporting_stay(line: str) -> None:
    assert not is_credit_line(line)
    assert drop_credits(f"The ministers met.\n{line}") == f"The ministers met.\n{line}"


def test_relative_dates_in_metadata_are_never_resolved_against_the_clock() -> None:
    from parley.ingest.dateline import parse_full_date

    for phrase in ("2 hours ago", "in 5 years", "yesterday", "next Friday", "3 days ago"):
        assert parse_full_date(phrase) is None, phrase
    assert parse_full_date("Tue, 05 Mar 2024 10:00:00 GMT") == "2024-03-05"
    assert parse_full_date("5 March 2024") == "2024-03-05"


@pytest.mark.parametrize(
    "line",
    [
        "Posted on March 12, 2024 by Admin",
        "March 12, 2024 by Ana Ruiz",
        "By Ana Ruiz on March 12, 2024",
        "Posted by Ana Ruiz on March 12, 2024",
        "Posted on March 12, 2024 by Web Desk",
    ],
)
def test_a_byline_with_its_date_leaves_and_gives_the_date(line: str) -> None:
    article = prepare(plain(f"Ports deal signed\n{line}\nRuritania and Borduria signed a port deal on Monday."))
    assert article.published == "2024-03-12"
    assert article.text.startswith("Ruritania and Borduria signed")


@pytest.mark.parametrize(
    "line",
    ["On March 12, 2024 the deal was signed by Ruritania and Borduria.", "Exports rose in March 2024 by 12 percent."],
)
def test_prose_with_a_date_and_by_stays(line: str) -> None:
    article = prepare(plain(f"Ports deal signed\n{line}\nRuritania and Borduria signed a port deal on Monday."))
    assert article.text.startswith(line)
