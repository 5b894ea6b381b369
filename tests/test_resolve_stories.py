"""Stories across articles: contrastive pairs for every joining rule (invented documents)."""

from __future__ import annotations

import random

from parley.resolve import resolve

from .resolve_builders import doc, person

VARGA = person("Anna Varga", "RUR", ("Prime Minister",))
BREL = person("Tomas Brel", "ZEN", ("President",))
KOVAC = person("Ivo Kovac", "BOR", ("President",))


def _visit(aid, who=VARGA, host=BREL, place="Tarlenheim", day="2024-05-02", planned=False, published=None,
           more=""):
    verb = "will visit" if planned else "visited"
    text = f"{who['name']} {verb} {place} and met {host['name']}.{more}"
    return doc(aid, text, [who, host], [place], published=published, events=[
        {"trigger": verb.split()[-1], "mode": "visit", "actor": [who["name"]], "recipient": [place],
         "location": place, "date": None if planned else day, "planned": planned},
        {"trigger": "met", "actor": [who["name"]], "recipient": [host["name"]], "location": place,
         "date": None if planned else day, "planned": planned},
    ])


def _files(docs) -> list[set[str]]:
    return [{r["article"] for r in s["reports"]} for s in resolve(docs).story_records()]


def _together(groups, a, b) -> bool:
    return any(a in g and b in g for g in groups)


def test_two_reports_of_one_visit_join():
    assert _together(_files([_visit("a1"), _visit("a2", day="2024-05-03")]), "a1", "a2")


def test_same_city_different_delegations_stay_apart():
    other = _visit("a2", who=KOVAC, host=BREL)
    assert not _together(_files([_visit("a1"), other]), "a1", "a2")


def test_same_minister_next_stop_elsewhere_stays_apart():
    elsewhere = _visit("a2", host=person("Olaf Rask", "RUR"), place="Strelsau", day="2024-05-04")
    assert not _together(_files([_visit("a1"), elsewhere]), "a1", "a2")


def test_same_people_same_place_a_year_later_stay_apart():
    assert not _together(_files([_visit("a1"), _visit("a2", day="2025-05-02")]), "a1", "a2")


def test_announcement_of_a_planned_visit_joins_the_visit():
    announced = _visit("a0", planned=True, published="2024-04-20")
    assert _together(_files([_visit("a1"), announced]), "a0", "a1")


def test_announcement_long_before_stays_apart():
    announced = _visit("a0", planned=True, published="2023-01-20")
    assert not _together(_files([_visit("a1"), announced]), "a0", "a1")


def _signing(aid):
    text = "During the visit to Tarlenheim, Ruritania and Zenda signed a trade accord."
    return doc(aid, text, [], ["Tarlenheim", "Ruritania", "Zenda"], events=[
        {"trigger": "signed", "type": "SUPPORT", "actor": ["Ruritania"], "recipient": ["Zenda"],
         "location": "Tarlenheim", "date": "2024-05-02"}])


def test_a_signing_during_a_visit_is_its_own_story_linked_to_the_visit():
    text = "Anna Varga visited Tarlenheim and met Tomas Brel. Ruritania and Zenda signed a trade accord."
    both = doc("a1", text, [VARGA, BREL], ["Tarlenheim", "Ruritania", "Zenda"], events=[
        {"trigger": "visited", "mode": "visit", "actor": ["Anna Varga"], "recipient": ["Tarlenheim"],
         "location": "Tarlenheim", "date": "2024-05-02"},
        {"trigger": "signed", "type": "SUPPORT", "actor": ["Ruritania"], "recipient": ["Zenda"],
         "location": "Tarlenheim", "date": "2024-05-02"}])
    stories = resolve([both, _visit("a3"), _signing("a2")]).story_records()
    signings = [s for s in stories if s["family"] == "signing"]
    visits = [s for s in stories if s["family"] == "consult"]
    assert len(signings) == 1 and len(visits) == 1
    assert {r["article"] for r in signings[0]["reports"]} == {"a1", "a2"}
    assert {r["article"] for r in visits[0]["reports"]} == {"a1", "a3"}
    assert signings[0]["part_of"] == visits[0]["id"]


def test_a_tour_of_two_countries_is_one_report_per_stop():
    text = "Anna Varga toured Ruritania and Zenda on her trip."
    tour = doc("a1", text, [VARGA], ["Ruritania", "Zenda"], events=[
        {"trigger": "toured", "mode": "visit", "actor": ["Anna Varga"], "recipient": ["Ruritania", "Zenda"],
         "date": "2024-05-02"}])
    zenda = _visit("a2")
    groups = _files([tour, zenda])
    assert _together(groups, "a1", "a2")
    assert sum("a1" in g for g in groups) == 2


def test_dateline_joins_only_a_story_of_its_lead_people_there():
    text = "Anna Varga held talks here on Thursday.\nLater news followed."
    there = doc("a2", text, [VARGA], [], published="2024-05-02", dateline="Tarlenheim")
    elsewhere = doc("a3", text, [VARGA], [], published="2024-05-02", dateline="Strelsau")
    groups = _files([_visit("a1"), there, elsewhere])
    assert _together(groups, "a1", "a2")
    assert not _together(groups, "a1", "a3")


def test_stories_are_the_same_in_any_order():
    docs = [_visit("a1"), _visit("a2", day="2024-05-03"), _visit("a3", who=KOVAC),
            _visit("a0", planned=True, published="2024-04-20"), _signing("a4")]
    first = resolve(docs).story_records()
    for seed in range(3):
        random.Random(seed).shuffle(docs)
        assert resolve(docs).story_records() == first
