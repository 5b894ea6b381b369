"""PLOVER-typed events from one sentence's structure, or from a statement's content.

- A trigger (`resources/event_triggers.tsv`: "visited", "talks", "praised", "keen to", ...) with
  its two sides, read by kind of sentence in `participants.py` (subject and object, "talks
  with/between", "a call on", "his meeting with", "X and Y met", the passive, unnamed parties).
- A statement of intent (`resources/intent_cues.tsv`: "we look forward to working with them") is
  an AGREE event of its speaker, towards the party it names after "with"/"between".
Across the article: an engagement that names no other side is directed at the other side of the
meeting or visit the article reports ("both sides" are those two sides), else it is dropped; one
engagement told twice is one event. Location is a place after "in"/"at" near the trigger, the
place visited, else the place of the visit the article is about, else the dateline's place. Dates
are the sentence's time expression on the trigger's line, else the visit's; "during the two-day
visit" widens the visit's dates (the arithmetic is `dates.widen`). Negation, hypothesis and the
future are flagged, not dropped; a cooperative act to come is a promise (AGREE), as PLOVER codes it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..document import Document, Entity, Event, EventDate, Quote, Span, Trigger
from .actors import settle_visitors
from .coref import Resolver
from .lemmas import form_table, noun_lemma, verb_lemma
from .lexicon import group_nouns, read_table, titles
from .participants import SIDE_NOUNS, Frame, country_of_nationality, parties_of, place_names_a_thing
from .sectors import sectors_in
from .doctable import doc_text, sentence_of, text_of, word_arrays
from .doctable import sentences as doc_sentences, words as doc_words
from .syntax import syntactic_subject
from .wordhashes import DEP_COLUMN, LOWER_COLUMN, hash_table, listed_tokens, one_of
from . import dates, storytype

_ACTOR_TYPES = {"PERSON", "ORG", "GROUP", "GPE", "NORP"}
_SPEAKING_PARTIES = {"PERSON", "ORG", "GPE", "NORP"}  # not a SOURCE ("a statement") nor unnamed people ("officials")
_PLACE_TYPES = {"GPE", "LOC", "FAC"}
_LOCATION_PREPS = {"in", "at"}
_VISIT_BACK_REFERENCE = re.compile(r"\b(during|throughout|on) the\b[^.,;]{0,30}\b(visit|tour|trip)\b", re.IGNORECASE)


@dataclass(frozen=True)
class TriggerWord:
    type: str
    mode: str | None
    object_is_party: bool = True
    preps: frozenset[str] = frozenset()
    alone: bool = False  # without an object the verb still names the act: "heading to Lima" is a trip

    def frame(self) -> Frame:
        visit = self.mode == "visit"
        symmetric = self.type in {"CONSULT", "AGREE", "SUPPORT", "COOPERATE"} and not visit
        return Frame(symmetric=symmetric, visit=visit, object_is_party=self.object_is_party, preps=self.preps,
                     intent=self.type == "AGREE")


@lru_cache(maxsize=1)
def triggers() -> dict[tuple[str, str], TriggerWord]:
    return {(r["lemma"], r["pos"]): TriggerWord(r["type"], r["mode"] or None, r["object"] != "thing",
                                                frozenset(p for p in r["preps"].split(",") if p), r.get("alone") == "yes")
            for r in read_table("event_triggers.tsv")}


_PRESENCE = TriggerWord("CONSULT", "visit", True, frozenset({"in", "at"}))  # "X is now in Lima": a visit


def _presences(doc: Any) -> list[Any]:
    """The verbs "be" that tell a party's presence somewhere as a visit under way: "is now in Lima"."""
    found = []
    for adverb in listed_tokens(doc, _presence_adverb_table()):
        verb = adverb.head
        if adverb.dep_ == "advmod" and verb.lower_ in _COPULAS and any(
                c.dep_ == "prep" and c.lower_ in _PRESENCE.preps for c in verb.children):
            found.append(verb)
    return found


@lru_cache(maxsize=1)
def _presence_adverb_table() -> Any:
    return hash_table(r["adverb"] for r in read_table("presence_adverbs.tsv"))


@lru_cache(maxsize=1)
def _vetoing_objects() -> dict[tuple[str, str], frozenset[str]]:
    """(lemma, pos) -> the objects that make the word name no event of its type ("released a report")."""
    return {(r["lemma"], r["pos"]): frozenset(r["objects"].split("|")) for r in read_table("trigger_vetoes.tsv")}


def _vetoed(token: Any) -> bool:
    """The trigger acts on a thing that makes it no event of its type: "released a report", "the
    video should be released", "a poll released on Friday" (but "released three activists")."""
    vetoes = _vetoing_objects().get((verb_lemma(token, _vetoing_verbs()) or "", token.pos_))
    if not vetoes:
        return False
    objects = [c for c in token.children if c.dep_ in {"dobj", "obj", "nsubjpass"}]
    if token.dep_ in {"acl", "relcl"} and token.head.pos_ in {"NOUN", "PROPN"}:
        objects.append(token.head)
    return any(noun_lemma(o) in vetoes or o.lower_ in vetoes for o in objects)


@lru_cache(maxsize=1)
def _vetoing_verbs() -> frozenset[str]:
    return frozenset(lemma for lemma, pos in _vetoing_objects() if pos == "VERB")


@lru_cache(maxsize=1)
def _trigger_verbs() -> frozenset[str]:
    return frozenset(lemma for lemma, pos in triggers() if pos == "VERB")


def extract_events(spacy_doc: Any, document: Document) -> None:
    """Fill `document.events` from triggers and from statements of intent."""
    resolver = Resolver(document)
    events: list[Event] = []
    earlier: set[int] = set()  # acts told as done before the story ("had visited"): not its meeting
    for token in _possible_triggers(spacy_doc):
        word = _trigger_of(token)
        if word is not None:
            event = _event_from_trigger(token, word, document, resolver)
            if event is not None:
                events.append(event)
                if _past_perfect(token):
                    earlier.add(id(event))
    for token in _presences(spacy_doc):
        event = _event_from_trigger(token, _PRESENCE, document, resolver)
        if event is not None and any(e.type in _PLACE_TYPES for e in filter(None, map(document.entity, event.recipient))):
            events.append(event)
    fallbacks: dict[int, Entity] = {}  # a statement's other-country party, when no meeting says better
    for quote in document.quotes:
        made = _event_from_statement(spacy_doc, quote, document, resolver)
        if made is not None:
            events.append(made[0])
            if made[1] is not None:
                fallbacks[id(made[0])] = made[1]
    told, story = _story_events(spacy_doc, document, resolver, events)
    events += told
    events.sort(key=lambda v: (v.sentence.start, v.trigger.start))
    _settle_counterparts(document, [v for v in events if id(v) not in earlier], events)
    for event in events:
        if not event.recipient and id(event) in fallbacks:
            event.recipient = [fallbacks[id(event)].id]
    _settle_places_and_dates(spacy_doc, document, events)
    events = _merge_duplicates(document, _with_participants(events, story))
    for n, event in enumerate(events, start=1):
        event.id = f"v{n}"
    document.events = events
    settle_visitors(document, frozenset(_ENGAGING))


@lru_cache(maxsize=1)
def _trigger_hash_array() -> Any:
    """The hashes of every written form and lemma a trigger can take (verbs' forms, nouns and their
    plurals as `noun_lemma` reads them, adjectives), as an array for one membership test per document."""
    words = set(form_table(_trigger_verbs()))
    for lemma, pos in triggers():
        words.add(lemma)
        if pos == "NOUN":
            words |= {lemma + "s", lemma + "es", lemma[:-1] + "ies" if lemma.endswith("y") else lemma}
    return hash_table(words)


def _possible_triggers(doc: Any) -> list[Any]:
    """The tokens whose word can be a trigger (a Token per word costs more than testing it). The table
    holds every inflected form: Parley's pipeline has no lemmatizer, so a word's lemma is not set."""
    return listed_tokens(doc, _trigger_hash_array())


def _trigger_of(token: Any) -> TriggerWord | None:
    if token.pos_ == "VERB":
        lemma = verb_lemma(token, _trigger_verbs())
        return triggers().get((lemma, "VERB")) if lemma else None
    if token.pos_ == "NOUN":
        return triggers().get((token.lower_, "NOUN")) or triggers().get((noun_lemma(token), "NOUN"))
    if token.pos_ == "ADJ" and token.dep_ == "acomp":  # "is keen to invest", not "a keen observer"
        return triggers().get((token.lower_, "ADJ"))
    return None


# --- events from triggers -------------------------------------------------------------------------


_COPULAS = {"is", "was", "are", "were", "be", "been", "being", "'s"}
_BACK_REFERENCE_PREPS = {"during", "throughout", "after", "before", "since", "following", "on", "at"}


def _event_from_trigger(token: Any, word: TriggerWord, document: Document, resolver: Resolver) -> Event | None:
    if token.pos_ == "NOUN" and _modifier(token):
        return None  # "investment cooperation", "trade and investment opportunities" are about them
    if token.pos_ == "NOUN" and token.dep_ == "pobj" and token.head.lower_ in _BACK_REFERENCE_PREPS \
            and not any(c.dep_ == "poss" or c.lower_ in {"by", "a", "an"} for c in token.children):
        return None  # "during the visit": no new event ("during his meeting with X", "during a forum" are)
    objects = [c for c in token.children if c.dep_ in {"dobj", "obj"}] if token.pos_ == "VERB" else []
    if word.mode == "visit" and token.pos_ == "VERB" and word.object_is_party is False \
            and not any(c.lower_ in group_nouns() for c in objects) and (objects or not word.alone):
        return None  # "led a delegation to Lima", "is heading to Lima" are visits; "led the talks", "led to jobs" not
    if word.alone and not objects and token.pos_ == "VERB" and not _traveller(syntactic_subject(token)):
        return None  # "$20 million in aid is headed to Lima": money goes, no one visits
    if token.pos_ == "VERB" and _vetoed(token):
        return None  # "released a report": a publication, not a concession
    verb = token if token.pos_ == "VERB" else _governing_verb(token, measured=word.type in _ENGAGING)
    if verb is None or _intended_thing(token, word) or _reports_a_past_act(token, word):
        return None
    word = _called_to_act(token, verb, word)
    parties = parties_of(token, verb, _lemma(verb), word.frame(), document, resolver)
    if not parties.actors and not parties.both_sides:
        return None
    actor, recipients = (parties.actors[0] if parties.actors else None), parties.recipients
    if word.mode == "visit" and (actor is None or actor.type in _PLACE_TYPES):
        return None
    negated, hypothetical, future = _modality(verb)
    kind = word.type  # a planned visit is still a visit: the future is a flag ("hypothetical")
    if kind in {"SUPPORT", "COOPERATE"} and not word.object_is_party and (future or hypothetical):
        kind = "AGREE"  # "will sign an MoU", "will establish a mechanism": an act to come is a promise
    sentence = sentence_of(token)
    here = document.entity(_dateline_entity(document)) if word.mode == "visit" and _here(token, verb) else None
    if here is not None and not recipients:
        recipients = [here]
    visited = next((e for e in recipients if e.type in _PLACE_TYPES), None) if word.mode == "visit" else None
    location = visited or here or _place_near(token, verb, resolver)
    return Event(
        id="",
        type=kind,
        mode=word.mode if kind == word.type else None,
        actor=[actor.id, *(e.id for e in parties.leaders)] if actor else [],
        recipient=[e.id for e in recipients],
        location=location.id if location else None,
        date=_date_in(document, sentence.start_char, sentence.end_char, token.idx, token.doc),
        sectors=_sectors(_clause_text(verb), [e for e in (actor, *recipients) if e is not None]),
        trigger=Trigger(token.text, token.idx, token.idx + len(token.text)),
        sentence=Span(sentence.start_char, sentence.end_char),
        negated=negated,
        hypothetical=hypothetical or future,
        confidence=(0.9 if recipients else 0.7) - (0.3 if hypothetical or future or negated or _background(token) else 0.0),
    )


_MODIFIER_DEPS = {"compound", "amod", "nmod", "poss"}


def _modifier(token: Any) -> bool:
    """The noun modifies another noun, itself or as a conjunct of one that does: "investment" in
    "investment cooperation" and in "trade and investment opportunities"."""
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token.dep_ in _MODIFIER_DEPS


def _traveller(subject: Any | None) -> bool:
    """The subject of a trip told by the verb alone names who travels: a name, a pronoun, a group or
    an office ("the minister"), not a thing that is sent ("aid", "$20 million")."""
    if subject is None:
        return False
    return subject.pos_ in {"PROPN", "PRON"} or subject.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"} \
        or subject.lower_ in group_nouns() or titles().is_title_word(subject.text)


def _here(token: Any, verb: Any) -> bool:
    """ "X will be here on a visit", "X arrived here": the visit is to the place the article is
    written from (its dateline), which the sentence does not name."""
    return any(c.dep_ == "advmod" and c.lower_ == "here" for head in {token, verb} for c in head.children)


def _intended_thing(token: Any, word: TriggerWord) -> bool:
    """ "The mission was intended to open markets": the subject of a passive intent is what is
    intended, not who intends (unless "by X" names them, or "the visit by X", "X's visit" names the
    act's doer); the statement around it may say who."""
    subject = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
    if word.type != "AGREE" or token.pos_ != "VERB" or subject is None or any(c.dep_ == "agent" for c in token.children):
        return False
    return not any(c.dep_ == "poss" or c.dep_ == "prep" and c.lower_ == "by" for c in subject.children)  # "the visit by X"


def _reports_a_past_act(token: Any, word: TriggerWord) -> bool:
    """ "He reiterated that the chamber had sent a delegation": a promise word whose clause tells
    what had been done is no promise (that act is its own event), unlike "assured that it would
    invest" or "reiterated that Peru wanted closer ties" (a past tense that only reports)."""
    if word.type != "AGREE" or token.pos_ != "VERB" or any(c.dep_ == "xcomp" for c in token.children):
        return False
    clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
    return clause is not None and any(c.lower_ == "had" and c.dep_ == "aux" for c in clause.children)


_BACKGROUND_PREPS = {"after", "following", "before", "since", "amid"}
_EARLIER = {"previous", "earlier", "last", "past", "former", "prior"}


def _background(token: Any) -> bool:
    """An act told as the occasion or the past of another ("following a meeting with X", "his
    previous trip"): still an event, but not the one the story reports."""
    if token.pos_ != "NOUN":
        return False
    if any(c.lower_ in _EARLIER for c in token.children):
        return True
    node = token
    for _ in range(4):
        node = node.head
        if node.pos_ in {"VERB", "AUX"} or node.head.i == node.i:
            return node.lower_ in _BACKGROUND_PREPS
        if node.dep_ == "prep" and node.lower_ in _BACKGROUND_PREPS:
            return True
    return False


def _called_to_act(token: Any, verb: Any, word: TriggerWord) -> TriggerWord:
    """ "called on the minister" is a visit, "called on the minister to resign" a request."""
    if token.lower_.startswith("call") and any(c.dep_ in {"xcomp", "ccomp", "advcl"} and
                                               any(a.lower_ == "to" for a in c.children) for c in verb.children):
        return TriggerWord("REQUEST", None, True, word.preps)
    return word


def _clause_text(verb: Any) -> str:
    """The verb's own clause: its subtree without the verbs conjoined to it ("visited X, and held Y")
    and without the participle adjuncts that start clauses of their own. The words are read as the
    span from the subtree's first to last word (the same words but for a rare non-projective arc),
    from the document's words read once, not Token by Token."""
    doc = verb.doc
    skip = [(c.left_edge.i, c.right_edge.i) for c in verb.children
            if c.dep_ in {"conj", "cc"} and c.pos_ in {"VERB", "AUX", "CCONJ"}]
    words = doc_words(doc)
    return " ".join(words[i] for i in range(verb.left_edge.i, verb.right_edge.i + 1)
                    if not any(a <= i <= b for a, b in skip))


def _lemma(token: Any) -> str:
    return verb_lemma(token, _trigger_verbs()) or token.lower_


def _governing_verb(token: Any, measured: bool = False) -> Any | None:
    """ "held talks", "engaged in discussions", "wrapped up a visit": the verb above a noun. With
    `measured` (an engagement: its sides are the clause's), "after a day of meetings with X, Y
    said", "a round of talks" reach as far as from the noun that measures them."""
    node = token
    if measured and token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.head.pos_ == "NOUN":
        node = token.head.head
    for _ in range(3):
        node = node.head
        if node.pos_ in {"VERB", "AUX"}:
            return node
        if node.head.i == node.i:
            return None
    return None


def _place_in_clause(verb: Any, resolver: Resolver) -> Entity | None:
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in _LOCATION_PREPS:
            for obj in (c for c in child.children if c.dep_ == "pobj"):
                start, end = obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge.text)
                place = _latest_place(resolver, start, end)
                if place is not None:
                    return place
    return None


def _location_preps(doc: Any, start: int, end: int) -> list[Any]:
    """The "in"/"at"... prepositions among words [start, end), found once per document on its arrays."""
    import numpy

    found = doc.user_data.get("parley_location_preps")
    if found is None:
        values = word_arrays(doc)
        found = numpy.flatnonzero((values[:, DEP_COLUMN] == doc.vocab.strings["prep"])
                                  & one_of(values[:, LOWER_COLUMN], doc, _LOCATION_PREPS))
        doc.user_data["parley_location_preps"] = found
    return [doc[int(i)] for i in found[numpy.searchsorted(found, start) : numpy.searchsorted(found, end)]]


def _place_near(token: Any, verb: Any, resolver: Resolver) -> Entity | None:
    """Where an act happened: "in"/"at" after its trigger ("talks in Lima") or its verb, else the
    nearest "in"/"at" place on the trigger's line of the sentence ("met ... in the capital, Lima")."""
    own = _place_in_clause(token, resolver) if token is not verb else None
    if own is not None or (own := _place_in_clause(verb, resolver)) is not None:
        return own
    text = doc_text(token.doc)
    found = []
    sentence = sentence_of(token)
    for prep in _location_preps(token.doc, sentence.start, sentence.end):
        if titles().is_title_word(prep.head.text):
            continue  # "Ambassador in Lima" names an office, not where the act was
        if "\n" not in text[min(prep.idx, token.idx): max(prep.idx, token.idx)]:
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                place = _latest_place(resolver, obj.left_edge.idx, obj.right_edge.idx + len(obj.right_edge.text))
                if place is not None:
                    found.append((abs(prep.i - token.i), place))
    return min(found, key=lambda pair: pair[0])[1] if found else None


def _latest_place(resolver: Resolver, start: int, end: int) -> Entity | None:
    """The last place named in a span: "in Lima's Miraflores district" is Miraflores."""
    hits = [(s, e) for s, _e, e in resolver.mentions_between(start, end) if e.type in _PLACE_TYPES]
    return hits[-1][1] if hits else None


def _modality(verb: Any) -> tuple[bool, bool, bool]:
    """(negated, hypothetical, future) from the verb's auxiliaries and the clause it sits in."""
    words = {c.lower_ for c in verb.children if c.dep_ in {"neg", "aux", "auxpass", "mark"}}
    negated = bool(words & {"not", "n't", "never", "no"})
    hypothetical = bool(words & {"would", "could", "might", "may", "if", "should"})
    future = bool(words & {"will", "shall", "'ll"}) or verb.tag_ == "VB" and (verb.dep_ == "xcomp" or "to" in words)
    return negated, hypothetical, future  # "to sign an MoU" (a purpose) is not yet signed


def _story_events(spacy_doc: Any, document: Document, resolver: Resolver,
                  events: list[Event]) -> tuple[list[Event], Event | None]:
    """Type the story as a whole (storytype.py) and make sure its event is there, on top.

    The headline decides what a story is about; a story without one (or whose headline names no
    act) keeps the events its sentences gave, and is typed from its lead only when they gave none.
    The event of that type a sentence already gave gets the story's confidence; else a new event
    is made where the body names the act (its trigger and sentence), else, when only the headline
    names it, at the lead sentence with the headline's words as trigger and an empty span in the
    text (the headline is not part of it)."""
    sentences = list(doc_sentences(spacy_doc))
    units = [storytype.acts_in(document.article.headline or "")]
    units += [storytype.acts_in(document.article.text[s.start_char : s.end_char], s.start_char) for s in sentences]
    story = storytype.type_story(units)
    if story.type is None or not sentences:
        return [], None
    in_headline = any(a.type == story.type for a in units[0])
    confidence = round((0.9 if in_headline else 0.3) + 0.1 * story.confidence, 3)
    same = [e for e in events if e.type == story.type and not e.negated]
    if same:
        same[0].confidence = max(same[0].confidence, confidence)
        if in_headline:
            same[0].mode = same[0].mode or story.mode
        return [], same[0]
    if events and not in_headline:
        return [], None  # without a headline saying otherwise, the sentences' own events tell the story
    anchor = _strongest_act(units, sentences, story.type)
    found = spacy_doc.char_span(anchor[0].start, anchor[0].end, alignment_mode="expand") if anchor else None
    if found is not None and found.root.pos_ == "VERB" and _vetoed(found.root):  # acts on a thing ("killed the bill")
        if not in_headline:
            return [], None  # "the senate killed the bill": a figure of speech, no one is hurt
        anchor = None  # the headline names the act; the body's word for it was a figure of speech
    if anchor is None:
        headline_act = next(a for a in units[0] if a.type == story.type)
        lead = sentences[0]
        words = (document.article.headline or "")[headline_act.start : headline_act.end]
        made = _story_event(document, resolver, story, lead, Trigger(words, lead.start_char, lead.start_char),
                            lead.root, _verb_above(lead.root), confidence)
        return [made], made
    act, sentence = anchor
    head = found.root if found is not None else sentence.root
    verb = _verb_above(head)
    if not in_headline and (verb is None or verb.lower_ in _COPULAS):
        return [], None  # "The visit was a success" reports no act
    trigger = Trigger(document.article.text[act.start : act.end], act.start, act.end)
    made = _story_event(document, resolver, story, sentence, trigger, head, verb, confidence)
    return [made], made


def _verb_above(token: Any) -> Any | None:
    """The token itself when it is a verb, else the verb that governs it."""
    return token if token.pos_ in {"VERB", "AUX"} else _governing_verb(token)


def _strongest_act(units: list[list[storytype.Act]], sentences: list[Any], kind: str) -> tuple[storytype.Act, Any] | None:
    """The body's strongest act of a type, the earliest among equals, with its sentence."""
    best: tuple[float, storytype.Act, Any] | None = None
    for index, (acts, sentence) in enumerate(zip(units[1:], sentences), start=1):
        for act in acts:
            score = storytype.unit_weight(index) * act.weight
            if act.type == kind and (best is None or score > best[0]):
                best = (score, act, sentence)
    return (best[1], best[2]) if best else None


def _story_event(document: Document, resolver: Resolver, story: storytype.StoryType, sentence: Any,
                 trigger: Trigger, head: Any, verb: Any | None, confidence: float) -> Event:
    verb = sentence.root if verb is None else verb
    frame = Frame(symmetric=story.type == "CONSULT" and story.mode != "visit", visit=story.mode == "visit")
    parties = parties_of(head, verb, _lemma(verb), frame, document, resolver)
    actor = parties.actors[0] if parties.actors else None
    recipients = parties.recipients
    negated, hypothetical, future = _modality(verb)
    location = _place_in_clause(verb, resolver)
    return Event(
        id="", type=story.type or "", mode=story.mode, actor=[actor.id] if actor else [],
        recipient=[e.id for e in recipients], location=location.id if location else None,
        date=_date_in(document, sentence.start_char, sentence.end_char),
        sectors=sectors_in(sentence.text), trigger=trigger,
        sentence=Span(sentence.start_char, sentence.end_char),
        negated=negated, hypothetical=hypothetical or future, confidence=confidence,
    )


# --- events from statements -----------------------------------------------------------------------


@lru_cache(maxsize=1)
def _intent_pattern() -> re.Pattern[str]:
    """Words that state an intent to cooperate (`resources/intent_cues.tsv`)."""
    cues = sorted((r["cue"] for r in read_table("intent_cues.tsv")), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(cues) + r")\b", re.IGNORECASE)


_NEGATORS = {"not", "never", "no", "n't", "neither", "nor"}
_CONDITIONALS = {"would", "could", "might", "may", "if", "unless", "should"}


def _statement_modality(text: str, at: int) -> tuple[bool, bool]:
    """(negated, hypothetical) from the few words before an intent word: "would never deepen"."""
    words = re.findall(r"[\w']+", text[max(0, at - 40): at].lower())[-4:]
    words = [w[:-3] if w.endswith("n't") and len(w) > 3 else w for w in words] + \
        ["n't" for w in words if w.endswith("n't")]
    return bool(set(words) & _NEGATORS), bool(set(words) & _CONDITIONALS)


def _event_from_statement(spacy_doc: Any, quote: Quote, document: Document,
                          resolver: Resolver) -> tuple[Event, Entity | None] | None:
    """A statement of intent to cooperate is an AGREE event of its speaker, towards the party it
    names after "with"/"between" ("deepen ties with Peru"); else, later, the other side of the
    article's meeting; else the first party of another country it names."""
    if _perceived(quote):
        return None  # "many have heard that ...", "figures show that ...": no one states an intent
    speaker = document.entity(quote.speaker)
    found = next((m for m in _intent_pattern().finditer(quote.text) if _states_intent(spacy_doc, quote.start + m.start(),
                                                                                       quote.start + m.end())), None) \
        if speaker is not None and speaker.type in _SPEAKING_PARTIES else None
    if speaker is None or found is None:
        return None  # "a statement said", "officials said": who intends is not named
    sentence = spacy_doc.char_span(quote.start, quote.end, alignment_mode="expand")
    if sentence is None:
        return None
    first, last = sentence_of(sentence[0]), sentence_of(sentence[-1])
    start, end = min(first.start_char, quote.start), max(last.end_char, quote.end)
    negated, hypothetical = _statement_modality(quote.text, found.start())
    recipient = _named_partner(spacy_doc, document, resolver, speaker, start, end)
    fallback = None if recipient is not None else \
        _other_party(spacy_doc, document, resolver, speaker, quote.start, quote.end) or \
        _other_party(spacy_doc, document, resolver, speaker, start, end)
    event = Event(
        id="",
        type="AGREE",
        actor=[speaker.id],
        recipient=[recipient.id] if recipient else [],
        location=None,
        date=_date_in(document, start, end),
        sectors=_sectors(document.article.text[start:end], [speaker] + ([recipient] if recipient else [])),
        trigger=Trigger(quote.cue or "", *_cue_offsets(document.article.text, quote, start)),
        sentence=Span(start, end),
        negated=negated,
        hypothetical=hypothetical,
        confidence=0.6,
    )
    return event, fallback


def _perceived(quote: Quote) -> bool:
    """The quote is what its source perceived (its cue is a verb of perception: heard, saw, found)."""
    words = (quote.cue or "").lower().split()
    return bool(words) and words[0] in _perception_forms()


@lru_cache(maxsize=1)
def _perception_forms() -> dict[str, str]:
    """Every form of the perception cues (`cues.tsv`): "heard" -> hear."""
    return form_table(frozenset(r["lemma"] for r in read_table("cues.tsv") if r["category"] == "perception"))


@lru_cache(maxsize=1)
def _intent_ties() -> tuple[frozenset[str], frozenset[str]]:
    """Growth verbs, and the ties whose growth is an intent (`resources/intent_ties.tsv`)."""
    rows = read_table("intent_ties.tsv")
    return frozenset(r["word"] for r in rows if r["kind"] == "verb"), frozenset(r["word"] for r in rows if r["kind"] == "noun")


def _states_intent(doc: Any, start: int, end: int) -> bool:
    """An intent cue states an intent to cooperate, except a growth verb whose object is no tie:
    "to expand ties with Peru" does, "to expand its capacity" does not."""
    verbs, ties = _intent_ties()
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or span.root.pos_ != "VERB" or span.root.lower_ not in verbs and span.root.lemma_.lower() not in verbs:
        return True
    objects = [o for c in span.root.children if c.dep_ in {"dobj", "obj"} for o in (c, *c.conjuncts)]
    return not objects or any(o.lower_ in ties or o.lemma_.lower() in ties for o in objects)


_PARTNER_WORDS = re.compile(r"\b(with|between)\s+(the\s+)?$", re.IGNORECASE)


def _named_partner(doc: Any, document: Document, resolver: Resolver, speaker: Entity, start: int,
                   end: int) -> Entity | None:
    """The party a statement names after "with"/"between": "to deepen ties with Peru"."""
    text = document.article.text
    mentions = [(m_start, e) for m_start, m_end, e in resolver.mentions_between(start, end)
                if e.type in _ACTOR_TYPES | _PLACE_TYPES and e.id != speaker.id
                and not (e.type in _PLACE_TYPES and place_names_a_thing(doc, m_start, m_end))]
    home_first = False  # "between <the speaker's own country> and ...": the partner comes after "and"
    for at, entity in mentions:
        before = text[max(start, at - 14): at]
        partner = _PARTNER_WORDS.search(before) or (_SECOND_SIDE.search(before) if home_first else None)
        home_first = False
        if partner is None or _own_side(speaker, entity) or _opens_absolute_clause(doc, at):
            continue
        if partner.group(1).lower() == "between" and _home_place(speaker, entity):
            home_first = True  # a Ruritanian on "ties between Ruritania and Borduria": the partner is Borduria
            continue
        return country_of_nationality(entity, document) if entity.type == "NORP" else entity
    return None


_SECOND_SIDE = re.compile(r"\b(and)\s+(the\s+)?$", re.IGNORECASE)


def _home_place(speaker: Entity, entity: Entity) -> bool:
    return entity.type in _PLACE_TYPES and speaker.country is not None and entity.country == speaker.country


def _opens_absolute_clause(doc: Any, at: int) -> bool:
    """ "With Brexit looming, ...", "..., with Ruiz having visited Lima in 2018": the word after
    "with" is the subject of a clause that tells the circumstance, not the partner of an intent."""
    token = doc.char_span(at, at + 1, alignment_mode="expand")
    if token is None:
        return False
    word = token[0]
    while word.dep_ == "compound" and word.head.i != word.i:
        word = word.head  # "With Prime Minister Ruiz visiting": the name's head word
    return word.dep_ in {"nsubj", "nsubjpass"} and word.head.dep_ in {"pcomp", "advcl"} \
        and word.head.head.lower_ in {"with", "without"}


def _own_side(speaker: Entity, entity: Entity) -> bool:
    return any(r.of and r.of.lower() in {entity.name.lower(), *map(str.lower, entity.aliases)} for r in speaker.roles)


def _cue_offsets(text: str, quote: Quote, start: int) -> tuple[int, int]:
    if quote.cue:
        at = text.find(quote.cue, start)
        if at >= 0:
            return at, at + len(quote.cue)
    return quote.start, quote.end


def _other_party(doc: Any, document: Document, resolver: Resolver, speaker: Entity, start: int,
                 end: int) -> Entity | None:
    """The first party named in the statement that belongs to another country than the speaker
    (whose country must be known: else any foreign-looking name would do); not a place that only
    names a thing ("the Lima accord")."""
    if speaker.country is None:
        return None
    mentions = [(m_start, e) for m_start, m_end, e in resolver.mentions_between(start, end)
                if e.type in _ACTOR_TYPES | _PLACE_TYPES
                and not (e.type in _PLACE_TYPES and place_names_a_thing(doc, m_start, m_end))
                and not _opens_absolute_clause(doc, m_start)]
    for _, entity in mentions:
        if entity.id != speaker.id and entity.country and entity.country != speaker.country:
            return country_of_nationality(entity, document) if entity.type == "NORP" else entity
    return None


# --- participants across the article ----------------------------------------------------------------


_ENGAGING = {"CONSULT", "AGREE", "SUPPORT", "COOPERATE", "REQUEST", "AID"}
_ADDRESSED = {"CONSULT", "AGREE", "SUPPORT", "REQUEST"}  # acts said to the other side of a meeting
_MATERIAL = {"COOPERATE", "AID"}  # acts done, not said: a planned one is an intent, not the act


def _past_perfect(token: Any) -> bool:
    """ "had visited Japan in 2005": an act told as done before the story's time."""
    return token.pos_ == "VERB" and any(c.dep_ == "aux" and c.lower_ == "had" for c in token.children)


def _settle_counterparts(document: Document, candidates: list[Event], events: list[Event]) -> None:
    """An engagement act whose sentence names no other side is directed at the other side of the
    meeting or visit the article reports (the first of `candidates`, not one told as done before):
    "Ana Ruiz hoped to deepen ties" after "Ana Ruiz met John Carter" is towards John Carter."""
    main = next((v for v in candidates if v.type == "CONSULT" and v.actor and v.recipient and not v.negated), None)
    if main is None:
        return
    sides = (_side(document, main.actor), _side(document, main.recipient))
    for event in [v for v in events if not v.actor and v.trigger.end > v.trigger.start and _says_both_sides(document, v)]:
        if event.type == main.type:  # "Both sides discussed trade": what the meeting was about
            main.sectors += [s for s in event.sectors if s not in main.sectors]
            events.remove(event)
        else:  # "Both sides agreed to ...": an act of the two sides
            event.actor, event.recipient = list(main.actor), list(main.recipient)
    for event in events:
        if event is main or event.recipient or not event.actor or event.type not in _ADDRESSED or event.negated \
                or event.mode == "visit":
            continue
        actor = document.entity(event.actor[0])
        if actor is None:
            continue
        for own, other in (sides, sides[::-1]):
            if _belongs(actor, own) and not _belongs(actor, other):
                event.recipient = [e.id for e in other]
                break


_BOTH_SIDES = re.compile(r"\b(both(\s+the)?|the\s+two)\s+(" + "|".join(SIDE_NOUNS) + r")\b", re.IGNORECASE)


def _says_both_sides(document: Document, event: Event) -> bool:
    return bool(_BOTH_SIDES.search(document.article.text[event.sentence.start : event.trigger.start]))


def _side(document: Document, ids: list[str]) -> list[Entity]:
    return [e for e in map(document.entity, ids) if e is not None]


def _belongs(entity: Entity, side: list[Entity]) -> bool:
    """The entity is one of the side's parties, a person whose role is of one of them, or a party
    of the same country as one of them."""
    if any(entity.id == e.id for e in side):
        return True
    names = {e.name.lower() for e in side} | {a.lower() for e in side for a in e.aliases}
    if any(r.of and r.of.lower() in names for r in entity.roles):
        return True
    return entity.country is not None and any(e.country == entity.country for e in side)


def _with_participants(events: list[Event], story: Event | None) -> list[Event]:
    """An engagement (a meeting, a promise, praise, aid, a request) needs both sides named: one
    with no one to engage is dropped. Other acts need their actor ("protesters marched"). The
    event that tells the story (typed from its headline and lead, storytype.py) stays even so,
    unless another event of its type with both sides tells it (which takes its confidence)."""
    kept = [v for v in events if v.actor and (v.recipient or v.type not in _ENGAGING)
            and not (v.type in _MATERIAL and (v.hypothetical or v.negated))]
    if story is None or any(v is story for v in kept):
        return kept
    same = [v for v in kept if v.type == story.type]
    if same:
        heir = max(same, key=lambda v: v.confidence or 0.0)
        heir.confidence = max(heir.confidence or 0.0, story.confidence or 0.0)
        heir.mode = heir.mode or story.mode
        return kept
    kept.append(story)
    kept.sort(key=lambda v: (v.sentence.start, v.trigger.start))
    return kept


def _merge_duplicates(document: Document, events: list[Event]) -> list[Event]:
    """One engagement told twice in an article ("visited Lima ... the visit to Lima") is one event:
    same type, same first actor, overlapping recipients, and dates that do not disagree; and one
    sentence that says one thing twice ("he said the chamber hopes ...") is one event."""
    kept: list[Event] = []
    for event in events:
        twin = next((k for k in kept if _same_act(k, event, document) or _same_statement(document, k, event)), None)
        if twin is None and _refers_back(document, event):  # "The meeting took place in Lima"
            twin = next((k for k in reversed(kept) if k.type == event.type and k.mode == event.mode
                         and k.negated == event.negated and k.actor), None)
        if twin is None:
            kept.append(event)
            continue
        twin.actor += [a for a in event.actor if a not in twin.actor and a not in twin.recipient]  # no one on both sides
        twin.recipient += [r for r in event.recipient if r not in twin.recipient and r not in twin.actor]
        twin.sectors += [s for s in event.sectors if s not in twin.sectors]
        twin.location = twin.location or event.location
        twin.date = twin.date or event.date
        twin.confidence = max(twin.confidence or 0.0, event.confidence or 0.0)
    return kept


def _refers_back(document: Document, event: Event) -> bool:
    """ "The meeting took place in Lima": a definite noun names an act already told."""
    before = document.article.text[max(0, event.trigger.start - 5): event.trigger.start].lower()
    return before.endswith(("the ", "this "))


def _same_act(a: Event, b: Event, document: Document) -> bool:
    if a.type != b.type or a.negated != b.negated or not a.actor or not b.actor:
        return False
    if a.mode != b.mode and not (a.type == "CONSULT" and not _at_a_place(document, a) and not _at_a_place(document, b)):
        return False  # a call on a person and a meeting with that person are one engagement; a visit to a city is not
    same_sides = a.actor[0] == b.actor[0] and bool(set(a.recipient) & set(b.recipient)) or \
        a.actor[0] in b.recipient and b.actor[0] in a.recipient
    return same_sides and _dates_agree(a.date, b.date)


def _at_a_place(document: Document, event: Event) -> bool:
    return any((e := document.entity(r)) is not None and e.type in _PLACE_TYPES for r in event.recipient)


def _same_statement(document: Document, a: Event, b: Event) -> bool:
    """Two events of one type in one sentence whose actors are one side: "Ana Ruiz said Peru hopes ..."."""
    if a.type != b.type or a.type == "CONSULT" or a.sentence.start != b.sentence.start or a.negated != b.negated \
            or not a.actor or not b.actor:
        return False  # a sentence may list several meetings and visits: each is its own
    first, second = document.entity(a.actor[0]), document.entity(b.actor[0])
    if first is None or second is None:
        return False
    if set(a.recipient) & set(b.recipient):  # "Ana Ruiz said Peru was willing to work with Chile"
        return True
    return first.id == second.id or _belongs(first, [second]) or _belongs(second, [first])


def _dates_agree(a: EventDate | None, b: EventDate | None) -> bool:
    if a is None or b is None:
        return True
    return (a.start or "") <= (b.end or b.start or "") and (b.start or "") <= (a.end or a.start or "")


# --- places, dates and sectors --------------------------------------------------------------------


def _start_of(item: Any) -> int:
    return item.start


def _date_in(document: Document, start: int, end: int, near: int | None = None, doc: Any = None) -> EventDate | None:
    """The first time expression of a sentence; with `near`, the first on the trigger's own line (a
    byline's date run into the sentence is not the act's); with the parse, not a year that is part
    of a name ("before the 2030 World Cup" dates no promise)."""
    text = document.article.text
    expressions = document.dates  # in text order (see `dates.extract_dates`)
    within = expressions[bisect_left(expressions, start, key=_start_of) : bisect_left(expressions, end, key=_start_of)]
    found = [w for w in within if w.value and not _names_a_thing(doc, w.start, w.end)]
    if near is not None:
        found = [w for w in found if "\n" not in text[min(w.start, near): max(w.start, near)]] or found
    for n, when in enumerate(found):
        joined = dates.joined_days(text, when, found[n + 1]) if n + 1 < len(found) else None
        if joined is not None:  # "talks on Thursday and Friday": both days
            return EventDate(start=joined[0], end=joined[1], text=text[when.start : found[n + 1].end], precision="day")
        return EventDate(start=when.value, end=when.value_end or when.value, text=when.text, precision=when.precision)
    return None


def _names_a_thing(doc: Any, start: int, end: int) -> bool:
    """The date modifies a noun that is not a date: "the 2030 World Cup", "the 2025 Expo"."""
    span = doc.char_span(start, end, alignment_mode="expand") if doc is not None else None
    if span is None:
        return False
    root = span.root
    return root.dep_ in {"nummod", "compound", "amod", "nmod"} and not (span.start <= root.head.i < span.end) \
        and root.head.ent_type_ not in {"DATE", "TIME"} and root.head.pos_ in {"NOUN", "PROPN"}


def _sectors(text: str, parties: list[Entity]) -> list[str]:
    found = sectors_in(text)
    for party in parties:
        found += [s for s in sectors_in(party.name) if s not in found]
    return found


def _settle_places_and_dates(spacy_doc: Any, document: Document, events: list[Event]) -> None:
    """Inherit what a sentence leaves out from the visit the article is about, else the dateline."""
    visit = next((v for v in events if v.type == "CONSULT" and v.mode == "visit" and not v.hypothetical
                  and v.actor and v.recipient), None)
    if visit is not None:
        _widen_visit(document.article.text, visit)
    fallback_place = visit.location if visit and visit.location else _dateline_entity(document)
    visited: dict[int, str] = {}  # sentence start -> where its first placed visit was
    for v in events:
        if v.mode == "visit" and v.location:
            visited.setdefault(v.sentence.start, v.location)
    for event in events:
        sentence = document.article.text[event.sentence.start : event.sentence.end]
        refers_back = visit is not None and event is not visit and _VISIT_BACK_REFERENCE.search(sentence)
        if event.location is None and event.type == "CONSULT":  # "met X, who was visiting Lima"
            event.location = visited.get(event.sentence.start) or fallback_place
        if event.date is None and visit is not None and visit.date and (refers_back or event.type == "CONSULT"):
            event.date = visit.date
    _date_the_lead(spacy_doc, document, events)
    if visit is not None:  # "During the factory tour, ... AITO vehicles": what the visit was about
        own = {v.sentence.start for v in events}
        for sent in doc_sentences(spacy_doc):
            said = text_of(spacy_doc, sent.start, sent.end)
            if sent.start_char > visit.sentence.start and sent.start_char not in own and _VISIT_BACK_REFERENCE.search(said):
                visit.sectors += [s for s in sectors_in(said) if s not in visit.sectors]


def _date_the_lead(spacy_doc: Any, document: Document, events: list[Event]) -> None:
    """ "WASHINGTON, March 31 - X opened talks with Y": a wire story's lead tells, in the past tense
    and with no date of its own, what happened the day it was filed. Only the lead sentence under a
    dateline, only an act told as done (not planned, not denied, not "had" done before)."""
    published = document.article.published
    if not document.article.dateline or not published or len(published) != 10:
        return
    lead = next(iter(doc_sentences(spacy_doc)), None)
    if lead is None:
        return
    for event in events:
        if event.date is not None or event.sentence.start != lead.start_char or event.hypothetical or event.negated:
            continue
        trigger = spacy_doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
        if trigger is None or not trigger.text:
            continue
        verb = _verb_above(trigger.root)
        if verb is not None and verb.tag_ == "VBD" and not any(c.dep_ == "aux" for c in verb.children):
            event.date = EventDate(start=published, end=published, text=None, precision="day")


def _widen_visit(text: str, visit: Event) -> None:
    """ "During the two-day visit": a visit dated by one day spans the days the article gives it
    (dates.widen owns the arithmetic); the day it is dated by is its last unless "began" says so."""
    days = dates.visit_days(text)
    if days is None or visit.date is None or visit.date.start != visit.date.end:
        return
    cue = dates.visit_cue(text[visit.sentence.start : visit.trigger.end])
    start, end = dates.widen(visit.date.start, days, cue)
    if start != end:
        visit.date = EventDate(start=start, end=end, text=visit.date.text, precision="day")


def _dateline_entity(document: Document) -> str | None:
    geo = document.article.dateline_geo or {}
    line = (document.article.dateline or "").lower()
    for entity in document.entities:
        if entity.type in _PLACE_TYPES and entity.geo and geo and entity.geo.get("geonameid") == geo.get("geonameid"):
            return entity.id
    for entity in document.entities:
        if entity.type in _PLACE_TYPES and line and entity.name.lower() == line:
            return entity.id
    return None
