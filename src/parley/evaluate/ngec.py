"""NGEC synthetic stories as gold for story-level event typing: Parley analyses, the shared tools judge.

The stories become texts with `../shared/tools/make_texts.py` and are scored with
`../shared/tools/score_events.py`, both run as they are, in a subprocess with this interpreter, never
copied: the texts are the very ones anyone else analyses, and the figures the ones anyone else gets.
`score_events.py` pairs documents with CSV rows by `article.file` (`ngec_0042.txt` is row `ngec_0042`);
both tools keep the first N rows in id order with `--limit N`, so a limited run is the same on both
sides.

Only when `make_texts.py` cannot be found are the texts written here, by `write_texts`, which follows
the same documented rule (headline line, blank line, body); the table then says so.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..errors import ParleyError
from .polnear import predict_and_score
from .tools import find_tool

SCORER = "score_events.py"
MAKE_TEXTS = "make_texts.py"
#: The headline figures, in the order the table shows them (then f1_<TYPE>, then the counts).
FIGURES = ("story_acc", "type_acc", "macro_f1", "mode_acc")
COUNTS = ("documents", "missing_predictions", "no_events", "mode_scored")


def find_make_texts(scorer: Path, data: Path, roots: list[Path]) -> Path | None:
    """make_texts.py beside the scorer, else where `find_tool` looks."""
    beside = scorer.parent / MAKE_TEXTS
    return beside if beside.is_file() else find_tool(MAKE_TEXTS, data, roots)


def run_make_texts(tool: Path, data: Path, out: Path, limit: int | None = None) -> list[Path]:
    """Run make_texts.py on the CSV into `out`; the texts it wrote, in name (= id) order."""
    command = [sys.executable, str(tool), "--csv", str(data), "--out", str(out), "--force"]
    if limit:
        command += ["--limit", str(limit)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise ParleyError(f"{tool} failed (exit {done.returncode}): {reason[-1] if reason else 'no output'}")
    return sorted(out.glob("*.txt"))


def write_texts(data: Path, out: Path, limit: int | None = None) -> list[Path]:
    """The stand-in for make_texts.py, by its documented rule: `<id>.txt` holding the headline (the
    `headline` column, else `title` unless it still has {placeholders}), a blank line, then the body
    with line ends normalised; the first N rows in id order with `limit`."""
    try:
        with data.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            rows = list(reader)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise ParleyError(f"{data}: unusable CSV: {exc}") from exc
    if "id" not in columns or "text" not in columns:
        raise ParleyError(f"{data}: not an NGEC CSV (needs id and text columns; has {', '.join(columns)})")
    headline = "headline" if "headline" in columns else ("title" if "title" in columns else None)
    rows.sort(key=lambda row: row["id"])
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for row in rows[:limit] if limit else rows:
        story_id = (row["id"] or "").strip()
        if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", story_id):
            raise ParleyError(f"{data}: unusable story id {story_id!r}")
        body = (row["text"] or "").replace("\r\n", "\n").replace("\r", "\n").strip()
        head = (row.get(headline) or "").strip().split("\n")[0].strip() if headline else ""
        if re.search(r"\{[a-z_0-9]+\}", head):
            head = ""
        path = out / f"{story_id}.txt"
        path.write_text((head + "\n\n" if head else "") + body + "\n", encoding="utf-8")
        written.append(path)
    return sorted(written)


def evaluate_ngec(data: Path, scorer: Path, make_texts: Path | None = None, model: str | None = None,
                  limit: int | None = None) -> dict[str, Any]:
    """Stories to texts, texts to documents, documents to the scorer: its figures, plus what could
    not be analysed and how the texts were made."""
    with tempfile.TemporaryDirectory(prefix="parley-ngec-") as tmp:
        texts = Path(tmp) / "texts"
        files = run_make_texts(make_texts, data, texts, limit) if make_texts else write_texts(data, texts, limit)
        if not files:
            raise ParleyError(f"no stories in {data}")
        figures = predict_and_score(files, Path(tmp), scorer, data, model, limit)
    figures["texts_made_by"] = str(make_texts) if make_texts else "parley (make_texts.py not found)"
    return figures


def table(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures shaped for `evaluate.cli.show`: headline figures, F1 per type, then counts."""
    shown = {key: figures[key] for key in FIGURES if key in figures}
    shown.update({key: value for key, value in figures.items() if key.startswith("f1_")})
    shown.update({key: figures[key] for key in COUNTS[1:] if key in figures})
    notes = [f"analysis failed: {line}" for line in figures.get("analysis_failed", [])]
    if figures.get("missing_predictions"):
        notes.append(f"{figures['missing_predictions']} stories had no prediction")
    if str(figures.get("texts_made_by", "")).startswith("parley"):
        notes.append("texts written by Parley's stand-in: make_texts.py was not found")
    return {"documents": figures.get("documents"), "parley": shown, "notes": notes}
