"""An invented store for the briefing tests, built by hand (no model): a visit reported by two
outlets in the period, an opportunity, quotes, a place with coordinates, an event in the period
before, an undated one, and an article whose headline and quote carry markup and an outside URL.
"""

from __future__ import annotations

from pathlib import Path

from parley.document import Quote
from parley.store import Store

from .resolve_builders import doc, person

UNTIL = "2025-03-16"  # with --since 7d: 2025-03-10 to 2025-03-16; before it, 2025-03-03 to 2025-03-09
COORDS = {"Strelsau": (50.1, 14.4), "Tarlenheim": (48.2, 16.4), "Ruritania": (49.8, 15.5)}
VISIT = "Trade Minister Olga Varn of Zenda visited Strelsau on 12 March 2025 and met Mayor Rudolf Elphberg."
PROMISE = "We intend to build a battery plant together and open our markets to each other"
HOSTILE_HEADLINE = 'Talks <script>window.__x=1</script> see http://evil.example/x'
HOSTILE_QUOTE = 'Visit <img src="http://evil.example/y.png"> our pavilion, where every partner is welcome today'


def _placed(d, names: tuple[str, ...]) -> None:
    for e in d.entities:
        if e.name in names and e.geo is not None:
            e.geo = {**e.geo, "lat": COORDS[e.name][0], "lon": COORDS[e.name][1]}


def _quote(d, text: str, speaker_id: str, qid: str = "q1") -> None:
    start = d.article.text.find(text)
    d.quotes.append(Quote(id=qid, text=text, start=start, end=start + len(text), speaker=speaker_id,
                          cue="said", kind="direct"))


def documents() -> list:
    varn = person("Olga Varn", "ZEN", roles=("Trade Minister",))
    mayor = person("Rudolf Elphberg", "RUR", roles=("Mayor",))
    text1 = (f"{VISIT} \"{PROMISE},\" Varn said. The two sides agreed to cooperate on battery storage.")
    a1 = doc("a1", text1, people=[varn, mayor], places=["Strelsau"], published="2025-03-12", events=[
        {"trigger": "visited", "type": "CONSULT", "mode": "visit", "actor": ["Olga Varn"],
         "recipient": ["Rudolf Elphberg"], "location": "Strelsau", "date": "2025-03-12"},
        {"trigger": "agreed", "type": "AGREE", "actor": ["Olga Varn"], "recipient": ["Rudolf Elphberg"],
         "location": "Strelsau", "date": "2025-03-12"}])
    a1.article.headline = "Zenda minister visits Strelsau"
    for e in a1.events:
        e.sectors = ["energy"]
    a1.events[1].sentence.start = text1.find("The two sides")
    a1.events[0].sentence.end = len(VISIT)
    _placed(a1, ("Strelsau",))
    _quote(a1, PROMISE, "p1")
    text2 = "Olga Varn visited Strelsau on Wednesday, where the minister met Rudolf Elphberg at the town hall."
    a2 = doc("a2", text2, people=[varn, mayor], places=["Strelsau"], published="2025-03-13", events=[
        {"trigger": "visited", "type": "CONSULT", "mode": "visit", "actor": ["Olga Varn"],
         "recipient": ["Rudolf Elphberg"], "location": "Strelsau", "date": "2025-03-12"}])
    a2.article.headline = "Minister in Strelsau"
    _placed(a2, ("Strelsau",))
    text3 = "Mayor Rudolf Elphberg met envoys in Tarlenheim on 5 March 2025 to discuss rail links."
    a3 = doc("a3", text3, people=[mayor], places=["Tarlenheim"], published="2025-03-05", events=[
        {"trigger": "met", "type": "CONSULT", "actor": ["Rudolf Elphberg"], "location": "Tarlenheim",
         "date": "2025-03-05"}])
    _placed(a3, ("Tarlenheim",))
    text4 = "Rudolf Elphberg met a delegation from Zenda."
    a4 = doc("a4", text4, people=[mayor], events=[{"trigger": "met", "type": "CONSULT", "actor": ["Rudolf Elphberg"]}])
    guest = person("Ida Strand", "ZEN", roles=("Ambassador",))
    text5 = f"Ambassador Ida Strand met Rudolf Elphberg on 14 March 2025. \"{HOSTILE_QUOTE},\" Strand said."
    a5 = doc("a5", text5, people=[guest, mayor], published="2025-03-14", events=[
        {"trigger": "met", "type": "CONSULT", "actor": ["Ida Strand"], "recipient": ["Rudolf Elphberg"],
         "date": "2025-03-14"}])
    a5.article.headline = HOSTILE_HEADLINE
    a5.article.url = "http://evil.example/article"
    _quote(a5, HOSTILE_QUOTE, "p1")
    return [a1, a2, a3, a4, a5]


def fill(db: str | Path) -> str:
    """The store, with its stories resolved as `parley ingest` leaves them."""
    from parley.resolve.persist import update

    with Store(db) as store:
        store.add_many(documents())
        update(store)
    return str(db)
