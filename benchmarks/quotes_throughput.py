#!/usr/bin/env python3
"""What the quotes step costs: `analyze_articles` with the full pipeline and without the quotes step,
on the same texts, in one run.

    .venv/bin/python benchmarks/quotes_throughput.py [--data DIR] [--limit N] [--repeat R] [--model NAME]

DIR defaults to the PolNeAR texts (../shared/data/polnear/*/text/*.txt). Without quotes, `STEPS` lacks
the step named "quotes", so the model also loses the pipes only that step reads (they are part of its
cost). Each configuration loads its own model (`load_model` is cached per name, so the cache is cleared
at each switch) and is warmed up before it is timed; the two alternate, in ABBA order, over R repeats,
so drift on a shared machine hits both alike. Texts are read and cleaned once, outside the timing.
Prints JSON: median seconds, articles/s and words/s for each, and with/without ratios.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from parley.analysis import pipeline  # noqa: E402
from parley.run.ingest import read_articles  # noqa: E402

FULL = pipeline.STEPS
WITHOUT_QUOTES = tuple(step for step in FULL if step.name != "quotes")
CONFIGS = {"with_quotes": FULL, "without_quotes": WITHOUT_QUOTES}
WARM_UP = 5


def default_files() -> list[Path]:
    return sorted((ROOT.parent / "shared" / "data" / "polnear").glob("*/text/*.txt"))


def use(steps: tuple[Any, ...], model: str | None, warm_up: list[Any]) -> None:
    """Switch the pipeline to `steps`, load its model and run it once over a few articles."""
    pipeline.STEPS = steps
    pipeline.load_model.cache_clear()
    pipeline.load_model(pipeline.model_name(model))
    for _ in pipeline.analyze_articles(copy.deepcopy(warm_up), model=model):
        pass


def timed(articles: list[Any], model: str | None) -> float:
    fresh = copy.deepcopy(articles)  # steps may annotate the Article; every run starts from clean ones
    start = time.perf_counter()
    found = sum(1 for _ in pipeline.analyze_articles(fresh, model=model))
    seconds = time.perf_counter() - start
    assert found == len(articles), (found, len(articles))
    return seconds


def figures(runs: list[float], articles: int, words: int) -> dict[str, Any]:
    seconds = statistics.median(runs)
    return {"seconds": round(seconds, 3), "articles_per_s": round(articles / seconds, 2),
            "words_per_s": round(words / seconds), "runs": [round(r, 3) for r in runs]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="folder of .txt articles (default: PolNeAR texts)")
    parser.add_argument("--limit", type=int, default=None, help="first N texts by path")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each configuration")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: Parley's)")
    args = parser.parse_args()

    files = sorted(args.data.rglob("*.txt")) if args.data else default_files()
    files = files[: args.limit] if args.limit else files
    if not files:
        sys.exit("no texts found: pass --data DIR (PolNeAR lives in ../shared/data/polnear)")
    articles = list(read_articles([str(f) for f in files]))
    words = sum(len(a.text.split()) for a in articles)

    runs: dict[str, list[float]] = {name: [] for name in CONFIGS}
    try:
        for r in range(args.repeat):
            order = list(CONFIGS) if r % 2 == 0 else list(reversed(CONFIGS))  # ABBA...
            for name in order:
                use(CONFIGS[name], args.model, articles[:WARM_UP])
                runs[name].append(timed(articles, args.model))
    finally:
        pipeline.STEPS = FULL
        pipeline.load_model.cache_clear()

    result: dict[str, Any] = {"articles": len(articles), "words": words, "repeat": args.repeat,
                              "model": pipeline.model_name(args.model)}
    for name in CONFIGS:
        result[name] = figures(runs[name], len(articles), words)
    with_s, without_s = result["with_quotes"]["seconds"], result["without_quotes"]["seconds"]
    result["ratio_seconds_with_to_without"] = round(with_s / without_s, 3)
    result["ratio_throughput_with_to_without"] = round(without_s / with_s, 3)
    result["quotes_overhead_pct"] = round(100 * (with_s / without_s - 1), 1)
    result["within_10pct"] = with_s <= 1.10 * without_s
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
