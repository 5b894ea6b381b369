"""A document for reading in the terminal: the text with what was found marked in place.

Article text is only ever put in `rich.text.Text` objects, never in markup strings, so a "[bold]"
or "<script>" in a news story is printed as written.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .document import Document, Quote
from .output import printable

ENTITY_STYLES = {
    "PERSON": "bold cyan",
    "ORG": "bold magenta",
    "GROUP": "bold magenta",
    "GPE": "bold green",
    "LOC": "green",
    "FAC": "yellow",
    "NORP": "blue",
}
QUOTE_STYLE = "italic"
MARKER_STYLE = "dim"


def speaker_name(document: Document, quote: Quote) -> str:
    """Who said it: the speaker entity's name, else the words that name the speaker, else "?"."""
    entity = document.entity(quote.speaker)
    return entity.name if entity else (quote.speaker_text or "?")


def quote_marker(document: Document, quote: Quote) -> str:
    return printable(f" [{quote.id} · {speaker_name(document, quote)}]")


class _Shift:
    """Maps offsets in the article text to offsets in the text with the quote markers inserted."""

    def __init__(self, inserts: list[tuple[int, int]]) -> None:
        self.positions = [p for p, _ in inserts]
        self.total = [0, *accumulate(n for _, n in inserts)]

    def start(self, offset: int) -> int:
        """A span starting where a marker goes starts after the marker."""
        return offset + self.total[bisect_right(self.positions, offset)]

    def end(self, offset: int) -> int:
        """A span ending where a marker goes ends before it."""
        return offset + self.total[bisect_left(self.positions, offset)]


DATE_STYLE = "underline"


def marked_text(document: Document) -> Text:
    """The article text with entity mentions coloured, event triggers reversed, quotes italic and
    each quote followed by a dim marker naming its id and speaker."""
    source = printable(document.article.text, one_line=False)  # one character for one: offsets hold
    quotes = sorted(document.quotes, key=lambda q: (min(max(q.end, 0), len(source)), q.start))
    markers = [(min(max(q.end, 0), len(source)), quote_marker(document, q)) for q in quotes]
    text, at = Text(), 0
    for position, marker in markers:
        text.append(source[at:position])
        text.append(marker, style=MARKER_STYLE)
        at = position
    text.append(source[at:])
    shift = _Shift([(p, len(m)) for p, m in markers])

    def stylize(style: str, start: int, end: int) -> None:
        if 0 <= start < end:
            text.stylize(style, shift.start(start), shift.end(end))

    for quote in document.quotes:
        for part in quote.spans or [quote]:
            stylize(QUOTE_STYLE, part.start, part.end)
    for entity in document.entities:
        for mention in entity.mentions:
            stylize(ENTITY_STYLES.get(entity.type, "bold"), mention.start, mention.end)
    for event in document.events:
        stylize("reverse", event.trigger.start, event.trigger.end)
    for when in document.dates:
        stylize(DATE_STYLE, when.start, when.end)
    return text


def _table(title: str, columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> Table:
    """A table whose cells are plain Text: names and quotes from articles are never markup."""
    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*(Text(printable(cell or "")) for cell in row))
    return table


def print_document(document: Document, console: Console | None = None) -> None:
    console = console or Console()
    article = document.article
    console.rule(Text(printable(article.headline or "(no headline)"), style="bold"))
    meta = [("id", article.id), ("published", article.published), ("source", article.source),
            ("dateline", article.dateline), ("file", article.file), ("url", article.url)]
    console.print(Text(printable("  ".join(f"{key}: {value}" for key, value in meta if value)), style="dim"))
    console.print(marked_text(document))
    for caption in article.captions:
        console.print(Text(printable(f"[caption] {caption}"), style="dim"))
    if document.entities:
        console.print(_table("Entities", ("id", "type", "name", "aliases", "country", "sector", "roles", "mentions"), [
            (e.id, e.type, e.name, ", ".join(e.aliases), e.country, e.sector,
             "; ".join(f"{r.title}{' of ' + r.of if r.of else ''}" for r in e.roles), str(len(e.mentions)))
            for e in document.entities]))
    if document.dates:
        console.print(_table("Dates", ("id", "text", "value", "until", "precision", "offsets"), [
            (t.id, t.text, t.value, t.value_end if t.value_end != t.value else "", t.precision, f"{t.start}-{t.end}")
            for t in document.dates]))
    if document.quotes:
        console.print(_table("Quotes", ("id", "speaker", "cue", "kind", "stance", "text"), [
            (q.id, speaker_name(document, q), q.cue, q.kind, "" if q.stance is None else f"{q.stance:+.2f}", q.text)
            for q in document.quotes]))
    if document.events:
        def names(ids: list[str]) -> str:
            return ", ".join(e.name for e in map(document.entity, ids) if e)

        console.print(_table("Events", ("type", "mode", "actor", "recipient", "date", "sectors", "trigger"), [
            (v.type, v.mode, names(v.actor), names(v.recipient), v.date.start if v.date else "",
             ", ".join(v.sectors), v.trigger.text)
            for v in document.events]))
