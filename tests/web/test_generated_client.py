"""The API as a generated client sees it: openapi-python-client (the test extra) writes a client from
the served OpenAPI schema, and that client reads lists, documents and profiles into typed models
whose declared fields hold everything the server sent, and stores an article with the token.

The generator runs as a program (`openapi-python-client`, or $PARLEY_OPENAPI_CLIENT naming one in
another environment); the test skips where neither is installed.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import httpx
import pytest

from parley.web import create_app

from .conftest import HOSTILE_TEXT, TOKEN

pytestmark = pytest.mark.slow


def _generator() -> list[str] | None:
    named = os.environ.get("PARLEY_OPENAPI_CLIENT")
    if named:
        return [named]
    found = shutil.which("openapi-python-client", path=str(Path(sys.executable).parent)) or \
        shutil.which("openapi-python-client")
    return [found] if found else None


@pytest.fixture(scope="module")
def parley_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client package generated from a writable server's schema (the POST with its bearer scheme)."""
    command = _generator()
    if command is None:
        pytest.skip("openapi-python-client is not installed (pip install -e '.[test]')")
    where = tmp_path_factory.mktemp("client")
    app = create_app(where / "schema.db", token=TOKEN)
    (where / "openapi.json").write_text(json.dumps(app.openapi()))
    app.state.workbench.store.close()
    (where / "config.yaml").write_text("post_hooks: []\npackage_name_override: parley_client\n"
                                       "project_name_override: parley-client\n")
    done = subprocess.run([*command, "generate", "--path", str(where / "openapi.json"), "--output-path",
                           str(where / "out"), "--config", str(where / "config.yaml")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning" not in (done.stdout + done.stderr).lower(), done.stdout + done.stderr  # nothing left untyped
    sys.path.insert(0, str(where / "out"))
    try:
        yield importlib.import_module("parley_client")
    finally:
        sys.path.remove(str(where / "out"))
        for name in [m for m in sys.modules if m == "parley_client" or m.startswith("parley_client.")]:
            del sys.modules[name]


def _client(pc: ModuleType, app: Any, token: str | None = None) -> Any:
    client = pc.AuthenticatedClient(base_url="http://testserver", token=token) if token else \
        pc.Client(base_url="http://testserver")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    client.set_async_httpx_client(httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                                    base_url="http://testserver", headers=headers))
    return client


def _api(pc: ModuleType, name: str) -> Any:
    return importlib.import_module(f"parley_client.api.{name}")


def _all_declared(model: Any) -> None:
    """Every field the server sent landed in a declared attribute, in this model and those inside it."""
    assert model.additional_properties == {}, (type(model).__name__, sorted(model.additional_properties))
    for field in attrs.fields(type(model)):
        value = getattr(model, field.name)
        for item in value if isinstance(value, list) else [value]:
            if hasattr(item, "additional_properties"):
                _all_declared(item)


def test_a_generated_client_reads_typed_lists_documents_and_profiles(parley_client: ModuleType, app: Any) -> None:
    pc = parley_client
    models = importlib.import_module("parley_client.models")

    async def go() -> None:
        async with _client(pc, app) as c:
            page = await _api(pc, "api.events").asyncio(client=c, limit=2)
            assert isinstance(page, models.EventPage) and page.limit == 2 and page.total > 2
            assert all(isinstance(e, models.EventRow) and e.type_ for e in page.items)
            rows, offset = [], 0
            while True:  # walk the pages the way a client does, by offset
                got = await _api(pc, "api.events").asyncio(client=c, limit=2, offset=offset)
                rows += got.items
                if got.next_ is None:
                    break
                offset += got.limit
            assert len(rows) == page.total
            for name, model in (("articles", "ArticlePage"), ("entities", "EntityPage"), ("quotes", "QuotePage"),
                                ("events", "EventPage"), ("opportunities", "OpportunityPage")):
                listing = await _api(pc, f"api.{name}").asyncio(client=c, limit=500)
                assert isinstance(listing, getattr(models, model)) and listing.items, name
                _all_declared(listing)
            found = await _api(pc, "api.search").asyncio(client=c, q="Chongqing")
            assert isinstance(found, models.SearchPage) and found.items and found.facets.type_
            _all_declared(found)
            first = (await _api(pc, "api.articles").asyncio(client=c, limit=1)).items[0]
            doc = await _api(pc, "api.article").asyncio(client=c, article_id=first.id)
            assert isinstance(doc, models.ArticleDocument) and doc.article.id == first.id
            assert doc.schema == "parley.article/1" and doc.entities and isinstance(doc.entities[0], models.DocEntity)
            _all_declared(doc)
            person = next(e for e in (await _api(pc, "api.entities").asyncio(client=c, type_="PERSON")).items)
            profile = await _api(pc, "api.entity").asyncio(client=c, type_=person.type_, name=person.name)
            assert isinstance(profile, models.EntityProfile) and profile.name == person.name
            _all_declared(profile)
            counts = await _api(pc, "api.counts").asyncio(client=c)
            assert isinstance(counts, models.Counts) and counts.articles >= 1
            missing = await _api(pc, "api.article").asyncio_detailed(client=c, article_id="0" * 40)
            assert missing.status_code == 404 and isinstance(missing.parsed, models.Problem)

    asyncio.run(go())


def test_a_generated_client_stores_an_article_with_the_token(parley_client: ModuleType, tmp_path: Path) -> None:
    pc = parley_client
    models = importlib.import_module("parley_client.models")
    app = create_app(tmp_path / "w.db", token=TOKEN)

    async def go() -> None:
        body = models.AddArticleArticleIn(text=HOSTILE_TEXT, headline="Ruritania and Leeds", published="2025-03-21",
                                          id="ruritania/1")
        async with _client(pc, app, TOKEN) as c:
            answer = await _api(pc, "ingest.add_article").asyncio_detailed(client=c, body=body)
            assert answer.status_code == 201 and isinstance(answer.parsed, models.Stored)
            assert answer.headers["location"] == "/api/articles/ruritania%2F1"
            doc = await _api(pc, "api.article").asyncio(client=c, article_id=answer.parsed.article_id)
            assert doc.article.headline == "Ruritania and Leeds"
        async with _client(pc, app) as anonymous:
            refused = await _api(pc, "ingest.add_article").asyncio_detailed(client=anonymous, body=body)
            assert refused.status_code == 401 and isinstance(refused.parsed, models.Problem)

    asyncio.run(go())
    app.state.workbench.store.close()
