"""A store for the web tests: the example articles plus a hostile one, analysed for real once per session.

The hostile article carries a script tag, an <img onerror>, and a spreadsheet formula in its headline
and quote: every page, graph label, map popup and export must show them as plain text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from parley.store import Store
from parley.web import create_app

from ..conftest import EXAMPLES, ROOT

TOKEN = "test-token-123"
ARTIFACTS = ROOT / "tests" / "artifacts" / "web"

HOSTILE_HEADLINE = '=HYPERLINK("http://evil.example/x","open") <script>window.__xss="headline"</script>'
HOSTILE_TEXT = (
    'The Mayor of Leeds, Jo Smith, met Li Wei in Chongqing on Wednesday to discuss trade '
    '<img src=x onerror="window.__xss=\'img\'">. '
    '"=HYPERLINK(""http://evil.example/y"",""click"") <script>window.__xss=\'quote\'</script> We hope to '
    'deepen cooperation in automotive," Smith said. '
    "Li Wei said the two cities would sign an agreement on investment next year."
)
HOSTILE = {"text": HOSTILE_TEXT, "headline": HOSTILE_HEADLINE, "published": "2025-03-21",
           "url": "javascript:alert(1)", "source": "<b>Evil</b> Wire"}


def client(app: Any, token: str | None = None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver", headers=headers)


def call(app: Any, method: str, url: str, token: str | None = None, **kwargs: Any) -> httpx.Response:
    """One request to the app in process, without a server."""
    async def go() -> httpx.Response:
        async with client(app, token) as c:
            return await c.request(method, url, **kwargs)

    return asyncio.run(go())


def fill(db: Path) -> None:
    """The example articles through `parley ingest`'s path, the hostile one through POST /api/articles."""
    from parley.run.ingest import ingest

    with Store(db) as store:
        ingest([str(EXAMPLES)], store)
    app = create_app(db, token=TOKEN)
    r = call(app, "POST", "/api/articles", token=TOKEN, json=HOSTILE)
    assert r.status_code == 201, r.text
    app.state.workbench.store.close()


@pytest.fixture(scope="session")
def web_db(session_store_url: str) -> str:
    """The filled store, once on SQLite and once on PostgreSQL (tests/stores.py)."""
    fill(session_store_url)
    return session_store_url


@pytest.fixture(scope="session")
def app(web_db: Path) -> Iterator[Any]:
    application = create_app(web_db)
    yield application
    application.state.workbench.store.close()


@pytest.fixture(scope="session")
def hostile_id(web_db: Path) -> str:
    with Store(web_db) as store:
        hits = [a for a in store.articles(limit=None) if (a["headline"] or "").startswith("=HYPERLINK")]
    assert len(hits) == 1
    return hits[0]["id"]
