"""Schemathesis with every check: the OpenAPI schema tells the truth about the read-only API.

Requests generated from the schema (valid ones, and ones that break it) must get what the schema
says: no server error, only declared status codes and media types, bodies (errors included) that
match their declared schema, schema-valid input accepted, schema-invalid input refused, a correct
`Allow` on 405. Bounded: 20 examples per operation and phase, about 30 s on SQLite here.
"""

from __future__ import annotations

from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def api_schema(app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=20, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])
def test_the_api_answers_as_its_schema_says(case: Any) -> None:
    case.call_and_validate()  # no `checks`: every check schemathesis has
