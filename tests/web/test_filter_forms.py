"""The filter forms: folded behind a summary that says how many filters are set (opened on a wide
screen, closed on a phone by static/fold.js), and every country field offering each code with its
country's name. Rendered in process over an empty store; the phone layout is checked in Chromium
(test_countries_browser.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from parley import filters
from parley.web import create_app
from parley.web.choices import country_options

from .conftest import call

# page -> the name of its country field
COUNTRY_FIELDS = {"/events": "country", "/network": "country", "/map": "country", "/visits": "visitor_country",
                  "/pipeline": "country", "/opportunities": "country", "/quotes": "country", "/stories": "country",
                  "/search": "country"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    application = create_app(tmp_path_factory.mktemp("forms") / "empty.db")
    yield application
    application.state.workbench.store.close()


def test_country_options_are_every_code_with_its_name() -> None:
    options = country_options()
    assert {code for code, _ in options} == filters.country_codes()
    names = dict(options)
    assert names["KEN"] == "Kenya" and names["KOR"] == "South Korea" and names["EUR"] != "EUR"
    keys = [name.casefold() for _, name in options]
    assert keys == sorted(keys)  # by name, as a reader looks for them


@pytest.mark.parametrize("path", sorted(COUNTRY_FIELDS))
def test_country_fields_offer_names(app: Any, path: str) -> None:
    page = call(app, "GET", path).text
    field = re.search(rf'<input id="f-{COUNTRY_FIELDS[path]}" name="{COUNTRY_FIELDS[path]}"[^>]*>', page)
    assert field and 'list="country-codes"' in field[0], path
    assert page.count('<datalist id="country-codes">') == 1
    assert '<option value="KEN" label="KEN Kenya">' in page and '<option value="CHN" label="CHN China">' in page


def test_a_code_picked_from_the_list_filters(app: Any) -> None:
    r = call(app, "GET", "/events?country=KEN")
    assert r.status_code == 200
    assert re.search(r'<input id="f-country" name="country" type="text" value="KEN"', r.text)


@pytest.mark.parametrize("path", sorted(set(COUNTRY_FIELDS) - {"/search"}))
def test_filters_fold_behind_a_summary_of_what_is_set(app: Any, path: str) -> None:
    bare = call(app, "GET", path).text
    assert re.search(r'<details class="fold" data-fold open><summary>Filters <span class="count">\(none set\)</span>',
                     bare), path
    assert '<script src="/static/fold.js"></script>' in bare
    two = {"/visits": "?visitor_country=KEN&since=2020", "/pipeline": "?country=KEN&since=2020",
           "/quotes": "?country=KEN&cue=said"}.get(path, "?country=KEN&since=2020")
    assert 'Filters <span class="count">(2 active)</span>' in call(app, "GET", path + two).text, path


def test_the_fold_script_closes_only_on_a_narrow_screen() -> None:
    script = (Path(filters.__file__).parent / "web" / "static" / "fold.js").read_text()
    assert 'matchMedia("(max-width: 760px)")' in script and ".open = false" in script
