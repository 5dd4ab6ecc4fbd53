"""Shared fixtures: a store ingested from ``corpus/`` and the real service on a loopback port.

The service runs over either backend: the embedded store (a directory) or a
remote one, a real ``oxigraph serve`` (the PyPI ``oxigraph`` package, a test
dependency) on another loopback port.  Modules that must hold for both use
``backend_service`` (see ``tests/test_service_api.py``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
UNKG = [sys.executable, "-m", "api"]
BACKENDS = ("embedded", "remote")


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


def stop_process(process: subprocess.Popen[Any], timeout: float = 20) -> None:
    """Terminate a server process, killing it if it does not exit in time."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=timeout)


class Service:
    """A running ``unkg serve`` process and its base URL; ``store`` is a directory or a store server's URL."""

    def __init__(self, process: subprocess.Popen[str], url: str, store: Path | str) -> None:
        self.process, self.url, self.store = process, url, store

    def stop(self, timeout: float = 20) -> None:
        """Terminate the server, killing it if it does not exit in time."""
        stop_process(self.process, timeout)


def wait_until_answering(process: subprocess.Popen[Any], name: str, log_path: Path,
                         ask: Callable[[], httpx.Response], seconds: float = 60) -> None:
    """Wait until ``ask()`` gets a 200 from a server just started; if it exits or stays silent, say why."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited: {log_path.read_text(errors='replace')}")
        try:
            if ask().status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.kill()
    process.wait(timeout=20)
    raise RuntimeError(f"{name} did not answer within {seconds:g} s")


def start_service(store: Path | str, env: dict[str, str] | None = None, args: list[str] | None = None,
                  log_dir: Path | None = None) -> Service:
    """``unkg serve`` on a free loopback port, with extra environment variables and flags; waits until it answers.

    ``store`` is a directory or a URL; for a URL, ``log_dir`` says where the service's log goes.
    """
    port = free_port()
    # The service logs every request: its output goes to a file, never to a pipe nobody reads
    # (a full pipe blocks the server after a few thousand requests).
    log_path = (log_dir or Path(store).parent) / f"serve-{port}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [*UNKG, "serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port), *(args or [])],
            cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT, text=True,
        )
    url = f"http://127.0.0.1:{port}"
    wait_until_answering(process, "unkg serve", log_path, lambda: httpx.get(url + "/api/stats", timeout=2))
    return Service(process, url, store)


@pytest.fixture(scope="session")
def embedded_service(corpus_store: Path) -> Iterator[Service]:
    """The real service (uvicorn) on a free loopback port, over the seed corpus in a store directory."""
    running = start_service(corpus_store)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def service(embedded_service: Service) -> Service:
    """The service most tests use: the embedded store."""
    return embedded_service


class StoreServer:
    """A running ``oxigraph serve`` process: a remote store for ``--store URL``."""

    def __init__(self, process: subprocess.Popen[bytes], url: str, location: Path, log: Path) -> None:
        self.process, self.url, self.location, self.log = process, url, location, log

    def stop(self, timeout: float = 20) -> None:
        stop_process(self.process, timeout)


def oxigraph_binary() -> str:
    """The ``oxigraph`` server installed with the test extra (next to this interpreter, or on PATH)."""
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("the oxigraph server is not installed: run .venv/bin/pip install -e '.[test]'")
    return found


def start_store_server(location: Path, args: list[str] | None = None) -> StoreServer:
    """``oxigraph serve`` over directory ``location`` on a free loopback port; waits until it answers SPARQL."""
    port = free_port()
    log_path = location.parent / f"oxigraph-{port}.log"
    location.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:  # a file, never an unread pipe
        process = subprocess.Popen(
            [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", *(args or [])],
            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_until_answering(process, "oxigraph serve", log_path,
                         lambda: httpx.post(url + "/query", data={"query": "ASK {}"}, timeout=2))
    return StoreServer(process, url, location, log_path)


def ingest_into(store: str | Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    """The real ``unkg ingest --store STORE PATHS``."""
    return subprocess.run([*UNKG, "ingest", "--store", str(store), *map(str, paths)],
                          capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="session")
def remote_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreServer]:
    """A real Oxigraph server holding the five seed documents, ingested through it by the real ``unkg ingest``."""
    server = start_store_server(tmp_path_factory.mktemp("remote") / "oxigraph")
    try:
        run = ingest_into(server.url, ROOT / "corpus")
        assert run.returncode == 0, run.stderr
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def remote_service(remote_store: StoreServer) -> Iterator[Service]:
    """The real service over the remote store: ``unkg serve --store http://...``."""
    running = start_service(remote_store.url, log_dir=remote_store.location.parent)
    yield running
    running.stop()


@pytest.fixture(scope="module", params=BACKENDS)
def backend_service(request: pytest.FixtureRequest) -> Service:
    """The service over each backend in turn; a module that overrides ``service`` with it runs twice."""
    running: Service = request.getfixturevalue(f"{request.param}_service")
    return running


@pytest.fixture()
def client(service: Service) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.url, timeout=30) as http:
        yield http
