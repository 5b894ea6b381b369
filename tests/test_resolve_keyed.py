"""Bodies' and places' identities kept as sums and member rows (`resolve/keyed.py`), on SQLite and
PostgreSQL: whatever the order and number of runs, the stored record is the one `resolve` makes
for all the documents; its sums, added to run by run, are the sums of its rows made at once; and
a store whose rows were kept whole (before migration 24) is converted to the same result."""

from __future__ import annotations

import io
import json
import random

import pytest
from sqlalchemy import delete, select, text

from parley.resolve import country, keyed, resolve
from parley.resolve.identities import Identity
from parley.resolve.persist import update
from parley.store import Store, migrations, resolved
from parley.store.export import export

from .resolve_builders import body, doc, person

_DAYS = ["2024-03-01", "2024-03-09", "2024-04-02", "2024-05-20", "2024-06-11", "2024-07-30", None, "2024-08-15"]


def _documents(minister: bool = False) -> list:
    """A ministry named in every article, by two countries in turn (a tie between them: it keeps
    the one given first), with a title written two ways in some, by another name once; twice in one article; a
    city now and then; a copy of one article. `minister`: one person in each too, by full name
    or surname."""
    out = []
    for n, day in enumerate(_DAYS):
        home = ("RUR", "ZEN")[n % 2]
        roles = (("Trade Office",), ("trade office",), ())[n % 3]
        aliases = ("Trade Ministry",) if n == 5 else ()
        people = [{**body("Ministry of Trade", home), "roles": roles, "aliases": aliases},
                  person(f"Ivo Lanski{'x' * n}", "RUR")]
        if n == 4:
            people.append({**body("Ministry of Trade", "BOR"), "roles": ("Customs Desk",)})
        words = f"Ministry of Trade and the Ministry of Trade again, said Ivo Lanski{'x' * n}, in Strelsau. Trade Office."
        if minister:
            people.append(person("Vera Holm" if n % 3 else "Holm", "RUR", ("Minister",)))
            words += f" Minister {people[-1]['name']} agreed."
        out.append(doc(f"k{n}", words + f" Item {n} of the series on grain.", people,
                       places=["Strelsau"] if n % 3 else [], published=day))
    out.append(doc("kc", out[2].article.text, [{**body("Ministry of Trade", "ZEN"), "roles": ("Trade Office",)},
                                               person("Ivo Lanskixx", "RUR")], places=["Strelsau"], published=_DAYS[2]))
    return out


def _exported(store: Store) -> list[dict]:
    buf = io.BytesIO()
    export(store, "identities", buf)
    return sorted((json.loads(line) for line in buf.getvalue().decode().splitlines()), key=lambda r: r["id"])


def _copies(store: Store) -> dict[str, str]:
    return {r["id"]: r["duplicate_of"] for r in store.articles(include_duplicates=True, limit=None)
            if r["duplicate_of"]}


def _fill(url: str, docs: list, runs: int) -> tuple[list[dict], dict[str, str]]:
    with Store(url) as store:
        size = -(-len(docs) // runs)
        for i in range(runs):
            store.add_many(docs[i * size:(i + 1) * size])
            update(store)
        return _exported(store), _copies(store)


def _countries(url: str) -> dict[str, str]:
    """Each stored identity's country (what its reports carry; not in the record)."""
    i = resolved.identities
    with Store(url) as store:
        return dict(store.read(lambda conn: conn.execute(select(i.c.id, i.c.country)).all()))


@pytest.mark.parametrize("seed,runs", [(0, 1), (1, 3), (2, 9)])
def test_a_body_added_to_run_by_run_is_what_resolution_gives(store_url, seed, runs):
    docs = _documents()
    random.Random(seed).shuffle(docs)
    people, copies = _fill(store_url, docs, runs)
    assert copies  # a copy sends its original back: its members are taken out of the sums and put in again
    expected = sorted(resolve(_documents(), copies).identity_records(), key=lambda r: r["id"])
    assert people == expected
    ministry = [p for p in people if p["name"] == "Ministry of Trade"]
    assert len(ministry) == 1 and len(ministry[0]["mentions"]) == 10
    assert "Trade Ministry" in ministry[0]["names"] and any(r["articles"] > 1 for r in ministry[0]["roles"])
    reference = resolve(_documents(), copies)
    homes = {i.id: country(Identity(i.id, i.type, i.name, [m for m in i.members if not m.copy_of])) or ""
             for i in reference.identities}
    assert _countries(store_url) == homes
    if copies == {"kc": "k2"}:  # (the copy is whichever came second)
        # as many articles give it one country as the other: the one given first (k0, the earliest day)
        assert homes[ministry[0]["id"]] == "RUR"


def _parts(store: Store) -> dict[str, list[tuple[str, list]]]:
    t = resolved.identity_parts

    def read(conn):
        out: dict[str, list] = {}
        for r in conn.execute(select(t.c.identity_id, t.c.article_id, t.c.member)):
            out.setdefault(r.identity_id, []).append((r.article_id, resolved._record(r.member)))
        return out

    return store.read(read)


def test_the_sums_added_to_are_the_sums_of_the_rows(store_url):
    _fill(store_url, _documents(minister=True), 9)
    with Store(store_url) as store:
        parts = _parts(store)
        i = resolved.identities
        rows = store.read(lambda conn: conn.execute(select(i.c.id, i.c.block, i.c.record, i.c.tally)).all())
    keyed_rows = [r for r in rows if not r.block.startswith("n:")]
    assert keyed_rows and all("mentions" not in resolved._record(r.record) for r in keyed_rows)
    for r in keyed_rows:
        assert resolved._record(r.tally) == keyed.summarise(sorted(parts[r.id]))
    people = [r for r in rows if r.block.startswith("n:")]  # a person's members are rows too, and its sums
    assert people and all("mentions" not in resolved._record(r.record) for r in people)
    for r in people:
        tally = resolved._record(r.tally)
        assert sorted(a for a, _ in parts[r.id]) == sorted(k.split("#")[0] for k in tally["members"])
        assert tally["sums"] == keyed.summarise(sorted(parts[r.id]))


def _whole(conn) -> None:
    """Store every body and place as a version before migration 24 did: the record with every
    mention, a tally of every member and role."""
    i, t = resolved.identities, resolved.identity_parts
    records = {r["id"]: r for r in resolved.records(conn, i)}
    parts: dict[str, list] = {}
    for r in conn.execute(select(t).order_by(t.c.identity_id, t.c.article_id, t.c.entity_id)):
        parts.setdefault(r.identity_id, []).append(r)
    for ident, rows in parts.items():
        members = {f"{r.article_id}#{r.entity_id}": resolved._record(r.member)[:5] for r in rows}
        roles = [[r.article_id, *x] for r in rows for x in resolved._record(r.member)[5]]
        conn.execute(i.update().where(i.c.id == ident).values(record=records[ident],
                                                              tally={"members": members, "roles": roles}))
    conn.execute(delete(t))
    conn.execute(text("DELETE FROM schema_version WHERE version = 24"))


def test_migration_24_keeps_the_rows_stored_whole_as_sums_and_rows(store_url):
    docs = _documents()
    reference, _ = _fill(store_url, docs, 1)
    with Store(store_url) as store:
        store.write(lambda conn: conn.execute(delete(resolved.resolve_done).where(
            resolved.resolve_done.c.article_id == "k7")))
        store.write(_whole)
    with Store(store_url) as store:  # migrated when opened: the sums made from the whole rows
        assert store.version == migrations.LATEST
        assert store.read(lambda conn: conn.execute(select(resolved.identity_parts.c.identity_id).limit(1)).first())
        assert update(store) == 1  # and a new member added to them
        assert _exported(store) == reference


def test_a_row_stored_whole_is_converted_when_a_pass_meets_it(store_url):
    docs = _documents()
    reference, _ = _fill(store_url, docs, 1)
    with Store(store_url) as store:
        store.write(lambda conn: conn.execute(delete(resolved.resolve_done).where(
            resolved.resolve_done.c.article_id.in_(["k3", "k7"]))))
        store.write(_whole)
        store.write(lambda conn: conn.execute(text("INSERT INTO schema_version (version, name, applied_at) "
                                                   "VALUES (24, 'as if applied', '')")))
        update(store)
        assert _exported(store) == reference


def _people_whole(conn) -> None:
    """Store every person as a version before migration 26 did: the record with every mention."""
    i, t = resolved.identities, resolved.identity_parts
    people = list(conn.execute(select(i.c.id).where(i.c.block.startswith("n:"))).scalars())
    records = {r["id"]: r for r in resolved.records(conn, i) if r["id"] in set(people)}
    for ident in people:
        conn.execute(i.update().where(i.c.id == ident).values(record=records[ident]))
    conn.execute(delete(t).where(t.c.identity_id.in_(people)))
    conn.execute(text("DELETE FROM schema_version WHERE version = 26"))


def _people_parts(conn) -> int:
    t, i = resolved.identity_parts, resolved.identities
    people = select(i.c.id).where(i.c.block.startswith("n:"))
    return len(conn.execute(select(t.c.article_id).where(t.c.identity_id.in_(people))).all())


@pytest.mark.parametrize("applied", [False, True], ids=["migrated", "met by a pass"])
def test_people_stored_whole_are_kept_as_rows(store_url, applied):
    """Migration 26 makes a person's row stored whole (a version before it) into a record and one
    row a member; a pass that meets one still stored whole (or a row of a version that skipped
    it) makes the rows then. Either way the export is the one of a store filled by this one."""
    docs = _documents(minister=True)
    reference, _ = _fill(store_url, docs, 1)
    assert any(len(r["mentions"]) > 3 for r in reference if r["type"] == "PERSON")
    with Store(store_url) as store:
        held = store.read(_people_parts)
        assert held >= len(docs)
        store.write(lambda conn: conn.execute(delete(resolved.resolve_done).where(
            resolved.resolve_done.c.article_id.in_(["k3", "k7"]))))
        store.write(_people_whole)
        assert store.read(_people_parts) == 0
        if applied:
            store.write(lambda conn: conn.execute(text("INSERT INTO schema_version (version, name, applied_at) "
                                                       "VALUES (26, 'as if applied', '')")))
    with Store(store_url) as store:
        assert store.version == migrations.LATEST
        assert store.read(_people_parts) == (0 if applied else held)
        assert update(store) == 2
        assert _exported(store) == reference
        assert 0 < store.read(_people_parts) <= held  # (a row the pass leaves as it was stays whole)


def _member(article: str, home: str | None, published: str | None) -> tuple[str, list]:
    return article, ["PERSON", home, "Ana Lind", None, published, []]


def test_a_tie_of_countries_keeps_the_one_given_first_in_any_order():
    """An identity's country is its mentions' most common; on a tie, the one its earliest
    mention gives (undated mentions count as the latest), whatever order the sums were added in
    (contrast: one more mention of the later country wins it the identity)."""
    members = [_member("b2", "ZEN", "2024-02-01"), _member("a9", "RUR", "2024-01-15"), _member("c1", "BOR", None),
               _member("d4", "BOR", None), _member("e5", None, "2023-01-01")]
    tied = members[:2]
    for order in (tied, tied[::-1]):
        assert keyed.described(keyed.summarise(order))[3] == "RUR"
        assert keyed.described(keyed.add(keyed.summarise(order[:1]), order[1:]))[3] == "RUR"
    assert keyed.described(keyed.summarise([*tied, members[4]]))[3] == "RUR"  # a mention with no country counts none
    undated = [members[0], members[2]]  # ZEN dated, BOR undated: the dated one was given first
    assert keyed.described(keyed.summarise(undated))[3] == "ZEN"
    assert keyed.described(keyed.summarise(members[::-1]))[3] == "BOR"  # two BOR against one each
    assert keyed.described(keyed.summarise([members[4]]))[3] == ""
    assert keyed.home({"RUR": 1, "ZEN": 1}, {}) == "RUR"  # sums kept before the first dates: by name


def test_a_person_s_country_on_a_tie_is_the_one_given_first():
    """`country` (resolution from documents) follows the same rule as the stored sums."""
    docs = [doc("x2", "Ana Lind spoke.", [person("Ana Lind", "ZEN")], published="2024-02-01"),
            doc("x1", "Ana Lind wrote.", [person("Ana Lind", "RUR")], published="2024-01-15")]
    for order in (docs, docs[::-1]):
        (ana,) = [i for i in resolve(order).identities if i.name == "Ana Lind"]
        assert country(ana) == "RUR"
    more = [*docs, doc("x3", "Ana Lind met.", [person("Ana Lind", "ZEN")], published="2024-03-01")]
    (ana,) = [i for i in resolve(more).identities if i.name == "Ana Lind"]
    assert country(ana) == "ZEN"
