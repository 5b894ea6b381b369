"""Who takes part in an event named by one trigger word: its actors and its recipients.

Engagement news names the two sides of an act in a few fixed ways, and each is read here:
- subject and object: "X met Y", "X visited Y", "X hosted Y" (the host is the recipient);
- a preposition after the trigger: "talks with Y", "a visit to Y", "a courtesy call on Y",
  "talks between X and Y";
- a possessive on a noun trigger: "during his meeting with Y" (the possessor is the actor);
- conjoined subjects of a meeting or a signing: "X and Y met", "X and Y signed an MoU" (one side
  each: actor X, recipient Y);
- the passive: "X was received by Y" (X visits Y), "an MoU was signed between X and Y".
A party is a named entity, a person named after a title ("Ambassador in Lima Ana Ruiz"), a pronoun
or description the resolver knows, or unnamed people named by a plural noun ("foreign envoys",
"Japanese companies": `resources/party_nouns.tsv`), who become one GROUP entity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..document import Document, Entity, Mention
from .actors import assign_actor
from .coref import Resolver
from .lexicon import group_nouns, read_table, titles
from .namewords import is_speech_verb
from .doctable import doc_text, sentence_of
from .syntax import on_the_line_of, same_line, subject_of

ACTOR_TYPES = {"PERSON", "ORG", "GROUP", "GPE", "NORP"}
PLACE_TYPES = {"GPE", "LOC", "FAC"}
_RECIPIENT_PREPS = {"with", "to", "between"}
_HOSTING = {"host", "receive", "welcome"}  # the subject is the host: the object visits


@dataclass
class Parties:
    actors: list[Entity] = field(default_factory=list)
    recipients: list[Entity] = field(default_factory=list)
    both_sides: bool = False  # "both sides agreed": the two sides of the article's meeting
    leaders: list[Entity] = field(default_factory=list)  # who leads the first actor ("a delegation headed by X")


SIDE_NOUNS = ("sides", "parties", "countries", "nations", "governments")


def _both_sides(token: Any | None) -> bool:
    """ "both sides", "the two sides", "both countries": the sides the article has introduced."""
    return token is not None and token.lower_ in SIDE_NOUNS and \
        any(c.lower_ in {"both", "two"} for c in token.children)


@lru_cache(maxsize=1)
def party_nouns() -> dict[str, str | None]:
    """Plural nouns naming unnamed people who act as one side, with the sector they imply."""
    return {r["noun"]: (r["sector"] or None) for r in read_table("party_nouns.tsv")}


@dataclass(frozen=True)
class Frame:
    """How a trigger names the other side: `symmetric` (a meeting, a signing: conjoined subjects
    are one side each), `visit` (the recipient may be a place), `object_is_party` ("met Ana Ruiz",
    not "signed an MoU"), the prepositions besides with/to/between that name it ("call on"), and
    `intent`: the other side may be named inside what is intended ("hopes to deepen ties with Peru")."""
    symmetric: bool = False
    visit: bool = False
    object_is_party: bool = True
    preps: frozenset[str] = frozenset()
    intent: bool = False


@lru_cache(maxsize=1)
def quantity_nouns() -> frozenset[str]:
    """Nouns that count or gather the party named after "of": "a total of", "a group of"."""
    return frozenset(r["noun"] for r in read_table("quantity_nouns.tsv"))


def parties_of(token: Any, verb: Any, lemma: str, frame: Frame, document: Document, resolver: Resolver) -> Parties:
    """Actors and recipients of the event that `token` (governed by `verb`, lemma `lemma`) names."""
    symmetric, visit = frame.symmetric, frame.visit
    passive = any(c.dep_ == "nsubjpass" for c in verb.children)
    actor_heads = _actor_heads(token, verb)
    recipient_heads = _recipient_heads(token, verb, passive, frame)
    if frame.intent:
        recipient_heads += _intended_parties(token, verb)
    if visit and not recipient_heads:
        recipient_heads += _welcomed_guest(token, lemma) or _speaking_host(token)
    actors = _entities(actor_heads, document, resolver, not visit, token)
    recipients = _entities(recipient_heads, document, resolver, True, token)
    if passive and not actors:  # "an MoU was signed between X and Y": the prepositional parties act
        actors, recipients = recipients[:1], recipients[1:]
    if lemma in _HOSTING and visit and recipients:  # "X hosted Y", "Y was received by X": Y visits
        actors, recipients = [e for e in recipients if e.type not in PLACE_TYPES] or recipients, actors
    recipients = [e for e in recipients if e not in actors]
    if symmetric and len(actors) > 1 and not recipients:
        actors, recipients = actors[:1], actors[1:]
    if symmetric and not actors and len(recipients) > 1:  # "talks between X and Y were held"
        actors, recipients = recipients[:1], recipients[1:]
    ids = {e.id for e in actors}
    both = not actors and any(_both_sides(h) for h in actor_heads)
    recipients = [e for e in recipients if e.id not in ids]
    led = _leaders(actor_heads + recipient_heads, document, resolver)
    leaders = [p for e in actors[:1] for p in led.get(e.id, []) if p not in actors and p not in recipients]
    recipients += [p for e in list(recipients) for p in led.get(e.id, []) if p not in recipients and p not in actors]
    return Parties(actors, recipients, both_sides=both, leaders=leaders)


@lru_cache(maxsize=1)
def leader_verbs() -> frozenset[str]:
    """Participles that name a group's leader with "by" ("a delegation headed by X")."""
    return frozenset(r["verb"] for r in read_table("leader_verbs.tsv"))


def _leaders(heads: list[Any], document: Document, resolver: Resolver) -> dict[str, list[Entity]]:
    """The people who lead the groups among these heads, by the group's id: "a delegation headed by
    X" -- X takes part in what the group does, on the group's side."""
    led: dict[str, list[Entity]] = {}
    for head in heads:
        for clause in head.children:
            if clause.dep_ != "acl" or clause.lower_ not in leader_verbs():
                continue
            group = party_at(head, document, resolver)
            names = [p for a in clause.children if a.dep_ == "agent" for c in a.children if c.dep_ == "pobj"
                     for p in _conjuncts(c)]
            for name in names if group is not None and group.type in {"GROUP", "ORG"} else ():
                leader = party_at(name, document, resolver)
                if leader is not None and leader.type == "PERSON" and leader not in led.get(group.id, []):
                    led.setdefault(group.id, []).append(leader)
    return led


def _during(token: Any) -> Any | None:
    """The verb of the clause a visit noun is the time of ("X said this during a call by Y"), or None."""
    return token.head.head if token.pos_ == "NOUN" and token.dep_ == "pobj" and token.head.lower_ == "during" else None


def _speaking_host(token: Any) -> list[Any]:
    """ "Ana Ruiz said this during a courtesy call by X": a visit that names no one visited is a call
    on the one who speaks during it."""
    verb = _during(token)
    speaker = subject_of(verb) if verb is not None and is_speech_verb(verb) else None
    return [speaker] if speaker is not None else []


def _welcomed_guest(token: Any, lemma: str) -> list[Any]:
    """ "X welcomes Y during a courtesy call": the call is the guest's, on the host who welcomes
    (the hosting swap below then makes Y its actor and X its recipient)."""
    verb = _during(token) if lemma in _HOSTING else None
    if verb is None:
        return []  # the guest is the object; the small model at times calls a name after the verb a second subject
    return [c for c in verb.children if c.dep_ in {"dobj", "obj"} or c.dep_ == "nsubj" and c.i > verb.i][:1]


def _conjuncts(token: Any) -> list[Any]:
    return [token, *[c for c in token.conjuncts if c.i > token.i]]


def _actor_heads(token: Any, verb: Any) -> list[Any]:
    """The parties "between" whom a noun trigger is ("a meeting between X and Y"), its agent ("a
    visit by X"), its possessor ("his meeting"), else the verb's subject and its conjuncts."""
    if token.pos_ == "NOUN":
        for prep in ("between", "by"):
            named = [t for c in token.children if c.dep_ in {"prep", "agent"} and c.lower_ == prep
                     for p in c.children if p.dep_ == "pobj" for t in _conjuncts(p)]
            if named:
                return named
    if token.pos_ != "VERB":
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        outer = subject_of(verb)
        if owner is not None and owner.pos_ == "PRON" and token.dep_ == "pobj" and outer is not None:
            return [outer]  # "During his meeting with X, Y said": "his" is Y
        if owner is not None and owner.lower_ == "their" and outer is not None and outer.i != token.i \
                and (outer.conjuncts or outer.tag_ in {"NNS", "NNPS"}):
            return _conjuncts(outer)  # "X and Y confirmed their willingness": "their" is X and Y
        if owner is not None:
            return [owner]
    subjectless = not any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)
    if subjectless and (verb.dep_ in {"acl", "relcl"} and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
                        or verb.dep_ == "pcomp" and verb.head.lower_ == "of"):
        return []  # "the best place to invest", "the benefits of investing": no one in particular
    if verb.dep_ == "acl" and verb.head.pos_ in {"NOUN", "PROPN"}:
        return _conjuncts(verb.head)  # "a delegation visiting Lima": the noun the participle describes
    if verb.dep_ == "xcomp" and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
        controller = next((c for c in verb.head.children if c.dep_ in {"dobj", "obj"}), None)
        if controller is not None:  # "invited Peruvian firms to invest": the firms would invest
            return _conjuncts(controller)
    subject = subject_of(verb)
    if subject is not None and subject.pos_ == "PRON" and verb.dep_ in {"relcl", "advcl"}:
        outer = _outer_subject(verb)  # "X and Y were in Lima, where they met Z": they are X and Y
        if outer is not None and outer.pos_ != "PRON":
            return _conjuncts(outer)
    if subject is not None and _is_dateline(subject):  # "LIMA (Agency) — Ana Ruiz met ...": not the place
        subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"} and c.i != subject.i), None)
    if subject is None:
        return []
    if subject.dep_ == "nsubjpass":
        agent = _agents(verb)
        if agent:
            return agent
    return _conjuncts(subject)


_DATELINE_END = re.compile(r"\s*(\([^)]{0,40}\))?\s*[—–:-]")


def _is_dateline(token: Any) -> bool:
    """A place that opens its sentence and is closed off by a dash or colon: "TOKYO (Agency) —"."""
    if token.i - sentence_of(token).start > 2:
        return False
    rest = doc_text(token.doc)[token.idx + len(token.text): token.idx + len(token.text) + 45]
    return bool(_DATELINE_END.match(rest))


def _outer_subject(verb: Any) -> Any | None:
    """The subject of the clause a subordinate clause hangs on."""
    node = verb.head
    for _ in range(4):
        if node.pos_ in {"VERB", "AUX"}:
            return next((c for c in node.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def _agents(verb: Any) -> list[Any]:
    for child in verb.children:
        if child.dep_ == "agent":
            return [t for c in child.children if c.dep_ == "pobj" for t in _conjuncts(c)]
    return []


def _recipient_heads(token: Any, verb: Any, passive: bool, frame: Frame) -> list[Any]:
    """Objects of the trigger, or of "with"/"to"/"between" (and the frame's own prepositions) after it."""
    heads: list[Any] = []
    if token.pos_ == "VERB" and frame.object_is_party:
        heads += [t for c in verb.children if c.dep_ in {"dobj", "obj"} for t in _conjuncts(c)]
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if len(subjects) > 1 and subjects[0].i < verb.i:  # "X visited Malaysia" parsed as two subjects
            heads += [t for c in subjects if c.i > verb.i for t in _conjuncts(c)]
        if passive and any(c.dep_ == "nsubjpass" for c in verb.children):
            subject = next(c for c in verb.children if c.dep_ == "nsubjpass")
            if _agents(verb):  # "X was received by Y": the subject is the other side
                heads += _conjuncts(subject)
    if token.pos_ == "VERB":
        objects = [t for c in verb.children if c.dep_ in {"dobj", "obj"} for t in _nominal_subtree(c)]
    else:  # "a call by X on Y": the parse may hang "on Y" on X
        objects = [t for t in _nominal_subtree(token) if t is not token]
        for clause in token.children:  # "a forum hosted by X and Y"
            if clause.dep_ == "acl":
                heads += _agents(clause)
    subject = token.dep_ in {"nsubj", "nsubjpass"} and token.head.i == verb.i  # "X's visit coincided with the vote"
    for head in [token, *([verb] if verb is not token and not subject else []), *objects]:  # "held talks with X"
        for child in head.children:
            preps = _RECIPIENT_PREPS | frame.preps
            if head in objects and child.lower_ not in frame.preps | {"with"}:
                continue  # "discussed trade with X": the parse may hang "with X" on the object
            if child.dep_ == "prep" and child.lower_ in preps and child.i > token.i - 1:
                heads += [t for c in child.children if c.dep_ == "pobj" for t in _conjuncts(c)]
    return heads


_INTENDED_PREPS = {"with", "between"}


def _intended_parties(token: Any, verb: Any) -> list[Any]:
    """Parties inside what is intended: "hoped to deepen cooperation with Peru", "expressed
    willingness to work with Chile", "is keen to invest in Lima"."""
    heads: list[Any] = []
    for owner in {token, verb}:
        for clause in owner.children:
            if clause.dep_ not in {"xcomp", "ccomp", "acl", "advcl", "prep"}:
                continue  # "vowed in response to cooperate with X" reaches X through "in response"
            for node in clause.subtree:
                if node.dep_ == "prep" and (node.lower_ in _INTENDED_PREPS or node.lower_ == "in" and node.head.lemma_ == "invest") \
                        or node.dep_ == "agent" and clause.dep_ != "prep":  # "agreed to pay for gas supplied by X"
                    heads += [t for c in node.children if c.dep_ == "pobj" for t in _conjuncts(c)]
    return heads


def _nominal_subtree(token: Any) -> list[Any]:
    """The nouns of an object phrase, not crossing into a clause: "a memorandum of understanding"."""
    found, stack = [], [token]
    while stack:
        node = stack.pop()
        found.append(node)
        stack += [c for c in node.children if c.pos_ not in {"VERB", "AUX"} and c.dep_ in {"prep", "pobj", "conj"}]
    return found


_FIRST_PERSON = {"i", "we", "me", "us", "my", "our"}


def _entities(heads: list[Any], document: Document, resolver: Resolver, places: bool, trigger: Any) -> list[Entity]:
    found: list[Entity] = []
    for head in heads:
        if _other_line(head, trigger):
            continue  # a byline or a caption run into the sentence is no party
        if head.lower_ in _FIRST_PERSON and head.pos_ == "PRON":
            continue  # "we" in a quotation is its speaker's side: the statement's own event says so
        entity = party_at(head, document, resolver)
        if entity is not None and entity.type == "NORP":
            entity = country_of_nationality(entity, document)
        if entity is None or entity in found or not places and entity.type in PLACE_TYPES - {"GPE"}:
            continue
        found.append(entity)
    return found


def country_of_nationality(entity: Entity, document: Document) -> Entity:
    """ "the Japanese side", "Japanese" as a party: the country Japan where the article names it."""
    for other in document.entities:
        if other.type == "GPE" and other.country == entity.country and (other.geo or {}).get("kind") == "country":
            return other
    return entity


def _other_line(token: Any, trigger: Any) -> bool:
    """The token stands on a short line of its own apart from the trigger's: a byline ("Ana Ruiz
    Senior Reporter"), a dateline or a caption run into the sentence by the parser."""
    start, end = sorted((token.idx, trigger.idx))
    if "\n" not in doc_text(token.doc)[start:end]:
        return False
    text = doc_text(token.doc)
    line_start = text.rfind("\n", 0, token.idx) + 1
    line_end = text.find("\n", token.idx)
    line = text[line_start: line_end if line_end >= 0 else len(text)]
    return len(line.split()) <= _SHORT_LINE


_SHORT_LINE = 8  # words: a byline or a caption credit, not a sentence broken by a stray line break


def party_at(token: Any, document: Document, resolver: Resolver) -> Entity | None:
    """The party a noun-phrase head names: its own entity, the person a title introduces, a pronoun
    or description, unnamed people ("foreign envoys"), else the first entity inside the phrase."""
    if token.pos_ == "ADJ":
        return None  # "Brazilian officials": the nationality describes the party, it is not one
    if token.lower_ in quantity_nouns():  # "a total of 73 diplomats", "a group of investors"
        members = [p for c in token.children if c.lower_ == "of" for p in c.children if p.dep_ == "pobj"]
        if members:
            return party_at(members[0], document, resolver)
    own = resolver.entity_at(token.idx, token.idx + len(token.text), ACTOR_TYPES | PLACE_TYPES)
    if own is not None:
        return own
    if titles().is_title_word(token.text):  # "Chinese Ambassador in Pakistan Ana Ruiz"
        person = _inside(token, resolver, {"PERSON"})
        if person is not None:
            return person
    if token.pos_ == "PROPN":  # "Mr Ruiz" where only "Ana Ruiz" was recognised
        named = resolver.by_surname(token)
        if named is not None:
            return named
    found = resolver.resolve(token) if token.pos_ in {"PRON", "NOUN"} else None
    return found or unnamed_party(token, document) or _inside(token, resolver, ACTOR_TYPES | PLACE_TYPES - {"NORP"})


def _inside(token: Any, resolver: Resolver, types: set[str]) -> Entity | None:
    start, end = token.left_edge.idx, token.right_edge.idx + len(token.right_edge.text)
    text = doc_text(token.doc)
    hits = [(s, e) for s, e_end, e in resolver.mentions_between(start, end) if e.type in types
            and "\n" not in text[min(s, token.idx): max(s, token.idx)]
            and not (e.type in PLACE_TYPES and place_names_a_thing(token.doc, s, e_end))]
    rank = {"PERSON": 0, "ORG": 1, "GROUP": 1}  # "the greeting of the Undersecretary of Italy, Ana Ruiz"
    return min(hits, key=lambda h: (rank.get(h[1].type, 2), h[0]))[1] if hits else None


def place_names_a_thing(doc: Any, start: int, end: int) -> bool:
    """A place that only names a thing is no party: "the Lima accord", "the Geneva talks", "a
    Lima refinery" (but "the Lima government", "the Peru side" are parties)."""
    span = doc.char_span(start, end, alignment_mode="expand") if doc is not None else None
    if span is None:
        return False
    root = span.root
    head = root.head
    if root.dep_ not in {"compound", "nmod"} or span.start <= head.i < span.end or head.pos_ not in {"NOUN", "PROPN"}:
        return False
    word = head.lower_
    return not head.ent_type_ and word not in party_nouns() and word not in SIDE_NOUNS \
        and word not in place_party_heads() and word not in group_nouns() \
        and not titles().is_title_word(head.text) and not titles().is_head(word)


@lru_cache(maxsize=1)
def place_party_heads() -> frozenset[str]:
    """Nouns that make "<place> <noun>" a party ("the Peru side"): `resources/place_party_heads.tsv`."""
    return frozenset(r["noun"] for r in read_table("place_party_heads.tsv"))


def unnamed_party(token: Any, document: Document) -> Entity | None:
    """ "a session with local officials", "foreign envoys met ...": people named by a plural noun
    join as one GROUP entity (one per phrase text in an article)."""
    word = token.lower_
    known = party_nouns()
    if token.pos_ not in {"NOUN", "PROPN"} or word not in known and not word.endswith("s"):
        return None  # "businessmen" is listed; a title is a party only in the plural ("officials")
    if word in known:
        sector = known[word]
    elif titles().is_head(word):
        sector = titles().sector_of(word)
    else:
        return None
    first = on_the_line_of(token, token.left_edge)  # "4:43 p.m.\n\nElection officials": a stamp is no part
    while first.pos_ in {"DET", "NUM"} and first.i < token.i or first.lower_ in {"all", "some", "many"} and first.i < token.i:
        first = first.doc[first.i + 1]
    last = token
    for child in token.children:  # "executives of the Acme Group", "investors from Peru"
        if child.dep_ == "prep" and child.lower_ in {"of", "from"} and child.i == last.i + 1 \
                and same_line(token, child.right_edge):
            last = child.right_edge
    start, end = first.idx, last.idx + len(last.text)
    text = document.article.text[start:end]
    for entity in document.entities:
        if entity.type == "GROUP" and any(m.start <= start < m.end or start <= m.start < end for m in entity.mentions):
            return entity
        if entity.type == "GROUP" and entity.name.lower() == text.lower():
            entity.mentions.append(Mention(start, end, text))
            return entity
    entity = Entity(id=f"e{len(document.entities) + 1}", type="GROUP", name=text, sector=sector, members=word,
                    mentions=[Mention(start, end, text)])
    document.entities.append(entity)
    assign_actor(entity, document)  # made after the actors step: given its country and sector here
    return entity
