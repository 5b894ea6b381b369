"""A problem in one file or one record costs that file or record, with a line that names it."""

from __future__ import annotations

import io
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


def test_linked_folders_are_read_once_and_loops_are_reported(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "a.txt").write_text(ARTICLE)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.txt").write_text(ARTICLE.replace("Monday", "Tuesday"))
    (tmp_path / "top").mkdir()
    (tmp_path / "top" / "linked").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "top" / "loop").symlink_to(tmp_path / "top", target_is_directory=True)
    records, skipped = _split(list(iter_records([str(tmp_path / "top")])))
    assert [r.origin for r in records] == [f"{tmp_path}/top/linked/b.txt"]
    assert [(s.origin, s.reason) for s in skipped] == [(f"{tmp_path}/top/loop", f"the same folder as {tmp_path}/top (read once)")]


def test_an_unreadable_folder_is_named_not_dropped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text(ARTICLE)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text(ARTICLE)
    real_scandir = sources.os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]  # as for a folder without read permission (tests run as root)
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(sources.os, "scandir", scandir)
    records, skipped = _split(list(iter_records([str(tmp_path)])))
    assert [Path(r.origin).name for r in records] == ["a.txt"]
    assert [(s.origin, s.reason) for s in skipped] == [(f"{tmp_path}/locked", "cannot read folder: permission denied")]
    records, skipped = _split(list(iter_records([str(tmp_path / "locked")])))
    assert records == [] and [s.reason for s in skipped] == ["cannot read folder: permission denied"]


def test_one_stray_byte_does_not_garble_a_utf8_article() -> None:
    from parley.ingest.textfile import decode_text

    data = "Le maire de Montréal a reçu la délégation à l’hôtel de ville.".encode() + b"\xff" + b" Fin."
    text = decode_text(data)
    assert text is not None and "Montréal" in text and "reçu" in text and "\ufffd" in text
    legacy = "Le maire de Montréal a reçu la délégation.".encode("cp1252")  # contrast: real cp1252 stays cp1252
    assert decode_text(legacy) == "Le maire de Montréal a reçu la délégation."


def test_a_stray_nul_is_text_and_utf16_without_bom_is_read() -> None:
    from parley.ingest.textfile import decode_text, looks_binary

    data = b"The Mayor of Lima met a delegation.\x00 It went well. " * 20
    assert not looks_binary(data)
    assert decode_text(data) == ("The Mayor of Lima met a delegation. It went well. " * 20)
    utf16 = "The Mayor of Lima met a delegation from Peru.".encode("utf-16-le")
    assert decode_text(utf16) == "The Mayor of Lima met a delegation from Peru."
    assert decode_text("Die Delegation traf den Bürgermeister.".encode("utf-16-be")) == "Die Delegation traf den Bürgermeister."
    assert looks_binary(bytes(range(256)) * 4)  # contrast: real binary stays binary


def test_lone_surrogates_and_nuls_are_cleaned_before_analysis() -> None:
    import parley

    doc = parley.analyze("Ana Ruiz said \ud800 the talks\x00 went well.", headline="Talks")
    assert doc.article.text == "Ana Ruiz said \ufffd the talks went well."
    doc.to_json().encode("utf-8")  # storable


class _Endless(io.RawIOBase):
    """A standard input that never ends: reading it whole would never return."""

    def __init__(self, unit: bytes) -> None:
        self.unit = unit

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:  # type: ignore[no-untyped-def]
        data = (self.unit * (len(target) // len(self.unit) + 1))[: len(target)]
        target[: len(data)] = data
        return len(data)


class _Stdin:
    def __init__(self, raw: io.RawIOBase) -> None:
        self.buffer = io.BufferedReader(raw)


def test_stdin_text_is_refused_at_the_limit_without_reading_it_whole() -> None:
    from parley.ingest.records import IngestOptions
    from parley.ingest.sources import read_stdin

    items = list(read_stdin(_Stdin(_Endless(b"words and more words ")), IngestOptions(max_bytes=10_000)))
    assert [(s.origin, s.reason) for s in items] == [("<stdin>", "larger than the 9.8 KB limit")]


def test_stdin_json_lines_stream_one_record_at_a_time() -> None:
    from itertools import islice

    from parley.ingest.sources import read_stdin

    line = b'{"text": "The Mayor of Lima met a delegation.", "title": "Talks"}\n'
    first = list(islice(read_stdin(_Stdin(_Endless(line))), 3))
    assert [r.origin for r in first] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]


def test_pathological_runs_are_cut_before_the_tokenizer_sees_them() -> None:
    from parley.ingest.clean import normalize_unicode, split_glued_words

    assert normalize_unicode('He said: ' + '"' * 16_000 + " end") == 'He said: """ end'
    assert normalize_unicode("Wait... what?! -- fine") == "Wait... what?! -- fine"  # contrast: short runs stay
    long_word = "abcdefghij" * 100_000  # a megabyte with no space: not handed to the word splitter
    assert split_glued_words(long_word) == long_word
    assert split_glued_words("the componentsfood sector") == "the components food sector"
