"""pandas DataFrames of documents and of the store's listings. pandas is an optional extra
(`pip install 'parley[pandas]'`): nothing here imports it until a frame is asked for.

A document's tables are those of `parley.store.tables` (the same columns as `parley export
--format events|quotes|entities`), typed as their declaration says: dates as datetime64, whole
numbers and flags as pandas' nullable Int64 and boolean, lists as Python lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def require_pandas() -> Any:
    """The pandas module, or an ImportError that says how to install it."""
    try:
        import pandas
    except ImportError:
        raise ImportError("DataFrames need pandas, an optional extra: pip install 'parley[pandas]'") from None
    return pandas


def table_frame(table: str, rows: Iterable[dict[str, Any]]) -> Any:
    """A DataFrame of rows of `table` ("events", "quotes" or "entities": `tables.TABLES`), with
    every column the table declares, in its order, typed."""
    from .store.tables import TABLES

    pd = require_pandas()
    columns = TABLES[table]
    frame = pd.DataFrame.from_records(list(rows), columns=[name for name, _ in columns])
    for name, kind in columns:
        if kind == "date":
            frame[name] = pd.to_datetime(frame[name])
        elif kind == "int":
            frame[name] = frame[name].astype("Int64")
        elif kind == "bool":
            frame[name] = frame[name].astype("boolean")
        elif kind == "float":
            frame[name] = frame[name].astype("float64")
    return frame


class Rows(list):  # type: ignore[type-arg]
    """A listing's rows (dicts), still a plain list; `to_pandas()` makes them a DataFrame."""

    def to_pandas(self) -> Any:
        """One row per dict, one column per key (nested lists and dicts stay as they are)."""
        return require_pandas().DataFrame.from_records(list(self))
