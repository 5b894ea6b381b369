"""Readers read: a store that can only be read (a read-only file, folder or mount) is read by every
reading command and served; a writing command on it fails with one line naming the store and the
reason; and a reader is not held up by another process's write transaction, however long.

The read-only cases run in a child process that truly cannot write the store: as a normal user,
after chmod; as root (where chmod stops nothing), as the user nobody keeping only the right to read
everything (setpriv); the mount case in a private mount namespace with a read-only bind mount
(unshare). Where the machine offers none of these, the case is skipped with the reason.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine

from parley.cli import main
from parley.errors import StoreError
from parley.store import Store, migrations
from parley.store import sqlite as store_sqlite

from .test_store import make_doc

ROOT = Path(__file__).resolve().parents[1]
NOBODY = 65534
ARTICLE = "f" * 40
READERS = {  # every reading command, and a word that its output must hold
    "articles": (["articles", "--nl"], ARTICLE),
    "show": (["show", ARTICLE[:8], "--json"], ARTICLE),
    "events": (["events", "--nl"], "CONSULT"),
    "search": (["search", "zephyrine", "--nl"], ARTICLE),
    "export": (["export"], ARTICLE),
    "people": (["people", "--nl"], "Parker"),
    "quotes": (["quotes", "--nl"], "zephyrine"),
}

# What the child process does with the store: every reading command, the web server's pages and API,
# then the writes, each answer reported as JSON (a traceback would show as `exception`).
CHILD = r"""
import json, sys
from click.testing import CliRunner
from fastapi.testclient import TestClient
from parley.cli import main
from parley.errors import StoreError
from parley.store import Store
from parley.web import create_app
from tests.test_store import make_doc

db, readers, text_file = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]

def run(args):
    r = CliRunner().invoke(main, [*args, "--db", db])
    bad = r.exception if r.exception is not None and not isinstance(r.exception, SystemExit) else None
    return {"code": r.exit_code, "stdout": r.stdout, "stderr": r.stderr, "exception": repr(bad) if bad else None}

out = {name: run(args) for name, (args, _) in readers.items()}
out["ingest"] = run(["ingest", "--quiet", text_file])
client = TestClient(create_app(db))
out["web"] = {path: client.get(path).status_code
              for path in ["/", "/articles", "/api/articles", "/api/counts", "/search?q=zephyrine", "/events",
                           "/articles/" + readers["export"][1], "/api/articles/" + readers["export"][1]]}
with Store(db) as store:
    try:
        store.add(make_doc("e" * 40))
        out["add"] = "stored"
    except StoreError as exc:
        out["add"] = str(exc)
print("RESULT " + json.dumps(out))
"""


def _probe(argv: list[str]) -> bool:
    try:
        return subprocess.run(argv, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _as_nobody() -> list[str] | None:
    """As root: the command prefix that runs as nobody, still able to read every file; None if none."""
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    prefix = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
              "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]
    return prefix if _probe([*prefix, sys.executable, "-c", "pass"]) else None


def _read_only_mount(folder: Path) -> list[str] | None:
    """The command prefix that runs in a mount namespace where `folder` is mounted read-only."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    prefix = [unshare, "--mount", "--propagation", "private", *(["--map-root-user"] if os.geteuid() else []),
              "sh", "-c", 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"', str(folder)]
    check = f"import os, sys; sys.exit(os.access({str(folder)!r}, os.W_OK))"  # Python runs there, cannot write
    return prefix if _probe([*prefix, sys.executable, "-c", check]) else None


@pytest.fixture
def base() -> Iterator[Path]:
    """A folder every user may enter (pytest's own is its user's alone), removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix="parley-readonly-"))
    path.chmod(0o755)
    yield path
    for sub in path.rglob("*"):
        if sub.is_dir():
            sub.chmod(0o755)
    path.chmod(0o755)
    shutil.rmtree(path)


def _make_store(folder: Path) -> Path:
    folder.mkdir()
    db = folder / "s.db"
    with Store(db) as store:
        store.add(make_doc(ARTICLE))
    return db


def _prefix_for(how: str, folder: Path) -> list[str]:
    """Make the store read-only `how`, and give the prefix that runs a command that cannot write it."""
    if how == "mount":
        mounted = _read_only_mount(folder)
        if mounted is None:
            pytest.skip("a read-only mount needs a private mount namespace (unshare and mount), not available here")
        return mounted
    prefix: list[str] = []
    if os.geteuid() == 0:  # chmod does not stop root: the child runs as nobody, owner of the store
        nobody = _as_nobody()
        if nobody is None:
            pytest.skip("running as root, where chmod does not stop writes, and setpriv cannot drop to nobody")
        for path in [folder, *folder.iterdir()]:
            os.chown(path, NOBODY, NOBODY)
        prefix = nobody
    if how == "file":
        (folder / "s.db").chmod(0o444)
    else:
        folder.chmod(0o555)  # the file stays writable: SQLite still cannot create -wal or -shm
    return prefix


def _run_child(prefix: list[str], db: Path, text_file: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]), "HOME": str(text_file.parent)}
    done = subprocess.run([*prefix, sys.executable, "-c", CHILD, str(db), json.dumps(READERS), str(text_file)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, f"the child failed:\n{done.stdout}\n{done.stderr}"
    return json.loads(lines[-1][len("RESULT "):])


@pytest.mark.skipif(os.name != "posix", reason="file permissions and mounts as on POSIX")
@pytest.mark.parametrize("how", ["file", "folder", "mount"])
def test_a_read_only_store_is_read_and_served_and_refuses_writes_in_one_line(base: Path, how: str) -> None:
    db = _make_store(base / "store")
    text_file = base / "new.txt"
    text_file.write_text("Ruritania and Freedonia signed a trade agreement on Monday.\n", encoding="utf-8")
    prefix = _prefix_for(how, db.parent)
    before = sorted(p.name for p in db.parent.iterdir())

    out = _run_child(prefix, db, text_file)

    for name, (_, word) in READERS.items():
        assert out[name]["exception"] is None, (name, out[name])
        assert out[name]["code"] == 0, (name, out[name]["stderr"])
        assert word in out[name]["stdout"], (name, out[name]["stdout"][:500])
    assert set(out["web"].values()) == {200}, out["web"]
    ingest = out["ingest"]
    assert ingest["code"] == 1 and ingest["exception"] is None, ingest
    assert len(ingest["stderr"].strip().splitlines()) == 1, ingest["stderr"]
    assert str(db) in ingest["stderr"] and "read-only" in ingest["stderr"], ingest["stderr"]
    assert "Traceback" not in ingest["stderr"] + ingest["stdout"]
    assert "read-only" in out["add"] and str(db) in out["add"]
    if how != "file":  # no -wal or -shm could be made, and none was
        assert sorted(p.name for p in db.parent.iterdir()) == before


@pytest.mark.skipif(os.name != "posix", reason="file permissions as on POSIX")
def test_a_read_only_folder_with_unfolded_changes_is_refused_with_the_reason(base: Path) -> None:
    """Reading the file alone would miss committed changes (or read a half-done checkpoint)."""
    folder = base / "store"
    db = _make_store(folder)
    keeper = sqlite3.connect(db, isolation_level=None)
    keeper.execute("PRAGMA wal_autocheckpoint = 0")
    keeper.execute("INSERT INTO _summary_totals (name, n) VALUES ('probe', 1)")
    copy = base / "copy"
    copy.mkdir()
    shutil.copy(db, copy / "s.db")
    shutil.copy(f"{db}-wal", copy / "s.db-wal")  # a store copied with its log, without the -shm
    keeper.close()
    prefix = _prefix_for("folder", copy)
    code = "import sys\nfrom parley.store import Store\nStore(sys.argv[1])"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([*prefix, sys.executable, "-c", code, str(copy / "s.db")], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 1
    assert "StoreError" in done.stderr and "holds changes not yet in the file" in done.stderr


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="needs a second user: runs as root, reading as nobody")
def test_a_store_in_a_folder_others_may_write_is_not_read_as_unchanging(base: Path) -> None:
    """immutable=1 would read wrong pages if the folder's owner started writing: refused, with what to do."""
    db = _make_store(base / "store")  # the folder stays root's, writable by root alone
    nobody = _as_nobody()
    if nobody is None:
        pytest.skip("setpriv cannot drop to nobody here")
    os.chown(db, NOBODY, NOBODY)
    code = "import sys\nfrom parley.store import Store\nStore(sys.argv[1])"
    done = subprocess.run([*nobody, sys.executable, "-c", code, str(db)], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")}, timeout=120)
    assert done.returncode == 1
    assert "cannot read the store safely" in done.stderr and "mount it read-only" in done.stderr


# --- readers and a long write transaction ---------------------------------------------------------

@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> float:
    """A busy timeout of half a second, so a reader that waited on the writer would fail fast."""
    monkeypatch.setattr(store_sqlite, "BUSY_TIMEOUT_S", 0.5)
    return 0.5


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_readers_read_while_another_process_holds_the_write_lock_past_the_busy_timeout(
        tmp_path: Path, short_busy_timeout: float, journal: str) -> None:
    """A store in rollback-journal mode (made elsewhere, or switched back) is read too: only a writer
    switches it to WAL, as the switch needs the lock the other process holds."""
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.add(make_doc(ARTICLE))
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute(f"PRAGMA journal_mode = {journal}")
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a long ingest
    writer.execute("INSERT INTO _summary_totals (name, n) VALUES ('probe', 1)")
    try:
        time.sleep(short_busy_timeout * 1.5)  # held past the busy timeout already
        started = time.monotonic()
        with Store(db) as reader:
            assert [a["id"] for a in reader.articles()] == [ARTICLE]
            assert reader.get(ARTICLE[:8]).article.id == ARTICLE
            assert reader.search("zephyrine")
        for name, (args, word) in READERS.items():
            result = CliRunner().invoke(main, [*args, "--db", str(db)])
            assert result.exit_code == 0, (name, result.output)
            assert word in result.stdout, name
        assert time.monotonic() - started < 20
        assert writer.execute("PRAGMA journal_mode").fetchone()[0] == journal  # no reader switched it
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_writer_still_switches_a_store_to_wal(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.add(make_doc(ARTICLE))
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = delete")
    conn.close()
    with Store(db) as store:
        store.add(make_doc("e" * 40))
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


# --- the open path's parts ------------------------------------------------------------------------

def test_the_read_only_uri_keeps_odd_characters_of_the_path(tmp_path: Path) -> None:
    db = tmp_path / "a?b#c%20 d.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    ro = sqlite3.connect(store_sqlite._read_only_uri(db, immutable=False), uri=True)
    assert ro.execute("SELECT count(*) FROM t").fetchone() == (0,)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        ro.execute("INSERT INTO t VALUES (1)")
    ro.close()
    assert not (tmp_path / "a").exists()  # the path was not cut at '?'


def test_a_writable_store_is_opened_for_writing(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        assert store.read_only is None
        store.require_writable()


def test_a_read_only_store_behind_the_current_schema_is_refused_with_the_reason(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    sqlite3.connect(db).close()
    engine = create_engine(f"sqlite:///{db}")
    try:
        with pytest.raises(StoreError, match=r"old\.db: cannot open store: it has no Parley schema .*read-only "
                                             r"\(the file is not writable\)"):
            migrations.migrate(engine, str(db), read_only="the file is not writable")
    finally:
        engine.dispose()
