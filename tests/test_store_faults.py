"""Faults a shared store survives, for real: the database connection killed mid-ingest (PostgreSQL's
pg_terminate_backend from another connection), the server restarted mid-ingest, and two `parley
ingest` processes on one folder at once (on SQLite and on PostgreSQL). Nothing may be lost, doubled
or stored in part."""

from __future__ import annotations

import glob
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from parley.store import Store

from .test_store import _article_counts, _child_env, _docs, _whole

WORDS = ("minister delegation trade port talks investment factory mayor chamber agreement energy "
         "city council exports railway bank summit partners research university hospital").split()


def _with_app_name(url: str, name: str) -> str:
    """The URL with every connection labelled `name` in pg_stat_activity, so a test can find it."""
    return make_url(url).update_query_dict({"application_name": name}).render_as_string(hide_password=False)


class Killer(threading.Thread):
    """Terminates the server backends of connections labelled `name`, `times` times, `gap` s apart;
    counts the kills that hit a connection inside a transaction (the ones a retry has to redo)."""

    def __init__(self, engine, name: str, times: int, gap: float, mid_transaction: bool) -> None:
        super().__init__(daemon=True)
        self.engine, self.name, self.times, self.gap = engine, name, times, gap
        self.states = ("active", "idle in transaction") if mid_transaction else None
        self.kills: list[str] = []
        self.done = threading.Event()

    def run(self) -> None:
        query = ("SELECT pid, state FROM pg_stat_activity WHERE application_name = :n "
                 "AND pid <> pg_backend_pid()")
        with self.engine.connect() as conn:
            while len(self.kills) < self.times and not self.done.is_set():
                for pid, state in conn.execute(text(query), {"n": self.name}).all():
                    if self.states and state not in self.states:
                        continue
                    if conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar():
                        self.kills.append(state)
                        time.sleep(self.gap)
                        break
                else:
                    time.sleep(0.005)


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_connection_killed_mid_write_is_retried_and_nothing_is_lost(store_url, pg_server):
    docs = _docs(300, prefix="k")
    url = _with_app_name(store_url, "parley_victim")
    killer = Killer(pg_server[1], "parley_victim", times=3, gap=0.3, mid_transaction=True)
    with Store(url) as store:
        killer.start()
        results = store.add_many(docs, batch_size=10)
        killer.done.set()
        killer.join()
        assert len(killer.kills) >= 1, "no kill landed inside a transaction; the test proved nothing"
        assert {r.article_id for r in results} == {d.article.id for d in docs}
        # a batch whose commit reached the server just before the kill is redone as duplicates
        assert {r.status for r in results} <= {"stored", "duplicate"}
        present = _article_counts(store)
        assert set(present) == {d.article.id for d in docs}
        for doc in docs:
            assert present[doc.article.id] == _whole(doc), doc.article.id
        assert store.counts()["articles"] == 300 and store.counts()["quotes"] == 600


def _folder(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    for i in range(n):
        rng = random.Random(i)
        body = " ".join(" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "." for _ in range(8))
        (folder / f"{i:03d}.txt").write_text(f"Story {i} On Trade\n{body}\n", encoding="utf-8")
    return folder


def _ingest(folder: Path, url: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "parley.cli", "ingest", str(folder), "--db", url, "--json"],
                            env=_child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _assert_whole(url: str, n: int) -> None:
    """n articles, each with exactly the rows its document implies."""
    with Store(url) as store:
        docs = {d.article.id: d for d in store.iter_documents()}
        present = _article_counts(store)
    assert len(docs) == n and set(present) == set(docs)
    for aid, doc in docs.items():
        want = (len(doc.entities), len(doc.quotes), sum(len(e.mentions) for e in doc.entities),
                len(doc.events), 1, 20)
        assert present[aid] == want, aid


@pytest.mark.slow
def test_two_ingests_of_one_folder_at_once_store_each_article_once(tmp_path, store_url):
    folder = _folder(tmp_path, 24)
    Store(store_url).close()  # created up front, so both runs race on articles, not on migrations
    procs = [_ingest(folder, store_url) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (_, err) in zip(procs, outs):
        assert p.returncode == 0, err
    reports = [json.loads(out)[0] for out, _ in outs]
    for r in reports:
        assert r["stored"] + r["near_duplicates"] + r["duplicates"] == 24, r
    assert sum(r["stored"] + r["near_duplicates"] for r in reports) == 24  # each stored by one run only
    _assert_whole(store_url, 24)


@pytest.mark.slow
@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_ingest_survives_its_connection_being_killed(tmp_path, store_url, pg_server):
    folder = _folder(tmp_path, 30)
    url = _with_app_name(store_url, "parley_cli_victim")
    Store(url).close()
    killer = Killer(pg_server[1], "parley_cli_victim", times=4, gap=0.5, mid_transaction=False)
    proc = _ingest(folder, url)
    killer.start()
    out, err = proc.communicate(timeout=300)
    killer.done.set()
    killer.join()
    assert proc.returncode == 0, err
    assert killer.kills, "the ingest ended before any kill"
    report = json.loads(out)[0]
    assert report["stored"] + report["near_duplicates"] + report["duplicates"] == 30 and not report["skipped"]
    _assert_whole(url, 30)


@pytest.fixture
def own_server():
    """A PostgreSQL server of this test's own, to restart: (URL, restart()). Needs Debian's
    postgresql binaries; as root, the server runs as the `postgres` user (initdb refuses root)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found or (os.geteuid() == 0 and shutil.which("runuser") is None):
        pytest.skip("no PostgreSQL server binaries (apt-get install postgresql)")
    pytest.importorskip("psycopg")
    bin_dir = Path(found[-1]).parent
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    folder = Path(tempfile.mkdtemp(prefix="parley-restart-"))
    if as_user:
        shutil.chown(folder, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = folder / "data"
    ctl = [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w", "-t", "60"]
    options = ["-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off"]
    subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", str(data), "-U", "parley", "--auth=trust",
                    "--no-sync"], check=True, capture_output=True)
    subprocess.run([*ctl, *options, "start"], check=True, capture_output=True)
    try:
        subprocess.run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "parley", "restart"],
                       check=True, capture_output=True)
        yield (f"postgresql://parley@127.0.0.1:{port}/restart",
               lambda: subprocess.run([*ctl, *options, "-m", "immediate", "restart"], check=True, capture_output=True))
    finally:
        subprocess.run([*ctl, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
def test_server_restart_mid_ingest_is_ridden_out(own_server):
    url, restart = own_server
    docs = _docs(200, prefix="r")
    results, errors = [], []
    with Store(url) as store:
        def write() -> None:
            try:
                results.extend(store.add_many(docs, batch_size=5))
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        writer = threading.Thread(target=write)
        writer.start()
        while not results and store.counts()["articles"] < 30 and writer.is_alive():
            time.sleep(0.01)
        assert writer.is_alive(), "the ingest finished before the restart; give it more work"
        restart()  # -m immediate: every connection cut, crash recovery on the way up
        writer.join(timeout=120)
        assert errors == [] and len(results) == 200
        present = _article_counts(store)
        assert set(present) == {d.article.id for d in docs}
        assert all(present[d.article.id] == _whole(d) for d in docs)
