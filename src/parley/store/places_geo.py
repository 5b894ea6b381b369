"""The stored places a scope contains, read off indexes on their coordinates' fields.

`visits.PlaceScope.contains` holds a stored place (its `entity_stats.geo`) when it has the scope's
geonameid, or the scope's own name, kind and country, or (for a country, a division or a continent)
the scope's country (and division): its `area`. Migration 25 indexes those fields of `geo` (JSON
text), so a place page reads the rows of one geonameid and of one (country, name) and tests them
with `contains` (a few), and counts, orders and joins the rows of its area in SQL, never decoding
the thousands of places a country holds.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, literal_column, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from .summary import entity_events as EV
from .summary import entity_stats as ST
from .visits import PLACE_TYPES, PlaceScope

#: Each index's fields of `geo`, then plain columns: a country's places counted and ordered off the
#: last alone, without reading its thousands of rows.
_INDEXES = {"ix_entity_stats_geo_country": (("country", "name"), ()),
            "ix_entity_stats_geo_admin1": (("country", "admin1"), ()),
            "ix_entity_stats_geo_id": (("geonameid",), ()),
            "ix_entity_stats_geo_area": (("country",), ("type", "name", "articles"))}


def _field(dialect: str, key: str) -> str:
    """SQL for one field of `geo`, written the same in the index and the query (SQLite matches an
    expression index only on the same text)."""
    if dialect == "postgresql":
        return f"((geo)::json ->> '{key}')"
    return f"json_extract(geo, '$.{key}')"


def create_indexes(conn: Connection) -> None:
    """Migration 25: the indexes the candidates are read off, and every place's events newest first
    (`places._newest`), which a country's page walks until it has its newest."""
    d = conn.dialect.name
    for name, (keys, columns) in _INDEXES.items():
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {ST.name} "
                             f"({', '.join([*(_field(d, k) for k in keys), *columns])})")
    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_entity_events_when ON {EV.name} "
                         "(when_start DESC, article_id DESC, event_id DESC, type, name)")


def _col(conn: Connection, key: str) -> ColumnElement[Any]:
    return literal_column(_field(conn.dialect.name, key))


def _eq(column: ColumnElement[Any], value: Any) -> ColumnElement[bool]:
    return column == value if value is not None else column.is_(None)  # as Python's `None == None`


def area(conn: Connection, where: PlaceScope) -> ColumnElement[bool] | None:
    """The rows of `entity_stats` that `where` holds by their country (and division), as SQL; None
    for a scope that holds no area (a city, a region: only its geonameid and its own name)."""
    country = _col(conn, "country")
    if where.kind in ("country", "admin1") and where.country is None:
        return None  # (`candidates` reads its rows: `contains` holds no row of an empty geo)
    if where.kind == "country":
        return _eq(country, where.country)
    if where.kind == "admin1":
        return and_(_eq(country, where.country), _eq(_col(conn, "admin1"), where.admin1))
    if where.kind == "continent":
        return country.in_(sorted(where.countries))
    return None


def in_area(where: PlaceScope, geo: dict[str, Any]) -> bool:
    """`area` in Python, for a row read otherwise: whether `area`'s rows already hold it."""
    if where.kind in ("country", "admin1") and where.country is None:
        return False
    if where.kind == "country":
        return geo.get("country") == where.country
    if where.kind == "admin1":
        return geo.get("country") == where.country and geo.get("admin1") == where.admin1
    return where.kind == "continent" and geo.get("country") in where.countries


def placed(coordinates: bool = True) -> list[ColumnElement[bool]]:
    """The rows of `entity_stats` a place page reads: places of a stored article with coordinates
    (which `area` implies: `coordinates=False` leaves the test to it, so its index answers alone)."""
    return [ST.c.type.in_(PLACE_TYPES), *([ST.c.geo.is_not(None)] if coordinates else []), ST.c.articles > 0]


def candidates(conn: Connection, where: PlaceScope) -> list[Any]:
    """Rows (type, name, articles, geo) of `where`'s geonameid or of its own name and country: those
    `where` may hold besides its `area` (`contains` decides)."""
    country, name, gid = _col(conn, "country"), _col(conn, "name"), _col(conn, "geonameid")
    conds: list[ColumnElement[bool]] = [and_(_eq(country, where.country), name == where.name)]
    if where.geonameid is not None:
        conds.append(gid == (str(where.geonameid) if conn.dialect.name == "postgresql" else where.geonameid))
    if where.kind in ("country", "admin1") and where.country is None:
        conds.append(country.is_(None))
    seen: dict[tuple[str, str], Any] = {}
    for cond in conds:  # one query each, so each reads its own index
        for r in conn.execute(select(ST.c.type, ST.c.name, ST.c.articles, ST.c.geo).where(cond, *placed())):
            seen.setdefault((r.type, r.name), r)
    return list(seen.values())


__all__ = ["area", "candidates", "create_indexes", "in_area", "placed"]
