"""Search ranks the newest `window` matches only, says how many match in all, and makes snippets for
the hits shown in Python (`parley.store.snippets`); on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

from parley.store import Store
from parley.store.searchquery import Term
from parley.store.snippets import snippet

from .test_store_events import make_doc

WORDS = ["amber", "basalt", "cobalt", "dune", "ember", "fjord", "glacier", "heron", "iris", "jasper"]


def docs(n: int) -> list:
    out = []
    for i in range(n):
        base = make_doc()
        text = f"Zephyrine report {i}. " + " ".join(f"{WORDS[(i + k) % 10]}{i}x{k}" for k in range(300))
        out.append(replace(base, article=replace(base.article, id=f"{i:040d}", text=text, headline=f"Report {i}"),
                           entities=[], quotes=[], events=[]))
    return out


def test_only_the_newest_matches_are_ranked_and_all_are_counted(store_url: str) -> None:
    with Store(store_url) as store:
        stored = docs(5)
        store.add_many(stored)
        everything = store.search("zephyrine", limit=None)
        assert len(everything) == 5
        newest = store.search("zephyrine", limit=None, window=2)
        assert sorted(h["id"] for h in newest) == sorted(d.article.id for d in stored[-2:])
        assert store.search_count("zephyrine") == 5 and store.search_count("nothingmatches") == 0
        assert store.search_count("zephyrine", cap=3) == 4 and store.search_count("zephyrine", cap=5) == 5
        assert store.search("zephyrine", window=2, snippets=False)[0]["snippet"] is None
        marked = store.snippets("zephyr*", [stored[0].article.id])
        assert marked[stored[0].article.id].startswith("[Zephyrine] report 0")


def test_snippet_marks_words_phrases_and_prefixes_ignoring_case_and_accents() -> None:
    text = "Before. The Mayor of Montréal met the mayors of Lyon in the white house today, and left."
    assert "[Montréal]" in snippet([text], [Term("montreal", False)])
    assert "[mayors]" in snippet([text], [Term("mayor", True)]) and "[Mayor]" in snippet([text], [Term("mayor", True)])
    assert "[white house]" in snippet([text], [Term("white house", False)])
    assert snippet([text], [Term("absent", False)]) == ""
    assert snippet(["short", "two mentions of lyon and lyon"], [Term("lyon", False)]).count("[lyon]") == 2
    assert snippet([text], [Term("left", False)], words=4).startswith("…")
    assert "[mayors]" in snippet([text], [Term("mayor", False)])  # the same stem: the index finds it too


def _texts(*texts: str) -> list:
    base = make_doc()
    return [replace(base, article=replace(base.article, id=f"{i:040d}", text=text, headline=f"Story {i}"),
                    entities=[], quotes=[], events=[]) for i, text in enumerate(texts)]


SEARCHED = _texts(
    "The delegations visited Lyon and met the mayor.",       # 0
    "A delegation went to Tours with the Trump campaign.",   # 1
    "Visiting companies signed agreements in Lyon.",         # 2
    "Nothing here concerns the others at all.",              # 3
)


def _found(store: Store, query: str) -> list[int]:
    return sorted(int(h["id"]) for h in store.search(query, limit=None))


def test_search_reads_or_not_phrases_prefixes_and_stems(store_url: str) -> None:
    with Store(store_url) as store:
        store.add_many(SEARCHED)
        assert _found(store, "Lyon OR Tours") == [0, 1, 2]
        assert _found(store, "delegation -Trump") == [0] and _found(store, "delegation NOT Trump") == [0]
        assert _found(store, 'Lyon -"signed agreements"') == [0]
        assert _found(store, "delegations") == [0, 1] and _found(store, "delegation") == [0, 1]  # stems
        assert _found(store, "visit") == [0, 2] and _found(store, "company") == [2]
        assert _found(store, '"visited Lyon"') == [0] and _found(store, '"Lyon visited"') == []
        assert _found(store, "deleg*") == [0, 1] and _found(store, "delegation AND Lyon") == [0]
        assert _found(store, "-Lyon") == [] and store.search_count("Lyon OR Tours") == 3
        marked = store.snippets("company", [f"{2:040d}"])[f"{2:040d}"]
        assert "[companies]" in marked


def test_queries_parse_as_a_search_box_does() -> None:
    from parley.store.searchquery import SearchQuery, parse_query

    assert parse_query("Lyon OR Tours") == SearchQuery(((Term("Lyon"), Term("Tours")),))
    assert parse_query("visit -Trump") == SearchQuery(((Term("visit"),),), (Term("Trump"),))
    assert parse_query('NOT "white house" pres*') == SearchQuery(((Term("pres", True),),), (Term("white house"),))
    assert parse_query("co-operation") == SearchQuery(((Term("co-operation"),),))  # a hyphen inside is a word
    assert not parse_query("- OR NOT") and not parse_query("-Trump")
