"""Attributed statements: direct, indirect and mixed quotes, each tied to its speaker entity.

Two ways in, both from one sentence's structure:
- a cue verb (`resources/cues.tsv`) with a clausal complement ("X said that ...", "X told reporters
  ...", "..., adding that ..."), an attitude object ("X expressed hope for ..."), a nominal object of
  a speech verb ("X highlighted the ties ...") or "according to X, ..."; the content is the complement;
- a quoted span ("...," said X / X said: "...") attributed to the cue verb next to it in the
  sentence where the quotation ends or begins; a paragraph that goes on quoting keeps its speaker;
- a statement noun with an owner and a that-clause ("X's claim that ...", `statement_nouns.tsv`),
  a sentence framed by a poll or study ("In the latest poll, ...", `finding_nouns.tsv`), and the
  turns of an interview transcript ("NAME: ..." paragraphs).
Content holding quotation marks is `mixed`, or `direct` when the marks cover nearly all of it.
Participle adjuncts of the cue ("..., noting ...") belong to the same statement. The speaker is
the cue's subject, resolved through `coref` when it is "he", "who" or "the mayor", or a SOURCE or
GROUP (`sources`) when it is "a statement", "officials" or "sources". Names in photo captions never
speak: captions are not in the analysed text.

What is no statement: outer clauses are read first, so a cue inside what another source reports
("A agreed to B, X announced") is part of X's statement; a passive or participle cue ("is expected
to", "It was noted", "a written statement"), an object relative ("the opportunities the city
offers"), "agreed to" (an event), discussions, welcomes, thanks and courtesy calls ("called on the
minister") report nothing; a quotation inside a larger statement is part of it. A quoted paragraph
with no cue goes on from the statement just before it; '"..." X said this' and "This was stated by
X" attribute what came before.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..document import Document, Quote, Span
from . import sources
from .coref import Resolver
from .ids import renumber_entities
from .lemmas import noun_lemma, verb_lemma
from .lexicon import read_table, titles
from .quotemarks import QuotedSpan, quoted_spans
from .stance import stance_of
from .doctable import doc_text, offsets, sentence_of, word_arrays
from .syntax import SUBJECTS, subject_of
from .wordhashes import DEP_COLUMN, HEAD_COLUMN, LOWER_COLUMN, POS_COLUMN, one_of

#: How statements are read is decided by word classes kept as data (`resources/quote_words.tsv`):
#: attitude nouns ("expressed hope"), verbs that attribute a nominal object ("highlighted the ties"),
#: strong speech verbs, verbs of the media, verbs of intent, verbs whose object is the addressee,
#: prepositions that belong to what is said, occasions, and verb + preposition cues ("called for X").
def _quote_words(kind: str) -> frozenset[str]:
    return _quote_word_classes().get(kind, frozenset())


@lru_cache(maxsize=1)
def _quote_word_classes() -> dict[str, frozenset[str]]:
    classes: dict[str, set[str]] = {}
    for row in read_table("quote_words.tsv"):
        classes.setdefault(row["class"], set()).add(row["word"])
    return {kind: frozenset(words) for kind, words in classes.items()}


ATTITUDE_NOUNS = _quote_words("attitude")
NOMINAL_CUES = _quote_words("nominal")
SAY_CUES = _quote_words("say")
MEDIA_CUES = _quote_words("media")
INTENT_CUES = _quote_words("intent")
ADDRESSEE_CUES = _quote_words("addressee")
ARGUMENT_PREPS = _quote_words("argument_prep")
ATTITUDE_ADJECTIVES = _quote_words("attitude_adj")
INTENT_NOUNS = _quote_words("intent_noun")
RAISING_ADJECTIVES = _quote_words("raising_adj")
VIEW_AS_VERBS = _quote_words("view_as")
RECORD_NOUNS = _quote_words("record")
LABEL_VERBS = _quote_words("label")
AUDIENCE_NOUNS = _quote_words("audience")
STANCE_NOUNS = _quote_words("stance_noun")
LIGHT_VERBS = _quote_words("light_verb")
PREP_CUES = frozenset(tuple(words.split()) for words in _quote_words("prep_cue"))
QUOTING_AS_VERBS = _quote_words("quoting_as")
_DIRECT_SHARE = 0.8  # quoted share of a content above which it is a direct quote
_MIN_DIRECT_WORDS = 1  # with a cue next to it, even "Why?" is a statement; names are caught by _is_title
_FRAGMENT_WORDS = 5  # shorter quotations inside a sentence are fragments of a larger statement


@dataclass(frozen=True)
class Cue:
    lemma: str
    category: str
    direct_only: bool


@lru_cache(maxsize=1)
def cues() -> dict[str, Cue]:
    return {r["lemma"]: Cue(r["lemma"], r["category"], r["direct_only"] == "yes") for r in read_table("cues.tsv")}


@lru_cache(maxsize=1)
def nominal_cues() -> frozenset[str]:
    """Speech verbs that attribute a nominal object: the built-in ones and `nominal_cues.tsv`."""
    return frozenset(NOMINAL_CUES) | {r["lemma"] for r in read_table("nominal_cues.tsv")}


@lru_cache(maxsize=1)
def _known_verbs() -> frozenset[str]:
    return frozenset(cues()) | nominal_cues() | SAY_CUES | INTENT_CUES | {verb for verb, _ in PREP_CUES}


def _lemma(token: Any) -> str:
    """The verb's lemma when it is one the lexicons know, else its lower-case form."""
    return verb_lemma(token, _known_verbs()) or token.lower_


@dataclass
class _Found:
    start: int
    end: int
    cue: Any  # the cue token (or the "according" token)
    subject: Any | None  # the subject token, before resolution
    kind: str
    speaker_text: str | None = None
    nominal: bool = False  # content is a noun phrase ("highlighted the ties"): needs a speaker who can speak
    parts: list[tuple[int, int]] | None = None  # pieces of a quotation the attribution interrupts
    needs_speaker: bool = False  # a state of mind or an intent: only a holder the text names has it


def extract_quotes(spacy_doc: Any, document: Document) -> None:
    """Fill `document.quotes`."""
    text = document.article.text
    spans = quoted_spans(text)
    resolver = Resolver(document, [(s.start, s.end) for s in spans])
    found: list[_Found] = _transcript_turns(spacy_doc, text)
    turns = [(f.start, f.end) for f in found]
    claimed = _Claimed(turns)
    spans = [s for s in spans if not any(s.start < b and a < s.end for a, b in turns)]  # a turn is one statement

    previous: _Found | None = None
    pending: list[QuotedSpan] = []  # paragraphs of a quotation whose attribution comes later
    orphans: list[QuotedSpan] = []  # quoted paragraphs with no attribution of their own
    for span in spans:
        if not span.continues:
            pending = []
        if any(f.kind == "indirect" and f.start <= span.start and span.end <= f.end for f in found):
            continue  # a second quoted phrase inside a mixed statement already found
        if previous is not None and _goes_on(text, previous, span):
            previous.parts = (previous.parts or [(previous.start, previous.end)]) + [(span.start, _strip_trailing_punct(text, span.start, span.end))]
            previous.end = previous.parts[-1][1]
            claimed += previous.parts + [(previous.cue.idx, previous.cue.idx + len(previous.cue))]  # the gap's adjuncts stay free
            continue
        statement = _from_quoted_span(spacy_doc, span, previous, spans)
        if statement is None:
            pending.append(span)
            if _whole_paragraph(text, span):
                orphans.append(span)
            continue
        if pending and span.continues:  # '"A.\n\n"B," she said': the attribution covers A too
            statement.parts = [(p.start, _strip_trailing_punct(text, p.start, p.end)) for p in pending]
            statement.parts.append((statement.start, statement.end))
            statement.start = statement.parts[0][0]
        pending = []
        if statement is not None:
            found.append(statement)
            claimed.append((statement.start, statement.end))
            previous = statement

    orphans = [o for o in orphans if not any(f.start <= o.start < f.end for f in found)]
    claimed += [(o.start, o.end) for o in orphans]  # a cue inside a quotation is part of what is quoted
    for token in _outer_clauses_first(spacy_doc):
        if _inside(token.idx, claimed):
            continue
        if token.pos_ == "NOUN":
            statement = _from_statement_noun(token) or _from_finding(token)
        elif token.pos_ == "ADJ":
            statement = _from_attitude_adjective(token)
        else:
            statement = _from_cue(token, spans) or _from_according(token)
            if statement is None and not any(f.cue is not None and f.cue.i == token.i for f in found):
                statement = _anaphoric_statement(token)  # "55 percent said so", "X said as much"
        if statement is None or _overlaps(statement, claimed):
            continue
        if not _merge_into_governing(found, statement, token):
            found.append(statement)
        claimed.append((statement.start, statement.end))

    for span in spans:  # 'X branded the test an "outlaw act"': quoted words in what a verb says of its object
        if not _inside(span.start, claimed):
            statement = _from_fragment(spacy_doc, span)
            if statement is not None and not _overlaps(statement, claimed):
                found.append(statement)
                claimed.append((statement.start, statement.end))

    for orphan in orphans:
        statement = _continued(text, orphan, found)
        if statement is not None:
            found.append(statement)
    document.quotes = _quotes(_outermost(found), document, resolver)


_MAX_FRAGMENT_WORDS = 8


def _from_fragment(doc: Any, span: QuotedSpan) -> _Found | None:
    """A few quoted words inside the object of a verb of saying or judging ("branded the state an
    "outlaw nation"", "exhorted delegates to "vote your conscience"", "praised her for "new ideas""):
    the words are the subject's, and the object phrase that holds them is the statement (mixed)."""
    text = doc_text(doc)
    words = text[span.start : span.end].split()
    if not 1 <= len(words) <= _MAX_FRAGMENT_WORDS or _stands_alone(text, span):
        return None
    if all(w[:1].isupper() or w.lower() in {"of", "the", "and", "a", "in", "on", "for"} for w in words):
        return None  # "The Apprentice", "Peace Through Strength": a title, not someone's words
    tokens = doc.char_span(span.start, span.end, alignment_mode="expand")
    if tokens is None:
        return None
    verb, branch = None, tokens.root
    while branch.head.i != branch.i:
        if branch.head.pos_ in {"VERB", "AUX"}:
            verb = branch.head
            break
        branch = branch.head
    if verb is None or branch.i < verb.i or branch.dep_ not in _FRAGMENT_SLOTS:
        return None
    if not (_labels(verb) or _labelled_as(verb, branch)):
        return None
    if _is_passive_or_participle(verb) and not any(c.dep_ in SUBJECTS for c in verb.children):
        return None
    subject = subject_of(verb) or _embedding_subject(verb)
    if subject is None or subject.lower_ in {"it", "there", "this", "that", "which"}:
        return None
    first = next(c for c in verb.rights if c.dep_ in _FRAGMENT_SLOTS).left_edge
    end = max(span.end, branch.right_edge.idx + len(branch.right_edge.text))
    return _Found(first.idx, _strip_trailing_punct(text, first.idx, end), verb, subject, "indirect",
                  needs_speaker=True)


_FRAGMENT_SLOTS = {"dobj", "obj", "oprd", "xcomp", "prep", "ccomp", "dative", "attr", "acomp"}


def _labelled_as(verb: Any, branch: Any) -> bool:
    """ "went after the senator as a "con artist"", "rated most claims as "false"": any verb whose object
    is given a quoted label by an "as" phrase reports the subject's judgement in the subject's words."""
    return branch.dep_ == "prep" and branch.lower_ == "as" and any(
        c.dep_ in {"dobj", "obj"} and c.i < branch.i for c in verb.children)


def _labels(verb: Any) -> bool:
    """A verb whose object or complement can be the subject's words: a cue, a verb of judging."""
    lemma = _lemma(verb)
    return lemma in cues() or lemma in nominal_cues() or lemma in VIEW_AS_VERBS or verb_lemma(verb, LABEL_VERBS) is not None


#: A transcript turn: a paragraph opened by a speaker's name in capitals and a colon ("SMITH: Well, ...").
_TURN = re.compile(r"^[ \t\"“]*([A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){0,2}):[ \t]+(\S[^\n]*)$", re.MULTILINE)
_MIN_TURNS = 2  # one capitalised label ("UPDATE: ...") is no transcript; a speaker who answers is


def _transcript_turns(doc: Any, text: str) -> list[_Found]:
    """Each turn of an interview transcript is its speaker's statement: the article is a transcript
    when one label opens at least two of its paragraphs."""
    matches = list(_TURN.finditer(text))
    counts: dict[str, int] = {}
    for match in matches:
        counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    if not counts or max(counts.values()) < _MIN_TURNS:
        return []
    turns = []
    for match in matches:
        label = match.group(1)
        if not any(c.isalpha() for c in label):
            continue
        start, end = match.start(2), match.end(2)
        while end > start and text[end - 1] in ' "”\'':
            end -= 1
        name = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        colon = doc.char_span(match.end(1), match.end(1) + 1, alignment_mode="expand")
        if name is None or end <= start:
            continue
        turns.append(_Found(start, end, colon[0] if colon is not None else None, name[-1], "direct", label))
    return turns


def _whole_paragraph(text: str, span: QuotedSpan) -> bool:
    """A quotation of whole sentences that ends its paragraph: it opens a sentence and nothing but
    marks follow it before the break."""
    line_end = text.find("\n", span.end)
    line_end = len(text) if line_end < 0 else line_end
    return (_stands_alone(text, span) and not text[span.end : line_end].strip(' "“”.,\u0000')
            and span.words(text) >= _FRAGMENT_WORDS)


def _continued(text: str, orphan: QuotedSpan, found: list[_Found]) -> _Found | None:
    """A quoted paragraph with no cue goes on from the statement just before it, in its paragraph
    or the one before: the speaker who was quoted (or reported) last is still speaking."""
    before = [f for f in found if f.end <= orphan.start and f.subject is not None]
    if not before:
        return None
    last = max(before, key=lambda f: f.end)
    if text[last.end : orphan.start].count("\n\n") > 1 or text[last.end : orphan.start].count("\n") > 2:
        return None
    return _Found(orphan.start, _strip_trailing_punct(text, orphan.start, orphan.end), last.cue, last.subject,
                  "direct", last.speaker_text)


def _outermost(found: list[_Found]) -> list[_Found]:
    """A quotation inside a larger statement is part of it: 'X said the sector "has grown," noting ...'
    is one mixed statement, not that and a direct one."""
    pieces = sorted((a, b, (o.start, o.end)) for o in found for a, b in (o.parts or [(o.start, o.end)]))
    inner: set[int] = set()
    best: list[tuple[int, tuple[int, int]]] = []  # the two furthest reaches of distinct statements so far
    k = 0
    for f in sorted(found, key=lambda f: f.start):
        while k < len(pieces) and pieces[k][0] <= f.start:  # the pieces of an interrupted quotation, not what interrupts it
            _, reach, owner = pieces[k]
            k += 1
            furthest = {o: r for r, o in best}
            furthest[owner] = max(furthest.get(owner, -1), reach)
            best = sorted(((r, o) for o, r in furthest.items()), reverse=True)[:2]
        if any(reach >= f.end and owner != (f.start, f.end) for reach, owner in best):
            inner.add(id(f))
    return [f for f in found if id(f) not in inner]


# --- cue-led statements ---------------------------------------------------------------------------


def _from_cue(token: Any, spans: list[QuotedSpan]) -> _Found | None:
    back = _stated_by(token)
    if back is not None:
        return back
    cue = cues().get(_lemma(token)) or _prep_cue(token)
    if cue is None or token.pos_ not in {"VERB", "AUX"}:
        return None
    if (cue.direct_only and not _next_to_quote(token, spans) and _prepositional_content(token) is None
            and not _that_clause(token)):
        return None  # "he spoke" is no statement, "he spoke of the potential" or "charged that ..." is
    if _is_passive_or_participle(token) or _object_relative(token) or _points_back(token):
        return None
    governing = _reporting_conjunct(token)
    subject = (subject_of(governing) if governing is not None else None) or _quoted_as(token) or _misparsed_finite(token) \
        or subject_of(token) or _embedding_subject(token)
    parts = None if comps_of(token) else _parenthetical_parts(token, subject)
    if parts:
        return _Found(parts[0][0], parts[-1][1], token, subject, "indirect", parts=parts)
    content = (_clausal_content(token) or _as_content(token, subject) or _inverted_content(token, subject)
               or _quoted_before(token) or _following_clause(token) or _after_colon(token))
    nominal = content is None
    if content is None:
        content = _prepositional_content(token) or _infinitive_content(token) or _view_as_content(token)
        if content is None and (cue.category != "perception" or _is_record(subject)):
            content = _nominal_content(token, cue, spans)  # "they found ways" perceives, "the audit found gaps" reports
    if content is None:
        return None
    if nominal:
        content = _with_coordinated(token, content)
    start, end = _with_adjuncts(token, content)
    return _Found(start, end, token, subject, "indirect", nominal=nominal)


def _prep_cue(token: Any) -> Cue | None:
    """A verb that is a cue only with its preposition ("railed against X", "wondered about X")."""
    lemma = _lemma(token)
    if any(c.dep_ == "prep" and (lemma, c.lower_) in PREP_CUES for c in token.children):
        return Cue(lemma, "speech", False)
    return None


def _embedding_subject(token: Any) -> Any | None:
    """The subject of the clause a cue is embedded in: "X started off by emphasizing ...", "X is
    steering clear of criticizing ...", "X was able to tout ..."."""
    head = token.head
    if token.dep_ == "pcomp" and head.pos_ == "ADP" and head.lower_ in _EMBEDDING_PREPS:
        return subject_of(head.head) if head.head.pos_ in {"VERB", "AUX"} else None
    if token.dep_ == "xcomp" and head.pos_ == "ADJ" and head.dep_ == "acomp":
        return subject_of(head.head)
    if token.dep_ == "acomp" and head.pos_ in {"AUX", "VERB"}:  # "X is worried that ...": a participle as adjective
        return subject_of(head)
    return None


_EMBEDDING_PREPS = {"by", "of", "without", "while"}


def _that_clause(token: Any) -> bool:
    """The verb takes a clause opened by "that": "charged that the vote was rigged"."""
    return any(c.dep_ == "ccomp" and c.i > token.i and c.left_edge.lower_ == "that" and c.left_edge.dep_ == "mark"
               for c in token.children)


def _points_back(token: Any) -> bool:
    """ "said so", "said this": what is reported was said before; the clause after it is not it."""
    nxt = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return nxt is not None and nxt.head.i == token.i and nxt.dep_ in {"advmod", "dobj"} and nxt.lower_ in _BACK_POINTERS


def _misparsed_finite(token: Any) -> Any | None:
    """ "The Minister, who recalled ..., noted that ...": a finite cue parsed as a clause of its
    subject noun; the noun it hangs from is the speaker."""
    if token.dep_ == "acl" and comps_of(token) and token.head.i < token.i and token.head.pos_ in {"NOUN", "PROPN"}:
        return token.head
    return None


def _quoting_verb(token: Any) -> Any | None:
    """The verb "quote" of "quotes Ana Ruiz as saying" / "Ana Ruiz was quoted as saying", when
    `token` is its "saying"."""
    head = token.head
    if token.dep_ != "pcomp" or head.lower_ != "as" or verb_lemma(head.head, QUOTING_AS_VERBS) is None:
        return None
    return head.head


def _quoted_as(token: Any) -> Any | None:
    """ "The report quotes Ana Ruiz as saying ...", "Ana Ruiz was quoted as saying ...": the one
    quoted speaks, not the report."""
    quoting = _quoting_verb(token)
    if quoting is None:
        return None
    return next((c for c in quoting.children if c.dep_ in {"dobj", "obj", "nsubjpass"}), None)


def _quoted_before(token: Any) -> tuple[int, int] | None:
    """ "CONTENT, the statement quotes Ana Ruiz as saying.": the clause before the quoting verb."""
    quoting = _quoting_verb(token)
    if quoting is None or comps_of(token):
        return None
    clause = next((c for c in quoting.children if c.dep_ in {"ccomp", "parataxis"} and c.i < quoting.i), None)
    if clause is not None:
        first, last = clause.left_edge, clause.right_edge
    elif quoting.dep_ in {"conj", "parataxis"} and quoting.head.i < quoting.i:
        # the parser made the quoting verb a conjunct of the clause before: all of it up to the quoter
        quoter = next((c for c in quoting.children if c.dep_ == "nsubj"), quoting)
        first, last = token.doc[sentence_of(quoting).start], token.doc[quoter.left_edge.i - 1]
    else:
        return None
    while (last.is_punct or last.dep_ == "cc") and last.i > first.i:
        last = token.doc[last.i - 1]
    if not any(t.pos_ in {"VERB", "AUX"} for t in token.doc[first.i : last.i + 1]):
        return None
    return first.idx, last.idx + len(last.text)


def _stated_by(token: Any) -> _Found | None:
    """ "This was stated by Ana Ruiz ...", "This announcement was made by ...": the sentence before
    is the agent's statement."""
    subjects = [c for c in token.children if c.dep_ == "nsubjpass"]
    if not subjects:
        return None  # most verbs: their children are not read again
    agents = [g for c in token.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if not agents or not (subjects[0].lower_ in _BACK_POINTERS or any(
            c.lower_ in _BACK_POINTERS and c.dep_ == "det" for c in subjects[0].children)):
        return None
    made = token.lower_ in {"made", "make"} and noun_lemma(subjects[0]) in _STATEMENT_NOUNS
    if _lemma(token) not in SAY_CUES | {"state", "announce"} and not made:
        return None  # "this was built by" says nothing; "this announcement was made by" does
    sent = sentence_of(token)
    if sent.start == 0:
        return None
    before = sentence_of(token.doc[sent.start - 1])
    end = _strip_trailing_punct(doc_text(token.doc), before.start_char, before.end_char)
    while end > before.start_char and doc_text(token.doc)[end - 1] in ".\n ":
        end -= 1
    return _Found(before.start_char, end, token, agents[0], "indirect")


def _is_passive_or_participle(token: Any) -> bool:
    """ "X is expected to attend", "It was noted that ...", "a written statement": the subject is not
    the source (or there is none) unless a "by" agent names it."""
    if any(c.dep_ == "agent" for c in token.children):
        return False
    if any(c.dep_ in {"auxpass", "nsubjpass"} for c in token.children):
        return True
    if comps_of(token):
        return False
    if token.dep_ == "amod" or token.dep_ == "acl" and token.tag_ in {"VBN", "VBD"}:
        return True  # "a tour expected to focus on fishing": a reduced relative describes its noun
    # "Guests expected to attend are X", "a tour with X expected to focus on Y": a belief verb with
    # no auxiliary and no subject of its own, or a bare participle, is no finite verb
    cue = cues().get(_lemma(token))
    if cue is None or cue.category != "belief" or any(c.dep_ == "aux" for c in token.children):
        return False
    own_subject = any(c.dep_ in SUBJECTS for c in token.children)
    return (token.tag_ == "VBN" and token.dep_ == "ROOT"
            or token.tag_ in {"VBD", "VBN"} and token.dep_ == "advcl" and not own_subject)


def _object_relative(token: Any) -> bool:
    """ "the opportunities that the city offers", "areas which investors wanted to enter": the
    relative clause describes its noun; what the verb reports is that noun, not a statement."""
    if token.dep_ != "relcl" or comps_of(token):
        return False
    if any(c.dep_ == "oprd" or c.dep_ == "prep" and c.lower_ == "as" for c in token.children):
        return False  # "an explosion that the mayor described as an attack": the description is reported
    subject = next((c for c in token.children if c.dep_ in SUBJECTS), None)
    return subject is not None and subject.lower_ not in {"who", "which", "that"}


def comps_of(token: Any) -> list[Any]:
    return [c for c in token.children if c.dep_ == "ccomp"]


def _clausal_content(token: Any) -> tuple[int, int] | None:
    comps = sorted(comps_of(token), key=lambda c: c.i < token.i)  # "It's unlikely; X says she'll go": the one after
    if not comps:
        return _misattached_that_clause(token)
    comp = comps[0]
    left = comp.left_edge
    objects = [c for c in token.children if c.dep_ in {"dobj", "obj"} and token.i < c.i < comp.i]
    if objects and _lemma(token) not in ADDRESSEE_CUES:
        left = objects[0].left_edge
    if comp.i < token.i and token.i - comp.right_edge.i > 3:
        return None
    left = _after_when_said(token, left)
    right = max((c.right_edge for c in comps if c.i > token.i), key=lambda t: t.i, default=comp.right_edge)
    return _char_span(left, right)


def _after_when_said(cue: Any, left: Any) -> Any:
    """The content's first word past a date right after the cue: in "said Monday the port will
    reopen" the day is when it was said, not part of what was."""
    doc = cue.doc
    if left.i != cue.i + 1:
        return left
    i = left.i
    while i < len(doc) - 1 and doc[i].ent_type_ in {"DATE", "TIME"} and doc[i].dep_ in {"npadvmod", "compound", "nummod"}:
        i += 1
    return doc[i] if i > left.i and not doc[i].is_punct else left


def _as_content(token: Any, subject: Any | None) -> tuple[int, int] | None:
    """ "As many experts have pointed out, CONTENT" / "CONTENT, as the mayor noted": the clause an
    as-clause of a speech verb hangs from is what the source said."""
    if subject is None or token.dep_ != "advcl" or not any(c.dep_ == "mark" and c.lower_ == "as" for c in token.children):
        return None
    if cues().get(_lemma(token), Cue("", "", False)).category != "speech" and _lemma(token) not in SAY_CUES:
        return None
    if any(c.dep_ in {"dobj", "obj", "ccomp", "xcomp", "dative"} or c.dep_ == "prep" and not _circumstance(c)
           for c in token.children):
        return None  # "as she spoke about the amendment", "as the paper called them": the verb has its own content
    doc, sent = token.doc, sentence_of(token)
    if token.i < token.head.i:  # the as-clause opens the sentence
        first, last = token.right_edge.i + 1, sent.end - 1
    else:
        first, last = sent.start, token.left_edge.i - 1
    while first <= last and (doc[first].is_punct or doc[first].is_space):
        first += 1
    while last >= first and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    if last - first < 2:
        return None
    return _char_span(doc[first], doc[last])


def _circumstance(prep: Any) -> bool:
    """ "on Monday", "in an interview": when or where something was said, not what."""
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    return bool(objects) and (objects[0].ent_type_ in {"DATE", "TIME"} or prep.lower_ in {"in", "at", "during"})


def _misattached_that_clause(token: Any) -> tuple[int, int] | None:
    """ "X told a meeting of leaders that few people understood ...", "X tweeted in the early hours
    that Y was a fraud": the parser hangs the that-clause on the noun before it as a relative clause,
    but a relative "that" is its clause's subject or object, never its marker."""
    if _lemma(token) not in SAY_CUES and cues().get(_lemma(token), Cue("", "", False)).category != "speech":
        return None
    for child in token.rights:
        if child.dep_ not in {"dobj", "obj", "prep", "dative", "npadvmod"}:
            continue
        for clause in child.subtree:
            if clause.dep_ in {"relcl", "acl"} and clause.pos_ in {"VERB", "AUX"} and _marked_by_that(clause):
                return _char_span(clause.left_edge, clause.right_edge)
    return None


def _marked_by_that(clause: Any) -> bool:
    """Opened by a marker "that", with a subject of its own and no gap: "the story that his father told
    him" lacks its object (it is the story), "that the bill was dead" lacks nothing."""
    mark = clause.left_edge
    if not (mark.lower_ == "that" and mark.dep_ == "mark" and mark.head.i == clause.i
            and any(c.dep_ in SUBJECTS and c.i > mark.i for c in clause.children)):
        return False
    return any(c.dep_ in _COMPLETE and not (c.dep_ in {"dobj", "obj"} and c.pos_ == "PRON") for c in clause.children)


_COMPLETE = {"dobj", "obj", "attr", "acomp", "ccomp", "xcomp", "oprd", "prep", "agent"}


def _inverted_content(token: Any, subject: Any | None) -> tuple[int, int] | None:
    """ "CONTENT, a source said." / "CONTENT, Ana Ruiz said, since ...": the clause before the source."""
    if subject is None or subject.i > token.i or token.dep_ not in {"parataxis", "ccomp", "advcl", "conj", "ROOT"}:
        return None
    if any(c.i > token.i and c.dep_ not in {"punct", "advmod", "npadvmod", "prep", "advcl", "cc", "conj"}
           and not (c.dep_ in {"dobj", "obj", "dative"} and _lemma(token) in ADDRESSEE_CUES)
           for c in token.children) or _next_text(token) in {":", '"', "“"}:
        return None  # the cue has its own object or opens a quotation: nothing before it is reported
    if token.dep_ != "ROOT" and token.head.i > token.i:
        return None
    left = subject.left_edge.i
    if left < 2 or token.doc[left - 1].text not in {",", "—", "–"}:
        return None
    sent = sentence_of(token)
    first = token.doc[sent.start]
    for t in token.doc[sent.start : left]:  # a caption or headline line the parser ran into the sentence
        if "\n" in t.text or "\n" in t.whitespace_:
            first = token.doc[t.i + 1]
    while (first.is_punct or first.is_space) and first.i < left - 1:
        first = token.doc[first.i + 1]
    if left - 1 - first.i < 3:
        return None
    last = token.doc[left - 2]
    if not any(t.pos_ in {"VERB", "AUX"} for t in token.doc[first.i : last.i + 1]):
        return None  # "In one tweet Friday, X said": an adverbial, not a statement
    return first.idx, last.idx + len(last.text)


def _next_text(token: Any) -> str:
    return token.doc[token.i + 1].text if token.i + 1 < len(token.doc) else ""


def _after_colon(token: Any) -> tuple[int, int] | None:
    """ "The governor added:  It's typical ..." -- transcripts and columns quote without marks."""
    doc = token.doc
    if token.i + 2 >= len(doc) or doc[token.i + 1].text != ":" or doc[token.i + 2].text in {'"', "“", "''"}:
        return None
    start = doc[token.i + 2].idx
    end = doc_text(doc).find("\n", start)
    end = len(doc_text(doc)) if end < 0 else end
    return (start, end) if len(doc_text(doc)[start:end].split()) >= 3 else None


def _parenthetical_parts(token: Any, subject: Any | None) -> list[tuple[int, int]] | None:
    """ "The test, North Korea said, was its biggest": the sentence around a parenthetical source."""
    doc, sent = token.doc, sentence_of(token)
    if subject is None or token.dep_ != "parataxis" or not sent.start <= token.head.i < sent.end:
        return None
    left = min(subject.left_edge.i, token.i) - 1  # "..., Ana Ruiz said, ..." or "..., said Ana Ruiz, ..."
    if any(c.dep_ in {"dobj", "obj"} and c.pos_ != "PRON" for c in token.children):
        return None  # "..., he told the court, ...": the object would be what is said
    # "said Friday,", "told me on Friday,": the cue's own words run to the comma after them
    rights = [c.right_edge.i for c in token.rights if not c.is_punct]
    right = max([token.i, *rights]) + 1
    if left <= sent.start + 1 or right >= sent.end - 2 or doc[left].text != "," or doc[right].text != ",":
        return None
    before = (doc[sent.start].idx, doc[left - 1].idx + len(doc[left - 1].text))
    last = doc[sent.end - 1]
    after_end = last.idx if last.is_punct else last.idx + len(last.text)
    return [before, (doc[right + 1].idx, after_end)]


def _following_clause(token: Any) -> tuple[int, int] | None:
    """The rest of the sentence after a strong speech verb, when it is a clause of its own."""
    if _lemma(token) not in SAY_CUES or any(c.dep_ in {"xcomp", "ccomp"} for c in token.children):
        return None
    objects = [c for c in token.children if c.dep_ in {"dobj", "obj"}]
    if objects and (objects[0].pos_ == "PRON" or objects[0].lower_ in {"much", "nothing", "something", "little"}):
        return None  # "said nothing", "told them": no clause reported
    if any(c.dep_ in {"advmod", "dobj"} and c.lower_ in _BACK_POINTERS for c in token.children):
        return None  # "quotes him as saying so when he met ...": what follows is when, not what
    rest = [t for t in token.doc[token.i + 1 : sentence_of(token).end]]
    joined = next((c.i for c in token.rights if c.dep_ in {"cc", "conj"}), None)
    if joined is not None:  # "claimed wide support and said ...": the next verb says its own
        rest = [t for t in rest if t.i < joined]
    while rest and (rest[0].is_punct or rest[0].lower_ == "that"
                    or rest[0].ent_type_ in {"DATE", "TIME"} and rest[0].head.i == token.i):  # "said Monday (that) ..."
        rest = rest[1:]
    subject_at = next((k for k, t in enumerate(rest) if t.dep_ in SUBJECTS and t.head.i > token.i), None)
    if not rest or subject_at is None or subject_at > 6 or not any(t.pos_ in {"VERB", "AUX"} for t in rest):
        return None
    return _char_span(rest[0], rest[-1])


def _infinitive_content(token: Any) -> tuple[int, int] | None:
    """ "plans to visit Lagos", "urged Kenya to cut tariffs": what the source means to do."""
    if _lemma(token) not in INTENT_CUES:
        return None
    comps = [c for c in token.children if c.dep_ == "xcomp" and c.i > token.i]
    if not comps:
        return None
    objects = [c for c in token.children if c.dep_ in {"dobj", "obj"} and c.i < comps[0].i]
    first = objects[0].left_edge if objects else comps[0].left_edge
    # "promising to meet and in some cases exceed his goals": conjoined verbs hang off the cue
    after = [c.right_edge for c in token.children if c.i >= comps[0].i and c.dep_ in {"xcomp", "conj", "cc", "prep"}
             and not c.is_punct]
    return _char_span(first, max([comps[0].right_edge, *after], key=lambda t: t.i))


def _prepositional_content(token: Any) -> tuple[int, int] | None:
    lemma = _lemma(token)
    for child in token.rights:  # "calling for the state to act": the parser makes "for" the marker of a clause
        if child.dep_ == "advcl" and child.left_edge.lower_ == "for" and (lemma, "for") in PREP_CUES:
            return _char_span(child.left_edge.doc[child.left_edge.i + 1], child.right_edge)
    for child in token.children:
        if child.dep_ in {"prep", "prt"} and (lemma, child.lower_) in PREP_CUES and child.i > token.i:
            if (lemma, child.lower_) == ("call", "on") and not any(c.dep_ == "xcomp" for c in token.children):
                continue  # "called on the minister" is a visit; "called on Kenya to cut tariffs" a demand
            objects = [c for c in child.children if c.dep_ in {"pobj", "pcomp"}]  # "called for cutting taxes"
            if objects and objects[0].ent_type_ not in {"DATE", "TIME"}:  # "weighed in Friday", "pushed for 2012"
                # "spoke of the potential for A, and for B": a conjoined phrase goes with the first
                more = [c.right_edge for c in token.children if c.i > child.i and (
                    c.dep_ == "xcomp" or c.dep_ == "conj" and c.pos_ == "ADP")]
                last = max([child.right_edge] + more, key=lambda t: t.i)
                return _char_span(objects[0].left_edge, last)
    return None


def _view_as_content(token: Any) -> tuple[int, int] | None:
    """ "Most voters see the plan as unfair", "she views him as a uniter": a verb of viewing with an
    object and "as" gives the source's judgement of the object."""
    if _lemma(token) not in VIEW_AS_VERBS:
        return None
    objects = [c for c in token.children if c.dep_ in {"dobj", "obj"} and c.i > token.i]
    as_phrase = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "as"
                      and objects and c.i > objects[0].i), None)
    if as_phrase is None:
        return None
    return _char_span(objects[0].left_edge, as_phrase.right_edge)


def _nominal_content(token: Any, cue: Cue, spans: list[QuotedSpan]) -> tuple[int, int] | None:
    lemma = _lemma(token)
    objects = [c for c in token.children if c.dep_ in {"dobj", "obj"}]
    if lemma == "call" and objects:  # called it "impressive ...", called Ana Ruiz a "champion"
        edge = objects[0].right_edge
        after = [s for s in spans if 0 <= s.start - (edge.idx + len(edge.text)) <= 40 and s.start < sentence_of(token).end_char]
        complements = [c for c in token.rights if c.dep_ in {"oprd", "xcomp", "ccomp"} and c.i > objects[0].i]
        if objects[0].lower_ in {"it", "this", "that", "them"} and after:
            return after[0].start, after[0].end
        if not (after or complements):
            return None  # "called the police": no judgement reported
        last = max([edge] + [c.right_edge for c in complements], key=lambda t: t.i)
        end = max(last.idx + len(last.text), after[0].end if after else 0)
        return objects[0].left_edge.idx, end
    if not objects or lemma not in nominal_cues():
        return None
    obj = objects[0]
    if noun_lemma(obj) in AUDIENCE_NOUNS or obj.lower_ in AUDIENCE_NOUNS:
        return None  # "addressed the convention", "addressed students": whom one spoke to, not what was said
    if obj.tag_ == "PRP" and not any(c.dep_ in {"prep", "oprd", "xcomp"} for c in token.rights):
        return None  # "praised themselves", "denied it": a pronoun carries no content of its own
    if lemma in {"express", "voice", "convey"} and noun_lemma(obj) not in ATTITUDE_NOUNS and obj.lower_ not in ATTITUDE_NOUNS:
        return None
    first = obj.left_edge
    last = max([_restrictive_edge(obj)] + [c.right_edge for c in token.rights if c.i > obj.i and (
        c.dep_ in {"oprd", "xcomp"} or c.dep_ == "prep" and c.lower_ in ARGUMENT_PREPS)], key=lambda t: t.i)
    return _char_span(first, last)


_WH_RELATIVES = {"which", "who", "whom", "whose"}


def _restrictive_edge(obj: Any) -> Any:
    """The object's last word before a closing aside set off by a comma: "praised the plan, which
    ...", "endorsed the campaign, the latest turn in ...": the aside is the writer's, not what was
    said. An aside inside the phrase ("the President, Ana Ruiz, to visit") stays."""
    doc = obj.doc
    for token in obj.subtree:
        if token.i <= obj.i or token.right_edge.i != obj.right_edge.i or not _aside(token):
            continue
        comma = token.left_edge.i - 1
        if comma > obj.left_edge.i and doc[comma].text == ",":
            return doc[comma - 1]
    return obj.right_edge


def _aside(token: Any) -> bool:
    if token.dep_ == "relcl":
        return token.left_edge.lower_ in _WH_RELATIVES
    return token.dep_ == "appos" or token.dep_ == "acl" and token.tag_ in {"VBG", "VBN"}


def _with_adjuncts(token: Any, content: tuple[int, int]) -> tuple[int, int]:
    """The content stretched over the cue's participle adjuncts: "..., noting that ..."."""
    start, end = content
    for child in token.rights:
        if (child.dep_ in {"advcl", "conj"} and child.tag_ == "VBG" and child.idx >= end and not _has_subject(child)
                and _lemma(child) in cues()):  # "..., looping the streets": what the source did, not said
            start, end = start, max(end, child.right_edge.idx + len(child.right_edge.text))
    end = _before_next_clause(token, start, end)
    text = doc_text(token.doc)
    newline = text.find("\n", start, end)
    if newline > start:
        end = newline  # a statement read from one sentence ends with its paragraph
    return start, _strip_trailing_punct(text, start, end)


_WH_WORDS = frozenset({"how", "why", "what", "whether", "when", "where", "who"})


def _with_coordinated(token: Any, content: tuple[int, int]) -> tuple[int, int]:
    """A phrase or a wh-clause coordinated with what a verb names, which the parser hangs on the verb
    instead: "mentioned cutting fees and raising wages", "stressed fairness, and a need to ...",
    "spoke of the war's legacy, and how the fight went on"."""
    start, end = content
    sentence_end = sentence_of(token).end
    after = next((t.i for t in token.doc[token.i : sentence_end] if t.idx >= end), sentence_end)
    for owner in _up_to_clause(token):
        for child in owner.rights:
            if child.dep_ != "conj" or child.idx < end or not _coordinated_content(child, token):
                continue
            if all(t.dep_ == "cc" or t.text == "," for t in token.doc[after : child.left_edge.i]):
                end = child.right_edge.idx + len(child.right_edge.text)
    return start, end


def _up_to_clause(token: Any) -> list[Any]:
    """The verb and what it hangs from up to its clause's verb ("started off by emphasizing X")."""
    chain = [token]
    while chain[-1].dep_ in {"pcomp", "pobj", "prep"} and chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
    if chain[-1] is not token and chain[-1].pos_ in {"VERB", "AUX"}:
        return chain
    return chain[:1]


def _coordinated_content(conj: Any, cue: Any) -> bool:
    if conj.pos_ in {"NOUN", "PROPN"}:
        return True
    if conj.left_edge.lower_ in _WH_WORDS and conj.pos_ in {"VERB", "AUX"}:
        return True
    return conj.tag_ == "VBG" and cue.tag_ != "VBG" and not _has_subject(conj)  # "mentioned A-ing X and B-ing Y"


def _before_next_clause(token: Any, start: int, end: int) -> int:
    """The content's end before a clause of the writer's joined on with a comma: "X wants to expand
    the port, but critics say ...", "X vowed to cut taxes, and Y is promising ...". A conjoined clause
    with a subject of its own after ", and/but/yet" is a new sentence in all but punctuation; one
    marked by "that" ("said that A, and that B") is still what the source said."""
    import numpy

    doc = token.doc
    starts, _ends = offsets(doc)
    first = max(token.i + 1, bisect_right(starts, start))  # the words inside (start, end), after the cue
    last = min(sentence_of(token).end, bisect_left(starts, end))
    words = word_arrays(doc)[first:last]
    # only a semicolon or a conjunct can end the content: the rest never become Tokens
    marks = (words[:, DEP_COLUMN] == doc.vocab.strings["conj"]) | (words[:, LOWER_COLUMN] == doc.vocab.strings[";"])
    for at in numpy.flatnonzero(marks).tolist():
        clause = doc[first + at]
        if clause.text == ";" and not _inside_quotation(clause):
            return clause.idx  # "A; B": the second clause is the writer's again
        if _joined_clause(clause):
            joint = clause.left_edge.i - 1
            while joint > token.i and doc[joint].dep_ == "cc":
                joint -= 1
            if doc[joint].text == "," and doc[joint].idx > start:
                return doc[joint].idx
        elif _reporting_conjunct(clause) is not None and clause.head.i != token.i:
            joint = clause.i - 1  # "said A and warned that B": the source's second statement
            while joint > token.i and (doc[joint].dep_ == "cc" or doc[joint].text == ","):
                joint -= 1
            return max(start, doc[joint].idx + len(doc[joint].text))
    return end


def _inside_quotation(token: Any) -> bool:
    sentence = sentence_of(token)
    at = token.idx - sentence.start_char
    return any(s.start <= at < s.end for s in quoted_spans(doc_text(token.doc)[sentence.start_char : sentence.end_char]))


def _joined_clause(token: Any) -> bool:
    """A verb conjoined to another, with its own subject and no "that" before it."""
    if token.dep_ != "conj" or token.pos_ not in {"VERB", "AUX"}:
        return False
    return (_has_subject(token) and not any(c.dep_ == "mark" for c in token.children)
            and token.left_edge.dep_ in SUBJECTS | {"det", "compound", "amod", "poss", "nummod"})


def _reporting_conjunct(token: Any) -> Any | None:
    """The cue a subjectless speech verb is conjoined to through its content: in "X said A would
    reopen and warned that B" the parser joins "warned" to "reopen", but X warned. Only a verb that
    reports a clause or a prepositional content ("warned against delays") counts; "... and opened a
    plant" stays what X said. Returns the governing cue."""
    if token.dep_ != "conj" or token.pos_ != "VERB" or _has_subject(token) or token.i < token.head.i:
        return None
    cue = cues().get(_lemma(token))
    if cue is None or cue.category != "speech" or not (comps_of(token) or _prepositional_content(token)):
        return None
    content = token.head
    if content.dep_ not in {"ccomp", "xcomp"} or content.head.pos_ not in {"VERB", "AUX"}:
        return None
    governing = content.head
    return governing if cues().get(_lemma(governing)) is not None else None


def _has_subject(verb: Any) -> bool:
    return any(c.dep_ in SUBJECTS for c in verb.children)


def _from_according(token: Any) -> _Found | None:
    """ "According to X, CONTENT" and "CONTENT, according to X"."""
    if token.lower_ != "according" or token.i + 2 >= len(token.doc) or token.doc[token.i + 1].lower_ != "to":
        return None
    objects = [c for c in token.doc[token.i + 1].children if c.dep_ == "pobj"]
    if not objects:
        return None
    source = objects[0]
    sent = sentence_of(token)
    phrase_end = source.right_edge.i + 1
    if token.i == sent.start or (token.i > sent.start and token.doc[token.i - 1].is_punct and token.i - sent.start <= 2):
        rest = token.doc[phrase_end:sent.end]
        rest = rest[1:] if len(rest) and rest[0].text == "," else rest
    else:
        rest = token.doc[sent.start : token.i]
    if len(rest) < 3:
        return None
    start, end = rest.start_char, _strip_trailing_punct(doc_text(token.doc), rest.start_char, rest.end_char)
    return _Found(start, end, token, source, "indirect")


@lru_cache(maxsize=1)
def statement_nouns() -> frozenset[str]:
    return frozenset(r["noun"] for r in read_table("statement_nouns.tsv"))


def _from_statement_noun(token: Any) -> _Found | None:
    """ "the senator's claim that CONTENT", "a warning from the ministry that CONTENT": the owner of
    a statement noun said the that-clause."""
    if noun_lemma(token) in STANCE_NOUNS:
        topical = _from_stance_noun(token)
        if topical is not None:
            return topical
    if noun_lemma(token) not in statement_nouns() | INTENT_NOUNS:
        return None
    clause = next((c for c in token.rights if c.dep_ in {"acl", "ccomp"} and c.left_edge.lower_ == "that"
                   and c.left_edge.dep_ == "mark"), None)
    if clause is None and noun_lemma(token) in INTENT_NOUNS:  # "the senator's determination to act alone"
        clause = _infinitive_of(token)
    if clause is None:
        return None
    owner = next((c for c in token.children if c.dep_ == "poss"), None)
    if owner is None:
        owner = next((g for c in token.children if c.dep_ == "prep" and c.lower_ in {"by", "from"} and c.i < clause.i
                      for g in c.children if g.dep_ == "pobj"), None)
    if owner is None:
        return None
    start, end = clause.left_edge.idx, clause.right_edge.idx + len(clause.right_edge.text)
    return _Found(start, _strip_trailing_punct(doc_text(token.doc), start, end), token, owner, "indirect",
                  needs_speaker=noun_lemma(token) not in statement_nouns())


def _from_stance_noun(token: Any) -> _Found | None:
    """ "the senator's criticism of the plan", "X made comments about the vote", "X launched an attack
    on Y": a noun of saying with what it is about; its owner, or the subject of the light verb that
    has it as object, is the source."""
    prep = next((c for c in token.rights if c.dep_ == "prep" and c.lower_ in _TOPIC_PREPS), None)
    objects = [c for c in prep.children if c.dep_ in {"pobj", "pcomp"}] if prep is not None else []
    if not objects or objects[0].ent_type_ in {"DATE", "TIME"}:  # "remarks on Saturday"
        return None
    owner = next((c for c in token.children if c.dep_ == "poss"), None)
    if owner is None and token.dep_ in {"dobj", "obj"} and verb_lemma(token.head, LIGHT_VERBS) is not None:
        owner = subject_of(token.head)
    if owner is None or owner.lower_ in {"it", "its", "this", "that", "which"}:
        return None
    topic = objects[0]
    last = max([topic] + [c.right_edge for c in topic.rights if c.dep_ not in {"relcl", "acl", "punct"}],
               key=lambda t: t.i)  # "the plan angered farmers" misparsed as a clause of "plan" is not the topic
    start, end = _char_span(topic.left_edge, last)
    return _Found(start, end, token, owner, "indirect", needs_speaker=True)


_TOPIC_PREPS = {"of", "on", "about", "against"}


def _infinitive_of(token: Any) -> Any | None:
    """The to-infinitive clause a word takes: "determination to act", "willing to go forward"."""
    return next((c for c in token.rights if c.dep_ in {"acl", "xcomp", "relcl"} and c.pos_ in {"VERB", "AUX"}
                 and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)), None)


def _from_attitude_adjective(token: Any) -> _Found | None:
    """ "X is worried that ...", "X was sure the bill would pass", "X is concerned about ...", "X is
    determined to ...": the subject of a state of mind holds what the clause says."""
    if token.lower_ not in ATTITUDE_ADJECTIVES:
        return None
    if token.dep_ != "acomp" or token.head.pos_ not in {"AUX", "VERB"}:
        return None
    content = next((c for c in token.rights if c.dep_ == "ccomp"), None)
    if content is None and token.lower_ not in RAISING_ADJECTIVES:  # "the road is sure to flood" holds no view
        content = _infinitive_of(token)
    if content is None:
        return None  # "worried about a rise in tariffs" names a concern, not what the holder says
    first = content.left_edge
    subject = subject_of(token.head)
    if subject is None or subject.lower_ in {"it", "there", "this", "that"}:
        return None  # "it is certain that ..." holds no one's view
    start, end = first.idx, content.right_edge.idx + len(content.right_edge.text)
    return _Found(start, _strip_trailing_punct(doc_text(token.doc), start, end), token, subject, "indirect",
                  needs_speaker=True)


@lru_cache(maxsize=1)
def finding_nouns() -> frozenset[str]:
    return frozenset(r["noun"] for r in read_table("finding_nouns.tsv"))


def _from_finding(token: Any) -> _Found | None:
    """ "In the latest poll, CONTENT" / "CONTENT in the new survey": a record's finding, when the
    clause it frames has no speech verb of its own."""
    prep, sent = token.head, sentence_of(token)
    if (noun_lemma(token) not in finding_nouns() or token.dep_ != "pobj" or prep.lower_ != "in"
            or prep.head.dep_ != "ROOT" or _is_cue_verb(prep.head) or cues().get(_lemma(prep.head)) is not None):
        return None
    doc = token.doc
    if prep.i == sent.start:  # "In the latest poll, CONTENT"
        after = token.right_edge.i + 1
        if after >= sent.end or doc[after].text != ",":
            return None
        first, last = doc[after + 1], doc[sent.end - 1]
    elif prep.i > prep.head.i and token.right_edge.i >= sent.end - 2:  # "CONTENT in the new survey."
        first, last = doc[sent.start], doc[prep.i - 1]
    else:
        return None
    start, end = first.idx, last.idx + len(last.text)
    end = _strip_trailing_punct(doc_text(doc), start, end)
    while end > start and doc_text(doc)[end - 1] in ".!?":
        end -= 1
    if len(doc_text(doc)[start:end].split()) < 3:
        return None
    return _Found(start, end, prep, token, "indirect")


_CUE_POS = ("VERB", "AUX", "NOUN", "ADJ")  # the parts of speech a statement's cue can be, besides "according"


def _outer_clauses_first(doc: Any) -> list[Any]:
    """The tokens that can be cues, by depth in their tree, then position: outer clauses before the
    clauses they embed. In "A agreed to B, X announced" the statement is X's, and the cue inside its
    content ("agreed") is part of what X reports. Depths and candidates come from the parse's arrays
    (a Token object or a Python int per word costs more); only the candidates become Tokens."""
    import numpy

    if not len(doc):
        return []
    words = word_arrays(doc)
    candidate = one_of(words[:, POS_COLUMN], doc, _CUE_POS) | (words[:, LOWER_COLUMN] == doc.vocab.strings["according"])
    position = numpy.arange(len(doc))
    head = position + words[:, HEAD_COLUMN].astype("int64")  # offsets, stored unsigned
    depth = numpy.zeros(len(doc), dtype="int64")
    here = position
    for _ in range(len(doc)):  # one step up the tree for every word at once, until all reach a root
        up = head[here]
        moved = up != here
        if not moved.any():
            break
        depth += moved
        here = up
    found = numpy.flatnonzero(candidate)
    return [doc[int(i)] for i in found[numpy.lexsort((found, depth[found]))]]


def _merge_into_governing(found: list[_Found], statement: _Found, token: Any) -> bool:
    """ "X expressed willingness to ..., adding that ...": one indirect statement, not two."""
    if token.tag_ != "VBG" or token.dep_ not in {"advcl", "conj"} or _has_subject(token):
        return False  # ", and Y is promising ...": another source's statement
    for last in found:
        if last.kind == "indirect" and last.cue.i == token.head.i and statement.start >= last.start:
            last.end = max(last.end, statement.end)
            return True
    return False


# --- quote-led statements -------------------------------------------------------------------------


def _from_quoted_span(doc: Any, span: QuotedSpan, previous: _Found | None,
                      spans: list[QuotedSpan] = ()) -> _Found | None:
    text = doc_text(doc)
    said = _cue_just_before(doc, span)
    if span.words(text) < _MIN_DIRECT_WORDS or _is_title(doc, span, after_cue=said is not None):
        return None
    if said is not None:
        return _Found(span.start, _strip_trailing_punct(text, span.start, span.end), said, subject_of(said), "direct")
    if span.words(text) < _FRAGMENT_WORDS and not _stands_alone(text, span):
        return None  # 'was "duped" by': a fragment inside someone's sentence, not a quotation of its own
    for cue_token in _cues_near(doc, span):
        subject = _subject_outside(cue_token, span)
        if subject is not None and not span.start <= subject.idx < span.end:  # "We" inside the quote is no source
            mixed = _mixed_content(cue_token, span, spans)
            if mixed is not None:
                return _Found(mixed[0], mixed[1], cue_token, subject, "indirect")
            return _Found(span.start, _strip_trailing_punct(text, span.start, span.end), cue_token, subject, "direct")
    said_this = _said_this_after(doc, span)
    if said_this is not None:
        return _Found(span.start, _strip_trailing_punct(text, span.start, span.end), said_this, subject_of(said_this),
                      "direct")
    signed = _signature(doc, span)
    if signed is not None:
        return _Found(span.start, _strip_trailing_punct(text, span.start, span.end), signed[0], signed[1], "direct")
    if span.continues and previous is not None:
        return _Found(span.start, _strip_trailing_punct(text, span.start, span.end), previous.cue, previous.subject,
                      "direct", previous.speaker_text)
    return None


def _cue_just_before(doc: Any, span: QuotedSpan) -> Any | None:
    """ 'Protesters chanted "No more cuts!"', 'she shouted, "Stop!"': a quotation that opens right after
    a speech verb (a comma or colon between at most) is what the verb's subject said, however short."""
    opening = doc.char_span(span.start, span.end, alignment_mode="expand")
    if opening is None:
        return None
    i = opening.start - 1
    while i >= 0 and (doc[i].is_quote or doc[i].text in {",", ":"}):
        i -= 1
    verb = doc[i] if i >= 0 else None
    if verb is None or not _is_cue_verb(verb) or verb_lemma(verb, LABEL_VERBS) is not None or sentence_of(verb) != sentence_of(opening[0]):
        return None
    subject = subject_of(verb)
    return verb if subject is not None and subject.i < verb.i else None


_MIXED_MIN_WORDS = 3  # words of the reporter's own around the quoted ones that make a statement mixed


def _mixed_content(cue: Any, span: QuotedSpan, spans: Iterable[QuotedSpan]) -> tuple[int, int] | None:
    """ 'X claimed that fraud is "a big problem" in the state': the quoted words sit inside the clause
    the cue before them reports; the statement is that whole clause (a mixed quote), not the words."""
    if cue.idx >= span.start:
        return None
    content = _clausal_content(cue) or _infinitive_content(cue)
    if content is None:
        return None
    text = doc_text(cue.doc)
    start, end = _with_adjuncts(cue, content)
    if end < span.start and _words(text[end : span.start]) <= _JOINING_WORDS and span.end <= sentence_of(cue).end_char:
        end = _strip_trailing_punct(text, span.start, span.end)  # "memories of her father, and of "all the ...""
    if not (start <= span.start and span.end <= end + 1):
        return None
    own = len(text[start : span.start].split()) + len(text[span.end : end].split())
    if own < _MIXED_MIN_WORDS:
        return None
    sentence_end = sentence_of(cue).end_char
    for other in spans:  # '... is "a big problem" but "nobody talks about it."': the next quoted part goes with it
        if end <= other.start < sentence_end and _words(text[end : other.start]) <= _JOINING_WORDS:
            end = _strip_trailing_punct(text, other.start, other.end)
    return start, end


def _words(text: str) -> int:
    return sum(1 for w in text.split() if any(c.isalnum() for c in w))


_JOINING_WORDS = 3  # '" but "', '", and of "': words that join two quoted parts of one clause


def _subject_outside(cue: Any, span: QuotedSpan) -> Any | None:
    """The cue's subject outside the quotation: in '"... Full panic mode," said Ana Ruiz' the parser
    gives "said" two subjects, one of them inside the quoted words."""
    outside = [c for c in cue.children if c.dep_ in SUBJECTS and not span.start <= c.idx < span.end]
    inside = any(c.dep_ in SUBJECTS and span.start <= c.idx < span.end for c in cue.children)
    if inside and outside:
        return next((c for c in outside if c.ent_type_ or c.pos_ == "PROPN"), outside[0])
    return subject_of(cue)


_SIGNATURE = re.compile(r"[”\"']?[ \t]*([―—–])[ \t]*([A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){0,3})")  # one line


def _signature(doc: Any, span: QuotedSpan) -> tuple[Any, Any] | None:
    """ '"We are afraid." ― Ana Ruiz': a quotation signed with a dash; (dash token, name token)."""
    match = _SIGNATURE.match(doc_text(doc), span.end)
    if match is None:
        return None
    dash = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
    name = doc.char_span(match.start(2), match.end(2), alignment_mode="expand")
    if dash is None or name is None:
        return None
    words = [t for t in name if not t.is_punct]  # "― Ana Ruiz." ends with the name, not the stop
    return (dash[0], words[-1]) if words else None


def _said_this_after(doc: Any, span: QuotedSpan) -> Any | None:
    """ '"We will open the plant." Ruiz said this at a dinner': the next sentence's cue, when its
    object points back at the quotation."""
    tail = doc.char_span(span.end, min(span.end + 1, len(doc_text(doc))), alignment_mode="expand")
    if tail is None or sentence_of(tail[-1]).end >= len(doc):
        return None
    sent = sentence_of(tail[-1])
    following = sentence_of(doc[sent.end]) if sent.end_char <= span.end + 3 else sent
    for token in following:
        if token.idx < span.end:
            continue
        if _is_cue_verb(token):
            objects = [c for c in token.children if c.dep_ in {"dobj", "advmod"} and c.lower_ in _BACK_POINTERS]
            return token if objects and subject_of(token) is not None else None
    return None


_BACK_POINTERS = {"this", "so", "these", "that"}


def _anaphoric_statement(token: Any) -> _Found | None:
    """ "Half of the voters said so", "the mayor said as much", "X said the same of Y": a strong
    speech verb whose object stands for what was said before is a statement of its own (the object
    is its content), unless a quotation already took the verb as its cue."""
    if token.pos_ not in {"VERB", "AUX"} or _lemma(token) not in SAY_CUES or _is_passive_or_participle(token):
        return None
    if _quoted_as(token) is not None or _after_quotation(token):
        return None  # "A statement quotes Mr Huang as saying so": "so" is the quotation before, already his
    word = next((c for c in token.children if c.i > token.i and c.dep_ in {"dobj", "obj", "advmod", "npadvmod"}
                 and _anaphoric(c)), None)
    subject = subject_of(token)
    if word is None or subject is None:
        return None
    last = max([word.right_edge] + [c.right_edge for c in token.rights if c.i > word.i and c.dep_ == "prep"
                                    and c.lower_ in {"of", "for", "about"}], key=lambda t: t.i)
    start, end = _char_span(word.left_edge, last)
    return _Found(start, end, token, subject, "indirect", nominal=True)


def _after_quotation(token: Any) -> bool:
    """The sentence of the token follows a sentence that ends with a quotation mark."""
    before = doc_text(token.doc)[: sentence_of(token).start_char].rstrip()
    return before.endswith(('"', "”", "''"))


def _anaphoric(word: Any) -> bool:
    """ "so", "as much", "the same (thing)": a word that stands for something said."""
    lower = word.lower_
    if lower == "so":
        return True
    if lower == "much":
        return any(c.lower_ == "as" for c in word.children)
    return lower == "same" and any(c.lower_ == "the" for c in word.children) or (
        word.pos_ == "NOUN" and any(c.lower_ == "same" for c in word.children))
_STATEMENT_NOUNS = {"announcement", "statement", "remark", "comment", "declaration", "observation", "assertion"}


def _stands_alone(text: str, span: QuotedSpan) -> bool:
    """The quotation opens its sentence or follows a colon: '"Why?" she asked', 'She said: "No."'."""
    before = text[: span.start].rstrip(' "“\u0000\'`')
    return not before or before[-1] in '.!?:\n'


def _is_title(doc: Any, span: QuotedSpan, after_cue: bool = False) -> bool:
    """ "Fox News Sunday", "The Apprentice": a short quoted name, not a statement. Right after a speech
    verb a phrase without a verb is still said ('chanted "No more cuts!"'); a capitalised one is a title
    ('wrote "The Long Road"')."""
    words = doc_text(doc)[span.start : span.end].split()
    if len(words) > 6:
        return False
    tokens = doc.char_span(span.start, span.end, alignment_mode="expand")
    has_verb = tokens is not None and any(t.pos_ in {"VERB", "AUX"} for t in tokens)
    capitalised = all(w[:1].isupper() or w.lower() in {"of", "the", "and", "a", "in", "on", "for"} for w in words)
    return capitalised or not (has_verb or after_cue)


def _goes_on(text: str, previous: _Found, span: QuotedSpan) -> bool:
    """ "A," said X. "B." -- or a new paragraph that opens by going on quoting: B is X's too."""
    if previous.kind != "direct" or previous.cue is None:
        return False
    if span.continues and span.start - previous.end < 12:
        return True
    between = text[previous.end : span.start]
    cue_between = previous.end <= previous.cue.idx < span.start
    doc = previous.cue.doc
    gap = doc.char_span(previous.end, span.start, alignment_mode="expand") if span.start > previous.end else None
    if any(_is_cue_verb(t) and t.i != previous.cue.i and not _complete_adjunct(t, previous.cue, span)
           and not _describes_source(t) for t in gap or ()):
        return False  # '"A," she said, adding, "B."': B has its own cue
    if any(_clause_of_its_own(t, previous.cue) for t in gap or ()):
        return False  # '"A," she said, but her aides were less kind. "B."': a clause of its own stands between
    cue_sentence = sentence_of(previous.cue)
    if any(not (t.is_punct or t.is_space) and not cue_sentence.start <= t.i < cue_sentence.end for t in gap or ()):
        return False  # '"A," said X. Y disagreed. "B."': another sentence stands between
    rest = _CONJUNCTION_AT_END.sub("", between.rstrip(' “"\'`\u0000'))  # '"A," he said, but "B."'
    return "\n" not in between and cue_between and len(between) < _MAX_GAP and rest.endswith((".", ",", ":"))


_MAX_GAP = 320  # characters between two pieces of one quotation: the source, its description, when and where


def _clause_of_its_own(token: Any, cue: Any) -> bool:
    """A verb with a subject of its own that is neither the cue nor a relative clause describing the
    source ("said Ana Ruiz, who heads the institute")."""
    if token.i == cue.i or token.pos_ not in {"VERB", "AUX"} or token.dep_ not in {"conj", "ROOT", "parataxis"}:
        return False  # "said after the witness failed to show up" is a circumstance of the statement
    if cue.left_edge.i <= token.i < cue.i or any(a.dep_ in _SUBORDINATE for a in token.ancestors):
        return False
    return any(c.dep_ in SUBJECTS for c in token.children)


def _describes_source(token: Any) -> bool:
    """A verb in a relative clause or a noun's modifier ("said Ana Ruiz, a lawyer who has challenged
    the plan"): it tells who the source is, it does not open a statement."""
    return token.dep_ in {"relcl", "acl"} or any(a.dep_ in {"relcl", "acl", "appos"} for a in token.ancestors)


_SUBORDINATE = {"relcl", "acl", "appos", "advcl", "prep", "pobj", "pcomp"}


_CONJUNCTION_AT_END = re.compile(r"\s+(?:but|and|then|adding)$")


def _complete_adjunct(token: Any, cue: Any, span: QuotedSpan) -> bool:
    """ "A," X said, referring to the plan, "B.": a participle of the cue with its own object before
    the next quotation describes the statement; it does not open a new one ("adding, "B."" does)."""
    if token.tag_ != "VBG" or token.dep_ not in {"advcl", "xcomp", "conj", "acl"} or token.i < cue.i:
        return False  # "said Ruiz, speaking of" is parsed as a clause of the cue, of its subject or of the quotation
    if any(c.dep_ in SUBJECTS for c in token.children):
        return False
    last = token.right_edge
    return last.idx < span.start and any(c.dep_ in {"dobj", "obj", "prep", "ccomp"} for c in token.children)


def _cues_near(doc: Any, span: QuotedSpan) -> Iterable[Any]:
    """Cue verbs outside the quotation: after it in the sentence where it ends, then before it."""
    end_sent = doc.char_span(span.end - 1, span.end, alignment_mode="expand")
    start_sent = doc.char_span(span.start, span.start + 1, alignment_mode="expand")
    if end_sent is not None:
        sent = sentence_of(end_sent)
        for token in sent:
            if token.idx >= span.end and token.text not in {'"', "”", "“"}:
                if _is_cue_verb(token):
                    yield token
                elif token.text in {'"', "“"} or token.is_sent_end and token.idx > span.end + 80:
                    break
        following = _attribution_sentence_after(doc, sent, span)
        if following is not None:
            yield following
    if start_sent is not None:
        sent = sentence_of(start_sent)
        before = [t for t in reversed(list(sent)) if t.idx < span.start - 1 and _is_cue_verb(t)]
        governing = _ancestors(start_sent[0])
        # 'X said the mission would address the "...": the outermost cue the quotation hangs from
        yield from sorted(before, key=lambda t: (t.i not in governing, governing.get(t.i, 0)))


_SHORT_ATTRIBUTION = 8  # tokens: "the senator shouted on Monday."
_CUE_OPENS = 4  # a longer sentence after the quotation attributes it when its cue is among its first tokens


def _attribution_sentence_after(doc: Any, sent: Any, span: QuotedSpan) -> Any | None:
    """ '"Why?" Ruiz asked.': the parser ends the sentence at the question or exclamation mark; the
    short sentence after it that is only a source and a cue attributes the quotation."""
    if sent.end >= len(doc) or sent.end_char > span.end + 2:
        return None
    following = sentence_of(doc[sent.end])
    root = following.root
    if following[0].text in {'"', "“", "''", "``"}:
        return None
    if len(following) > _SHORT_ATTRIBUTION:  # '"You winning?" she said, but he was drifting off': the cue opens it
        root = next((t for t in following[:_CUE_OPENS] if _is_cue_verb(t) and t.i > following.start), None)
        if root is None or not any(c.dep_ in SUBJECTS and c.i < root.i for c in root.children):
            return None
    if not _is_cue_verb(root):
        return None
    if any(c.dep_ in {"ccomp", "xcomp", "dobj", "obj"} and not (c.dep_ == "dobj" and c.pos_ == "PROPN")
           for c in root.children):
        return None  # "Ruiz asked the court for time": the sentence says something of its own
    return root


def _ancestors(token: Any) -> dict[int, int]:
    """Token index -> minus its height above `token`, for every head above it (outermost first when sorted)."""
    out: dict[int, int] = {}
    height = 0
    while token.head.i != token.i and height < 50:
        token, height = token.head, height + 1
        out[token.i] = -height
    return out


def _next_to_quote(token: Any, spans: list[QuotedSpan]) -> bool:
    return any(abs(token.idx - s.start) < 40 or abs(token.idx - s.end) < 40 for s in spans)


def _is_cue_verb(token: Any) -> bool:
    return token.pos_ in {"VERB", "AUX"} and _lemma(token) in cues()


# --- speakers -------------------------------------------------------------------------------------


def _quotes(found: list[_Found], document: Document, resolver: Resolver) -> list[Quote]:
    text = document.article.text
    speakers = []
    before = len(document.entities)
    for item in sorted(found, key=lambda f: f.start):
        if item.nominal and _is_it(item.subject):
            continue  # "it proposes to ...", "it underscored ...": too vague to be anyone's statement
        if not any(c.isalpha() for c in text[item.start : item.end]):
            continue  # a stray quotation mark is no content
        if (item.kind == "indirect" and item.subject is None and item.speaker_text is None and not item.parts
                and item.cue is not None and item.cue.tag_ in {"VBG", "VBN", "VB"}):
            continue  # "assuming that ...", "knowing how ...": a participle with no one who says it
        speaker, speaker_text = _speaker(item, resolver, document)
        if item.needs_speaker and speaker is None:
            continue  # "its plans to ...", "the minister is optimistic that ...": whose, the text does not say
        if item.nominal and (speaker is None or _is_occasion(item.subject)) and not _may_report(item.subject):
            continue  # "The event underscored its rise": an event does not speak
        speakers.append((item, speaker, speaker_text))
    if len(document.entities) != before:
        renumber_entities(document)  # sources that speak were added: ids in order of first mention again
    quotes = []
    for n, (item, speaker, speaker_text) in enumerate(speakers, start=1):
        content = text[item.start : item.end]
        kind = _kind(item, text, content)
        quotes.append(
            Quote(
                id=f"q{n}",
                text=content,
                start=item.start,
                end=item.end,
                speaker=speaker.id if speaker else None,
                speaker_text=speaker_text,
                cue=item.cue.text if item.cue is not None else None,
                kind=kind,
                stance=stance_of(content),
                spans=[Span(a, b) for a, b in item.parts or []],
            )
        )
    return quotes


def _speaker(item: _Found, resolver: Resolver, document: Document) -> tuple[Any, str | None]:
    subject = item.subject
    if subject is None:
        return None, item.speaker_text
    antecedent = _antecedent(subject)
    if antecedent is not None:  # "a study, which found ...": the study speaks, and "which" names it
        entity = _entity_of(antecedent, item, resolver, document)
        if entity is not None and (entity.type in {"PERSON", "GROUP"} or subject.lower_ not in {"who", "whom"}):
            entity = resolver.full_person(entity, antecedent.idx)
            resolver.add_entity_mention(entity, subject.idx, subject.idx + len(subject.text), subject.text)
            return entity, item.speaker_text or subject.text
    entity = _entity_of(subject, item, resolver, document)
    words = subject.doc[_subject_left(subject) : subject.i + 1]
    if entity is not None:
        full = resolver.full_person(entity, subject.idx)
        if full is not entity:  # the word that names the speaker becomes a mention of the full-named one
            resolver.add_entity_mention(full, words.start_char, words.end_char, words.text)
        entity = full
        relative = _relative_subject(item.cue, subject)
        if relative is not None:  # "the Tribune, which reported": "which" names the Tribune there
            resolver.add_entity_mention(entity, relative.idx, relative.idx + len(relative.text), relative.text)
    return entity, item.speaker_text or words.text


def _relative_subject(cue: Any, subject: Any) -> Any | None:
    """The relative pronoun that is the cue's own subject when the parse gave its antecedent."""
    if cue is None or cue.dep_ != "relcl" or cue.head.i != subject.i:
        return None
    return next((c for c in cue.children if c.dep_ in SUBJECTS and c.lower_ in _RELATIVE_PRONOUNS), None)


_RELATIVE_PRONOUNS = {"who", "which", "that", "whom"}


def _antecedent(subject: Any) -> Any | None:
    """The noun a relative pronoun subject stands for: "the senator, who said ..." -> senator."""
    head = subject.head
    if subject.lower_ in _RELATIVE_PRONOUNS and head.dep_ == "relcl" and head.head.pos_ in {"NOUN", "PROPN"}:
        return head.head
    return None


def _entity_of(subject: Any, item: _Found, resolver: Resolver, document: Document) -> Any:
    """The entity a subject token names: one found there, resolved, or a source made for it."""
    entity = resolver.entity_at(subject.idx, subject.idx + len(subject.text))
    if entity is None:
        entity = resolver.resolve(subject)
    if entity is None and subject.lower_ == "it":
        entity = resolver.resolve_it(subject)
    if entity is None and _definite_title(subject):
        entity = resolver.only_person_before(subject.idx)  # "said the Governor", no one called governor
        if entity is not None:
            resolver.add_entity_mention(entity, subject.idx, subject.idx + len(subject.text), subject.text)
    if entity is None and subject.text == "I" and resolver.outside_quotes(subject.idx):
        entity = sources.author_entity(subject, document, resolver)  # "I think ...": the writer speaks
    if entity is None and subject.pos_ != "PRON":
        reports = item.cue is not None and _lemma(item.cue) in MEDIA_CUES
        entity = sources.source_entity(subject, document, resolver, reports)
    if entity is None and (subject.pos_ == "NOUN" or titles().is_title_word(subject.lower_)):
        # "A veteran of the trade, Ana Ruiz said", "Trade Secretary, Ana Ruiz has said"
        last = max([subject] + [c.right_edge for c in subject.rights if c.dep_ not in {"conj", "cc"}], key=lambda t: t.i)
        tree = subject.left_edge.idx, last.idx + len(last.text)  # "Both the minister and the envoy": the first
        after = tree[1] + 3  # "Trade Secretary, Ana Ruiz": the name set off right after the title
        entity = resolver.entity_at(tree[0], after, types={"PERSON"}) or resolver.entity_at(*tree, types={"ORG", "GROUP"})
    return entity


def _definite_title(subject: Any) -> bool:
    """ "the Governor", "the President": a title alone, with "the", naming one person."""
    return titles().is_title_word(subject.lower_) and subject.tag_ in {"NN", "NNP"} \
        and any(c.lower_ == "the" for c in subject.children) \
        and not any(c.dep_ in {"compound", "amod", "nmod", "poss", "prep"} for c in subject.children)


def _subject_left(subject: Any) -> int:
    left = subject.i
    for child in subject.lefts:
        if child.dep_ in {"compound", "det", "amod", "poss", "nmod"}:
            left = min(left, child.left_edge.i)
    return left


def _kind(item: _Found, text: str, content: str) -> str:
    if item.kind == "direct":
        return "direct"
    quoted = sum(s.end - s.start for s in quoted_spans(content))
    if not quoted:
        return "indirect"
    return "direct" if quoted >= _DIRECT_SHARE * len(content.strip(' "“”,.')) else "mixed"


# --- helpers --------------------------------------------------------------------------------------


def _char_span(first: Any, last: Any) -> tuple[int, int]:
    return first.idx, last.idx + len(last.text)


def _strip_trailing_punct(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in " ,;:":
        end -= 1
    return end


class _Claimed:
    """The spans statements have taken so far, looked up by offset in logarithmic time: a long
    text has thousands of them, and every word is checked against them."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._spans: list[tuple[int, int]] = []
        self._starts: list[int] = []
        self._longest = 0
        self += spans

    def append(self, span: tuple[int, int]) -> None:
        at = bisect_right(self._starts, span[0])
        self._spans.insert(at, span)
        self._starts.insert(at, span[0])
        self._longest = max(self._longest, span[1] - span[0])

    def __iadd__(self, spans: Iterable[tuple[int, int]]) -> _Claimed:
        for span in spans:
            self.append(span)
        return self

    def near(self, start: int, end: int) -> list[tuple[int, int]]:
        """Every span that can overlap [start, end)."""
        return self._spans[bisect_left(self._starts, start - self._longest) : bisect_left(self._starts, end)]


def _overlaps(item: _Found, spans: _Claimed) -> bool:
    """More than half of the statement is already another quote."""
    size = max(1, item.end - item.start)
    return any(min(item.end, b) - max(item.start, a) > size / 2 for a, b in spans.near(item.start, item.end))


def _inside(offset: int, spans: _Claimed) -> bool:
    return any(a <= offset < b for a, b in spans.near(offset, offset + 1))


OCCASION_NOUNS = _quote_words("occasion")  # they happen, they do not report (unlike a report or a poll)


def _is_occasion(subject: Any | None) -> bool:
    return subject is not None and noun_lemma(subject) in OCCASION_NOUNS


def _is_record(subject: Any | None) -> bool:
    """A document, poll or medium ("the audit", "a new poll", "leaked emails"): what it finds or shows
    is reported."""
    return (subject is not None and subject.pos_ == "NOUN"
            and (sources.source_nouns().get(noun_lemma(subject)) == "SOURCE" or noun_lemma(subject) in RECORD_NOUNS
                 or subject.lower_ in RECORD_NOUNS))


def _is_it(subject: Any | None) -> bool:
    return subject is not None and subject.lower_ == "it"


def _may_report(subject: Any | None) -> bool:
    """A subject that can be the source of a nominal statement: anything but an occasion or "it"."""
    if subject is None or subject.lower_ in {"it", "this", "that", "there"}:
        return False
    return noun_lemma(subject) not in OCCASION_NOUNS

