"""A document for reading in the terminal: the text with what was found marked in place."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .document import Document

ENTITY_STYLES = {
    "PERSON": "bold cyan",
    "ORG": "bold magenta",
    "GROUP": "bold magenta",
    "GPE": "bold green",
    "LOC": "green",
    "FAC": "yellow",
    "NORP": "blue",
}


def marked_text(document: Document) -> Text:
    """The article text with entity mentions coloured, quotes italic and event triggers reversed."""
    text = Text(document.article.text)
    for quote in document.quotes:
        text.stylize("italic", quote.start, quote.end)
    for entity in document.entities:
        for mention in entity.mentions:
            text.stylize(ENTITY_STYLES.get(entity.type, "bold"), mention.start, mention.end)
    for event in document.events:
        text.stylize("reverse", event.trigger.start, event.trigger.end)
    return text


def print_document(document: Document, console: Console | None = None) -> None:
    console = console or Console()
    article = document.article
    console.rule(Text(article.headline or "(no headline)", style="bold"))
    meta = [("id", article.id), ("published", article.published), ("source", article.source),
            ("dateline", article.dateline), ("file", article.file), ("url", article.url)]
    console.print(Text("  ".join(f"{key}: {value}" for key, value in meta if value), style="dim"))
    console.print(marked_text(document))
    for caption in article.captions:
        console.print(Text(f"[caption] {caption}", style="dim"))
    if document.entities:
        table = Table(title="Entities")
        for column in ("id", "type", "name", "aliases", "country", "sector", "roles", "mentions"):
            table.add_column(column)
        for entity in document.entities:
            roles = "; ".join(f"{r.title}{' of ' + r.of if r.of else ''}" for r in entity.roles)
            table.add_row(entity.id, entity.type, entity.name, ", ".join(entity.aliases), entity.country or "",
                          entity.sector or "", roles, str(len(entity.mentions)))
        console.print(table)
    if document.quotes:
        table = Table(title="Quotes")
        for column in ("speaker", "cue", "kind", "text"):
            table.add_column(column)
        for quote in document.quotes:
            speaker = document.entity(quote.speaker)
            table.add_row(speaker.name if speaker else (quote.speaker_text or ""), quote.cue or "", quote.kind,
                          quote.text)
        console.print(table)
    if document.events:
        table = Table(title="Events")
        for column in ("type", "mode", "actor", "recipient", "date", "sectors", "trigger"):
            table.add_column(column)
        for event in document.events:
            names = lambda ids: ", ".join(e.name for e in map(document.entity, ids) if e)  # noqa: E731
            date = event.date.start if event.date else ""
            table.add_row(event.type, event.mode or "", names(event.actor), names(event.recipient), date or "",
                          ", ".join(event.sectors), event.trigger.text)
        console.print(table)
