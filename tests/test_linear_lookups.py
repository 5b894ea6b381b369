"""The lookups that replaced whole-list scans (so that a long text costs time in proportion to its
length) answer exactly what the scans answered: each is checked against the scan on random spans."""

from __future__ import annotations

import random

import parley
from parley.analysis import affiliation, coref, dates, quotes


def _random_spans(rng: random.Random, n: int, width: int = 200) -> list[tuple[int, int]]:
    spans = []
    for _ in range(n):
        start = rng.randrange(0, width)
        spans.append((start, start + rng.randrange(1, 30)))
    return spans


def test_claimed_spans_answer_as_a_scan_does() -> None:
    rng = random.Random(7)
    for _ in range(50):
        spans = _random_spans(rng, rng.randrange(0, 25))
        claimed = quotes._Claimed(spans[:5])
        claimed += spans[5:]
        for offset in range(0, 240, 3):
            assert quotes._inside(offset, claimed) == any(a <= offset < b for a, b in spans)
        for start, end in _random_spans(rng, 20):
            item = quotes._Found(start, end, None, None, "direct", None)
            size = max(1, end - start)
            expected = any(min(end, b) - max(start, a) > size / 2 for a, b in spans)
            assert quotes._overlaps(item, claimed) == expected


def test_outermost_drops_exactly_the_statements_inside_another() -> None:
    rng = random.Random(11)
    for _ in range(200):
        found = [quotes._Found(a, b, None, None, "direct", None) for a, b in _random_spans(rng, rng.randrange(0, 20))]
        for f in found:
            if rng.random() < 0.3 and f.end - f.start > 4:  # an interrupted quotation: two pieces
                cut = rng.randrange(f.start + 1, f.end - 2)
                f.parts = [(f.start, cut), (cut + 2, f.end)]

        def inside(f: quotes._Found, o: quotes._Found) -> bool:
            return any(a <= f.start and f.end <= b for a, b in o.parts or [(o.start, o.end)])

        expected = [f for f in found if not any(o is not f and inside(f, o) and (o.start, o.end) != (f.start, f.end)
                                                for o in found)]
        assert quotes._outermost(found) == expected


def test_date_selection_keeps_the_same_disjoint_candidates_as_a_scan() -> None:
    rng = random.Random(3)
    spec = dates.parse("March 3, 2025")
    for _ in range(50):
        found = [dates._Found(a, b, spec, from_spacy=bool(rng.randrange(2))) for a, b in _random_spans(rng, 15)]
        ordered = sorted(found, key=lambda f: (f.spec.kind == "fallback", f.start - f.end, not f.from_spacy, f.start))
        kept: list = []
        for f in ordered:
            if all(f.end <= k.start or k.end <= f.start for k in kept):
                kept.append(f)
        assert dates._select(list(found)) == sorted(kept, key=lambda f: f.start)


def test_spans_starting_in_a_range_leave_out_excluded_ones() -> None:
    spans = affiliation.Spans([(0, 4), (5, 9), (10, 14), (20, 24)])
    assert spans.starting_in(5, 20) == [(5, 9), (10, 14)]
    assert spans.without([(10, 14)]).starting_in(5, 21) == [(5, 9), (20, 24)]
    assert spans.starting_in(30, 40) == []


def test_a_pronoun_finds_its_antecedent_within_the_window_and_not_beyond(monkeypatch) -> None:
    text = "The mayor, Ana Ruiz, met a trade delegation from Peru on Monday. She said ties would deepen."
    doc = parley.analyze(text, headline="Talks", published="2025-03-21")
    ruiz = next(e for e in doc.entities if e.name == "Ana Ruiz")
    assert [q.speaker for q in doc.quotes] == [ruiz.id]
    resolver = coref.Resolver(doc)
    assert resolver.mentions_between(0, text.index("Ruiz"))[0][2] is ruiz
    assert resolver._recent(0) == []
    monkeypatch.setattr(coref, "ANTECEDENT_WINDOW", 1)  # only "Peru" is within reach of "She"
    doc = parley.analyze(text, headline="Talks", published="2025-03-21")
    assert [q.speaker for q in doc.quotes] == [None]
