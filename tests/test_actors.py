"""People, roles, organisations, groups, countries and sectors, on sentences written for these tests."""

from __future__ import annotations

import pytest

import parley
from parley.analysis.actors import organisation_sector
from parley.document import Document

from .sentences import analyse, person, roles


def check_offsets(doc: Document) -> None:
    for entity in doc.entities:
        for role in entity.roles:
            assert role.start is not None and role.end is not None
            span = doc.article.text[role.start : role.end]
            assert role.title.split()[-1] in span or role.title == "head", (role, span)


@pytest.mark.parametrize(
    "text, name, expected",
    [
        # apposition after the name, with two roles joined by "and"
        ("Maria Santos, the expedition leader and governor of Minas Gerais, arrived in Lisbon.",
         "Maria Santos", {("expedition leader", None), ("governor", "Minas Gerais")}),
        # post-posed after a reporting verb
        ('"We are ready," said Tomas Novak, deputy mayor of Brno.', "Tomas Novak", {("deputy mayor", "Brno")}),
        # pre-modifier with a place, and a title folded into the name by the recogniser
        ("Lagos Governor Babajide Okafor opened the port.", "Babajide Okafor", {("governor", "Lagos")}),
        ("Executive Vice President Hannah Keller toured the plant.", "Hannah Keller",
         {("executive vice president", None)}),
        # pre-modifier with a company
        ("Siemens CEO Roland Busch visited Delhi.", "Roland Busch", {("ceo", "Siemens")}),
        # "who serves as"
        ("Kwame Mensah, who serves as chief executive of Volta Cocoa, signed the deal.", "Kwame Mensah",
         {("chief executive", "Volta Cocoa")}),
        # possessive and apposition before the name
        ("The talks were opened by Peru's trade minister, Elena Quispe, in Lima.", "Elena Quispe",
         {("trade minister", "Peru")}),
        ("They met the mayor of Porto, Rui Costa, on Monday.", "Rui Costa", {("mayor", "Porto")}),
    ],
)
def test_each_way_of_writing_a_title(text: str, name: str, expected: set) -> None:
    doc = analyse(text)
    assert expected <= roles(person(doc, name))
    check_offsets(doc)


def test_title_is_not_part_of_the_name() -> None:
    doc = analyse("Mayor Sadiq Rahman met the press.")
    assert person(doc, "Sadiq Rahman").name == "Sadiq Rahman"


def test_surname_joins_the_full_name_even_when_labelled_an_organisation() -> None:
    doc = analyse("Ingrid Dahl, director of the Nordic Fund, spoke first. Dahl said trade would grow.")
    entity = person(doc, "Ingrid Dahl")
    assert "Dahl" in entity.aliases and len(entity.mentions) == 2


def test_whole_organisation_name_with_its_location() -> None:
    doc = analyse("Anders Berg, chairman of the Swedish Chamber of Commerce in Japan, spoke in Tokyo.")
    orgs = {e.name for e in doc.entities if e.type == "ORG"}
    assert "Swedish Chamber of Commerce in Japan" in orgs
    org = next(e for e in doc.entities if e.name == "Swedish Chamber of Commerce in Japan")
    assert (org.country, org.sector) == ("SWE", "BUS")  # the foreign party, not where it sits
    assert person(doc, "Anders Berg").country == "SWE"


def test_group_with_members_country_and_later_mentions() -> None:
    doc = analyse(
        "A delegation of ministers from Ghana arrived in Berlin on Monday. "
        "The delegation later toured a car factory."
    )
    groups = [e for e in doc.entities if e.type == "GROUP"]
    assert len(groups) == 1
    group = groups[0]
    assert group.country == "GHA" and group.sector == "GOV"
    assert group.members == "ministers"
    assert len(group.mentions) == 2


def test_groups_of_different_countries_stay_apart() -> None:
    doc = analyse("The Kenyan delegation met the Japanese delegation in Nairobi.")
    groups = sorted((e.country for e in doc.entities if e.type == "GROUP"), key=str)
    assert groups == ["JPN", "KEN"]


@pytest.mark.parametrize(
    "text, name, country, sector",
    [
        ("Rui Costa, mayor of Porto, spoke.", "Rui Costa", "PRT", "GOV"),
        ("Lena Vogel, professor of economics at the University of Vienna, spoke.", "Lena Vogel", "AUT", "EDU"),
        ("Omar Haddad, editor of the Jordan Times, spoke.", "Omar Haddad", "JOR", "JRN"),
        ("Chen Wei, president of Shanghai Electric Group, spoke.", "Chen Wei", "CHN", "BUS"),
        ("Anna Kowalski, president of Poland, spoke.", "Anna Kowalski", "POL", "GOV"),
    ],
)
def test_country_and_sector_of_people_from_their_roles(text: str, name: str, country: str, sector: str) -> None:
    entity = person(analyse(text), name)
    assert (entity.country, entity.sector) == (country, sector)


@pytest.mark.parametrize(
    "name, sector",
    [
        ("Danish Chamber of Commerce", "BUS"),
        ("Lyon Municipal Commission of Commerce", "GOV"),
        ("Ministry of Foreign Affairs", "GOV"),
        ("University of Ghana", "EDU"),
        ("World Bank", "GOV"),
        ("National Assembly", "LEG"),
        ("Red Cross", "SOC"),
        ("Tata Motors", "BUS"),
        ("Korle Bu Teaching Hospital", "MED"),
        ("Quantum Widgets", None),
    ],
)
def test_organisation_sector_from_its_name(name: str, sector: str | None) -> None:
    assert organisation_sector(name) == sector


def test_places_are_geocoded_and_merged() -> None:
    doc = analyse("The United States and the US Treasury: ministers from the United States met in Nairobi.")
    places = {e.name: e for e in doc.entities if e.type in {"GPE", "LOC"}}
    assert places["Nairobi"].country == "KEN"
    assert places["Nairobi"].geo and abs(places["Nairobi"].geo["lat"] - (-1.28)) < 0.2
    usa = [e for e in doc.entities if e.country == "USA" and e.type == "GPE"]
    assert len(usa) == 1


def test_dateline_is_geocoded() -> None:
    doc = parley.analyze("Port Deal Signed\nMOMBASA - Kenya signed a port deal on Monday.")
    assert doc.article.dateline_geo is not None
    assert doc.article.dateline_geo["country"] == "KEN"


def test_no_role_without_a_title() -> None:
    doc = analyse("Maria Lopez, a 40-year-old from Quito, said the fair was busy.")
    assert person(doc, "Maria Lopez").roles == []


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # an office holder who addresses the story's country is its visitor
        ("LIMA, May 2 - Foreign Minister Carl Berg urged Peru to lower its tariffs on wine from Chile. "
         "Berg said Chile wants a trade deal with Peru soon.", "CHL"),
        # contrast: he addresses the other country, so he is at home
        ("LIMA, May 2 - Foreign Minister Carl Berg urged Chile to lower its tariffs on fish from Peru. "
         "Berg said Peru wants a trade deal with Chile soon.", "PER"),
        # an office holder met by one firmly of the story's country is its visitor
        ("LIMA, May 2 - Peruvian Trade Minister Ana Cruz met Foreign Minister Carl Berg on Monday. "
         "Berg said Chile wants a trade deal with Peru soon.", "CHL"),
        # contrast: his own words give his country, so there is no guess to change
        ("LIMA, May 2 - Peruvian Trade Minister Ana Cruz met Foreign Minister Carl Berg of Peru on Monday. "
         "Berg said Chile wants a trade deal with Peru soon.", "PER"),
    ],
)
def test_an_office_holder_who_engages_the_storys_country_is_its_visitor(text: str, country: str) -> None:
    assert person(analyse(text), "Carl Berg").country == country
