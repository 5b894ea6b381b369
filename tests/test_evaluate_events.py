"""`parley evaluate ngec` and `parley evaluate plover`: stories and gold sentences in, event figures out.

Everything here holds whether or not the analyzer finds events: figures are checked for shape and range
on real analyses, and for exact values only on hand-built documents.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from parley.document import Article, Document, Entity, Event, Mention, Span, Trigger
from parley.evaluate.ngec import find_make_texts, find_tool, run_make_texts, write_texts
from parley.evaluate.ngec import table as ngec_table
from parley.evaluate.plover import (
    GoldRecord,
    carry,
    load_mapping,
    names_match,
    read_records,
    score,
)
from parley.evaluate.plover import table as plover_table

from .conftest import ROOT, SHARED
from .scorer_stubs import run_evaluate, seen, write_scorer

NGEC = ROOT / "tests" / "fixtures" / "ngec" / "stories.csv"
PLOVER = ROOT / "tests" / "fixtures" / "plover" / "gold_records.json"
REAL_NGEC = SHARED / "data" / "ngec" / "ngec_dev.csv"
REAL_PLOVER = SHARED / "data" / "plover" / "PLOVER_GSR_CAMEO.txt"
REAL_TOOLS = SHARED / "tools"
PLOVER_2 = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
            "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}

#: Records what it was given beside itself and answers in score_events.py's shape.
FAKE_SCORER = '''
import json, sys
from pathlib import Path
args = sys.argv[1:]
value = lambda flag: args[args.index(flag) + 1] if flag in args else None
pred = [json.loads(line) for line in Path(value("--pred")).read_text().splitlines() if line.strip()]
Path(__file__).with_suffix(".seen.json").write_text(json.dumps(
    {"args": args, "files": [d["article"]["file"] for d in pred],
     "headlines": [d["article"]["headline"] for d in pred], "has_events_key": all("events" in d for d in pred)}))
print(json.dumps({"documents": len(pred), "missing_predictions": 0, "no_events": 1, "story_acc": 0.5,
                  "type_acc": 0.25, "macro_f1": 0.125, "mode_acc": 0.75, "mode_scored": 2,
                  "f1_CONSULT": 1.0, "f1_PROTEST": 0.0}))
'''


run = run_evaluate


@pytest.fixture
def fake_scorer(tmp_path: Path) -> Path:
    return write_scorer(tmp_path, "fake_score_events.py", FAKE_SCORER)


# -- NGEC: CSV -> texts -> documents -> scorer ----------------------------------------------------------------


def test_stories_become_texts_by_the_make_texts_rule(tmp_path):
    files = write_texts(NGEC, tmp_path / "texts")
    assert [f.name for f in files] == ["ngec_0000.txt", "ngec_0001.txt", "ngec_0002.txt"]  # id order
    assert files[1].read_text(encoding="utf-8") == (
        "Vestria Foreign Minister Visits Norland for Talks\n\n"
        "Vestria's foreign minister, Ilse Brandor, arrived in the Norland capital of Tessel on Wednesday for "
        "two days of talks with her counterpart, Karl Osten.\nThe two discussed trade and border security.\n")
    assert [f.name for f in write_texts(NGEC, tmp_path / "two", limit=2)] == ["ngec_0000.txt", "ngec_0001.txt"]


def test_the_stand_in_writes_what_make_texts_writes(tmp_path):
    tool = REAL_TOOLS / "make_texts.py"
    if not tool.is_file():
        pytest.skip("../shared/tools/make_texts.py is not beside this checkout")
    theirs = run_make_texts(tool, NGEC, tmp_path / "theirs", limit=2)
    ours = write_texts(NGEC, tmp_path / "ours", limit=2)
    assert [f.name for f in theirs] == [f.name for f in ours]
    assert [f.read_bytes() for f in theirs] == [f.read_bytes() for f in ours]


def test_make_texts_is_looked_for_beside_the_scorer_then_above_the_data(tmp_path):
    shared = tmp_path / "shared"
    (shared / "data" / "ngec").mkdir(parents=True)
    (shared / "tools").mkdir()
    for name in ("score_events.py", "make_texts.py"):
        (shared / "tools" / name).write_text("")
    data = shared / "data" / "ngec" / "dev.csv"
    data.write_text("id,text\n")
    scorer = find_tool("score_events.py", data, [])
    assert scorer == (shared / "tools" / "score_events.py").resolve()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "make_texts.py").write_text("")
    assert find_make_texts(elsewhere / "score.py", data, []) == elsewhere / "make_texts.py"
    assert find_make_texts(tmp_path / "score.py", data, []) == (shared / "tools" / "make_texts.py").resolve()
    assert find_tool("score_events.py", elsewhere / "x.csv", [elsewhere / "checkout"]) is None


def test_documents_go_to_the_scorer_and_its_figures_come_back_as_a_table(fake_scorer):
    code, out = run("ngec", "--data", str(NGEC), "--scorer", str(fake_scorer))
    assert code == 0, out
    given = seen(fake_scorer)
    assert given["files"] == ["ngec_0000.txt", "ngec_0001.txt", "ngec_0002.txt"] and given["has_events_key"]
    assert given["headlines"][0] == "Norland and Vestria Sign Fisheries Accord"
    assert given["args"][given["args"].index("--gold") + 1] == str(NGEC)
    assert "--json" in given["args"] and "--limit" not in given["args"]
    assert re.search(r"NGEC event types: 3\s+documents", out)
    for figure, value in (("story_acc", "0.500"), ("type_acc", "0.250"), ("macro_f1", "0.125"),
                          ("mode_acc", "0.750"), ("f1_CONSULT", "1.000"), ("f1_PROTEST", "0.000"), ("no_events", "1")):
        assert re.search(rf"{figure}\s*│\s*{re.escape(value)}", out), figure
    assert out.index("story_acc") < out.index("f1_CONSULT") < out.index("no_events")


def test_json_is_the_scorers_figures_and_limit_goes_to_both_sides(fake_scorer):
    code, out = run("ngec", "--data", str(NGEC), "--scorer", str(fake_scorer), "--limit", "2", "--json")
    assert code == 0, out
    figures = json.loads(out)
    assert figures["documents"] == 2 and figures["macro_f1"] == 0.125 and "texts_made_by" in figures
    given = seen(fake_scorer)
    assert given["files"] == ["ngec_0000.txt", "ngec_0001.txt"]
    assert given["args"][given["args"].index("--limit") + 1] == "2"


def test_a_make_texts_beside_the_scorer_is_the_one_run(tmp_path, fake_scorer):
    (tmp_path / "make_texts.py").write_text(
        "import sys\nfrom pathlib import Path\nout = Path(sys.argv[sys.argv.index('--out') + 1])\n"
        "out.mkdir(parents=True, exist_ok=True)\n(out / 'made_here.txt').write_text('Norland and Vestria met.\\n')\n")
    code, out = run("ngec", "--data", str(NGEC), "--scorer", str(fake_scorer), "--json")
    assert code == 0, out
    assert seen(fake_scorer)["files"] == ["made_here.txt"]
    assert json.loads(out)["texts_made_by"] == str(tmp_path / "make_texts.py")


def test_missing_data_file_or_scorer_is_a_usage_error_naming_it(tmp_path, fake_scorer):
    code, out = run("ngec", "--data", str(tmp_path / "nowhere.csv"), "--scorer", str(fake_scorer))
    assert code == 2 and "nowhere.csv" in out
    code, out = run("ngec", "--data", str(NGEC), "--scorer", str(tmp_path / "absent.py"))
    assert code == 2 and "absent.py" in out
    code, out = run("plover", "--data", str(tmp_path / "no_gold.json"))
    assert code == 2 and "no_gold.json" in out


def test_a_failing_scorer_says_why(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("import sys\nprint('score_events.py: unusable input: bad', file=sys.stderr)\nsys.exit(2)\n")
    code, out = run("ngec", "--data", str(NGEC), "--scorer", str(broken))
    assert code == 1 and "unusable input: bad" in out and "exit 2" in out


def test_ngec_table_orders_figures_then_types_then_counts():
    shown = ngec_table({"documents": 4, "missing_predictions": 1, "no_events": 2, "f1_AGREE": 0.5,
                        "mode_acc": 0.1, "story_acc": 0.3, "mode_scored": 3, "analysis_failed": ["x.txt: E: y"],
                        "texts_made_by": "parley (make_texts.py not found)"})
    assert list(shown["parley"]) == ["story_acc", "mode_acc", "f1_AGREE", "missing_predictions", "no_events",
                                     "mode_scored"]
    assert shown["documents"] == 4 and len(shown["notes"]) == 3


# -- PLOVER: the mapping and the figures ---------------------------------------------------------------------


def test_every_old_category_maps_to_a_plover_2_type():
    mapping = load_mapping()
    assert {row.type for row in mapping.values()} <= PLOVER_2
    for old in ("AGREE", "DEMAND", "REJECT", "THREATEN", "PROTEST", "COERCE", "FIGHT", "DISAPPROVE", "ASSAULT",
                "RETREAT", "SANCTION", "SUPPORT", "CONCEDE", "CONSULT", "AID", "INVESTIGATE", "MOBILIZE", "COOPERATE"):
        assert carry(old, "", mapping)[0].type in PLOVER_2, old
    for same in PLOVER_2 - {"REQUEST", "ACCUSE"}:
        assert carry(same, "", mapping)[0].type == same


@pytest.mark.parametrize(("event", "mode", "type_", "mode_2"), [
    ("DEMAND", "", "REQUEST", ""),
    ("DISAPPROVE", "", "ACCUSE", "disapprove"),
    ("INVESTIGATE", "", "ACCUSE", "investigate"),
    ("FIGHT", "heavy-weapons", "ASSAULT", "heavy-weapons"),
    ("FIGHT", "", "ASSAULT", ""),
    ("FIGHT", "deport", "COERCE", "deport"),
    ("COERCE", "destroy", "ASSAULT", "destroy"),
    ("COERCE", "detain", "COERCE", "arrest"),
    ("ASSAULT", "assassinate", "ASSAULT", "targeted"),
    ("PROTEST", "strike-hun", "PROTEST", "hunger"),
    ("CONSULT", "phone", "CONSULT", "phone"),
])
def test_the_stated_mapping(event, mode, type_, mode_2):
    row, mapped_mode = carry(event, mode, load_mapping())
    assert (row.type, mapped_mode) == (type_, mode_2)


def test_gold_records_are_read_and_carried_to_plover_2():
    records = read_records(PLOVER)
    assert [r.id for r in records] == ["TEST-GSR01-DEMAND-0001", "TEST-GSR01-FIGHT-0001", "TEST-GSR01-CONSULT-0001"]
    assert [(r.event, r.type, r.mode) for r in records] == [
        ("DEMAND", "REQUEST", ""), ("FIGHT", "ASSAULT", "heavy-weapons"), ("CONSULT", "CONSULT", "visit")]
    assert records[0].actors == ["Norland"] and records[0].file == "TEST-GSR01-DEMAND-0001.txt"
    assert records[2].actors == ["Vestrian Foreign Minister Ilse Brandor"]  # hosted: the visitor is the 2.0 actor
    assert len(read_records(PLOVER, limit=2)) == 2


@pytest.mark.parametrize(("gold", "predicted", "same"), [
    ("Norland", "norland", True),
    ("the United States", "United States", True),
    ("Israeli soldiers", "Israel", True),
    ("Judge Alejandro Rivera", "Alejandro Rivera", True),
    ("Amnesty International", "Human rights organization Amnesty International", True),
    ("United States", "United Nations", False),
    ("US forces", "US", True),  # an acronym, as a whole word
    ("U.S. border patrol", "U.S.", True),
    ("Busan port", "Bus", False),  # a short name that is not an acronym is not enough
    ("President Bush", "Bush", True),
    ("Planning and Investment Minister Tran Xuan Gia", "Tran Xuan Gia", True),
    ("Bushehr", "Bush", False),  # whole words only, under five characters
    ("Rwanda", "Rwandan rebels", True),
    ("Norland", "Vestria", False),
])
def test_names_match(gold, predicted, same):
    assert names_match(gold, predicted) is same


def event(eid: str, type_: str, actor: list[str], confidence: float, mode: str | None = None) -> Event:
    return Event(id=eid, type=type_, mode=mode, actor=actor, confidence=confidence,
                 trigger=Trigger("x", 0, 1), sentence=Span(0, 10))


def entity(eid: str, name: str) -> Entity:
    return Entity(id=eid, type="GPE", name=name, mentions=[Mention(0, len(name), name)])


def test_figures_on_hand_built_documents():
    records = [GoldRecord("r1", "s1", "DEMAND", "REQUEST", actors=["Norland"]),
               GoldRecord("r2", "s2", "FIGHT", "ASSAULT", mode="heavy-weapons", actors=["Vestrian troops"]),
               GoldRecord("r3", "s3", "CONSULT", "CONSULT", mode="visit", actors=["Ilse Brandor"]),
               GoldRecord("r4", "s4", "AGREE", "AGREE")]
    documents = {
        # right type on top, right actor
        "r1.txt": Document(Article(id="r1", text="s1", file="r1.txt"), [entity("e1", "Norland")],
                           events=[event("v1", "REQUEST", ["e1"], 0.9), event("v2", "THREATEN", [], 0.2)]),
        # the gold type is there but not on top; its mode is right; the top event's actor matches
        "r2.txt": Document(Article(id="r2", text="s2", file="r2.txt"), [entity("e1", "Vestria")],
                           events=[event("v1", "MOBILIZE", ["e1"], 0.8),
                                   event("v2", "ASSAULT", [], 0.5, mode="heavy_weapons")]),
        # no events at all; r4 has no document
        "r3.txt": Document(Article(id="r3", text="s3", file="r3.txt"), [entity("e1", "Ilse Brandor")]),
    }
    figures = score(records, documents)
    assert figures["records"] == 4 and figures["no_events"] == 2
    assert figures["type_acc_top"] == 0.25 and figures["type_acc_any"] == 0.5
    assert figures["mode_scored"] == 2 and figures["mode_acc"] == 0.5
    assert figures["actor_scored"] == 3 and figures["actor_acc_top"] == round(2 / 3, 4)
    assert figures["actor_acc_any"] == round(2 / 3, 4)
    assert figures["type_acc_REQUEST"] == 1.0 and figures["type_acc_ASSAULT"] == 0.0
    shown = plover_table(figures)
    assert list(shown["parley"])[:5] == ["type_acc_top", "type_acc_any", "mode_acc", "actor_acc_top", "actor_acc_any"]
    assert "type_acc_AGREE" in shown["parley"] and shown["documents"] == 4


def test_no_predictions_score_zero_not_an_error():
    figures = score(read_records(PLOVER), {})
    assert figures["records"] == 3 and figures["no_events"] == 3
    assert all(figures[key] == 0.0 for key in ("type_acc_top", "type_acc_any", "mode_acc", "actor_acc_any"))


def test_repeated_ids_get_their_own_files(tmp_path):
    data = json.loads(PLOVER.read_text(encoding="utf-8"))
    data.append(dict(data[1], text="Norland again demanded talks."))
    path = tmp_path / "twice.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    files = [r.file for r in read_records(path)]
    assert files[-1] == "TEST-GSR01-DEMAND-0001_2.txt" and len(set(files)) == 4


def test_plover_command_on_the_fixture(tmp_path):
    code, out = run("plover", "--data", str(PLOVER), "--json")
    assert code == 0, out
    figures = json.loads(out)
    assert figures["records"] == 3 and figures["actor_scored"] == 3 and figures["mode_scored"] == 2
    assert all(0.0 <= figures[key] <= 1.0 for key in ("type_acc_top", "type_acc_any", "actor_acc_any"))
    code, out = run("plover", "--data", str(PLOVER), "--limit", "1")
    assert code == 0 and re.search(r"PLOVER gold records: 1\s+documents", out) and "type_acc_REQUEST" in out
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    code, out = run("plover", "--data", str(broken))
    assert code == 1 and "not a PLOVER gold file" in out


# -- against ../shared (skipped without it) ---------------------------------------------------------------


def test_ngec_against_the_real_data_and_scorer():
    if not (REAL_NGEC.is_file() and (REAL_TOOLS / "score_events.py").is_file()):
        pytest.skip("../shared NGEC data and score_events.py are not beside this checkout")
    code, out = run("ngec", "--limit", "5", "--json")
    assert code == 0, out
    figures = json.loads(out)
    assert figures["documents"] == 5 and figures["missing_predictions"] == 0
    assert figures["texts_made_by"].endswith("make_texts.py")
    assert all(0.0 <= figures[key] <= 1.0 for key in ("story_acc", "type_acc", "macro_f1", "mode_acc"))


def test_every_real_gold_record_maps():
    if not REAL_PLOVER.is_file():
        pytest.skip("../shared PLOVER gold records are not beside this checkout")
    records = read_records(REAL_PLOVER)
    assert len(records) == 322 and {r.type for r in records} <= PLOVER_2
    assert len({r.file for r in records}) == 322
    code, out = run("plover", "--limit", "5", "--json")
    assert code == 0 and json.loads(out)["records"] == 5
