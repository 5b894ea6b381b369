"""`resolve/variants.py`: the names a new full name can move (its component), and the cap on how
many stored mentions the path reads before it leaves a surname to be re-resolved whole."""

from __future__ import annotations

from parley.resolve import quick, variants
from parley.resolve.names import parse

from .resolve_builders import doc, person
from .test_resolve_window import _ingest_like_resolve, _region_calls


def _words(name: str) -> tuple[str, ...]:
    return parse(name).words


def _stored(*names: str) -> dict[str, dict[tuple[str, ...], str]]:
    out: dict[str, dict[tuple[str, ...], str]] = {}
    for n, name in enumerate(names):
        out.setdefault(quick.name_block(_words(name)), {})[_words(name)] = f"a{n}"
    return out


def test_a_component_reaches_related_names_through_one_another():
    """Omar reaches Omer and Omir (spelling variants), and through Omer "Omer Ali Rashidov" ("same":
    one name inside the other), which Omar itself is not related to. Osman is another given name,
    and Umer, of another initial, is in another block: neither is reached."""
    stored = _stored("Omer Rashidov", "Omer Ali Rashidov", "Osman Rashidov", "Umer Rashidov", "Omir Rashidov")
    found = variants.component({_words("Omar Rashidov")}, stored)
    assert found == {_words(n) for n in ("Omar Rashidov", "Omer Rashidov", "Omer Ali Rashidov", "Omir Rashidov")}


def test_a_component_of_an_unrelated_name_is_the_name_alone():
    stored = _stored("Pavel Holm", "Petra Holm")
    assert variants.component({_words("Greta Holm")}, stored) == {_words("Greta Holm")}
    assert variants.component({_words("Pavol Holm")}, stored) == {_words("Pavol Holm"), _words("Pavel Holm")}


def test_a_component_larger_than_the_path_reads_goes_the_whole_way(store_url, monkeypatch):
    """Where the names' stored mentions are more than `MAX_MENTIONS`, they are not read here: the
    surname is re-resolved whole, and the result is still `resolve`'s (a new Gretta of ZEN joins
    Greta and Gretta)."""
    monkeypatch.setattr(variants, "MAX_MENTIONS", 1)
    first = [doc("g1", "Greta Holm met Mila Kovac.", [person("Greta Holm", "ZEN"), person("Mila Kovac", "BOR")],
                 published="2023-02-01"),
             doc("g2", "Gretta Holm met Nina Sorel.", [person("Gretta Holm", "RUR"), person("Nina Sorel", "RUR")],
                 published="2023-03-01")]
    later = [doc("g3", "Gretta Holm met Karel Dvorak.", [person("Gretta Holm", "ZEN"), person("Karel Dvorak", "BOR")],
                 published="2024-05-06")]
    whole = _region_calls(monkeypatch, "_people")
    _ingest_like_resolve(store_url, monkeypatch, [first, later])
    assert any("n:holm" in keys for keys in whole[2:])
