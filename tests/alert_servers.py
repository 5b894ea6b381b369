"""Local receivers for the alert tests, on 127.0.0.1 only: a webhook endpoint that answers a
scripted sequence of statuses and keeps what it was sent, and an SMTP server (aiosmtpd) that
offers STARTTLS with a certificate from a throwaway CA (trustme), and keeps the messages."""

from __future__ import annotations

import json
import socket
import ssl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class Webhook:
    url: str
    statuses: list[int]  # answered in turn; the last one again once the list runs out
    requests: list[Received] = field(default_factory=list)


@contextmanager
def webhook_receiver(statuses: list[int] | None = None) -> Iterator[Webhook]:
    hook = Webhook("", list(statuses or [200]))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            hook.requests.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
            status = hook.statuses.pop(0) if len(hook.statuses) > 1 else hook.statuses[0]
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Mailbox:
    host: str
    port: int
    client_context: ssl.SSLContext | None
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[Any] = field(default_factory=list)
    tls: list[bool] = field(default_factory=list)  # whether each message came over TLS
    ca_pem: bytes = b""  # the throwaway CA, for a client in another process (SSL_CERT_FILE)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_server(starttls: bool = True) -> Iterator[Mailbox]:
    """An SMTP server on 127.0.0.1; with `starttls`, it offers STARTTLS and refuses mail without it."""
    import trustme
    from aiosmtpd.controller import Controller

    client_context, kwargs, ca_pem = None, {}, b""
    if starttls:
        ca = trustme.CA()
        server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert("127.0.0.1", "localhost").configure_cert(server_context)
        client_context = ssl.create_default_context()
        ca.configure_trust(client_context)
        kwargs = {"tls_context": server_context, "require_starttls": True}
        ca_pem = ca.cert_pem.bytes()
    box = Mailbox("127.0.0.1", _free_port(), client_context, ca_pem=ca_pem)

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            box.envelopes.append(envelope)
            box.tls.append(session.ssl is not None)
            box.messages.append(message_from_bytes(envelope.original_content or envelope.content,
                                                   policy=policy.default))
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=box.port, **kwargs)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
