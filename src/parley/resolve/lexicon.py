"""The word lists and thresholds resolution reads, loaded once from `parley/resources/`.

Resolution's own tables are `resolve_rules.tsv` and `resolve_words.tsv`; it also reads the
honorifics and particles of `name_words.tsv` and the titles of `titles.tsv` (shared with analysis).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..analysis.lexicon import read_table


@dataclass(frozen=True)
class Rules:
    event_window_days: int
    planned_lead_days: int
    undated_reach_days: int
    given_name_edits: int
    min_given_variant: int
    loose_span_days: int
    bare_window_days: int


@dataclass(frozen=True)
class Words:
    signing: tuple[str, ...]  # trigger prefixes
    trips: frozenset[str]  # words that make an event a trip
    name_titles: frozenset[str]  # words before a name that are not part of it
    particles: frozenset[str]  # surname openers not compared
    abbreviations: dict[str, str]  # short form of a title -> the title


@lru_cache(maxsize=1)
def rules() -> Rules:
    values = {row["name"]: int(row["value"]) for row in read_table("resolve_rules.tsv")}
    return Rules(**values)


@lru_cache(maxsize=1)
def words() -> Words:
    own = read_table("resolve_words.tsv")
    shared = read_table("name_words.tsv")
    titles = {row["title"].lower() for row in read_table("titles.tsv") if " " not in row["title"]}
    name_titles = {r["word"] for r in own if r["kind"] == "name_title"}
    name_titles |= {r["word"] for r in shared if r["kind"] == "honorific"}
    particles = {r["word"] for r in own + shared if r["kind"] == "particle"}
    name_titles |= {r["word"].split(":", 1)[0] for r in own if r["kind"] == "abbreviation"}
    return Words(
        signing=tuple(sorted(r["word"] for r in own if r["kind"] == "signing")),
        trips=frozenset(r["word"] for r in own if r["kind"] == "trip"),
        name_titles=frozenset(name_titles | titles),
        particles=frozenset(particles),
        abbreviations=dict(r["word"].split(":", 1) for r in own if r["kind"] == "abbreviation"),
    )
