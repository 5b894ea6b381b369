"""A person's country and sector from roles built by hand (the roles step is tested elsewhere): the
body of the role, a demonym in it, an organisation the article knows, a posting abroad."""

from __future__ import annotations

import pytest

from parley.analysis.actors import assign_actor
from parley.document import Article, Document, Entity, Mention, Role


def person_with(role_text: str, title: str, of: str | None, *extra: Entity) -> Entity:
    text = f"{role_text} Ana Ruiz spoke on Monday."
    doc = Document(article=Article(id="a1", text=text))
    name_at = text.index("Ana Ruiz")
    person = Entity(id="e1", type="PERSON", name="Ana Ruiz", mentions=[Mention(name_at, name_at + 8, "Ana Ruiz")],
                    roles=[Role(title=title, of=of, start=0, end=len(role_text))])
    doc.entities = [person, *extra]
    for entity in extra:
        assign_actor(entity, doc)
    assign_actor(person, doc)
    return person


@pytest.mark.parametrize(
    "role_text, title, of, country, sector",
    [
        ("Peru's trade minister", "trade minister", "Peru", "PER", "GOV"),
        ("Thai Industry Minister", "Industry Minister", "Thai", "THA", "GOV"),
        ("Governor of Sonora", "Governor", "Sonora", "MEX", "GOV"),
        ("mayor of Lima", "mayor", "Lima", "PER", "GOV"),
        ("EU Trade Commissioner", "Trade Commissioner", "EU", "EUR", "GOV"),
        ("director of the World Bank", "director", "World Bank", "IGO", "GOV"),
        ("chairman of the Peru Chamber of Commerce in China", "chairman", "Peru Chamber of Commerce in China",
         "PER", "BUS"),
        ("professor at the University of Vienna", "professor", "University of Vienna", "AUT", "EDU"),
    ],
)
def test_country_and_sector_from_the_body_of_a_role(role_text: str, title: str, of: str, country: str,
                                                    sector: str) -> None:
    person = person_with(role_text, title, of)
    assert (person.country, person.sector) == (country, sector)


def test_an_organisation_the_article_knows_gives_its_country() -> None:
    acme = Entity(id="e2", type="ORG", name="Andes Copper Corporation of Chile", mentions=[Mention(0, 4, "Andes")])
    person = person_with("CEO of Andes Copper Corporation of Chile", "CEO", "Andes Copper Corporation of Chile", acme)
    assert acme.country == "CHL" and person.country == "CHL" and person.sector == "BUS"


def test_ambassador_to_a_country_is_not_that_countrys() -> None:
    assert person_with("ambassador to Japan", "ambassador", "Japan").country is None
    assert person_with("Kenya's ambassador to Japan", "ambassador", "Kenya").country == "KEN"


def test_a_portfolio_is_not_a_place() -> None:
    # "External Affairs" must not be looked up as whatever place a gazetteer can stretch it to
    assert person_with("Secretary for External Affairs", "Secretary", "External Affairs").country is None
