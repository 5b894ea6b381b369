"""`parley brief` and `parley.brief`: the period, the figures against the period before, the sections
and their evidence links, a self-contained HTML file with no outside URL, an empty period stated,
usage errors with hints, and the PDF (its pages drawn by pdftoppm, its text read by pdftotext)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.brief import Scope, briefing, gather, period_from
from parley.brief.charts import timeline, world_map
from parley.cli import main
from parley.errors import FilterError
from parley.store import Store

from .brief_fixtures import HOSTILE_HEADLINE, PROMISE, UNTIL, VISIT, fill

BASE = "http://briefs.test:8000"
TODAY = date(2025, 3, 16)


class _Links(HTMLParser):
    """Every URL the HTML names (href, src, and any url() in a style), and its headings' ids."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []
        self.ids: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("href", "src", "xlink:href", "action", "poster", "data") and value is not None:
                self.urls.append((tag, value))
            if name == "id" and value:
                self.ids.append(value)


def parse(html: str) -> _Links:
    p = _Links()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return fill(tmp_path_factory.mktemp("brief") / "brief.db")


@pytest.fixture(scope="module")
def html(db: str) -> str:
    with Store(db) as store:
        return briefing(store, period_from("7d", UNTIL), base_url=BASE, today=TODAY)


# --- the period ----------------------------------------------------------------------------------

def test_spans_count_back_from_the_end_and_dates_take_their_whole_precision() -> None:
    end = date(2025, 3, 31)
    assert str(period_from("7d", None, today=end)) == "2025-03-25 to 2025-03-31"
    assert str(period_from("2w", "2025-03-31")) == "2025-03-18 to 2025-03-31"
    assert str(period_from("3m", "2025-03")) == "2025-01-01 to 2025-03-31"
    assert str(period_from("2025-02", "2025-02")) == "2025-02-01 to 2025-02-28"
    p = period_from("2024", "2024")
    assert p.days == 366 and str(p.previous()) == "2023-01-01 to 2023-12-31"
    assert str(period_from("2025-03", "2025-03").previous()) == "2025-02-01 to 2025-02-28"
    assert str(period_from("3m", "2025-02-28")) == "2024-12-01 to 2025-02-28"
    assert str(period_from("1m", "2025-03-15")) == "2025-02-16 to 2025-03-15"
    assert period_from("7d", UNTIL).previous().days == 7


@pytest.mark.parametrize("since, until, option", [("7x", None, "--since"), ("yesterday", None, "--since"),
                                                  ("0d", None, "--since"), ("7d", "2025-02-30", "--until"),
                                                  ("2025-04", "2025-03", "--since")])
def test_a_period_that_cannot_be_read_is_an_error_naming_the_option(since: str, until: str | None, option: str) -> None:
    with pytest.raises(FilterError) as err:
        period_from(since, until, today=TODAY)
    assert err.value.parameter == option


# --- what is gathered ----------------------------------------------------------------------------

def test_figures_compare_the_period_with_the_one_before(store_url: str) -> None:
    fill(store_url)
    with Store(store_url) as store:
        b = gather(store, period_from("7d", UNTIL), base_url=BASE)
    figures = {f["label"]: f for f in b.figures}
    assert (figures["Articles"]["now"], figures["Articles"]["before"]) == (3, 1)
    assert (figures["Events"]["now"], figures["Events"]["before"]) == (4, 1)
    assert figures["Events"]["change"] == "+3 (+300%)" and figures["Events"]["direction"] == "up"
    assert figures["Opportunities"]["change"] == "+1 (none before)"
    assert b.undated == 1  # the article without any date
    assert b.stories and b.stories[0]["reports"] >= 2
    assert any(VISIT in r["sentence"] for r in b.stories[0]["report_items"])
    assert [p["name"] for p in b.places] == ["Strelsau"]
    assert b.opportunities[0]["evidence"] and b.opportunities[0]["url"].startswith(BASE + "/articles/a1")


def test_a_scope_selects_its_events_and_says_what_it_could_not_apply(db: str) -> None:
    with Store(db) as store:
        agree = gather(store, period_from("7d", UNTIL), [Scope(type="AGREE")])
        rur = gather(store, period_from("7d", UNTIL), [Scope(country="RUR", name="mayor")])
    assert {e["type"] for e in agree.events} == {"AGREE"} and len(agree.events) == 1
    assert not agree.visits and len(agree.opportunities) == 1
    assert "Quotes are those of the articles holding a selected event" in agree.notes["quotes"]
    assert "visitor from that country" in rur.notes["visits"] and not rur.visits  # no visitor came from RUR
    assert len(rur.events) == 4
    with Store(db) as store:  # two scopes: what either selects, each item once
        both = gather(store, period_from("7d", UNTIL), [Scope(type="AGREE"), Scope(sector="energy")])
        one = gather(store, period_from("7d", UNTIL), [Scope(sector="energy")])
    assert len(both.events) == len(one.events) == 2  # the AGREE event is also an energy one
    assert {f["label"]: f["now"] for f in both.figures}["Stories"] == {f["label"]: f["now"] for f in one.figures}["Stories"]


def test_the_time_axis_has_every_day_of_the_period_and_counts_what_it_cannot_place() -> None:
    events = [{"when_start": "2025-03-12", "type": "CONSULT", "sectors": ["energy"], "countries": ["ZEN"]},
              {"when_start": "2025-03", "type": "AGREE", "sectors": [], "countries": []}]
    t = timeline(events, period_from("7d", UNTIL), "sector")
    assert t["bucket"] == "day" and (t["placed"], t["coarse"], t["keyless"]) == (1, 1, 0)
    assert len(t["ticks"]) == 7 and t["ticks"][2]["label"] == "12 Mar"
    (bar,) = t["bars"]
    assert bar["x"] > t["ticks"][1]["x"] and bar["x"] < t["ticks"][3]["x"]  # on its own day
    assert timeline(events, period_from("2017", "2024"), "type")["bucket"] == "year"


def test_the_map_projects_longitude_and_latitude_onto_x_and_y() -> None:
    places = [{"name": "West", "lat": 0.0, "lon": -10.0, "events": 1, "url": "/x"},
              {"name": "East", "lat": 40.0, "lon": 30.0, "events": 4, "url": "/y"}]
    m = world_map(places)
    east, west = m["dots"]
    assert east["name"] == "East" and east["r"] > west["r"]
    assert east["x"] > west["x"] and east["y"] < west["y"]  # north is up
    assert m["land"].startswith("M") and world_map([]) is None


def test_land_across_180_degrees_draws_no_line_across_the_map() -> None:
    """Islands astride the antimeridian: each of their outlines stays within half the map's width
    (joined as stored, one edge would go from +180 to -180 and print as a line across the world)."""
    places = [{"name": "Far West", "lat": 10.0, "lon": -170.0, "events": 1, "url": "/x"},
              {"name": "Far East", "lat": -20.0, "lon": 170.0, "events": 1, "url": "/y"}]
    m = world_map(places)
    for ring in re.findall(r"M([^Z]*)Z", m["land"]):
        xs = [float(p.split(",")[0]) for p in ring.split("L")]
        assert all(abs(b - a) < m["width"] / 2 for a, b in pairwise(xs)) or min(
            float(p.split(",")[1]) for p in ring.split("L")) > m["height"]  # the pole's ring, below the map


# --- the HTML ------------------------------------------------------------------------------------

def test_the_html_has_every_section_its_figures_and_evidence(html: str) -> None:
    found = parse(html)
    for section in ("h-figures", "h-time", "h-stories", "h-visits", "h-opps", "h-quotes", "h-map"):
        assert section in found.ids, section
    assert "2025-03-10 to 2025-03-16" in html and "2025-03-03 to 2025-03-09" in html
    assert re.search(r"<th scope=\"row\">Events</th><td class=\"n\">4</td><td class=\"n\">1</td>", html)
    assert VISIT in html and PROMISE in html and "Olga Varn" in html
    hrefs = [u for tag, u in found.urls if tag == "a"]
    assert f"{BASE}/articles/a1/events/v1" in hrefs and f"{BASE}/articles/a1/quotes/q1" in hrefs
    assert any(h.startswith(f"{BASE}/stories/s") for h in hrefs)
    assert "1 stored event carries no date at all" in html
    assert "<svg" in html and 'role="img"' in html


def test_the_html_names_no_outside_url_and_runs_no_script(html: str) -> None:
    found = parse(html)
    outside = [u for _, u in found.urls if not u.startswith(BASE + "/")]
    assert not outside, outside
    assert "script" not in found.tags and "img" not in found.tags and "link" not in found.tags
    assert "@import" not in html and not re.search(r"url\(", html)
    assert "&lt;script&gt;" in html and HOSTILE_HEADLINE not in html  # the headline's markup is text
    assert "evil.example/x" in html  # shown as text, never as a link


def test_an_empty_period_is_stated_not_an_empty_file(db: str) -> None:
    with Store(db) as store:
        html = briefing(store, period_from("7d", "2030-01-07"), base_url=BASE)
    assert 'id="empty-period"' in html and "Nothing in the store falls in this period" in html
    assert "The store's dated events run from 2025-03-05 to 2025-03-14." in html  # where to look instead
    assert "h-figures" in html and "h-stories" not in html


# --- the command ---------------------------------------------------------------------------------

def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_parley_brief_writes_html(db: str, tmp_path: Path) -> None:
    out = tmp_path / "brief.html"
    code, text = run("brief", "--db", db, "--since", "7d", "--until", UNTIL, "-o", str(out), "--base-url", BASE)
    assert code == 0, text
    assert "wrote" in text and "4 events" in text
    assert VISIT in out.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".brief.html.*"))  # no temporary file left
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize("args, hint", [
    (["--since", "7x"], "7d, 2w"),
    (["--until", "2025-13"], "YYYY-MM-DD"),
    (["--since", "2025-04", "--until", "2025-03"], "on or before --until"),
    (["--saved", "office"], "no saved search named 'office'"),
    (["--country", "Ruritania"], "alpha-3"),
    (["--base-url", "ftp://host"], "where `parley serve` answers"),
    (["-o", "brief.docx"], ".html or a .pdf"),
])
def test_wrong_usage_is_an_error_with_a_hint_and_writes_nothing(db: str, tmp_path: Path, args: list[str], hint: str) -> None:
    out = tmp_path / "brief.html"
    if "-o" not in args:
        args = [*args, "-o", str(out)]
    code, text = run("brief", "--db", db, *args)
    assert code == 2 and hint in text, text
    assert not out.exists() and not list(tmp_path.iterdir())


def test_a_missing_store_is_an_error(tmp_path: Path) -> None:
    code, text = run("brief", "--db", str(tmp_path / "none.db"), "-o", str(tmp_path / "b.html"))
    assert code == 2 and "no store at" in text


# --- the PDF -------------------------------------------------------------------------------------

POPPLER = [shutil.which(b) for b in ("pdftoppm", "pdftotext", "pdfinfo")]
needs_poppler = pytest.mark.skipif(not all(POPPLER), reason="poppler-utils (pdftoppm, pdftotext, pdfinfo) is not "
                                                            "installed: apt-get install poppler-utils (.ci/run does)")


def needs_weasyprint() -> None:
    """Skip unless WeasyPrint imports: without Pango (Debian's libpango-1.0-0) it raises OSError,
    which `pytest.importorskip` does not catch."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        pytest.skip(f"WeasyPrint is not usable here ({exc}): pip install weasyprint; apt-get install libpango-1.0-0")


def pdf_links(path: Path) -> list[str]:
    """The link annotations' URLs (pdfinfo -url)."""
    out = subprocess.run(["pdfinfo", "-url", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split()[-1] for line in out.splitlines()[1:] if line.strip()]


@needs_poppler
@pytest.mark.parametrize("paper, size", [("a4", "595.276 x 841.89"), ("letter", "612 x 792")])
def test_the_pdf_prints_on_its_paper_with_its_text_and_pages(db: str, tmp_path: Path, paper: str, size: str) -> None:
    needs_weasyprint()
    out = tmp_path / "brief.pdf"
    code, text = run("brief", "--db", db, "--until", UNTIL, "--paper", paper, "-o", str(out), "--base-url", BASE)
    assert code == 0, text
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert size in info, info
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    words = " ".join(subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                                    check=True).stdout.split())
    for expected in ("Engagement briefing", "Headline figures", "Top stories", "Notable quotes", "Olga Varn",
                     "battery plant", "2025-03-10 to 2025-03-16", f"page 1 of {pages}"):
        assert expected in words, expected
    links = pdf_links(out)
    assert f"{BASE}/articles/a1/quotes/q1" in links and all(u.startswith(BASE + "/") for u in links), links
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(out), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == pages and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    assert all(p.stat().st_size > 2000 for p in pngs)  # drawn pages, not blank ones


def test_a_saved_search_is_a_briefing_scope(tmp_path: Path) -> None:
    from parley.alerts import add
    from parley.brief.gather import Scope
    from parley.brief.saved import lookup
    from parley.errors import FilterError

    with Store(str(tmp_path / "saved.db")) as store:
        add(store, "kenya-energy", "events", {"country": "KEN", "sector": "energy", "type": "AGREE"})
        assert lookup(store, "kenya-energy") == Scope(type="AGREE", country="KEN", sector="energy", name="kenya-energy")
        with pytest.raises(FilterError, match="did you mean kenya-energy"):
            lookup(store, "kenya-energi")


def test_a_story_says_how_many_articles_its_reports_are_in() -> None:
    """Two events of one article joined in a story are two reports but one article to read: the
    briefing says so instead of "2 reports" above a single one."""
    from parley.brief.gather import _Linker, _story
    from parley.brief.render import unique_sentences

    said = "Envoys of Zenda met in Strelsau and signed a rail accord."
    reports = [{"outlet": "Zenda Wire", "file": None, "published": "2025-03-12", "sentence": said,
                "article": "a1", "event": e} for e in ("v1", "v2")]

    class OneStory:
        def read(self, fn, **kwargs):  # type: ignore[no-untyped-def]
            return {"reports": reports}

    story = _story(OneStory(), {"id": "s1", "reports": 2, "outlets": 1}, _Linker("http://x"))
    assert story["articles"] == 1 and len(unique_sentences(story["report_items"])) == 1
    reports.append({**reports[0], "article": "a2", "event": "v9"})
    assert _story(OneStory(), {"id": "s1", "reports": 3, "outlets": 1}, _Linker("http://x"))["articles"] == 2
