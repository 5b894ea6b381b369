"""Schemathesis with every check: the OpenAPI schema tells the truth about the API.

Requests generated from the schema (valid ones, and ones that break it) must get what the schema
says: no server error, only declared status codes and media types, bodies (errors included) that
match their declared schema, schema-valid input accepted, schema-invalid input refused, a correct
`Allow` on 405, a 401 without the token. Run on the read-only server `parley serve` makes without
a token (every operation, then linked calls: a list's first row fetched by its id), and on a server
with a token (the POST). Bounded: about 40 s in all on SQLite on this machine (2 shared cores).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings

from parley.web import create_app

from .conftest import TOKEN

pytestmark = pytest.mark.slow

BOUNDED = settings(max_examples=20, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                          HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="session")
def api_schema(app: Any) -> Any:
    """The read-only server's schema (the `app` fixture has no token), over the filled test store."""
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="module")
def writable_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    app = create_app(tmp_path_factory.mktemp("writable") / "w.db", token=TOKEN)
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    app.state.workbench.store.close()


schema = schemathesis.pytest.from_fixture("api_schema")
writable = schemathesis.pytest.from_fixture("writable_schema").include(method="POST")


@schema.parametrize()
@BOUNDED
def test_the_api_answers_as_its_schema_says(case: Any) -> None:
    case.call_and_validate()  # no `checks`: every check schemathesis has


def test_linked_calls_answer_as_the_schema_says(api_schema: Any) -> None:
    api_schema.as_state_machine().run(settings=settings(BOUNDED, max_examples=10, stateful_step_count=4))


@writable.parametrize()
@BOUNDED
def test_posting_answers_as_the_schema_says(case: Any) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"})
