"""The errors of saved searches and alerts, in Parley's one hierarchy (`parley.errors`).

    ParleyError
    └── SavedSearchError     an unknown saved search or kind, a name taken, a filter that does not
        │                    apply to the kind (names the input and what would do)
        └── DeliveryError    a webhook or mail server that refused or could not be reached
"""

from __future__ import annotations

from ..errors import ParleyError


class SavedSearchError(ParleyError):
    """A saved search that cannot be made, found or run as asked; the message says what would do."""


class DeliveryError(SavedSearchError):
    """One try at sending an alert failed; `retry` is False where trying again cannot help."""

    def __init__(self, message: str, retry: bool = True) -> None:
        super().__init__(message)
        self.retry = retry
