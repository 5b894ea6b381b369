#!/usr/bin/env python3
"""The analyst's questions answered in one page each, in Chromium, on a store the user gives:
screenshots at laptop and phone width, and how long each page took to load (issue 16).

    .venv/bin/parley ingest ../shared/data/engagement/texts examples --db /tmp/eng.db
    .venv/bin/python benchmarks/analyst_pages.py --db /tmp/eng.db --out /tmp/shots \\
        [--place Chongqing] [--year 2025] [--person "A Name"] [--country CHN]

The pages: visits to a place and everything inside it (which delegations came, whom they met,
which sectors they raised), a person's page (what this minister said), the network (who met
whom), the opportunity pipeline, a country page, a place page and the map. The person defaults to
the one quoted most. Prints JSON: per page and width, the URL, the screenshot's file and the
seconds until the page was loaded and idle. Chromium is the system's (`$PARLEY_CHROMIUM`, else
`chromium` on the PATH), as in the browser tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from parley.store import Store  # noqa: E402

WIDTHS = {"laptop": (1366, 900), "phone": (390, 844)}


def most_quoted(db: str) -> str | None:
    with Store(db) as store:
        speakers = [q["speaker"] for q in store.quotes(limit=1000) if q.get("speaker")]
    return max(set(speakers), key=speakers.count) if speakers else None


def pages(place: str, person: str | None, country: str, year: str | None = None) -> dict[str, str]:
    period = f"&since={year}&until={year}" if year else ""
    found = {"q1-visits": f"/visits?place={quote(place)}{period}"}
    if person:
        found["q2-person"] = f"/entities/PERSON/{quote(person)}"
    found.update({"q3-network": "/network", "pipeline": "/pipeline", "country": f"/countries/{country}",
                  "place": f"/entities/GPE/{quote(place)}", "map": "/map"})
    return found


def serve(db: str) -> tuple[str, object]:
    import uvicorn

    from parley.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("the server did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="a store, e.g. one ingested from the engagement articles")
    parser.add_argument("--out", type=Path, required=True, help="folder for the screenshots")
    parser.add_argument("--place", default="Chongqing")
    parser.add_argument("--person", default=None, help="default: the person quoted most")
    parser.add_argument("--country", default="CHN")
    parser.add_argument("--year", default=None, help="the visits of one year only, e.g. 2025")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("PARLEY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    args.out.mkdir(parents=True, exist_ok=True)
    base, server = serve(args.db)
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"], headless=True)
        for tag, (width, height) in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, url in pages(args.place, args.person or most_quoted(args.db), args.country, args.year).items():
                start = time.perf_counter()
                page.goto(base + url, wait_until="networkidle")
                seconds = time.perf_counter() - start
                path = args.out / f"{name}-{tag}.png"
                page.screenshot(path=str(path), full_page=False)
                results.append({"page": name, "width": tag, "url": url, "screenshot": str(path),
                                "seconds": round(seconds, 2)})
            page.close()
        browser.close()
    server.should_exit = True  # type: ignore[attr-defined]
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
