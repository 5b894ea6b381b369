"""Page furniture in a body: the lines of a news page that are no part of its story.

Feeds, crawls and pasted text carry them between the paragraphs and at the foot: links to other
stories ("Also read: ..."), advertising markers, invitations to share or subscribe, rights notices.
Left in, each is a sentence to the analysis, and a linked headline makes events and entities of a
story the article does not tell. They are taken out with the cleaning, before any offset is taken.
The phrases are data (`resources/page_furniture.tsv`); the shapes a line must have are here, kept
narrow so that prose opening with the same words ("Copyright claims rose", "Related talks follow")
stays: a label needs its separator and a linked text, a notice a year or a ©, an invitation is short.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..analysis.lexicon import read_table

_INVITE_WORDS = 16
_RIGHTS_WORDS = 30
_EDGE_MARKS = " \t-–—|:.•·*_=>»<«[]()"


@lru_cache(maxsize=1)
def _phrases() -> dict[str, tuple[str, ...]]:
    kinds: dict[str, list[str]] = {}
    for row in read_table("page_furniture.tsv"):
        kinds.setdefault(row["kind"], []).append(row["phrase"].lower())
    return {kind: tuple(sorted(words, key=len, reverse=True)) for kind, words in kinds.items()}


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    def alternation(kind: str) -> str:
        return "|".join(re.escape(p).replace("'", "['’]") for p in _phrases().get(kind, ()))

    label = re.compile(rf"^(?:{alternation('label')})\s*(?::|\||>>|»|[-–—])\s*\S", re.IGNORECASE)
    invite = re.compile(rf"^(?:{alternation('invite')})\b", re.IGNORECASE)
    rights = re.compile(rf"(?<!\w)(?:(?:{alternation('rights')})\s*(?:©|\(c\)|\d{{4}})|(?:{alternation('notice')})(?!\w))",
                        re.IGNORECASE)
    return label, invite, rights


def is_furniture(line: str) -> bool:
    """True for a line that is page furniture, not prose of the story (see the module docstring)."""
    text = line.strip()
    if not text:
        return False
    bare = text.strip(_EDGE_MARKS).lower().replace("’", "'")
    if bare in _phrases().get("line", ()):
        return True
    label, invite, rights = _patterns()
    words, opening = len(text.split()), text.lstrip(_EDGE_MARKS)
    if label.match(opening) or words <= _INVITE_WORDS and invite.match(opening):
        return True
    return words <= _RIGHTS_WORDS and bool(rights.search(text))


def drop_furniture(text: str) -> str:
    """The text without its furniture lines (the paragraphs around them kept as they were). A text
    that is nothing but furniture stays whole: a headline over a rights notice is still an article,
    typed by its headline, and is not to be lost as empty."""
    lines = text.split("\n")
    kept = [line for line in lines if not is_furniture(line)]
    if len(kept) == len(lines) or not any(line.strip() for line in kept):
        return text
    return "\n".join(kept)
