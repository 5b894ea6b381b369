"""Which event types the who-met-whom network shows: engagements by default, others on request.

An attack or an accusation between two actors drawn like a meeting misleads, so the network (page
and API) shows the engagement types of `resources/network_types.tsv` unless `add` names more:
`add=all` for every type, `add=ACCUSE` (or `ACCUSE,REJECT`) for engagements plus those. A `type`
event filter is narrower and wins over both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

from .. import filters
from ..store.aggregates import engagement_types


@dataclass(frozen=True)
class Shown:
    """The `add` parameter as given, and the event types it selects (None: every type)."""

    add: str | None
    types: tuple[str, ...] | None

    @property
    def added(self) -> tuple[str, ...]:
        """The types shown beyond the engagement ones."""
        base = engagement_types()
        return tuple(t for t in filters.EVENT_TYPES if t not in base) if self.types is None else \
            tuple(t for t in self.types if t not in base)


_TYPE = "|".join(filters.EVENT_TYPES)
#: What `add` may be, so the API's schema says it: "all", or PLOVER types separated by commas.
ADD = rf"^(?:all|(?:{_TYPE})(?:,(?:{_TYPE}))*)?$"


def shown_types(add: Annotated[str | None, Query(
        description="event types to show beside the engagement types (CONSULT, AGREE, COOPERATE, AID, "
                    "SUPPORT): 'all', or PLOVER types separated by commas, e.g. ACCUSE", max_length=200,
        pattern=ADD)] = None,
                ) -> Shown:
    """The types the network shows."""
    add = (add or "").strip() or None
    base = tuple(engagement_types())
    if add is None:
        return Shown(None, base)
    if add.lower() == "all":
        return Shown("all", None)
    more = tuple(dict.fromkeys(add.split(",")))  # the pattern has checked each (a 422 names what is allowed)
    return Shown(",".join(more), base + tuple(t for t in more if t not in base))


NetworkTypes = Annotated[Shown, Depends(shown_types)]
