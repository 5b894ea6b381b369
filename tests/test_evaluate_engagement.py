"""`parley evaluate engagement`: analyse the texts, hand them to score.py, show its figures and the
errors counted by kind. The fixture is two invented articles with their gold."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from parley.evaluate.engagement import count_errors, find_gold, kind_of, must_not_checks

from .conftest import ROOT, SHARED
from .scorer_stubs import run_evaluate, seen, write_scorer

FIXTURE = ROOT / "tests" / "fixtures" / "engagement"
TEXTS = FIXTURE / "texts"
GOLD = FIXTURE / "gold"
REAL_SCORER = SHARED / "tools" / "score.py"

#: Records what it was given beside itself, and answers like score.py --json --verbose.
FAKE_SCORER = '''
import json, sys
from pathlib import Path
args = sys.argv[1:]
value = lambda flag: args[args.index(flag) + 1] if flag in args else None
pred = [json.loads(line) for line in Path(value("--pred")).read_text().splitlines() if line.strip()]
Path(__file__).with_suffix(".seen.json").write_text(json.dumps(
    {"args": args, "files": sorted(d["article"]["file"] for d in pred)}))
print(json.dumps({"documents": 2, "missing_predictions": [], "people_f1": 0.5, "events_f1": 0.25,
                  "article_published": 1.0, "must_not": 0.0,
                  "log": ["a.txt: missed peopl 'Karel Novak'", "a.txt: extra event SUPPORT ['X'] -> []",
                          "b.txt: extra event SUPPORT ['Y'] -> []", "b.txt: extra event CONSULT ['Y'] -> []"]}))
'''

LOG = [
    "a.txt: no prediction",
    "a.txt: missed peopl 'Karel Novak'",
    "a.txt: missed person 'Karel Novak'",
    "a.txt: missed org 'Port Authority'",
    "a.txt: missed place 'Ostrava Nova'",
    "a.txt: person 'Staff Reporter' not in the text",
    "a.txt: person 'Klow' is another kind of name in the gold",
    "a.txt: place 'Lena Holt' is another kind of name in the gold",
    "a.txt: 'Lena Holt' country None, gold ['FRE']",
    "a.txt: 'Lena Holt' lacks role {'title': 'minister'}",
    "a.txt: missed quote of 'Lena Holt': 'we welcome'",
    "a.txt: extra quote 'the port is open'",
    "a.txt: quote 'we welcome' speaker None, gold 'Lena Holt'",
    "a.txt: missed event visit",
    "a.txt: extra event AGREE ['Ruritania'] -> []",
    "a.txt: event visit date None..None, gold 2023-05-14..None",
    "a.txt: event visit location [], gold Klow",
    "a.txt: event visit lacks sector trade",
    "a.txt: something new",
]
KINDS = [
    "no prediction", "missed person", "missed person", "missed org", "missed place", "person not in text",
    "type confusion", "type confusion", "country", "role", "missed quote", "extra quote", "quote speaker",
    "missed event", "extra event AGREE", "event date", "event location", "event sectors", "other",
]


def run(*args: str) -> tuple[int, str]:
    return run_evaluate("engagement", *args)


@pytest.fixture
def fake_scorer(tmp_path: Path) -> Path:
    return write_scorer(tmp_path, "fake_score.py", FAKE_SCORER)


def test_every_kind_of_log_line_is_recognised() -> None:
    assert [kind_of(line) for line in LOG] == KINDS


def test_errors_are_counted_in_the_tables_order_and_extra_events_by_type() -> None:
    counts = count_errors(["b: extra event SUPPORT ['X'] -> []", "a: missed place 'Klow'",
                           "c: extra event AGREE ['X'] -> []", "d: extra event SUPPORT ['Y'] -> []"])
    assert list(counts.items()) == [("missed place", 1), ("extra event AGREE", 1), ("extra event SUPPORT", 2)]


def test_must_not_items_are_counted_from_the_gold() -> None:
    assert must_not_checks(GOLD) == 1


def test_gold_is_found_above_the_data(tmp_path: Path) -> None:
    texts = tmp_path / "shared" / "data" / "engagement" / "texts"
    texts.mkdir(parents=True)
    (tmp_path / "shared" / "gold" / "engagement").mkdir(parents=True)
    assert find_gold(texts, []) == (tmp_path / "shared" / "gold" / "engagement").resolve()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert find_gold(elsewhere, [tmp_path / "checkout"]) == (tmp_path / "shared" / "gold" / "engagement").resolve()
    assert find_gold(elsewhere, [elsewhere / "x"]) is None


def test_figures_and_errors_by_kind_come_back_as_tables(fake_scorer: Path) -> None:
    code, out = run("--data", str(TEXTS), "--gold", str(GOLD), "--scorer", str(fake_scorer))
    assert code == 0, out
    given = seen(fake_scorer)
    assert given["files"] == ["borduria_textile_deal.txt", "ruritania_port_visit.txt"]
    assert given["args"][given["args"].index("--gold") + 1] == str(GOLD)
    assert "--json" in given["args"] and "--verbose" in given["args"]
    for figure, value in (("people_f1", "0.500"), ("events_f1", "0.250"), ("missed person", "1"),
                          ("extra event SUPPORT", "2"), ("extra event CONSULT", "1"), ("must_not", "1")):
        assert re.search(rf"{figure}\s*│\s*{re.escape(value)}", out), figure
    assert "missed peopl 'Karel Novak'" not in out  # the lines only with --verbose
    code, out = run("--data", str(TEXTS), "--gold", str(GOLD), "--scorer", str(fake_scorer), "--verbose")
    assert "errors · extra event SUPPORT" in out and "b.txt: extra event SUPPORT" in out


def test_json_holds_the_figures_and_the_errors(fake_scorer: Path) -> None:
    code, out = run("--data", str(TEXTS), "--gold", str(GOLD), "--scorer", str(fake_scorer), "--json")
    assert code == 0, out
    result = json.loads(out)
    assert result["people_f1"] == 0.5 and result["errors"]["extra event SUPPORT"] == 2
    assert result["errors"]["must_not"] == 1 and "log" not in result
    code, out = run("--data", str(TEXTS), "--gold", str(GOLD), "--scorer", str(fake_scorer), "--json", "--verbose")
    assert len(json.loads(out)["log"]) == 4


def test_missing_folders_or_scorer_are_usage_errors_naming_them(tmp_path: Path, fake_scorer: Path) -> None:
    code, out = run("--data", str(tmp_path / "nowhere"), "--gold", str(GOLD), "--scorer", str(fake_scorer))
    assert code == 2 and "nowhere" in out
    code, out = run("--data", str(TEXTS), "--gold", str(tmp_path / "nogold"), "--scorer", str(fake_scorer))
    assert code == 2 and "nogold" in out
    code, out = run("--data", str(TEXTS), "--gold", str(GOLD), "--scorer", str(tmp_path / "absent.py"))
    assert code == 2 and "absent.py" in out


def test_a_failing_scorer_says_why(tmp_path: Path) -> None:
    source = "import sys\nprint('score.py: unusable input: x', file=sys.stderr)\nsys.exit(2)\n"
    broken = write_scorer(tmp_path, "broken.py", source)
    code, out = run("--data", str(TEXTS), "--gold", str(GOLD), "--scorer", str(broken))
    assert code == 1 and "unusable input: x" in out


# -- against the real scorer (skipped without ../shared) ---------------------------------------------------


@pytest.fixture
def real_scorer() -> Path:
    if not REAL_SCORER.is_file():
        pytest.skip("../shared/tools/score.py is not beside this checkout")
    return REAL_SCORER


def test_parley_against_the_real_scorer(real_scorer: Path) -> None:
    code, out = run("--data", str(TEXTS), "--gold", str(GOLD), "--scorer", str(real_scorer), "--json", "--verbose")
    assert code == 0, out
    result = json.loads(out)
    assert result["documents"] == 2 and result["missing_predictions"] == []
    for figure in ("people_f1", "orgs_f1", "places_f1", "quotes_f1", "events_f1", "article_published", "must_not"):
        assert 0.0 <= result[figure] <= 1.0, figure
    assert sum(n for kind, n in result["errors"].items() if kind != "must_not") == len(result["log"])
    assert all(kind_of(line) != "other" for line in result["log"])
