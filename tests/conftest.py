"""Shared fixtures: the repository's paths and, where present, the workplace's shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

from .stores import pg_server, session_store_url, store_url  # noqa: F401  (SQLite and PostgreSQL: stores.py)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    """../shared (gold files, scorers, data sets); tests that need it skip without it."""
    if not (SHARED / "tools" / "score.py").exists():
        pytest.skip("../shared (gold files and scorers) is not beside this checkout")
    return SHARED
