"""Parley's one exception hierarchy.

    ParleyError                  anything Parley raises on purpose; the CLI prints its message as one line
    ├── SourceError              an input that cannot be read as articles (names the input and the reason)
    │   └── SourceTooLarge       past the documented size limit
    ├── ModelError               the spaCy pipeline asked for is not installed or cannot be loaded
    │   └── PipelineError        the analysis steps are in an order where one reads what a later one changes
    ├── StoreError               the store cannot be opened, migrated or written
    └── FilterError              a filter value that cannot match anything as written (names what is allowed)
"""

from __future__ import annotations


class ParleyError(Exception):
    """Base class of every error Parley raises deliberately."""


class SourceError(ParleyError):
    """An input that yields no article: `origin` names it, `reason` says why in a few words."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class SourceTooLarge(SourceError):
    """An input over `MAX_TEXT_BYTES`: refused up front instead of exhausting memory."""


class ModelError(ParleyError):
    """The requested spaCy pipeline cannot be loaded."""


class PipelineError(ModelError):
    """The analysis steps are declared in an order that cannot give a consistent document."""


class StoreError(ParleyError):
    """The store cannot be opened, migrated or written."""


class StoreConflict(StoreError):
    """A write the store's keys refuse: the row (a saved search's name, say) exists already."""


class FilterError(ParleyError):
    """A filter value written in a form that cannot match (a country name for a code, "yesterday" for a
    date): `parameter`, `value` and `allowed` say which, what was given and what would do."""

    def __init__(self, parameter: str, value: str, allowed: str) -> None:
        super().__init__(f"{parameter}: {value!r} is not {allowed}")
        self.parameter = parameter
        self.value = value
        self.allowed = allowed
