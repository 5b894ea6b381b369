"""Parley from Python, as an analyst uses it: a short repr, DataFrames, many texts at once, and the
JSON Schema of `parley.article/1` shipped in the package and met by real documents."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

import parley
from parley.document import SCHEMA_FILE, Document, json_schema
from parley.errors import SourceError
from parley.store import Store

from .test_store import make_doc, other_doc

# Invented articles (no names or sentences from any data set).
RURITANIA = ("Ruritanian Trade Minister Anna Vok visited Freedonia on Monday, where she met President "
             "Tomas Brel. \"We are ready to invest in Freedonian ports,\" Vok said. The two governments "
             "signed an agreement on renewable energy in March.")
FREEDONIA = ("A delegation of Freedonian business leaders travelled to Lima on 12 May 2025 for talks on "
             "trade. Mayor Ana Ruiz said the city hoped to deepen ties with Freedonia.")


# --- repr ---------------------------------------------------------------------------------------

def test_repr_is_one_short_line_that_names_the_article() -> None:
    doc = make_doc()
    shown = repr(doc)
    assert shown == ("Document(id='" + "a" * 40 + "', headline='British Mayors Seek Deals', published='2025-03-21', "
                     "entities=3, quotes=2, events=2)")
    assert doc.article.text[50:90] not in shown and "\n" not in shown


def test_repr_cuts_a_long_headline() -> None:
    doc = make_doc(headline="A very long headline " * 10)
    assert len(repr(doc)) < 200 and "…" in repr(doc)


# --- DataFrames ---------------------------------------------------------------------------------

def test_a_document_gives_its_entities_quotes_and_events_as_dataframes() -> None:
    pd = pytest.importorskip("pandas")
    frames = make_doc().to_dataframes()
    assert set(frames) == {"entities", "quotes", "events"}
    events, quotes, entities = frames["events"], frames["quotes"], frames["entities"]
    assert list(events["type"]) == ["CONSULT", "AGREE"]
    assert events.loc[0, "actors"] == ["Richard Parker"] and events.loc[0, "place"] == "Chongqing"
    assert events.loc[0, "date_start"] == pd.Timestamp("2025-03-19") and pd.isna(events.loc[1, "date_start"])
    assert pd.api.types.is_datetime64_any_dtype(events["date_start"])
    assert str(events["negated"].dtype) == "boolean" and events.loc[0, "place_lat"] == 29.56
    assert list(quotes["speaker"].fillna("-")) == ["Richard Parker", "-"]
    assert list(entities["name"]) == ["Richard Parker", "Chongqing", "Changan Automobile"]
    assert str(entities["geonameid"].dtype) == "Int64"
    assert (events["article_id"] == "a" * 40).all()


def test_an_empty_document_gives_empty_frames_with_every_column() -> None:
    pytest.importorskip("pandas")
    doc = make_doc()
    doc.events, doc.quotes = [], []
    frames = doc.to_dataframes()
    assert len(frames["events"]) == 0 and "actors" in frames["events"].columns
    assert "speaker" in frames["quotes"].columns


def test_store_listings_become_dataframes(store_url: str) -> None:
    pytest.importorskip("pandas")
    with Store(store_url) as store:
        store.add_many([make_doc(), other_doc()])
        events = store.events(limit=None)
        assert isinstance(events, list) and len(events) == 4
        frame = events.to_pandas()
        assert len(frame) == 4 and {"type", "article_id", "when_start"} <= set(frame.columns)
        assert sorted(frame["type"]) == ["AGREE", "AGREE", "CONSULT", "CONSULT"]
        assert len(store.quotes(limit=None).to_pandas()) == 4
        json.dumps(events)  # still a plain list of dicts


# --- the JSON Schema ----------------------------------------------------------------------------

def _validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors(validator, data: dict) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(data)]


def test_the_json_schema_is_shipped_in_the_package() -> None:
    shipped = files("parley").joinpath("resources", SCHEMA_FILE)
    assert json.loads(shipped.read_text(encoding="utf-8"))["title"] == "parley.article/1"


def test_hand_made_documents_meet_the_schema_and_broken_ones_do_not() -> None:
    validator = _validator()
    for doc in (make_doc(), other_doc()):
        assert _errors(validator, doc.to_dict()) == []
    broken = make_doc().to_dict()
    broken["events"][0]["type"] = "VISIT"  # not a PLOVER type
    broken["events"][1]["date"]["start"] = "21/03/2025"  # not an ISO date
    broken["entities"][0]["country"] = "GB"  # not alpha-3
    broken["quotes"][0]["start"] = -1
    del broken["article"]["text"]
    assert len(_errors(validator, broken)) == 5


@pytest.mark.slow
def test_documents_from_analyze_meet_the_schema() -> None:
    validator = _validator()
    for text in (RURITANIA, FREEDONIA):
        data = json.loads(parley.analyze(text, headline="Invented", published="2025-05-14").to_json())
        assert data["entities"] and _errors(validator, data) == []


# --- analyze_many -------------------------------------------------------------------------------

@pytest.mark.slow
def test_analyze_many_yields_the_documents_of_analyze_in_order() -> None:
    items = [RURITANIA, {"text": FREEDONIA, "headline": "Talks in Lima", "published": "2025-05-14", "url": "u:1"},
             RURITANIA + " Vok also met Freedonian students."]
    many = list(parley.analyze_many(items))
    assert all(isinstance(d, Document) for d in many) and len(many) == 3
    assert many[0] == parley.analyze(RURITANIA)
    assert many[1] == parley.analyze(FREEDONIA, headline="Talks in Lima", published="2025-05-14", url="u:1")
    assert many[1].article.url == "u:1" and many[1].article.headline == "Talks in Lima"
    assert "students" in many[2].article.text


@pytest.mark.slow
def test_analyze_many_names_the_text_that_failed() -> None:
    broken = "Words and more words. " * 15_000  # over the analysis limit
    items = [RURITANIA, "   ", {"text": broken, "file": "odd.txt"}, FREEDONIA]
    results = list(parley.analyze_many(items, errors="yield"))
    assert [type(r).__name__ for r in results] == ["Document", "SourceError", "SourceError", "Document"]
    assert results[1].origin == "texts[1]" and results[2].origin == "texts[2] (odd.txt)"
    assert "over the analysis limit" in results[2].reason
    got: list[Document] = []
    with pytest.raises(SourceError, match=r"^texts\[1\]: "):
        for doc in parley.analyze_many(items):
            got.append(doc)
    assert len(got) == 1  # the documents before the failure came out first


def test_analyze_many_refuses_what_is_not_an_article() -> None:
    with pytest.raises(TypeError, match=r"texts\[0\].*'text'"):
        list(parley.analyze_many([{"body": "words"}]))
    with pytest.raises(ValueError, match="errors"):
        list(parley.analyze_many([], errors="skip"))
