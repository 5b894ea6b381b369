"""`parley export --format stories|identities` from a store (SQLite) of invented documents."""

from __future__ import annotations

import io
import json

from click.testing import CliRunner

from parley.cli import main
from parley.store import Store
from parley.store.export import export

from .test_resolve_stories import _visit


def _stored(tmp_path):
    path = tmp_path / "r.db"
    with Store(str(path)) as store:
        store.add(_visit("a1"))
        store.add(_visit("a2", day="2024-05-03"))
    return path


def test_export_stories_and_identities_in_the_scorer_shape(tmp_path):
    path = _stored(tmp_path)
    with Store(str(path)) as store:
        buf = io.BytesIO()
        assert export(store, "stories", buf) == 1
        (story,) = [json.loads(line) for line in buf.getvalue().decode().splitlines()]
        assert {"id", "type", "participants", "place", "date", "reports"} <= set(story)
        assert {r["file"] for r in story["reports"]} == {"a1.txt", "a2.txt"}
        assert {"article", "file", "event", "outlet", "published"} <= set(story["reports"][0])
        buf = io.BytesIO()
        export(store, "identities", buf)
        people = [json.loads(line) for line in buf.getvalue().decode().splitlines()]
    varga = next(p for p in people if p["name"] == "Anna Varga")
    assert {"id", "type", "name", "names", "roles", "mentions"} <= set(varga)
    assert {m["file"] for m in varga["mentions"]} == {"a1.txt", "a2.txt"}
    assert {"article", "file", "entity", "name", "roles"} <= set(varga["mentions"][0])


def test_cli_export_stories(tmp_path):
    path = _stored(tmp_path)
    result = CliRunner().invoke(main, ["export", "--db", str(path), "--format", "stories"])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == 1
