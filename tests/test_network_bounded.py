"""The network's top edges found without summing every row (`aggregates._bounded_edges`, migration
21): the default read in order off `network_engaged`, a network dated by years, months or days of
every type, the engagement types or one type summed for its heaviest edges only, a batch at a time,
stopping once no later edge can reach the last one kept. With batches of one or two edges (many
stops tested) and with a cap that gives up (every row summed), it gives what counting every event
gives (`live_network`), also when it gives up as soon as an unread edge may outweigh the last one kept;
and a few rows are summed at once, not searched. Invented fixtures, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools

import pytest

from parley.store import Store
from parley.store import aggregates as ag
from parley.store.aggregates import EventFilter

from .test_day_cut import RANGES, network_store  # noqa: F401  (the fixture)

DATES = [*RANGES[::4], ("2024", None), (None, "2024"), ("2024-02", "2024-03"), ("2023", "2025")]


@pytest.mark.parametrize("batch, most, hopeless", [(1, 10_000, 10**9), (2, 10_000, 10**9), (2, 4, 10**9), (1, 10_000, 1)])
def test_bounded_edges_are_the_live_network(network_store: str, batch: int, most: int, hopeless: int,  # noqa: F811
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ag, "BOUND_BATCH", batch)
    monkeypatch.setattr(ag, "BOUND_MOST", most)
    monkeypatch.setattr(ag, "BOUND_HOPELESS", hopeless)  # 1: giving up whenever an unread edge may outweigh
    monkeypatch.setattr(ag, "SUM_AT_ONCE", 0)  # the fixtures' few rows are searched, not summed at once
    calls = {"bounded": 0, "full answers": 0}  # answers of `limit` edges by the bounded search itself
    bounded = ag._bounded_edges

    def counted(*args, **kwargs):
        found = bounded(*args, **kwargs)
        calls["bounded"] += 1
        calls["full answers"] += found is not None and len(found["edges"]) == args[4]
        return found

    monkeypatch.setattr(ag, "_bounded_edges", counted)
    checked = 0
    with Store(network_store) as store:
        for (since, until), rest in itertools.product(DATES, [{}, {"type": "AGREE"}]):
            f = EventFilter(since=since, until=until, **rest)
            for types, limit in itertools.product((None, tuple(ag.engagement_types())), (1, 2, 3, 150)):
                got = store.read(ag.network, filters=f, types=types, limit=limit)
                assert got == store.read(ag.live_network, filters=f, types=None if f.type else types, limit=limit,
                                         by_type=True), (f, types, limit)
                checked += bool(got["edges"])
        for types, limit in itertools.product((tuple(ag.engagement_types()), ("CONSULT", "AGREE")), (1, 2, 150)):
            assert store.read(ag.network, types=types, limit=limit) == store.read(
                ag.live_network, types=types, limit=limit, by_type=True), (types, limit)
    # giving up early leaves fewer answers to the search itself, not none
    assert checked > 100 and calls["bounded"] > 150 and calls["full answers"] > (20 if hopeless > 1 else 5)


def test_few_rows_are_summed_at_once(network_store: str, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    searched = []
    monkeypatch.setattr(ag, "_bounded_edges", lambda *a: searched.append(a) or None)
    with Store(network_store) as store:
        f = EventFilter(since="2024")
        assert store.read(ag.network, filters=f) == store.read(ag.live_network, filters=f, by_type=True)
        assert not searched
        monkeypatch.setattr(ag, "SUM_AT_ONCE", 3)
        assert store.read(ag.network, filters=f) == store.read(ag.live_network, filters=f, by_type=True)
        assert len(searched) == 1
