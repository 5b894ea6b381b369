"""Who does what in a clause: the subject of a verb, as both the quotes and the events layers need it.

The small parser often leaves a verb without a subject ("X, mayor of Y, also expressed ...") or
gives two; these rules recover the one a reader would name.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from .doctable import doc_text, offsets, sentence_of

SUBJECTS = {"nsubj", "nsubjpass"}


def subject_of(token: Any) -> Any | None:
    """A verb's subject; a participle or conjoined verb borrows its governing verb's subject; when
    the parse gives none, the nearest name before the verb in its clause ("X, mayor of Y, also said")."""
    return syntactic_subject(token) or _name_before(token)


def _name_before(token: Any) -> Any | None:
    """The nearest person named before the verb in its clause (else organisation): appositions
    ("X, vice president of Acme, said") put an organisation nearer than the speaker. A clause before
    the verb that the parser hung on it as its complement ("X toured the plant, then said ...") is
    the verb's first conjunct misread: its subject is the verb's too, not a name inside it."""
    first = _first_conjunct_misread(token)
    if first is not None:
        return first
    names = []
    for prev in reversed(token.doc[sentence_of(token).start : token.i]):
        if prev.pos_ in {"VERB", "AUX"} and prev.head.i != token.i:
            break
        if prev.ent_type_ in {"PERSON", "ORG", "GPE", "NORP"} and prev.dep_ != "poss":
            names.append(prev)
    return next((t for t in names if t.ent_type_ == "PERSON"), names[0] if names else None)


_LINKING = {"ADV", "CCONJ"}  # "X toured the plant, (and) then said"


def _first_conjunct_misread(token: Any) -> Any | None:
    """The subject of a clause written just before a subjectless verb and parsed as its complement,
    linked to it by "and" or an adverb: "X toured the plant, then said ...". With a comma alone the
    clause is what was said ("Exports fell, the head of X, Y, told Reuters", its speaker misparsed
    into it), and the nearest name before the verb stays the answer."""
    clause = next((c for c in token.children if c.dep_ == "ccomp" and c.i < token.i and c.pos_ in {"VERB", "AUX"}), None)
    if clause is None:
        return None
    between = token.doc[clause.right_edge.i + 1 : token.i]
    if not any(t.pos_ in _LINKING for t in between) or any(t.pos_ not in _LINKING | {"PUNCT"} for t in between):
        return None
    return syntactic_subject(clause)


def syntactic_subject(token: Any) -> Any | None:
    """The subject the parse gives, climbing from participles, conjuncts and relative clauses."""
    seen = 0
    while token is not None and seen < 4:
        subjects = [c for c in token.children if c.dep_ in SUBJECTS]
        if subjects and token.dep_ == "relcl" and subjects[0].lower_ in {"which", "that"}:
            return token.head  # "the Tribune, which reported ...": the antecedent reports
        if len(subjects) > 1 and any(c.i < token.i for c in subjects):
            # "X visited Malaysia" parsed with two subjects; "byline / date\nX visited": the nearest
            before = [c for c in subjects if c.i < token.i]
            subjects = [c for c in before if "\n" not in doc_text(token.doc)[c.idx : token.idx]] or before
        if subjects:  # two subjects: "A veteran of the trade, Ana Ruiz said" -- the name
            return next((c for c in subjects if c.ent_type_ or c.pos_ == "PROPN"), subjects[0])
        if token.dep_ == "relcl":
            return token.head
        if token.dep_ in {"advcl", "conj", "xcomp"} and token.head.i != token.i:
            token = token.head
            seen += 1
            continue
        return None
    return None


def on_the_line_of(head: Any, first: Any) -> Any:
    """The first word of a phrase that starts at `first` and ends at `head`, cut at the last line
    break between them: the parser runs noun phrases over line breaks (a time stamp, a caption or a
    byline above the sentence), and a name never spans one."""
    cut = doc_text(head.doc).rfind("\n", first.idx, head.idx)
    return first if cut < 0 else head.doc[bisect_right(offsets(head.doc)[0], cut)]


def same_line(a: Any, b: Any) -> bool:
    """No line break between two words: a phrase's head and a word after it (see `on_the_line_of`)."""
    low, high = sorted((a.idx, b.idx))
    return "\n" not in doc_text(a.doc)[low:high]
