"""The `parley` command end to end: ingest, re-ingest, bad input, queries, exports, a killed run."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.document import Document
from parley.store import Store

from .conftest import EXAMPLES, ROOT

WORDS = (
    "minister delegation trade port talks investment factory mayor chamber agreement energy city "
    "council exports railway bank summit partners research university hospital farmers market "
    "shipping steel solar wind grain textile tourism visit officials budget plan growth"
).split()


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def random_article(i: int) -> str:
    rng = random.Random(i)
    sentences = [" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "." for _ in range(10)]
    return f"Story Number {i} On Trade\n" + " ".join(sentences) + "\n"


@pytest.fixture()
def db(store_url: str) -> str:
    """The --db of a test: a SQLite file, or a PostgreSQL URL (each test runs on both; stores.py)."""
    return store_url


@pytest.fixture()
def news(tmp_path: Path) -> Path:
    """A folder of the kinds of input a user points Parley at, good and bad."""
    folder = tmp_path / "news"
    (folder / "sub").mkdir(parents=True)
    for name in os.listdir(EXAMPLES):
        (folder / name).write_bytes((EXAMPLES / name).read_bytes())
    (folder / "sub" / "wire.jsonl").write_text(
        json.dumps({"id": "w1", "title": "Ports Reopen", "published": "2024-05-02",
                    "text": "Shipping resumed in Rotterdam on Tuesday, officials of the Dutch port said."}) + "\n"
        + "{broken json\n"
        + json.dumps({"title": "Grain Deal", "body": "Kenya and Egypt signed a grain deal in Cairo."}) + "\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_text("")
    (folder / "blob.txt").write_bytes(bytes(range(256)) * 10)
    with open(folder / "huge.txt", "w") as fh:  # 50 MB: over the documented limit, refused unread
        fh.write("Huge Report\n\n")
        fh.write("word " * 10_000_000)
    (folder / "latin.txt").write_bytes("Café Talks\n\nThe café owners of Montréal met the mayor.".encode("cp1252"))
    return folder


def store_counts(db: str) -> dict[str, int]:
    with Store(db) as store:
        return store.counts()


def test_ingest_folder_reports_and_is_idempotent(news: Path, db: str) -> None:
    code, out, err = run("ingest", str(news), "--db", db, "--quiet")
    assert code == 0
    assert "5 stored" in err
    assert "4 skipped" in err
    assert "huge.txt: larger than the 5 MB limit" in err
    assert "empty.txt: empty file" in err
    assert "blob.txt" in err and "binary" in err
    assert "wire.jsonl:2" in err and "malformed JSON" in err
    first = store_counts(db)
    assert first["articles"] == 5

    code, out, err = run("ingest", str(news), "--db", db, "--quiet")
    assert code == 0 and "0 stored" in err and "5 already stored" in err
    assert store_counts(db) == first


def test_ingest_json_summary_and_encodings(news: Path, db: str) -> None:
    code, out, _ = run("ingest", str(news), "--db", db, "--json")
    summary = json.loads(out)[0]
    assert summary["stored"] == 5 and summary["skipped"] == 4
    assert summary["store"]["articles"] == 5
    code, out, _ = run("search", "Montréal", "--db", db, "--json")
    assert [row["headline"] for row in json.loads(out)] == ["Café Talks"]


def test_near_duplicate_is_linked_not_counted(tmp_path: Path, db: str) -> None:
    story = random_article(7)
    edited = story.replace("Story Number 7", "Story No. 7").replace(".", "!", 2)
    (tmp_path / "a.txt").write_text(story)
    (tmp_path / "b.txt").write_text(edited)
    code, _, err = run("ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--db", db, "--quiet")
    assert code == 0 and "1 stored, 1 near-duplicates linked" in err
    assert store_counts(db)["articles"] == 1
    _, out, _ = run("articles", "--db", db, "--include-duplicates", "--json")
    assert len(json.loads(out)) == 2


def test_stdin_and_analyze_json_match_show(db: str) -> None:
    text = (EXAMPLES / "000_dae04bdc0049074b.txt").read_text(encoding="utf-8")
    code, out, _ = run("analyze", "-", "--json", input=text)
    assert code == 0
    analysed = Document.from_json(out.strip())
    code, _, _ = run("ingest", "-", "--db", db, "--quiet", input=text)
    assert code == 0
    code, out, _ = run("show", analysed.article.id[:10], "--db", db, "--json")
    assert Document.from_json(out) == analysed


def test_analyze_files_prints_one_document_per_line(tmp_path: Path) -> None:
    code, out, _ = run("analyze", *(str(p) for p in sorted(EXAMPLES.glob("*.txt"))), "--json")
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 2
    docs = [json.loads(line) for line in lines]
    assert [d["article"]["file"] for d in docs] == sorted(p.name for p in EXAMPLES.glob("*.txt"))
    assert all(d["schema"] == "parley.article/1" and d["entities"] for d in docs)


def test_listings_in_every_format(news: Path, db: str) -> None:
    run("ingest", str(news), "--db", db, "--quiet")
    for command in (["articles"], ["people"], ["entities", "--type", "GPE"], ["quotes"], ["events"],
                    ["search", "delegation"]):
        code, out, _ = run(*command, "--db", db, "--json")
        assert code == 0 and isinstance(json.loads(out), list), command
        code, out, _ = run(*command, "--db", db, "--csv")
        assert code == 0 and out.count("\n") >= 1, command
        code, out, _ = run(*command, "--db", db)
        assert code == 0, command
    _, out, _ = run("people", "--db", db, "--nl")
    names = [json.loads(line)["name"] for line in out.splitlines()]
    assert "Richard Parker" in names or any("Parker" in n for n in names)
    _, out, _ = run("articles", "--db", db, "--since", "2025-01-01", "--json")
    assert {row["published"] for row in json.loads(out)} == {"2025-03-21"}


def test_show_marks_the_text(news: Path, db: str) -> None:
    run("ingest", str(news), "--db", db, "--quiet")
    _, out, _ = run("articles", "--db", db, "--json")
    code, out, _ = run("show", json.loads(out)[0]["id"], "--db", db)
    assert code == 0 and "Entities" in out


def test_unknown_article_is_one_clear_line(db: str) -> None:
    Store(db).close()
    code, _, err = run("show", "ffffffffff", "--db", db)
    assert code == 1 and err.startswith("Error:") and err.count("\n") == 1


def test_parley_db_names_the_store_and_its_password_is_never_shown(tmp_path: Path, db: str) -> None:
    secret = "s3cret"
    if db.startswith("postgresql://"):
        from sqlalchemy.engine import make_url

        url = make_url(db)  # .ci/run's server trusts local connections, so any password will do
        url = url if url.password else url.set(password=secret)
        secret, db = str(url.password), url.render_as_string(hide_password=False)
    (tmp_path / "one.txt").write_text(random_article(1), encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "one.txt")], env={"PARLEY_DB": db, "COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    assert "1 stored" in result.output and secret not in result.output
    result = CliRunner().invoke(main, ["articles", "--json"], env={"PARLEY_DB": db})
    assert len(json.loads(result.stdout)) == 1


def test_exports(news: Path, db: str, tmp_path: Path) -> None:
    run("ingest", str(news), "--db", db, "--quiet")
    code, out, _ = run("export", "--db", db, "--format", "jsonl")
    assert code == 0 and len(out.splitlines()) == 5
    code, out, _ = run("export", "--db", db, "--format", "csv")
    assert len(list(csv.DictReader(io.StringIO(out)))) == 5
    target = tmp_path / "out.parquet"
    code, _, _ = run("export", "--db", db, "--format", "parquet", "-o", str(target))
    import pyarrow.parquet as pq

    assert code == 0 and pq.read_table(target).num_rows == 5


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"parley {name}" in readme, name


@pytest.mark.slow
def test_killed_ingest_leaves_whole_articles_and_reruns_cleanly(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    total = 400
    for i in range(total):
        (folder / f"{i:04d}.txt").write_text(random_article(i))
    db = str(tmp_path / "killed.db")
    command = [sys.executable, "-m", "parley.cli", "ingest", str(folder), "--db", db, "--quiet"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
        try:
            with sqlite3.connect(db, timeout=1) as conn:
                stored = conn.execute("select count(*) from articles").fetchone()[0]
        except sqlite3.Error:
            continue
        if stored >= 40:
            break
    assert process.poll() is None, "the ingest ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 40 <= stored < total

    conn = sqlite3.connect(db)
    assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
    rows = conn.execute(
        "select a.document, (select count(*) from entities e where e.article_id = a.id),"
        " (select count(*) from mentions m where m.article_id = a.id) from articles a"
    ).fetchall()
    conn.close()
    for document, entity_rows, mention_rows in rows:
        doc = json.loads(document)
        assert entity_rows == len(doc["entities"])
        assert mention_rows == sum(len(e["mentions"]) for e in doc["entities"])

    rerun = subprocess.run(command[:-1] + ["--json"], capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)[0]
    assert summary["duplicates"] >= len(rows)
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*), count(distinct id) from articles").fetchone() == (total, total)
    conn.close()


@pytest.mark.parametrize("args, hint", [
    (["events", "--since", "2025-13-01"], "YYYY, YYYY-MM or YYYY-MM-DD"),
    (["events", "--until", "yesterday"], "relative dates such as 'yesterday' are not taken"),
    (["events", "--country", "India"], "IND for India"),
    (["quotes", "--country", "Ruritania"], "ISO 3166-1 alpha-3"),
    (["events", "--sector", "Energy Sector"], "parley sectors"),
    (["events", "--type", "FOO"], "CONSULT"),
    (["events", "--mode", "teleport"], "visit"),
    (["articles", "--since", "2025-02-30"], "YYYY-MM-DD"),
])
def test_a_filter_that_cannot_match_is_an_error_with_a_hint(db: str, args: list[str], hint: str) -> None:
    Store(db).close()
    code, out, err = run(*args, "--db", db)
    assert code == 2 and hint in err and "nothing found" not in out


@pytest.mark.parametrize("args", [
    ["events", "--since", "2025", "--until", "2025-03"], ["events", "--country", "gbr", "--type", "consult"],
    ["events", "--sector", "Automotive", "--mode", "Visit"], ["opportunities", "--country", "EUR"],
])
def test_well_written_filters_in_any_case_are_taken(db: str, args: list[str]) -> None:
    Store(db).close()
    code, out, err = run(*args, "--db", db)
    assert code == 0 and err == "" and "nothing found" in out


def test_a_reading_command_does_not_create_a_missing_store(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    code, _, err = run("events", "--db", str(missing))
    assert code == 2 and "no store at" in err and "parley ingest" in err
    assert not missing.exists()


def test_a_missing_input_is_reported_and_fails_the_run_after_the_others(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Talks\n\nThe mayor met a trade delegation in Lima on Monday.", encoding="utf-8")
    code, out, err = run("analyze", str(good), str(tmp_path / "missing.txt"), "--json")
    assert code == 1 and "not found" in err and "missing.txt" in err
    assert json.loads(out.splitlines()[0])["article"]["headline"] == "Talks"


def test_sectors_lists_every_id_the_sector_filter_takes() -> None:
    from parley.analysis.sectors import taxonomy

    code, out, _ = run("sectors", "--json")
    assert code == 0 and {row["id"] for row in json.loads(out)} == set(taxonomy())
