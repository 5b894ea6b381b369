"""People added to stored identities from stored rows (`resolve/quick.py`), on SQLite and
PostgreSQL: ingested a few articles at a time, the store holds what `resolve` gives for all the
documents at once, with the quick path taken for some surnames and refused for others (bare
surnames whose context a new mention would change, spelling variants, "same" names)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import delete, insert, or_, select, text

from parley.resolve import quick, resolve
from parley.resolve.persist import update
from parley.store import Store, resolved

from .resolve_builders import doc, person
from .test_resolve_store import _copies, _exported, _strip

# invented people: (given, surname, country); two Holms, a spelling variant, a longer name
PEOPLE = [("Anna", "Varga", "RUR"), ("Anna Maria", "Varga", "RUR"), ("Pavel", "Holm", "RUR"),
          ("Greta", "Holm", "ZEN"), ("Omar", "Rashidov", "ZEN"), ("Omer", "Rashidov", "ZEN"),
          ("Ivo", "Lanski", "RUR"), ("Mila", "Kovac", "BOR"), ("Teodor", "Brel", "ZEN"),
          ("Lena", "Strom", None), ("Karel", "Dvorak", "BOR"), ("Nina", "Sorel", "RUR")]
TITLES = ("Governor", "Foreign Minister", "Ambassador", "Mayor")
FILLER = ("harbour", "grain", "rail", "ferry", "vineyard", "steel", "academy", "consulate", "timber", "salt")


def _random_docs(seed: int, n: int) -> list:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        chosen = rng.sample(PEOPLE[:8] if i % 3 else PEOPLE, 3)
        people, parts = [], []
        for given, surname, country in chosen:
            bare = rng.random() < 0.15
            name = surname if bare else f"{given} {surname}"
            roles = (rng.choice(TITLES),) if rng.random() < 0.5 else ()
            parts.append(f"{roles[0] + ' ' if roles else ''}{name} spoke of the {rng.choice(FILLER)}.")
            people.append(person(name, country if rng.random() < 0.8 else None, roles))
        a, b = people[0]["name"], people[1]["name"]
        text = f"{a} met {b}. " + " ".join(parts) + " " + " ".join(rng.sample(FILLER, 6)) + f" {i}."
        day = f"2024-05-{1 + rng.randrange(20):02d}"
        out.append(doc(f"r{i:03d}", text, people, events=[{"trigger": "met", "actor": [a], "recipient": [b]}],
                       published=day))
    return out


@pytest.mark.parametrize("seed,step", [(1, 4), (2, 1)])
def test_people_added_from_stored_rows_are_what_resolution_gives(store_url, seed, step, monkeypatch):
    docs = _random_docs(seed, 36)
    taken: list[int] = []
    write = quick.write

    def counting(conn, todo, *rest):
        taken.append(len(todo.keys))
        return write(conn, todo, *rest)

    monkeypatch.setattr(quick, "write", counting)
    with Store(store_url) as store:
        for i in range(0, len(docs), step):
            store.add_many(docs[i:i + step])
            update(store)
        stories, people = _exported(store, "stories"), _exported(store, "identities")
    assert sum(taken[1:]) > 0  # later passes added people from stored rows
    expected = resolve(docs, _copies(store_url))
    assert people == sorted(expected.identity_records(), key=lambda r: r["id"])
    assert [_strip(s) for s in stories] == sorted(expected.story_records(), key=lambda r: r["id"])


def _quick_keys_and_people(store_url: str, first: list, later: list) -> tuple[set[str], list]:
    """Store and resolve `first`, then `later`: the keys the quick path wrote for `later`, and the
    identities exported at the end."""
    taken: list[set[str]] = []
    write = quick.write
    with Store(store_url) as store:
        store.add_many(first)
        update(store)
        quick.write = lambda conn, todo, *rest: taken.append(set(todo.keys)) or write(conn, todo, *rest)
        try:
            store.add_many(later)
            update(store)
        finally:
            quick.write = write
        return taken[-1], _exported(store, "identities")


def test_a_bare_surname_keeps_a_new_mention_off_the_quick_path(store_url):
    """A new "Greta Holm" from ZEN would give her identity the country a bare "Holm" has: the bare
    mention may now join her, so the surname is re-resolved (and joins as `resolve` does)."""
    first = [doc("q1", "Pavel Holm met Ivo Lanski.", [person("Pavel Holm", "RUR"), person("Ivo Lanski", "RUR")]),
             doc("q2", "Greta Holm spoke.", [person("Greta Holm")]),
             doc("q3", "Holm spoke of the ferry.", [person("Holm", "ZEN")])]
    later = [doc("q4", "Greta Holm met Mila Kovac.", [person("Greta Holm", "ZEN"), person("Mila Kovac", "BOR")])]
    taken, people = _quick_keys_and_people(store_url, first, later)
    assert "n:holm" not in taken and "n:kovac" in taken
    expected = resolve(first + later)
    assert people == sorted(expected.identity_records(), key=lambda r: r["id"])
    holm = next(p for p in people if p["name"] == "Greta Holm")
    assert {m["article"] for m in holm["mentions"]} == {"q2", "q3", "q4"}  # the bare Holm of ZEN joined her


@pytest.mark.parametrize("country,quick_path", [("BOR", True), ("ZEN", False)])
def test_a_new_name_beside_bare_surnames_is_quick_only_without_their_context(store_url, country, quick_path):
    """A first "Karin Holm" starts her own identity from stored rows when no bare "Holm" could
    agree with her; from ZEN, the country of a bare "Holm", the surname is re-resolved."""
    first = [doc("k1", "Pavel Holm met Ivo Lanski.", [person("Pavel Holm", "RUR"), person("Ivo Lanski", "RUR")]),
             doc("k2", "Holm spoke of the ferry.", [person("Holm", "ZEN")])]
    later = [doc("k3", "Karin Holm spoke of the salt.", [person("Karin Holm", country)])]
    taken, people = _quick_keys_and_people(store_url, first, later)
    assert ("n:holm" in taken) is quick_path
    assert people == sorted(resolve(first + later).identity_records(), key=lambda r: r["id"])


@pytest.mark.parametrize("name,country,quick_path", [("Omar", "ZEN", True), ("Omer", "ZEN", False), ("Omer", "BOR", True)])
def test_a_name_with_a_spelling_variant_is_quick_only_when_it_cannot_change_the_variant_join(
        store_url, name, country, quick_path):
    """"Omer Rashidov" (no country) may be "Omar Rashidov" (ZEN) when context agrees: the first
    Omar's country is compared with the Omers'. A later Omar changes nothing there (quick); a
    later Omer of ZEN would give the Omers that country (the surname is re-resolved, and the
    two join), one of BOR would not (quick). "Mila Kovac", with no variant about, is quick."""
    first = [doc("w1", "Omar Rashidov met Ivo Lanski.", [person("Omar Rashidov", "ZEN"), person("Ivo Lanski", "RUR")]),
             doc("w2", "Omer Rashidov spoke.", [person("Omer Rashidov")])]
    later = [doc("w3", f"{name} Rashidov met Mila Kovac in the harbour.",
                 [person(f"{name} Rashidov", country), person("Mila Kovac", "BOR")])]
    taken, people = _quick_keys_and_people(store_url, first, later)
    assert ("n:rashidov" in taken) is quick_path and "n:kovac" in taken
    assert people == sorted(resolve(first + later).identity_records(), key=lambda r: r["id"])
    joined = any({m["article"] for m in p["mentions"]} == {"w1", "w2", "w3"} for p in people)
    assert joined is (name == "Omer" and country == "ZEN")


@pytest.mark.parametrize("bare_day,quick_path", [("2019-01-05", True), ("2024-05-12", False)])
def test_only_a_bare_surname_near_a_new_name_keeps_it_off_the_quick_path(store_url, bare_day, quick_path):
    """A new "Greta Holm" of ZEN could be the bare "Holm" of ZEN only when they are near in time:
    a bare Holm five years before leaves her quick; one a few days before re-resolves the surname."""
    first = [doc("t1", "Pavel Holm met Ivo Lanski.", [person("Pavel Holm", "RUR"), person("Ivo Lanski", "RUR")],
                 published="2024-05-01"),
             doc("t2", "Greta Holm spoke.", [person("Greta Holm")], published="2019-01-01"),
             doc("t3", "Holm spoke of the ferry.", [person("Holm", "ZEN")], published=bare_day)]
    later = [doc("t4", "Greta Holm met Mila Kovac.", [person("Greta Holm", "ZEN"), person("Mila Kovac", "BOR")],
                 published="2024-05-14")]
    taken, people = _quick_keys_and_people(store_url, first, later)
    assert ("n:holm" in taken) is quick_path
    assert people == sorted(resolve(first + later).identity_records(), key=lambda r: r["id"])
    greta = next(p for p in people if p["name"] == "Greta Holm")
    assert ("t3" in {m["article"] for m in greta["mentions"]}) is not quick_path


@pytest.mark.parametrize("country,joins", [("ZEN", True), ("BOR", False)])
def test_a_new_bare_surname_is_placed_from_the_names_near_it(store_url, country, joins):
    """A new bare "Holm" near Greta Holm (ZEN) and Pavel Holm (RUR) joins Greta from stored rows
    when it is of ZEN, and stands alone when it agrees with neither; the surname is not re-resolved."""
    first = [doc("b1", "Pavel Holm met Ivo Lanski.", [person("Pavel Holm", "RUR"), person("Ivo Lanski", "RUR")],
                 published="2024-05-01"),
             doc("b2", "Greta Holm spoke.", [person("Greta Holm", "ZEN")], published="2024-05-03")]
    later = [doc("b3", "Holm spoke of the ferry.", [person("Holm", country)], published="2024-05-06")]
    taken, people = _quick_keys_and_people(store_url, first, later)
    assert "n:holm" in taken
    assert people == sorted(resolve(first + later).identity_records(), key=lambda r: r["id"])
    greta = next(p for p in people if p["name"] == "Greta Holm")
    assert ("b3" in {m["article"] for m in greta["mentions"]}) is joins


def test_a_new_bare_surname_with_no_full_name_near_it_goes_the_long_way(store_url):
    """Bare surnames with no full name near them join one another: the surname is re-resolved."""
    first = [doc("c1", "Greta Holm spoke.", [person("Greta Holm", "ZEN")], published="2020-05-03"),
             doc("c2", "Holm spoke of the salt.", [person("Holm", "ZEN")], published="2024-05-01")]
    later = [doc("c3", "Holm spoke of the ferry.", [person("Holm", "ZEN")], published="2024-05-06")]
    taken, people = _quick_keys_and_people(store_url, first, later)
    assert "n:holm" not in taken
    assert people == sorted(resolve(first + later).identity_records(), key=lambda r: r["id"])
    assert any({m["article"] for m in p["mentions"]} == {"c2", "c3"} for p in people)


@pytest.mark.parametrize("seed", range(3))
def test_the_members_near_a_bare_mention_are_those_near_its_date(seed):
    """`_near_members` reads a head of state's members by day (bisecting); what it finds is what
    testing each member with `near` finds, at the window's edges and for undated members too."""
    rng = random.Random(seed)
    edge = quick.window().days
    base = date(2020, 1, 1)
    members, roles = {}, []
    for i in range(300):
        published = None if rng.random() < 0.05 else (base + timedelta(days=rng.randint(0, 4 * edge))).isoformat()
        bare = rng.random() < 0.2
        members[f"a{i}#p1"] = [None, rng.choice(["RUR", "ZEN", None]), "Varga" if bare else "Anna Varga", False, published]
        if rng.random() < 0.3:
            roles.append([f"a{i}", rng.choice(["minister", "president"])])
    row = SimpleNamespace(id=f"p{seed}", tally={"members": members, "roles": roles})
    full = [(k.split("#")[0], v[4], v[1]) for k, v in members.items() if v[2] == "Anna Varga"]
    for d in [None, base, base + timedelta(days=edge), base + timedelta(days=2 * edge), base + timedelta(days=4 * edge + 1)]:
        b = quick._Bare("b", d and d.isoformat(), None, set(), set())
        arts = {a for a, published, _ in full if quick.near(published, b.published)}
        want = {"full": bool(arts), "countries": {c for a, _, c in full if a in arts and c},
                "titles": {t for a, t in roles if a in arts}}
        assert quick._near_members(row, b) == want


def test_the_stored_mentions_of_a_surname_near_a_day_are_read_by_day(store_url):
    """The articles `_near_people` reads for a surname are those dated within the window (its
    edges included) or undated, found through the surname's day rows; not one a day past the
    window, nor one of a longer surname that starts alike ("Holmberg")."""
    from parley.resolve import window as long_way

    edge = quick.window().days
    d = date(2024, 5, 1)
    dated = {"in0": d, "lo": d - timedelta(days=edge), "hi": d + timedelta(days=edge),
             "out_lo": d - timedelta(days=edge + 1), "out_hi": d + timedelta(days=edge + 1)}
    docs = [doc(a, f"Pavel Holm spoke of the {FILLER[i]}.", [person("Pavel Holm", "RUR")], published=day.isoformat())
            for i, (a, day) in enumerate(dated.items())]
    docs += [doc("undated", "Holm spoke of the salt.", [person("Holm", "RUR")], published=None),
             doc("other", "Pavel Holmberg spoke of the rail.", [person("Pavel Holmberg", "RUR")], published=d.isoformat())]
    with Store(store_url) as store:
        store.add_many(docs)
        update(store)
        near = store.read(lambda conn: {ps[0].article for ps in quick._near_people(conn, "holm", d.isoformat())})
        spans = store.read(lambda conn: {ps[0].article for ps in long_way._near_people(
            conn, "holm", d - timedelta(days=edge), d + timedelta(days=edge))})
        years = store.read(lambda conn: [ps[0].article for ps in long_way._near_people(
            conn, "holm", d - timedelta(days=800), d + timedelta(days=800))])  # days asked in several lists
    assert near == {"in0", "lo", "hi", "undated"}
    assert spans == {"in0", "lo", "hi"}
    assert years == sorted(dated)


def _day_rows(store) -> set[tuple[str, str]]:
    k = resolved.resolve_keys
    return set(map(tuple, store.read(lambda conn: conn.execute(
        select(k.c.key, k.c.article_id).where(or_(k.c.key.startswith("nd:"), k.c.key.startswith("v:names")))).all())))


@pytest.mark.parametrize("markers", [("v:names2",), (), ("v:names2", "v:names3")])
def test_migration_28_gives_a_resolved_store_its_day_rows(store_url, markers):
    """A store resolved before the day rows (name rows marked "v:names2") gets, when opened, the day
    rows a resolution writes and the marker "v:names3"; one whose name rows were not complete (no
    marker) gets none, and keeps re-resolving whole surnames as before; one whose rows this code
    wrote already (both markers) is left as it is."""
    docs = [doc("d1", "Pavel Holm met Ivo Lanski.", [person("Pavel Holm", "RUR"), person("Ivo Lanski", "RUR")],
                published="2024-05-01"),
            doc("d2", "Holm spoke of the salt.", [person("Holm", "RUR")], published=None)]
    k = resolved.resolve_keys
    with Store(store_url) as store:
        store.add_many(docs)
        update(store)
        written = _day_rows(store)

        def older(conn) -> None:
            conn.execute(delete(k).where(k.c.key.startswith("v:names")))
            if "v:names3" not in markers:
                conn.execute(delete(k).where(k.c.key.startswith("nd:")))
            if markers:
                conn.execute(insert(k), [{"key": m, "article_id": ""} for m in markers])
            conn.execute(text("DELETE FROM schema_version WHERE version = 28"))

        store.write(older)
    with Store(store_url) as store:
        found = _day_rows(store)
    assert {("nd:holm|2024-05-01", "d1"), ("nd:lanski|2024-05-01", "d1"), ("nd:holm|", "d2")} <= written
    assert found == (written | {("v:names2", "")} if "v:names2" in markers else set())
