"""`parley show`'s rendering: each quote followed by its speaker, styles in place, article text literal."""

from __future__ import annotations

import io

from click.testing import CliRunner
from rich.console import Console

from parley.cli import main
from parley.document import (
    Article,
    Document,
    Entity,
    Event,
    Mention,
    Quote,
    Span,
    Trigger,
)
from parley.show import marked_text, print_document
from parley.store import Store

TEXT = ('Ana Ruiz said "trade [bold]x[/bold] will grow" in Lima. <script>alert(1)</script> '
        '"We agree," an aide said, "fully." Acme Corp said it would invest.')


def at(piece: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(piece)
    return start, start + len(piece)


def make_doc() -> Document:
    q1 = at("trade [bold]x[/bold] will grow")
    q2a, q2b = at("We agree,"), at("fully.")
    q3 = at("it would invest")
    return Document(
        article=Article(id="c" * 40, text=TEXT, headline="[red]Talks[/red] <b>", published="2025-03-21"),
        entities=[
            Entity(id="e1", type="PERSON", name="Ana Ruiz", mentions=[Mention(*at("Ana Ruiz"), "Ana Ruiz")]),
            Entity(id="e2", type="GPE", name="Lima", mentions=[Mention(*at("Lima"), "Lima")]),
            Entity(id="e3", type="ORG", name="Acme [i]Corp[/i]", mentions=[Mention(*at("Acme Corp"), "Acme Corp")]),
        ],
        quotes=[
            Quote(id="q1", text=TEXT[q1[0]:q1[1]], start=q1[0], end=q1[1], speaker="e1", cue="said", stance=0.5),
            Quote(id="q2", text="We agree, fully.", start=q2a[0], end=q2b[1], speaker=None, speaker_text="an aide",
                  cue="said", spans=[Span(*q2a), Span(*q2b)]),
            Quote(id="q3", text="it would invest", start=q3[0], end=q3[1], speaker="e3", cue="said", kind="indirect"),
        ],
        events=[Event(id="v1", type="AGREE", trigger=Trigger("invest", *at("invest")), sentence=Span(0, len(TEXT)))],
    )


def render(document: Document) -> str:
    console = Console(record=True, width=120, color_system=None, file=io.StringIO())
    print_document(document, console)
    return console.export_text()


def test_each_quote_is_followed_by_its_id_and_speaker():
    out = " ".join(render(make_doc()).split())  # undo the console's line wrapping
    assert 'said "trade [bold]x[/bold] will grow [q1 · Ana Ruiz]" in Lima' in out
    assert '"We agree," an aide said, "fully. [q2 · an aide]"' in out
    assert "it would invest [q3 · Acme [i]Corp[/i]]." in out


def test_article_text_and_names_are_printed_literally():
    out = render(make_doc())
    assert "[bold]x[/bold]" in out and "<script>alert(1)</script>" in out
    assert "[red]Talks[/red] <b>" in out  # the headline
    assert "Acme [i]Corp[/i]" in out  # a name in the entities table


def test_styles_stay_on_their_own_words_after_markers_are_inserted():
    document = make_doc()
    text = marked_text(document)
    plain = text.plain

    def styled(style: str) -> set[str]:
        return {plain[s.start:s.end] for s in text.spans if str(s.style) == style}

    assert styled("italic") == {"trade [bold]x[/bold] will grow", "We agree,", "fully.", "it would invest"}
    assert styled("bold cyan") == {"Ana Ruiz"} and styled("bold green") == {"Lima"}
    assert styled("bold magenta") == {"Acme Corp"} and styled("reverse") == {"invest"}
    assert styled("dim") == {" [q1 · Ana Ruiz]", " [q2 · an aide]", " [q3 · Acme [i]Corp[/i]]"}
    assert plain.replace(" [q1 · Ana Ruiz]", "").replace(" [q2 · an aide]", "").replace(
        " [q3 · Acme [i]Corp[/i]]", "") == TEXT


def test_a_document_without_quotes_is_the_text_itself():
    document = make_doc()
    document.quotes = []
    assert marked_text(document).plain == TEXT


def test_parley_show_prints_the_marked_text(tmp_path):
    db = str(tmp_path / "show.db")
    with Store(db) as store:
        store.add(make_doc())
    result = CliRunner().invoke(main, ["show", "c" * 12, "--db", db], catch_exceptions=False, env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "[q1 · Ana Ruiz]" in result.stdout and "<script>alert(1)</script>" in result.stdout


def test_dates_are_listed_with_their_values_and_offsets() -> None:
    from rich.console import Console

    from parley.document import Article, Document, TimeExpression
    from parley.show import print_document

    text = "The fair ran from April 20 to 22 in Lyon."
    doc = Document(
        article=Article(id="d1", text=text, headline="Fair"),
        dates=[TimeExpression(id="t1", text="April 20 to 22", start=18, end=32, value="--04-20",
                              value_end="--04-22", precision="day")],
    )
    console = Console(record=True, width=120)
    print_document(doc, console)
    out = console.export_text()
    assert "Dates" in out and "--04-20" in out and "--04-22" in out and "18-32" in out
