"""A listening socket on a loopback port that records every connection: the stand-in for a remote endpoint.

A query that reaches out (``SERVICE``, ``LOAD``) would connect here; the
tests assert that nothing ever does.  Each connection is answered with an
HTTP 500 and closed, so an unguarded query that does connect fails fast.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Trap:
    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.05)
        self.port = int(self.server.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.hits = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._listen, daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            self.hits += 1
            with conn:
                conn.settimeout(0.5)
                try:
                    conn.recv(4096)
                    conn.sendall(b"HTTP/1.1 500 Trap\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                except OSError:
                    pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


@contextmanager
def trap() -> Iterator[Trap]:
    listening = Trap()
    try:
        yield listening
    finally:
        listening.close()
