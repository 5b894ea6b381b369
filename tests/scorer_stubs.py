"""What the evaluate tests share: run `parley evaluate` in process, and a stand-in scorer script
that records what it was given (beside itself, as <name>.seen.json) and prints fixed figures."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from parley.evaluate.cli import evaluate


def run_evaluate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(evaluate, list(args), catch_exceptions=False, env={"COLUMNS": "200"})
    return result.exit_code, result.output


def write_scorer(folder: Path, name: str, source: str) -> Path:
    path = folder / name
    path.write_text(source, encoding="utf-8")
    return path


def seen(scorer: Path) -> dict:
    return json.loads(scorer.with_suffix(".seen.json").read_text())
