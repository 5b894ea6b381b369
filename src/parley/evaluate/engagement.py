"""The engagement articles as gold for the whole reading: Parley analyses, the shared scorer judges.

`../shared/tools/score.py` (people, organisations, places, roles, countries, quotes, events, article
fields, must_not) is run as it is, in a subprocess with this interpreter, never copied. Its
`--verbose` log names every miss and extra; here the lines are counted by kind (missed person, extra
event of a type, wrong quote speaker ...) so that error analysis starts from the largest kind.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import ParleyError
from .polnear import write_predictions
from .tools import find_tool, run_json_scorer

SCORER = "score.py"
GOLD = Path("gold") / "engagement"

#: Kinds of log line, in the order the error table shows them: (kind, pattern after "<file>: ").
#: An "extra event" line is counted under its event type ("extra event CONSULT").
KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("no prediction", r"^no prediction$"),
        ("missed person", r"^missed (?:person|peopl|people) "),  # the scorer writes "peopl" today
        ("missed org", r"^missed (?:org|organization) "),
        ("missed place", r"^missed place "),
        ("person not in text", r"^person .* not in the text$"),
        ("type confusion", r"^(?:person|place) .* is another kind of name in the gold$"),
        ("country", r"^'.*' country .*, gold "),
        ("role", r"^'.*' lacks role "),
        ("missed quote", r"^missed quote of "),
        ("extra quote", r"^extra quote "),
        ("quote speaker", r"^quote .* speaker .*, gold "),
        ("missed event", r"^missed event "),
        ("extra event", r"^extra event "),
        ("event date", r"^event \S+ date "),
        ("event location", r"^event \S+ location "),
        ("event sectors", r"^event \S+ lacks sector "),
    )
)
_EXTRA_EVENT_TYPE = re.compile(r"^extra event (\S+)")


def find_gold(data: Path, roots: list[Path]) -> Path | None:
    """`gold/engagement` in a folder above the data (../shared/data/engagement/texts -> ../shared),
    else in ../shared beside one of `roots`."""
    for folder in data.resolve().parents:
        if (folder / GOLD).is_dir():
            return folder / GOLD
    for root in roots:
        if (root.parent / "shared" / GOLD).is_dir():
            return (root.parent / "shared" / GOLD).resolve()
    return None


def find_scorer(data: Path, roots: list[Path]) -> Path | None:
    """`tools/score.py` above the data, else in ../shared beside one of `roots`."""
    return find_tool(SCORER, data, roots)


def kind_of(line: str) -> str:
    """The kind of one scorer log line ("a.txt: missed person 'X'" -> "missed person")."""
    _, sep, rest = line.partition(": ")
    rest = rest if sep else line
    for kind, pattern in KINDS:
        if pattern.search(rest):
            if kind == "extra event":
                match = _EXTRA_EVENT_TYPE.match(rest)
                return f"extra event {match.group(1)}" if match else kind
            return kind
    return "other"


def count_errors(log: list[str]) -> dict[str, int]:
    """Log lines counted by kind, in the table's order; kinds with no error are left out."""
    counts = Counter(kind_of(line) for line in log)
    order = [kind for kind, _ in KINDS]
    return dict(sorted(counts.items(), key=lambda item: (_rank(item[0], order), item[0])))


def _rank(kind: str, order: list[str]) -> int:
    base = "extra event" if kind.startswith("extra event") else kind
    return order.index(base) if base in order else len(order)


def must_not_checks(gold: Path) -> int:
    """How many must_not items the gold holds (the scorer logs no line for a broken one)."""
    total = 0
    for path in sorted(gold.glob("*.json")) if gold.is_dir() else [gold]:
        try:
            bad = json.loads(path.read_text(encoding="utf-8")).get("must_not") or {}
        except (OSError, json.JSONDecodeError, AttributeError):
            continue
        total += len(bad.get("quote_speakers", [])) + len(bad.get("event_actors", []))
    return total


def run_scorer(scorer: Path, gold: Path, pred: Path) -> dict[str, Any]:
    """The scorer's figures and log (`--json --verbose`) for these predictions."""
    return run_json_scorer(scorer, "--gold", gold, "--pred", pred, "--verbose")


def evaluate_engagement(data: Path, gold: Path, scorer: Path, model: str | None = None) -> dict[str, Any]:
    """Analyse the texts, score them; the scorer's figures, its log, and the errors counted by kind."""
    files = sorted(data.glob("*.txt"))
    if not files:
        raise ParleyError(f"no texts in {data}")
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="parley-engagement-") as tmp:
        pred = Path(tmp) / "predictions.jsonl"
        write_predictions(files, pred, model, lambda name, exc: failures.append(f"{name}: {type(exc).__name__}: {exc}"))
        result = run_scorer(scorer, gold, pred)
    log = list(result.pop("log", []))
    errors = count_errors(log)
    broken = _must_not_broken(result.get("must_not"), must_not_checks(gold))
    if broken:
        errors["must_not"] = broken
    result["errors"] = errors
    result["log"] = log
    if failures:
        result["analysis_failed"] = failures
    return result


def _must_not_broken(ratio: Any, checks: int) -> int:
    """Broken must_not items, from the scorer's ratio and the gold's count of them."""
    if not isinstance(ratio, (int, float)) or not checks:
        return 0
    return round((1.0 - ratio) * checks)


def figures_table(result: dict[str, Any]) -> dict[str, Any]:
    """Every figure the scorer gives, shaped for `evaluate.cli.show`."""
    shown = {k: v for k, v in result.items()
             if k not in ("documents", "missing_predictions", "errors", "log", "analysis_failed")}
    notes = [f"analysis failed: {line}" for line in result.get("analysis_failed", [])]
    if result.get("missing_predictions"):
        notes.append(f"no prediction for: {', '.join(result['missing_predictions'])}")
    return {"documents": result.get("documents"), "parley": shown, "notes": notes}


def errors_table(result: dict[str, Any]) -> dict[str, Any]:
    """The errors counted by kind, shaped for `evaluate.cli.show`, with the log lines by kind."""
    by_kind: dict[str, list[str]] = {}
    for line in result.get("log", []):
        by_kind.setdefault(kind_of(line), []).append(line)
    errors = result.get("errors", {})
    ordered = {kind: by_kind[kind] for kind in errors if kind in by_kind}
    return {"documents": result.get("documents"), "parley": errors, "misses": {"errors": ordered}}
