"""One shape for every error of the JSON API and the exports: RFC 9457 problem details.

    HTTP/1.1 422                              content-type: application/problem+json
    {"type": "about:blank", "title": "Unprocessable Content", "status": 422,
     "detail": "query limit: Input should be greater than or equal to 1",
     "errors": [{"in": "query", "name": "limit", "value": "0", "detail": "Input should be ..."}]}

`problem` builds such a response (the app's error handlers and the request guards all call it);
`declare` writes the same shape, and every status the API can answer, into the OpenAPI schema, so
the schema says what a client really gets. The pages answer the same errors as HTML (app.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

PROBLEM_JSON = "application/problem+json"
JSON_PREFIXES = ("/api/", "/export/", "/openapi")

_TITLES = {422: "Unprocessable Content", 413: "Content Too Large"}  # RFC 9110's names
_LOCATIONS = ("query", "path", "header", "cookie", "body")
MAX_VALUE = 200  # a refused value is echoed back this far


class InvalidParam(BaseModel):
    """One refused part of the request: where it was, its name, the value sent, what was wrong."""

    model_config = ConfigDict(populate_by_name=True)

    in_: str = Field(alias="in", description="query, path, header or body")
    name: str = Field(description="the parameter (for a body, the field's path, dotted)")
    value: str | None = Field(None, description=f"the value sent (its first {MAX_VALUE} characters), where it was "
                                                "a string in the query, path or headers")
    detail: str = Field(description="what is wrong, and what is allowed")


class Problem(BaseModel):
    """RFC 9457 problem details: the body of every 4xx and 5xx answer of /api and /export."""

    type: str = Field("about:blank", description="no problem types of its own: the status says it")
    title: str = Field(description="the status's name")
    status: int = Field(description="the HTTP status code")
    detail: str = Field(description="what went wrong with this request, in one line")
    errors: list[InvalidParam] | None = Field(None, description="each refused parameter (422 only)")


def title(status: int) -> str:
    if status in _TITLES:
        return _TITLES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(status: int, detail: str, errors: list[InvalidParam] | None = None,
            headers: Mapping[str, str] | None = None) -> JSONResponse:
    """The application/problem+json response for one error."""
    body = Problem(title=title(status), status=status, detail=detail, errors=errors)
    return JSONResponse(body.model_dump(by_alias=True, exclude_none=True), status_code=status,
                        headers=dict(headers or {}), media_type=PROBLEM_JSON)


def invalid_params(errors: Iterable[Mapping[str, Any]],
                   hints: Mapping[str, str] | None = None) -> list[InvalidParam]:
    """FastAPI/pydantic validation errors (loc, msg, input) as problem `errors`. A value that does
    not match a pattern found in `hints` is explained by its hint ("expected ...") rather than the
    pattern itself."""
    out = []
    for e in errors:
        loc = [str(part) for part in e.get("loc", ())]
        where = loc.pop(0) if loc and loc[0] in _LOCATIONS else "body"
        value = e.get("input")
        pattern = (e.get("ctx") or {}).get("pattern") if e.get("type") == "string_pattern_mismatch" else None
        hint = (hints or {}).get(pattern or "")
        out.append(InvalidParam(in_=where, name=".".join(loc) or where,
                                detail=f"expected {hint}" if hint else str(e.get("msg", "not valid")),
                                value=value[:MAX_VALUE] if isinstance(value, str) and where != "body" else None))
    return out


def summary(params: list[InvalidParam]) -> str:
    """The refused parameters in one line: a problem's `detail`, a page's message."""
    return "; ".join(f"{p.name}: {p.detail}" for p in params) or "the request is not valid"


def validation_problem(params: list[InvalidParam]) -> JSONResponse:
    """422 naming each refused parameter; `detail` joins them into one line."""
    return problem(422, summary(params), params)


def wants_json(path: str) -> bool:
    """Whether a path belongs to the JSON API (problem details) rather than the pages (HTML)."""
    return path.startswith(JSON_PREFIXES)


async def refuse(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
    """An answer from a request guard, before routing: problem details for the API, text elsewhere."""
    response: Response = (problem(status, detail) if wants_json(scope.get("path", ""))
                          else PlainTextResponse(detail, status_code=status))
    await response(scope, receive, send)


# --- the OpenAPI side -------------------------------------------------------------------------

#: Answered by any operation: a guard before routing (400), a failing store (503).
ALWAYS = {
    "400": "Not a request this server reads: a NUL byte in it, or a Host header it does not answer for",
    "503": "The store could not be read; `detail` gives its one-line reason",
}
WITH_PARAMETERS = {"422": "A parameter or the body is not valid; `errors` names each one, with the value sent"}
WITH_PATH = {"404": "Nothing is at this path: no such article or entity"}
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_FASTAPI_ERRORS = ("HTTPValidationError", "ValidationError")


def declare(schema: dict[str, Any], writable: bool = True) -> dict[str, Any]:
    """`schema` (FastAPI's OpenAPI) with every error response declared as problem details.

    A read-only server (no token) refuses every write with 403 whatever the request carries, so
    its schema asks for no credentials there and promises no 401."""
    if not writable:
        _read_only(schema)
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_ERRORS:
        schemas.pop(name, None)
    defs = Problem.model_json_schema(by_alias=True, ref_template="#/components/schemas/{model}")
    schemas.update(defs.pop("$defs", {}))
    schemas["Problem"] = defs
    for operations in schema.get("paths", {}).values():
        for op in operations.values():
            _declare_errors(op)
    return schema


def _declare_errors(op: dict[str, Any]) -> None:
    responses = op.setdefault("responses", {})
    params = op.get("parameters", [])
    extra = dict(ALWAYS)
    if params or "requestBody" in op:
        extra.update(WITH_PARAMETERS)
    if any(p.get("in") == "path" for p in params):
        extra.update(WITH_PATH)
    for status, description in extra.items():
        response = responses.setdefault(status, {"description": description})
        if response.get("description") == "Validation Error":  # FastAPI's own 422
            response["description"] = description
    for status, response in responses.items():
        if status[0] in "45":
            response["content"] = {PROBLEM_JSON: {"schema": _PROBLEM_REF}}
    op["responses"] = dict(sorted(responses.items()))


def _read_only(schema: dict[str, Any]) -> None:
    schema.get("components", {}).pop("securitySchemes", None)
    for operations in schema.get("paths", {}).values():
        for op in operations.values():
            if op.pop("security", None) is not None:
                op.get("responses", {}).pop("401", None)
