"""One article that spaCy cannot take costs that article only, never its batch or the run."""

from __future__ import annotations

from pathlib import Path

import pytest

import parley
from parley.analysis import pipeline
from parley.document import Article
from parley.errors import SourceError, SourceTooLarge


def _article(n: int, text: str) -> Article:
    return Article(id=f"a{n}", text=text, origin=f"input-{n}")


GOOD = "The Mayor of Lima, Ana Ruiz, met a trade delegation from Peru on Monday."


def _run(articles: list[Article], batch_size: int = 8, **limits: int) -> tuple[list[str], list[tuple[str, Exception]]]:
    failed: list[tuple[str, Exception]] = []
    docs = pipeline.analyze_articles(articles, batch_size=batch_size, **limits,
                                     on_error=lambda article, exc: failed.append((article.id, exc)))
    return [d.article.id for d in docs], failed


def test_a_text_over_the_limit_is_one_skip_and_its_batch_is_analysed() -> None:
    articles = [_article(1, GOOD), _article(2, GOOD + " " + "More words follow here. " * 20), _article(3, GOOD)]
    done, failed = _run(articles, max_chars=200)
    assert done == ["a1", "a3"]
    assert [(n, type(exc)) for n, exc in failed] == [("a2", SourceTooLarge)]
    assert "over the analysis limit of 200 characters" in str(failed[0][1])
    assert str(failed[0][1]).startswith("input-2: ")


def test_the_model_refuses_nothing_parley_accepts() -> None:
    assert pipeline.load_model().max_length == pipeline.MAX_TEXT_CHARS


def test_an_error_inside_spacy_costs_one_article_of_the_batch() -> None:
    # a lone surrogate (from JSON "\ud800") makes spaCy's tokenizer raise inside nlp.pipe
    articles = [_article(1, GOOD), _article(2, "Ana Ruiz said \ud800 it went well."), _article(3, GOOD)]
    done, failed = _run(articles)
    assert done == ["a1", "a3"]
    assert [n for n, _ in failed] == ["a2"]


def test_without_a_handler_the_error_propagates() -> None:
    with pytest.raises(UnicodeEncodeError):
        list(pipeline.analyze_articles([_article(1, "Ana Ruiz said \ud800 hello.")]))


def test_the_public_analyze_says_what_failed() -> None:
    with pytest.raises(SourceError, match="over the analysis limit of 200,000 characters"):
        parley.analyze("Words and more words. " * 10_000, headline="A headline")


def test_a_text_dense_with_marks_is_measured_in_words_and_marks() -> None:
    dense = '"a ' * 30_000  # 90,000 characters, under the character limit, but 60,000 words and marks
    assert pipeline.too_long_reason(dense) == (
        "text of 60,000 words and punctuation marks is over the analysis limit of 50,000 words and "
        "punctuation marks; split it into articles")
    prose = "The mayor met the delegation in the city hall on Monday. " * 2_000  # 114,000 characters
    assert pipeline.too_long_reason(prose) is None


def test_a_good_batch_is_unchanged(tmp_path: Path) -> None:
    articles = [_article(n, GOOD) for n in range(5)]
    done, failed = _run(articles, batch_size=2)
    assert done == [f"a{n}" for n in range(5)] and failed == []


def test_long_texts_are_parsed_in_parts_with_the_same_offsets() -> None:
    paragraph = "The Mayor of Lima, Ana Ruiz, met Bo Li in Chongqing on Monday. Trade ties would deepen.\n\n"
    parts = pipeline.text_parts(paragraph * 40, size=500)
    assert "".join(parts) == paragraph * 40 and all(len(p) <= 500 for p in parts)
    assert all(p.endswith("\n") for p in parts[:-1])  # cut at paragraph ends
    assert "".join(pipeline.text_parts("word " * 300, size=100)) == "word " * 300  # no paragraphs: at spaces
    text = paragraph * 700  # over PART_CHARS
    [doc] = list(pipeline.analyze_articles([_article(1, text)]))
    li = next(e for e in doc.entities if e.name == "Bo Li")
    assert len(li.mentions) == 700 and all(text[m.start:m.end] == "Bo Li" for m in li.mentions)
