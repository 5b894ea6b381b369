"""Running the workbench under uvicorn: one process, or several sharing one listening socket.

Why not `uvicorn.run(..., workers=N)` as it is: it makes the shared socket without a protocol
number, so asyncio does not switch Nagle's algorithm off (TCP_NODELAY) on the connections it
accepts, and every answer on a kept-alive connection waits for the client's delayed ACK: about
40 ms a request, measured here (2 ms with one process). The socket is made here as TCP and handed
to uvicorn's own process supervisor.
"""

from __future__ import annotations

import socket
from typing import Any

import uvicorn
from uvicorn.supervisors import Multiprocess

LOG_LEVEL = "warning"


def run_server(app: Any, host: str, port: int, workers: int = 1) -> None:
    """Serve `app` (an app; with several workers, an import string naming an app factory)."""
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level=LOG_LEVEL)
        return
    config = uvicorn.Config(app, host=host, port=port, workers=workers, factory=True, log_level=LOG_LEVEL)
    Multiprocess(config, sockets=[tcp_listener(host, port)]).run()


def tcp_listener(host: str, port: int) -> socket.socket:
    """A bound TCP socket (its protocol said, so accepted connections get TCP_NODELAY)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock
