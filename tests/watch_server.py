"""A feed server on 127.0.0.1 for the watch tests and benchmark: feeds that change, answer 304,
fail, ask to be asked later (429 / 503 with Retry-After), hang and recover, and pages that feed
entries link to (which may hang or ask to be asked later too). Every request is logged.

Texts are made of invented words, different for every item (so no two are near-duplicates).
"""

from __future__ import annotations

import hashlib
import random
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

_SYLLABLES = ["ru", "ri", "ta", "nia", "fre", "do", "zen", "da", "lo", "mar", "vel", "sto", "gra", "nek", "pol",
              "tu", "ska", "bel", "mor", "ven"]


def invented_text(seed: str, words: int = 90) -> str:
    """A paragraph of invented words, the same for the same seed."""
    rng = random.Random(seed)
    made = ["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(words)]
    return "Ruritania " + " ".join(made) + "."


@dataclass
class Feed:
    items: list[tuple[str, str, str]] = field(default_factory=list)  # (guid, title, body or "" for a teaser)
    mode: str = "ok"  # ok | fail | hang | busy (answers `busy_status` with `retry_after`)
    busy_status: int = 429
    retry_after: str | None = None  # the Retry-After header of a busy answer (seconds or an HTTP date)
    etag: bool = True  # False: Last-Modified alone
    version: int = 0  # changes with the items: the ETag and Last-Modified follow it

    def add(self, guid: str, teaser: bool = False) -> None:
        self.items.append((guid, f"Envoys meet in Zenda ({guid})", "" if teaser else invented_text(guid)))
        self.version += 1


class FeedServer:
    """`server.url(path)`; `server.feeds[path]` to change a feed; `server.log` of (path, status)."""

    def __init__(self, hang_seconds: float = 30.0) -> None:
        self.feeds: dict[str, Feed] = {}
        self.pages: dict[str, str] = {}  # path -> body text of a linked page
        self.hang_pages: set[str] = set()
        self.busy_pages: dict[str, tuple[int, str]] = {}  # path -> (429 or 503, its Retry-After)
        self.redirects: dict[str, str] = {}  # path -> the path it moved to (301)
        self._asked: set[str] = set()  # paths asked for and held (hanging)
        self.log: list[tuple[str, int]] = []
        self.requested = threading.Condition()
        self.release = threading.Event()  # ends every hang at once
        self.hang_seconds = hang_seconds
        self.epoch = 1_700_000_000
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                server._answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def feed(self, path: str) -> Feed:
        return self.feeds.setdefault(path, Feed())

    def count(self, path: str, status: int | None = None) -> int:
        return sum(1 for p, s in list(self.log) if p == path and (status is None or s == status))

    def wait_for(self, path: str, timeout: float = 20.0) -> bool:
        """Block until `path` was requested (answered or not)."""
        end = time.monotonic() + timeout
        with self.requested:
            while not any(p == path for p, _ in self.log) and path not in self._asked:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self.requested.wait(left)
        return True

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- answers -----------------------------------------------------------------------------------

    def _send(self, h: BaseHTTPRequestHandler, path: str, status: int, body: bytes = b"",
              headers: dict[str, str] | None = None) -> None:
        with self.requested:
            self.log.append((path, status))
            self.requested.notify_all()
        try:
            h.send_response(status)
            for k, v in (headers or {}).items():
                h.send_header(k, v)
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            if body:
                h.wfile.write(body)
        except OSError:
            pass

    def _hang(self, path: str) -> None:
        with self.requested:
            self._asked = self._asked | {path}
            self.requested.notify_all()
        self.release.wait(self.hang_seconds)

    def _answer(self, h: BaseHTTPRequestHandler) -> None:
        path = h.path
        if path in self.redirects:
            self._send(h, path, 301, headers={"Location": self.base + self.redirects[path]})
            return
        if path in self.busy_pages:
            status, retry = self.busy_pages[path]
            self._send(h, path, status, headers={"Retry-After": retry})
            return
        if path in self.pages:
            if path in self.hang_pages:
                self._hang(path)
                if path in self.hang_pages:
                    return
            html = f"<html><head><title>Zenda</title></head><body><article><h1>Talks in Zenda</h1>" \
                   f"<p>{escape(self.pages[path])}</p><p>{escape(self.pages[path])}</p></article></body></html>"
            self._send(h, path, 200, html.encode(), {"Content-Type": "text/html; charset=utf-8"})
            return
        feed = self.feeds.get(path)
        if feed is None:
            self._send(h, path, 404)
            return
        if feed.mode == "fail":
            self._send(h, path, 500)
            return
        if feed.mode == "busy":
            self._send(h, path, feed.busy_status, headers={"Retry-After": feed.retry_after} if feed.retry_after else {})
            return
        if feed.mode == "hang":
            self._hang(path)
            return
        etag = '"' + hashlib.sha1(f"{path}:{feed.version}".encode()).hexdigest()[:16] + '"'
        modified = formatdate(self.epoch + feed.version * 60, usegmt=True)
        if feed.etag and h.headers.get("If-None-Match") == etag or (
                not h.headers.get("If-None-Match") and h.headers.get("If-Modified-Since") == modified):
            self._send(h, path, 304, headers={"ETag": etag} if feed.etag else {})
            return
        validators = {"ETag": etag, "Last-Modified": modified} if feed.etag else {"Last-Modified": modified}
        self._send(h, path, 200, self._rss(path, feed).encode(), {"Content-Type": "application/rss+xml", **validators})

    def _rss(self, path: str, feed: Feed) -> str:
        entries = []
        for guid, title, body in feed.items:
            link = f"/page/{guid}"
            if not body:
                self.pages.setdefault(link, invented_text("page-" + guid))
            desc = body or "A short teaser."
            entries.append(f"<item><guid isPermaLink=\"false\">{escape(guid)}</guid><title>{escape(title)}</title>"
                           f"<link>{self.base}{link}</link><description>{escape(desc)}</description>"
                           f"<pubDate>{formatdate(self.epoch, usegmt=True)}</pubDate></item>")
        return (f"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Zenda Wire {escape(path)}</title>"
                f"<link>{self.base}/</link><description>Invented news</description>{''.join(entries)}</channel></rss>")


def light_analyzer(articles, failed):  # type: ignore[no-untyped-def]
    """An analysis engine without spaCy: each article as a document with nothing found in it."""
    from parley.document import Document

    for article in articles:
        yield Document(article=article)
