"""HTTP conveniences that every GET answer gets, as plain ASGI middleware:

- `HeadAsGet`: HEAD on any GET route answers GET's status and headers without the body (FastAPI's
  routes answer only the methods they name).
- `ETags`: a weak ETag on each 200 answer to GET, from a hash of its body, with
  `Cache-Control: no-cache` (keep it, but ask again before using it); a request whose
  `If-None-Match` names it gets 304 and no body. Weak, because the same rows may go out gzipped or
  not (GZipMiddleware runs outside this one) and byte-for-byte equality is not promised.
  The static files answer their own validators and are left alone.
"""

from __future__ import annotations

import hashlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Headers a 304 keeps (RFC 9110 15.4.5): validators and caching rules, not the body's length or type.
_KEPT_ON_304 = {b"etag", b"cache-control", b"content-location", b"date", b"expires", b"vary"}


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def weak_etag(body: bytes) -> bytes:
    return b'W/"' + hashlib.blake2b(body, digest_size=16).hexdigest().encode() + b'"'


def matches(if_none_match: bytes, etag: bytes) -> bool:
    """Weak comparison (RFC 9110 13.1.2): `*`, or any listed tag equal to `etag` once W/ is dropped."""
    if if_none_match.strip() == b"*":
        return True
    opaque = etag.removeprefix(b"W/")
    return any(tag.strip().removeprefix(b"W/") == opaque for tag in if_none_match.split(b","))


class ETags:
    def __init__(self, app: ASGIApp, skip: tuple[str, ...] = ("/static/",)) -> None:
        self.app = app
        self.skip = skip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or scope["path"].startswith(self.skip):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if message["status"] != 200:
                    await send(message)
                    return
                start = message
                return
            if start is None:  # not a 200: passed through as it comes
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                await _answer(scope, start, b"".join(chunks), send)

        await self.app(scope, receive, buffered)


async def _answer(scope: Scope, start: Message, body: bytes, send: Send) -> None:
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"etag"]
    etag = weak_etag(body)
    headers.append((b"etag", etag))
    if not any(k.lower() == b"cache-control" for k, _ in headers):
        headers.append((b"cache-control", b"no-cache"))
    asked = dict(scope.get("headers", [])).get(b"if-none-match")
    if asked is not None and matches(asked, etag):
        kept = [(k, v) for k, v in headers if k.lower() in _KEPT_ON_304]
        await send({"type": "http.response.start", "status": 304, "headers": kept})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return
    await send({**start, "headers": headers})
    await send({"type": "http.response.body", "body": body, "more_body": False})
