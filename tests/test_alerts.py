"""Alerts from saved searches (invented documents, local receivers on 127.0.0.1): one message per
saved search per run, one item per story with its evidence sentence and link; a webhook message
signed with the shared secret; e-mail over STARTTLS with a plain and an HTML part; retries with
back-off; and never the same item twice, even when a story gains a report."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from parley.alerts import SmtpSettings, add, deliver_alerts
from parley.alerts.tables import alert_deliveries
from parley.alerts.webhook import SIGNATURE_HEADER, sign, verify
from parley.cli import main
from parley.resolve.persist import update
from parley.store import Store

from .alert_servers import smtp_server, webhook_receiver
from .resolve_builders import doc
from .test_resolve_stories import KOVAC as _KOVAC
from .test_resolve_stories import _signing, _visit

SECRET = "not-so-secret-shared-value"
BASE = "https://parley.example.org"


def _grow(store: Store, *docs) -> None:
    store.add_many(list(docs))
    update(store)


_TAILS = {"s0": " Customs officers at the border post expect the first lorries of barley within a month.",
          "s5": " The accord lowers duties on timber and glassware, and a joint commission meets in spring."}


def _signed(aid: str) -> object:
    """A signing story's report in its own words (the same text twice would be a duplicate)."""
    text = "During the visit to Tarlenheim, Ruritania and Zenda signed a trade accord." + _TAILS[aid]
    return doc(aid, text, [], ["Tarlenheim", "Ruritania", "Zenda"], events=[
        {"trigger": "signed", "type": "SUPPORT", "actor": ["Ruritania"], "recipient": ["Zenda"],
         "location": "Tarlenheim", "date": "2024-05-02"}])


def _store(url: str) -> Store:
    store = Store(url)
    _grow(store, _visit("a1", published="2024-05-02"))
    return store


def _run(store: Store, **kwargs):
    waits: list[float] = []
    summary = deliver_alerts(store, base_url=BASE, sleep=waits.append, **kwargs)
    return summary, waits


def test_a_webhook_gets_one_signed_message_per_run_one_item_per_story(store_url: str) -> None:
    with _store(store_url) as store, webhook_receiver() as hook:
        add(store, "visits-to-zenda", "stories", {"place": "tarlenheim"}, webhook=hook.url, secret=SECRET)
        assert _run(store)[0].deliveries == [] and hook.requests == []  # the baseline is not news
        # a second report of the story already there, and a new story (a signing) in two articles
        _grow(store, _visit("b2", published="2024-05-03"), _signing("s1"), _signing("s2"))
        summary, _ = _run(store)
        assert [(d.channel, d.status, d.items) for d in summary.deliveries] == [("webhook", "delivered", 1)]
        assert len(hook.requests) == 1
        sent = hook.requests[0]
        payload = sent.payload
        assert payload["saved_search"] == "visits-to-zenda" and payload["kind"] == "stories"
        [item] = payload["items"]  # the signing's story once, though two articles report it
        assert item["reports"] == 2 and item["story"] and item["id"] == f"story:{item['story']}"
        assert item["evidence"] == "During the visit to Tarlenheim, Ruritania and Zenda signed a trade accord."
        assert item["link"] == f"{BASE}/stories/{item['story']}"
        assert sent.headers["x-parley-delivery"] == payload["delivery"]
        # the signature is the body's under the shared secret, and no other secret's
        assert verify(sent.body, SECRET, sent.headers[SIGNATURE_HEADER.lower()])
        assert sent.headers[SIGNATURE_HEADER.lower()] == sign(sent.body, SECRET)
        assert not verify(sent.body, "a-wrong-secret", sent.headers[SIGNATURE_HEADER.lower()])
        assert not verify(sent.body + b" ", SECRET, sent.headers[SIGNATURE_HEADER.lower()])
        # again: nothing new, nothing sent
        assert _run(store)[0].deliveries == [] and len(hook.requests) == 1
        # a third report of the alerted signing is not a new alert
        _grow(store, _signing("s3"))
        assert _run(store)[0].deliveries == [] and len(hook.requests) == 1


def test_a_report_that_renames_an_alerted_story_is_not_a_new_alert(tmp_path: Path) -> None:
    """A story's id comes from its earliest report: an article with a smaller id joining the story
    gives it another id. It is still the story already alerted."""
    with _store(str(tmp_path / "s.db")) as store, webhook_receiver() as hook:
        add(store, "signings", "stories", {"type": "SUPPORT"}, webhook=hook.url)
        _grow(store, _signed("s5"))
        _run(store)
        first = hook.requests[0].payload["items"][0]["story"]
        _grow(store, _signed("s0"))  # sorts before s5
        from parley.store import resolved

        ids = store.read(lambda c: list(c.execute(select(resolved.stories.c.id).where(
            resolved.stories.c.type == "SUPPORT")).scalars()))
        assert ids and first not in ids  # the story was renamed ...
        assert _run(store)[0].deliveries == [] and len(hook.requests) == 1  # ... and is not news


def test_events_of_one_story_are_one_item_and_an_event_without_a_story_its_own(tmp_path: Path) -> None:
    with _store(str(tmp_path / "s.db")) as store, webhook_receiver() as hook:
        add(store, "all-events", "events", {}, webhook=hook.url)
        _grow(store, _visit("c1", who=_KOVAC, day="2024-06-10", published="2024-06-10"))
        _run(store)
        [item] = hook.requests[0].payload["items"]  # two events ("visited", "met"), one story
        assert item["story"] and item["reports"] == 2 and "Ivo Kovac" in item["title"]
        assert item["evidence"].startswith("Ivo Kovac visited Tarlenheim")


def test_a_failing_webhook_is_tried_again_with_back_off_then_succeeds(tmp_path: Path) -> None:
    with _store(str(tmp_path / "s.db")) as store, webhook_receiver([503, 500, 200]) as hook:
        add(store, "signings", "stories", {"type": "SUPPORT"}, webhook=hook.url, secret=SECRET)
        _grow(store, _signing("s1"))
        summary, waits = _run(store, attempts=4, backoff=0.5)
        assert [(d.status, d.attempts, d.items) for d in summary.deliveries] == [("delivered", 3, 1)]
        assert waits == [0.5, 1.0]  # doubling
        assert len(hook.requests) == 3
        assert len({r.body for r in hook.requests}) == 1  # the same message each time
        assert all(verify(r.body, SECRET, r.headers[SIGNATURE_HEADER.lower()]) for r in hook.requests)
        assert _run(store)[0].deliveries == [] and len(hook.requests) == 3


def test_a_webhook_that_keeps_failing_gives_up_and_the_items_wait_for_the_next_run(tmp_path: Path) -> None:
    with _store(str(tmp_path / "s.db")) as store:
        with webhook_receiver([503]) as down:
            add(store, "signings", "stories", {"type": "SUPPORT"}, webhook=down.url)
            _grow(store, _signing("s1"))
            summary, waits = _run(store, attempts=3, backoff=1)
            assert [(d.status, d.attempts) for d in summary.deliveries] == [("failed", 3)]
            assert "503" in summary.deliveries[0].error and waits == [1, 2] and len(down.requests) == 3
        rows = store.read(lambda c: c.execute(select(alert_deliveries.c.status, alert_deliveries.c.item_count)).all())
        assert [tuple(r) for r in rows] == [("failed", 1)]
        with webhook_receiver([200]) as up:
            from parley.alerts.tables import saved_searches

            store.write(lambda c: c.execute(saved_searches.update().values(webhook_url=up.url)))
            summary, _ = _run(store)
            assert [(d.status, d.items) for d in summary.deliveries] == [("delivered", 1)]
            assert len(up.requests) == 1


def test_a_refusal_by_the_receiver_is_not_tried_again(tmp_path: Path) -> None:
    with _store(str(tmp_path / "s.db")) as store, webhook_receiver([400, 200]) as hook:
        add(store, "signings", "stories", {"type": "SUPPORT"}, webhook=hook.url)
        _grow(store, _signing("s1"))
        summary, waits = _run(store, attempts=4)
        assert [(d.status, d.attempts) for d in summary.deliveries] == [("failed", 1)] and waits == []
        assert _run(store)[0].deliveries[0].status == "delivered"  # the next run sends it


def test_existing_items_are_alerted_only_when_asked(tmp_path: Path) -> None:
    with _store(str(tmp_path / "s.db")) as store, webhook_receiver() as hook:
        add(store, "from-now", "events", {}, webhook=hook.url)
        add(store, "everything", "events", {}, webhook=hook.url, baseline=False)
        summary, _ = _run(store)
        assert [(d.search, d.items) for d in summary.deliveries] == [("everything", 1)]


def test_an_email_goes_over_starttls_with_a_plain_and_an_html_part(tmp_path: Path) -> None:
    with _store(str(tmp_path / "s.db")) as store, smtp_server() as box:
        add(store, "signings <&>", "stories", {"type": "SUPPORT"}, emails=["desk@example.org", "chief@example.org"])
        _grow(store, _signing("s1"))
        smtp = SmtpSettings(host=box.host, port=box.port, sender="parley@example.org", ssl_context=box.client_context)
        summary, _ = _run(store, smtp=smtp)
        assert [(d.channel, d.status, d.items) for d in summary.deliveries] == [("email", "delivered", 1)]
        [message] = box.messages
        assert box.tls == [True]
        assert sorted(box.envelopes[0].rcpt_tos) == ["chief@example.org", "desk@example.org"]
        assert message["Subject"] == "Parley: 1 new for signings <&>" and message["From"] == "parley@example.org"
        assert message.get_content_type() == "multipart/alternative"
        plain = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        evidence = "During the visit to Tarlenheim, Ruritania and Zenda signed a trade accord."
        assert evidence in plain and f"{BASE}/stories/" in plain
        assert evidence in html and f'<a href="{BASE}/stories/' in html
        assert "signings &lt;&amp;&gt;" in html and "<&>" not in html  # escaped
        assert _run(store, smtp=smtp)[0].deliveries == [] and len(box.messages) == 1


def test_a_mail_server_without_starttls_is_refused_not_used_in_clear(tmp_path: Path) -> None:
    with _store(str(tmp_path / "s.db")) as store, smtp_server(starttls=False) as box:
        add(store, "signings", "stories", {"type": "SUPPORT"}, emails=["desk@example.org"])
        _grow(store, _signing("s1"))
        summary, waits = _run(store, smtp=SmtpSettings(host=box.host, port=box.port))
        assert [(d.status, d.attempts) for d in summary.deliveries] == [("failed", 1)] and waits == []
        assert "STARTTLS" in summary.deliveries[0].error and box.messages == []


def test_webhook_and_email_each_deliver_once(tmp_path: Path) -> None:
    with _store(str(tmp_path / "s.db")) as store, webhook_receiver([500, 200]) as hook, smtp_server() as box:
        add(store, "both", "stories", {}, webhook=hook.url, emails=["desk@example.org"])
        _grow(store, _signing("s1"))
        smtp = SmtpSettings(host=box.host, port=box.port, ssl_context=box.client_context)
        summary, _ = _run(store, smtp=smtp)
        assert sorted((d.channel, d.status) for d in summary.deliveries) == [("email", "delivered"),
                                                                            ("webhook", "delivered")]
        assert len(box.messages) == 1 and len(hook.requests) == 2
        assert _run(store, smtp=smtp)[0].deliveries == []


def test_email_without_a_mail_server_is_skipped_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARLEY_SMTP_HOST", raising=False)
    with _store(str(tmp_path / "s.db")) as store, smtp_server() as box:
        add(store, "signings", "stories", {"type": "SUPPORT"}, emails=["desk@example.org"])
        _grow(store, _signing("s1"))
        summary, _ = _run(store)
        assert [(d.status, d.items) for d in summary.deliveries] == [("skipped", 1)]
        assert "PARLEY_SMTP_HOST" in summary.deliveries[0].error
        smtp = SmtpSettings(host=box.host, port=box.port, ssl_context=box.client_context)
        assert [d.status for d in _run(store, smtp=smtp)[0].deliveries] == ["delivered"]


def test_alerts_run_on_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    with _store(db) as store:
        _grow(store, _signing("s1"))
    runner = CliRunner()
    with webhook_receiver([200]) as hook:
        r = runner.invoke(main, ["saved", "add", "signings", "--kind", "stories", "--type", "SUPPORT",
                                 "--webhook", hook.url, "--include-existing", "--db", db])
        assert r.exit_code == 0, r.output
        r = runner.invoke(main, ["alerts", "run", "--db", db, "--base-url", BASE, "--json"])
        assert r.exit_code == 0, r.output
        assert '"items_delivered": 1' in r.output and len(hook.requests) == 1
        assert hook.requests[0].payload["items"][0]["link"].startswith(BASE + "/stories/s")
        assert SIGNATURE_HEADER.lower() not in hook.requests[0].headers  # no secret, no signature
    with webhook_receiver([503]) as down:
        with Store(db) as store:
            _grow(store, _signing("s2"), _visit("k1", day="2025-01-05", published="2025-01-05"))
        r = runner.invoke(main, ["saved", "add", "all", "--kind", "events", "--webhook", down.url, "--db", db])
        assert r.exit_code == 0, r.output
        with Store(db) as store:
            _grow(store, _visit("k2", who=_KOVAC, day="2025-03-05", published="2025-03-05"))
        r = runner.invoke(main, ["alerts", "run", "--db", db, "--attempts", "2", "--backoff", "0"])
        assert r.exit_code == 1 and "all -> webhook: failed 1 item after 2 tries" in r.output
        r = runner.invoke(main, ["alerts", "run", "--db", db, "--saved", "al"])
        assert r.exit_code == 1 and "did you mean all?" in r.output


def test_alert_links_are_the_web_uis_addresses() -> None:
    """items.py writes the web UI's paths itself (importing the web package costs seconds): the same
    as parley.web.urls writes them, ids with a slash, a space or a "#" included."""
    from parley.alerts.items import Item, _path
    from parley.web import urls

    for article, sub in [("a/b c#1", "v1"), ("plain", "q/2?x")]:
        event = Item(key="k", keys=set(), kind="events", row={"article_id": article, "id": sub})
        quote_ = Item(key="k", keys=set(), kind="quotes", row={"article_id": article, "id": sub})
        found = Item(key="k", keys=set(), kind="search", row={"id": article})
        assert _path(event, article) == urls.event_url(article, sub)
        assert _path(quote_, article) == urls.quote_url(article, sub)
        assert _path(found, article) == urls.article_url(article)
    story = Item(key="k", keys=set(), kind="stories", row={"id": "s1"}, story={"id": "s1"})
    assert _path(story, None) == "/stories/s1"


def test_two_runs_at_once_do_not_send_the_same_items(tmp_path: Path) -> None:
    """A run claims a search's channel before it sends: a second run meanwhile (the watcher and
    cron) sends nothing; a claim left by a run that stopped mid-way is taken over once it is old."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert

    from parley.alerts import get
    from parley.alerts.deliver import CLAIM_SECONDS

    with _store(str(tmp_path / "s.db")) as store, webhook_receiver() as hook:
        add(store, "signings", "stories", {"type": "SUPPORT"}, webhook=hook.url)
        _grow(store, _signing("s1"))
        saved_id = get(store, "signings").id

        def claim(age: float) -> None:
            at = (datetime.now(UTC) - timedelta(seconds=age)).isoformat(timespec="microseconds")
            store.write(lambda c: c.execute(insert(alert_deliveries).values(
                saved_id=saved_id, channel="webhook", at=at, item_count=0, attempts=0, status="sending")))

        claim(age=5)  # another run is sending now
        summary, _ = _run(store)
        assert [(d.status, d.error) for d in summary.deliveries] == [
            ("skipped", "another run is sending this search's alerts")] and hook.requests == []
        store.write(lambda c: c.execute(alert_deliveries.delete()))
        claim(age=CLAIM_SECONDS + 60)  # a run that stopped long ago
        summary, _ = _run(store)
        assert [d.status for d in summary.deliveries] == ["delivered"] and len(hook.requests) == 1
        statuses = store.read(lambda c: sorted(c.execute(select(alert_deliveries.c.status)).scalars()))
        assert statuses == ["delivered", "interrupted"]
        assert _run(store)[0].deliveries == []  # nothing new: the claim is let go, nothing recorded
        assert store.read(lambda c: c.execute(select(alert_deliveries.c.status)).scalars().all()).count("sending") == 0
