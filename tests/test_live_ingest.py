"""Writing while the service runs: ``unkg ingest`` beside it, and ``POST /admin/ingest`` through it.

The service holds only read-only views of the store, so ``unkg ingest`` can
take the write lock while it serves; about a second after the ingest ends the
service (lookups and query workers alike) serves the new data.  Over HTTP,
writes exist only with ``UNKG_ADMIN_TOKEN`` and a matching bearer token.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, UNKG, Service, start_service

TOKEN = "a-test-token-of-some-length"
CORPUS = sorted((ROOT / "corpus").glob("*.txt"))
DOCUMENTS = "SELECT (COUNT(DISTINCT ?g) AS ?n) { GRAPH ?g { ?g unkg:describes ?d } }"


def _ingest(store: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*UNKG, "ingest", "--store", str(store), *map(str, files)], capture_output=True, text=True,
                          cwd=ROOT)


def _documents(service: Service) -> tuple[int, int]:
    """Documents as the in-process lookups count them, and as a query worker counts them."""
    stats = httpx.get(service.url + "/api/stats", timeout=30).json()["documents"]
    sparql = httpx.get(service.url + "/sparql", params={"query": DOCUMENTS}, timeout=30).json()
    return stats, int(sparql["results"]["bindings"][0]["n"]["value"])


def _stop(service: Service) -> None:
    service.stop()


@pytest.fixture()
def small_store(tmp_path: Path) -> Path:
    store = tmp_path / "store"
    assert _ingest(store, *CORPUS[:2]).returncode == 0
    return store


def test_unkg_ingest_runs_beside_the_service_which_then_serves_the_new_data(small_store: Path) -> None:
    service = start_service(small_store, {"UNKG_STORE_RELOAD_INTERVAL": "0.5"})
    failures: list[tuple[str, int]] = []
    stop = threading.Event()

    def traffic() -> None:
        with httpx.Client(base_url=service.url, timeout=30) as http:
            while not stop.is_set():
                for path in ("/api/stats", "/api/documents?limit=5", "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"):
                    response = http.get(path)
                    if response.status_code != 200:
                        failures.append((path, response.status_code))

    client = threading.Thread(target=traffic)
    client.start()
    try:
        assert _documents(service) == (2, 2)
        run = _ingest(small_store, *CORPUS[2:])
        assert run.returncode == 0, run.stderr  # not refused: the service holds no lock
        deadline = time.monotonic() + 15
        while _documents(service) != (5, 5) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _documents(service) == (5, 5)
    finally:
        stop.set()
        client.join()
        _stop(service)
    assert failures == []
    assert service.process.returncode is not None


def test_the_service_does_not_start_on_a_store_being_written(small_store: Path) -> None:
    from ingest.store import GraphStore

    held = GraphStore.open(small_store)
    try:
        run = subprocess.run([*UNKG, "serve", "--store", str(small_store), "--port", "0"], capture_output=True,
                             text=True, cwd=ROOT, timeout=60)
    finally:
        held.close()
    assert run.returncode == 1
    assert "in use by another process" in run.stderr and "unkg ingest" in run.stderr


@pytest.fixture(scope="module")
def admin_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """One service with the admin route for the module; the test that adds a document runs last."""
    store = tmp_path_factory.mktemp("admin") / "store"
    assert _ingest(store, *CORPUS[:2]).returncode == 0
    running = start_service(store, {"UNKG_ADMIN_TOKEN": TOKEN})
    yield running
    _stop(running)


def _upload(service: Service, files: list[tuple[str, bytes]], token: str | None = TOKEN,
            origin: str | None = None) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if origin:
        headers["Origin"] = origin
    return httpx.post(service.url + "/admin/ingest", files=[("files", f) for f in files], headers=headers,
                      timeout=120)


def test_admin_ingest_does_not_exist_without_the_token(service: Service) -> None:
    response = httpx.post(service.url + "/admin/ingest", files=[("files", ("a.txt", b"x"))], timeout=30)
    assert response.status_code == 404
    assert "/admin/ingest" not in httpx.get(service.url + "/openapi.json", timeout=30).text


def test_admin_ingest_wants_the_right_bearer_token(admin_service: Service) -> None:
    document = ("x.txt", CORPUS[2].read_bytes())
    missing = _upload(admin_service, [document], token=None)
    assert missing.status_code == 401 and "Bearer" in missing.headers["www-authenticate"]
    assert _upload(admin_service, [document], token="not-the-token-at-all").status_code == 403
    assert _upload(admin_service, [document], token=TOKEN[:-1]).status_code == 403
    assert _documents(admin_service) == (2, 2)


@pytest.mark.parametrize("name", ["../escape.txt", "/etc/passwd.txt", "a/b.txt", ".hidden.txt", "x.exe",
                                  "..\\x.txt", "x\x00.txt"])
def test_admin_upload_names_cannot_point_anywhere(admin_service: Service, name: str) -> None:
    response = _upload(admin_service, [(name, CORPUS[2].read_bytes())])
    assert response.status_code == 400
    assert _documents(admin_service) == (2, 2)


def test_admin_routes_get_no_cors_while_read_routes_do(admin_service: Service) -> None:
    origin = "https://elsewhere.example"
    refused = _upload(admin_service, [(CORPUS[2].name, CORPUS[2].read_bytes())], token=None, origin=origin)
    assert "access-control-allow-origin" not in refused.headers
    preflight = httpx.options(admin_service.url + "/admin/ingest", timeout=30, headers={
        "Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"})
    assert "access-control-allow-origin" not in preflight.headers
    read = httpx.get(admin_service.url + "/api/stats", headers={"Origin": origin}, timeout=30)
    assert read.headers["access-control-allow-origin"] == "*"


def test_admin_ingest_goes_through_the_pipeline_and_is_served_at_once(admin_service: Service) -> None:
    response = _upload(admin_service, [(CORPUS[2].name, CORPUS[2].read_bytes()),
                                       ("slides.txt", b"%PDF-1.7\n..."), ("empty.txt", b"")])
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["documents"] == 1 and len(report["graphs"]) == 1
    assert {f["file"]: f["reason"] for f in report["failed"]} == {
        "slides.txt": "is a PDF file, not text (PDF input is not supported yet; export it to text)",
        "empty.txt": "is empty (no text to extract)"}
    assert _documents(admin_service) == (3, 3)
