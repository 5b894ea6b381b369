"""The analyzer end to end on articles written for these tests (loads the spaCy model)."""

from __future__ import annotations

import json

import pytest

import parley
from parley.analysis.pipeline import load_model
from parley.document import Document
from parley.errors import ModelError

ARTICLE = """date 2023-06-14 Kenyan Ministers Tour Danish Wind Farm
ESBJERG, (Nordic Wire - 14th Jun, 2023) A delegation of Kenyan ministers visited the Horns Rev wind farm on Tuesday.
Amina Odhiambo, the energy minister of Kenya, met Lars Jensen, chief executive of Orsted, in Esbjerg.
Odhiambo said the visit showed what Denmark could offer Kenya.
"""


@pytest.fixture(scope="module")
def document() -> Document:
    return parley.analyze(ARTICLE, file="kenya.txt")


def test_article_fields(document: Document) -> None:
    article = document.article
    assert article.headline == "Kenyan Ministers Tour Danish Wind Farm"
    assert article.published == "2023-06-14"
    assert article.dateline == "ESBJERG"
    assert article.source == "Nordic Wire"
    assert article.file == "kenya.txt"
    assert article.text.startswith("A delegation of Kenyan ministers")


def test_entities_are_typed_grouped_and_point_into_the_text(document: Document) -> None:
    people = {e.name: e for e in document.entities if e.type == "PERSON"}
    assert "Amina Odhiambo" in people
    assert "Odhiambo" in people["Amina Odhiambo"].aliases
    assert len(people["Amina Odhiambo"].mentions) == 2
    places = {e.name for e in document.entities if e.type in {"GPE", "LOC"}}
    assert {"Kenya", "Esbjerg", "Denmark"} <= places
    ids = [e.id for e in document.entities]
    assert len(ids) == len(set(ids))
    for entity in document.entities:
        for mention in entity.mentions:
            assert document.article.text[mention.start : mention.end] == mention.text


def test_document_json_round_trip(document: Document) -> None:
    data = json.loads(document.to_json())
    assert data["schema"] == "parley.article/1"
    assert set(data) == {"schema", "article", "entities", "quotes", "events", "dates"}
    assert Document.from_dict(data) == document


def test_no_date_is_invented() -> None:
    document = parley.analyze("Talks Resume\n\nThe two sides met again on Monday in Geneva.")
    assert document.article.published is None


def test_unknown_model_is_a_clear_error() -> None:
    with pytest.raises(ModelError, match="no_such_pipeline"):
        load_model("no_such_pipeline")


def test_unused_pipes_are_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    from parley.analysis import pipeline

    only_ner = (pipeline.Step("entities", lambda doc, document: None, requires=("ner",)),)
    monkeypatch.setattr(pipeline, "STEPS", only_ner)
    load_model.cache_clear()
    try:
        nlp = load_model()
        assert nlp.pipe_names == ["ner"]  # the small model's ner has its own tok2vec
    finally:
        load_model.cache_clear()
