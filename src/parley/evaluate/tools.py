"""Where the shared scorers and helper scripts are: beside the data, never copied into the project."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from ..errors import ParleyError

TOOLS = "tools"


def find_tool(name: str, data: Path, roots: list[Path]) -> Path | None:
    """`tools/<name>` in a folder above the data (../shared/data/ngec/x.csv -> ../shared), else in
    ../shared beside one of `roots`."""
    for folder in data.resolve().parents:
        if (folder / TOOLS / name).is_file():
            return folder / TOOLS / name
    for root in roots:
        if (root.parent / "shared" / TOOLS / name).is_file():
            return (root.parent / "shared" / TOOLS / name).resolve()
    return None


class ScorerError(ParleyError):
    """The scorer ran but gave no figures."""


def run_json_scorer(scorer: Path, *args: str | Path) -> dict[str, Any]:
    """The figures a shared scorer prints with `--json` (exit 1, a `--min` falling short, still
    gives them); ScorerError with its last words when it gives none."""
    command = [sys.executable, str(scorer), *map(str, args), "--json"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    try:
        figures = json.loads(done.stdout)
    except json.JSONDecodeError:
        figures = None
    if done.returncode not in (0, 1) or not isinstance(figures, dict):
        reason = (done.stderr or done.stdout).strip().splitlines()
        raise ScorerError(f"{scorer} failed (exit {done.returncode}): {reason[-1] if reason else 'no output'}")
    return figures
