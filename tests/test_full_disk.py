"""A full disk during an export or an --out run is one clear error and leaves no partial file."""

from __future__ import annotations

import errno
import importlib
from pathlib import Path
from typing import Any

import pytest

import parley
from parley.errors import StoreError
from parley.run import parquet as parquet_out
from parley.store import Store

export_module = importlib.import_module("parley.store.export")  # the package re-exports the function


class _FullDisk:
    """A file that accepts a few bytes, then fails as a full disk does."""

    def __init__(self, path: str, mode: str) -> None:
        self._fh = open(path, mode)  # noqa: SIM115 - closed in close()
        self._room = 10

    def write(self, data: Any) -> int:
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self._room -= len(data)
        return self._fh.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "s.db")
    s.add(parley.analyze("The Mayor of Lima, Ana Ruiz, met a delegation from Peru.", headline="Talks"))
    return s


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "gdelt"])
def test_export_on_a_full_disk_is_one_error_and_no_file(store: Store, tmp_path: Path, fmt: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_module, "open", _FullDisk, raising=False)
    target = tmp_path / "out" / f"x.{fmt}"
    target.parent.mkdir()
    with pytest.raises(StoreError, match=r"x\.\w+: cannot write export: No space left on device"):
        export_module.export(store, fmt, target)
    assert list(target.parent.iterdir()) == []


def test_a_complete_export_replaces_the_file(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "x.jsonl"
    target.write_text("old")
    assert export_module.export(store, "jsonl", target) == 1
    assert target.read_text().startswith('{"schema"') and [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_out_on_a_full_disk_is_one_error_and_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    import pyarrow.parquet as pq

    monkeypatch.setattr(pq, "write_table", full)
    doc = parley.analyze("The Mayor of Lima met a delegation from Peru.", headline="Talks")
    with pytest.raises(StoreError, match="cannot write output: No space left on device"):
        with parquet_out.ParquetSink(tmp_path / "out", rows_per_file=1) as sink:
            sink.add_many([doc])
    assert [p for p in (tmp_path / "out").rglob("*") if p.is_file()] == []
