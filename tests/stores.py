"""Where store-facing tests keep their store: a SQLite file, and a fresh schema on a real PostgreSQL.

Tests take the `store_url` fixture (or `session_store_url`, for a store filled once per session;
both imported into conftest.py) and run once per database; pick one with `-k sqlite` or
`-k postgresql`. The PostgreSQL runs need a server named by PARLEY_TEST_PG_URL
(`.ci/run` starts one on 127.0.0.1 and sets it, see .ci/postgres.sh); without it, or with the server
unreachable, they are skipped with the reason. Each test gets its own schema, selected through the
URL (`?options=-csearch_path=...`), and dropped afterwards: cheaper than a database per test, and
the URL alone carries it into subprocesses and the CLI.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_ENV = "PARLEY_TEST_PG_URL"
BACKENDS = ("sqlite", "postgresql")


def schema_url(url: str, schema: str) -> str:
    """`url` with every connection's search_path set to `schema`."""
    from sqlalchemy.engine import make_url

    u = make_url(url)
    return u.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[tuple[str, object]]:
    """(URL, an autocommit engine) for the test server; skips when there is none."""
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests need a server: set {PG_ENV} (.ci/run starts one)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("PostgreSQL tests need psycopg: pip install -e '.[postgres]'")
    from sqlalchemy import create_engine
    from sqlalchemy.exc import OperationalError

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    try:
        engine.connect().close()
    except OperationalError as exc:
        pytest.skip(f"PostgreSQL server at {PG_ENV} is unreachable: {str(exc.orig).strip()}")
    yield url, engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store location no other test uses: a SQLite path, or a PostgreSQL URL on a new schema."""
    yield from _location(request, tmp_path)


@pytest.fixture(scope="session", params=BACKENDS)
def session_store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`store_url` for a store that a whole session fills once and many tests read (the web tests)."""
    yield from _location(request, tmp_path_factory.mktemp("store"))


def _location(request: pytest.FixtureRequest, folder: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(folder / "parley.db")
        return
    url, engine = request.getfixturevalue("pg_server")
    schema = f"test_{uuid.uuid4().hex[:16]}"
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        yield schema_url(url, schema)
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql("SET lock_timeout = '10s'")
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
