"""Invented parley.article/1 documents for the resolution tests, built by hand (no model).

`doc(id, text, people=..., places=..., events=...)`: each person or place is found in `text` by
its name (first occurrence) so offsets are real; events name their parties by entity name.
"""

from __future__ import annotations

from parley.document import (Article, Document, Entity, Event, EventDate, Mention, Role, Span,
                             Trigger)

# invented gazetteer: name -> (country, kind, geonameid, admin1)
PLACES = {
    "Ruritania": ("RUR", "country", 900001, None),
    "Strelsau": ("RUR", "city", 900002, "Capital"),
    "Zenda": ("ZEN", "country", 900003, None),
    "Tarlenheim": ("ZEN", "city", 900004, "North"),
    "Borduria": ("BOR", "country", 900005, None),
    "Hentzau": ("ZEN", "city", 900006, "South"),
}


def person(name: str, country: str | None = None, roles: tuple[str, ...] = (),
           aliases: tuple[str, ...] = ()) -> dict:
    return {"type": "PERSON", "name": name, "country": country, "roles": roles, "aliases": aliases}


def body(name: str, country: str | None = None) -> dict:
    """An organisation, given among `doc`'s people."""
    return {**person(name, country), "type": "ORG"}


def doc(article_id: str, text: str, people: list[dict] = (), places: list[str] = (),
        events: list[dict] = (), published: str | None = None, dateline: str | None = None) -> Document:
    entities: list[Entity] = []
    for i, p in enumerate(people, 1):
        start = text.find(p["name"])
        mentions = [Mention(start, start + len(p["name"]), p["name"])] if start >= 0 else []
        roles = []
        for title in p["roles"]:
            at = text.find(title)
            roles.append(Role(title=title, start=at if at >= 0 else None,
                              end=at + len(title) if at >= 0 else None))
        entities.append(Entity(id=f"p{i}", type=p.get("type", "PERSON"), name=p["name"], aliases=list(p["aliases"]),
                               country=p["country"], roles=roles, mentions=mentions))
    for i, name in enumerate(places, 1):
        country, kind, gid, admin1 = PLACES[name]
        start = text.find(name)
        entities.append(Entity(id=f"g{i}", type="GPE", name=name, country=country,
                               geo={"country": country, "kind": kind, "geonameid": gid, "admin1": admin1},
                               mentions=[Mention(start, start + len(name), name)] if start >= 0 else []))
    by_name = {e.name: e.id for e in entities}
    evs = []
    for i, ev in enumerate(events, 1):
        at = text.find(ev["trigger"])
        evs.append(Event(
            id=f"v{i}", type=ev.get("type", "CONSULT"), mode=ev.get("mode"),
            trigger=Trigger(ev["trigger"], at, at + len(ev["trigger"])), sentence=Span(0, len(text)),
            actor=[by_name[n] for n in ev.get("actor", ())], recipient=[by_name[n] for n in ev.get("recipient", ())],
            location=by_name.get(ev.get("location", "")), hypothetical=ev.get("planned", False),
            date=EventDate(ev["date"], ev["date"], ev["date"], "day") if ev.get("date") else None,
        ))
    geo = None
    if dateline:
        country, kind, gid, admin1 = PLACES[dateline]
        geo = {"name": dateline, "country": country, "kind": kind, "geonameid": gid, "admin1": admin1}
    article = Article(id=article_id, text=text, file=f"{article_id}.txt", source=f"outlet-{article_id}",
                      published=published, dateline=dateline, dateline_geo=geo)
    return Document(article=article, entities=entities, events=evs)

