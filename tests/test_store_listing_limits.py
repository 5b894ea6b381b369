"""Store listings return every row that matches unless a limit is asked for: a Python user who calls
`store.events()` on a store of 202 events gets 202, not a silent first 100. Both databases."""

from __future__ import annotations

from parley.store import Store

from .test_store import make_doc

ARTICLES = 101  # one past the old silent cut of 100


def test_listings_are_not_cut_unless_asked(store_url: str) -> None:
    docs = [make_doc(f"{n:040x}", seed=n, person=f"Person{n} Quill") for n in range(ARTICLES)]
    with Store(store_url) as store:
        store.add_many(docs)
        assert len(store.articles()) == ARTICLES
        assert len(store.events()) == sum(len(d.events) for d in docs) > 100
        assert len(store.quotes()) == sum(len(d.quotes) for d in docs) > 100
        assert len(store.people()) > 100
        assert len(store.events(limit=7)) == 7 and len(store.quotes(limit=3, offset=1)) == 3
