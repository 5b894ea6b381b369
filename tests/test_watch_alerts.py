"""A watch round sends the alerts of the saved searches that gained items (the built-in
after-round hook), and a round that stores nothing sends nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.alerts import add
from parley.store import Store
from parley.watch import FakeClock, Watcher, WatchOptions

from .alert_servers import webhook_receiver
from .watch_server import FeedServer, light_analyzer


@pytest.fixture
def server():
    srv = FeedServer(hang_seconds=10)
    yield srv
    srv.close()


def test_a_round_that_stores_articles_sends_the_saved_searches_alerts(tmp_path: Path, server: FeedServer) -> None:
    feed = server.feed("/z.xml")
    clock = FakeClock()
    with webhook_receiver() as hook, Store(tmp_path / "w.db") as store:
        add(store, "zenda", "search", {"query": "Zenda"}, webhook=hook.url)  # nothing stored yet: no baseline
        watcher = Watcher(store, options=WatchOptions(every=60, host_gap=0, spread=0, resolve=True), clock=clock,
                          analyzer=light_analyzer)
        watcher.add(server.url("/z.xml"))
        watcher.round()
        assert hook.requests == []  # the feed was empty: nothing stored, nothing sent
        feed.add("z1")
        clock.advance(60)
        watcher.round()
        assert len(hook.requests) == 1
        assert hook.requests[0].payload["saved_search"] == "zenda" and hook.requests[0].payload["items"]
        clock.advance(60)
        watcher.round()  # nothing new stored: no second message
        assert len(hook.requests) == 1
