"""`parley evaluate polnear`: analyse a PolNeAR split, hand it to the scorer, show its figures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from parley.document import Article, Document, Entity, Mention, Quote
from parley.evaluate.polnear import find_scorer, run_scorer, table, text_files

from .conftest import ROOT, SHARED
from .scorer_stubs import run_evaluate, seen, write_scorer

FIXTURE = ROOT / "tests" / "fixtures" / "polnear"
REAL_SCORER = SHARED / "tools" / "score_quotes.py"

#: Records what it was given beside itself, and answers with figures in the real scorer's shape.
FAKE_SCORER = '''
import json, sys
from pathlib import Path
args = sys.argv[1:]
value = lambda flag: args[args.index(flag) + 1] if flag in args else None
pred = [json.loads(line) for line in Path(value("--pred")).read_text().splitlines() if line.strip()]
Path(__file__).with_suffix(".seen.json").write_text(json.dumps(
    {"args": args, "files": [d["article"]["file"] for d in pred],
     "has_quotes_key": all("quotes" in d for d in pred)}))
figures = {"documents": len(pred), "missing_predictions": 0, "gold_quotes": 4, "pred_quotes": 3}
for suffix in ("30", "80", "exact"):
    for name in ("quotes", "direct", "indirect"):
        figures[f"{name}_f1_{suffix}"] = 0.5
    figures[f"speaker_acc_{suffix}"] = 0.25
    figures[f"cue_acc_{suffix}"] = 0.75
print(json.dumps(figures))
'''


def run(*args: str) -> tuple[int, str]:
    return run_evaluate("polnear", *args)


@pytest.fixture
def fake_scorer(tmp_path: Path) -> Path:
    return write_scorer(tmp_path, "fake_score_quotes.py", FAKE_SCORER)


def test_texts_in_name_order_and_limited():
    assert [f.name for f in text_files(FIXTURE)] == ["alpha_talks.txt", "beta_port.txt"]
    assert [f.name for f in text_files(FIXTURE, 1)] == ["alpha_talks.txt"]


def test_documents_go_to_the_scorer_and_its_figures_come_back_as_a_table(fake_scorer):
    code, out = run("--data", str(FIXTURE), "--scorer", str(fake_scorer))
    assert code == 0, out
    given = seen(fake_scorer)
    assert given["files"] == ["alpha_talks.txt", "beta_port.txt"] and given["has_quotes_key"]
    assert given["args"][given["args"].index("--gold") + 1] == str(FIXTURE)
    assert "--json" in given["args"] and "--limit" not in given["args"]
    assert "PolNeAR quotes: 2 documents" in out
    for figure, value in (("quotes_f1_30", "0.500"), ("direct_f1_80", "0.500"), ("indirect_f1_exact", "0.500"),
                          ("speaker_acc_30", "0.250"), ("cue_acc_exact", "0.750"), ("gold_quotes", "4")):
        assert re.search(rf"{figure}\s*│\s*{re.escape(value)}", out), figure


def test_json_is_the_scorers_figures_and_limit_is_passed_on(fake_scorer):
    code, out = run("--data", str(FIXTURE), "--scorer", str(fake_scorer), "--limit", "1", "--json")
    assert code == 0, out
    figures = json.loads(out)
    assert figures["documents"] == 1 and figures["cue_acc_30"] == 0.75
    given = seen(fake_scorer)
    assert given["files"] == ["alpha_talks.txt"]
    assert given["args"][given["args"].index("--limit") + 1] == "1"


def test_missing_data_folder_or_scorer_is_a_usage_error_naming_it(tmp_path, fake_scorer):
    code, out = run("--data", str(tmp_path / "nowhere"), "--scorer", str(fake_scorer))
    assert code == 2 and "nowhere" in out
    code, out = run("--data", str(tmp_path), "--scorer", str(fake_scorer))
    assert code == 2 and "no text/ folder" in out
    code, out = run("--data", str(FIXTURE), "--scorer", str(tmp_path / "absent.py"))
    assert code == 2 and "absent.py" in out


def test_a_failing_scorer_says_why(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("import sys\nprint('score_quotes.py: unusable input: bad', file=sys.stderr)\nsys.exit(2)\n")
    code, out = run("--data", str(FIXTURE), "--scorer", str(broken))
    assert code == 1 and "unusable input: bad" in out and "exit 2" in out


def test_the_scorer_is_found_above_the_data_or_beside_the_checkout(tmp_path):
    shared = tmp_path / "shared"
    split = shared / "data" / "polnear" / "dev"
    split.mkdir(parents=True)
    (shared / "tools").mkdir()
    (shared / "tools" / "score_quotes.py").write_text("")
    assert find_scorer(split, []) == (shared / "tools" / "score_quotes.py").resolve()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert find_scorer(elsewhere, [tmp_path / "checkout"]) == (shared / "tools" / "score_quotes.py").resolve()
    assert find_scorer(elsewhere, [elsewhere / "x"]) is None


def test_table_shows_thresholds_in_order_then_counts_and_notes():
    figures = {"documents": 3, "missing_predictions": 1, "quotes_f1_80": 0.2, "quotes_f1_30": 0.4,
               "cue_acc_30": 0.9, "gold_quotes": 7, "quotes_p_30": 0.1, "analysis_failed": ["x.txt: ValueError: y"]}
    shown = table(figures)
    assert list(shown["parley"]) == ["quotes_f1_30", "cue_acc_30", "quotes_f1_80", "gold_quotes"]
    assert shown["documents"] == 3
    assert shown["notes"] == ["analysis failed: x.txt: ValueError: y", "1 articles had no prediction"]


# -- against the real scorer (skipped without ../shared) ---------------------------------------------------


def perfect_documents() -> list[Document]:
    """The fixture's gold attributions, as documents: each Content a quote, each Source its speaker."""
    documents = []
    for text_file in text_files(FIXTURE):
        text = text_file.read_text(encoding="utf-8")
        spans, entities, quotes = {}, [], []
        for line in (FIXTURE / "attributions" / f"{text_file.stem}_4b22.ann").read_text().splitlines():
            if line.startswith("T"):
                tid, where, _ = line.split("\t")
                label, start, end = where.split()
                spans[tid] = (label, int(start), int(end))
            elif line.startswith("E"):
                roles = dict(part.split(":") for part in line.split("\t")[1].split())
                _, s_start, s_end = spans[roles["Source"]]
                _, c_start, c_end = spans[roles["Content"]]
                cue = text[spans[roles["Cue"]][1]:spans[roles["Cue"]][2]]
                eid = f"e{len(entities) + 1}"
                name = text[s_start:s_end]
                entities.append(Entity(id=eid, type="PERSON", name=name, mentions=[Mention(s_start, s_end, name)]))
                quotes.append(Quote(id=f"q{len(quotes) + 1}", text=text[c_start:c_end], start=c_start, end=c_end,
                                    speaker=eid, speaker_text=name, cue=cue,
                                    kind="direct" if text[c_start - 1] in "\"“" else "indirect"))
        documents.append(Document(Article(id=text_file.stem, text=text, file=text_file.name), entities, quotes))
    return documents


@pytest.fixture
def real_scorer() -> Path:
    if not REAL_SCORER.is_file():
        pytest.skip("../shared/tools/score_quotes.py is not beside this checkout")
    return REAL_SCORER


def test_the_fixture_is_valid_polnear_for_the_real_scorer(real_scorer, tmp_path):
    pred = tmp_path / "perfect.jsonl"
    pred.write_text("".join(d.to_json() + "\n" for d in perfect_documents()), encoding="utf-8")
    figures = run_scorer(real_scorer, FIXTURE, pred)
    assert figures["documents"] == 2 and figures["gold_quotes"] == 4
    assert figures["gold_direct"] == 2 and figures["gold_indirect"] == 2  # the second annotator is ignored
    for figure in ("quotes_f1_exact", "direct_f1_exact", "indirect_f1_exact", "speaker_acc_exact", "cue_acc_exact"):
        assert figures[figure] == 1.0, figure


def test_parley_against_the_real_scorer(real_scorer):
    code, out = run("--data", str(FIXTURE), "--scorer", str(real_scorer), "--json")
    assert code == 0, out
    figures = json.loads(out)
    assert figures["documents"] == 2 and figures["missing_predictions"] == 0 and figures["gold_quotes"] == 4
    assert all(0.0 <= figures[f"{name}_30"] <= 1.0 for name in ("quotes_f1", "direct_f1", "speaker_acc"))
    assert figures["pred_quotes"] > 0
    code, out = run("--data", str(FIXTURE))  # the scorer found beside the checkout
    assert code == 0 and "direct_f1_30" in out and "indirect_f1_exact" in out

