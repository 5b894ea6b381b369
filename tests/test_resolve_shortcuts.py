"""The shortcuts a pass takes on a big store give what the plain computation gives: one edit
between given names, the name pairs worth testing, a signing's visit from two stories' bounds,
and a person's new mention stored as a row beside the others (invented names and data)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import create_engine, insert, select

from parley.resolve import stories as S
from parley.resolve.identities import Identity, _related
from parley.resolve.names import (
    Name,
    _one_edit,
    edit_distance,
    relation,
    spelling_variant,
)
from parley.resolve.persist import _identity_row, _person_row
from parley.resolve.reports import Place, Report
from parley.store import resolved as T


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


def _person(article: str, entity: str, name: str = "Anna Varga") -> SimpleNamespace:
    return SimpleNamespace(article=article, entities=[entity], key=f"{article}#{entity}", type="PERSON",
                           country="RUR", name=name, names=[name], roles=[], file=None,
                           published="2020-01-01", copy_of=None, parsed=SimpleNamespace(surname="varga"))


def test_a_new_mention_is_a_row_beside_the_stored_ones_and_a_sent_back_article_loses_its_own():
    engine = create_engine("sqlite://")
    with engine.begin() as conn:
        T.metadata.create_all(conn)
        first, parts = _identity_row(Identity(
            "p1", "PERSON", "Anna Varga", [_person("b", "e1"), _person("d", "e1", "Anna M. Varga"), _person("f", "e1")]))
        conn.execute(insert(T.identities), [first])
        conn.execute(insert(T.identity_parts), parts)
        assert "mentions" not in first["record"] and len(parts) == 3
        stored = conn.execute(select(T.identities)).first()
        row, made = _person_row(conn, "n:varga", stored, SimpleNamespace(
            members=[_person("e", "e2"), _person("a", "e1"), _person("e", "e1")]), {"d"}, "p1")
        assert [(p["article_id"], p["entity_id"]) for p in made] == [("e", "e2"), ("a", "e1"), ("e", "e1")]
        conn.execute(insert(T.identity_parts), made)
        held = sorted(conn.execute(select(T.identity_parts.c.article_id, T.identity_parts.c.entity_id)).all())
        assert held == [("a", "e1"), ("b", "e1"), ("e", "e1"), ("e", "e2"), ("f", "e1")]  # d's went
        assert row["record"]["articles"] == 4 and row["record"]["names"] == ["Anna Varga"]  # and its name
        record = T.with_mentions(conn, [row["record"]])[0]
        assert [(m["article"], m["entity"]) for m in record["mentions"]] == held
        # nothing sent back: nothing deleted, the stored names kept
        again, _ = _person_row(conn, "n:varga", stored, SimpleNamespace(members=[_person("g", "e1")]), {"g"}, "p1")
        assert again["record"]["names"] == ["Anna M. Varga", "Anna Varga"] and again["record"]["articles"] == 4
        assert len(conn.execute(select(T.identity_parts)).all()) == 5

