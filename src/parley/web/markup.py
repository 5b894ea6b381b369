"""An article's text cut into segments for display, each knowing which entity mention, quote and
event trigger covers it, so the template can mark them without ever building HTML from the text.

The text stays text: segments are plain strings rendered through Jinja2's autoescape; only the
class names, anchors and links (made here from ids, never from the article) are markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from ..document import Document
from .urls import entity_url

SPEAKER_COLOURS = 8


@dataclass
class Segment:
    text: str
    classes: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # ids of the items that start here
    href: str | None = None
    title: str | None = None


def speaker_colours(doc: Document) -> dict[str | None, int]:
    """Each speaker's colour number, in order of first quote; quotes with no speaker have none."""
    order: dict[str | None, int] = {}
    for q in doc.quotes:
        if q.speaker and q.speaker not in order:
            order[q.speaker] = len(order) % SPEAKER_COLOURS
    return order


def segments(doc: Document) -> list[Segment]:
    """The whole text, cut at every span boundary; spans out of range or empty are ignored."""
    text = doc.article.text
    n = len(text)
    spans: list[tuple[int, int, str, Any]] = []
    for e in doc.entities:
        for m in e.mentions:
            spans.append((m.start, m.end, "mention", e))
    for q in doc.quotes:
        spans.append((q.start, q.end, "quote", q))
    for v in doc.events:
        spans.append((v.trigger.start, v.trigger.end, "trigger", v))
    spans = [s for s in spans if isinstance(s[0], int) and isinstance(s[1], int) and 0 <= s[0] < s[1] <= n]
    cuts = sorted({0, n, *(s[0] for s in spans), *(s[1] for s in spans)})
    colours = speaker_colours(doc)
    started: set[str] = set()
    out = []
    for a, b in pairwise(cuts):
        seg = Segment(text[a:b])
        active = [s for s in spans if s[0] <= a and b <= s[1]]
        titles = []
        for start, _, kind, item in active:
            if start == a and item.id not in started:  # e1, q1, v1: the structure panel links here
                started.add(item.id)
                seg.anchors.append(item.id)
            if kind == "mention" and seg.href is None:
                seg.classes += ["ent", f"ent-{item.type.lower()}"]
                seg.href = entity_url(item.type, item.name)
                titles.append(f"{item.type}: {item.name}")
            elif kind == "quote" and "quote" not in seg.classes:
                colour = colours.get(item.speaker)
                seg.classes += ["quote", f"spk-{colour}" if colour is not None else "spk-none"]
                speaker = doc.entity(item.speaker)
                titles.append(f"quote {item.id}: " + (speaker.name if speaker else item.speaker_text or "unknown"))
            elif kind == "trigger" and "trigger" not in seg.classes:
                seg.classes.append("trigger")
                titles.append(f"event {item.id}: {item.type}" + (f" ({item.mode})" if item.mode else ""))
        seg.title = "; ".join(titles) or None
        out.append(seg)
    return out
