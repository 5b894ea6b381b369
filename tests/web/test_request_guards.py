"""Requests the server must refuse: foreign Host headers (DNS rebinding), bodies over the limit."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from parley.cli import main
from parley.web import create_app
from parley.web.app import allowed_hosts_for

from .conftest import call


def test_a_foreign_host_header_is_refused(tmp_path: Path) -> None:
    app = create_app(tmp_path / "h.db", allowed_hosts=allowed_hosts_for("127.0.0.1"))
    assert call(app, "GET", "/api/counts", headers={"Host": "127.0.0.1:8000"}).status_code == 200
    assert call(app, "GET", "/api/counts", headers={"Host": "localhost:8000"}).status_code == 200
    assert call(app, "GET", "/api/counts", headers={"Host": "rebind.example:8000"}).status_code == 400
    app.state.workbench.store.close()


def test_hosts_follow_the_address_listened_on() -> None:
    assert "localhost" in allowed_hosts_for("127.0.0.1") and "rebind.example" not in allowed_hosts_for("127.0.0.1")
    assert allowed_hosts_for("192.0.2.7") == ["192.0.2.7", "[192.0.2.7]"]
    assert allowed_hosts_for("127.0.0.1", ["parley.internal"])[-1] == "parley.internal"
    assert allowed_hosts_for("0.0.0.0") == ["*"]  # every address: the machine's names are not known
    assert allowed_hosts_for("0.0.0.0", ["parley.internal"]) == ["parley.internal"]


def test_an_empty_token_file_is_refused_with_its_name(tmp_path: Path) -> None:
    empty = tmp_path / "token"
    empty.write_text("\n")
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "s.db"), "--token-file", str(empty)])
    assert result.exit_code == 2 and "the token file is empty" in result.output


def test_a_body_over_the_limit_is_refused_as_it_streams(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from parley.web import ingest as web_ingest

    from .conftest import TOKEN

    monkeypatch.setattr(web_ingest, "MAX_TEXT_BYTES", 1000)
    app = create_app(tmp_path / "b.db", token=TOKEN)
    sent: list[int] = []

    async def endless():  # no Content-Length: the server must stop reading by itself
        for _ in range(10_000):
            sent.append(1)
            yield b'{"text": "' + b"x" * 1000

    r = call(app, "POST", "/api/articles", token=TOKEN, content=endless())
    assert r.status_code == 413 and len(sent) < 10
    declared = call(app, "POST", "/api/articles", token=TOKEN, content=b"x" * 5000)
    assert declared.status_code == 413
    app.state.workbench.store.close()


def test_every_stored_id_is_reachable_also_with_slashes(tmp_path: Path) -> None:
    from .conftest import TOKEN

    app = create_app(tmp_path / "ids.db", token=TOKEN)
    text = 'The Mayor of Lima, Ana Ruiz, met Bo Li. "We will invest," Ana Ruiz said.'
    r = call(app, "POST", "/api/articles", token=TOKEN, json={"text": text, "id": "https://wire.example/2025/03/talks"})
    assert r.status_code == 201, r.text
    url = r.json()["url"]
    assert url == "/articles/https%3A%2F%2Fwire.example%2F2025%2F03%2Ftalks"
    assert call(app, "GET", url).status_code == 200
    doc = call(app, "GET", "/api" + url).json()
    assert doc["article"]["id"] == "https://wire.example/2025/03/talks"
    assert doc["quotes"], "the quote page is reached through the same id"
    assert call(app, "GET", f"{url}/quotes/{doc['quotes'][0]['id']}").status_code == 200
    assert call(app, "GET", f"{url}/quotes/nope").status_code == 404
    dots = call(app, "POST", "/api/articles", token=TOKEN, json={"text": text, "id": ".."})
    assert dots.status_code == 422 and "cannot be part of a web address" in dots.text
    app.state.workbench.store.close()
