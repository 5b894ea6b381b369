"""Saved searches as briefing scopes: `--saved NAME` narrows a briefing to what a saved search selects.

The search is read from the store (`parley.alerts`, issue 17's saved searches); the briefing takes
the filters it can apply to every section (event type, country, sector) and says in its header which
search each scope came from. A name the store does not hold is an error naming close ones.
"""

from __future__ import annotations

from typing import Any

from ..alerts import SavedSearchError, get
from ..errors import FilterError
from .gather import Scope


def lookup(store: Any, name: str) -> Scope:
    """The scope of the saved search `name`; a name the store does not hold is a FilterError."""
    try:
        saved = get(store, name)
    except SavedSearchError as exc:
        raise FilterError("--saved", name, str(exc)) from None
    params = saved.params
    country = params.get("country") or params.get("visitor_country") or params.get("speaker_country")
    return Scope(type=params.get("type"), country=country, sector=params.get("sector"), name=saved.name)
