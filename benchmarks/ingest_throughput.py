#!/usr/bin/env python3
"""Ingest throughput beside the spaCy pipeline alone, on the same texts in the same run.

    .venv/bin/python benchmarks/ingest_throughput.py [--data DIR] [--limit N] [--repeat R]

DIR defaults to the PolNeAR texts in ../shared/data/polnear (train and dev). Figures:
- spacy_alone: `nlp.pipe` over the raw texts with the very pipeline Parley loads (same pipes);
- analyze: Parley's read + clean + analyse, no store (what `parley analyze --json` does);
- ingest: the whole main job into a fresh SQLite store (what `parley ingest` does).
Each is timed R times (median reported) after one warm-up pass over a few texts; compare them as
ratios, the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from parley.analysis.pipeline import analyze_articles, load_model  # noqa: E402
from parley.run.ingest import ingest, read_articles  # noqa: E402
from parley.store import Store  # noqa: E402


def default_files() -> list[Path]:
    base = ROOT.parent / "shared" / "data" / "polnear"
    return sorted(base.glob("*/text/*.txt"))


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="folder of .txt articles (default: PolNeAR texts)")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    files = sorted(args.data.rglob("*.txt")) if args.data else default_files()
    files = files[: args.limit] if args.limit else files
    if not files:
        sys.exit("no texts found: pass --data DIR (PolNeAR lives in ../shared/data/polnear)")
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    words = sum(len(t.split()) for t in texts)
    nlp = load_model()
    list(nlp.pipe(texts[:5]))  # warm-up

    def spacy_alone() -> None:
        for _ in nlp.pipe(texts, batch_size=32):
            pass

    def analyze() -> None:
        for _ in analyze_articles(read_articles([str(f) for f in files])):
            pass

    def ingest_store() -> None:
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
            report = ingest([str(f) for f in files], store)
            assert report.stored + report.near_duplicates + report.duplicates == len(files), report.as_dict()

    results = {}
    for name, fn in (("spacy_alone", spacy_alone), ("analyze", analyze), ("ingest", ingest_store)):
        seconds = statistics.median(timed(fn) for _ in range(args.repeat))
        results[name] = {
            "seconds": round(seconds, 2),
            "articles_per_s": round(len(files) / seconds, 1),
            "words_per_s": round(words / seconds),
        }
    results["ratio_analyze_to_spacy"] = round(results["spacy_alone"]["seconds"] / results["analyze"]["seconds"], 3)
    results["ratio_ingest_to_spacy"] = round(results["spacy_alone"]["seconds"] / results["ingest"]["seconds"], 3)
    print(json.dumps({"articles": len(files), "words": words, "pipes": nlp.pipe_names, **results}, indent=2))


if __name__ == "__main__":
    main()
