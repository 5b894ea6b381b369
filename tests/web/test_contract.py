"""The API's contract one rule at a time (test_schema.py lets schemathesis look for breaks of all of them):
every error is RFC 9457 problem details and declared; a filter accepts exactly what its declared pattern
says; a 405 names every method of the path; the token is a bearer security scheme. On empty stores: fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from parley.errors import StoreError
from parley.web import create_app
from parley.web.app import allowed_hosts_for
from .conftest import TOKEN, call

PROBLEM_JSON = "application/problem+json"  # RFC 9457


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    """A read-only server (no token), as `parley serve` starts one."""
    application = create_app(tmp_path / "ro.db")
    yield application
    application.state.workbench.store.close()


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[Any]:
    application = create_app(tmp_path / "rw.db", token=TOKEN)
    yield application
    application.state.workbench.store.close()


def problem(r: Any, status: int) -> dict[str, Any]:
    """The body of `r`, checked to be problem details for `status`."""
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["content-type"] == PROBLEM_JSON
    body = r.json()
    assert body["type"] == "about:blank" and body["status"] == status
    assert body["title"] and body["detail"] and isinstance(body["detail"], str)
    return body


def operations(app: Any) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, methods in app.openapi()["paths"].items():
        for method, op in methods.items():
            yield path, method, op


def declared_pattern(app: Any, path: str, name: str) -> str:
    op = app.openapi()["paths"][path]["get"]
    schema = next(p["schema"] for p in op["parameters"] if p["name"] == name)
    return next(s["pattern"] for s in schema.get("anyOf", [schema]) if "pattern" in s)


# --- one error shape, everywhere -------------------------------------------------------------

def test_every_api_error_is_problem_details(app: Any) -> None:
    problem(call(app, "GET", "/api/articles/" + "0" * 40), 404)
    problem(call(app, "GET", "/api/entities/PERSON/Nobody%20At%20All"), 404)
    problem(call(app, "GET", "/api/no-such-thing"), 404)
    problem(call(app, "GET", "/export/events.xml"), 422)
    problem(call(app, "GET", "/api/events?limit=0"), 422)
    problem(call(app, "GET", "/api/search?q=a%00b"), 400)
    problem(call(app, "DELETE", "/api/counts"), 405)
    problem(call(app, "POST", "/api/articles", json={"text": "x"}), 403)


def test_a_422_names_each_parameter_with_the_value_sent(app: Any) -> None:
    body = problem(call(app, "GET", "/api/events?limit=0&type=not%20a%20code"), 422)
    assert {(e["in"], e["name"], e["value"]) for e in body["errors"]} == {("query", "limit", "0"),
                                                                          ("query", "type", "not a code")}
    assert "limit" in body["detail"] and "type: expected a PLOVER event type: AGREE, CONSULT" in body["detail"]
    long = problem(call(app, "GET", "/api/events", params={"actor": "x" * 5000}), 422)
    assert long["errors"][0]["value"] == "x" * 200  # echoed back, not all of it


def test_a_bad_body_names_its_field_and_says_why(writable: Any) -> None:
    body = problem(call(writable, "POST", "/api/articles", token=TOKEN, json={"text": "x", "published": "2025-02-30"}),
                   422)
    assert [(e["in"], e["name"]) for e in body["errors"]] == [("body", "published")]
    assert "not a calendar date" in body["detail"]
    dots = problem(call(writable, "POST", "/api/articles", token=TOKEN, json={"text": "x", "id": ".."}), 422)
    assert dots["errors"][0]["name"] == "id" and "cannot be part of a web address" in dots["detail"]
    blank = problem(call(writable, "POST", "/api/articles", token=TOKEN, json={"text": "\u00a0\u200b\n"}), 422)
    assert blank["errors"][0]["name"] == "text"
    problem(call(writable, "POST", "/api/articles", token=TOKEN, content=b"{not json"), 422)
    problem(call(writable, "POST", "/api/articles", json={"text": "x"}), 401)


def test_a_failing_store_is_a_503_problem(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def fails() -> None:
        raise StoreError("the store is locked by another process")

    monkeypatch.setattr(app.state.workbench, "counts", fails)
    assert problem(call(app, "GET", "/api/counts"), 503)["detail"] == "the store is locked by another process"


def test_pages_keep_their_html_error_page(app: Any) -> None:
    r = call(app, "GET", "/events?limit=0&since=March")
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert "since: expected a date: YYYY, YYYY-MM or YYYY-MM-DD" in r.text and "limit:" in r.text


def test_a_foreign_host_is_refused_in_the_same_shape(tmp_path: Path) -> None:
    app = create_app(tmp_path / "h.db", allowed_hosts=allowed_hosts_for("127.0.0.1"))
    assert "Host" in problem(call(app, "GET", "/api/counts", headers={"Host": "evil.example"}), 400)["detail"]
    page = call(app, "GET", "/", headers={"Host": "evil.example"})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/plain")
    assert call(app, "GET", "/api/counts", headers={"Host": "localhost:8000"}).status_code == 200
    app.state.workbench.store.close()


# --- the schema declares what is answered ----------------------------------------------------

def test_every_operation_declares_the_errors_it_can_answer(app: Any) -> None:
    schema = app.openapi()
    assert "Problem" in schema["components"]["schemas"]
    assert not {"HTTPValidationError", "ValidationError"} & schema["components"]["schemas"].keys()
    for path, method, op in operations(app):
        declared = op["responses"]
        assert {"400", "503"} <= declared.keys(), (method, path)
        if op.get("parameters") or "requestBody" in op:
            assert "422" in declared, (method, path)
        if "{" in path:
            assert "404" in declared, (method, path)
        for status, response in declared.items():
            if status[0] in "45":
                assert response["content"] == {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


# --- what the schema calls valid is accepted, and nothing else --------------------------------

@pytest.mark.parametrize(("path", "name", "value", "valid"), [
    ("/api/events", "type", "", True),  # an empty form field: no filter
    ("/api/events", "type", " CONSULT ", True),  # spaces around a typed value
    ("/api/events", "type", "0000", False),
    ("/api/events", "country", "GB R", False),
    ("/api/events", "since", "2025-03", True),
    ("/api/events", "since", "0000000000", False),
    ("/api/events", "since", "2025/03", False),
    ("/api/articles", "until", "2025", True),
    ("/api/entities", "type", "PERSON", True),
    ("/api/entities", "type", "person", False),
    ("/api/entities", "type", "ALIEN", False),
    ("/api/quotes", "kind", "direct", True),
    ("/api/quotes", "kind", "quoted", False),
])
def test_a_filter_accepts_exactly_what_its_pattern_declares(app: Any, path: str, name: str, value: str,
                                                            valid: bool) -> None:
    assert bool(re.search(declared_pattern(app, path, name), value)) is valid
    r = call(app, "GET", path, params={name: value})
    assert r.status_code == (200 if valid else 422), (path, name, value, r.text[:200])


def test_free_text_declares_that_a_nul_byte_is_refused(app: Any) -> None:
    pattern = declared_pattern(app, "/api/events", "actor")
    assert re.search(pattern, "Jo Smith") and not re.search(pattern, "Jo\x00Smith")
    problem(call(app, "GET", "/api/events", params={"actor": "Jo\x00Smith"}), 400)


def test_an_entity_type_in_a_path_is_one_of_the_types(app: Any) -> None:
    problem(call(app, "GET", "/api/entities/ALIEN/Someone"), 422)
    problem(call(app, "GET", "/api/entities/PERSON/Someone"), 404)


# --- 405 names every method the path answers ---------------------------------------------------

def test_a_405_allows_every_method_of_the_path(app: Any) -> None:
    for method in ("OPTIONS", "PUT", "DELETE"):
        r = call(app, method, "/api/articles")  # GET (api.py) and POST (ingest.py): two routes
        assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD, POST", method
    assert call(app, "PUT", "/api/counts").headers["allow"] == "GET, HEAD"  # HEAD wherever GET
    page = call(app, "DELETE", "/articles")
    assert page.status_code == 405 and page.headers["allow"] == "GET, HEAD"


# --- the token ----------------------------------------------------------------------------------

def test_the_token_is_a_bearer_security_scheme(writable: Any) -> None:
    schema = writable.openapi()
    scheme = schema["components"]["securitySchemes"]["bearer"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    post = schema["paths"]["/api/articles"]["post"]
    assert post["security"] == [{"bearer": []}] and "401" in post["responses"]
    assert not [p for p in post.get("parameters", []) if p["name"].lower() == "authorization"]


def test_a_read_only_server_asks_for_no_token(app: Any) -> None:
    schema = app.openapi()
    assert "securitySchemes" not in schema["components"]
    post = schema["paths"]["/api/articles"]["post"]
    assert "security" not in post and "401" not in post["responses"] and "403" in post["responses"]
    for headers in ({}, {"Authorization": "Bearer anything"}):
        assert "read-only" in problem(call(app, "POST", "/api/articles", json={"text": "x"}, headers=headers),
                                      403)["detail"]


# --- names and links for generated clients and stateful testers ---------------------------------

def test_operations_have_readable_ids_and_lists_link_to_their_items(app: Any) -> None:
    ids = {op["operationId"] for _, _, op in operations(app)}
    assert {"articles", "article", "entities", "entity", "add_article", "export_events"} <= ids
    links = [link for _, _, op in operations(app) for response in op["responses"].values()
             for link in response.get("links", {}).values()]
    assert links and all(link["operationId"] in ids for link in links)


@pytest.mark.parametrize("query, name, hint", [
    ("type=FOO", "type", "PLOVER event type"),
    ("country=GB", "country", "ISO 3166-1 alpha-3"),
    ("country=India", "country", "ISO 3166-1 alpha-3"),
    ("sector=Energy%20Sector", "sector", "sector id"),
    ("mode=teleport", "mode", "PLOVER mode"),
    ("since=2025-13-45", "since", "YYYY-MM-DD"),
    ("until=2025-02-30", "until", "YYYY-MM-DD"),
])
def test_a_filter_that_cannot_match_is_a_422_that_says_what_would(app: Any, query: str, name: str, hint: str) -> None:
    body = problem(call(app, "GET", f"/api/events?{query}"), 422)
    assert [e["name"] for e in body["errors"]] == [name] and hint in body["errors"][0]["detail"]


@pytest.mark.parametrize("query", ["type=CONSULT", "country=GBR", "country=EUR", "sector=automotive", "mode=visit",
                                   "since=2024-02-29", "until=2025", "since=2025-03"])
def test_a_filter_that_can_match_is_taken(app: Any, query: str) -> None:
    assert call(app, "GET", f"/api/events?{query}").status_code == 200
