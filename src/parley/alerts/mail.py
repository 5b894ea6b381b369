"""Alerts by e-mail: one message per saved search per run, a text/plain and a text/html part,
sent over SMTP with STARTTLS (stdlib `smtplib` and `email`).

The server comes from `SmtpSettings`: options of `parley alerts run`, else the environment
(PARLEY_SMTP_HOST, PARLEY_SMTP_PORT, PARLEY_SMTP_USER, PARLEY_SMTP_PASSWORD, PARLEY_SMTP_FROM,
PARLEY_SMTP_STARTTLS=0 for a server on localhost without TLS). STARTTLS is required by default:
a server that does not offer it is an error, never a silent fall back to clear text.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from html import escape
from typing import Any

from .errors import DeliveryError


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    sender: str = "parley@localhost"
    starttls: bool = True
    timeout: float = 20.0
    ssl_context: ssl.SSLContext | None = None  # default: the system's trusted CAs, host name checked

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **given: Any) -> SmtpSettings | None:
        """Settings from `given` (options; None ones left out), else PARLEY_SMTP_*; None without a host."""
        env = os.environ if env is None else env
        given = {k: v for k, v in given.items() if v is not None}
        host = given.pop("host", None) or env.get("PARLEY_SMTP_HOST")
        if not host:
            return None
        port = given.pop("port", None) or env.get("PARLEY_SMTP_PORT") or 587
        starttls = given.pop("starttls", None)
        if starttls is None:
            starttls = env.get("PARLEY_SMTP_STARTTLS", "1").strip().lower() not in ("0", "no", "false", "off")
        return cls(host=host, port=int(port), user=given.pop("user", None) or env.get("PARLEY_SMTP_USER"),
                   password=given.pop("password", None) or env.get("PARLEY_SMTP_PASSWORD"),
                   sender=given.pop("sender", None) or env.get("PARLEY_SMTP_FROM") or "parley@localhost",
                   starttls=starttls, **given)


def compose(payload: dict[str, Any], sender: str, recipients: list[str]) -> EmailMessage:
    """The message: a subject naming the search and the count, a plain part and an HTML part."""
    search, found = payload["saved_search"], payload["items"]
    msg = EmailMessage()
    msg["Subject"] = f"Parley: {len(found)} new for {search}"
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg["Message-ID"] = make_msgid(idstring=payload["delivery"][:16], domain="parley.local")
    msg["X-Parley-Delivery"] = payload["delivery"]
    lines = [f"{len(found)} new item{'s' * (len(found) != 1)} for the saved search {search} ({payload['kind']}):", ""]
    for n, item in enumerate(found, 1):
        lines += [f"{n}. {item['title']}"]
        if item.get("evidence"):
            lines += [f"   \u201c{item['evidence']}\u201d"]
        lines += [f"   {item['link']}", ""]
    msg.set_content("\n".join(lines))
    rows = "".join(
        f"<li><p><a href=\"{escape(item['link'])}\">{escape(item['title'])}</a>"
        + (f" <small>{escape(item['published'])}</small>" if item.get("published") else "") + "</p>"
        + (f"<blockquote>{escape(item['evidence'])}</blockquote>" if item.get("evidence") else "") + "</li>"
        for item in found)
    html = (f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{escape(msg['Subject'])}</title>"
            f"</head><body><p>{len(found)} new for the saved search <strong>{escape(search)}</strong> "
            f"({escape(payload['kind'])}):</p><ol>{rows}</ol></body></html>")
    msg.add_alternative(html, subtype="html")
    return msg


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """One try at sending; DeliveryError says why it failed (a refused login is not retried)."""
    where = f"SMTP {settings.host}:{settings.port}"
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
            smtp.ehlo()
            if settings.starttls:
                if not smtp.has_extn("starttls"):
                    raise DeliveryError(f"{where}: the server does not offer STARTTLS "
                                        "(PARLEY_SMTP_STARTTLS=0 allows clear text, for a server on this machine)",
                                        retry=False)
                smtp.starttls(context=settings.ssl_context or ssl.create_default_context())
                smtp.ehlo()
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"{where}: login refused: {exc.smtp_code} {exc.smtp_error!r}", retry=False) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"{where}: {type(exc).__name__}: {exc}") from exc
