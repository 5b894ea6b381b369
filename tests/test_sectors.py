"""The sector taxonomy and its matcher, on sentences written for these tests."""

from __future__ import annotations

import re

import pytest

from parley.analysis.sectors import sector_spans, sectors_in, taxonomy, with_parents

SCHEMA_IDS = [
    "automotive", "new-energy-vehicles", "biomedicine", "healthcare", "finance", "investment", "trade",
    "education", "culture", "tourism", "digital-technology", "advanced-manufacturing", "manufacturing",
    "logistics", "supply-chain", "energy", "agriculture", "food-and-beverage", "electrical-components",
    "motorcycles", "real-estate", "infrastructure",
]


def test_taxonomy_is_well_formed() -> None:
    sectors = taxonomy()
    assert set(SCHEMA_IDS) <= set(sectors)
    assert 50 <= len(sectors) <= 80
    for sector in sectors.values():
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", sector.id), sector.id
        assert sector.label and sector.signals, sector.id
        assert sector.parent is None or sector.parent in sectors


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The carmaker will build a plant for its automotive parts.", "automotive"),
        ("Sales of new energy vehicles doubled last year.", "new-energy-vehicles"),
        ("The city hosts a biomedicine park.", "biomedicine"),
        ("They agreed to train more nurses for rural hospitals.", "healthcare"),
        ("A foundation dedicated to the fight against AIDS was set up.", "healthcare"),
        ("He urged firm action on reducing acid rain.", "environment"),
        ("The financial sector has opened further.", "finance"),
        ("The firm plans to invest $2 billion in the province.", "investment"),
        ("Bilateral trade reached a record high.", "trade"),
        ("Both sides will expand cooperation in education.", "education"),
        ("A week of cultural events opened in the capital.", "culture"),
        ("Tourism accounts for a tenth of the island's income.", "tourism"),
        ("The digital economy is growing fast.", "digital-technology"),
        ("A smart manufacturing centre opened on Monday.", "advanced-manufacturing"),
        ("The company runs three factories in the region.", "manufacturing"),
        ("A new logistics hub links the two cities.", "logistics"),
        ("Officials discussed supply-chain resilience.", "supply-chain"),
        ("Energy cooperation topped the agenda.", "energy"),
        ("Farmers there grow wheat and maize.", "agriculture"),
        ("The food and beverage show drew buyers from abroad.", "food-and-beverage"),
        ("The plant makes electronic components for export.", "electrical-components"),
        ("Its motorcycles are sold across the region.", "motorcycles"),
        ("The real estate market cooled in the spring.", "real-estate"),
        ("Infrastructure spending rose by a fifth.", "infrastructure"),
    ],
)
def test_each_schema_sector_from_a_typical_phrase(text: str, expected: str) -> None:
    assert expected in sectors_in(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Solar panels and wind turbines were shown.", ["renewable-energy"]),
        ("The port will handle larger container ships.", ["ports", "maritime"]),
        ("A chipmaker and two semiconductor firms signed up.", ["semiconductors"]),
        ("Talks covered artificial intelligence and 5G networks.", ["artificial-intelligence", "telecommunications"]),
        ("The high-speed railway opened in May.", ["rail"]),
        ("Airlines added direct flights.", ["aviation"]),
        ("A vaccine plant for pharmaceutical companies.", ["pharmaceuticals"]),
        ("Green bonds financed the project.", ["green-finance"]),
        ("Climate change and carbon neutrality were discussed.", ["climate"]),
    ],
)
def test_other_sectors(text: str, expected: list[str]) -> None:
    assert sectors_in(text) == expected


def test_plurals_and_hyphens() -> None:
    assert sectors_in("a new-energy vehicle") == ["new-energy-vehicles"]
    assert sectors_in("new energy vehicles") == ["new-energy-vehicles"]
    assert sectors_in("New-Energy Vehicles") == ["new-energy-vehicles"]
    assert sectors_in("The fisheries ministry and two fishermen") == ["fisheries"]
    assert sectors_in("taxes on exports and imports") == ["trade"]
    assert sectors_in("more EVs and NEVs") == ["new-energy-vehicles"]
    assert sectors_in("e-commerce and ecommerce") == ["e-commerce"]


def test_longest_match_wins() -> None:
    assert sectors_in("They toured a new-energy vehicles plant.") == ["new-energy-vehicles"]
    assert sectors_in("traditional Chinese medicine") == ["traditional-medicine"]
    assert sectors_in("a nuclear weapon") == ["defence"]
    spans = sector_spans("Exports of new-energy vehicles rose.")
    assert spans == [(0, 7, "trade"), (11, 30, "new-energy-vehicles")]


def test_a_phrase_does_not_run_across_punctuation() -> None:
    assert sectors_in("new energy, vehicles") == ["renewable-energy", "automotive"]


@pytest.mark.parametrize(
    "text, absent",
    [
        ("Trade union leaders marched on Friday.", "trade"),
        ("The port upgraded its aids to navigation.", "healthcare"),
        ("The two sides will inject new energy into their ties.", "renewable-energy"),
        ("He thanked the hosts for their warm hospitality.", "hospitality"),
        ("They pledged to improve the business environment.", "environment"),
        ("The investment climate has improved.", "climate"),
        ("They met in the car park behind the hall.", "automotive"),
        ("A bargaining chip in the talks.", "semiconductors"),
        ("The state-of-the-art hall opened.", "culture"),
        ("A think tank scholar spoke.", "defence"),
        ("Talks on the West Bank resumed.", "banking"),
        ("The bank of the river flooded.", "banking"),
        ("The ministry of commerce and the Silk Road fund.", "textiles"),
        ("Cooperation has borne fruit.", "agriculture"),
        ("He spoke with intellectual property lawyers.", "real-estate"),
        ("It is part and parcel of the plan.", "logistics"),
        ("Ai Weiwei opened the show.", "artificial-intelligence"),
        ("It was a healthy relationship.", "healthcare"),
        ("Drug trafficking networks were broken up.", "pharmaceuticals"),
    ],
)
def test_vetoes_and_false_friends(text: str, absent: str) -> None:
    assert absent not in sectors_in(text)


def test_no_sector_in_plain_diplomatic_prose() -> None:
    text = ("The mayor met the visiting delegation on Tuesday and said the two cities were old friends. "
            "Both sides agreed to deepen exchanges and hold talks again next year.")
    assert sectors_in(text) == []


def test_order_of_first_appearance_without_repeats() -> None:
    text = "Investment and trade grew; trade in food rose, and investors came back for more investment."
    assert sectors_in(text) == ["investment", "trade", "food-and-beverage"]
    assert [s for *_, s in sector_spans(text)].count("investment") == 3


def test_spans_point_at_the_evidence() -> None:
    text = "The Trade Ministry backs the motorbike industry."
    for start, end, sector in sector_spans(text):
        assert sector in sectors_in(text[start:end])
    assert [text[s:e] for s, e, _ in sector_spans(text)] == ["Trade", "motorbike"]


def test_with_parents() -> None:
    assert with_parents(["new-energy-vehicles", "trade"]) == ["new-energy-vehicles", "trade", "automotive"]
    assert with_parents(["robotics"]) == ["robotics", "advanced-manufacturing", "manufacturing"]
    assert with_parents(["automotive", "new-energy-vehicles"]) == ["automotive", "new-energy-vehicles"]
    assert with_parents(["unknown"]) == ["unknown"]
    assert with_parents([]) == []


def test_an_aircraft_maker_is_aerospace_an_aircraft_bought_is_aviation() -> None:
    from parley.analysis.sectors import sectors_in
    assert "aerospace" in sectors_in("subsidies given to aircraft makers")
    assert "aerospace" not in sectors_in("the airline bought new aircraft")


def _spans_word_by_word(text: str) -> list[tuple[int, int, str]]:
    """`sector_spans` as first written: every word a match object, lower-cased one by one."""
    from parley.analysis.sectors import _TOKEN, _joined, _matcher

    matcher = _matcher()
    tokens = list(_TOKEN.finditer(text))
    lowered = [t.group().lower() for t in tokens]
    spans, i = [], 0
    while i < len(tokens):
        step = 1
        for size in matcher.lengths.get(lowered[i], ()):
            if i + size > len(tokens) or not _joined(text, tokens, i, size):
                continue
            sector = matcher.exact.get(tuple(t.group() for t in tokens[i : i + size]))
            if sector is None:
                sector = matcher.folded.get(tuple(lowered[i : i + size]))
            if sector is not None:
                if sector:
                    spans.append((tokens[i].start(), tokens[i + size - 1].end(), sector))
                step = size
                break
        i += step
    return spans


@pytest.mark.parametrize("text", [
    "Talks on Renewable Energy, mining and TOURISM followed the R&D forum.",
    "İstanbul's port authority and Zürich banks discussed agri-food exports and fintech.",
    "The delegation toured a car plant; no sector word in the next clause at all.",
    "",
])
def test_signals_are_found_as_when_every_word_was_read(text: str) -> None:
    """The fast path (one lower-casing per ASCII text, no match objects without a signal word) finds
    exactly what reading word by word finds, also where lower-casing changes a character's length."""
    assert sector_spans(text) == _spans_word_by_word(text)
