"""Cleaning that happens before any offset is taken, so every offset points into the cleaned text.

Three repairs news text needs, each conservative because a wrong repair is worse than none:
- Unicode: NFC, no-break and other exotic spaces to plain spaces, invisible characters dropped,
  line endings unified, runs of spaces and blank lines collapsed.
- Words glued together by scraping, when a paragraph or comma was lost: "indeedThe" (a lower-case
  word running into a capitalised one) and "componentsfood" (two whole words, the first inflected,
  that are not a word together). Splitting uses wordninja's English word list; no library does the
  decision itself, so the guard rules are hand-written here.
- Photo captions ("... (Photo/Deng Nan)") moved out of the body so they never feed quotes or events.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00]")
#: Runs of one punctuation mark or symbol past three ('""""...', "!!!!", "-----"): spaCy's tokenizer
#: takes time quadratic in such a run (16,000 quote marks: 53 s), and three say all they can.
_PUNCTUATION_RUNS = re.compile(r"([^\w\s])\1{3,}")
#: Lone surrogates ("\ud800" in JSON) are no characters: no encoder or tokenizer takes them.
_LONE_SURROGATES = re.compile(r"[\ud800-\udfff]")
_RUNS_OF_SPACES = re.compile(r" {2,}")
_BLANK_LINES = re.compile(r"\n{3,}")

# "indeedThe", "indeed.The": a lower-case word of 3+ letters directly followed by a capitalised word.
_CASE_GLUE = re.compile(r"(?<![\w./@-])([a-z]{3,})([.!?]?)([A-Z][a-z]{1,})\b")
# An all-lower-case token long enough to hide two words, and short enough to be no more than two
# (a megabyte-long "word" would keep the word splitter busy for minutes).
_LOWER_TOKEN = re.compile(r"(?<![\w./@'-])[a-z]{9,40}(?![\w/@'-])")
# First halves that are inflected forms: compounds ("cybersecurity", "chipmaker") rarely inflect
# their first element, scraping accidents ("componentsfood") often do.
_INFLECTED = re.compile(r"(?:[^su]s|ed|ing|ly|tion|ment)$")
# Endings that make a word with what precedes them ("connectedness"), never a word of their own here.
_SUFFIX_WORDS = frozenset({"ness", "less", "ship", "hood", "wide", "like", "wise", "able"})

# A caption paragraph ends with a credit: "(Photo/Deng Nan)", "(Photo: Reuters)", "(AP Photo/...)",
# "[Photo by ...]", "(Xinhua/Name)", "(Getty Images)", "Photo: ...".
_CAPTION = re.compile(
    r"""(?:[(\[]\s*(?:[A-Z][\w.]*\s+)?(?:photo|photograph|picture|image|file\ photo)s?
            (?:\s*(?:/|:|by|courtesy\ of)\s*[^)\]]*)?[)\]]
         |[(\[]\s*(?:Xinhua|AP|AFP|Reuters|EPA|IC|CFP|VCG)\s*/[^)\]]{1,60}[)\]]
         |[(\[]\s*(?:Getty\ Images|Shutterstock|iStock)[^)\]]*[)\]]
        )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_CAPTION_LEAD = re.compile(r"^\s*(?:photo|pictured|file photo)\s*[:|]", re.IGNORECASE)
_CAPTION_MAX_CHARS = 400


def normalize_unicode(text: str) -> str:
    """NFC, plain spaces, no invisible characters or NULs, lone surrogates as U+FFFD, `\\n` line
    ends, collapsed space runs."""
    text = unicodedata.normalize("NFC", _LONE_SURROGATES.sub("\ufffd", text))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _INVISIBLE.sub("", text)
    text = _PUNCTUATION_RUNS.sub(r"\1\1\1", text)
    text = _SPACES.sub(" ", text)
    lines = [_RUNS_OF_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


@lru_cache(maxsize=1)
def _word_costs() -> dict[str, float]:
    import wordninja

    return wordninja.DEFAULT_LANGUAGE_MODEL._wordcost  # word -> -log(frequency by rank)


#: Both halves of a lower-case split must be common words (wordninja's cost: lower is commoner).
_COMMON_WORD_COST = 12.5


def _is_word(word: str, max_cost: float = 99.0) -> bool:
    cost = _word_costs().get(word.lower())
    return cost is not None and cost <= max_cost


def _split_case_glue(match: re.Match[str]) -> str:
    left, punct, right = match.groups()
    if _is_word(left + right) or not (_is_word(left) and _is_word(right)):
        return match.group(0)
    return f"{left}{punct} {right}"


def _split_lower_glue(match: re.Match[str]) -> str:
    token = match.group(0)
    if _is_word(token):
        return token
    import wordninja

    parts = wordninja.split(token)
    if len(parts) != 2:
        return token
    left, right = parts
    if (
        len(left) >= 8
        and len(right) >= 4
        and _INFLECTED.search(left)
        and right not in _SUFFIX_WORDS
        and _is_word(left, _COMMON_WORD_COST)
        and _is_word(right, _COMMON_WORD_COST)
    ):
        return f"{left} {right}"
    return token


def split_glued_words(text: str) -> str:
    """Put back the space scraping lost between two words; leaves names like "iPhone" alone."""
    text = _CASE_GLUE.sub(_split_case_glue, text)
    return _LOWER_TOKEN.sub(_split_lower_glue, text)


def is_caption(paragraph: str) -> bool:
    """A photo caption: a short paragraph ending in a photo credit or opening with "Photo:"."""
    if len(paragraph) > _CAPTION_MAX_CHARS:
        return False
    return bool(_CAPTION.search(paragraph) or _CAPTION_LEAD.match(paragraph))


def separate_captions(text: str) -> tuple[str, list[str]]:
    """Split the body into its text without caption paragraphs, and the captions in order."""
    kept: list[str] = []
    captions: list[str] = []
    for line in text.split("\n"):
        (captions if line and is_caption(line) else kept).append(line)
    body = _BLANK_LINES.sub("\n\n", "\n".join(kept)).strip()
    return body, captions


def clean_body(text: str) -> tuple[str, list[str]]:
    """The rest of the cleaning of a body already through `normalize_unicode`: (text, captions)."""
    body, captions = separate_captions(text)
    return split_glued_words(body), captions
