"""Shared fixtures: a store ingested from ``corpus/`` and the real service on a loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
UNKG = [sys.executable, "-m", "api"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the five seed documents, ingested by the real ``unkg ingest``."""
    store = tmp_path_factory.mktemp("store") / "store"
    run = subprocess.run([*UNKG, "ingest", "--store", str(store), str(ROOT / "corpus")],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    return store


class Service:
    """A running ``unkg serve`` process and its base URL."""

    def __init__(self, process: subprocess.Popen[str], url: str, store: Path) -> None:
        self.process, self.url, self.store = process, url, store

    def stop(self, timeout: float = 20) -> None:
        """Terminate the server, killing it if it does not exit in time."""
        self.process.terminate()
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_service(store: Path, env: dict[str, str] | None = None, args: list[str] | None = None) -> Service:
    """``unkg serve`` on a free loopback port, with extra environment variables and flags; waits until it answers."""
    port = free_port()
    # The service logs every request: its output goes to a file, never to a pipe nobody reads
    # (a full pipe blocks the server after a few thousand requests).
    log_path = store.parent / f"serve-{port}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [*UNKG, "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port), *(args or [])],
            cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT, text=True,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"unkg serve exited: {log_path.read_text()}")
        try:
            if httpx.get(url + "/api/stats", timeout=2).status_code == 200:
                return Service(process, url, store)
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError("unkg serve did not answer within 60 s")


@pytest.fixture(scope="session")
def service(corpus_store: Path) -> Iterator[Service]:
    """The real service (uvicorn) on a free loopback port, over the seed corpus."""
    running = start_service(corpus_store)
    yield running
    running.stop()


@pytest.fixture()
def client(service: Service) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.url, timeout=30) as http:
        yield http
