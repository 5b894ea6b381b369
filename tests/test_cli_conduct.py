"""How the CLI behaves around its work: a path that is not there fails every reading command (ingest,
load, analyze) after the rest is read; a query command starts without the analysis or near-duplicate
machinery; an ingest whose inputs say how many articles they hold shows a bar, the count and an ETA;
`events` shows the place in a narrow terminal and a wide one."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from click.testing import CliRunner
from rich.console import Console

from parley.cli import main
from parley.store import Store

from .test_store import make_doc


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", ["ingest", "load"])
def test_a_missing_input_fails_ingest_and_load(tmp_path: Path, command: str) -> None:
    missing = tmp_path / ("missing.txt" if command == "ingest" else "missing.parquet")
    code, out, err = run(command, str(missing), "--db", str(tmp_path / "s.db"), "--json")
    assert code == 1 and "not found" in err and missing.name in err
    assert json.loads(out)[0]["skipped"] == 1  # the summary is still written


def test_a_good_input_beside_a_missing_one_is_stored(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Port Talks\n\nThe mayor met a trade delegation in Lima on Monday.", encoding="utf-8")
    code, _, _ = run("ingest", str(good), str(tmp_path / "missing.txt"), "--db", str(tmp_path / "s.db"), "--quiet")
    assert code == 1
    with Store(str(tmp_path / "s.db")) as store:
        assert store.counts()["articles"] == 1


HEAVY = ("spacy", "datasketch", "scipy", "parley.analysis.pipeline")
PROBE = """
import runpy, sys
sys.argv = ["parley", *sys.argv[1:]]
try:
    runpy.run_module("parley.cli", run_name="__main__")
except SystemExit as exit:
    assert not exit.code, exit.code
print(sorted(m for m in {heavy!r} if m in sys.modules))
"""


@pytest.mark.parametrize("command", [["events"], ["quotes"], ["articles"], ["search", "zephyrine"],
                                     ["events", "--country", "GBR", "--since", "2025"]])
def test_a_query_command_imports_only_what_it_uses(tmp_path: Path, command: list[str]) -> None:
    db = str(tmp_path / "s.db")
    with Store(db) as store:
        store.add(make_doc())
    src = str(Path(sys.modules["parley"].__file__).resolve().parents[1])
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *command, "--db", db, "--csv"], check=False,
                          capture_output=True, text=True, timeout=120, env={"PYTHONPATH": src, "PATH": ""})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]", done.stdout  # none of the heavy modules was imported
    assert len(done.stdout.splitlines()) >= 2  # and rows were written


def test_ingest_progress_shows_the_total_a_bar_and_the_time_left() -> None:
    from parley.run.progress import IngestProgress

    progress = IngestProgress(total=40)
    for done in (5, 10):
        progress.update(SimpleNamespace(processed=done, skipped=[], seconds=done / 2))
    out = io.StringIO()
    Console(file=out, width=120, color_system=None).print(progress._progress.get_renderable())
    line = out.getvalue()
    assert "10/40" in line and "━" in line and "articles/s" in line
    assert any(c.__class__.__name__ == "TimeRemainingColumn" for c in progress._progress.columns)
    unknown = IngestProgress(total=None)  # a feed: no bar, no invented total
    assert not any(c.__class__.__name__ in ("BarColumn", "TimeRemainingColumn") for c in unknown._progress.columns)



@pytest.mark.parametrize("width", [80, 200])
def test_events_show_their_place_in_any_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    db = str(tmp_path / "s.db")
    with Store(db) as store:
        store.add(make_doc())
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, _ = run("events", "--db", db)
    assert code == 0
    if width == 80:  # rows as records: the place is one of the fields
        assert "location: Chongqing" in " ".join(out.split())
    else:
        assert "┃ location" in out and out.count("Chongqing") == 2  # the visit's recipient and its place


@pytest.mark.parametrize("command, listing", [
    (["events"], lambda s: s.events()), (["quotes"], lambda s: s.quotes()), (["articles"], lambda s: s.articles()),
    (["entities"], lambda s: s.entities()), (["opportunities"], lambda s: s.opportunities()),
    (["search", "zephyrine"], lambda s: s.search("zephyrine", limit=None)), (["pipeline"], lambda s: s.pipeline()),
    (["events", "--type", "CONSULT", "--since", "2025"], lambda s: s.events(type="CONSULT", since="2025")),
])
def test_a_cut_listing_says_how_many_match_in_all(store_url: str, command: list[str], listing: Any) -> None:
    docs = [make_doc(f"{n:040x}", seed=n, person=f"Person{n} Quill", country=country)
            for n, country in enumerate(("GBR", "FRA", "DEU"))]  # three pipelines: three pairs of sides
    with Store(store_url) as store:
        store.add_many(docs)
        every = len(listing(store))
    assert every >= 3
    code, out, err = run(*command, "--db", store_url, "--limit", "2", "--csv")
    assert code == 0 and err.strip() == f"2 of {every} shown: raise --limit or narrow the filters"
    assert len(out.splitlines()) == 3  # the header and the two rows: stdout stays clean
    code, _, err = run(*command, "--db", store_url, "--limit", str(every), "--csv")
    assert code == 0 and err == ""
