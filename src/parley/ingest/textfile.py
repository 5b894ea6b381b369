"""Plain-text articles, and the byte-level checks every file reader shares.

Files arrive from anywhere: Windows editors (cp1252, UTF-16 with BOM), old archives (latin-1),
stray images in a folder. The helpers here turn bytes into text or into a reason a user can act
on, so that each reader says "binary file" or "larger than the 5 MB limit" the same way.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from parley.errors import SourceError, SourceTooLarge
from parley.ingest.records import MISSING, IngestOptions, RawRecord, Skipped

SNIFF_BYTES = 8192  # how much of a file the binary check and content sniffing look at
_CONTROL_RATIO = 0.10  # more control characters than this in the head: not text
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\b\x1b")
# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Languages written in cp1252 (charset-normalizer's names); "Unknown" when it cannot tell.
_CP1252_LANGUAGES = frozenset(
    {"English", "French", "German", "Spanish", "Portuguese", "Italian", "Dutch", "Danish",
     "Norwegian", "Swedish", "Finnish", "Catalan", "Indonesian", "Unknown"}
)  # fmt: skip

BINARY_REASON = "binary file (not text)"
EMPTY_REASON = "empty file"


def format_size(n: int) -> str:
    """A byte count in the unit a user thinks in: "52.4 MB", "812 bytes"."""
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{n} bytes"


def too_large_reason(limit: int, size: int | None = None) -> str:
    """The one wording of the size refusal, with the actual size when it is known."""
    if size is None:
        return f"larger than the {format_size(limit)} limit"
    return f"larger than the {format_size(limit)} limit ({format_size(size)})"


def too_large(data: bytes, origin: str, options: IngestOptions | None) -> Skipped | None:
    """The refusal of a whole file's bytes over the size limit (a reader given bytes, not a path,
    cannot have refused it before reading), or None."""
    limit = (options or IngestOptions()).max_bytes
    return Skipped(origin, too_large_reason(limit, len(data))) if len(data) > limit else None


def os_reason(exc: OSError) -> str:
    """An OSError as a short lower-case phrase ("permission denied"), without the path."""
    if isinstance(exc, FileNotFoundError):
        return MISSING
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a file"
    return f"cannot read: {(exc.strerror or str(exc)).lower()}"


def read_limited(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """Read a whole file, refusing it by its size *before* reading; raises SourceError."""
    origin = str(path)
    try:
        size = os.stat(path).st_size
        if size > max_bytes:
            raise SourceTooLarge(origin, too_large_reason(max_bytes, size))
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as exc:
        raise SourceError(origin, os_reason(exc)) from exc
    if len(data) > max_bytes:
        raise SourceTooLarge(origin, too_large_reason(max_bytes))
    return data


def load_or_skip(path: str | os.PathLike[str], max_bytes: int) -> bytes | Skipped:
    """`read_limited` for readers, which report a refusal as a Skipped instead of raising."""
    try:
        return read_limited(path, max_bytes)
    except SourceError as exc:
        return Skipped(str(path), exc.reason)


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark announces, if the data starts with one."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def looks_binary(data: bytes) -> bool:
    """Many NUL or control bytes in the head: an image, an archive, a database. Judged by
    proportion, so one stray NUL does not make an article binary, and UTF-16 without a BOM
    (a NUL beside every Latin letter) is text."""
    head = data[:SNIFF_BYTES]
    if not head or bom_encoding(head) not in (None, "utf-8") or _utf16_without_bom(head):
        return False  # UTF-16/32 text is full of NULs but is text
    controls = sum(1 for b in head if (b < 0x20 and b not in _TEXT_CONTROLS) or b == 0x7F)
    return controls / len(head) > _CONTROL_RATIO


def _utf16_without_bom(head: bytes) -> str | None:
    """ "utf-16-le" or "-be" when NULs fill every other byte (Latin text in UTF-16) and the rest
    decodes to printable text; else None."""
    pairs = len(head) // 2
    if pairs < 4:
        return None
    for encoding, zero_at in (("utf-16-le", 1), ("utf-16-be", 0)):
        zeros = sum(1 for i in range(zero_at, 2 * pairs, 2) if head[i] == 0)
        if zeros / pairs >= 0.6:
            text = head[: 2 * pairs].decode(encoding, "replace")
            printable = sum(1 for ch in text if ch.isprintable() or ch in "\t\n\r")
            if printable / len(text) >= 0.95:
                return encoding
    return None


#: Well-formed UTF-8 sequences of two to four bytes: their presence says a file is UTF-8.
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few stray bad bytes (a truncated copy, one mis-pasted character): decoding it
    as a legacy code page would garble every accented letter, so it is read as UTF-8 instead."""
    valid = len(_UTF8_MULTIBYTE.findall(data))
    if not valid:
        return False
    invalid = data.decode("utf-8", "replace").count("\ufffd") - data.decode("utf-8", "ignore").count("\ufffd")
    return invalid <= max(2, valid // 10)


def _decode_legacy(data: bytes) -> str:
    """Non-UTF-8 bytes: charset-normalizer's guess, except that Western text is read as cp1252.

    On short Western European text the detector ties cp1252 with cp1250 or cp1257 and may pick
    either ("à" becomes "ŕ"); cp1252 is by far the likelier, so its language decides. Cyrillic,
    Greek, Central European or CJK text keeps the detector's choice.
    """
    best = from_bytes(data).best()
    if best is None or best.language in _CP1252_LANGUAGES:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:  # one of the five bytes cp1252 leaves undefined
            return data.decode("latin-1") if best is None else str(best)
    return str(best)


def _declared(data: bytes, charset: str | None) -> str | None:
    try:
        return data.decode(charset) if charset else None
    except (LookupError, UnicodeDecodeError):  # unknown name, or the bytes disagree with it
        return None


def decode_text(data: bytes, charset: str | None = None) -> str | None:
    """Bytes to text: BOM, strict UTF-8, declared charset, then a detected one; None if binary.

    `charset` is a declared encoding (an HTTP header's), used when the bytes are not UTF-8.
    Line endings are normalised to "\\n", as reading a file in text mode would.
    """
    bom = next((b for b, _ in _BOMS if data.startswith(b)), b"")
    utf16 = None if bom else _utf16_without_bom(data[:SNIFF_BYTES])
    if bom:
        text = data[len(bom) :].decode(dict(_BOMS)[bom], "replace")
    elif utf16:
        text = data.decode(utf16, "replace")
    elif looks_binary(data):
        return None
    else:
        try:  # valid UTF-8 is UTF-8, whatever a misconfigured server declares
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            if _mostly_utf8(data):
                text = data.decode("utf-8", "replace")
            else:
                declared = _declared(data, charset)
                text = declared if declared is not None else _decode_legacy(data)
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")


def text_record(
    data: bytes, origin: str, *, file: str | None = None, charset: str | None = None
) -> RawRecord | Skipped:
    """One plain-text article from bytes (a file, a fetched text/plain page, standard input)."""
    text = decode_text(data, charset)
    if text is None:
        return Skipped(origin, BINARY_REASON)
    if not text.strip():
        return Skipped(origin, EMPTY_REASON)
    return RawRecord(text=text, origin=origin, layout="plain", file=file)


def read_text_file(
    path: str | os.PathLike[str], options: IngestOptions | None = None
) -> Iterator[RawRecord | Skipped]:
    """Yield the file as one plain-text article, or one Skipped saying why it is not one."""
    options = options or IngestOptions()
    data = load_or_skip(path, options.max_bytes)
    if isinstance(data, Skipped):
        yield data
    else:
        yield from read_text_bytes(data, str(path), options)


def read_text_bytes(data: bytes, origin: str, options: IngestOptions | None = None) -> Iterator[RawRecord | Skipped]:
    """`read_text_file` on a file's bytes already read (a Ray worker's shard); `origin` is its path."""
    yield too_large(data, origin, options) or text_record(data, origin, file=Path(origin).name)
