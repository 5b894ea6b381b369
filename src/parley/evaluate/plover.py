"""The PLOVER gold-standard records as sentence-level gold for event types, modes and actors.

`../shared/data/plover/PLOVER_GSR_CAMEO.txt` is one JSON array: a DOCUMENT header, then 322 example
sentences from the CAMEO manual, each coded by hand with a PLOVER 0.5b1 `event` (DEMAND, FIGHT, ...),
an optional `mode`, and `source`/`target` actor lists (`actorText`). The older categories are carried
to PLOVER 2.0 by the table in `parley/resources/plover_0.5_to_2.0.tsv`, whose header says why for
every mapping that is not the identity. No shared scorer exists for these records, so the figures are
computed here:

  type_acc_top   the type of the highest-`confidence` event (ties: the earlier) is the gold type
  type_acc_any   the gold type is among the sentence's event types
  mode_acc       over records with a 2.0 mode: the highest-confidence event of the gold type has it
  actor_acc_top  over records with a gold actor: an actor of the highest-confidence event matches one
  actor_acc_any  the same with the actors of any event
  no_events      sentences with no event at all (or whose analysis failed); they count as wrong

Names match when, lower-cased with punctuation and a leading "the" dropped, they are equal, or one
contains the other as whole words and the contained name is 4+ characters long or an acronym ("Bush" in
"President Bush", "Tran Xuan Gia" in "Minister Tran Xuan Gia", "U.S." in "U.S. border patrol"; not
"Bush" in "Bushehr"), or one starts a word of the other and has a token of 5+ characters ("Israel" in
"Israeli soldiers", "Rwanda" in "Rwandan rebels").
The data is CC BY-SA 4.0 (Open Event Data Alliance) and stays outside the repository.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from ..document import Article, Document, Event
from ..errors import ParleyError

MAPPING = "plover_0.5_to_2.0.tsv"
FIGURES = ("type_acc_top", "type_acc_any", "mode_acc", "actor_acc_top", "actor_acc_any")
COUNTS = ("records", "no_events", "mode_scored", "actor_scored")


@dataclass(frozen=True)
class Mapping:
    """One row of the table: the 2.0 type, the 2.0 mode ("=": keep the record's), the actor side."""

    type: str
    mode: str = ""
    actor: str = "source"


@dataclass
class GoldRecord:
    """A gold sentence, already carried to PLOVER 2.0."""

    id: str
    text: str
    event: str  # the 0.5b1 category, as coded
    type: str  # the PLOVER 2.0 type
    mode: str = ""  # the PLOVER 2.0 mode, "" when none
    actors: list[str] = field(default_factory=list)  # actorText of the side that is the 2.0 actor
    file: str = ""  # the article's file name: `<id>.txt`, `<id>_2.txt` for an id seen before

    def __post_init__(self) -> None:
        self.file = self.file or f"{self.id}.txt"


def load_mapping(path: Path | None = None) -> dict[tuple[str, str], Mapping]:
    """The table, keyed by (0.5b1 event, 0.5b1 mode or "*")."""
    text = path.read_text(encoding="utf-8") if path else files("parley.resources").joinpath(MAPPING).read_text(
        encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    table = {}
    for row in rows[1:]:  # the first is the column names
        event, mode, type_, mode_2, actor = (row + [""] * 5)[:5]
        table[(event.strip().upper(), mode.strip().lower())] = Mapping(
            type_.strip().upper(), mode_2.strip().lower(), actor.strip() or "source")
    return table


def carry(event: str, mode: str, mapping: dict[tuple[str, str], Mapping]) -> tuple[Mapping, str]:
    """The row for a coded event and mode, and the 2.0 mode it gives."""
    event, mode = event.strip().upper(), (mode or "").strip().lower()
    row = mapping.get((event, mode)) or mapping.get((event, "*"))
    if row is None:
        raise ParleyError(f"no PLOVER 2.0 mapping for {event}{'/' + mode if mode else ''} in {MAPPING}")
    return row, mode if row.mode == "=" else row.mode


def actor_texts(side: Any) -> list[str]:
    """The actorText values of a `source` or `target` field (a list of objects, "" or absent)."""
    if not isinstance(side, list):
        return []
    return [a["actorText"].strip() for a in side if isinstance(a, dict) and str(a.get("actorText") or "").strip()]


def read_records(path: Path, mapping: dict[tuple[str, str], Mapping] | None = None,
                 limit: int | None = None) -> list[GoldRecord]:
    """The sentences of a gold file in file order (the DOCUMENT header and text-less records left out)."""
    mapping = mapping or load_mapping()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ParleyError(f"{path}: not a PLOVER gold file (one JSON array of records): {exc}") from exc
    if not isinstance(data, list):
        raise ParleyError(f"{path}: not a PLOVER gold file (one JSON array of records)")
    records: list[GoldRecord] = []
    seen: Counter[str] = Counter()
    for item in data:
        if not isinstance(item, dict) or item.get("event") == "DOCUMENT" or not str(item.get("text") or "").strip():
            continue
        row, mode = carry(str(item.get("event", "")), str(item.get("mode") or ""), mapping)
        record_id = str(item.get("id") or f"record_{len(records) + 1}")
        seen[record_id] += 1  # the 0.5b1 file has one id twice (COERCE-0004): files must not collide
        records.append(GoldRecord(id=record_id, text=str(item["text"]).strip(), event=str(item["event"]),
                                  type=row.type, mode=mode, actors=actor_texts(item.get(row.actor)),
                                  file=f"{record_id}_{seen[record_id]}.txt" if seen[record_id] > 1 else ""))
        if limit and len(records) == limit:
            break
    if not records:
        raise ParleyError(f"{path}: no gold records")
    return records


def article(record: GoldRecord) -> Article:
    """A sentence as an article of its own: no headline, the sentence as body, `<id>.txt` as file."""
    return Article(id=record.file.removesuffix(".txt"), text=record.text, file=record.file, headline="")


def analyse(records: list[GoldRecord], model: str | None = None,
            failures: list[str] | None = None) -> dict[str, Document]:
    """Parley's document for each sentence, by file name; a failed analysis is noted and left out."""
    from ..analysis.pipeline import analyze_articles

    def failed(item: Article, exc: Exception) -> None:
        if failures is not None:
            failures.append(f"{item.file}: {type(exc).__name__}: {exc}")

    documents = analyze_articles((article(r) for r in records), model=model, on_error=failed)
    return {d.article.file or d.article.id: d for d in documents}


def normalise(name: str) -> str:
    text = re.sub(r"[^\w]+", " ", name.casefold()).strip()
    return re.sub(r"^the ", "", text)


def names_match(gold: str, predicted: str) -> bool:
    """Equal once normalised; or the shorter is in the longer as whole words and is 4+ characters long
    or an acronym; or it starts a word of the longer and has a token of 5+ characters (see the module
    docstring)."""
    a, b = normalise(gold), normalise(predicted)
    if not a or not b:
        return False
    if a == b:
        return True
    (short, short_as_written), (long, _) = sorted(((a, gold), (b, predicted)), key=lambda pair: len(pair[0]))
    acronym = re.fullmatch(r"(?:[A-Z]\.?){2,}", short_as_written.strip()) is not None
    if (len(short) >= 4 or acronym) and re.search(rf"\b{re.escape(short)}\b", long):
        return True
    return any(len(t) >= 5 for t in short.split()) and re.search(rf"\b{re.escape(short)}", long) is not None


def any_match(gold: list[str], predicted: list[str]) -> bool:
    return any(names_match(g, p) for g in gold for p in predicted)


def top_event(events: Iterable[Event]) -> Event | None:
    """The highest-confidence event (no confidence counts as 0; ties go to the earlier), as the
    shared score_events.py picks a story's label."""
    best = None
    for event in events:
        if best is None or (event.confidence or 0.0) > (best.confidence or 0.0):
            best = event
    return best


def actor_names(document: Document, events: Iterable[Event]) -> list[str]:
    names = []
    for event in events:
        for entity_id in event.actor:
            entity = document.entity(entity_id)
            if entity is not None:
                names.append(entity.name)
    return names


def score(records: list[GoldRecord], documents: dict[str, Document]) -> dict[str, Any]:
    """The figures (see the module docstring) for these records and Parley's documents by file name."""
    top_hit, any_hit, mode_hit, mode_n, actor_top, actor_any, actor_n, no_events = (0,) * 8
    per_type, per_type_hit = Counter(), Counter()
    for record in records:
        document = documents.get(record.file)
        events = list(document.events) if document is not None else []
        no_events += not events
        top = top_event(events)
        per_type[record.type] += 1
        if top is not None and (top.type or "").upper() == record.type:
            top_hit += 1
            per_type_hit[record.type] += 1
        any_hit += any((e.type or "").upper() == record.type for e in events)
        if record.mode:
            mode_n += 1
            same = top_event(e for e in events if (e.type or "").upper() == record.type)
            mode_hit += same is not None and (same.mode or "").strip().lower().replace("_", "-").replace(" ", "-") == record.mode
        if record.actors:
            actor_n += 1
            if document is not None:
                actor_top += top is not None and any_match(record.actors, actor_names(document, [top]))
                actor_any += any_match(record.actors, actor_names(document, events))

    def share(hit: int, total: int) -> float:
        return round(hit / total, 4) if total else 0.0

    figures: dict[str, Any] = {
        "records": len(records),
        "type_acc_top": share(top_hit, len(records)),
        "type_acc_any": share(any_hit, len(records)),
        "mode_acc": share(mode_hit, mode_n),
        "actor_acc_top": share(actor_top, actor_n),
        "actor_acc_any": share(actor_any, actor_n),
        "no_events": no_events,
        "mode_scored": mode_n,
        "actor_scored": actor_n,
    }
    for type_ in sorted(per_type):
        figures[f"type_acc_{type_}"] = share(per_type_hit[type_], per_type[type_])
    return figures


def evaluate_plover(data: Path, model: str | None = None, limit: int | None = None,
                    mapping: Path | None = None) -> dict[str, Any]:
    """Read the gold records, analyse each sentence and score: the figures, plus what failed."""
    records = read_records(data, load_mapping(mapping), limit)
    failures: list[str] = []
    figures = score(records, analyse(records, model, failures))
    if failures:
        figures["analysis_failed"] = failures
    return figures


def table(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures shaped for `evaluate.cli.show`: headline figures, per-type top accuracy, counts."""
    shown = {key: figures[key] for key in FIGURES if key in figures}
    shown.update({key: value for key, value in figures.items() if key.startswith("type_acc_")
                  and key not in FIGURES})
    shown.update({key: figures[key] for key in COUNTS[1:] if key in figures})
    notes = [f"analysis failed: {line}" for line in figures.get("analysis_failed", [])]
    if figures.get("no_events"):
        notes.append(f"{figures['no_events']} of {figures['records']} sentences had no event (counted as wrong)")
    notes.append(f"0.5b1 categories carried to PLOVER 2.0 by parley/resources/{MAPPING}")
    return {"documents": figures.get("records"), "parley": shown, "notes": notes}
