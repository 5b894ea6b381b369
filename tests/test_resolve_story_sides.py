"""`stories.Side`: whether two clusters of reports are set apart, read off each cluster's distinct
facts, must say what asking `apart` of every pair says (invented reports)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from parley.resolve.reports import Place, Report
from parley.resolve.stories import Side, apart, cluster_reports

PEOPLE = ("p1", "p2", "p3", "p4")
HOMES = {"p1": "RUR", "p2": "ZEN", "p3": "BOR", "p4": "RUR"}
PLACES = ((), (Place("RUR", None, "strelsau"),), (Place("RUR", None, "zenda"),), (Place("RUR", None, None),),
          (Place("ZEN", None, None),))


def _report(rng: random.Random, n: int) -> Report:
    family = rng.choice(("consult", "consult", "consult", "signing", "dateline"))
    people = frozenset(rng.sample(PEOPLE, rng.randint(0, 3)))
    actors = frozenset(p for p in people if rng.random() < 0.5)
    start = date(2024, 5, 1) + timedelta(days=rng.randint(0, 12))
    when = None if rng.random() < 0.2 else (start, start + timedelta(days=rng.choice((0, 0, 1, 40))))
    return Report(article=f"a{n}", event="v1", file=None, outlet=None, published=None, family=family,
                  type="CONSULT", visit=rng.random() < 0.5, planned=False, people=people, actors=actors,
                  homes=frozenset((p, HOMES[p]) for p in people), countries=frozenset(HOMES[p] for p in people),
                  nearby=frozenset(rng.sample(PEOPLE, rng.randint(0, 1))), places=rng.choice(PLACES),
                  place_names=(), when=when, sentence="", trigger="")


def _pairs_apart(xs: list[Report], ys: list[Report]) -> bool:
    return any(apart(a, b) for a in xs for b in ys)


def test_a_side_is_apart_exactly_when_some_pair_is() -> None:
    rng = random.Random(3)
    outcomes = set()
    for trial in range(3000):
        xs = [_report(rng, k) for k in range(rng.randint(1, 4))]
        ys = [_report(rng, 10 + k) for k in range(rng.randint(1, 4))]
        want = _pairs_apart(xs, ys)
        assert Side(xs).apart(Side(ys)) is want, (trial, xs, ys)
        # joined one report at a time, a side says what the whole cluster's side says
        grown = Side(xs[:1])
        for r in xs[1:]:
            grown = grown.absorb(Side([r]))
        assert grown.apart(Side(ys)) is want
        outcomes.add(want)
    assert outcomes == {True, False}  # the fixtures reach both answers


def test_one_far_report_sets_a_cluster_apart_whatever_its_first_member() -> None:
    """The cluster's first report agrees with the other side; its last one is a month later: a
    check that read only one member of each cluster would join them."""
    rng = random.Random(1)
    base = _report(rng, 0)
    near = Report(**{**base.__dict__, "article": "b1", "family": "consult", "visit": False,
                     "when": (date(2024, 5, 2), date(2024, 5, 2)), "places": PLACES[1]})
    near.__dict__.pop("key", None)
    same = Report(**{**near.__dict__, "article": "b2"})
    later = Report(**{**near.__dict__, "article": "b3", "when": (date(2024, 6, 20), date(2024, 6, 20))})
    for r in (same, later):
        r.__dict__.pop("key", None)
    assert not Side([near]).apart(Side([same]))
    assert Side([near, same]).apart(Side([later]))
    assert Side([same]).absorb(Side([near])).apart(Side([later]))


def test_stories_of_random_reports_are_the_same_in_any_order() -> None:
    rng = random.Random(11)
    reports = [_report(rng, k) for k in range(60)]
    first = cluster_reports(reports)
    rng.shuffle(reports)
    assert cluster_reports(reports) == first


def _every_link(keep, gone, score, links, heap) -> None:
    """The join's bookkeeping as it was: every link of both clusters summed and pushed again."""
    import heapq

    for other in sorted(links.pop(gone, set()) | links.get(keep, set())):
        if other in (keep, gone):
            continue
        total = 0
        for a in (keep, gone):
            pair = (a, other) if a < other else (other, a)
            total += score.pop(pair, 0)
        links[other].discard(gone)
        links[other].add(keep)
        links[keep].add(other)
        if total:
            pair = (keep, other) if keep < other else (other, keep)
            score[pair] = total
            heapq.heappush(heap, (-total, *pair))
    links[keep].discard(gone)


def test_a_join_updates_only_the_joined_clusters_links_and_gives_the_same_stories(monkeypatch) -> None:
    from parley.resolve import stories

    for seed in range(40):
        rng = random.Random(seed)
        reports = [_report(rng, k) for k in range(rng.randint(5, 50))]
        fast = cluster_reports(reports)
        with monkeypatch.context() as m:
            m.setattr(stories, "_merge_links", _every_link)
            assert cluster_reports(reports) == fast, seed
