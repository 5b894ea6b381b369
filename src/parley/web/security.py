"""Response headers that keep untrusted article text inert even if a template slipped:
no inline or foreign scripts (CSP), no MIME sniffing, no framing, no referrer leaks.
Requests carrying NUL bytes are refused up front (no database accepts them in text), and so are
requests for a Host the server does not answer for (DNS rebinding): a 400 in the API's error shape.

Plain ASGI rather than BaseHTTPMiddleware: it adds nothing measurable to a request.
"""

from __future__ import annotations

from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .problems import refuse

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + HEADERS
            await send(message)

        if "\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b""):
            await refuse(scope, receive, send_with_headers, 400, "NUL bytes are not allowed in a request")
            return
        await self.app(scope, receive, send_with_headers)


class AllowedHosts:
    """Starlette's Host check (same patterns), refusing with `refuse` rather than a bare text."""

    def __init__(self, app: ASGIApp, allowed_hosts: list[str]) -> None:
        self.app = app
        self.check = TrustedHostMiddleware(self._passed, allowed_hosts=allowed_hosts, www_redirect=False)

    @staticmethod
    async def _passed(scope: Scope, receive: Receive, send: Send) -> None:
        scope["parley.host_allowed"] = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.check(scope, receive, _discard)  # calls _passed, or answers its refusal into _discard
        if scope.pop("parley.host_allowed", False):
            await self.app(scope, receive, send)
        else:
            await refuse(scope, receive, send, 400, "this server does not answer for the Host header sent")


async def _discard(message: Message) -> None:
    return None
