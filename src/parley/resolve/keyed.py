"""A body's or place's identity row, kept so that a new mention is added to it without reading the others.

A body or place is made by its name key alone (`identities.name_key`): a new article only adds
members to it. Its stored row (`store/resolved.py`) holds the record without its mentions and, as
its tally, the sums the record is made from: the originals' types, names and countries counted,
each title's "of" counted with its first and last dates, articles and spellings, and how many
articles it has. Each member is a row of `identity_parts` (its mention, and what the sums count).
So adding the members of new articles adds to the sums and appends rows: a place named in a
quarter of the store (hundreds of thousands of mentions) costs what its new mentions cost. When
a stored member's article is sent back (a correction, a new copy), the sums are made again from
the identity's rows (`summarise`), which is what adding them all at once gives.

The record is the one `Identity.to_dict` makes for the same members (`row`), and readers put the
mentions back in its order (`mention_order`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from .identities import _mention, canonical_title, keyed_id
from .mentions import Local
from .names import parse

FORMAT = 2  # the tally's "parts" value: its members are rows of `identity_parts`


def member(p: Local) -> list:
    """What the sums count of one member: type, country, name, the article it copies, its
    article's date, and its roles (title, of, written, date)."""
    return [p.type, p.country, p.name, p.copy_of, p.published,
            [[r.title, r.of, r.text, r.published] for r in p.roles]]


def part_row(ident: str, p: Local) -> dict:
    """The `identity_parts` row of a member of identity `ident`."""
    return {"identity_id": ident, "article_id": p.article, "entity_id": p.entities[0], "member": member(p),
            "mention": _mention(p)}


def mention_order(x: dict) -> tuple:
    """The order of an identity record's mentions (`Identity.to_dict`)."""
    return x["article"], x["entities"]


def empty() -> dict:
    return {"parts": FORMAT, "types": {}, "names": {}, "countries": {}, "homes": {}, "roles": {}, "articles": 0}


def first_seen(article: str, published: str | None) -> str:
    """A mention's place in time, as `home` compares them: its article's date (undated last),
    then the article id."""
    return f"{published or '~'}|{article}"


def home(countries: dict[str, int], firsts: dict[str, str]) -> str | None:
    """An identity's country: the one most of its original mentions give; on a tie, the one of
    these given first (`firsts`: country -> its earliest mention's `first_seen`). A person named
    once from one country and once from another keeps the first, instead of turning countryless
    and back as mentions come (each turn sends back every story report that carries the
    country); the rule reads the members alone, so any order of ingest gives the same."""
    if not countries:
        return None
    top = max(countries.values())
    return min((c for c, n in countries.items() if n == top), key=lambda c: (firsts.get(c, "~"), c))


def add(tally: dict, members: Iterable[tuple[str, list]]) -> dict:
    """`tally` with these members ((article, `member`) pairs) added: none of their articles is
    one the tally counts already (a new article; or all at once, from `empty`)."""
    members = list(members)
    types, names, countries = Counter(tally["types"]), Counter(tally["names"]), Counter(tally["countries"])
    homes = dict(tally.get("homes", {}))
    # only the titles these members hold are copied and counted again: a head of state's or a
    # ministry's other titles (each with every way it was written) are handed on as they are
    touched = {canonical_title(title) for _, member in members for title, *_ in member[5]}
    roles = dict(tally["roles"])
    for t in touched & set(roles):
        v = roles[t]
        roles[t] = {**v, "of": Counter(v["of"]), "written": set(v["written"])}
    articles: set[str] = set()
    titled: dict[str, set[str]] = {}
    for article, (kind, given, name, copy_of, article_date, seen) in members:
        articles.add(article)
        if not copy_of:
            types[kind] += 1
            names[name] += 1
            if given:
                countries[given] += 1
                seen_at = first_seen(article, article_date)
                homes[given] = min(homes.get(given, seen_at), seen_at)
        for title, of, text, published in seen:
            title = canonical_title(title)
            row = roles.setdefault(title, {"of": Counter(), "first": None, "last": None, "articles": 0,
                                           "written": set()})
            if of:
                row["of"][of] += 1
            titled.setdefault(title, set()).add(article)
            row["written"].add(text)
            if published:
                row["first"] = min(filter(None, (row["first"], published)))
                row["last"] = max(filter(None, (row["last"], published)))
    for title, arts in titled.items():
        roles[title]["articles"] += len(arts)
    return {"parts": FORMAT, "types": dict(types), "names": dict(names), "countries": dict(countries), "homes": homes,
            "roles": {t: {**v, "of": dict(v["of"]), "written": sorted(v["written"])} if t in touched else v
                      for t, v in sorted(roles.items())},
            "articles": tally["articles"] + len(articles)}


def summarise(members: Iterable[tuple[str, list]]) -> dict:
    """The tally of these members, all at once."""
    return add(empty(), members)


def row(key: str, tally: dict, names: set[str], ident: str | None = None) -> dict | None:
    """The identities row of the body or place of name key `key` with this tally (or of the
    person `ident`, whose sums these are); `names` every name its mentions carry. None when it
    has no original member left."""
    shown = described(tally)
    if shown is None:
        return None
    kind, name, roles, home = shown
    ident = ident or keyed_id(key)
    record = {"id": ident, "type": kind, "name": name, "names": sorted(names), "roles": roles,
              "articles": tally["articles"]}
    lowered = sorted({n.lower() for n in names} | {name.lower()})
    return {"id": ident, "type": kind, "name": name, "names_lc": "\n".join(lowered), "country": home,
            "articles": tally["articles"], "record": record, "block": key, "tally": tally}


def described(tally: dict) -> tuple[str, str, list[dict], str] | None:
    """What an identity's record shows of these sums, as `Identity.to_dict` shows its members: its
    type and display name (its original members' most common; the longest name), its roles over
    time, and its country (`home`; "" for none). None when it has no original member."""
    types = tally["types"]
    if not any(types.values()):
        return None
    kind = sorted(types, key=lambda t: (-types[t], t))[0]
    counts = tally["names"]
    name = sorted(counts, key=lambda n: (-len(parse(n).words), -counts[n], n))[0]
    roles = []
    for title in sorted(tally["roles"], key=lambda t: (tally["roles"][t]["first"] or "9999", t)):
        v = tally["roles"][title]
        of = sorted(v["of"], key=lambda o: (-v["of"][o], o))
        roles.append({"title": title, "of": of[0] if of else None, "first_seen": v["first"], "last_seen": v["last"],
                      "articles": v["articles"], "written": list(v["written"])})
    return kind, name, roles, home(tally["countries"], tally.get("homes", {})) or ""


def is_parted(tally: Any) -> bool:
    """Whether a stored tally is this module's (its members are rows of `identity_parts`)."""
    return isinstance(tally, dict) and tally.get("parts") == FORMAT


def from_record(ident: str, record: dict, tally: dict) -> tuple[dict, list[dict]]:
    """A row stored whole (its record with every mention, a tally of every member and role) as
    this module keeps it: the tally and the `identity_parts` rows."""
    pairs, parts = parts_from(ident, record, tally)
    return summarise(pairs), parts


def parts_from(ident: str, record: dict, tally: dict) -> tuple[list[tuple[str, list]], list[dict]]:
    """The members ((article, `member`) pairs) and `identity_parts` rows of a row stored whole: a
    body's or place's, or a person's (whose tally stays as it is)."""
    mentions = {f"{x['article']}#{x['entity']}": x for x in record["mentions"]}
    pairs = members_of(tally["members"], tally["roles"])
    parts = [{"identity_id": ident, "article_id": article, "entity_id": key.split("#", 1)[1], "member": m,
              "mention": mentions[key]} for key, (article, m) in zip(sorted(tally["members"]), pairs)]
    return pairs, parts


def members_of(members: dict[str, list], roles: list[list]) -> list[tuple[str, list]]:
    """(article, `member`) pairs, in the order of their keys, of a person's tally (or a tally
    stored whole): its members ("article#entity" -> type, country, name, copy of, date) and
    roles (article, title, of, written, date). A member's roles are its article's (the sums
    read roles by article, so which member of an article holds them does not matter); the
    first member of each article takes them."""
    by_article: dict[str, list] = {}
    for article, title, of, text, published in roles:
        by_article.setdefault(article, []).append([title, of, text, published])
    out = []
    for key in sorted(members):
        v = members[key]
        article = key.split("#", 1)[0]
        out.append((article, [*v[:4], v[4] if len(v) > 4 else None, by_article.pop(article, [])]))
    return out
