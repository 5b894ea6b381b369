"""The Ray engine in local mode: the local pool's documents and skips, from every shard kind.

Ray reads the shards on its workers (JSON Lines, WARC, Parquet of articles, folders of text),
analyses them in one actor pool and either streams documents to the one writer or writes Parquet
itself, which `parley load` stores. Skipped where Ray Data is not installed
(`pip install -e '.[ray]'`; `./setup.sh --test` installs it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.ingest.records import IngestOptions
from parley.run.ingest import ingest
from parley.run.load import load
from parley.run.parquet import UNFINISHED_REASON, ParquetSink
from parley.store import Store

from .shard_inputs import SMALL_LIMIT, make_inputs
from .test_pool import article_text

#: Top-level document fields that may differ between engines or runs: none today (ids are content
#: hashes, documents carry no timestamps); a field added later that legitimately differs goes here.
VARYING: set[str] = set()


def normalised(document: dict) -> str:
    """A document's JSON, keys sorted, without the fields that may legitimately differ (VARYING)."""
    return json.dumps({k: v for k, v in document.items() if k not in VARYING}, sort_keys=True)


def stored(db: Path) -> list[str]:
    with Store(db) as store:
        return [normalised(d.to_dict()) for d in store.iter_documents()]


@pytest.fixture(scope="module")
def local_ray():
    """One local Ray for the module (the runner and the CLI join it instead of starting their own)."""
    pytest.importorskip("ray.data", reason="Ray Data is not installed: pip install -e '.[ray]'")
    import ray

    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture()
def sources(tmp_path: Path) -> list[str]:
    return [str(p) for p in make_inputs(tmp_path / "in").values()]


@pytest.mark.slow
def test_ray_gives_the_pool_documents_and_skips_from_every_shard_kind(sources: list[str], tmp_path: Path,
                                                                    local_ray) -> None:
    from parley.run.ray_runner import RayStats, ray_ingest

    options = IngestOptions(max_bytes=SMALL_LIMIT)
    with Store(tmp_path / "pool.db") as store:
        pool = ingest(sources, store, options=options, workers=2)
    stats = RayStats()
    with Store(tmp_path / "ray.db") as store:
        ray = ray_ingest(sources, store, options=options, actors=2, stats=stats)
    assert stored(tmp_path / "ray.db") == stored(tmp_path / "pool.db")
    assert (ray.stored, ray.duplicates, ray.words) == (pool.stored, pool.duplicates, pool.words) == (11, 0, pool.words)
    assert sorted(map(str, ray.skipped)) == sorted(map(str, pool.skipped))
    assert {s.reason for s in ray.skipped} >= {"binary file (not text)", "empty file", "malformed JSON (Expecting value)"}
    assert stats.actors == 2 and stats.first_result_s is not None
    with Store(tmp_path / "ray.db") as store:  # a rerun: what the store holds is not analysed again
        again = ray_ingest(sources, store, options=options, actors=2)
    assert (again.stored, again.duplicates, again.words) == (0, pool.stored, 0)
    assert sorted(map(str, again.skipped)) == sorted(map(str, pool.skipped))


@pytest.mark.slow
def test_out_writes_parquet_from_the_workers_and_load_stores_it(sources: list[str], tmp_path: Path,
                                                                local_ray) -> None:
    with Store(tmp_path / "local.db") as store:
        local = ingest(sources, store, workers=1)
    out = tmp_path / "docs"
    result = CliRunner().invoke(main, ["ingest", *sources, "--engine", "ray", "--workers", "2", "--out", str(out),
                                       "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)[0]
    assert (summary["stored"], summary["skipped"]) == (local.stored, len(local.skipped)) == (12, 5)
    assert summary["store"] == {"documents": 12, "files": 1}
    [run] = [p for p in out.iterdir()]
    assert run.name.startswith("run-") and not list(out.glob(".*"))  # published whole, nothing left staged

    dead = out / ".run-0123456789ab.partial"  # what a run killed mid-write leaves
    dead.mkdir()
    (dead / "part-0123456789ab-00000.parquet").write_bytes((next(run.iterdir())).read_bytes())
    db = str(tmp_path / "loaded.db")
    for expected_stored in (12, 0):  # loading twice stores each article once
        result = CliRunner().invoke(main, ["load", str(out), "--db", db, "--json"], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        loaded = json.loads(result.stdout)[0]
        assert (loaded["stored"], loaded["skipped_reasons"]) == (expected_stored, [f"{dead}: {UNFINISHED_REASON}"])
    assert sorted(stored(Path(db))) == sorted(stored(tmp_path / "local.db"))


@pytest.mark.slow
def test_an_actor_that_dies_mid_run_loses_and_doubles_nothing(sources: list[str], tmp_path: Path, local_ray,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from parley.run.ray_runner import FAULT_ENV, ray_ingest

    flag = tmp_path / "die-once"
    flag.touch()
    monkeypatch.setenv(FAULT_ENV, str(flag))
    with Store(tmp_path / "ray.db") as store:
        report = ray_ingest(sources[:2], store, actors=2)  # the texts and the JSON Lines
        counts = store.counts()
    assert not flag.exists()  # an actor did die
    with Store(tmp_path / "local.db") as store:
        local = ingest(sources[:2], store, workers=1)
    assert (report.stored, report.duplicates, len(report.skipped)) == (local.stored, 0, len(local.skipped))
    assert counts["articles"] == local.stored
    assert stored(tmp_path / "ray.db") == stored(tmp_path / "local.db")


def test_parquet_sink_publishes_a_whole_run_and_load_reads_it_without_ray(tmp_path: Path) -> None:
    import parley

    docs = [parley.analyze(article_text(i), file=f"{i}.txt") for i in range(3)]
    with ParquetSink(tmp_path / "out", rows_per_file=2) as sink:
        sink.add_many(docs)
        assert not list((tmp_path / "out").glob("run-*"))  # nothing visible before the run ends
    [run] = (tmp_path / "out").glob("run-*")
    assert len(list(run.glob("*.parquet"))) == 2 and not list((tmp_path / "out").glob(".*"))
    with pytest.raises(RuntimeError), ParquetSink(tmp_path / "failed") as sink:  # a failed run leaves nothing
        sink.add_many(docs)
        raise RuntimeError("the run failed")
    assert not list((tmp_path / "failed").iterdir())
    (tmp_path / "out" / "junk.parquet").write_text("not parquet")
    with Store(tmp_path / "s.db") as store:
        report = load([str(tmp_path / "out"), str(tmp_path / "missing")], store)
        assert report.stored == 3
        assert sorted(str(s).split(":")[0].rsplit("/", 1)[-1] for s in report.skipped) == ["junk.parquet", "missing"]
        assert [d.to_dict() for d in store.iter_documents()] == sorted(
            (d.to_dict() for d in docs), key=lambda d: d["article"]["id"])


def test_the_ray_engine_without_ray_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import builtins

    real_import = builtins.__import__

    def no_ray(name: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "ray" or name.startswith("ray."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ray)
    result = CliRunner().invoke(main, ["ingest", str(tmp_path), "--engine", "ray", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert "pip install 'parley[ray]'" in result.stderr


def test_a_cluster_address_nobody_answers_at_fails_in_seconds(tmp_path: Path) -> None:
    pytest.importorskip("ray.data", reason="Ray Data is not installed: pip install -e '.[ray]'")
    from parley.run.ray_runner import EngineUnavailable, ray_ingest

    (tmp_path / "a.txt").write_text(article_text(0))
    with pytest.raises(EngineUnavailable, match="no Ray cluster answers at 127.0.0.1:1"), Store(tmp_path / "s.db") as s:
        ray_ingest([str(tmp_path)], s, address="127.0.0.1:1")
    # Ray Data's executor needs a core worker, which a Ray Client (ray://) driver does not have
    with pytest.raises(EngineUnavailable, match="does not run over Ray Client"), Store(tmp_path / "s.db") as s:
        ray_ingest([str(tmp_path)], s, address="ray://127.0.0.1:10001")
