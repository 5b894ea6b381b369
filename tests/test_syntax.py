"""The subject a verb's speaker or actor is read from, where the parser gives the verb none."""

import pytest

from parley.analysis.pipeline import load_model
from parley.analysis.syntax import subject_of


def _subject(sentence: str, verb: str) -> str | None:
    doc = load_model()(sentence)
    token = next(t for t in doc if t.text == verb)
    found = subject_of(token)
    return found.text if found is not None else None


@pytest.mark.parametrize("sentence, verb, subject", [
    # "X did A, then said B": the parser hangs the first clause on "said" as what was said
    ("Ruiz jokingly offered one farmer a job as Secretary of Agriculture, then said she would welcome advice "
     "from anyone.", "said", "Ruiz"),
    # a comma alone: the clause before is what was said, and its speaker is the name before the verb
    ("Copper output has halted in the towns of Alta, Baja and Celeste, the Labour Secretary of the Ruritanian "
     "Workers Union, Tomas Ferro, told reporters.", "told", "Ferro"),
    ("A strike by 9,000 miners employed by the state company Minco has paralysed tin production in the major "
     "centres of Alta, Baja, Celeste and Dorado, the Conflicts Secretary of the Ruritanian Miners Federation, "
     "Tomas Ferro, told Reuters.", "told", "Ferro"),
])
def test_a_subjectless_verb_after_a_clause_hung_on_it(sentence: str, verb: str, subject: str) -> None:
    doc = load_model()(sentence)
    token = next(t for t in doc if t.text == verb)
    assert not [c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}], "the parse changed: no longer a test"
    assert _subject(sentence, verb) == subject


def _groups(text: str) -> list[str]:
    from parley.analysis.pipeline import analyze_articles
    from parley.document import Article

    document = next(analyze_articles([Article(id="t", text=text, headline="Live updates from the count")]))
    return sorted(e.name for e in document.entities if e.type in {"GROUP", "SOURCE"})


def test_a_phrase_the_parser_runs_over_a_line_break_is_cut_at_it() -> None:
    """A time stamp on the line above ("4:43 p.m.") is no part of the speakers' name."""
    text = ("The count went on through the night.\n\n___.\n\n4:43 p.m.\n\nRuritania election officials say the "
            "front-runner's name was not left off ballots in a northern town.\n")
    assert _groups(text) == ["Ruritania election officials"]


def test_a_phrase_on_one_line_keeps_what_follows_its_head() -> None:
    text = "The count went on through the night.\n\nMembers of the Ruritania election board say the count was fair.\n"
    assert _groups(text) == ["members of the Ruritania election board"]  # opening a sentence: lower-cased
