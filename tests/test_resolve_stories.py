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


def _next_stop(aid, after: str, published="2024-05-02", more=()):
    """Anna Varga's stop in Zenda, told with a sentence about what comes next (`after`)."""
    text = f"Anna Varga visited Tarlenheim and met Tomas Brel. {after}"
    return doc(aid, text, [VARGA, BREL, *more], ["Tarlenheim", "Borduria", "Ruritania", "Zenda"], published=published, events=[
        {"trigger": "visited", "mode": "visit", "actor": ["Anna Varga"], "recipient": ["Tarlenheim"],
         "location": "Tarlenheim", "date": "2024-05-02"},
        {"trigger": "met", "actor": ["Anna Varga"], "recipient": ["Tomas Brel"], "location": "Tarlenheim",
         "date": "2024-05-02"}])


def _borduria_stop(aid="b1"):
    text = "Anna Varga visited Borduria and met Ivo Kovac."
    return doc(aid, text, [VARGA, KOVAC], ["Borduria"], events=[
        {"trigger": "visited", "mode": "visit", "actor": ["Anna Varga"], "recipient": ["Borduria"],
         "location": "Borduria", "date": "2024-05-04"}])


def _stop_reports(groups, article):
    return [g for g in groups if "b1" in g and article in g]


def test_a_stop_named_in_passing_joins_that_stop_not_the_one_reported():
    groups = _files([_borduria_stop(), _next_stop("a1", "She will head to Borduria next.")])
    assert _stop_reports(groups, "a1")  # the next stop, told in passing, is a report of it
    zenda = [g for g in groups if "a1" in g and "b1" not in g]
    assert zenda  # and the stop the article is about stays its own story


def test_a_stop_of_someone_else_named_in_passing_stays_apart():
    other = _next_stop("a1", "Olaf Rask will head to Borduria next.", more=[person("Olaf Rask", "RUR")])
    assert not _stop_reports(_files([_borduria_stop(), other]), "a1")


def test_a_country_named_without_a_trip_word_is_no_stop():
    praised = _next_stop("a1", "She praised Borduria for its grain.")
    assert not _stop_reports(_files([_borduria_stop(), praised]), "a1")


def test_the_visitor_coming_from_home_is_no_stop_but_the_country_before_is():
    home = _next_stop("a1", "She arrived in Zenda from Ruritania.")
    records = resolve([home]).story_records()
    assert not any(r.get("stop") == "RUR" for s in records for r in s["reports"])
    before = _next_stop("a2", "She arrived in Zenda from Borduria.")
    assert _stop_reports(_files([_borduria_stop(), before]), "a2")


def test_a_stop_in_a_list_after_another_joins_too():
    listed = _next_stop("a1", "She will travel to Zenda and Borduria on Friday.")
    records = resolve([_borduria_stop(), listed]).story_records()
    stop = next(s for s in records if {r["article"] for r in s["reports"]} == {"a1", "b1"})
    assert [r["planned"] for r in stop["reports"] if r["article"] == "a1"] == [True]


def test_a_copy_of_an_article_is_listed_in_the_stop_it_names_in_passing():
    told = "She will head to Borduria next."
    copies = {"a1c": "a1"}
    res = resolve([_borduria_stop(), _next_stop("a1", told), _next_stop("a1c", told)], copies)
    stop = next(s for s in res.story_records() if "b1" in {r["article"] for r in s["reports"]})
    assert {r["article"]: r["copy_of"] for r in stop["reports"]} == {"b1": None, "a1": None, "a1c": "a1"}


def _meeting(aid, day="2024-05-03"):
    """Anna Varga and Tomas Brel met, on a day, no place said."""
    return doc(aid, "Anna Varga met Tomas Brel.", [VARGA, BREL], [], events=[
        {"trigger": "met", "actor": ["Anna Varga"], "recipient": ["Tomas Brel"], "date": day}])


def test_an_announcement_dated_by_its_article_is_not_joined_by_people_alone():
    announced = _visit("a0", planned=True, published="2024-04-20")  # reaches months ahead, names where
    assert not _together(_files([announced, _meeting("m1")]), "a0", "m1")


def test_an_announcement_dated_by_its_article_is_joined_by_a_report_there():
    announced = _visit("a0", planned=True, published="2024-04-20")
    groups = _files([announced, _meeting("m1"), _visit("a1", day="2024-05-03")])
    assert _together(groups, "a0", "a1") and _together(groups, "a1", "m1") and _together(groups, "a0", "m1")


def _plans(aid, people=(VARGA,)):
    """An announcement dated by its article, that names no place: "... will hold talks"."""
    names = " and ".join(p["name"] for p in people)
    return doc(aid, f"{names} will hold talks.", list(people), [], published="2024-04-20", events=[
        {"trigger": "talks", "actor": [people[0]["name"]], "recipient": [p["name"] for p in people[1:]],
         "planned": True}])


def test_an_announcement_naming_no_place_is_not_joined_by_one_person_alone():
    assert not _together(_files([_plans("a0"), _meeting("m1")]), "a0", "m1")


def test_an_announcement_naming_no_place_is_joined_by_two_of_its_people():
    assert _together(_files([_plans("a0", (VARGA, BREL)), _meeting("m1")]), "a0", "m1")
