"""What a filter value may be: checked once here for the CLI, the API and the pages.

A filter that matches nothing because it was written wrongly ("India" for a country code, "yesterday"
for a date, "Energy" for a sector id) must not answer "nothing found": each check either returns
the value in its canonical form or raises `FilterError`, which names the parameter, the value and
what is allowed, with an example. Knowledge comes from the resources (sectors, PLOVER types and
modes, international bodies) and pycountry, never from lists here.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
import re

from .errors import FilterError

#: PLOVER 2.0's sixteen event types (SCHEMA.md, "Event types").
#: The stages of the opportunity pipeline (`store/pipeline.py`), in the order an opportunity goes through them.
STAGES = ("intent", "agreement", "under_way")
EVENT_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
               "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
ENTITY_TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "GROUP")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def check_date(parameter: str, value: str | None) -> str | None:
    """A day, month or year ("2025-03-21", "2025-03", "2025") that exists on the calendar."""
    if value is None:
        return None
    found = _DATE.fullmatch(value.strip())
    try:
        if found is None:
            raise ValueError
        date(int(found[1]), int(found[2] or 1), int(found[3] or 1))
    except ValueError:
        raise FilterError(parameter, value, "a date written YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2025-03-21 "
                                            "(relative dates such as 'yesterday' are not taken)") from None
    return value.strip()


def check_country(parameter: str, value: str | None) -> str | None:
    """An ISO 3166-1 alpha-3 code ("gbr" is GBR), or the code of a kind of international body (EUR, IGO)."""
    if value is None:
        return None
    code = value.strip().upper()
    if code in _country_codes():
        return code
    named = _code_named(value.strip())
    example = f"e.g. {named} for {value.strip()}" if named else "e.g. GBR, IND, CHN"
    raise FilterError(parameter, value, f"an ISO 3166-1 alpha-3 country code, {example}; "
                                        f"international bodies: {', '.join(sorted(_body_codes()))}")


def check_event_type(parameter: str, value: str | None) -> str | None:
    """One of PLOVER's sixteen types, in any case."""
    return _one_of(parameter, value, EVENT_TYPES, "a PLOVER event type", upper=True)


def check_entity_type(parameter: str, value: str | None) -> str | None:
    return _one_of(parameter, value, ENTITY_TYPES, "an entity type", upper=True)


def check_mode(parameter: str, value: str | None) -> str | None:
    """A PLOVER mode that Parley's event triggers can give ("visit", "phone")."""
    return _one_of(parameter, value, _modes(), "a PLOVER mode", upper=False)


def check_stage(parameter: str, value: str | None) -> str | None:
    """A stage of the opportunity pipeline: intent, agreement or under_way ("under way" too)."""
    return _one_of(parameter, value.replace(" ", "_").replace("-", "_") if value else value, STAGES,
                   "an opportunity stage", upper=False)


def check_sector(parameter: str, value: str | None) -> str | None:
    """A sector id of the taxonomy ("new-energy-vehicles"); its label ("New energy vehicles") is taken too."""
    if value is None:
        return None
    from .analysis.sectors import taxonomy

    wanted = value.strip().lower()
    by_label = {s.label.lower(): s.id for s in taxonomy().values()}
    if wanted in taxonomy():
        return wanted
    if wanted in by_label:
        return by_label[wanted]
    if wanted.replace(" ", "-") in taxonomy():
        return wanted.replace(" ", "-")
    raise FilterError(parameter, value, "a sector id such as automotive, energy or healthcare "
                                        "(`parley sectors` lists them all)")


def _one_of(parameter: str, value: str | None, allowed: tuple[str, ...], what: str, upper: bool) -> str | None:
    if value is None:
        return None
    canonical = value.strip().upper() if upper else value.strip().lower()
    if canonical not in allowed:
        raise FilterError(parameter, value, f"{what}: one of {', '.join(allowed)}")
    return canonical


def country_codes() -> frozenset[str]:
    """Every code `check_country` takes: ISO 3166-1 alpha-3 and the international bodies' (EUR, UNO...)."""
    return _country_codes()


def modes() -> tuple[str, ...]:
    """Every mode `check_mode` takes."""
    return _modes()


def sector_ids() -> tuple[str, ...]:
    """Every sector id `check_sector` takes, in the taxonomy's order."""
    from .analysis.sectors import taxonomy

    return tuple(taxonomy())


@lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries) | _body_codes()


@lru_cache(maxsize=1)
def _body_codes() -> frozenset[str]:
    from .analysis.lexicon import read_table

    return frozenset(row["code"] for row in read_table("international_bodies.tsv") if row["code"])


def _code_named(name: str) -> str | None:
    """The alpha-3 code of a country written by name ("India" -> IND), for the hint."""
    import pycountry

    try:
        return pycountry.countries.lookup(name).alpha_3
    except LookupError:
        return None


@lru_cache(maxsize=1)
def _modes() -> tuple[str, ...]:
    from .analysis.lexicon import read_table

    return tuple(sorted({row["mode"] for row in read_table("event_triggers.tsv") if row["mode"]}))
