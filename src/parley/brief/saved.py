"""Saved searches as briefing scopes: `--saved NAME` narrows a briefing to what a saved search selects.

Saved searches are not in this branch (issue 17's alerts keep them); `lookup` is the one place that
turns a name into a `Scope`, so wiring them in is this function's body alone. Until then every name
is unknown, and saying so with a hint beats a briefing of everything that looks filtered.
"""

from __future__ import annotations

from typing import Any

from ..errors import FilterError
from .gather import Scope


def lookup(store: Any, name: str) -> Scope:
    """The scope of the saved search `name`; a name the store does not hold is a FilterError."""
    raise FilterError("--saved", name, f"no saved search named {name!r}: give the name of a saved search "
                                       "(`parley saved` lists them)")
