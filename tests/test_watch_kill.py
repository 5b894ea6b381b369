"""A watcher killed mid-poll (SIGKILL) and restarted loses nothing and stores and fetches nothing twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from parley.store import Store
from parley.watch import state

from .watch_server import FeedServer

ROOT = Path(__file__).resolve().parent.parent

#: The child: one round of a watcher with the light analyzer (no spaCy), one article per transaction.
CHILD = """
import sys
from parley.ingest.records import IngestOptions
from parley.store import Store
from parley.watch import WatchOptions, Watcher
from tests.watch_server import light_analyzer
with Store(sys.argv[1]) as store:
    watcher = Watcher(store, options=WatchOptions(every=60, host_gap=0, spread=0, resolve=False),
                      ingest_options=IngestOptions(timeout=30), analyzer=light_analyzer)
    watcher.add(sys.argv[2])
    print(watcher.round().as_dict(), flush=True)
"""


def _child(db: Path, url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    return subprocess.Popen([sys.executable, "-c", CHILD, str(db), url], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_watcher_killed_mid_poll_resumes_without_doing_anything_twice(tmp_path: Path) -> None:
    server = FeedServer(hang_seconds=60)
    try:
        feed = server.feed("/k.xml")
        for n in range(1, 5):
            feed.add(f"k{n}", teaser=True)  # each entry's article is on its linked page
        server.hang_pages.add("/page/k3")
        db = tmp_path / "k.db"
        Store(db).close()

        child = _child(db, server.url("/k.xml"))
        try:
            assert server.wait_for("/page/k3", timeout=120), "the watcher never asked for the third page"
            child.send_signal(signal.SIGKILL)  # mid-poll: two articles stored, the third page in flight
        finally:
            child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL

        with Store(db) as store:
            assert store.counts()["articles"] == 2
            [source] = store.read(lambda c: state.sources(c))
            assert source.etag is None  # the poll did not finish: its validators were not kept
            assert store.read(lambda c: state.unseen(c, source.id, ["k1", "k2", "k3", "k4"])) == {"k3", "k4"}

        server.hang_pages.clear()
        again = _child(db, server.url("/k.xml"))
        out, err = again.communicate(timeout=180)
        assert again.returncode == 0, err
        assert "'stored': 2" in out and "'duplicates': 0" in out

        with Store(db) as store:
            assert store.counts()["articles"] == 4
            ids = [a["id"] for a in store.articles(limit=None)]
            assert sorted(ids) == ["k1", "k2", "k3", "k4"]  # the entries' guids: each stored once
        assert [server.count(f"/page/k{n}", 200) for n in range(1, 5)] == [1, 1, 1, 1]
        assert server.count("/k.xml", 200) == 2
    finally:
        server.close()


def test_parley_watch_runs_until_sigterm_and_logs_each_poll(tmp_path: Path) -> None:
    """The command itself, with the real analysis: one article, a log line, a clean stop on SIGTERM."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "talks.txt").write_text("Envoys meet in Zenda\n\nThe trade minister of Ruritania met her Freedonian "
                                      "counterpart in Zenda on Tuesday to discuss a new rail link.\n", encoding="utf-8")
    db = tmp_path / "w.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "parley.cli", "watch", str(folder), "--every", "1h", "--db", str(db)],
                            env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            lines.append(line)
            if " poll " in line:
                break
        proc.send_signal(signal.SIGTERM)
        _, rest = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    log = "".join(lines) + rest
    assert proc.returncode == 0, log
    assert f"poll {folder}: changed, 1 new; next poll " in log
    assert "stopping after the round in progress (SIGTERM)" in log
    with Store(db) as store:
        assert store.counts()["articles"] == 1
        [row] = store.read(lambda c: state.health(c, 0))
        assert (row["every"], row["items"], row["failures"]) == ("1h", 1, 0)
