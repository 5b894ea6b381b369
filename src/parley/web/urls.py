"""Stable URLs for every person, organisation, place, quote, event and article.

An entity across articles is its (type, name), so its page is /entities/TYPE/NAME, the name
percent-encoded (a slash included). Quotes and events are local to their article.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from starlette.convertors import Convertor, register_url_convertor


class NameConvertor(Convertor[str]):
    """A path segment run that may hold anything an extracted name can: slashes, tabs, newlines
    (Starlette's `path` stops at a newline)."""

    regex = r"[\s\S]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("name", NameConvertor())


def entity_url(type: str, name: str) -> str:
    return f"/entities/{quote(type, safe='')}/{quote(name, safe='')}"


def article_url(article_id: str, anchor: str | None = None) -> str:
    return f"/articles/{quote(article_id, safe='')}" + (f"#{quote(anchor, safe='')}" if anchor else "")


def quote_url(article_id: str, quote_id: str) -> str:
    return f"/articles/{quote(article_id, safe='')}/quotes/{quote(quote_id, safe='')}"


def event_url(article_id: str, event_id: str) -> str:
    return f"/articles/{quote(article_id, safe='')}/events/{quote(event_id, safe='')}"


def with_query(path: str, **params: object) -> str:
    """`path?k=v&...` with the empty parameters left out."""
    kept = {k: v for k, v in params.items() if v not in (None, "", False)}
    return f"{path}?{urlencode(kept)}" if kept else path
