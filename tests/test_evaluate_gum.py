"""`parley evaluate gum`: the GUM reader, the figures, and a run on the real folder where it is present."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.document import Article, Document, Entity, Mention, Role, TimeExpression
from parley.evaluate.cli import evaluate
from parley.evaluate.gum import (
    GoldAppos,
    GoldDate,
    GoldMention,
    PredictedDate,
    PredictedRole,
    appos_recalled,
    at_precision,
    evaluate_gum,
    from_parley,
    gold_entities,
    read_document,
    score_dates,
    score_document,
    score_entities,
    scored_dates,
    span_mapper,
    trim_span,
)

from .conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "gum"
MAYOR = FIXTURES / "GUM_news_mayor.xml"
GUM_NEWS = ROOT.parent / "shared" / "data" / "gum_news"
BODY = (
    "Tuesday, March 4, 2025\n\n"
    "Jane Doe, the mayor of Springfield, visited Lisbon on Monday.\n\n"
    'Acme Corp said it would open a sea-front office there in 2026, calling it "a big step".\n\n'
    "Springfield's council welcomed the news."
)


def spans(text: str, *pieces: str) -> list[tuple[int, int]]:
    """The first occurrence of each piece, as (start, end)."""
    return [(text.index(p), text.index(p) + len(p)) for p in pieces]


# -- the reader ----------------------------------------------------------------------------------------


def test_reader_rebuilds_body_headline_and_published_date() -> None:
    document = read_document(MAYOR)
    assert document.name == "mayor"
    assert document.headline == "Mayor opens Lisbon office"
    assert document.published == "2025-03-04"
    assert document.text == BODY  # no caption ("Jane Doe in Lisbon"), no headline, a bare <s> is a paragraph


def test_every_body_token_keeps_its_span_and_others_have_none() -> None:
    document = read_document(MAYOR)
    for token in document.tokens:
        if token.zone == "body":
            assert document.text[token.start : token.end] == token.word
        else:
            assert token.start is None and token.zone in {"head", "caption"}
    assert {t.zone for t in document.tokens} == {"head", "body", "caption"}


def test_tsv_that_does_not_match_the_xml_is_refused(tmp_path: Path) -> None:
    shutil.copy(MAYOR, tmp_path / MAYOR.name)
    tsv = MAYOR.with_suffix(".tsv").read_text(encoding="utf-8").replace("\tvisited\t", "\tvisits\t")
    (tmp_path / "GUM_news_mayor.tsv").write_text(tsv, encoding="utf-8")
    with pytest.raises(ValueError, match="visits"):
        read_document(tmp_path / MAYOR.name)


def test_only_named_body_mentions_of_people_organisations_and_places_are_gold() -> None:
    document = read_document(MAYOR)
    gold = sorted((cls, document.text[s:e]) for cls, s, e in gold_entities(document))
    # not: "the mayor of Springfield" (own words not proper), "it", "Springfield's council",
    # the headline's "Mayor"/"Lisbon" and the caption's "Jane Doe"/"Lisbon"
    assert gold == [
        ("org", "Acme Corp"),
        ("person", "Jane Doe"),
        ("place", "Lisbon"),
        ("place", "Springfield"),
        ("place", "Springfield"),
    ]
    acme = next(m for m in document.mentions if m.text == "Acme Corp")
    assert acme.identity == "Acme_Corporation" and acme.named


def test_dates_and_appositions_are_read() -> None:
    document = read_document(MAYOR)
    assert [(d.text, d.value, d.value_end) for d in scored_dates(document)] == [
        ("Tuesday, March 4, 2025", "2025-03-04", None),
        ("Monday", "2025-03-03", None),
        ("2026", "2026", None),
    ]
    [appos] = document.appositions
    assert (appos.name.text, appos.appositive.text, appos.either_way) == ("Jane Doe", "mayor of Springfield", False)
    assert document.appos_links == 1


def test_trim_span_drops_a_leading_the_and_a_possessive() -> None:
    text = "the United States's envoy"
    assert text[slice(*trim_span(text, 0, 19))] == "United States"
    assert trim_span("The", 0, 3) == (0, 3)  # nothing would be left


# -- the figures ---------------------------------------------------------------------------------------


def test_entity_matching_exact_and_lenient() -> None:
    gold = {("person", 0, 8), ("place", 20, 26)}
    predicted = {("person", 5, 8), ("place", 20, 26), ("org", 30, 34)}
    counts = score_entities(gold, predicted)
    assert (counts["tp"], counts["fp"], counts["fn"]) == (1, 2, 1)
    assert counts["lenient_tp"] == 2  # "Doe" overlaps "Jane Doe"
    assert score_entities({("person", 0, 8)}, {("org", 0, 8)})["lenient_tp"] == 0  # the class must agree


def test_a_gpe_is_an_organisation_where_gum_has_one() -> None:
    gold = {("org", 0, 11), ("place", 20, 26)}  # "North Korea said ... in Seoul"
    counts = score_entities(gold, {("gpe", 0, 11), ("gpe", 20, 26), ("gpe", 40, 45)})
    assert (counts["org_tp"], counts["place_tp"], counts["place_fp"]) == (1, 1, 1)


def test_a_date_is_right_at_the_golds_precision() -> None:
    assert at_precision("2017-07-18", "2017") and at_precision("2017", "2017")
    assert not at_precision("2017", "2017-07-18") and not at_precision(None, "2017")
    gold = [
        GoldDate(0, 0, {"when": "2017"}, start=0, end=4, text="2017", value="2017"),
        GoldDate(
            1,
            2,
            {"from": "2017-07-10", "to": "2017-07-16"},
            start=10,
            end=19,
            text="last week",
            value="2017-07-10",
            value_end="2017-07-16",
        ),
        GoldDate(3, 3, {"when": "2017-07-18"}, start=30, end=37, text="Tuesday", value="2017-07-18"),
    ]
    predicted = [
        PredictedDate(0, 4, "2017", "2017"),
        PredictedDate(10, 19, "last week", "2017-07-11", "2017-07-11"),  # a day, not the week
    ]
    misses: list[str] = []
    counts = score_dates(gold, predicted, misses)
    assert (counts["date_n"], counts["date_found"], counts["date_correct"]) == (3, 2, 1)
    assert len(misses) == 2 and "not found" in misses[1]


def _appos(text: str) -> GoldAppos:
    (ns, ne), (as_, ae) = spans(text, "Jane Doe", "the mayor of Springfield")
    return GoldAppos(
        name=GoldMention("5", "person", 0, 1, named=True, start=ns, end=ne, text="Jane Doe"),
        appositive=GoldMention("6", "person", 3, 6, start=as_, end=ae, text=text[as_:ae]),
    )


def test_an_apposition_is_recalled_by_a_role_on_the_appositive_or_worded_from_it() -> None:
    text = BODY
    appos = _appos(text)
    (jane, doe, mayor, lisbon) = spans(text, "Jane Doe", "Doe", "mayor", "Lisbon")
    assert appos_recalled(appos, [PredictedRole([doe], "mayor", *mayor)], text)
    assert appos_recalled(appos, [PredictedRole([jane], "Mayor of Springfield")], text)  # no offsets: words
    assert not appos_recalled(appos, [PredictedRole([jane], "governor")], text)
    assert not appos_recalled(appos, [PredictedRole([lisbon], "mayor", *mayor)], text)  # not the named one


def test_span_mapper_follows_cleaning() -> None:
    assert span_mapper("abc", "abc")(0, 2) == (0, 2)
    assert span_mapper("Jane Doe", "Dateline - Jane Doe")(0, 4) == (11, 15)
    cleaned = "Jane Doe met the mayorof Springfield."
    original = "Monday\n\nJane Doe met the mayor of Springfield."
    to_original = span_mapper(cleaned, original)
    s, e = spans(cleaned, "Springfield")[0]
    assert original[slice(*to_original(s, e))] == "Springfield"
    assert to_original(*spans(cleaned, "mayorof")[0]) is None  # a changed word does not align


def _parley_document(text: str) -> Document:
    (jane, mayor, spring, lisbon, acme, monday) = spans(
        text, "Jane Doe", "mayor", "Springfield", "Lisbon", "Acme Corp", "Monday"
    )

    def mention(span: tuple[int, int]) -> Mention:
        return Mention(span[0], span[1], text[span[0] : span[1]])

    return Document(
        article=Article(id="x", text=text, published="2025-03-04"),
        entities=[
            Entity("e1", "PERSON", "Jane Doe", roles=[Role("mayor", "Springfield", *mayor)], mentions=[mention(jane)]),
            Entity("e2", "GPE", "Springfield", mentions=[mention(spring)]),
            Entity("e3", "GPE", "Lisbon", mentions=[mention(lisbon)]),
            Entity("e4", "PERSON", "Acme Corp", mentions=[mention(acme)]),  # wrong class
        ],
        dates=[TimeExpression("t1", "Monday", *monday, value="2025-03-03", precision="day")],
    )


def test_a_parley_document_is_scored_against_the_gold() -> None:
    document = read_document(MAYOR)
    prediction = from_parley(_parley_document(document.text), document.text)
    misses: list[str] = []
    counts = score_document(document, prediction, misses)
    assert (counts["tp"], counts["fp"], counts["fn"]) == (3, 1, 2)  # Acme as a person; the 2nd Springfield
    assert (counts["date_n"], counts["date_found"], counts["date_correct"]) == (3, 1, 1)
    assert (counts["appos_n"], counts["appos_hit"]) == (1, 1)
    assert "missed org 'Acme Corp'" in misses and "spurious person 'Acme Corp'" in misses


def test_a_parley_document_on_a_cleaned_text_maps_back() -> None:
    document = read_document(MAYOR)
    cleaned = document.text.split("\n\n", 1)[1]  # the dateline paragraph cut
    prediction = from_parley(_parley_document(cleaned), document.text)
    counts = score_document(document, prediction)
    assert counts["tp"] == 3 and counts["appos_hit"] == 1 and counts["date_correct"] == 1


# -- the command ---------------------------------------------------------------------------------------


def test_missing_data_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(evaluate, ["gum", "--data", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "nowhere" in result.output


@pytest.mark.slow
def test_command_on_the_fixture_prints_figures_for_both_systems() -> None:
    result = CliRunner().invoke(evaluate, ["gum", "--data", str(FIXTURES), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["documents"] == 1
    for system in ("parley", "spacy_alone"):
        assert figures[system]["gold_mentions"] == 5 and figures[system]["date_n"] == 3
        assert figures[system]["appos_n"] == 1
    table = CliRunner().invoke(evaluate, ["gum", "--data", str(FIXTURES), "--no-baseline", "--verbose"])
    assert table.exit_code == 0 and "entity_f1" in table.output and "spacy alone" not in table.output


@pytest.mark.slow
def test_gum_news_figures() -> None:
    if not GUM_NEWS.is_dir():
        pytest.skip(f"GUM news is not beside this checkout ({GUM_NEWS})")
    result = evaluate_gum(GUM_NEWS)
    assert result["documents"] == 16
    for system in ("parley", "spacy_alone"):
        figures = result[system]
        assert figures["gold_mentions"] > 500 and figures["date_n"] > 90 and figures["appos_n"] > 20
        rates = [v for v in figures.values() if isinstance(v, float)]
        assert all(0.0 <= v <= 1.0 for v in rates)
        assert figures["entity_f1_lenient"] >= figures["entity_f1"] > 0.3
    assert Counter(result["parley"].keys()) == Counter(result["spacy_alone"].keys())
