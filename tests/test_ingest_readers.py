"""Source readers: every input kind, and every way an input can be bad, without the network.

Web tests talk only to servers on 127.0.0.1 started here; nothing needs spaCy.
"""

from __future__ import annotations

import gzip
import http.server
import io
import socket
import threading
import time
from pathlib import Path

import pytest

from parley.errors import SourceError, SourceTooLarge
from parley.ingest.feed import read_feed_bytes, read_feed_file
from parley.ingest.html import extract_html, read_html_file
from parley.ingest.jsonl import read_json_text, read_jsonl
from parley.ingest.records import IngestOptions, RawRecord, Skipped
from parley.ingest.sources import iter_records, sniff
from parley.ingest.textfile import read_text_file
from parley.ingest.warc import read_warc
from parley.ingest.web import USER_AGENT, fetch

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE_HTML = (FIXTURES / "news_article.html").read_bytes()
ACCENTED = (
    "Le président du conseil régional a rencontré la ministre à Genève jeudi. "
    "Les négociations sur le traité d'échange ont été « très constructives », a-t-elle déclaré, "
    "et une délégation française se rendra à Zürich en février.\n"
)
OFFLINE = IngestOptions(fetch_linked=False)


def records(items: list) -> list[RawRecord]:
    return [i for i in items if isinstance(i, RawRecord)]


def skips(items: list) -> list[Skipped]:
    return [i for i in items if isinstance(i, Skipped)]


# ---------------------------------------------------------------- local servers


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple] = {}  # path -> (status, content type, body[, extra headers])
    seen_agents: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.seen_agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/article")
            self.end_headers()
            return
        status, content_type, body, *extra = self.routes.get(self.path, (404, "text/plain", b"not found"))
        self.send_response(status)
        for name, value in (extra[0] if extra else {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    """A threaded HTTP server on 127.0.0.1; tests fill `routes` with path -> (status, type, body)."""
    handler = type("Handler", (_Handler,), {"routes": {}, "seen_agents": []})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"  # type: ignore[attr-defined]
    httpd.routes = handler.routes  # type: ignore[attr-defined]
    httpd.agents = handler.seen_agents  # type: ignore[attr-defined]
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def silent_port():
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    done = threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        listener.settimeout(0.1)
        while not done.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    done.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


# ---------------------------------------------------------------- plain text


def test_text_file_utf8(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Ministers meet\n\nThe ministers met on Tuesday.\n", encoding="utf-8")
    [rec] = list(read_text_file(path))
    assert rec == RawRecord(
        text="Ministers meet\n\nThe ministers met on Tuesday.\n",
        origin=str(path),
        layout="plain",
        file="story.txt",
    )


def test_text_file_utf8_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfHeadline\r\n\r\nBody text.\r\n")
    [rec] = list(read_text_file(path))
    assert rec.text == "Headline\n\nBody text.\n"


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n  "])
def test_empty_text_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert list(read_text_file(path)) == [Skipped(str(path), "empty file")]


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert list(read_text_file(path)) == [Skipped(str(path), "binary file (not text)")]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_encodings_decoded(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(ACCENTED.encode(encoding))
    [rec] = list(read_text_file(path))
    assert rec.text == ACCENTED


def test_cp1252_punctuation(tmp_path: Path) -> None:
    text = (
        "The minister\u2019s \u201cfinal offer\u201d \u2014 worth \u20ac2 billion \u2014"
        " was refused by the caf\u00e9 owners.\n"
    )
    path = tmp_path / "quotes.txt"
    path.write_bytes(text.encode("cp1252"))
    assert next(read_text_file(path)).text == text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "wide.txt"
    data = ACCENTED.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # the -be codec writes no BOM itself
    path.write_bytes(data)
    [rec] = list(read_text_file(path))
    assert rec.text == ACCENTED


def test_oversized_text_file_refused_by_size(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * (6 * 1024 * 1024 // 5))
    [skip] = list(read_text_file(path))
    assert skip.reason == "larger than the 5 MB limit (6.0 MB)"


def test_unreadable_path_as_text(tmp_path: Path) -> None:
    [skip] = list(read_text_file(tmp_path / "gone.txt"))
    assert skip.reason == "no such file or folder"


# ---------------------------------------------------------------- JSON and JSON Lines


def test_jsonl_malformed_line_reported_and_others_kept(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text(
        '{"id": "a1", "title": "Pact signed", "text": "The pact was signed.", "url": "https://n.example/1"}\n'
        '{"id": "a2", "text": "Missing comma" "here"}\n'
        "\n"
        '{"id": "a3", "text": "A third story without a title.", "published": "2024-02-01"}\n'
        '{"id": "a4", "summary": "no text field at all"}\n',
        encoding="utf-8",
    )
    items = list(read_jsonl(path))
    first, third = records(items)
    assert (first.id, first.title, first.layout, first.url) == (
        "a1",
        "Pact signed",
        "body",
        "https://n.example/1",
    )
    assert (first.origin, first.file) == (f"{path}:1", "dump.jsonl")
    assert (third.id, third.layout, third.published, third.origin) == (
        "a3",
        "plain",
        "2024-02-01",
        f"{path}:4",
    )
    malformed, missing = skips(items)
    assert str(malformed) == f"{path}:2: malformed JSON (Expecting ',' delimiter)"
    assert missing.origin == f"{path}:5"
    assert "no article text" in missing.reason and "text, body, content" in missing.reason


def test_json_array(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(
        '[\n  {"headline": "Envoys meet", "body": "Envoys met in the capital."},\n'
        '  {"content": "A story with no headline.", "file": "original.txt", "lang": "en"}\n]\n',
        encoding="utf-8",
    )
    one, two = list(read_jsonl(path))
    assert (one.title, one.text, one.layout, one.origin, one.file) == (
        "Envoys meet",
        "Envoys met in the capital.",
        "body",
        f"{path}#1",
        "export.json",
    )
    assert (two.layout, two.file, two.extra) == ("plain", "original.txt", {"lang": "en"})


def test_json_object_with_articles_list(tmp_path: Path) -> None:
    path = tmp_path / "api.json"
    path.write_text(
        '{\n "status": "ok",\n "articles": [{"text": "One."}, {"text": "Two."}]\n}', encoding="utf-8"
    )
    assert [r.text for r in read_jsonl(path)] == ["One.", "Two."]


def test_malformed_json_document_names_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "text": "A",\n  "title" "B"\n}\n', encoding="utf-8")
    [skip] = list(read_jsonl(path))
    assert skip.origin == f"{path}:3" and skip.reason.startswith("malformed JSON (")


def test_field_mapping_override(tmp_path: Path) -> None:
    options = IngestOptions()
    options.fields["text"] = ["story", *options.fields["text"]]
    options.fields["title"] = ["hed", *options.fields["title"]]
    path = tmp_path / "custom.jsonl"
    path.write_text(
        '{"hed": "Custom headline", "story": "Custom body.", "text": "ignored"}\n', encoding="utf-8"
    )
    [rec] = list(read_jsonl(path, options))
    assert (rec.title, rec.text, rec.layout) == ("Custom headline", "Custom body.", "body")
    assert "text" in rec.extra  # the unused field is kept as metadata, not lost


def test_empty_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    assert list(read_jsonl(path)) == [Skipped(str(path), "empty file")]


def test_jsonl_line_over_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text('{"text": "' + "x" * 2000 + '"}\n{"text": "short"}\n', encoding="utf-8")
    items = list(read_jsonl(path, IngestOptions(max_bytes=1000)))
    assert items[0].origin == f"{path}:1" and items[0].reason.startswith("larger than the 1000 bytes limit")
    assert items[1].text == "short"


# ---------------------------------------------------------------- HTML


def test_html_article_page() -> None:
    [rec] = list(read_html_file(FIXTURES / "news_article.html"))
    assert rec.layout == "body" and rec.file == "news_article.html"
    assert rec.title == "Harbour city signs port logistics pact with Valdoran shipping group"
    assert rec.published == "2024-03-14"
    assert rec.source == "The Meridian Ledger"
    assert rec.url == "https://ledger.example.com/business/2024/03/14/port-logistics-pact"
    assert rec.text.startswith("PORT ELSWICK, March 14")  # the repeated headline is not body text
    assert "Torvald Lindqvist" in rec.text
    for boilerplate in ("Subscribe", "Privacy policy", "Cookie settings", "Related stories"):
        assert boilerplate not in rec.text


def test_html_page_without_article() -> None:
    path = FIXTURES / "no_article.html"
    assert list(read_html_file(path)) == [Skipped(str(path), "no article text found in HTML page")]


def test_html_date_never_guessed_from_footer() -> None:
    html = b"\n".join(
        line
        for line in ARTICLE_HTML.splitlines()
        if not any(k in line for k in (b"published_time", b"<time", b"canonical"))
    )
    rec = extract_html(html, "page", url="http://archive.test/story")
    assert isinstance(rec, RawRecord) and rec.published is None  # not 2024-01-01 from "(c) 2024"


# ---------------------------------------------------------------- feeds


def test_rss_file() -> None:
    path = FIXTURES / "sample.rss"
    full, teaser = list(read_feed_file(path, OFFLINE))
    assert isinstance(full, RawRecord)
    assert full.origin == f"{path}#1" and full.file == "sample.rss" and full.layout == "body"
    assert full.title == "Coastal states agree to joint fisheries patrols"
    assert full.url == "https://wire.example.org/2024/05/02/fisheries-patrols"
    assert full.published == "2024-05-02T08:15:00Z"
    assert full.source == "Northwind Trade Wire" and full.id == "nw-2024-0502-01"
    assert full.text.startswith("KESTRAVIK, May 2") and "<p>" not in full.text
    assert (
        teaser.origin == f"{path}#2"
        and "short summary" in teaser.reason
        and "fetching linked pages is off" in teaser.reason
    )


def test_atom_file() -> None:
    path = FIXTURES / "sample.atom"
    full, teaser = list(read_feed_file(path, OFFLINE))
    assert full.title == "Foreign ministers meet on river treaty renewal"
    assert full.published == "2024-06-10T14:00:00Z"  # <published>, not <updated>
    assert full.source == "Eastgate Diplomatic Review"
    assert full.text.startswith("ORLENBURG, June 10 (EDR) \u2013 The foreign ministers")
    assert isinstance(teaser, Skipped)


def test_unparseable_feed(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text("<rss><channel><title>Oops</title><item", encoding="utf-8")
    [skip] = list(read_feed_file(path))
    assert skip.origin == str(path) and skip.reason.startswith("not a readable RSS/Atom feed")


def _teaser_feed(link: str) -> bytes:
    return f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Local Wire</title>
<item><title>Port pact signed</title><link>{link}</link>
<pubDate>Sat, 16 Mar 2024 07:00:00 GMT</pubDate><description>Teaser only.</description></item>
</channel></rss>""".encode()


#: The tests' servers are on 127.0.0.1, which Parley only fetches from on its own when allowed.
LOCAL = IngestOptions(timeout=5, allow_hosts=("127.0.0.1",))


def test_feed_entry_fetches_linked_page(server) -> None:
    server.routes["/article"] = (200, "text/html; charset=utf-8", ARTICLE_HTML)
    [rec] = list(read_feed_bytes(_teaser_feed(server.base + "/moved"), "wire.xml",
                                 options=IngestOptions(timeout=5, allow_hosts=("127.0.0.1",))))
    assert isinstance(rec, RawRecord)
    assert rec.origin == "wire.xml#1" and "Brannoch Maritime" in rec.text
    assert rec.title == "Port pact signed"  # the feed's metadata wins over the page's
    assert rec.published == "2024-03-16T07:00:00Z" and rec.source == "Local Wire"
    assert rec.url == server.base + "/article"  # after the redirect
    assert server.agents and all(agent == USER_AGENT for agent in server.agents)


def test_feed_entry_linked_page_missing(server) -> None:
    [skip] = list(
        read_feed_bytes(_teaser_feed(server.base + "/gone"), "wire.xml", options=LOCAL)
    )
    assert skip.origin == "wire.xml#1" and "HTTP 404" in skip.reason and "/gone" in skip.reason


def test_a_feed_cannot_make_parley_fetch_a_loopback_page(server) -> None:
    server.routes["/article"] = (200, "text/html; charset=utf-8", ARTICLE_HTML)
    [skip] = list(read_feed_bytes(_teaser_feed(server.base + "/article"), "wire.xml", options=IngestOptions(timeout=5)))
    assert skip.reason == (f"linked page {server.base}/article: refused: 127.0.0.1 is a loopback address "
                           "(allow it with --allow-host 127.0.0.1)")


def test_a_redirect_to_another_loopback_name_is_refused(server) -> None:
    port = server.base.rsplit(":", 1)[1]
    server.routes["/article"] = (200, "text/html; charset=utf-8", ARTICLE_HTML)
    server.routes["/elsewhere"] = (302, "text/plain", b"", {"Location": f"http://localhost:{port}/article"})
    [typed] = list(iter_records([server.base + "/article"], IngestOptions(timeout=5)))  # a URL the user names
    assert isinstance(typed, RawRecord)
    [skip] = list(iter_records([server.base + "/elsewhere"], IngestOptions(timeout=5)))
    assert skip.reason == "refused: localhost is a loopback address (allow it with --allow-host localhost)"


def test_a_feed_has_a_deadline_for_its_linked_pages(server) -> None:
    server.routes["/article"] = (200, "text/html; charset=utf-8", ARTICLE_HTML)
    options = IngestOptions(timeout=5, allow_hosts=("127.0.0.1",), feed_deadline=0)
    [skip] = list(read_feed_bytes(_teaser_feed(server.base + "/article"), "wire.xml", options=options))
    assert skip.reason == "linked page not fetched: the feed's 0 s for fetching pages had run out"


def test_feed_url_with_relative_link(server) -> None:
    server.routes["/article"] = (200, "text/html", ARTICLE_HTML)
    server.routes["/feed"] = (200, "application/rss+xml", _teaser_feed("/article"))
    [rec] = list(iter_records([server.base + "/feed"], IngestOptions(timeout=5)))
    assert rec.origin == server.base + "/feed#1" and rec.url == server.base + "/article"
    assert "Brannoch Maritime" in rec.text


def test_undeclared_cp1252_html_page() -> None:
    paras = "".join(f"<p>{line}</p>" for line in ACCENTED.split(". "))
    html = f"<html><head><title>Gen\u00e8ve</title></head><body><article>{paras * 2}</article></body></html>"
    rec = extract_html(html.encode("cp1252"), "page.html")
    assert "\u00e0 Gen\u00e8ve" in rec.text and rec.title == "Gen\u00e8ve"


# ---------------------------------------------------------------- web


def test_fetch_unreachable(closed_port: int) -> None:
    with pytest.raises(SourceError) as caught:
        fetch(f"http://127.0.0.1:{closed_port}/", IngestOptions(timeout=2, allow_hosts=("127.0.0.1",)))
    assert caught.value.reason == "unreachable: connection refused"


def test_fetch_times_out(silent_port: int) -> None:
    start = time.monotonic()
    items = list(iter_records([f"http://127.0.0.1:{silent_port}/slow"], IngestOptions(timeout=1)))
    assert time.monotonic() - start < 5
    assert [s.reason for s in items] == ["timed out after 1 s"]


def test_fetch_http_error_and_size_limit(server) -> None:
    server.routes["/big"] = (200, "text/plain", b"x" * 5000)
    with pytest.raises(SourceError, match="HTTP 404"):
        fetch(server.base + "/nothing", LOCAL)
    with pytest.raises(SourceTooLarge, match=r"larger than the 1000 bytes limit \(4.9 KB\)"):
        fetch(server.base + "/big", IngestOptions(timeout=5, max_bytes=1000, allow_hosts=("127.0.0.1",)))


def test_urls_dispatched_by_content_type(server) -> None:
    server.routes["/page"] = (200, "text/html", ARTICLE_HTML)
    server.routes["/feed"] = (200, "application/rss+xml", (FIXTURES / "sample.rss").read_bytes())
    server.routes["/plain"] = (200, "text/plain; charset=cp1252", ACCENTED.encode("cp1252"))
    server.routes["/unlabelled"] = (200, "application/octet-stream", (FIXTURES / "sample.atom").read_bytes())
    urls = [server.base + p for p in ("/page", "/feed", "/plain", "/unlabelled")]
    items = list(iter_records(urls, IngestOptions(timeout=5, fetch_linked=False)))
    page, feed1, feed2, plain, atom1, atom2 = items
    assert page.url == server.base + "/page" and page.title.startswith("Harbour city")
    assert feed1.origin == urls[1] + "#1" and feed1.file is None and isinstance(feed2, Skipped)
    assert plain.text == ACCENTED and plain.layout == "plain"
    assert atom1.source == "Eastgate Diplomatic Review" and isinstance(atom2, Skipped)


def test_unreachable_url_source(closed_port: int) -> None:
    url = f"http://127.0.0.1:{closed_port}/story"
    assert list(iter_records([url], IngestOptions(timeout=2))) == [
        Skipped(url, "unreachable: connection refused")
    ]


# ---------------------------------------------------------------- WARC


def _write_warc(path: Path, *, gzip_records: bool = False) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzip_records)

        def response(url: str, content_type: str, body: bytes) -> None:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2025-01-20T12:00:00Z"},
            )
            writer.write_record(record)

        request = writer.create_warc_record(
            "https://ledger.example.com/story",
            "request",
            payload=io.BytesIO(b"GET /story HTTP/1.1\r\nHost: ledger.example.com\r\n\r\n"),
        )
        writer.write_record(request)
        response("https://ledger.example.com/story", "text/html; charset=utf-8", ARTICLE_HTML)
        response("https://ledger.example.com/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(200))


@pytest.mark.parametrize("compressed", [False, True])
def test_warc_reads_html_responses_only(tmp_path: Path, compressed: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if compressed else "crawl.warc")
    _write_warc(path, gzip_records=compressed)
    [rec] = list(iter_records([str(path)]))
    assert isinstance(rec, RawRecord)
    assert rec.url == "https://ledger.example.com/story"  # WARC-Target-URI, not the canonical link
    assert rec.published == "2024-03-14"  # from the page, not the crawl date
    assert rec.extra["crawled"] == "2025-01-20T12:00:00Z"
    assert rec.file == path.name and rec.origin == f"{path}#2"


def test_truncated_warc(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc"
    _write_warc(whole)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[: len(data) - 60])  # into the last (PNG) record
    items = list(read_warc(cut))
    assert len(records(items)) == 1
    [skip] = skips(items)
    assert skip.origin == str(cut) and "truncated WARC" in skip.reason and "offset" in skip.reason


def test_truncated_warc_gz(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    _write_warc(whole, gzip_records=True)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(whole.read_bytes()[:700])  # inside the compressed HTML response
    [skip] = list(read_warc(cut))  # the half page is not passed on as an article
    assert skip.reason.startswith("truncated WARC: record 2 at offset ") and skip.reason.endswith("cut short")


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc"
    path.write_text("this is not an archive\n", encoding="utf-8")
    [skip] = list(read_warc(path))
    assert skip.reason.startswith("not a WARC file")


# ---------------------------------------------------------------- sources: folders, sniffing, stdin


def test_folder_recursive_sorted_without_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.txt").write_text("Story A\n\nBody A.", encoding="utf-8")
    (tmp_path / "b" / "c.txt").write_text("Story C\n\nBody C.", encoding="utf-8")
    (tmp_path / "b" / "deep" / "d.jsonl").write_text('{"text": "Body D."}\n', encoding="utf-8")
    (tmp_path / "b" / "e.md").write_text("Story E\n\nBody E.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("secret", encoding="utf-8")
    (tmp_path / ".git" / "config.txt").write_text("secret", encoding="utf-8")
    items = list(iter_records([str(tmp_path)]))
    assert [i.origin for i in items] == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b" / "c.txt"),
        str(tmp_path / "b" / "deep" / "d.jsonl") + ":1",
        str(tmp_path / "b" / "e.md"),
    ]
    assert all(isinstance(i, RawRecord) for i in items)


def test_missing_source_and_bad_items_do_not_stop_others(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Headline\n\nBody.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    items = list(iter_records([str(tmp_path / "nope"), str(empty), str(good)]))
    assert items[0] == Skipped(str(tmp_path / "nope"), "no such file or folder")
    assert items[1] == Skipped(str(empty), "empty file")
    assert isinstance(items[2], RawRecord)


def test_unknown_extensions_sniffed(tmp_path: Path) -> None:
    (tmp_path / "1.dat").write_text('{"text": "From JSON."}\n', encoding="utf-8")
    (tmp_path / "2.dat").write_bytes(ARTICLE_HTML)
    (tmp_path / "3.bin").write_bytes(b"\x00\x01\x02\x03" * 100)
    (tmp_path / "4").write_text("Plain headline\n\nPlain body.", encoding="utf-8")
    (tmp_path / "5.xml").write_text('<?xml version="1.0"?><sitemap><loc>x</loc></sitemap>', encoding="utf-8")
    (tmp_path / "6.xml").write_bytes((FIXTURES / "sample.atom").read_bytes())
    items = list(iter_records([str(tmp_path)], OFFLINE))
    assert items[0].text == "From JSON."
    assert items[1].source == "The Meridian Ledger"
    assert items[2] == Skipped(str(tmp_path / "3.bin"), "binary file (not text)")
    assert items[3].text.startswith("Plain headline")
    assert items[4] == Skipped(str(tmp_path / "5.xml"), "XML file that is not an RSS or Atom feed")
    assert items[5].source == "Eastgate Diplomatic Review"


def test_sniff() -> None:
    assert sniff(b"WARC/1.1\r\n") == "warc"
    assert sniff(gzip.compress(b"WARC/1.0\r\nWARC-Type: warcinfo\r\n")) == "warc"
    assert sniff(b"<?xml version='1.0'?>\n<!-- c -->\n<rss version='2.0'>") == "feed"
    assert sniff(b"<!DOCTYPE html><html><body>") == "html"
    assert sniff(b'[\n  {"text": 1}]') == "json"
    assert sniff(b"[Updated] Talks resume") == "text"
    assert sniff(b"%PDF-1.7\n") == "pdf"


def test_stdin_jsonl() -> None:
    stdin = io.StringIO('{"title": "One", "text": "First."}\nnot json\n{"text": "Second."}\n')
    items = list(iter_records(["-"], stdin=stdin))
    assert [type(i).__name__ for i in items] == ["RawRecord", "Skipped", "RawRecord"]
    assert items[0].origin == "<stdin>:1" and items[0].title == "One"
    assert items[1].origin == "<stdin>:2" and items[1].reason.startswith("malformed JSON")


def test_stdin_plain_text() -> None:
    stdin = io.StringIO("Talks resume in Valdora\n\nDelegations returned to the table on Monday.\n")
    [rec] = list(iter_records(["-"], stdin=stdin))
    assert rec.origin == "<stdin>" and rec.layout == "plain" and rec.text.startswith("Talks resume")


def test_stdin_bytes_and_empty() -> None:
    wrapped = io.TextIOWrapper(io.BytesIO(ACCENTED.encode("cp1252")), encoding="utf-8")
    assert next(iter_records(["-"], stdin=wrapped)).text == ACCENTED
    assert list(iter_records(["-"], stdin=io.StringIO("  \n"))) == [Skipped("<stdin>", "empty input")]


def test_json_text_in_memory() -> None:
    items = list(read_json_text('[{"text": "a"}, 3]', "mem"))
    assert items[0].text == "a" and items[1] == Skipped("mem#2", "not a JSON object but a number")
