"""Watching sources: a local feed server that changes, answers 304, fails, hangs and recovers."""

from __future__ import annotations

import json
import logging
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.ingest.records import IngestOptions
from parley.store import Store
from parley.watch import FakeClock, Watcher, WatchOptions, parse_duration, state
from parley.watch.clock import from_iso
from parley.watch.schedule import backoff

from .watch_server import FeedServer, invented_text, light_analyzer

#: Seconds a request may take: a hanging feed costs this much, and a loaded machine answers well within it.
TIMEOUT = 1.5


@pytest.fixture
def server():
    srv = FeedServer(hang_seconds=10)
    yield srv
    srv.close()


@pytest.fixture
def hosts():
    """More feed servers, each its own host (port) for the per-host limits: `hosts(n)` gives n of them."""
    made: list[FeedServer] = []

    def make(n: int) -> list[FeedServer]:
        made.extend(FeedServer(hang_seconds=10) for _ in range(n))
        return made[-n:]

    yield make
    for srv in made:
        srv.close()


def _watcher(store: Store, clock: FakeClock, **options: object) -> Watcher:
    opts = WatchOptions(every=60, host_gap=0, max_backoff=600, spread=0, round_gap=0, resolve=False)
    for k, v in options.items():
        setattr(opts, k, v)
    return Watcher(store, options=opts, ingest_options=IngestOptions(timeout=TIMEOUT), clock=clock, analyzer=light_analyzer)


def _health(store: Store, clock: FakeClock) -> dict[str, dict]:
    return {row["source"].rsplit("/", 1)[-1]: row for row in store.read(lambda c: state.health(c, clock.now()))}


def test_feeds_change_answer_304_fail_hang_and_recover(store_url: str, server: FeedServer) -> None:
    a, b, c = server.feed("/a.xml"), server.feed("/b.xml"), server.feed("/c.xml")
    a.add("a1"), a.add("a2"), b.add("b1"), c.add("c1")
    b.mode, c.mode = "fail", "hang"
    clock = FakeClock()
    t0 = clock.now()
    with Store(store_url) as store:
        watcher = _watcher(store, clock)
        for path in ("/a.xml", "/b.xml", "/c.xml"):
            watcher.add(server.url(path))

        first = watcher.round()
        assert (first.polls, first.stored, first.failures) == (3, 2, 2)
        health = _health(store, clock)
        assert health["b.xml"]["last_error"] == "HTTP 500 Internal Server Error"
        assert health["c.xml"]["last_error"] == f"timed out after {TIMEOUT:g} s"
        assert from_iso(health["b.xml"]["next_poll"]) == t0 + 60  # one failure: the regular interval

        clock.advance(60)
        second = watcher.round()
        assert (second.polls, second.not_modified, second.failures, second.stored) == (3, 1, 2, 0)
        assert server.count("/a.xml", 304) == 1
        health = _health(store, clock)
        assert health["b.xml"]["failures"] == 2
        assert from_iso(health["b.xml"]["next_poll"]) == t0 + 60 + 120  # two in a row: twice the interval

        clock.advance(60)
        assert watcher.round().polls == 1  # b and c rest; a is polled

        b.mode = c.mode = "ok"
        b.add("b2"), a.add("a3")
        clock.advance(60)
        recovered = watcher.round()
        assert (recovered.polls, recovered.failures, recovered.stored) == (3, 0, 4)  # a3, b1, b2, c1
        health = _health(store, clock)
        assert {h["failures"] for h in health.values()} == {0}
        assert health["b.xml"]["failures_total"] == 2 and health["b.xml"]["last_success"]
        assert health["a.xml"]["items"] == 3 and health["a.xml"]["items_week"] == 3
        assert store.counts()["articles"] == 6

    with Store(store_url) as store:  # a restart: the validators and what was seen come from the store
        clock.advance(60)
        again = _watcher(store, clock)
        quiet = again.round()
        assert (quiet.polls, quiet.not_modified, quiet.stored) == (3, 3, 0)
        assert store.counts()["articles"] == 6


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff(60, n, 600) for n in range(7)] == [60, 60, 120, 240, 480, 600, 600]
    assert backoff(3600, 5, 600) == 3600  # never shorter than the interval itself


def test_a_teaser_entry_links_a_page_fetched_once(tmp_path: Path, server: FeedServer) -> None:
    feed = server.feed("/t.xml")
    feed.add("t1", teaser=True)
    clock = FakeClock()
    with Store(tmp_path / "p.db") as store:
        watcher = _watcher(store, clock)
        watcher.add(server.url("/t.xml"))
        assert watcher.round().stored == 1
        feed.add("t2", teaser=True)
        clock.advance(60)
        assert watcher.round().stored == 1
        clock.advance(60)
        assert watcher.round().not_modified == 1
    assert server.count("/page/t1") == 1 and server.count("/page/t2") == 1
    assert server.count("/t.xml", 200) == 2


def test_a_folder_is_read_for_new_and_changed_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text("Envoys in Zenda\n\n" + invented_text("one"), encoding="utf-8")
    clock = FakeClock()
    with Store(tmp_path / "f.db") as store:
        watcher = _watcher(store, clock)
        watcher.add(str(folder))
        assert watcher.round().stored == 1
        clock.advance(60)
        unchanged = watcher.round()
        assert (unchanged.not_modified, unchanged.stored) == (1, 0)
        (folder / "two.txt").write_text("Talks in Strelsau\n\n" + invented_text("two"), encoding="utf-8")
        clock.advance(60)
        assert watcher.round().stored == 1
        (folder / "one.txt").write_text("Envoys in Zenda\n\n" + invented_text("one, revised"), encoding="utf-8")
        clock.advance(60)
        assert watcher.round().stored == 1  # the changed file's new text
        assert store.counts()["articles"] == 3
        assert _health(store, clock)["in"]["status"] == "changed"


def test_after_round_hooks_get_the_new_articles_and_a_broken_one_stops_nothing(tmp_path: Path,
                                                                              server: FeedServer) -> None:
    feed = server.feed("/h.xml")
    feed.add("h1"), feed.add("h2")
    calls: list[list[str]] = []

    def broken(store: Store, ids: list[str]) -> None:
        raise RuntimeError("no mail server")

    clock = FakeClock()
    with Store(tmp_path / "h.db") as store:
        watcher = Watcher(store, options=WatchOptions(every=60, host_gap=0, spread=0, resolve=True), clock=clock,
                          analyzer=light_analyzer, after_round=[broken, lambda s, ids: calls.append(ids)])
        watcher.add(server.url("/h.xml"))
        report = watcher.round()
        assert report.hook_failures == 1
        assert sorted(calls[0]) == sorted(a["id"] for a in store.articles())
        clock.advance(60)
        watcher.round()  # nothing new: no call
        assert len(calls) == 1


def test_per_host_gap_spaces_the_requests_to_one_host(tmp_path: Path, server: FeedServer) -> None:
    for n in range(4):
        server.feed(f"/g{n}.xml").add(f"g{n}")
    clock = FakeClock()
    t0 = clock.now()
    with Store(tmp_path / "g.db") as store:
        watcher = _watcher(store, clock, host_gap=5.0, per_host=1)
        for n in range(4):
            watcher.add(server.url(f"/g{n}.xml"))
        assert watcher.round().stored == 4
        starts = sorted(from_iso(h["next_poll"]) - 60 for h in _health(store, clock).values())
    assert clock.now() == t0 + 15  # four requests to one host, 5 s apart by the watcher's clock
    assert starts[-1] == t0 + 15


@pytest.mark.parametrize("value", ["15x", "0", "-5m", "m", ""])
def test_bad_every_is_a_usage_error_with_a_hint(tmp_path: Path, value: str) -> None:
    result = CliRunner().invoke(main, ["watch", str(tmp_path), "--every", value, "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "--every" in result.output and "15m" in result.output
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(value)


def test_durations_as_users_write_them() -> None:
    assert [parse_duration(v) for v in ("30s", "15m", "1h", "1d", "1h30m", "90")] == [30, 900, 3600, 86400, 5400, 90]


@pytest.mark.parametrize(("source", "reason"), [
    ("ftp://example.org/feed.xml", "cannot watch a ftp: source"),
    ("s3://bucket/news", "cannot watch a s3: source"),
    ("no/such/folder", "no such file or folder"),
    ("-", "standard input cannot be watched"),
])
def test_a_source_that_cannot_be_watched_is_refused_before_any_poll(tmp_path: Path, source: str, reason: str) -> None:
    db = tmp_path / "x.db"
    result = CliRunner().invoke(main, ["watch", source, "--once", "--db", str(db)])
    assert result.exit_code == 2
    assert reason in result.output and "watch http(s) URLs" in result.output
    with Store(db) as store:
        assert store.read(lambda c: state.sources(c)) == []


def test_a_list_of_sources_and_parley_sources(tmp_path: Path, server: FeedServer) -> None:
    server.feed("/l.xml").add("l1")
    (tmp_path / "in").mkdir()
    listing = tmp_path / "sources.txt"
    listing.write_text(f"# feeds\n{server.url('/l.xml')}\nin   # a folder beside the list\n\n", encoding="utf-8")
    db = tmp_path / "l.db"
    missing = CliRunner().invoke(main, ["watch", "--from", str(tmp_path / "nope.txt"), "--db", str(db)])
    assert missing.exit_code == 2 and "no such file or folder" in missing.output
    nothing = CliRunner().invoke(main, ["watch", "--once", "--db", str(db)])
    assert nothing.exit_code == 2 and "nothing to watch" in nothing.output

    clock = FakeClock()
    with Store(db) as store:
        watcher = _watcher(store, clock)
        from parley.watch.targets import read_list

        for name, base in read_list(listing):
            watcher.add(name, base=base)
        watcher.round()
    result = CliRunner().invoke(main, ["sources", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["kind"]: r for r in json.loads(result.output)}
    assert (rows["url"]["items"], rows["url"]["status"], rows["folder"]["status"]) == (1, "200", "unchanged")
    assert rows["folder"]["source"] == str((tmp_path / "in").resolve())
    assert {"last_success", "last_error", "next_poll", "items_week", "failures"} <= set(rows["url"])

    forget = CliRunner().invoke(main, ["sources", "--db", str(db), "--forget", rows["folder"]["source"]])
    assert forget.exit_code == 0
    table = CliRunner().invoke(main, ["sources", "--db", str(db)])
    assert "l.xml" in table.output and str(tmp_path / "in") not in table.output
    unknown = CliRunner().invoke(main, ["sources", "--db", str(db), "--forget", "http://nowhere.invalid/"])
    assert unknown.exit_code == 2 and "is not watched" in unknown.output


def test_an_entry_whose_page_timed_out_is_tried_again_though_the_feed_is_unchanged(tmp_path: Path,
                                                                                   server: FeedServer) -> None:
    feed = server.feed("/p.xml")
    feed.add("p1", teaser=True)
    feed.add("p2", teaser=True)
    server.pages["/page/p2"] = invented_text("page-p2")
    server.hang_pages.add("/page/p2")
    clock = FakeClock()
    with Store(tmp_path / "p.db") as store:
        watcher = _watcher(store, clock)
        watcher.add(server.url("/p.xml"))
        first = watcher.round()
        assert (first.stored, first.skipped) == (1, 1)
        server.hang_pages.clear()
        clock.advance(60)
        second = watcher.round()
        assert (second.stored, second.not_modified) == (1, 0)  # asked without validators: the entry is read again
        clock.advance(60)
        assert watcher.round().not_modified == 1
    assert server.count("/page/p1", 200) == 1 and server.count("/page/p2", 200) == 1


def test_a_watch_in_the_background_stops_when_asked(tmp_path: Path) -> None:
    from parley.watch import start_background

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Envoys in Zenda\n\n" + invented_text("bg"), encoding="utf-8")
    db = tmp_path / "bg.db"
    with Store(db) as store:
        _watcher(store, FakeClock()).add(str(folder))
    thread, stop = start_background(str(db), options=WatchOptions(every=3600, resolve=False), analyzer=light_analyzer)
    try:
        for _ in range(200):
            with Store(db) as store:
                if store.counts()["articles"]:
                    break
            thread.join(0.05)
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
    with Store(db) as store:
        assert store.counts()["articles"] == 1


def test_last_modified_alone_gives_304_and_each_poll_logs_one_line(tmp_path: Path, server: FeedServer,
                                                                    caplog: pytest.LogCaptureFixture,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    feed = server.feed("/m.xml")
    feed.etag = False
    feed.add("m1")
    server.feed("/x.xml").mode = "fail"
    clock = FakeClock()
    caplog.set_level("INFO", logger="parley.watch")
    monkeypatch.setattr(logging.getLogger("parley.watch"), "propagate", True)  # the CLI tests' set-up turns it off
    with Store(tmp_path / "m.db") as store:
        watcher = _watcher(store, clock)
        watcher.add(server.url("/m.xml"))
        watcher.add(server.url("/x.xml"))
        watcher.round()
        clock.advance(60)
        watcher.round()
    lines = [r.getMessage() for r in caplog.records if r.name == "parley.watch"]
    assert len(lines) == 4
    m, x = server.url("/m.xml"), server.url("/x.xml")
    assert f"poll {m}: 200, 1 new; next poll 2026-01-01 00:01:00Z" in lines
    assert f"poll {m}: 304 not modified; next poll 2026-01-01 00:02:00Z" in lines
    assert (f"poll {x}: failed: HTTP 500 Internal Server Error; 2 failures in a row, "
            "next poll 2026-01-01 00:03:00Z (in 2m)") in lines


def test_once_polls_every_source_but_those_resting_after_failures(tmp_path: Path, server: FeedServer) -> None:
    server.feed("/o.xml").add("o1")
    server.feed("/r.xml").mode = "fail"
    clock = FakeClock()
    with Store(tmp_path / "o.db") as store:
        watcher = _watcher(store, clock)
        watcher.add(server.url("/o.xml"))
        watcher.add(server.url("/r.xml"))
        assert watcher.round().polls == 2
        again = watcher.round(once=True)  # no time has passed: nothing is due, yet cron's round polls
        assert (again.polls, again.not_modified) == (1, 1)  # o.xml; r.xml rests


def test_a_source_keeps_its_interval_until_named_with_another(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    with Store(tmp_path / "e.db") as store:
        watcher = _watcher(store, FakeClock())
        assert watcher.add(str(folder)).every == 60  # the watcher's default
        assert watcher.add(str(folder), every=3600).every == 3600
        assert watcher.add(str(folder)).every == 3600  # named again without an interval: kept
        assert len(watcher.sources()) == 1


def test_a_feeds_linked_pages_are_spaced_like_its_polls(tmp_path: Path, server: FeedServer) -> None:
    feed = server.feed("/s.xml")
    for n in range(3):
        feed.add(f"s{n}", teaser=True)
    clock = FakeClock()
    t0 = clock.now()
    with Store(tmp_path / "s.db") as store:
        watcher = _watcher(store, clock, host_gap=5.0)
        watcher.add(server.url("/s.xml"))
        assert watcher.round().stored == 3
    assert clock.now() == t0 + 15  # the feed at once, its three pages 5 s apart by the watcher's clock


def test_retry_after_on_429_and_503_sets_the_next_poll_within_max_backoff(tmp_path: Path, hosts) -> None:
    from email.utils import formatdate

    paths = ("/busy.xml", "/down.xml", "/late.xml", "/plain.xml", "/now.xml", "/odd.xml")
    servers = dict(zip(paths, hosts(len(paths))))  # each on its own host: a host's rest stops only its own feeds
    busy, down, late, plain, at_once, odd = (servers[p].feed(p) for p in paths)
    at_once.retry_after, odd.retry_after = "0", "soon"  # at once: no sooner than the interval; unreadable: ignored
    for feed in (busy, down, late, plain, at_once, odd):
        feed.add(f"{id(feed)}"), setattr(feed, "mode", "busy")
    clock = FakeClock()
    t0 = clock.now()
    busy.retry_after = "120"  # seconds
    down.busy_status, down.retry_after = 503, formatdate(t0 + 300, usegmt=True)  # an HTTP date
    late.retry_after = "86400"  # longer than --max-backoff (600 s here)
    plain.busy_status = 503  # no Retry-After: the ordinary back-off
    with Store(tmp_path / "r.db") as store:
        watcher = _watcher(store, clock)
        for path in paths:
            watcher.add(servers[path].url(path))
        report = watcher.round()
        assert (report.polls, report.failures) == (6, 6)
        health = _health(store, clock)
        assert from_iso(health["busy.xml"]["next_poll"]) == t0 + 120
        assert from_iso(health["down.xml"]["next_poll"]) == t0 + 300
        assert from_iso(health["late.xml"]["next_poll"]) == t0 + 600  # capped by --max-backoff
        assert from_iso(health["plain.xml"]["next_poll"]) == t0 + 60
        assert from_iso(health["now.xml"]["next_poll"]) == from_iso(health["odd.xml"]["next_poll"]) == t0 + 60
        store.write(lambda c: [state.forget(c, servers[p].url(p)) for p in ("/now.xml", "/odd.xml")])
        assert health["busy.xml"]["last_error"] == "HTTP 429 Too Many Requests"  # a failure in the health listing
        assert health["down.xml"]["failures"] == 1 and health["down.xml"]["status"] == "error"

        busy.mode = down.mode = "ok"
        clock.advance(119)
        assert watcher.round().polls == 1  # only plain.xml is due (at 60 s): busy.xml waits for the server's time
        clock.advance(1)
        assert watcher.round().stored == 1  # busy.xml, at 120 s
        clock.advance(180)
        assert watcher.round().stored == 1  # down.xml, at 300 s
        assert _health(store, clock)["down.xml"]["failures"] == 0
    assert servers["/busy.xml"].count("/busy.xml", 429) == 1 and servers["/down.xml"].count("/down.xml", 503) == 1


def test_retry_after_on_a_linked_page_rests_its_whole_host_and_no_other(tmp_path: Path, hosts) -> None:
    """A 429 / 503 with Retry-After to a feed's linked page: no request to that host (the feed's other
    pages, its other feeds) until the time given; their entries are read then, once; another host goes on."""
    rested, other = hosts(2)
    teasers, full, elsewhere = rested.feed("/t.xml"), rested.feed("/u.xml"), other.feed("/v.xml")
    for n in range(3):
        teasers.add(f"t{n}", teaser=True)
    full.add("u0"), elsewhere.add("v0")
    rested.pages["/page/t0"] = invented_text("page-t0")
    rested.busy_pages["/page/t0"] = (503, "300")
    clock = FakeClock()
    t0 = clock.now()
    with Store(tmp_path / "h.db") as store:
        watcher = _watcher(store, clock, concurrency=1)
        for url in (rested.url("/t.xml"), rested.url("/u.xml"), other.url("/v.xml")):
            watcher.add(url)
        first = watcher.round()  # polls t, u, v; reading t, its first page answers 503: the other two are not asked
        assert (first.polls, first.failures, first.stored, first.skipped) == (3, 0, 2, 3)
        assert [p for p, _ in rested.log if p.startswith("/page/")] == ["/page/t0"]
        asked = len(rested.log)

        elsewhere.add("v1")
        clock.advance(60)
        second = watcher.round()  # all three due; only v (the other host) is asked
        assert (second.polls, second.deferred, second.failures, second.stored) == (1, 2, 0, 1)
        assert len(rested.log) == asked
        health = _health(store, clock)
        assert from_iso(health["t.xml"]["next_poll"]) == from_iso(health["u.xml"]["next_poll"]) == t0 + 300
        assert health["t.xml"]["failures"] == health["u.xml"]["failures"] == 0  # resting is not failing

        del rested.busy_pages["/page/t0"]
        clock.advance(239)
        assert watcher.round().polls == 1 and len(rested.log) == asked  # at 299 s: v (due), the host still rests
        clock.advance(1)
        third = watcher.round()  # at 300 s: t asked again without validators, its three pages read; u unchanged
        assert (third.stored, third.not_modified) == (3, 1)
        clock.advance(60)
        assert watcher.round().stored == 0
        assert store.counts()["articles"] == 6  # t0-t2, u0, v0, v1: each once
    assert [rested.count(f"/page/t{n}", 200) for n in range(3)] == [1, 1, 1]
    assert rested.count("/page/t0", 503) == 1


def test_once_exits_1_while_any_source_is_failing_and_names_it(tmp_path: Path, server: FeedServer) -> None:
    server.feed("/fine.xml")  # an empty feed: nothing to analyse
    broken = server.feed("/broken.xml")
    broken.mode = "fail"
    db = str(tmp_path / "c.db")
    args = ["watch", "--once", "--host-gap", "0", "--timeout", str(TIMEOUT), "--db", db]
    healthy = CliRunner().invoke(main, [*args, server.url("/fine.xml")])
    assert healthy.exit_code == 0, healthy.output
    first = CliRunner().invoke(main, [*args, server.url("/broken.xml")])
    assert first.exit_code == 1
    assert f"failing: {server.url('/broken.xml')} (1 failure in a row" in first.output
    assert "fine.xml" not in first.output.split("one round")[1]
    resting = CliRunner().invoke(main, args)  # the broken feed rests: not polled, still reported
    assert resting.exit_code == 1 and "1 polls" in resting.output and "failing: " in resting.output
    assert server.count("/broken.xml") == 1


def test_first_polls_of_many_feeds_are_spread_over_the_interval_the_same_way_each_time(tmp_path: Path,
                                                                                        server: FeedServer) -> None:
    from parley.watch.schedule import phase

    urls = [server.url(f"/j{n}.xml") for n in range(20)]
    for n in range(20):
        server.feed(f"/j{n}.xml").add(f"j{n}")
    clock = FakeClock()
    t0 = clock.now()
    with Store(tmp_path / "j.db") as store:
        watcher = _watcher(store, clock, spread=None)  # the default: over each source's interval (60 s)
        offsets = sorted(from_iso(watcher.add(url).next_poll) - t0 for url in urls)
        assert all(0 <= o < 60 for o in offsets) and len(set(offsets)) == 20
        assert sum(o < 30 for o in offsets) not in (0, 20)  # spread, not bunched at one end
        assert watcher.add(str(tmp_path)).next_poll == state.iso(t0)  # a folder: local, polled at once
        watcher.run(until=t0 + max(offsets) + 1e-3)  # the last phase may fall anywhere in the minute (the port varies)
        assert watcher.round().polls == 0  # each polled once, at its own time in the first minute
        polls = sorted(from_iso(s.next_poll) - 60 - t0 for s in watcher.sources() if s.kind == "url")
        assert polls == pytest.approx(offsets, abs=1e-3)  # each at its own place: 20 moments, not one
    assert all(server.count(f"/j{n}.xml") == 1 for n in range(20))

    with Store(tmp_path / "again.db") as store:  # a watch list built again: the same places
        watcher = _watcher(store, FakeClock(t0), spread=None)
        assert sorted(from_iso(watcher.add(url).next_poll) - t0 for url in urls) == offsets
        assert offsets == pytest.approx(sorted(phase(url) * 60 for url in urls), abs=1e-3)
        narrow = _watcher(store, FakeClock(t0), spread=10.0)
        assert 0 <= from_iso(narrow.add(server.url("/new.xml")).next_poll) - t0 < 10  # --spread 10s


def _keys(store: Store, location: str) -> set[str]:
    sid = state.source_id(location)
    return store.read(lambda c: set(c.execute(state.select(state.watch_items.c.key)
                                                      .where(state.watch_items.c.source_id == sid)).scalars()))


def test_seen_items_gone_from_their_source_are_forgotten_after_keep_seen(tmp_path: Path, store_url: str,
                                                                         server: FeedServer) -> None:
    feed = server.feed("/q.xml")
    feed.add("q1"), feed.add("q2")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text("Envoys in Zenda\n\n" + invented_text("q-one"), encoding="utf-8")
    (folder / "two.txt").write_text("Talks in Strelsau\n\n" + invented_text("q-two"), encoding="utf-8")
    day = 86400
    clock = FakeClock()
    url = server.url("/q.xml")
    with Store(store_url) as store:
        watcher = _watcher(store, clock, keep_seen=30 * day)
        watcher.add(url), watcher.add(str(folder))
        assert watcher.round().stored == 4
        feed.items.pop(0), feed.add("q3")  # q1 leaves the feed
        (folder / "one.txt").unlink()
        clock.advance(10 * day)
        assert watcher.round().stored == 1  # q3
        assert _keys(store, url) == {"q1", "q2", "q3"}  # q1 seen 10 days ago: kept
        assert len(_keys(store, str(folder.resolve()))) == 4  # two files' sizes and times, two articles' ids
        clock.advance(21 * day)
        assert watcher.round().not_modified == 2  # a 304 lists nothing: nothing is forgotten (nor added)
        assert _keys(store, url) == {"q1", "q2", "q3"}
        feed.add("q4")
        clock.advance(60)
        watcher.round()  # q2 still listed though seen 31 days ago: kept; q1 gone and old: forgotten
        assert _keys(store, url) == {"q2", "q3", "q4"}
        [left] = _keys(store, str(folder.resolve()))  # the file still there, as it was: not read again
        assert left.startswith("file:two.txt:")
        feed.add("q1")  # a forgotten entry back in the feed: read again, its article known by its id
        clock.advance(60)
        again = watcher.round()
        assert (again.stored, again.duplicates) == (0, 1) and store.counts()["articles"] == 6
    assert server.count("/q.xml", 200) == 4


def test_keep_seen_shorter_than_a_week_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["watch", str(tmp_path), "--keep-seen", "3d", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "--keep-seen" in result.output and "7d" in result.output


def test_a_redirect_is_spaced_by_the_host_gap_like_any_request(tmp_path: Path, server: FeedServer) -> None:
    server.feed("/moved.xml").add("mv1")
    server.redirects["/old.xml"] = "/moved.xml"
    clock = FakeClock()
    t0 = clock.now()
    with Store(tmp_path / "mv.db") as store:
        watcher = _watcher(store, clock, host_gap=5.0)
        watcher.add(server.url("/old.xml"))
        assert watcher.round().stored == 1
        assert clock.now() == t0 + 5  # the poll at once, the request it was sent on to 5 s later
        clock.advance(60)  # next poll: a minute after the answer
        assert watcher.round().not_modified == 1  # the validators of the feed it moved to, kept
        assert clock.now() == t0 + 65 + 5
    assert server.count("/old.xml", 301) == 2 and server.count("/moved.xml", 200) == 1


def test_spread_sources_are_polled_in_rounds_at_least_round_gap_apart(tmp_path: Path, server: FeedServer) -> None:
    for n in range(30):
        server.feed(f"/b{n}.xml")  # empty feeds: the schedule is measured, not the reading
    clock = FakeClock()
    t0 = clock.now()
    with Store(tmp_path / "b.db") as store:
        watcher = _watcher(store, clock, every=600, spread=None, round_gap=60)
        due = {server.url(f"/b{n}.xml"): from_iso(watcher.add(server.url(f"/b{n}.xml")).next_poll) for n in range(30)}
        rounds = watcher.run(until=t0 + 659)  # each first due in [t0, t0 + 600), polled within a round's gap
        assert 2 <= len(rounds) <= 12 and sum(r.polls for r in rounds) == 30  # 30 sources, a round a minute at most
        assert all(b.started - a.started >= 60 for a, b in pairwise(rounds))
        for source in watcher.sources():
            polled = from_iso(source.next_poll) - 600
            assert due[source.location] <= polled <= due[source.location] + 60  # late by a round's gap at most
    assert all(server.count(f"/b{n}.xml") == 1 for n in range(30))
