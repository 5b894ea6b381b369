"""Fetching one http(s) URL, bounded in time and size, with errors worded for the user.

A run over a feed or a list of URLs must not hang on one slow server nor fill memory with one
huge download, so the whole fetch has a deadline and the body is streamed and cut at the limit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from parley.errors import SourceError, SourceTooLarge
from parley.ingest.addresses import check_fetchable
from parley.ingest.records import IngestOptions
from parley.ingest.textfile import too_large_reason

USER_AGENT = "parley/0.1"
_MAX_REDIRECTS = 10


@dataclass
class Fetched:
    """A fetched body: `url` is the final one, after redirects; `content_type` has no parameters."""

    url: str
    content: bytes
    content_type: str  # "text/html", "" when the server sent none
    charset: str | None = None
    etag: str | None = None  # the validators a conditional request sends back (`fetch(headers=...)`)
    last_modified: str | None = None
    not_modified: bool = False  # 304: the server says the copy behind the validators sent is current


def is_url(source: str) -> bool:
    """True for the sources Parley fetches: http and https URLs."""
    return source[:8].lower().startswith(("http://", "https://"))


def _os_cause(exc: BaseException) -> str | None:
    """The operating system's words ("connection refused") from deep inside an httpx error."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror.lower()
        seen = seen.__cause__ or seen.__context__
    return None


def _reason(exc: httpx.HTTPError, timeout: float) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"timed out after {timeout:g} s"
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code} {exc.response.reason_phrase}".rstrip()
    if isinstance(exc, httpx.TooManyRedirects):
        return f"too many redirects (more than {_MAX_REDIRECTS})"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return "not an http(s) URL"
    if isinstance(exc, (httpx.ConnectError, httpx.NetworkError)):
        return f"unreachable: {_os_cause(exc) or str(exc) or type(exc).__name__}"
    return f"fetch failed: {exc or type(exc).__name__}"


def make_client(options: IngestOptions | None = None) -> httpx.Client:
    """A client configured as `fetch` expects: redirects followed, our user agent, our timeout, and
    every request (each redirect too) checked against non-public addresses (`addresses`)."""
    options = options or IngestOptions()

    def refuse_non_public(request: httpx.Request) -> None:
        check_fetchable(str(request.url), options)
        if options.before_request is not None:
            options.before_request(str(request.url))

    def answered(response: httpx.Response) -> None:
        if options.after_response is not None:
            options.after_response(str(response.request.url), response.status_code, response.headers)

    return httpx.Client(
        timeout=options.timeout,
        follow_redirects=True,
        max_redirects=_MAX_REDIRECTS,
        headers={"User-Agent": USER_AGENT},
        event_hooks={"request": [refuse_non_public], "response": [answered]},
    )


def fetch(url: str, options: IngestOptions | None = None, *, client: httpx.Client | None = None,
          headers: dict[str, str] | None = None) -> Fetched:
    """GET `url` within `options.timeout` seconds and `options.max_bytes`; raises SourceError.

    Pass a `client` from `make_client` to reuse connections across many fetches (a feed's pages).
    `headers` with If-None-Match / If-Modified-Since make it a conditional request: a 304 answer
    comes back as a `Fetched` with `not_modified` and no content (a watched feed, `parley.watch`).
    """
    options = options or IngestOptions()
    if not is_url(url):
        raise SourceError(url, "not an http(s) URL")
    http = client or make_client(options)
    deadline = time.monotonic() + options.timeout
    try:
        with http.stream("GET", url, timeout=options.timeout, headers=headers) as response:
            if response.status_code == 304 and headers:
                return Fetched(str(response.url), b"", "", None, response.headers.get("etag"),
                               response.headers.get("last-modified"), not_modified=True)
            response.raise_for_status()
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > options.max_bytes:
                raise SourceTooLarge(url, too_large_reason(options.max_bytes, int(declared)))
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > options.max_bytes:
                    raise SourceTooLarge(url, too_large_reason(options.max_bytes))
                if time.monotonic() > deadline:  # a server dripping bytes never trips the read timeout
                    raise SourceError(url, f"timed out after {options.timeout:g} s")
            mime = response.headers.get("content-type", "").partition(";")[0]
            return Fetched(str(response.url), bytes(body), mime.strip().lower(), response.charset_encoding,
                           response.headers.get("etag"), response.headers.get("last-modified"))
    except (httpx.InvalidURL, ValueError) as exc:  # bad host names surface as ValueError (IDNA)
        raise SourceError(url, f"not a valid URL ({exc})") from exc
    except httpx.HTTPError as exc:
        raise SourceError(url, _reason(exc, options.timeout)) from exc
    finally:
        if client is None:
            http.close()
