"""The GDELT export writes CAMEO actor type codes, though entities carry PLOVER's sectors."""

from __future__ import annotations

from parley.document import Article, Document, Entity, Event, Span, Trigger
from parley.store.export import gdelt_row


def _doc(sector: str) -> Document:
    text = "The editor met the minister."
    doc = Document(article=Article(id="a1", text=text))
    doc.entities = [Entity(id="e1", type="PERSON", name="Ana Ruiz", country="PER", sector=sector),
                    Entity(id="e2", type="PERSON", name="Luis Soto", country="PER", sector="GOV")]
    doc.events = [Event(id="v1", type="CONSULT", actor=["e1"], recipient=["e2"], trigger=Trigger("met", 11, 14),
                        sentence=Span(0, len(text)))]
    return doc


def test_plover_media_and_health_become_cameo_codes() -> None:
    assert gdelt_row(_doc("JRN"), _doc("JRN").events[0])["Actor1Type1Code"] == "MED"
    row = gdelt_row(_doc("MED"), _doc("MED").events[0])
    assert row["Actor1Type1Code"] == "HLH" and row["Actor1Code"] == "PERHLH"


def test_codes_shared_by_both_pass_through() -> None:
    row = gdelt_row(_doc("BUS"), _doc("BUS").events[0])
    assert row["Actor1Type1Code"] == "BUS" and row["Actor2Type1Code"] == "GOV"
