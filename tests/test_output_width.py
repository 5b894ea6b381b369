"""Tables in a narrow terminal: nothing that matters is hidden (issue: an 80-column terminal showed no
quote text); a wide one keeps the table."""

from __future__ import annotations

import io

import pytest

from parley.output import render

QUOTE = ("Ruritania is a dynamic partner, and we look forward to working with its chambers on "
         "electric vehicles, logistics and finance for many years to come")
ROWS = [{"speaker": "Ana Ruiz Montoya", "speaker_country": "RUR", "cue": "said", "kind": "direct",
         "stance": 0.858, "text": QUOTE, "article_id": "f" * 40}]
COLUMNS = ["speaker", "speaker_country", "cue", "kind", "stance", "text", "article_id"]


def _rendered(width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", str(width))
    out = io.StringIO()
    render(ROWS, None, COLUMNS, title="Quotes", out=out)
    return out.getvalue()


@pytest.mark.parametrize("width", [60, 80, 100])
def test_a_narrow_terminal_shows_every_word_of_the_quote_and_the_whole_speaker(width: int, monkeypatch) -> None:
    text = _rendered(width, monkeypatch)
    assert QUOTE in " ".join(text.replace("│", " ").split())
    assert "Ana Ruiz Montoya" in text and "ffffffffffff" in text
    assert max(len(line.rstrip()) for line in text.splitlines()) <= width


def test_a_wide_terminal_keeps_the_table(monkeypatch) -> None:
    text = _rendered(300, monkeypatch)  # wide enough for the quote on one line
    assert "┃ speaker" in text and QUOTE in " ".join(text.replace("│", " ").split())


def test_a_table_that_fits_is_unchanged_in_a_narrow_terminal(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = io.StringIO()
    render([{"id": "s1", "label": "Energy"}], None, ["id", "label"], title="Sectors", out=out)
    assert "┃ id" in out.getvalue()


def test_a_cut_listing_says_so_on_stderr_and_writes_only_the_limit(capsys) -> None:
    rows = [{"id": str(n)} for n in range(3)]  # the caller fetched limit + 1
    out = io.StringIO()
    render(rows, "csv", ["id"], out=out, limit=2)
    assert out.getvalue().splitlines() == ["id", "0", "1"]
    assert "2 shown; more match" in capsys.readouterr().err
    out = io.StringIO()
    render(rows[:2], "csv", ["id"], out=out, limit=2)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("width", [80, 200])
def test_a_long_quote_is_wrapped_whole_never_cut(width: int, monkeypatch) -> None:
    long_quote = " ".join([QUOTE] * 3)  # 420 characters, longer than any table cell was allowed
    monkeypatch.setenv("COLUMNS", str(width))
    out = io.StringIO()
    render([{**ROWS[0], "text": long_quote}], None, COLUMNS, title="Quotes", out=out)
    words = set(long_quote.split())
    shown = [w for w in out.getvalue().replace("│", " ").split() if w in words]  # the other cells left out
    assert " ".join(shown) == long_quote and "..." not in out.getvalue()
