"""JSON Lines dumps and JSON files of articles, with user-configurable field names.

Dumps come from scrapers and news APIs that each name their fields differently, so the
mapping is data (`IngestOptions.fields`). JSON Lines is streamed line by line, so a dump of
any size can be read and one malformed line costs only that line; a plain JSON document must
be parsed whole and so gets a bounded budget.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO

from parley.ingest.records import IngestOptions, RawRecord, Skipped
from parley.ingest.textfile import (
    EMPTY_REASON,
    bom_encoding,
    decode_text,
    load_or_skip,
    os_reason,
    too_large_reason,
)

#: Keys under which JSON exports put their list of articles.
CONTAINER_KEYS = ("articles", "items", "data")
#: A JSON document holds many articles but is parsed whole: it may be this many times max_bytes.
DOCUMENT_LIMIT_FACTOR = 20
_EXTRA_MAX_CHARS = 500  # other short scalar fields are kept in `extra`; long ones are not metadata
_JSON_TYPES = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true or false"}

_Line = tuple[int, "str | None"]  # (line number, text); None for a line over the size limit


def _json_type(value: Any) -> str:
    return "null" if value is None else _JSON_TYPES.get(type(value), type(value).__name__)


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    text = str(value).strip()
    return text or None


def record_from_object(
    obj: Any, origin: str, *, file: str | None = None, options: IngestOptions | None = None
) -> RawRecord | Skipped:
    """Map one JSON object to a RawRecord through `options.fields`; first present key wins."""
    options = options or IngestOptions()
    if not isinstance(obj, dict):
        return Skipped(origin, f"not a JSON object but {_json_type(obj)}")
    found: dict[str, str] = {}
    used: set[str] = {"file"}
    for name, keys in options.fields.items():
        for key in keys:
            value = obj.get(key)
            if name == "text":  # the text must be a string; a number is never an article
                value = value if isinstance(value, str) and value.strip() else None
            else:
                value = _scalar(value)
            if value is not None:
                found[name] = value
                used.add(key)
                break
    if "text" not in found:
        tried = ", ".join(options.fields.get("text", []))
        return Skipped(origin, f"no article text (tried fields: {tried})")
    extra = {
        k: v for k, raw in obj.items() if k not in used and (v := _scalar(raw)) and len(v) <= _EXTRA_MAX_CHARS
    }
    own_file = _scalar(obj.get("file"))
    return RawRecord(
        text=found["text"],
        origin=origin,
        layout="body" if "title" in found else "plain",
        file=own_file or file,
        id=found.get("id"),
        url=found.get("url"),
        title=found.get("title"),
        published=found.get("published"),
        source=found.get("source"),
        extra=extra,
    )


def _records(
    value: Any, origin: str, file: str | None, options: IngestOptions
) -> Iterator[RawRecord | Skipped]:
    """One object, an array of objects, or an object holding its articles under a container key."""
    if isinstance(value, dict) and not any(k in value for k in options.fields.get("text", [])):
        inner = next((value[k] for k in CONTAINER_KEYS if isinstance(value.get(k), list)), None)
        value = inner if inner is not None else value
    if not isinstance(value, list):
        yield record_from_object(value, origin, file=file, options=options)
    elif not value:
        yield Skipped(origin, "no articles (empty JSON array)")
    else:
        for i, item in enumerate(value, start=1):
            yield record_from_object(item, f"{origin}#{i}", file=file, options=options)


def _loads(text: str) -> tuple[Any, str | None, int | None]:
    """(value, None, None), or (None, why, line or None) for text that is not JSON Python can hold:
    malformed, nested too deeply for the parser (RecursionError), or holding a number too long to
    convert (ValueError). Each is one record's problem, never the file's or the run's."""
    try:
        return json.loads(text), None, None
    except json.JSONDecodeError as exc:
        return None, f"malformed JSON ({exc.msg})", exc.lineno
    except RecursionError:
        return None, "JSON nested too deeply to read", None
    except ValueError as exc:
        return None, f"JSON value that cannot be read ({exc})", None


def _json_lines(
    lines: Iterable[_Line], origin: str, file: str | None, options: IngestOptions
) -> Iterator[RawRecord | Skipped]:
    for lineno, line in lines:
        where = f"{origin}:{lineno}"
        if line is None:
            yield Skipped(where, too_large_reason(options.max_bytes))
            continue
        if not line.strip():
            continue
        value, error, _ = _loads(line)
        if error is not None:
            yield Skipped(where, error)
            continue
        yield from _records(value, where, file, options)


def _parse(
    lines: Iterable[_Line], origin: str, file: str | None, options: IngestOptions
) -> Iterator[RawRecord | Skipped]:
    """JSON Lines when the first non-blank line is an object by itself, else one JSON document."""
    lines = iter(lines)
    head: list[_Line] = []
    for lineno, line in lines:
        head.append((lineno, line))
        if line is None or line.strip():
            break
    first = head[-1][1] if head else ""
    if first is not None and not first.strip():
        yield Skipped(origin, EMPTY_REASON)
        return
    is_jsonl = first is None or isinstance(_loads(first)[0], dict)
    if is_jsonl:
        yield from _json_lines(chain(head, lines), origin, file, options)
        return
    limit, size = options.max_bytes * DOCUMENT_LIMIT_FACTOR, 0
    kept: list[tuple[int, str]] = []
    for lineno, line in chain(head, lines):
        if line is None or (size := size + len(line)) > limit:
            yield Skipped(origin, f"JSON document {too_large_reason(limit)}")
            return
        kept.append((lineno, line))
    document = "".join(line for _, line in kept)
    value, error, lineno = _loads(document)
    if error is not None:
        # JSON Lines whose first line is broken: report each bad line, keep the good ones
        object_lines = sum(line.lstrip().startswith("{") for _, line in kept)
        if (first or "").lstrip().startswith("{") and object_lines >= 2:
            yield from _json_lines(kept, origin, file, options)
        else:
            yield Skipped(f"{origin}:{lineno}" if lineno else origin, error)
        return
    yield from _records(value, origin, file, options)


def read_json_text(
    text: str, origin: str, *, file: str | None = None, options: IngestOptions | None = None
) -> Iterator[RawRecord | Skipped]:
    """Articles from JSON Lines or JSON already in memory (standard input, a fetched body)."""
    lines = enumerate(text.splitlines(keepends=True), start=1)
    yield from _parse(lines, origin, file, options or IngestOptions())


def looks_like_json(text: str) -> bool:
    """True when text is JSON Lines or a JSON document rather than a plain-text article."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        return True
    if stripped.startswith("["):  # "[Updated] ..." may open a plain article
        return isinstance(_loads(stripped)[0], list)
    return False


def _file_lines(fh: BinaryIO, max_bytes: int) -> Iterator[_Line]:
    """Numbered decoded lines, reading at most max_bytes of one line into memory."""
    lineno = 0
    while raw := fh.readline(max_bytes + 1):
        lineno += 1
        if len(raw) > max_bytes and not raw.endswith(b"\n"):
            while (more := fh.readline(1 << 20)) and not more.endswith(b"\n"):
                pass
            yield lineno, None
            continue
        try:  # JSON is UTF-8 by definition; other encodings are a courtesy
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError:
            line = decode_text(raw) or raw.decode("utf-8", "replace")
        yield lineno, line


def _read_whole(
    path: str | os.PathLike[str], origin: str, options: IngestOptions
) -> Iterator[RawRecord | Skipped]:
    data = load_or_skip(path, options.max_bytes * DOCUMENT_LIMIT_FACTOR)
    if isinstance(data, Skipped):
        yield data
        return
    yield from read_json_text(decode_text(data) or "", origin, file=Path(path).name, options=options)


def read_jsonl(
    path: str | os.PathLike[str], options: IngestOptions | None = None
) -> Iterator[RawRecord | Skipped]:
    """Yield the articles of a JSON Lines or JSON file; a bad line is skipped, the rest still read."""
    options = options or IngestOptions()
    origin = str(path)
    try:
        fh = open(path, "rb")
    except OSError as exc:
        yield Skipped(origin, os_reason(exc))
        return
    with fh:
        if bom_encoding(fh.read(4)) not in (None, "utf-8"):  # UTF-16/32 (PowerShell): not line-readable
            yield from _read_whole(path, origin, options)
            return
        fh.seek(0)
        try:
            yield from _parse(_file_lines(fh, options.max_bytes), origin, Path(path).name, options)
        except OSError as exc:  # a read error mid-file: keep what came before it
            yield Skipped(origin, os_reason(exc))


def read_jsonl_stream(fh: BinaryIO, origin: str, options: IngestOptions | None = None) -> Iterator[RawRecord | Skipped]:
    """JSON Lines (or one JSON document) from a binary stream read line by line, never whole:
    standard input may carry more articles than fit in memory."""
    options = options or IngestOptions()
    try:
        yield from _parse(_file_lines(fh, options.max_bytes), origin, None, options)
    except OSError as exc:
        yield Skipped(origin, os_reason(exc))


def read_jsonl_bytes(
    data: bytes, origin: str, options: IngestOptions | None = None
) -> Iterator[RawRecord | Skipped]:
    """`read_jsonl` on a file's bytes already read (a Ray worker's shard); `origin` is its path."""
    options = options or IngestOptions()
    if bom_encoding(data[:4]) not in (None, "utf-8"):
        limit = options.max_bytes * DOCUMENT_LIMIT_FACTOR
        if len(data) > limit:
            yield Skipped(origin, too_large_reason(limit, len(data)))
        else:
            yield from read_json_text(decode_text(data) or "", origin, file=Path(origin).name, options=options)
        return
    yield from _parse(_file_lines(io.BytesIO(data), options.max_bytes), origin, Path(origin).name, options)
