"""The Ray runner in local mode gives the local pool's documents; Parquet out and `parley load` back.

Skipped where Ray Data is not installed (`pip install -e '.[ray]'`; `./setup.sh --test` installs it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from parley.cli import main
from parley.run.ingest import read_articles
from parley.run.load import load
from parley.run.parquet import ParquetSink, read_documents
from parley.run.pool import analyze_parallel
from parley.store import Store

from .test_pool import article_text

#: Top-level document fields that may differ between engines or runs: none today (ids are content
#: hashes, documents carry no timestamps); a field added later that legitimately differs goes here.
VARYING: set[str] = set()


def normalised(document: dict) -> str:
    """A document's JSON, keys sorted, without the fields that may legitimately differ (VARYING)."""
    return json.dumps({k: v for k, v in document.items() if k not in VARYING}, sort_keys=True)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "news"
    path.mkdir()
    for i in range(6):
        (path / f"{i:02d}.txt").write_text(article_text(i), encoding="utf-8")
    (path / "empty.txt").write_text("")  # skipped the same way by every engine
    return path


@pytest.fixture()
def local_ray():
    """One local Ray for the whole test (the runner and the CLI join it instead of starting their own)."""
    pytest.importorskip("ray.data", reason="Ray Data is not installed: pip install -e '.[ray]'")
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.mark.slow
def test_ray_local_mode_gives_the_pool_documents_and_parquet_round_trips(folder: Path, tmp_path: Path,
                                                                        local_ray) -> None:
    from parley.run.ray_runner import analyze_with_ray

    files = sorted(str(p) for p in folder.iterdir())
    pool = [normalised(d.to_dict()) for d in analyze_parallel(read_articles(files), workers=2, chunk_size=2)]
    ray_docs = list(analyze_with_ray(read_articles(files), actors=2, window=4))  # two windows: order across them
    assert [normalised(d.to_dict()) for d in ray_docs] == pool
    assert len(pool) == 6

    # the CLI: --engine ray --out writes Parquet; `parley load` stores it; skips are reported alike
    out = tmp_path / "docs"
    result = CliRunner().invoke(main, ["ingest", str(folder), "--engine", "ray", "--workers", "2", "--out",
                                       str(out), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)[0]
    assert summary["stored"] == 6 and summary["skipped"] == 1 and summary["store"]["documents"] == 6
    assert [normalised(d.to_dict()) for d in read_documents([str(out)])] == pool

    db = str(tmp_path / "loaded.db")
    for expected_stored in (6, 0):  # loading twice stores each article once
        result = CliRunner().invoke(main, ["load", str(out), "--db", db, "--json"], catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)[0]["stored"] == expected_stored
    with Store(db) as store:
        assert sorted(normalised(d.to_dict()) for d in store.iter_documents()) == sorted(pool)


def test_parquet_sink_and_load_without_ray(tmp_path: Path) -> None:
    import parley

    docs = [parley.analyze(article_text(i), file=f"{i}.txt") for i in range(3)]
    with ParquetSink(tmp_path / "out", rows_per_file=2) as sink:
        sink.add_many(docs)
    files = sorted((tmp_path / "out").glob("*.parquet"))
    assert len(files) == 2 and not list((tmp_path / "out").glob(".*"))
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
    from parley.run.ray_runner import EngineUnavailable, analyze_with_ray

    (tmp_path / "a.txt").write_text(article_text(0))
    with pytest.raises(EngineUnavailable, match="no Ray cluster answers at 127.0.0.1:1"):
        list(analyze_with_ray(read_articles([str(tmp_path)]), address="127.0.0.1:1"))
