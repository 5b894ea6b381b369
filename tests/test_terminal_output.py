"""Text from articles and file names never acts on the terminal and never splits a line."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner
from rich.console import Console

from parley.cli import main
from parley.document import Article, Document, Entity, Mention
from parley.output import printable, render
from parley.show import print_document

ESC_TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"


def test_printable_shows_controls_one_for_one() -> None:
    text = f"Lima{CLEAR} talks\nnext\tline\x9b"
    assert printable(text) == "Lima\u241b[2J talks\u240anext\u2409line\ufffd"
    assert printable(text, one_line=False) == "Lima\u241b[2J talks\nnext\tline\ufffd"
    assert len(printable(text)) == len(text)
    assert printable("Ana Ruiz met Bo Li in Lima.") == "Ana Ruiz met Bo Li in Lima."


def test_listings_print_no_escape_sequences() -> None:
    out = io.StringIO()
    render([{"headline": f"Talks{ESC_TITLE} end{CLEAR}", "source": "x"}], None, out=out)
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue()


def test_show_keeps_marks_on_the_right_words_and_prints_no_escapes() -> None:
    text = f"Ana Ruiz{CLEAR} met Bo Li."
    doc = Document(article=Article(id="a", text=text, headline=f"Head{ESC_TITLE}"),
                   entities=[Entity(id="e1", type="PERSON", name="Bo Li", mentions=[Mention(text.index("Bo"), len(text) - 1, "Bo Li")])])
    out = io.StringIO()
    print_document(doc, Console(file=out, force_terminal=True, width=120))
    printed = out.getvalue()
    assert CLEAR not in printed and "]0;pwned" not in printed.replace("\u241b]0;pwned", "")
    assert "\u241b[2J" in printed


def test_a_skip_line_for_a_file_name_with_controls_stays_one_line(tmp_path: Path) -> None:
    odd = tmp_path / f"bad\nname{CLEAR}.txt"
    odd.write_bytes(b"")
    result = CliRunner().invoke(main, ["analyze", str(odd)])
    skip_lines = [line for line in result.output.splitlines() if "skipped" in line]
    assert len(skip_lines) == 1 and "\x1b" not in result.output
    assert "\u240aname\u241b[2J.txt" in skip_lines[0]
