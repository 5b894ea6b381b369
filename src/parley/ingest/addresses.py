"""Which hosts Parley may fetch from on its own: never private, loopback or link-local addresses.

A feed names the pages Parley fetches, and a page's server names where a redirect goes; neither
is the user. Without this check a feed could make Parley read an internal page (a cloud metadata
endpoint, an admin panel on 127.0.0.1) and store it where others can see it. A URL the user names
is fetched wherever it is (they chose it), and so are other pages on its host; any other host on
such an address needs `--allow-host`. Names are resolved and every address they resolve to is
checked (the check and the connection resolve separately: a name that changes its address in
between is not caught; the option list stays the defence for hosts that matter).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import replace
from urllib.parse import urlsplit

from ..errors import SourceError
from .records import IngestOptions


def host_of(url: str) -> str:
    """The host name of a URL, lower case, without brackets or port ("" when there is none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def trusting(options: IngestOptions, url: str) -> IngestOptions:
    """`options` that also allow the host of a URL the user named themselves."""
    host = host_of(url)
    return replace(options, allow_hosts=(*options.allow_hosts, host)) if host else options


def non_public_kind(address: str) -> str | None:
    """Why an IP address is not a public one ("loopback", "private", ...), or None when it is."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "link_local", "private", "multicast", "reserved", "unspecified"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None


def check_fetchable(url: str, options: IngestOptions) -> None:
    """Raise SourceError when `url`'s host is on a non-public address the user did not allow."""
    host = host_of(url)
    if not host or host in {h.lower() for h in options.allow_hosts}:
        return
    kind = non_public_kind(host)
    if kind is None:
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            return  # the fetch itself will say that the name does not resolve
        kind = next((k for info in infos if (k := non_public_kind(str(info[4][0])))), None)
    if kind is not None:
        raise SourceError(url, f"refused: {host} is a {kind} address (allow it with --allow-host {host})")
