#!/usr/bin/env python3
"""Scaling out, in one run on the same texts: 1 and 2 workers, the spaCy pipeline alone, Ray.

    .venv/bin/python benchmarks/scale_throughput.py [--data DIR] [--limit N] [--workers 1,2] [--no-ray]

DIR defaults to the PolNeAR texts in ../shared/data/polnear (train and dev; the script says so and
stops when they are absent). Every figure is the whole main job, `parley ingest` into a fresh
SQLite store (read, clean, analyse, write), except `spacy_alone`:
- spacy_alone: `nlp.pipe` over the raw texts in this process with the very pipeline Parley loads;
- ingest_wN: `ingest(..., workers=N)`, N = 1 in this process, N > 1 in the local pool
  (start-up of the workers, each loading the model, included);
- ray_local: `ray_ingest(...)` into a fresh SQLite store: the Ray engine in local mode, one actor
  per core, the files read and cleaned by Ray tasks, documents streamed to this process's writer
  (start-up of Ray and of its actors included: `ray_start_s` is Ray's start, `first_result_s`
  the seconds to the first analysed batch, actors' model loading included).
Reported: articles/s and words/s (words of the raw texts), the scaling of N workers over 1, the
ratio of Parley's full throughput to spaCy alone (both one process), and peak resident memory of
each pool worker (ru_maxrss, reported by the worker itself). Compare ratios, not absolute
figures: the machines are shared, and the load average at start and end is printed with them.
On a machine busy with other work the measured scaling understates the pool (Linux's autogroup
scheduler shares the CPUs between sessions, not processes, so a busy neighbour caps what more
processes can get); the CPU seconds of
each run (main process and workers) give `projected_scaling_idle`, what N idle cores would give,
and `machine_scaling_pure_cpu` says what N processes of pure busy work get over one at the start
of the run (N on N idle cores).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from parley.analysis.pipeline import load_model  # noqa: E402
from parley.run.ingest import ingest  # noqa: E402
from parley.run.pool import PoolStats, analyze_parallel  # noqa: E402
from parley.store import Store  # noqa: E402

POLNEAR = ROOT.parent / "shared" / "data" / "polnear"
MB = 1024 * 1024


def polnear_files() -> list[Path]:
    return sorted(POLNEAR.glob("*/text/*.txt"))


def rate(articles: int, words: int, seconds: float) -> dict:
    return {
        "seconds": round(seconds, 2),
        "articles_per_s": round(articles / seconds, 2),
        "words_per_s": round(words / seconds),
    }


def cpu_seconds() -> tuple[float, float]:
    """(this process, its reaped children): user + system CPU seconds so far."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def timed(files: list[Path], run) -> tuple[float, object, float, float]:
    """Wall seconds of `run(paths, store)` into a fresh SQLite store, its report, and the CPU
    seconds of this process and of its reaped children; checks every file is accounted for."""
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        own0, children0 = cpu_seconds()
        start = time.perf_counter()
        report = run([str(f) for f in files], store)
        seconds = time.perf_counter() - start
        own1, children1 = cpu_seconds()
    done = report.stored + report.near_duplicates + report.duplicates
    assert done + len(report.skipped) == len(files), report.as_dict()
    return seconds, report, own1 - own0, children1 - children0


def run_ingest(files: list[Path], analyzer=None, workers: int = 1) -> tuple[float, dict]:
    """Wall seconds, and what was stored and skipped, with the CPU seconds of this process and of
    the pool's workers (reaped when the pool closes, so counted; Ray's workers are not children)."""
    seconds, report, own, children = timed(
        files, lambda paths, store: ingest(paths, store, workers=workers, analyzer=analyzer))
    return seconds, {"stored": report.stored, "skipped": len(report.skipped),
                     "cpu_s_main": round(own, 1), "cpu_s_workers": round(children, 1)}


def run_ray(files: list[Path], actors: int) -> tuple[float, dict]:
    """Wall seconds of the Ray engine's whole ingest (Ray started and stopped in it), and its stats."""
    from parley.run.ray_runner import RayStats, ray_ingest

    stats = RayStats()
    seconds, report, own, _ = timed(
        files, lambda paths, store: ray_ingest(paths, store, actors=actors, stats=stats))
    return seconds, {"stored": report.stored, "skipped": len(report.skipped), "actors": stats.actors,
                     "ray_start_s": round(stats.connect_s, 1), "first_result_s": round(stats.first_result_s or 0, 1),
                     "cpu_s_main": round(own, 1)}


def _spin(seconds: float) -> int:
    """Pure-Python busy work for `seconds` of wall time; returns how much got done."""
    end, n = time.perf_counter() + seconds, 0
    while time.perf_counter() < end:
        n += 1
    return n


def machine_scaling(n: int, seconds: float = 5.0) -> float:
    """How much more pure CPU work n processes get done than one, right now, on this machine.

    On n idle cores this is n; on a machine other work keeps busy it is what any pool can hope
    for, so the pool's measured scaling is to be read against it.
    """
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(n) as pool:
        pool.map(_spin, [0.2] * n)  # started and warm
        one = pool.apply(_spin, (seconds,))
        many = sum(pool.map(_spin, [seconds] * n))
    return many / one


def _cpu(run: dict) -> float:
    return run["cpu_s_main"] + run["cpu_s_workers"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="folder of .txt articles (default: the PolNeAR texts)")
    parser.add_argument("--limit", type=int, default=None, help="the first N texts only")
    parser.add_argument("--workers", default="1,2", help="worker counts to time (default: 1,2)")
    parser.add_argument("--no-ray", action="store_true", help="leave out the Ray local-mode figure")
    args = parser.parse_args()

    if args.data:
        files = sorted(args.data.rglob("*.txt"))
    else:
        if not POLNEAR.is_dir():
            sys.exit(f"PolNeAR texts not found at {POLNEAR}: pass --data DIR (a folder of .txt articles)")
        files = polnear_files()
    files = files[: args.limit] if args.limit else files
    if not files:
        sys.exit("no .txt texts found")
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    words = sum(len(t.split()) for t in texts)
    counts = [int(n) for n in args.workers.split(",")]
    load_before = os.getloadavg()[0]
    machine = {f"{n}_over_1": round(machine_scaling(n), 3) for n in counts if n != 1}

    nlp = load_model()
    list(nlp.pipe(texts[:5]))  # warm-up: the model is loaded and its first batch compiled
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    results: dict = {"spacy_alone": rate(len(files), words, time.perf_counter() - start)}

    peaks: dict[str, list[int]] = {}
    for n in counts:
        stats = PoolStats()
        if n == 1:
            seconds, outcome = run_ingest(files, workers=1)
        else:
            def pooled(articles, on_error, n=n, stats=stats):
                return analyze_parallel(articles, workers=n, on_error=on_error, stats=stats)

            seconds, outcome = run_ingest(files, analyzer=pooled)
            # workers forked from the pool's fork server are not this process's children: their
            # CPU time is what they report themselves (the server's one warm-up is left out)
            outcome["cpu_s_workers"] = round(sum(stats.cpu_s.values()), 1)
            peaks[f"w{n}"] = sorted(round(v / MB) for v in stats.peak_rss.values())
        results[f"ingest_w{n}"] = rate(len(files), words, seconds) | outcome
    in_process_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 // MB

    if not args.no_ray:
        try:
            seconds, outcome = run_ray(files, actors=max(counts))
        except Exception as exc:  # noqa: BLE001 - reported, the other figures stand
            results["ray_local"] = {"error": f"{type(exc).__name__}: {exc}"}
        else:
            results["ray_local"] = rate(len(files), words, seconds) | outcome

    base = results["ingest_w1"]["articles_per_s"] if 1 in counts else None
    summary = {
        "articles": len(files),
        "words": words,
        "cores": len(os.sched_getaffinity(0)),
        "pipes": nlp.pipe_names,
        **results,
        "scaling": {f"w{n}_over_w1": round(results[f"ingest_w{n}"]["articles_per_s"] / base, 3)
                    for n in counts if base and n != 1},
        "ratio_ingest_w1_to_spacy_alone": round(base / results["spacy_alone"]["articles_per_s"], 3) if base else None,
        # what the CPU seconds say N workers would give on N idle cores: the one-process run's CPU
        # time over the pool run's critical path (the main process alone, or all CPU spread over N)
        "projected_scaling_idle": {
            f"w{n}_over_w1": round(_cpu(results["ingest_w1"]) / max(
                results[f"ingest_w{n}"]["cpu_s_main"], _cpu(results[f"ingest_w{n}"]) / n), 3)
            for n in counts if 1 in counts and n != 1},
        "machine_scaling_pure_cpu": machine,
        "peak_rss_mb_per_worker": peaks,
        "peak_rss_mb_in_process_run": in_process_peak,
        "load_average": {"start": round(load_before, 2), "end": round(os.getloadavg()[0], 2)},
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
