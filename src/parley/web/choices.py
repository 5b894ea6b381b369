"""What the filter forms offer to pick from, read from the owners of each list of values.

A country field takes an ISO3 code (as the API does), but an analyst knows "Kenya", not "KEN": the
form offers every code `filters.check_country` takes with its name (`countries.country_name`), so
typing part of a name finds its code.
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from .. import filters
from ..countries import country_name


@lru_cache(maxsize=1)
def country_options() -> tuple[tuple[str, str], ...]:
    """(code, name) for every code a country filter takes, by name; a code nobody names is its own name."""
    named = ((code, country_name(code) or code) for code in filters.country_codes())
    return tuple(sorted(named, key=lambda item: (item[1].casefold(), item[0])))


def sector_label(sector_id: str | None) -> str:
    """A sector's label ("New energy vehicles") for its id, as a page shows it; an unknown id as it is."""
    from ..analysis.sectors import taxonomy

    found = taxonomy().get(sector_id or "")
    return found.label if found else (sector_id or "")


@lru_cache(maxsize=1)
def country_datalist() -> Markup:
    """The <datalist> a country field names (id "country-codes"): built once, not per page (some
    250 options, 1.5 ms a page through the template)."""
    options = "".join(f'<option value="{escape(code)}" label="{escape(code)} {escape(name)}">'
                      f'{escape(code)} {escape(name)}</option>' for code, name in country_options())
    return Markup(f'<datalist id="country-codes">{options}</datalist>')
