"""A server started as `parley serve` starts it (warm) freezes what is alive after its warm-up, so
later garbage collections skip the long-lived objects; one made for a test or a script does not."""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path

from fastapi.testclient import TestClient

from parley.store import Store
from parley.web import create_app


def _settled(timeout: float = 60) -> bool:
    """Whether the warm-up thread has finished (it settles last)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if not any(t.name == "parley-warm" and t.is_alive() for t in threading.enumerate()):
            return True
        time.sleep(0.05)
    return False


def test_a_warm_server_freezes_what_its_warm_up_left(tmp_path: Path) -> None:
    db = str(tmp_path / "parley.db")
    Store(db).close()
    gc.unfreeze()
    try:
        with TestClient(create_app(db)) as client:
            assert client.get("/").status_code == 200
        assert gc.get_freeze_count() == 0  # not warm: nothing frozen
        with TestClient(create_app(db, warm=True)) as client:
            assert _settled()
            assert gc.get_freeze_count() > 10_000  # the modules, the app, the gazetteer
            assert client.get("/").status_code == 200
    finally:
        gc.unfreeze()
