"""Country of actors from the words around them, international bodies and PLOVER sectors, on
sentences written for these tests (each rule with a sentence it must not fire on)."""

from __future__ import annotations

import pytest

import parley
from parley.analysis import affiliation
from parley.analysis.actors import assign_actor, organisation_sector
from parley.analysis.bodies import international_body
from parley.document import Document, Entity, Mention

from .sentences import analyse


def entity(doc: Document, name: str, *types: str) -> Entity:
    found = [e for e in doc.entities if (not types or e.type in types) and name in (e.name, *e.aliases)]
    assert found, f"no {name!r} in {[(e.type, e.name) for e in doc.entities]}"
    return found[0]


# --------------------------------------------------------------------------- international bodies


@pytest.mark.parametrize(
    "name, code",
    [
        ("UN Security Council", "UNO"),
        ("the United Nations", "UNO"),
        ("U.N.", "UNO"),
        ("EU", "EUR"),
        ("European Commission", "EUR"),
        ("World Bank", "IGO"),
        ("IMF", "IGO"),
        ("Amnesty International", "NGO"),
        # contrast: a European business body, a word that is also an acronym, a company
        ("European Chamber of Commerce", None),
        ("Who", None),
        ("Quantum Widgets", None),
    ],
)
def test_international_bodies_take_non_state_codes(name: str, code: str | None) -> None:
    body = international_body(name)
    assert (body.code if body else None) == code


def test_an_international_organisation_never_gets_a_member_state() -> None:
    doc = analyse("NAIROBI - The World Bank and the EU pledged funds to Kenya on Monday.")
    assert entity(doc, "World Bank", "ORG").country == "IGO"
    assert entity(doc, "World Bank", "ORG").sector == "GOV"


# --------------------------------------------------------------------------- sectors are PLOVER's


@pytest.mark.parametrize(
    "name, sector",
    [("Mombasa General Hospital", "MED"), ("Nairobi Daily Times", "JRN"), ("Labour Party", "PTY"),
     ("Sunrise Foundation", "SOC"), ("World Health Organization", "MED")],
)
def test_plover_sector_codes(name: str, sector: str) -> None:
    assert organisation_sector(name) == sector


def test_a_journalist_is_jrn_and_a_doctor_med() -> None:
    doc = analyse("Amina Odhiambo, editor of the Nairobi Daily Times, met Peter Kamau, doctor at the Mombasa General "
                  "Hospital.")
    assert entity(doc, "Amina Odhiambo", "PERSON").sector == "JRN"


# --------------------------------------------------------------------------- the words around a person


@pytest.mark.parametrize(
    "phrase, country",
    [
        ("Chinese Ambassador to Zimbabwe", "CHN"),
        ("Pakistan's ambassador to the United States", "PAK"),
        ("Economy Minister of the United Arab Emirates (UAE)", "ARE"),
        ("EU Trade Commissioner", "EUR"),
        ("his Turkish counterpart", "TUR"),
        # contrast: where someone is posted or goes is not their country
        ("ambassador to the United States", None),
        ("the envoy in Kenya", None),
    ],
)
def test_country_of_a_descriptive_phrase(phrase: str, country: str | None) -> None:
    assert affiliation.country_of_phrase(phrase) == country


@pytest.mark.parametrize(
    "text, name, country",
    [
        ("The minister received his Turkish counterpart Ayla Demir in Nairobi.", "Ayla Demir", "TUR"),
        ("Kenya's ambassador to Japan, Mary Wanjiru, opened the fair in Osaka.", "Mary Wanjiru", "KEN"),
        ("The fund was opened by Ghana's non-resident High Commissioner, Professor Ama Owusu, on Friday.",
         "Ama Owusu", "GHA"),
        ("Governor Tomas Rivera of the northern Mexican state of Sonora spoke.", "Tomas Rivera", "MEX"),
        ("The fair drew Peruvian exporters including Rosa Quispe, Luis Mamani and Ana Condori.", "Luis Mamani", "PER"),
        ("A Kenyan delegation, headed by Minister Jane Achieng, arrived in Oslo.", "Jane Achieng", "KEN"),
    ],
)
def test_country_of_a_person_from_the_words_around_the_name(text: str, name: str, country: str) -> None:
    assert entity(analyse(text), name, "PERSON").country == country


@pytest.mark.parametrize(
    "text, name",
    [
        # contrast: a place before the name that only says where, and a list with no description
        ("In Ankara, Ayla Demir said trade would grow.", "Ayla Demir"),
        ("The fair drew exporters including Rosa Quispe, Luis Mamani and Ana Condori.", "Luis Mamani"),
        ("The group travelled to Japan with Mary Wanjiru last week.", "Mary Wanjiru"),
    ],
)
def test_no_country_without_a_description(text: str, name: str) -> None:
    assert entity(analyse(text), name, "PERSON").country is None


def test_a_name_after_another_in_a_list_of_titles_shares_its_body() -> None:
    text = "Present were Lima Textile Exporters Association adviser Rosa Quispe, secretary Luis Mamani and others."
    rosa = (text.index("Rosa"), text.index("Rosa") + len("Rosa Quispe"))
    luis = text.index("Luis")
    assert affiliation.previous_in_list(text, luis, [rosa]) == rosa
    plain = "Rosa Quispe and Luis Mamani spoke."
    assert affiliation.previous_in_list(plain, plain.index("Luis"), [(0, 11)]) is None


def test_an_ambassador_posted_to_the_setting_is_not_the_settings() -> None:
    doc = parley.analyze("Trade Fair Opens\nTOKYO - Ambassador Mary Wanjiru opened the fair on Monday.")
    assert entity(doc, "Mary Wanjiru", "PERSON").country is None


def test_an_unqualified_head_of_government_is_the_settings() -> None:
    doc = parley.analyze("Trade Fair Opens\nNAIROBI - President Amina Odhiambo opened the fair on Monday.")
    assert entity(doc, "Amina Odhiambo", "PERSON").country == "KEN"


# --------------------------------------------------------------------------- organisations


def test_bilateral_chamber_belongs_to_the_first_named_country() -> None:
    doc = parley.analyze("Chamber Meets\nKUALA LUMPUR - The Malaysia Japan Chamber of Commerce met on Monday.")
    assert entity(doc, "Malaysia Japan Chamber of Commerce", "ORG").country == "MYS"


def test_a_company_is_not_given_the_setting_but_a_ministry_and_a_factory_are() -> None:
    doc = parley.analyze(
        "Deal Signed\nNAIROBI - Quantum Widgets Ltd signed a deal with the Foreign Ministry on Monday. "
        "Officials later toured the Quantum Widgets Super Factory."
    )
    assert entity(doc, "Quantum Widgets Ltd", "ORG").country is None
    assert entity(doc, "Foreign Ministry", "ORG").country == "KEN"
    assert entity(doc, "Quantum Widgets Super Factory", "ORG", "FAC").country == "KEN"


def test_a_company_described_by_a_demonym() -> None:
    doc = analyse("The deal was signed by the Ukrainian state-owned Dnipro Gas company on Monday.")
    orgs = [e for e in doc.entities if e.type == "ORG" and "Dnipro" in e.name]
    assert orgs and orgs[0].country == "UKR"


def test_an_acronym_names_the_organisation_it_abbreviates() -> None:
    doc = analyse("The Lima Textile Exporters Association signed the deal. LTEA chairman Luis Mamani welcomed it.")
    assert entity(doc, "Luis Mamani", "PERSON").country == "PER"


# --------------------------------------------------------------------------- late entities


def test_assign_actor_for_an_entity_a_later_step_creates() -> None:
    doc = analyse("A trade delegation arrived in Oslo on Monday.")
    group = Entity(id="e99", type="GROUP", name="Peruvian trade delegation",
                   mentions=[Mention(0, 10, "Peruvian trade delegation")])
    doc.entities.append(group)
    assign_actor(group, doc)
    assert group.country == "PER" and group.sector == "BUS"


# --------------------------------------------------------------------------- bodies without a country


def test_someone_speaking_for_a_body_named_without_a_country_is_the_storys() -> None:
    doc = parley.analyze("Chamber Meets\nLAHORE - KLCC vice president Omar Farooq said exports would grow.")
    assert entity(doc, "Omar Farooq", "PERSON").country == "PAK"


def test_someone_heading_a_company_named_without_a_country_has_none() -> None:
    doc = parley.analyze("Deal Signed\nLAHORE - Quantum Motors chairman Omar Farooq said exports would grow.")
    assert entity(doc, "Omar Farooq", "PERSON").country is None


def test_bodies_in_a_title_phrase() -> None:
    assert affiliation.bodies_in("KLCC vice president") == ["KLCC"]
    assert affiliation.bodies_in("Acme Group Chairman") == ["Acme Group"]
    assert affiliation.bodies_in("Deputy Chief Minister") == []


def test_an_adjective_of_a_title_does_not_cut_the_description() -> None:
    phrase = affiliation.phrase_before(
        "Also present were Sabah branch honorary adviser Rosa Quispe.", len("Also present were Sabah branch honorary adviser ")
    )
    assert phrase == "Sabah branch honorary adviser"
    assert affiliation.country_of_phrase(phrase) == "MYS"


def test_an_acronym_of_a_name_cut_short() -> None:
    doc = analyse("The Lima Textile Exporters met on Monday. LTEA chairman Luis Mamani welcomed the deal.")
    assert entity(doc, "Luis Mamani", "PERSON").country == "PER"


def test_a_list_of_titled_names_continues_over_lower_case_titles_and_honorifics() -> None:
    text = "Present were Sabah branch adviser Rosa Quispe and vice public relations officer Datuk Luis Mamani."
    rosa = (text.index("Rosa"), text.index("Rosa") + len("Rosa Quispe"))
    assert affiliation.previous_in_list(text, text.index("Luis"), [rosa]) == rosa
    mixed = "Present were Sabah branch adviser Rosa Quispe and many guests including Luis Mamani."
    assert affiliation.previous_in_list(mixed, mixed.index("Luis"), [rosa]) is None


def test_sector_of_a_person_from_the_title_before_the_name() -> None:
    doc = analyse("The delegation met Health Minister Dr. Amina Odhiambo in Nairobi.")
    assert entity(doc, "Amina Odhiambo", "PERSON").sector == "GOV"


def test_an_industry_word_does_not_make_a_chamber_a_company() -> None:
    doc = parley.analyze("Fair Opens\nLAHORE - The Chamber of Automotive Industry met on Monday.")
    assert entity(doc, "Chamber of Automotive Industry", "ORG").country == "PAK"


def test_a_body_taken_for_a_person_does_not_cut_the_description_next_to_it() -> None:
    doc = analyse("Qatar Chamber first vice chairman Khalid Al-Mannai said trade would grow.")
    assert entity(doc, "Khalid Al-Mannai", "PERSON").country == "QAT"


@pytest.mark.parametrize("name, sector", [("Doha Chamber", "BUS"), ("the upper chamber", "LEG")])
def test_chamber_sectors(name: str, sector: str) -> None:
    assert organisation_sector(name) == sector


def test_ministers_listed_in_a_delegation_take_its_country() -> None:
    doc = parley.analyze(
        "Visit Begins\nNAIROBI - President Ayla Demir arrived on Monday. The visiting Turkish delegation including "
        "Foreign Minister Kerem Aydin and Energy Minister Deniz Kaya toured the port."
    )
    assert entity(doc, "Deniz Kaya", "PERSON").country == "TUR"
    # contrast: a list with no group before it takes nothing from a group elsewhere
    other = parley.analyze("Visit Begins\nNAIROBI - The Turkish delegation arrived. Guests included Ruth Wambui.")
    assert entity(other, "Ruth Wambui", "PERSON").country != "TUR"


def test_a_group_takes_the_country_of_the_person_it_accompanies() -> None:
    text = "Ana Ruiz is accompanied by a large delegation. Later the delegation, led by Luis Soto, left."
    ana = (0, 8)
    assert affiliation.group_owner(text, text.index("large"), affiliation.Spans([ana])) == ana
    luis = (text.index("Luis"), text.index("Luis") + 9)
    assert affiliation.group_owner(text, text.index("delegation, led"), affiliation.Spans([ana, luis])) == luis
    assert affiliation.group_owner("Ana Ruiz met a large delegation.", 15, affiliation.Spans([ana])) is None


def test_and_between_two_people_ends_a_description() -> None:
    text = "Talks between visiting British envoy Jane Hill and President Amina Odhiambo began."
    assert affiliation.phrase_before(text, text.index("Amina")) == "President"
    title = "The Trade and Industry Minister Amina Odhiambo spoke."
    assert affiliation.phrase_before(title, title.index("Amina")) == "Trade and Industry Minister"


def test_a_news_agency_is_not_given_the_setting() -> None:
    doc = parley.analyze("Talks Held\nNAIROBI - Talks were held on Monday, the Coastal News Agency reported.")
    agency = entity(doc, "Coastal News Agency", "ORG")
    assert agency.sector == "JRN" and agency.country is None


def test_a_head_of_state_who_arrives_in_the_setting_is_the_visitor() -> None:
    visit = parley.analyze("Talks Open\nLIMA - President Ana Ruiz arrived in Lima on Monday for talks on trade "
                           "with Chile.")
    assert entity(visit, "Ana Ruiz", "PERSON").country == "CHL"
    # contrast: the same office, at home
    home = parley.analyze("Talks Open\nLIMA - President Ana Ruiz opened talks on trade with Chile on Monday.")
    assert entity(home, "Ana Ruiz", "PERSON").country == "PER"


def test_goes_to_needs_travel_or_arrival() -> None:
    doc = analyse("President Ana Ruiz will travel with her ministers to Peru next week.")
    ana = entity(doc, "Ana Ruiz", "PERSON")
    assert affiliation.goes_to(doc, ana, "PER")
    stays = analyse("President Ana Ruiz praised investors in Peru.")
    assert not affiliation.goes_to(stays, entity(stays, "Ana Ruiz", "PERSON"), "PER")


def test_a_journey_after_another_name_in_the_sentence_is_that_persons() -> None:
    doc = analyse("President Ana Ruiz said Minister Luis Soto will travel to Peru.")
    ana, luis = entity(doc, "Ana Ruiz", "PERSON"), entity(doc, "Luis Soto", "PERSON")
    luis_span = [(m.start, m.end) for m in luis.mentions]
    assert not affiliation.goes_to(doc, ana, "PER", luis_span)
    assert affiliation.goes_to(doc, luis, "PER", [(m.start, m.end) for m in ana.mentions])


def test_a_companion_on_the_trip_leaves_the_destination_the_travellers() -> None:
    doc = analyse("Trade Secretary Ana Ruiz said she will travel with President Luis Soto to Peru next week.")
    ana, luis = entity(doc, "Ana Ruiz", "PERSON"), entity(doc, "Luis Soto", "PERSON")
    assert affiliation.goes_to(doc, ana, "PER", [(m.start, m.end) for m in luis.mentions])
    # contrast: a name that is not joined by "with" travels on its own account
    alone = analyse("Trade Secretary Ana Ruiz said President Luis Soto will travel to Peru next week.")
    ana, luis = entity(alone, "Ana Ruiz", "PERSON"), entity(alone, "Luis Soto", "PERSON")
    assert not affiliation.goes_to(alone, ana, "PER", [(m.start, m.end) for m in luis.mentions])
