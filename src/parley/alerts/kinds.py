"""What a saved search can be: the lists it may run and the filters each takes.

A saved search stores its kind and its filter parameters under the names the list's own store
query (and the web's filter objects) use: `type`, `country`, `speaker_country`, `organisation`...
Every value is checked by the check `parley.filters` gives the listings (or the gazetteer's, for a
visit's place), so a saved search is refused when it is made, with the reason, never kept to match
nothing; and it runs through the very store query its listing calls (`run`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import filters
from ..errors import FilterError
from .errors import SavedSearchError

Check = Callable[[str, Any], Any]


def _text(parameter: str, value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if not text or "\x00" in text:
        raise FilterError(parameter, str(value), "some text without NUL bytes")
    return text


def _quote_kind(parameter: str, value: Any) -> str | None:
    if value is None:
        return None
    kind = str(value).strip().lower()
    if kind not in ("direct", "indirect", "mixed"):
        raise FilterError(parameter, str(value), "a quote kind: direct, indirect or mixed")
    return kind


def _stance(parameter: str, value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not -1 <= number <= 1:
        raise FilterError(parameter, str(value), "a stance between -1 and 1, e.g. 0.5")
    return number


def _at_least_one(parameter: str, value: Any) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1 or str(number) != str(value).strip():
        raise FilterError(parameter, str(value), "a whole number of 1 or more, e.g. 2")
    return number


def _place(parameter: str, value: Any) -> str | None:
    """A place the gazetteer knows (`store.visits.check_place`), kept by the name given."""
    from ..store.visits import check_place

    text = _text(parameter, value)
    check_place(parameter, text)
    return text


def _query(parameter: str, value: Any) -> str | None:
    from ..store.searchquery import parse_query

    text = _text(parameter, value)
    if text is not None and not parse_query(text):
        raise FilterError(parameter, text, 'a search with at least one word, e.g. "trade accord"')
    return text


_PERIOD = {"since": filters.check_date, "until": filters.check_date}


@dataclass(frozen=True)
class Kind:
    """A list a search can be saved over: its filters (name -> check) and those it needs."""

    name: str
    params: dict[str, Check]
    required: tuple[str, ...] = ()


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("events", {"type": filters.check_event_type, "country": filters.check_country,
                    "sector": filters.check_sector, "actor": _text, "recipient": _text, "mode": filters.check_mode,
                    "place": _text, **_PERIOD}),
    Kind("visits", {"place": _place, "visitor_country": filters.check_country, "sector": filters.check_sector,
                    **_PERIOD}),
    Kind("quotes", {"speaker": _text, "speaker_country": filters.check_country, "organisation": _text,
                    "cue": _text, "kind": _quote_kind, "min_stance": _stance, "max_stance": _stance}),
    Kind("opportunities", {"sector": filters.check_sector, "country": filters.check_country, **_PERIOD}),
    Kind("stories", {"type": filters.check_event_type, "country": filters.check_country,
                     "sector": filters.check_sector, "place": _text, "min_reports": _at_least_one, **_PERIOD}),
    Kind("search", {"query": _query}, required=("query",)),
)}


def kind_of(name: str) -> Kind:
    """The kind called `name`, or an error listing the kinds."""
    found = KINDS.get(str(name).strip().lower())
    if found is None:
        raise SavedSearchError(f"kind {name!r} is not one a search can be saved over: "
                               f"one of {', '.join(KINDS)}")
    return found


def check(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """`params` in canonical form, empty ones left out; a filter the kind does not take, or a value
    its check refuses, is an error naming it."""
    spec = kind_of(kind)
    out: dict[str, Any] = {}
    for name, value in params.items():
        if value is None or value == "":
            continue
        if name not in spec.params:
            raise SavedSearchError(f"{name}: not a filter of saved searches of kind {spec.name}; "
                                   f"they take {', '.join(spec.params)}")
        out[name] = spec.params[name](name, value)
    missing = [name for name in spec.required if name not in out]
    if missing:
        raise SavedSearchError(f"a saved search of kind {spec.name} needs {', '.join(missing)}")
    return out


def run(store: Any, kind: str, params: dict[str, Any], limit: int | None = None) -> list[dict]:
    """The rows the kind's listing gives for `params` (checked), through that listing's store query."""
    spec = kind_of(kind)
    params = check(spec.name, params)
    if spec.name == "events":
        return list(store.events(**params, limit=limit))
    if spec.name == "visits":
        return list(store.visits(**params, limit=limit))
    if spec.name == "quotes":
        return list(store.quotes(**params, limit=limit))
    if spec.name == "opportunities":
        return store.opportunities(**params, limit=limit)
    if spec.name == "stories":
        from ..store import resolved

        resolved.ensure_resolved(store)
        return store.read(resolved.list_stories, **params, limit=limit)
    return store.search(params["query"], limit=limit, snippets=False)
