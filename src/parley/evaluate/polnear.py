"""PolNeAR attributions as gold for quotes: Parley analyses the texts, the shared scorer judges.

The scoring rules (which gold quotes count, direct or indirect, span overlap, speaker and cue) live
in `../shared/tools/score_quotes.py`, which every system here is measured with; it is run as is, in
a subprocess, never copied, so Parley's figures are the very ones anyone else would get.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import ParleyError
from .tools import find_tool, run_json_scorer

SCORER = Path("tools") / "score_quotes.py"
THRESHOLDS = ("30", "80", "exact")
#: What the table shows, per threshold: direct and indirect apart, then speaker and cue.
FIGURES = ("quotes_f1", "direct_f1", "indirect_f1", "speaker_acc", "cue_acc")
COUNTS = ("gold_quotes", "gold_direct", "gold_indirect", "gold_optional", "pred_quotes")


def text_files(data: Path, limit: int | None = None) -> list[Path]:
    """The split's texts in name order, as the scorer takes them (its --limit keeps the first N)."""
    files = sorted((data / "text").glob("*.txt"))
    return files[:limit] if limit else files


def find_scorer(data: Path, roots: list[Path]) -> Path | None:
    """`tools/score_quotes.py` in a folder above the data (../shared/data/polnear/dev -> ../shared),
    else in ../shared beside one of `roots`."""
    return find_tool(SCORER.name, data / "text", roots)


def write_predictions(files: list[Path], out: Path, model: str | None = None,
                      on_error: Callable[[str, Exception], None] | None = None) -> int:
    """Analyse the files and write one `parley.article/1` document per line; returns how many."""
    from ..analysis.pipeline import analyze_articles
    from ..run.ingest import read_articles

    def failed(article: Any, exc: Exception) -> None:
        if on_error:
            on_error(article.file or article.origin or article.id, exc)

    written = 0
    with out.open("w", encoding="utf-8") as handle:
        for document in analyze_articles(read_articles([str(f) for f in files]), model=model, on_error=failed):
            handle.write(document.to_json() + "\n")
            written += 1
    return written


def run_scorer(scorer: Path, gold: Path, pred: Path, limit: int | None = None) -> dict[str, Any]:
    """The scorer's figures (its --json output) for these predictions."""
    return run_json_scorer(scorer, "--gold", gold, "--pred", pred, *(["--limit", str(limit)] if limit else []))


def evaluate_polnear(data: Path, scorer: Path, model: str | None = None,
                     limit: int | None = None) -> dict[str, Any]:
    """Analyse the split's texts and score them; the scorer's figures plus what could not be analysed."""
    files = text_files(data, limit)
    if not files:
        raise ParleyError(f"no texts in {data / 'text'}")
    with tempfile.TemporaryDirectory(prefix="parley-polnear-") as tmp:
        return predict_and_score(files, Path(tmp), scorer, data, model, limit)


def predict_and_score(files: list[Path], tmp: Path, scorer: Path, gold: Path, model: str | None,
                      limit: int | None) -> dict[str, Any]:
    """Analyse `files` into tmp/predictions.jsonl and score them against `gold`; articles that could
    not be analysed are listed under "analysis_failed" rather than lost."""
    failures: list[str] = []
    pred = tmp / "predictions.jsonl"
    write_predictions(files, pred, model, lambda name, exc: failures.append(f"{name}: {type(exc).__name__}: {exc}"))
    figures = run_scorer(scorer, gold, pred, limit)
    if failures:
        figures["analysis_failed"] = failures
    return figures


def table(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures shaped for `evaluate.cli.show`: the headline figures per threshold, then counts."""
    shown = {f"{name}_{suffix}": figures[f"{name}_{suffix}"]
             for suffix in THRESHOLDS for name in FIGURES if f"{name}_{suffix}" in figures}
    shown.update({key: figures[key] for key in COUNTS if key in figures})
    notes = [f"analysis failed: {line}" for line in figures.get("analysis_failed", [])]
    if figures.get("missing_predictions"):
        notes.append(f"{figures['missing_predictions']} articles had no prediction")
    return {"documents": figures.get("documents"), "parley": shown, "notes": notes}
