"""`Store.quotes` filters by speaker country, organisation and stance, and says who each speaker is."""

from __future__ import annotations

import json

import pytest

from parley.document import Article, Document, Entity, Mention, Quote, Role
from parley.store import Store

TEXT = ("Ana Ruiz, deputy mayor of Lima, said trade would grow. Acme Corp said it was wary. "
        "Jo Park of the Seoul Chamber said talks went well. A delegation from Kenya said little.")


def _at(text: str, piece: str) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


def quote(qid: str, piece: str, speaker: str | None, stance: float | None, kind: str = "indirect",
          cue: str = "said", speaker_text: str | None = None) -> Quote:
    start, end = _at(TEXT, piece)
    return Quote(id=qid, text=piece, start=start, end=end, speaker=speaker, speaker_text=speaker_text,
                 cue=cue, kind=kind, stance=stance)


def make_doc(aid: str = "a" * 40, published: str = "2025-03-21") -> Document:
    """Four speakers: a person with a role, an ORG, a person of an org, a GROUP; and one with none."""
    return Document(
        article=Article(id=aid, text=TEXT, published=published, headline="Talks"),
        entities=[
            Entity(id="e1", type="PERSON", name="Ana Ruiz", aliases=["Ruiz"], country="PER", sector="GOV",
                   roles=[Role("deputy mayor", "Lima", 10, 22), Role("chair", "Pacific Trade Council")],
                   mentions=[Mention(0, 8, "Ana Ruiz")]),
            Entity(id="e2", type="ORG", name="Acme Corp", country="USA", sector="BUS",
                   mentions=[Mention(*_at(TEXT, "Acme Corp"), "Acme Corp")]),
            Entity(id="e3", type="PERSON", name="Jo Park", country="KOR", sector="BUS",
                   roles=[Role("member", "Seoul Chamber of Commerce")],
                   mentions=[Mention(*_at(TEXT, "Jo Park"), "Jo Park")]),
            Entity(id="e4", type="GROUP", name="a delegation from Kenya", country="KEN",
                   aliases=["the Kenyan delegation"]),
        ],
        quotes=[
            quote("q1", "trade would grow", "e1", 0.6, speaker_text="Ana Ruiz"),
            quote("q2", "it was wary", "e2", -0.4, cue="said", speaker_text="Acme Corp"),
            quote("q3", "talks went well", "e3", 0.8, kind="direct", speaker_text="Jo Park"),
            quote("q4", "little", "e4", None, speaker_text="A delegation"),
            quote("q5", "Lima", None, 0.0, speaker_text="an aide"),
        ],
    )


@pytest.fixture
def store(store_url):
    with Store(store_url) as s:
        s.add(make_doc())
        yield s


def ids(rows: list[dict]) -> list[str]:
    return sorted(r["id"] for r in rows)


def test_rows_carry_the_speakers_country_roles_and_affiliation(store):
    rows = {r["id"]: r for r in store.quotes()}
    assert rows["q1"]["speaker"] == "Ana Ruiz" and rows["q1"]["speaker_country"] == "PER"
    assert rows["q1"]["speaker_type"] == "PERSON"
    assert rows["q1"]["speaker_roles"] == [{"title": "deputy mayor", "of": "Lima"},
                                           {"title": "chair", "of": "Pacific Trade Council"}]
    assert rows["q1"]["speaker_affiliation"] == ["Lima", "Pacific Trade Council"]
    assert rows["q2"]["speaker_affiliation"] == ["Acme Corp"] and rows["q2"]["speaker_roles"] == []
    assert rows["q4"]["speaker_affiliation"] == ["a delegation from Kenya"]
    assert rows["q5"]["speaker"] == "an aide" and rows["q5"]["speaker_country"] is None
    assert rows["q5"]["speaker_roles"] == [] and rows["q5"]["speaker_affiliation"] == []
    json.dumps(list(rows.values()))


def test_speaker_country(store):
    assert ids(store.quotes(speaker_country="PER")) == ["q1"]
    assert ids(store.quotes(speaker_country="kor")) == ["q3"]  # any case
    assert store.quotes(speaker_country="GBR") == []


def test_organisation_is_a_role_of_or_the_speakers_own_name(store):
    assert ids(store.quotes(organisation="chamber")) == ["q3"]  # Jo Park, member of the Seoul Chamber
    assert ids(store.quotes(organisation="LIMA")) == ["q1"]  # a role's `of`, any case
    assert ids(store.quotes(organisation="trade council")) == ["q1"]  # any of the roles
    assert ids(store.quotes(organisation="acme")) == ["q2"]  # an ORG speaker is its own organisation
    assert ids(store.quotes(organisation="kenyan")) == ["q4"]  # a GROUP too, by alias
    assert store.quotes(organisation="ruiz") == []  # a person's name is not an organisation
    assert store.quotes(organisation="%") == [] and store.quotes(organisation="_") == []


def test_stance_bounds_are_inclusive_and_skip_quotes_without_one(store):
    assert ids(store.quotes(min_stance=0.6)) == ["q1", "q3"]
    assert ids(store.quotes(max_stance=0.0)) == ["q2", "q5"]
    assert ids(store.quotes(min_stance=-0.5, max_stance=0.5)) == ["q2", "q5"]
    assert len(store.quotes()) == 5  # no bound: the quote without a stance is listed


def test_filters_combine(store):
    assert ids(store.quotes(speaker_country="KOR", organisation="chamber", kind="direct", min_stance=0.5)) == ["q3"]
    assert store.quotes(speaker_country="PER", organisation="chamber") == []
    assert ids(store.quotes(speaker="ruiz", cue="said", organisation="lima")) == ["q1"]


def test_roles_stay_with_their_own_article(store):
    other = make_doc("b" * 40, published="2024-01-01")
    other.entities[0].roles = [Role("mayor", "Cusco")]
    assert store.add(other).status == "near-duplicate"  # same text: listed only on request
    rows = store.quotes(speaker="ruiz", include_duplicates=True)
    assert [(r["article_id"][0], r["speaker_affiliation"]) for r in rows] == [
        ("a", ["Lima", "Pacific Trade Council"]), ("b", ["Cusco"])]
    assert [r["article_id"][0] for r in store.quotes(organisation="cusco", include_duplicates=True)] == ["b"]



def test_parley_quotes_filters_and_shows_country_and_stance(store_url):
    from click.testing import CliRunner

    from parley.cli import main

    db = store_url
    with Store(db) as s:
        s.add(make_doc())

    def run(*args: str) -> str:
        result = CliRunner().invoke(main, ["quotes", "--db", db, *args], catch_exceptions=False,
                                    env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        return result.output

    table = run("--country", "PER")
    assert "Ana Ruiz" in table and "PER" in table and "0.6" in table and "trade would grow" in table
    assert "Acme" not in table
    header = next(line for line in table.splitlines() if "speaker" in line)
    assert [c.strip() for c in header.strip("┃ ").split("┃")] == [
        "speaker", "speaker country", "cue", "kind", "stance", "text", "article id"]
    rows = json.loads(run("--org", "chamber", "--kind", "direct", "--cue", "said", "--json"))
    assert [(r["id"], r["speaker_affiliation"]) for r in rows] == [("q3", ["Seoul Chamber of Commerce"])]
    rows = json.loads(run("--min-stance", "-0.5", "--max-stance", "0.5", "--json"))
    assert sorted(r["id"] for r in rows) == ["q2", "q5"]
    assert [json.loads(line)["id"] for line in run("--speaker", "park", "--nl").splitlines()] == ["q3"]
    assert run("--org", "acme", "--csv").splitlines()[0].startswith("speaker,speaker_country,cue,kind,stance,text")
    bad = CliRunner().invoke(main, ["quotes", "--db", db, "--min-stance", "2"])
    assert bad.exit_code == 2
