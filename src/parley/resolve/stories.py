"""Stories: the reports (article events) of one real event, across articles.

Two reports join when they are of one family (visits and meetings; signings; else the same PLOVER
type), nothing sets them apart (places in different countries or cities, dates that cannot
meet, visits by different people, another delegation at the same host), and something ties
them: a participant identity in common with the same place or date, two participants in common,
or a person both sentences name at the same place. A signing is its own story even when it
happens during a visit; it is linked to the visit it was part of. Stories grow by the sum of
their reports' ties, and never take in a pair that something sets apart, so a bare country
("arrived in Ruritania") cannot chain two city stops, and goes to the stop more reports tie it to.
Two events of one article join only through reports of other articles, unless one sentence
gives both.

Candidate pairs come from blocks (each identity, each country of a signing, each week): the cost
of a new report is the size of its blocks, not of the store. Reports with no date at all (an
article with no date) are the unbounded case: they meet every report of their identities.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

from .clusters import Clusters
from .lexicon import rules
from .reports import Place, Report


def place_relation(a: tuple[Place, ...], b: tuple[Place, ...]) -> str:
    """"same" when some place of each can be one, "conflict" when none can, else "unknown"."""
    if not a or not b:
        return "unknown"
    return "same" if any(_compatible(x, y) for x in a for y in b) else "conflict"


def _compatible(x: Place, y: Place) -> bool:
    if x.country and y.country and x.country != y.country:
        return False
    if x.city and y.city:
        return x.city == y.city
    if x.area and y.area:
        return x.area == y.area
    return True


def _same_city(a: tuple[Place, ...], b: tuple[Place, ...]) -> bool:
    return bool({p.city for p in a if p.city} & {p.city for p in b if p.city})


def date_relation(a: Report, b: Report) -> str:
    if a.when is None or b.when is None:
        return "unknown"
    (s1, e1), (s2, e2) = a.when, b.when
    return "conflict" if _dates_conflict(s1, e1, s2, e2) else "same"


def _dates_conflict(start_a, end_a, start_b, end_b) -> bool:
    """One starts more than the event window after the other ends: not one event. Given the latest
    start and earliest end of two groups of reports, whether some pair of them conflicts."""
    window = timedelta(days=rules().event_window_days)
    return start_a > end_b + window or start_b > end_a + window


def apart(a: Report, b: Report) -> bool:
    """Something says these two report different events."""
    if a.family != b.family and "dateline" not in (a.family, b.family):
        return True
    if place_relation(a.places, b.places) == "conflict" or date_relation(a, b) == "conflict":
        return True
    if a.visit and b.visit and a.actors and b.actors and not a.actors & b.actors:
        return True
    if a.family != "consult" or b.family != "consult":
        return False
    return _other_actors(a, b) or _other_delegations(a, b)


def _other_actors(a: Report, b: Report) -> bool:
    """Each is done by people the other does not name, visitors from other countries: the
    Ruritanian minister's visit and the Zendan minister's talks at the same place and day (an
    actor from the country where it happens is a host, not a delegation)."""
    if a.actors & (b.people | b.nearby) or b.actors & (a.people | a.nearby):
        return False
    here = {p.country for p in a.places + b.places if p.country}
    mine = {c for p, c in a.homes if p in a.actors} - here
    theirs = {c for p, c in b.homes if p in b.actors} - here
    return bool(mine) and bool(theirs) and not mine & theirs


def _other_delegations(a: Report, b: Report) -> bool:
    """Each names someone the other does not, from countries neither the other's people nor the
    people both name come from: another delegation at the same host ("the governor received
    the Ruritanian minister" / "... the Zendan minister")."""
    shared = a.people & b.people
    if not shared:
        return False
    home = {c for p, c in a.homes | b.homes if p in shared}
    mine = {c for p, c in a.homes if p not in shared} - home
    theirs = {c for p, c in b.homes if p not in shared} - home
    return bool(mine) and bool(theirs) and not mine & theirs


def tie(a: Report, b: Report) -> int:
    """How strongly two reports are one event (0: not at all): two points per participant in
    common, one for a place that can be the same (two for the same city), one for meeting dates. One participant with neither place nor
    date is not enough; a person both sentences name counts as half a participant. A signing's
    countries are participants: two in common (Ruritania and Zenda signed; or the Ruritanian
    president and Ruritania) make one signing."""
    if apart(a, b):
        return 0
    place = place_relation(a.places, b.places) == "same"
    place += place and _same_city(a.places, b.places)  # a city in common says more than a country
    when = date_relation(a, b) == "same"
    shared = a.people & b.people
    if "dateline" in (a.family, b.family):
        real = b if a.family == "dateline" else a
        return int(real.family == "consult" and bool(shared) and bool(place) and when)
    if a.family == "signing":  # the signatory countries are participants too
        parties = len(shared) + len(a.countries & b.countries)
        if parties >= 2:
            return 1 + parties + place + when
    near = ((a.people | a.nearby) & (b.people | b.nearby)) - shared
    if shared:
        if place or when or len(shared) >= 2 or near:
            return 2 * len(shared) + bool(near) + place + when
        return 0
    return 1 if near and place else 0


def cluster_reports(reports: list[Report]) -> list[list[Report]]:
    """Stories as lists of reports, each sorted; the same for any order of `reports`.

    Agglomerative, by the sum of the ties between two clusters' reports: a report that ties as
    well with two stories (a bare country between two city stops) goes to the one more reports
    tie it to. Two clusters that something sets apart are never merged."""
    reports = sorted(reports, key=lambda r: r.key)
    by_key = {r.key: r for r in reports}
    clusters = Clusters(by_key)
    score: dict[tuple, int] = defaultdict(int)
    for a, b in _candidates(reports):
        strength = tie(a, b)
        if strength:
            score[(a.key, b.key)] += strength
    links: dict = defaultdict(set)
    for x, y in score:
        links[x].add(y)
        links[y].add(x)
    heap = [(-v, x, y) for (x, y), v in score.items()]
    heapq.heapify(heap)
    sides: dict = {}  # a cluster's root -> what `apart` reads of its reports (`Side`), made when first asked
    while heap:
        neg, x, y = heapq.heappop(heap)
        if clusters.find(x) != x or clusters.find(y) != y or score.get((x, y)) != -neg:
            continue  # stale: one side was merged since
        del score[(x, y)]
        sx = sides.get(x) or Side([by_key[k] for k in clusters.members(x)])
        sy = sides.get(y) or Side([by_key[k] for k in clusters.members(y)])
        if sx.apart(sy):
            sides[x], sides[y] = sx, sy
            continue
        clusters.join(x, y)  # x and y are roots: the smaller key stays the root
        keep, gone = sorted((x, y))
        sides.pop(gone, None)
        sides[keep] = sx.absorb(sy)
        _merge_links(keep, gone, score, links, heap)
    groups = [[by_key[k] for k in keys] for keys in clusters.groups()]
    return [g for g in groups if any(r.family != "dateline" for r in g)]


class Side:
    """What `apart` reads of a cluster's reports, each distinct fact once: `Side(X).apart(Side(Y))`
    is whether some report of X and some report of Y are apart, without asking every pair (a
    story of a thousand reports, offered a join again and again, was a million pairs). Each test
    of `apart` reads one kind of fact, so "some pair fails some test" is "some test fails for
    some pair", and each of those is read off the distinct values: families, place tuples, the
    latest start and earliest end of the dates, visitors, and a consult's people and places."""

    def __init__(self, group: list[Report]) -> None:
        self.families = {r.family for r in group} - {"dateline"}
        self.places = {r.places for r in group if r.places}
        dated = [r.when for r in group if r.when is not None]
        self.last_start = max((w[0] for w in dated), default=None)
        self.first_end = min((w[1] for w in dated), default=None)
        self.visitors = {r.actors for r in group if r.visit and r.actors}
        self.consults = {_Consult(r.actors, r.people, r.nearby, r.homes, r.places)
                         for r in group if r.family == "consult"}

    def absorb(self, other: Side) -> Side:
        """This side with the other's reports added (the two clusters joined)."""
        self.families |= other.families
        self.places |= other.places
        if other.last_start is not None:
            self.last_start = other.last_start if self.last_start is None else max(self.last_start, other.last_start)
            self.first_end = other.first_end if self.first_end is None else min(self.first_end, other.first_end)
        self.visitors |= other.visitors
        self.consults |= other.consults
        return self

    def apart(self, other: Side) -> bool:
        """Some report of each: `apart` says they report different events."""
        if self.families and other.families and len(self.families | other.families) > 1:
            return True
        if self.last_start is not None and other.last_start is not None and _dates_conflict(
                self.last_start, self.first_end, other.last_start, other.first_end):
            return True
        if any(not a & b for a in self.visitors for b in other.visitors):
            return True
        if any(place_relation(a, b) == "conflict" for a in self.places for b in other.places):
            return True
        return any(_other_actors(a, b) or _other_delegations(a, b) for a in self.consults for b in other.consults)


@dataclass(frozen=True)
class _Consult:
    """What `_other_actors` and `_other_delegations` read of a consult report."""

    actors: frozenset[str]
    people: frozenset[str]
    nearby: frozenset[str]
    homes: frozenset[tuple[str, str]]
    places: tuple[Place, ...]


def _merge_links(keep, gone, score: dict, links: dict, heap: list) -> None:
    """After `gone` joined `keep`: its sums with other clusters are added to `keep`'s. Only the
    clusters linked to `gone` change: a sum of `keep` alone stays as it is, with its entry on the
    heap (a story of a thousand reports has a link to every cluster about it, and pushing each
    of them again at every join was most of the clustering)."""
    for other in sorted(links.pop(gone, set())):
        if other in (keep, gone):
            continue
        pair = (keep, other) if keep < other else (other, keep)
        total = score.pop(pair, 0) + score.pop((gone, other) if gone < other else (other, gone), 0)
        links[other].discard(gone)
        links[other].add(keep)
        links[keep].add(other)
        if total:
            score[pair] = total
            heapq.heappush(heap, (-total, *pair))
    links[keep].discard(gone)


def _candidates(reports: list[Report]):
    """Pairs of reports that share a block (`blocks`, `lookups`): an identity (or, for signings, a
    country) and a week their dates can meet in; a report with no date meets every report of its
    identities whatever their weeks. A loosely dated report (an announcement dated only by its
    article: months of reach) that names where meets only reports that can be in one of its
    countries; one that names no place, only reports with two of its participants. Two events of one article pair only when one sentence gives both ("arrived in
    Strelsau and held talks with ..."): an article's sentences as often tell other occurrences
    (the next stop, last year's visit) as the same one, so events of different sentences end in
    one story only when reports of other articles tie each of them to it."""
    index: dict[str, list[int]] = defaultdict(list)  # block -> positions in `reports`
    for i, r in enumerate(reports):
        for key in blocks(r):
            index[key].append(i)
    # what the tests below read of each report, once (a region has thousands of pairs)
    where = [countries_of(r) for r in reports]
    loose = [(fenced(r), adrift(r)) for r in reports]
    keys = [set(participant_keys(r)) for r in reports]
    seen: set[tuple[int, int]] = set()
    for i, a in enumerate(reports):
        # the reports of all its lookups at once: a report is in several of them (its weeks, its
        # pairs of keys), and a block of a story of a thousand reports was read once per key
        near: set[int] = set()
        for key in lookups(a):
            near.update(index.get(key, ()))
        near.discard(i)
        for j in sorted(near):
            pair = (i, j) if i < j else (j, i)
            if pair in seen:
                continue
            seen.add(pair)
            b = reports[j]
            if a.article == b.article and a.sentence != b.sentence:
                continue
            (fa, da), (fb, db) = loose[i], loose[j]
            if (fa or fb) and not where[i] & where[j]:
                continue
            if (da or db) and len(keys[i] & keys[j]) < 2:
                continue
            yield (a, b) if a.key < b.key else (b, a)


def countries_of(r: Report) -> frozenset[str]:
    return frozenset(p.country for p in r.places if p.country)


def fenced(r: Report) -> bool:
    """A report dated loosely (its dates span more than `loose_span_days`: an announcement dated
    by its article, a month) that names where: only a report that can be there joins it."""
    return (r.when is not None and (r.when[1] - r.when[0]).days > rules().loose_span_days
            and bool(countries_of(r)))


def adrift(r: Report) -> bool:
    """A report dated loosely that names no place: only a report with two of its participants in
    common joins it (one person and months of dates are no tie)."""
    return (r.when is not None and (r.when[1] - r.when[0]).days > rules().loose_span_days
            and not countries_of(r))


def participant_keys(r: Report) -> list[str]:
    """What reports are blocked by: their people, and a signing's countries."""
    keys = ["p:" + p for p in sorted(r.people | r.nearby)]
    if r.family == "signing":
        keys += ["c:" + c for c in sorted(r.countries)]
    return keys


def blocks(r: Report) -> set[str]:
    """The blocks a report is kept under: "a:KEY" always; "u:KEY" when undated; else "w:KEY:WEEK"
    for each week its window reaches (unless it is fenced or adrift), "c:KEY:COUNTRY:WEEK" for
    each country it names, and "q:KEY|KEY:WEEK" for each two of its keys."""
    return _keys(r, stored=True)


def lookups(r: Report) -> set[str]:
    """The blocks whose reports a report may pair with: every report of its keys when it is
    undated; else the undated ones, its weeks (unless fenced or adrift), its countries' weeks
    and its pairs of keys' weeks."""
    return _keys(r, stored=False)


def _keys(r: Report, stored: bool) -> set[str]:
    out: set[str] = set()
    keys = participant_keys(r)
    if r.when is None:
        for key in keys:
            out |= {f"u:{key}", f"a:{key}"} if stored else {f"a:{key}"}
        return out
    places = sorted(countries_of(r))
    weeks = _weeks(r)  # what each key reads, made once (a signing names many keys and weeks)
    by_week = not fenced(r) and not adrift(r)
    for key in keys:
        out.add(f"a:{key}" if stored else f"u:{key}")
        if by_week:
            out.update(f"w:{key}:{week}" for week in weeks)
        out.update(f"c:{key}:{c}:{week}" for c in places for week in weeks)
    # two participants at a time, for an adrift report to meet
    out.update(f"q:{x}|{y}:{week}" for i, x in enumerate(keys) for y in keys[i + 1:] for week in weeks)
    return out


def _weeks(r: Report) -> range:
    """The weeks (days since 1970 // 7) a report's dates, widened by the event window, cover."""
    window = timedelta(days=rules().event_window_days)
    first, last = r.when[0] - window, r.when[1] + window
    return range(first.toordinal() // 7, last.toordinal() // 7 + 1)


def family(group: list[Report]) -> str:
    return next(r.family for r in group if r.family != "dateline")


def story_id(group: list[Report]) -> str:
    return "s" + hashlib.sha1("|".join(min(r.key for r in group)).encode()).hexdigest()[:12]


def part_of(stories: dict[str, list[Report]]) -> dict[str, str]:
    """Each signing story's visit or meeting: the consult story that reports it in the most of
    the same articles, with participants in common and no place or date apart."""
    out = {}
    spread: dict[str, _Spread] = {}
    by_article: dict[str, set[str]] = defaultdict(set)
    for sid, g in stories.items():
        if family(g) == "consult":
            for r in g:
                by_article[r.article].add(sid)
    for sid, group in sorted(stories.items()):
        if family(group) != "signing":
            continue
        arts = {r.article for r in group}
        mine = _Spread(group)
        best = []
        for cid in sorted(set().union(*(by_article[a] for a in arts))):
            other = spread.setdefault(cid, _Spread(stories[cid]))
            if mine.conflicts(other):
                continue
            common = arts & {r.article for r in stories[cid]}
            if mine.related(other):
                best.append((-len(common), cid))
        if best:
            out[sid] = min(best)[1]
    return out


class _Spread:
    """What `part_of` asks of every pair of reports of two stories, from each story's distinct
    places, date bounds, people and countries (a story of a thousand reports against another is
    a million pairs)."""

    def __init__(self, group: list[Report]) -> None:
        dated = [r.when for r in group if r.when is not None]
        self.first_start = min((w[0] for w in dated), default=None)
        self.last_start = max((w[0] for w in dated), default=None)
        self.first_end = min((w[1] for w in dated), default=None)
        self.places = {r.places for r in group}
        self.people = frozenset().union(*(r.people for r in group))
        self.countries = {r.countries for r in group if len(r.countries) >= 2}

    def conflicts(self, other: _Spread) -> bool:
        """Some report of each: places that cannot be one, or dates that cannot meet (`date_relation`)."""
        if any(place_relation(a, b) == "conflict" for a in self.places for b in other.places):
            return True
        if self.first_start is None or other.first_start is None:
            return False
        window = timedelta(days=rules().event_window_days)
        return self.last_start > other.first_end + window or other.last_start > self.first_end + window

    def related(self, other: _Spread) -> bool:
        """Some report of each: a participant in common, or two countries."""
        return bool(self.people & other.people) or any(len(a & b) >= 2 for a in self.countries for b in other.countries)


def summary(group: list[Report]) -> dict:
    """Type, family, places and date range of a story, from its reports."""
    types = Counter(r.type for r in group)
    places = Counter(n for r in group for n in r.place_names)
    starts = [r.when[0] for r in group if r.when]
    ends = [r.when[1] for r in group if r.when]
    return {
        "type": sorted(types, key=lambda t: (-types[t], t))[0],
        "family": family(group),
        "place": sorted(places, key=lambda n: (-places[n], n))[:3],
        "date": {"start": min(starts).isoformat() if starts else None,
                 "end": max(ends).isoformat() if ends else None},
    }
