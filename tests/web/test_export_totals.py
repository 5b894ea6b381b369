"""A CSV or JSON download of a list says how many rows match in all (X-Total-Count), so a download
cut at its `limit` (10,000 unless asked) is never taken for every row there is."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from .conftest import call


@pytest.mark.parametrize("kind", ["articles", "entities", "quotes", "events", "opportunities", "pipeline"])
def test_a_download_states_the_total_and_a_cut_one_shows_fewer(app: Any, kind: str) -> None:
    whole = call(app, "GET", f"/export/{kind}.json")
    assert whole.status_code == 200
    total = int(whole.headers["x-total-count"])
    assert total == len(whole.json()) >= 2
    cut = call(app, "GET", f"/export/{kind}.csv?limit=1")
    assert int(cut.headers["x-total-count"]) == total
    assert len(list(csv.DictReader(io.StringIO(cut.text)))) == 1 < total


def test_the_total_follows_the_filters(app: Any) -> None:
    consult = call(app, "GET", "/export/events.json?type=CONSULT&limit=1")
    everything = call(app, "GET", "/export/events.json?limit=1")
    assert 1 <= int(consult.headers["x-total-count"]) < int(everything.headers["x-total-count"])


def test_the_schema_declares_the_header(app: Any) -> None:
    schema = call(app, "GET", "/openapi.json").json()
    ok = schema["paths"]["/export/{kind}.{fmt}".replace("{kind}", "events")]["get"]["responses"]["200"]
    assert "X-Total-Count" in ok["headers"]
