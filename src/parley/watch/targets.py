"""What a user may name to watch, and the kind each is: an http(s) URL, a folder, or a file.

A URL is a feed (RSS/Atom), a page, JSON or text, told apart by what it answers (`ingest.sources`);
a folder is walked for new and changed files; a file is read again when it changes. A list of
sources (`--from FILE`) holds one a line; `#` starts a comment; relative paths are read from the
list's own folder. Anything else (another scheme, a path that is not there, standard input) is
refused with the reason, before anything is polled.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..errors import SourceError
from ..ingest.records import MISSING
from ..ingest.web import is_url

KINDS = ("url", "folder", "file")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):(//)?")


def kind_of(source: str, base: Path | None = None) -> tuple[str, str]:
    """(kind, location) of a source as named; raises SourceError naming it and why it cannot be watched."""
    if source == "-":
        raise SourceError(source, "standard input cannot be watched: save it to a file or folder and watch that")
    if is_url(source):
        return "url", source
    scheme = _SCHEME.match(source)
    if scheme and (scheme.group(2) or len(scheme.group(1)) > 1):  # "C:" is a drive, not a scheme
        raise SourceError(source, f"cannot watch a {scheme.group(1).lower()}: source: "
                                  "watch http(s) URLs (feeds, pages), folders and files")
    path = Path(source).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    if path.is_dir():
        return "folder", str(path.resolve())
    if path.is_file():
        return "file", str(path.resolve())
    if path.exists():
        raise SourceError(source, "not a folder nor a regular file")
    raise SourceError(source, MISSING)


def read_list(path: str | os.PathLike[str]) -> list[tuple[str, Path]]:
    """The sources a list file names, each with the folder relative paths are read from."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(str(path), f"list of sources: {MISSING}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(str(path), f"cannot read the list of sources ({exc})") from None
    base = file.resolve().parent
    names = [line.split(" #")[0].strip() for line in text.splitlines()]
    return [(name, base) for name in names if name and not name.startswith("#")]
