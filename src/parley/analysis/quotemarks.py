"""Quoted spans: text between double quotation marks, curly or straight, balanced or not.

News conventions handled: a quotation running over several paragraphs opens each paragraph with a
mark and closes only the last; a mark left open at a paragraph's end closes there; straight marks
open after a space or bracket and close before one. Quotes inside quotes use single marks in
English and are left inside the outer span. Nothing here raises on odd input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENING = {"“", "„", "«"}
CLOSING = {"”", "»"}
STRAIGHT = '"'
_MARK_OR_BREAK = re.compile("[" + re.escape("".join(sorted(OPENING | CLOSING)) + STRAIGHT) + "\n]")


@dataclass
class QuotedSpan:
    start: int  # first character inside the marks
    end: int  # the closing mark (exclusive end of the content)
    continues: bool = False  # a paragraph of a quotation that began in the paragraph before

    def words(self, text: str) -> int:
        return len(text[self.start : self.end].split())


def quoted_spans(text: str) -> list[QuotedSpan]:
    """Every quoted span in `text`, in order, with content offsets excluding the marks."""
    spans: list[QuotedSpan] = []
    open_at: int | None = None
    this_continues = False  # the span now open continues a quotation from the paragraph before
    carry = False  # a quotation was left open at the last paragraph break
    text = text.replace("''", '"\u0000').replace("``", '"\u0000')  # NYT style: two single marks
    last = -1
    for found in _MARK_OR_BREAK.finditer(text):  # only marks and line breaks change the state
        i, ch = found.start(), found.group()
        if carry and open_at is None and not text[last + 1 : i].isspace() and i > last + 1:
            carry = False  # a word between a paragraph left open and the next mark
        last = i
        if open_at is None:
            if ch in OPENING or (ch in CLOSING or ch == STRAIGHT) and _opens(text, i):
                open_at, this_continues, carry = i + 1, carry, False
            elif ch != "\n":
                carry = False
        elif ch == "\n":
            spans.append(QuotedSpan(open_at, _trim_end(text, open_at, i), this_continues))
            open_at, carry = None, True
        elif ch in CLOSING or ch == STRAIGHT:
            if i > open_at:
                spans.append(QuotedSpan(open_at, i, this_continues))
            open_at = None
    if open_at is not None and open_at < len(text):
        spans.append(QuotedSpan(open_at, _trim_end(text, open_at, len(text)), this_continues))
    for span in spans:  # the second mark of a pair is not content
        if text[span.start : span.start + 1] == "\u0000":
            span.start += 1
    return [s for s in spans if s.end > s.start and text[s.start : s.end].strip()]


def _opens(text: str, i: int) -> bool:
    """A straight (or misused closing) mark opens a quote after a space, a bracket or the start."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after == "\u0000":
        after = text[i + 2] if i + 2 < len(text) else " "
    return (before.isspace() or before in "([{—–-:") and not after.isspace()


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
