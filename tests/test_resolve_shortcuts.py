"""The shortcuts a pass takes on a big store give what the plain computation gives: one edit
between given names, the name pairs worth testing, a signing's visit from two stories' bounds,
and a body's new mention put in place among the stored ones (invented names and data)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from types import SimpleNamespace

from parley.resolve import stories as S
from parley.resolve.identities import _related
from parley.resolve.names import Name, _one_edit, edit_distance, relation, spelling_variant
from parley.resolve.persist import _keyed_row
from parley.resolve.reports import Place, Report


def test_one_edit_is_an_edit_distance_of_one():
    rng = random.Random(3)
    seen = {True: 0, False: 0}
    for _ in range(20000):
        a = "".join(rng.choice("abc") for _ in range(rng.randint(0, 6)))
        b = "".join(rng.choice("abc") for _ in range(rng.randint(0, 6)))
        if a != b and abs(len(a) - len(b)) <= 1:
            seen[_one_edit(a, b)] += 1
            assert _one_edit(a, b) == (edit_distance(a, b) <= 1), (a, b)
    assert seen[True] > 100 and seen[False] > 100


def test_spelling_variants_of_given_names():
    assert spelling_variant("omar", "omer") and spelling_variant("karola", "karol")
    assert not spelling_variant("omar", "imar")  # another first letter
    assert not spelling_variant("karola", "karl")  # two edits
    assert not spelling_variant("ana", "ann")  # too short to be read as a variant


def test_name_pairs_left_untested_are_the_ones_that_cannot_join():
    rng = random.Random(5)
    givens = ["karol", "karola", "karl", "kari", "karolo", "kasimir", "kasimira", "ka", "kat"]
    names = {(g, "vondra") for g in givens} | {(g, h, "vondra") for g in givens[:4] for h in givens[4:7]}
    names = sorted(names)
    kinds = set()
    for _ in range(3000):
        a, b = rng.sample(names, 2)
        want = relation(Name(a), Name(b))
        kinds.add(want)
        assert _related(Name(a), Name(b)) == (want if want in ("same", "variant") else None), (a, b)
    assert {"same", "variant", "different"} <= kinds


def _report(key: str, start: date, days: int, places=(), people=(), countries=()) -> Report:
    return Report(article=key, event="e1", file=None, outlet=None, published=None, family="signing",
                  type="AGREE", visit=False, planned=False, people=frozenset(people), actors=frozenset(),
                  homes=frozenset(), countries=frozenset(countries), nearby=frozenset(), places=tuple(places),
                  place_names=(), when=(start, start + timedelta(days=days)) if days >= 0 else None,
                  sentence="", trigger="")


def test_two_stories_bounds_say_what_every_pair_of_their_reports_says():
    rng = random.Random(11)
    cities = [Place("RUR", None, "1"), Place("RUR", None, "2"), Place("ZEN", None, "3"), Place("RUR", None, None)]
    day0 = date(2020, 1, 1)

    def story(tag: str) -> list[Report]:
        return [_report(f"{tag}{n}", day0 + timedelta(days=rng.randint(0, 60)), rng.randint(-1, 5),
                        rng.sample(cities, rng.randint(0, 2)), rng.sample("pqrstu", rng.randint(0, 2)),
                        rng.sample(["RUR", "ZEN", "OST"], rng.randint(0, 3))) for n in range(rng.randint(1, 5))]

    outcomes = set()
    for _ in range(1500):
        a, b = story("a"), story("b")
        conflict = any(S.place_relation(x.places, y.places) == "conflict" or S.date_relation(x, y) == "conflict"
                       for x in a for y in b)
        related = any((x.people & y.people) or len(x.countries & y.countries) >= 2 for x in a for y in b)
        assert S._Spread(a).conflicts(S._Spread(b)) == conflict
        assert S._Spread(a).related(S._Spread(b)) == related
        outcomes.add((conflict, related))
    assert len(outcomes) == 4


def _body(article: str, entity: str) -> SimpleNamespace:
    return SimpleNamespace(article=article, entities=[entity], key=f"{article}#{entity}", type="ORG", country="RUR",
                           name="Ruritanian Trade Board", names=["Ruritanian Trade Board"], roles=[], file=None,
                           published="2020-01-01", copy_of=None)


def test_a_new_mention_goes_in_its_place_among_the_stored_ones():
    first = _keyed_row("o:ruritanian trade board", None, SimpleNamespace(members=[_body(a, "e1") for a in "bdf"]),
                       set())
    stored = SimpleNamespace(record=first["record"], tally=first["tally"])
    row = _keyed_row("o:ruritanian trade board", stored,
                     SimpleNamespace(members=[_body("e", "e2"), _body("a", "e1"), _body("e", "e1")]), {"d"})
    assert [(m["article"], m["entity"]) for m in row["record"]["mentions"]] == [
        ("a", "e1"), ("b", "e1"), ("e", "e1"), ("e", "e2"), ("f", "e1")]
    assert row["record"]["articles"] == 4
