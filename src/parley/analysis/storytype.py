"""What a whole story reports, typed in PLOVER: read the headline and the lead the way an editor does.

A story's sentences name many acts (the protest that led to the arrests, the talks that ended in
a ceasefire); the act the story is *about* is the one its headline and first sentences name as
their main predicate. This module finds the PLOVER acts named in each unit of the story
(`resources/plover_cues.tsv`), applies the frames that change what they mean
(`resources/story_frames.tsv`: "threatens to expel" is THREATEN, "agreed to lift the curfew" is
CONCEDE, "arrests 20 after protests" is about arrests), and weighs the units: the headline most,
then the lead, then the body. Matching is on word forms, not on a parse, because headlines are
written in a register the parser was not trained on ("Six indicted by grand jury").

Hand-written because no library types events by PLOVER: the cues and frames are data, written
from the PLOVER manual's definitions, and every typed story keeps the cue that decided it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from collections.abc import Callable
from typing import Any

from .lemmas import irregular_forms, regular_forms
from .lexicon import read_table

_WORD = re.compile(r"[A-Za-z0-9]+(?:[-'’][A-Za-z0-9]+)*|[^\w\s]")
_CLAUSE_BREAK = {".", ";", ":", "!", "?", "—", "–", '"', "“", "”"}
_MODALS = {"will", "would", "could", "may", "might", "can"}
_NEGATIONS = {"won't", "wouldn't", "don't", "doesn't", "didn't", "cannot", "can't", "isn't", "aren't"}
_COOPERATIVE = {"CONSULT", "SUPPORT", "COOPERATE", "AID", "AGREE"}
_YIELDING = {"RETREAT", "CONCEDE"}
_CONFLICT = {"COERCE", "ASSAULT", "SANCTION", "MOBILIZE", "PROTEST", "THREATEN"}
_TERRITORIAL = {"invade", "occupy", "annex"}
_DECLARABLE = {"ceasefire", "withdraw"}  # retreats a declaration only promises

# How much each unit of a story says about what the story reports.
HEADLINE_WEIGHT = 6.0
LEAD_WEIGHTS = (2.0, 1.0)  # first and second sentence of the body
BODY_WEIGHT = 0.3
BACKGROUND_FACTOR = 0.35  # an act after "after", "amid", "following": the occasion, not the act
FIRST_ACT_BONUS = 1.5  # the first act of a unit is usually its main predicate
FRAMED_WEIGHT = 3.0


@dataclass(frozen=True)
class Cue:
    words: tuple[str, ...]
    type: str
    mode: str | None
    weight: float


@dataclass(frozen=True)
class Act:
    """One act named in a unit: its type, mode and weight, and the words that name it (the unit's
    words `first` to `last`; `start` and `end`: their character offsets, found only when asked, as
    most acts only weigh in the story's type)."""
    type: str
    mode: str | None
    weight: float
    first: int
    last: int
    framed: bool = False
    words: _Words | None = field(default=None, repr=False, compare=False)

    @property
    def start(self) -> int:
        assert self.words is not None
        return self.words.start(self.first)

    @property
    def end(self) -> int:
        assert self.words is not None
        return self.words.end(self.last)


@dataclass
class StoryType:
    """The story's type, its confidence (share of the evidence), and the acts per unit."""
    type: str | None
    mode: str | None
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)


class _Words(list):
    """A unit's words, lower-cased, as plain strings (made for every sentence: they must be cheap);
    their character offsets are found only when an act needs them."""

    def __init__(self, text: str, offset: int) -> None:
        self._text = text.replace("’", "'")
        if self._text.isascii():  # lower-casing ASCII changes no word's edges: one call for the unit
            super().__init__(_WORD.findall(self._text.lower()))
        else:
            super().__init__(word.lower() for word in _WORD.findall(self._text))
        self._offset = offset
        self._spans: list[tuple[int, int]] | None = None

    def start(self, i: int) -> int:
        return self._offset + self._span(i)[0]

    def end(self, i: int) -> int:
        return self._offset + self._span(i)[1]

    def _span(self, i: int) -> tuple[int, int]:
        if self._spans is None:
            self._spans = [m.span() for m in _WORD.finditer(self._text)]
        return self._spans[i]


@lru_cache(maxsize=1)
def _form_index() -> dict[str, frozenset[str]]:
    """Every inflected form of a cue or frame word, mapped to the base words it may be."""
    words = {w for row in read_table("plover_cues.tsv") for w in row["cue"].split()}
    words |= {w for row in read_table("story_frames.tsv") for w in row["cue"].split()}
    index: dict[str, set[str]] = defaultdict(set)
    for word in words:
        for form in regular_forms(word) | set(irregular_forms(word)):
            index[form].add(word)
    return {form: frozenset(bases) for form, bases in index.items()}


def _by_first_word(table: str, make: Callable[[tuple[str, ...], dict[str, str]], Any]) -> dict[str, list]:
    """Rows of a phrase table by their first word, longest phrase first, as `make` builds them."""
    by_first: dict[str, list[tuple[int, Any]]] = defaultdict(list)
    for row in read_table(table):
        words = tuple(row["cue"].split())
        by_first[words[0]].append((len(words), make(words, row)))
    return {first: [item for _n, item in sorted(rows, key=lambda r: -r[0])] for first, rows in by_first.items()}


@lru_cache(maxsize=1)
def _cues() -> dict[str, list[Cue]]:
    return _by_first_word("plover_cues.tsv",
                          lambda words, row: Cue(words, row["type"], row["mode"] or None, float(row["weight"])))


@lru_cache(maxsize=1)
def _frames() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    return _by_first_word("story_frames.tsv", lambda words, row: (words, row["frame"]))


def _tokens(text: str, offset: int = 0) -> _Words:
    return _Words(text, offset)


_NO_BASES: frozenset[str] = frozenset()


def _bases(word: str) -> frozenset[str]:
    return _form_index().get(word, _NO_BASES)


def _match(tokens: _Words, i: int, words: tuple[str, ...], gap: int, forms: list[frozenset[str]]) -> int | None:
    """The index after a phrase whose first word is at `i` (the caller has matched it), allowing
    `gap` other words between its words ("cut diplomatic ties", "expelled dozens of diplomats");
    None when it does not match. `forms[k]`: the base words token k may be."""
    j = i + 1
    for word in words[1:]:
        for k in range(j, min(j + gap + 1, len(tokens))):
            if tokens[k] in _CLAUSE_BREAK:
                return None
            if tokens[k] == word or word in forms[k]:
                j = k + 1
                break
        else:
            return None
    return j


def _openers(firsts: set[str]) -> frozenset[str]:
    """The first words of phrases, and every written form whose base is one of them."""
    return frozenset(firsts | {form for form, bases in _form_index().items() if bases & firsts})


@lru_cache(maxsize=1)
def _starters() -> frozenset[str]:
    """Every written word that can open a cue, a frame or a negation: the rest are passed over at once."""
    return _cue_starters() | _openers(set(_frames())) | frozenset(_NEGATIONS)


@lru_cache(maxsize=1)
def _cue_starters() -> frozenset[str]:
    """Every written word that can open a cue (not a frame): a unit without one names no act."""
    return _openers(set(_cues()))


def _acts_and_frames(tokens: _Words) -> tuple[list[tuple[int, int, Cue]], list[tuple[int, int, str]]]:
    acts: list[tuple[int, int, Cue]] = []
    frames: list[tuple[int, int, str]] = []
    starters = _starters()
    index = _form_index()
    forms = [index.get(word, _NO_BASES) for word in tokens]
    i = 0  # the first token not inside an act already read
    for at in [k for k, word in enumerate(tokens) if word in starters]:  # most words open nothing
        if at < i:
            continue
        i = at
        best: tuple[int, Cue] | None = None
        candidates = forms[i] | {tokens[i]}  # every cue or frame listed under one of these opens here
        for base in sorted(candidates):
            for cue in _cues().get(base, ()):
                end = _match(tokens, i, cue.words, 2, forms)
                # the longest span wins; over the same span, the cue that names more of its
                # words ("on hunger strike" over "on strike"), then the surer one
                if end is not None and (best is None or (end, len(cue.words), cue.weight) >
                                        (best[0], len(best[1].words), best[1].weight)):
                    best = (end, cue)
        frame: tuple[int, str] | None = None
        for base in sorted(candidates):
            for words, kind in _frames().get(base, ()):
                end = _match(tokens, i, words, 1 if len(words) > 1 and kind != "outcome" else 0, forms)
                if end is not None and (frame is None or end > frame[0]):
                    frame = (end, kind)
        if tokens[i] in _NEGATIONS:
            frame = (i + 1, "negate")
        if frame is not None:
            frames.append((i, frame[0], frame[1]))
        if best is not None:
            acts.append((i, best[0], best[1]))
            i = best[0] if best[0] - i > 1 else i + 1
        else:
            i = frame[0] if frame is not None else i + 1
    return acts, frames


def _request_mode(act: Cue) -> str:
    """REQUEST and REJECT modes: what is asked for or refused."""
    if act.type == "CONSULT":
        return "meet"
    if act.type in {"AID", "COOPERATE", "SUPPORT", "AGREE"}:
        return "assist"
    if act.type in _YIELDING:
        return "yield"
    return "change"


def _threat_mode(act: Cue) -> str | None:
    """THREATEN modes: the content of the threat."""
    if set(act.words) & _TERRITORIAL or act.mode == "territory":
        return "territory"
    if act.mode == "arrest":
        return "arrest"
    if act.mode in {"deport", "expel"}:
        return "expel"
    if act.type in {"ASSAULT", "MOBILIZE"}:
        return "violence"
    if act.type in {"CONSULT", "SANCTION", "REJECT", "COOPERATE", "SUPPORT"}:
        return "relations"
    if act.type in {"COERCE", "PROTEST"}:
        return "restrict"
    return None


def _framed(kind: str, act: Cue) -> tuple[str, str | None] | None:
    """The type (and mode) an act takes under a frame; None when the frame leaves it as it is."""
    if kind == "threaten":
        return "THREATEN", _threat_mode(act)
    if kind == "request":
        return ("REQUEST", _request_mode(act)) if act.type not in {"REQUEST", "REJECT"} else None
    if kind == "reject":
        return ("REJECT", _request_mode(act)) if act.type not in {"REQUEST", "REJECT"} else None
    if kind == "intent":
        if act.type in _COOPERATIVE:
            return "AGREE", None
        if act.type in _YIELDING:
            return "CONCEDE", None
        if act.type in _CONFLICT - {"PROTEST"}:
            return "THREATEN", _threat_mode(act)
        return None
    if kind == "cease":
        if act.type in _CONFLICT | {"ACCUSE", "REQUEST", "REJECT"}:
            return "CONCEDE", None
        if act.type in _COOPERATIVE:
            return "SANCTION", "discontinue"
        return None
    if kind == "sign":
        return (act.type, act.mode) if act.type == "RETREAT" else None
    if kind == "declare":
        return ("CONCEDE", None) if act.type == "RETREAT" and act.mode in _DECLARABLE else None
    if kind == "negate":
        if act.type in _CONFLICT:
            return "CONCEDE", None
        if act.type in _COOPERATIVE:
            return "REJECT", _request_mode(act)
    return None


def acts_in(text: str, offset: int = 0) -> list[Act]:
    """The PLOVER acts one unit of text (a headline, a sentence) names, framed, in order.

    Frames apply from the innermost out ("agreed to stop fighting": stop fighting is CONCEDE, and
    agreeing to a concession is one too), each to the first act that follows it closely."""
    tokens = _tokens(text, offset)
    if _cue_starters().isdisjoint(tokens):
        return []  # no word can open an act (most sentences): frames alone make none
    raw_acts, frames = _acts_and_frames(tokens)
    if not raw_acts:
        return []  # frames only shape acts: without one, nothing to read
    items = [[a_start, a_end, cue, False] for a_start, a_end, cue in raw_acts]
    shadows: list[tuple[int, int, Cue]] = []  # a framed act still counts a little as itself
    for f_start, f_end, kind in sorted((f for f in frames if f[2] not in _OCCASION_FRAMES), key=lambda f: -f[0]):
        window = 2 if tokens[f_start] in _MODALS or kind in {"negate", "cease"} else 6
        content = next((item for item in items if f_end <= item[0] < f_end + window), None)
        span_start, span_end = f_start, content[1] if content is not None else f_end
        if content is None or any(t in _CLAUSE_BREAK for t in tokens[f_end:content[0]]):
            content = _passive_subject(tokens, items, f_start) if kind in _PASSIVE_FRAMES else None
            if content is None:
                continue
            span_start, span_end = content[0], f_end
        result = _framed(kind, content[2])
        if result is None:
            continue
        cue = content[2]
        shadows.append((content[0], content[1], replace(cue, weight=cue.weight * 0.3)))
        items = [item for item in items if item is not content and not f_start <= item[0] < f_end]
        items.append([span_start, span_end, Cue(cue.words, result[0], result[1], FRAMED_WEIGHT), True])
    outcome_words = {f_start for f_start, f_end, kind in frames
                     if kind == "outcome" and any(item[0] >= f_end for item in items)}
    items = [item for item in items if item[0] not in outcome_words]  # "yield" a deal concedes nothing
    background = _background(tokens, frames, items) | _describing(tokens, items)

    def act(start: int, end: int, cue: Cue, framed: bool) -> Act:
        factor = BACKGROUND_FACTOR if start in background else 1.0
        return Act(cue.type, cue.mode, cue.weight * factor, start, end - 1, framed=framed, words=tokens)

    out = [act(*item) for item in items] + [act(start, end, cue, True) for start, end, cue in shadows]
    out.sort(key=lambda a: (a.first, not a.framed, -a.weight))  # word order is offset order
    return out


_OCCASION_FRAMES = {"background", "outcome"}

#: frames that also read an act named before them in the passive ("the curfew will be lifted")
_PASSIVE_FRAMES = {"cease"}


def _passive_subject(tokens: _Words, items: list[list], frame_start: int) -> list | None:
    """The act a passive frame word is said of: the one ending just before it, with only
    auxiliaries between ("sanctions were lifted", "the curfew will be lifted")."""
    before = [item for item in items if item[1] <= frame_start and not item[3]]
    if not before:
        return None
    last = max(before, key=lambda item: item[1])
    between = tokens[last[1]:frame_start]
    auxiliaries = _function_words("auxiliary")
    if not between or not all(t in auxiliaries for t in between):
        return None
    # "sanctions on grain exports were eased": the subject is the head before the preposition
    return None if set(tokens[max(0, last[0] - 2):last[0]]) & _function_words("preposition") else last


def _background(tokens: _Words, frames: list[tuple[int, int, str]], items: list[list]) -> set[int]:
    """Token indices that tell the occasion of the unit's act rather than the act: after "after",
    "amid", "following" to the end when an act came before, else up to the next comma; before
    "yield", "result in", "lead to" when an act follows."""
    marked: set[int] = set()
    for f_start, f_end, kind in frames:
        if kind == "outcome":
            if any(item[0] >= f_end for item in items):
                marked |= set(range(0, f_start))  # "talks yield a deal": the talks were its occasion
            continue
        if kind != "background" or f_start in marked:
            continue
        if any(item[0] < f_start for item in items):
            marked |= set(range(f_start, len(tokens)))
        else:
            stop = next((i for i in range(f_end, len(tokens)) if tokens[i] in _CLAUSE_BREAK | {","}), len(tokens))
            marked |= set(range(f_start, stop))
    return marked


@lru_cache(maxsize=8)
def _function_words(kind: str) -> frozenset[str]:
    """Words of one class of `resources/story_words.tsv` ("auxiliary", "preposition", ...)."""
    return frozenset(row["word"] for row in read_table("story_words.tsv") if row["class"] == kind)


def _describing(tokens: _Words, items: list[list]) -> set[int]:
    """Token indices of acts named by a participle inside the object of the unit's main act:
    "must return confiscated vehicles", "release hostages seized in a raid" describe the thing
    acted on, so they tell the occasion, not the act. A second verb of its own follows a comma or
    "and" ("arrested three, seized weapons") and stays an act."""
    ordered = sorted(items, key=lambda item: item[0])
    mains = [k for k, item in enumerate(ordered) if item[2].weight >= 1.0 or item[3]]
    if not mains:
        return set()
    marked: set[int] = set()
    main = mains[0]
    if _attributive(tokens, ordered[main]) and len(mains) > 1:
        marked.add(ordered[main][0])  # "Jailed activist on hunger strike": the strike is the act
        main = mains[1]
    first_end = ordered[main][1]
    breaks = _CLAUSE_BREAK | _function_words("coordinator")
    for start, _end, _cue, framed in ordered[main + 1:]:
        between = tokens[first_end:start]
        if framed or any(t in breaks for t in between):
            break
        if _is_participle(tokens[start]):
            marked.add(start)
    return marked


def _attributive(tokens: _Words, item: list) -> bool:
    """An act named by a participle that opens the unit (after a determiner at most) before a
    noun: "Jailed activist", "the detained reporters" describe someone; "Jailed for ..." does not."""
    start, end = item[0], item[1]
    opening = start == 0 or (start == 1 and tokens[0] in _function_words("determiner"))
    following = tokens[end] if end < len(tokens) else ""
    return (opening and end - start == 1 and _is_participle(tokens[start]) and following.isalpha()
            and following not in _function_words("not_noun"))


def _is_participle(word: str) -> bool:
    """A past participle of a cue verb: "seized", "confiscated", "held" (and a past tense, which
    after the unit's first act in one clause is almost always a participle)."""
    if word.endswith("ed"):
        return True
    return not word.endswith(("s", "ing")) and any(word in irregular_forms(base) for base in _bases(word))


def unit_scores(acts: list[Act]) -> dict[str, float]:
    """Evidence per type in one unit: its strongest act of each type, the first act counting more."""
    scores: dict[str, float] = {}
    main = next((a for a in acts if a.weight >= 1.0 or a.framed), None)
    for act in acts:
        weight = act.weight * (FIRST_ACT_BONUS if act is main else 1.0)
        scores[act.type] = max(scores.get(act.type, 0.0), weight)
    return scores


def unit_weight(index: int) -> float:
    """How much the unit at `index` (0: the headline, 1: the first sentence, ...) tells."""
    if index == 0:
        return HEADLINE_WEIGHT
    if index <= len(LEAD_WEIGHTS):
        return LEAD_WEIGHTS[index - 1]
    return BODY_WEIGHT


def type_story(units: list[list[Act]]) -> StoryType:
    """Weigh the acts of each unit (headline first; an empty list where there is no headline)."""
    totals: dict[str, float] = defaultdict(float)
    mode_votes: dict[str, dict[str | None, float]] = defaultdict(lambda: defaultdict(float))
    for index, acts in enumerate(units):
        weight = unit_weight(index)
        for kind, score in unit_scores(acts).items():
            totals[kind] += weight * score
        for act in acts:
            if act.mode:
                mode_votes[act.type][act.mode] += weight * act.weight
    if not totals:
        return StoryType(None, None, 0.0, {})
    best = max(totals, key=lambda k: totals[k])
    modes = mode_votes.get(best) or {}
    mode = max(modes, key=lambda m: modes[m]) if modes else None
    confidence = totals[best] / sum(totals.values())
    return StoryType(best, mode, round(confidence, 3), dict(totals))
