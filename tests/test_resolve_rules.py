"""Each report-building and joining rule of parley.resolve on a sentence written for it, and a
contrastive one it must not fire on (invented documents)."""

from __future__ import annotations

from parley.resolve import resolve
from parley.resolve.reports import reports_of

from .resolve_builders import doc, person

VARGA = person("Anna Varga", "RUR", ("Prime Minister",))
BREL = person("Tomas Brel", "ZEN", ("President",))


def _reports(d, places=frozenset()):
    return reports_of(d, {}, {}, places)


def _stories(docs) -> list[set[str]]:
    return [{r["article"] for r in s["reports"]} for s in resolve(docs).story_records()]


def _together(groups, a, b) -> bool:
    return any(a in g and b in g for g in groups)


def test_a_trip_word_after_the_trigger_makes_a_visit():
    d = doc("a1", "Anna Varga leads a Trade Mission to Zenda.", [VARGA], ["Zenda"],
            events=[{"trigger": "Trade", "type": "COOPERATE", "actor": ["Anna Varga"], "recipient": ["Zenda"]}])
    (r,) = _reports(d)
    assert r.visit and r.family == "consult"
    other = doc("a1", "Anna Varga cut the Trade deficit with Zenda.", [VARGA], ["Zenda"],
                events=[{"trigger": "Trade", "type": "COOPERATE", "actor": ["Anna Varga"], "recipient": ["Zenda"]}])
    (r,) = _reports(other)
    assert not r.visit and r.family == "cooperate"


def test_countries_listed_with_a_destination_are_stops():
    d = doc("a1", "Anna Varga toured Ruritania on Monday and Zenda on Tuesday.", [VARGA], ["Ruritania", "Zenda"],
            events=[{"trigger": "toured", "mode": "visit", "actor": ["Anna Varga"], "recipient": ["Ruritania"]}])
    assert sorted(r.stop for r in _reports(d)) == ["RUR", "ZEN"]
    other = doc("a1", "Anna Varga toured Ruritania while Zenda protested.", [VARGA], ["Ruritania", "Zenda"],
                events=[{"trigger": "toured", "mode": "visit", "actor": ["Anna Varga"], "recipient": ["Ruritania"]}])
    assert [r.stop for r in _reports(other)] == [None]


def test_a_place_the_sentence_does_not_name_is_not_trusted_unless_it_is_the_dateline():
    text = "Strelsau was quiet.\nAnna Varga held talks."
    ev = {"trigger": "talks", "actor": ["Anna Varga"], "location": "Strelsau"}
    d = doc("a1", text, [VARGA], ["Strelsau"], events=[ev])
    d.events[0].sentence.start = text.index("Anna")
    (r,) = _reports(d)
    assert r.places == ()
    datelined = doc("a1", text, [VARGA], ["Strelsau"], events=[ev], dateline="Strelsau")
    datelined.events[0].sentence.start = text.index("Anna")
    (r,) = _reports(datelined)
    assert [p.city for p in r.places] == ["900002"]


def test_a_country_a_meeting_is_with_is_a_party_a_city_is_a_place():
    d = doc("a1", "Anna Varga held talks with Zenda.", [VARGA], ["Zenda"],
            events=[{"trigger": "talks", "actor": ["Anna Varga"], "recipient": ["Zenda"]}])
    (r,) = _reports(d)
    assert r.places == () and "ZEN" in r.countries
    city = doc("a1", "Anna Varga held talks in Tarlenheim.", [VARGA], ["Tarlenheim"],
               events=[{"trigger": "talks", "actor": ["Anna Varga"], "recipient": ["Tarlenheim"]}])
    (r,) = _reports(city)
    assert [p.city for p in r.places] == ["900004"]


def test_a_signing_country_is_a_signatory_a_city_is_where():
    d = doc("a1", "Ruritania and Zenda signed an accord.", [], ["Ruritania", "Zenda"],
            events=[{"trigger": "signed", "type": "SUPPORT", "actor": ["Ruritania"], "location": "Zenda"}])
    (r,) = _reports(d)
    assert r.family == "signing" and r.places == ()
    city = doc("a1", "Ruritania and Zenda signed an accord in Tarlenheim.", [], ["Ruritania", "Zenda", "Tarlenheim"],
               events=[{"trigger": "signed", "type": "SUPPORT", "actor": ["Ruritania"], "recipient": ["Zenda"],
                        "location": "Tarlenheim"}])
    (r,) = _reports(city)
    assert [p.city for p in r.places] == ["900004"]


def test_a_date_written_as_a_persons_name_is_not_a_date():
    may = person("Olga May", "RUR", aliases=("May",))
    d = doc("a1", "May visited Zenda.", [may], ["Zenda"], events=[
        {"trigger": "visited", "mode": "visit", "actor": ["Olga May"], "recipient": ["Zenda"], "date": "2024-05"}])
    d.events[0].date.text, d.events[0].date.precision = "May", "month"
    (r,) = _reports(d)
    assert r.when is None
    month = doc("a1", "In May Anna Varga visited Zenda.", [VARGA], ["Zenda"], events=[
        {"trigger": "visited", "mode": "visit", "actor": ["Anna Varga"], "recipient": ["Zenda"], "date": "2024-05"}])
    month.events[0].date.text, month.events[0].date.precision = "May", "month"
    (r,) = _reports(month)
    assert r.when is not None


def test_a_subject_known_as_a_place_is_no_visitor_the_sentence_before_names_who_is():
    text = "Anna Varga left home. Zenda welcomed the guest on a visit."
    d = doc("a1", text, [VARGA, person("Zenda")], [], events=[
        {"trigger": "visit", "mode": "visit", "actor": ["Zenda"]}])
    d.events[0].sentence.start = text.index("Zenda")
    (r,) = reports_of(d, {"a1#p1": "id-varga", "a1#p2": "id-zenda"}, {}, frozenset({"zenda"}))
    assert r.actors == frozenset() and "id-varga" in r.nearby
    (r,) = reports_of(d, {"a1#p1": "id-varga", "a1#p2": "id-zenda"}, {}, frozenset())
    assert r.actors == {"id-zenda"} and "id-varga" not in r.nearby


def test_events_of_one_sentence_join_events_of_two_sentences_only_through_other_articles():
    text = "Anna Varga arrived in Tarlenheim and held talks with Tomas Brel. She toured a port."
    one = doc("a1", text, [VARGA, BREL], ["Tarlenheim"], events=[
        {"trigger": "arrived", "mode": "visit", "actor": ["Anna Varga"], "recipient": ["Tarlenheim"],
         "date": "2024-05-02"},
        {"trigger": "talks", "actor": ["Anna Varga"], "recipient": ["Tomas Brel"], "location": "Tarlenheim",
         "date": "2024-05-02"}])
    assert len(resolve([one]).story_records()) == 1
    for event in one.events:
        event.sentence.end = text.index(" She")
    one.events[1].sentence.start = one.events[1].sentence.end = text.index("She")
    one.events[1].sentence.end = len(text)
    assert len(resolve([one]).story_records()) == 2


def test_a_bare_country_goes_to_the_story_more_reports_tie_it_to():
    def visit(aid, city):
        return doc(aid, f"Anna Varga visited {city}.", [VARGA], [city], events=[
            {"trigger": "visited", "mode": "visit", "actor": ["Anna Varga"], "recipient": [city],
             "date": "2024-05-02"}])

    zenda = doc("c1", "Anna Varga toured Zenda.", [VARGA], ["Zenda"], events=[
        {"trigger": "toured", "mode": "visit", "actor": ["Anna Varga"], "recipient": ["Zenda"], "date": "2024-05-02"}])
    groups = _stories([visit("t0", "Tarlenheim"), visit("t1", "Tarlenheim"), visit("t2", "Tarlenheim"),
                       visit("h1", "Hentzau"), zenda])
    assert _together(groups, "c1", "t0") and not _together(groups, "c1", "h1")
    assert not _together(groups, "t0", "h1")  # two cities of one country: two stops


def test_a_host_is_not_another_delegation():
    host = doc("a2", "Tomas Brel received Anna Varga in Tarlenheim.", [BREL, VARGA], ["Tarlenheim"], events=[
        {"trigger": "received", "mode": "visit", "actor": ["Tomas Brel"], "recipient": ["Anna Varga"],
         "location": "Tarlenheim", "date": "2024-05-02"}])
    guest = doc("a1", "Anna Varga met Tomas Brel in Tarlenheim.", [VARGA, BREL], ["Tarlenheim"], events=[
        {"trigger": "met", "actor": ["Anna Varga"], "recipient": ["Tomas Brel"], "location": "Tarlenheim",
         "date": "2024-05-02"}])
    assert _together(_stories([host, guest]), "a1", "a2")


def _signed(aid, a, b):
    return doc(aid, f"{a} and {b} signed an accord.", [], [a, b], events=[
        {"trigger": "signed", "type": "SUPPORT", "actor": [a], "recipient": [b]}])


def test_signings_of_the_same_two_countries_join_others_do_not():
    assert _together(_stories([_signed("a1", "Ruritania", "Zenda"), _signed("a2", "Zenda", "Ruritania")]), "a1", "a2")
    assert not _together(_stories([_signed("a1", "Ruritania", "Zenda"), _signed("a2", "Ruritania", "Borduria")]),
                         "a1", "a2")


def test_bare_surnames_alone_join_each_other_only_with_a_person_in_common():
    d1 = doc("a1", "Lindqvist met Tomas Brel.", [person("Lindqvist", "RUR"), person("Tomas Brel")])
    d2 = doc("a2", "Lindqvist met Tomas Brel.", [person("Lindqvist"), person("Tomas Brel")])
    d3 = doc("a3", "Lindqvist scored twice.", [person("Lindqvist")])
    people = [{m["article"] for m in r["mentions"]} for r in resolve([d1, d2, d3]).identity_records()
              if r["name"] == "Lindqvist"]
    assert {"a1", "a2"} in people and {"a3"} in people
