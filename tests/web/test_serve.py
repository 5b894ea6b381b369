"""`parley serve` as a user starts it: a real server process on 127.0.0.1, one process or several.

With `--workers 2` uvicorn starts two server processes from an import string, the store and the
token handed over by environment: both must serve the same store, refuse a wrong token, and show an
article posted through one process on the pages the other one answers (each keeps its own cache,
keyed by the store's version, so neither shows stale figures).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from parley.store import Store

from .conftest import TOKEN

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def two_processes(store_url: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`parley serve --workers 2` over a new store of its own (the test writes to it)."""
    with Store(store_url):  # created and migrated here, before two processes open it at once
        pass
    port = free_port()
    env = {**os.environ, "PARLEY_TOKEN": TOKEN}
    proc = subprocess.Popen([sys.executable, "-m", "parley.cli", "serve", "--db", store_url, "--port", str(port),
                             "--workers", "2"], env=env, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else "the server exited"
        try:
            if httpx.get(base + "/api/counts", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "parley serve --workers 2 did not answer within 60 s"
        time.sleep(0.2)
    yield base, proc
    proc.terminate()
    proc.wait(30)


def server_pids(proc: subprocess.Popen) -> set[int]:
    """The processes under the one `parley serve` started: uvicorn's server processes."""
    children = open(f"/proc/{proc.pid}/task/{proc.pid}/children").read().split()
    return {int(pid) for pid in children}


def test_two_server_processes_serve_one_store(two_processes: tuple[str, subprocess.Popen]) -> None:
    base, proc = two_processes
    assert len(server_pids(proc)) >= 2  # uvicorn's processes (and its resource tracker, where it has one)
    with httpx.Client(base_url=base, timeout=30) as client:
        before = client.get("/api/counts").json()["articles"]
        assert client.post("/api/articles", json={"text": "x " * 10}, headers={"Authorization": "Bearer wrong"}
                           ).status_code == 401
        article = {"text": "The Mayor of Testville, Ann Doe, met trade officials in Lagos on Monday to discuss "
                           "investment in ports. \"We want to deepen cooperation,\" Doe said.",
                   "headline": "Testville mayor visits Lagos", "published": "2025-05-05"}
        assert client.post("/api/articles", json=article, headers={"Authorization": f"Bearer {TOKEN}"}
                           ).status_code == 201
        # new connections land on either process: every answer counts the new article
        for _ in range(8):
            with httpx.Client(base_url=base, timeout=30) as fresh:
                assert fresh.get("/api/counts").json()["articles"] == before + 1
                assert "Testville" in fresh.get("/search", params={"q": "Testville"}).text


def test_the_shared_listener_gives_connections_without_nagle() -> None:
    """Accepted connections get TCP_NODELAY from asyncio only when the listening socket says it is
    TCP; without it every kept-alive answer of a multi-process server waited for a delayed ACK."""
    import asyncio

    from parley.web.server import tcp_listener

    async def accept_one() -> int:
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        listener = tcp_listener("127.0.0.1", 0)
        server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
        _, writer = await asyncio.open_connection(*listener.getsockname())
        nodelay = await asyncio.wait_for(accepted, 10)
        writer.close()
        server.close()
        return nodelay

    assert asyncio.run(accept_one()) != 0
