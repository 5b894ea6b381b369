"""A problem in one file or one record costs that file or record, with a line that names it."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.ingest import sources
from parley.ingest.records import RawRecord, Skipped
from parley.ingest.sources import iter_records

ARTICLE = "A headline\n\nThe Mayor of Lima met a trade delegation from Peru on Monday."


def _split(items: list) -> tuple[list[RawRecord], list[Skipped]]:
    return [i for i in items if isinstance(i, RawRecord)], [i for i in items if isinstance(i, Skipped)]


def test_deep_nesting_and_huge_numbers_cost_their_line_only(tmp_path: Path) -> None:
    good = '{"text": "The Mayor of Lima met a delegation.", "title": "One"}'
    (tmp_path / "a.jsonl").write_text(good + "\n" + "[" * 100_000 + "]" * 100_000 + "\n" + good + "\n")
    (tmp_path / "b.jsonl").write_text(good + "\n" + '{"text": "x", "n": ' + "9" * 5000 + "}\n")
    (tmp_path / "c.txt").write_text(ARTICLE)
    records, skipped = _split(list(iter_records([str(tmp_path)])))
    assert [r.origin for r in records] == [f"{tmp_path}/a.jsonl:1", f"{tmp_path}/a.jsonl:3",
                                           f"{tmp_path}/b.jsonl:1", f"{tmp_path}/c.txt"]
    reasons = {s.origin: s.reason for s in skipped}
    assert reasons[f"{tmp_path}/a.jsonl:2"] == "JSON nested too deeply to read"
    assert reasons[f"{tmp_path}/b.jsonl:2"].startswith("JSON value that cannot be read")


def test_a_deeply_nested_json_document_is_one_skip(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    records, skipped = _split(list(iter_records([str(tmp_path / "deep.json")])))
    assert records == [] and [s.reason for s in skipped] == ["JSON nested too deeply to read"]


def test_a_reader_bug_on_one_file_costs_that_file_not_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("a.txt", "b.txt", "c.txt"):
        (tmp_path / name).write_text(ARTICLE)
    real = sources.FILE_READERS["text"]

    def buggy(path: Path, options):  # type: ignore[no-untyped-def]
        if path.name == "b.txt":
            raise RuntimeError("reader bug")
        yield from real(path, options)

    monkeypatch.setitem(sources.FILE_READERS, "text", buggy)
    records, skipped = _split(list(iter_records([str(tmp_path)])))
    assert [Path(r.origin).name for r in records] == ["a.txt", "c.txt"]
    assert [(Path(s.origin).name, s.reason) for s in skipped] == [("b.txt", "could not be read (RuntimeError: reader bug)")]
