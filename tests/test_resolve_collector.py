"""A resolution pass of at most `CHUNK` articles runs with Python's cyclic garbage collector held
off, and leaves it as it found it; a longer pass (a store resolved from nothing at once) keeps it
on, so that what it holds back stays bounded."""

from __future__ import annotations

import gc

import pytest

from parley.resolve import collector, persist
from parley.resolve.persist import resolve_pending
from parley.store import Store

from .test_resolve_stories import _visit


@pytest.fixture
def collecting():
    was = gc.isenabled()
    gc.enable()
    yield
    gc.enable() if was else gc.disable()


def test_paused_holds_collection_off_and_turns_it_on_after(collecting) -> None:
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_paused_turns_collection_on_again_after_an_error(collecting) -> None:
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("a pass that fails")
    assert gc.isenabled()


def test_paused_leaves_collection_off_where_the_caller_turned_it_off(collecting) -> None:
    gc.disable()
    with collector.paused(), collector.paused():
        pass
    assert not gc.isenabled()


def test_paused_collects_the_cycles_the_block_made(collecting) -> None:
    class Node:
        pass

    collected = []
    with collector.paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        gc.callbacks.append(lambda phase, info: collected.append(info["collected"]) if phase == "stop" else None)
        del a, b
    gc.callbacks.pop()
    assert sum(collected) >= 2


def _collection_during_passes(monkeypatch, chunk: int, articles: int) -> list[bool]:
    seen: list[bool] = []
    run = persist._Region.run

    def spied(self, new):
        seen.append(gc.isenabled())
        return run(self, new)

    monkeypatch.setattr(persist._Region, "run", spied)
    monkeypatch.setattr(persist, "CHUNK", chunk)
    with Store(":memory:") as store:
        for i in range(articles):
            store.add(_visit(f"a{i}", published=f"2024-05-0{i + 1}"))
        assert store.write(lambda conn: resolve_pending(conn)) == articles
    return seen


def test_a_bounded_pass_runs_with_collection_off(collecting, monkeypatch) -> None:
    assert _collection_during_passes(monkeypatch, chunk=2, articles=2) == [False]
    assert gc.isenabled()


def test_a_pass_longer_than_a_chunk_keeps_collection_on(collecting, monkeypatch) -> None:
    assert _collection_during_passes(monkeypatch, chunk=1, articles=2) == [True]
