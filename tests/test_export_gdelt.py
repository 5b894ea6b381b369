"""The GDELT 2.0 export as a GDELT user reads it: 61 tab-separated columns under GDELT's header, each
of GDELT's type; CAMEO event codes and Goldstein values from a PLOVER type+mode table, FIPS 10-4
place codes, dates only where known, article-level tone, a URL or nothing, ids exact in a double."""

from __future__ import annotations

import io

import pytest

from parley.analysis.lexicon import read_table
from parley.document import Article, Document, Entity, Event, EventDate, Mention, Quote, Span, Trigger
from parley.store import Store
from parley.store.export import GDELT_COLUMNS, _event_number, cameo_codes, cameo_event, export, fips_countries, gdelt_row

TEXT = ("Ruritania's trade minister visited Lima on Monday.\n\n"
        "The United Nations criticised the newspaper, officials said. \"Good talks,\" the minister said.")

#: GDELT 2.0 event columns and their types (codebook): the rest are strings.
INTS = ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass", "Actor1Geo_Type",
        "Actor2Geo_Type", "ActionGeo_Type", "DATEADDED")
FLOATS = ("FractionDate", "GoldsteinScale", "AvgTone", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor2Geo_Lat",
          "Actor2Geo_Long", "ActionGeo_Lat", "ActionGeo_Long")


def _doc(url: str | None = "https://example.org/ruritania", published: str | None = "2025-06-03") -> Document:
    doc = Document(article=Article(id="r1", text=TEXT, url=url, file="r1.txt", published=published))
    un_at = TEXT.index("The United Nations")
    doc.entities = [
        Entity(id="e1", type="PERSON", name="Ana Ruiz", country="RUR", sector="GOV", mentions=[Mention(0, 10, "Ruritania")]),
        Entity(id="e2", type="GPE", name="Lima", country="PER", mentions=[Mention(35, 39, "Lima")],
               geo={"lat": -12.04, "lon": -77.03, "admin1": "Lima", "geonameid": 3936456, "country": "PER", "kind": "city"}),
        Entity(id="e3", type="ORG", name="United Nations", country="UNO", sector="GOV",
               mentions=[Mention(un_at + 4, un_at + 18, "United Nations")]),
        Entity(id="e4", type="ORG", name="Daily Ruritanian", country="PER", sector="JRN"),
        Entity(id="e5", type="GPE", name="Peru", country="PER",
               geo={"lat": -12.04, "lon": -77.03, "geonameid": 3932488, "country": "PER", "kind": "country"}),
    ]
    second = TEXT.index("The United")
    doc.events = [
        Event(id="v1", type="CONSULT", mode="visit", actor=["e1"], recipient=["e2"], location="e2",
              trigger=Trigger("visited", 27, 34), sentence=Span(0, 50),
              date=EventDate(start="2025-06-02", end="2025-06-02", text="Monday", precision="day")),
        Event(id="v2", type="ACCUSE", mode="disapprove", actor=["e3"], recipient=["e4"], location="e5",
              trigger=Trigger("criticised", second + 19, second + 29), sentence=Span(second, second + 60)),
        Event(id="v3", type="THREATEN", mode="no-such-mode", actor=["e3"], trigger=Trigger("said", second + 50, second + 54),
              sentence=Span(second, second + 60), date=EventDate(start="2025", text="this year", precision="year")),
        Event(id="v4", type="SANCTION", actor=["e3"], trigger=Trigger("said", second + 50, second + 54),
              sentence=Span(second, second + 60), negated=True),
    ]
    doc.quotes = [Quote(id="q1", text="Good talks", start=TEXT.index("Good"), end=TEXT.index("Good") + 10,
                        speaker="e1", stance=0.8),
                  Quote(id="q2", text="x", start=0, end=1, stance=-0.4), Quote(id="q3", text="y", start=0, end=1)]
    return doc


def _read(doc: Document, tmp_path) -> "object":
    pd = pytest.importorskip("pandas")
    with Store(str(tmp_path / "g.db")) as store:
        store.add(doc)
        buf = io.BytesIO()
        n = export(store, "gdelt", buf)
    frame = pd.read_csv(io.BytesIO(buf.getvalue()), sep="\t", header=None, names=list(GDELT_COLUMNS),
                        dtype={c: ("Int64" if c in INTS else "float64" if c in FLOATS else "string") for c in GDELT_COLUMNS},
                        keep_default_na=False, na_values=[""], quoting=3)
    assert len(frame) == n and frame.shape[1] == 61
    return frame.set_index("EventCode", drop=False)


def test_a_gdelt_header_reader_types_every_column(tmp_path) -> None:
    pd = pytest.importorskip("pandas")
    frame = _read(_doc(), tmp_path)
    assert set(frame["EventCode"]) == {"042", "111", "130"}  # v4 is negated: left out (README rule)
    visit = frame.loc["042"]
    assert (visit["EventBaseCode"], visit["EventRootCode"], visit["GoldsteinScale"]) == ("042", "04", 1.9)
    assert pd.to_datetime(str(visit["SQLDATE"]), format="%Y%m%d") == pd.Timestamp("2025-06-02")
    assert visit["ActionGeo_CountryCode"] == "PE" and visit["ActionGeo_Type"] == 4 and visit["IsRootEvent"] == 1
    assert visit["Actor2Geo_Lat"] == -12.04 and visit["Actor2Geo_FullName"] == "Lima, Peru"
    assert visit["SOURCEURL"] == "https://example.org/ruritania"
    assert visit["AvgTone"] == pytest.approx(20.0)  # the article's quotes: (0.8 - 0.4) / 2, scaled to 100
    assert frame["AvgTone"].nunique() == 1
    assert (frame["GLOBALEVENTID"] < 2**53).all()


def test_international_bodies_and_media_in_cameo_terms(tmp_path) -> None:
    critic = _read(_doc(), tmp_path).loc["111"]
    assert (critic["Actor1Code"], critic["Actor1KnownGroupCode"]) == ("IGOUNOGOV", "UNO")
    assert pd_na(critic["Actor1CountryCode"]) and critic["Actor2Type1Code"] == "MED"  # PLOVER JRN, CAMEO MED
    assert (critic["ActionGeo_Type"], critic["ActionGeo_CountryCode"], critic["ActionGeo_FeatureID"]) == (1, "PE", "PE")
    assert pd_na(critic["ActionGeo_Lat"]) and pd_na(critic["ActionGeo_Long"])  # not plotted at Lima
    assert critic["SQLDATE"] == 20250603 and critic["IsRootEvent"] == 0  # the article's date; not in the lead


def test_dates_only_as_precise_as_known(tmp_path) -> None:
    threat = _read(_doc(published="2025-06"), tmp_path).loc["130"]  # an unlisted mode: the type's own code
    assert pd_na(threat["SQLDATE"]) and pd_na(threat["MonthYear"]) and threat["Year"] == 2025
    (tmp_path / "b").mkdir()
    critic = _read(_doc(published="2025-06"), tmp_path / "b").loc["111"]
    assert pd_na(critic["SQLDATE"]) and critic["MonthYear"] == 202506  # the article's month, no invented day


def test_no_url_leaves_sourceurl_empty() -> None:
    doc = _doc(url=None)
    assert gdelt_row(doc, doc.events[0])["SOURCEURL"] is None


def test_ids_stay_below_two_to_the_53() -> None:
    assert all(_event_number(f"{n:040x}", f"v{n}") < 2**53 for n in range(2000))


def test_the_cameo_table_covers_every_type_and_mode() -> None:
    roots = {"AGREE": {"03"}, "CONSULT": {"04"}, "SUPPORT": {"05"}, "COOPERATE": {"06"}, "AID": {"07"},
             "CONCEDE": {"08"}, "RETREAT": {"08"}, "REQUEST": {"10"}, "ACCUSE": {"09", "11"}, "REJECT": {"12"},
             "THREATEN": {"13"}, "PROTEST": {"14"}, "MOBILIZE": {"15"}, "SANCTION": {"16", "17"},
             "COERCE": {"17"}, "ASSAULT": {"17", "18", "19", "20"}}
    for (type_, mode), (code, goldstein) in cameo_codes().items():
        assert code[:2] in roots[type_] and code.isdigit() and 3 <= len(code) <= 4, (type_, mode, code)
        assert -10 <= goldstein <= 10
    assert all((t, "") in cameo_codes() for t in roots)
    modes = {(r["type"], r["mode"]) for name in ("plover_cues.tsv", "event_triggers.tsv") for r in read_table(name)
             if r.get("mode") and r.get("type") in roots}
    assert modes <= set(cameo_codes()), modes - set(cameo_codes())
    assert cameo_event("CONSULT", "visit") == ("042", 1.9) and cameo_event("AGREE", None) == ("030", 4.0)


def test_fips_codes_differ_from_iso() -> None:
    fips = fips_countries()
    assert {k: fips[k][0] for k in ("GBR", "DEU", "CHN", "PER", "USA", "ESP", "KOS")} == {
        "GBR": "UK", "DEU": "GM", "CHN": "CH", "PER": "PE", "USA": "US", "ESP": "SP", "KOS": "KV"}
    assert len(fips) > 240 and all(len(code) == 2 for code, _ in fips.values())


def pd_na(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))
