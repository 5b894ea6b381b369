"""Alerts by webhook: one JSON POST per saved search per run, signed with a shared secret.

The body is UTF-8 JSON (`message.payload`). With a secret, the header `X-Parley-Signature` carries
`sha256=` and the hex HMAC-SHA256 of the raw body under the secret, as GitHub's webhooks do; a
receiver recomputes it over the bytes it received and compares in constant time (`verify`).
`X-Parley-Delivery` repeats the payload's `delivery` id: the same items give the same id, so a
receiver can drop a message it already took (if Parley stopped between sending and recording).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import httpx

from .. import __version__
from .errors import DeliveryError

SIGNATURE_HEADER = "X-Parley-Signature"
DELIVERY_HEADER = "X-Parley-Delivery"


def sign(body: bytes, secret: str) -> str:
    """The signature header's value for `body`: "sha256=" and the hex HMAC-SHA256 under `secret`."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(body: bytes, secret: str, signature: str | None) -> bool:
    """Whether `signature` (the header's value) is `body`'s under `secret`, compared in constant time."""
    return bool(signature) and hmac.compare_digest(sign(body, secret), signature.strip())


def post(url: str, body: bytes, delivery: str, secret: str | None = None, timeout: float = 10.0) -> int:
    """One try at POSTing `body`; the status, or DeliveryError (a 4xx other than 408/429 is not
    retried: the receiver refuses the message itself)."""
    headers = {"Content-Type": "application/json", "User-Agent": f"parley/{__version__}", DELIVERY_HEADER: delivery}
    if secret:
        headers[SIGNATURE_HEADER] = sign(body, secret)
    try:
        response = httpx.post(url, content=body, headers=headers, timeout=timeout, follow_redirects=False)
    except httpx.HTTPError as exc:
        raise DeliveryError(f"webhook {url}: {type(exc).__name__}: {exc or 'no answer'}") from exc
    if 200 <= response.status_code < 300:
        return response.status_code
    retry = response.status_code >= 500 or response.status_code in (408, 429)
    raise DeliveryError(f"webhook {url}: answered {response.status_code} {response.reason_phrase}", retry=retry)


def headers_for(body: bytes, secret: str | None) -> dict[str, Any]:
    """The signature header a message would carry (for the documentation and tests)."""
    return {SIGNATURE_HEADER: sign(body, secret)} if secret else {}
