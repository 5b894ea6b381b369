"""Saved searches and alerts: a search saved under a name, "N new since you last looked", and
messages to a webhook or by e-mail when it gains items (one per story, with the evidence).

Public: `deliver_alerts` (what the watcher calls after each round), `AlertSummary`, `SmtpSettings`,
the saved-search functions `add`, `get`, `listing`, `show`, `remove`, and the errors.
"""

from __future__ import annotations

from .deliver import AlertSummary, Delivery, deliver_alerts
from .errors import DeliveryError, SavedSearchError
from .kinds import KINDS
from .mail import SmtpSettings
from .saved import SavedSearch, add, get, listing, remove, show

__all__ = ["KINDS", "AlertSummary", "Delivery", "DeliveryError", "SavedSearch", "SavedSearchError", "SmtpSettings",
           "add", "deliver_alerts", "get", "listing", "remove", "show"]
