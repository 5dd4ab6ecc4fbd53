"""The public endpoint's limits, measured on a running service: time, CPU, rows, bytes, queue, length, body.

The service here runs with small limits (1.5 s per query, one worker, caps
of 100 rows and 64 KiB) so that runaway queries are cheap to test.  CPU is
read from ``/proc`` for the service's whole process tree (service, fork
server, query workers): after the limit plus one second, the tree must be
idle again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import Service, start_service
from proc_stats import descendants, tree_cpu_seconds

TIMEOUT = 1.5
LIMITS = {"UNKG_QUERY_TIMEOUT": str(TIMEOUT), "UNKG_QUERY_WORKERS": "1", "UNKG_QUERY_QUEUE_WAIT": "0.5",
          "UNKG_QUERY_MAX_ROWS": "100", "UNKG_QUERY_MAX_BYTES": "65536", "UNKG_QUERY_MAX_LENGTH": "5000",
          "UNKG_MAX_BODY_BYTES": "8192"}

RUNAWAYS = {
    "cartesian count": "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "regex over a product": 'SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f '
                            'FILTER(REGEX(CONCAT(STR(?c), STR(?f)), "^(a|b|c)*z")) }',
    "property path closure": "SELECT (COUNT(*) AS ?n) { ?s (<urn:x:p>|!<urn:x:p>)* ?o . ?x ?y ?z }",
    "sorted product": "SELECT ?c ?f { ?a ?b ?c . ?d ?e ?f } ORDER BY DESC(STR(?c)) ?f",
    "construct product": "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i FILTER(?c = ?i) }",
    "grouped product": "SELECT ?c (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } GROUP BY ?c",
}


@pytest.fixture(scope="module")
def limited(corpus_store: Path) -> Iterator[Service]:
    running = start_service(corpus_store, LIMITS)
    yield running
    running.process.kill()
    running.process.wait(timeout=20)


def _get(service: Service, query: str, timeout: float = 60, **params: str) -> httpx.Response:
    return httpx.get(service.url + "/sparql", params={"query": query, **params}, timeout=timeout)


@pytest.mark.parametrize("name", list(RUNAWAYS))
def test_a_runaway_query_is_stopped_within_the_limit_and_its_cpu_freed(limited: Service, name: str) -> None:
    pid = limited.process.pid
    started = time.monotonic()
    response = _get(limited, RUNAWAYS[name])
    answered = time.monotonic() - started
    assert response.status_code in (503, 504), response.text  # 504 time limit, 503 memory limit
    body = response.json()
    assert body["error"] in ("query timeout", "query too large")
    if response.status_code == 504:
        assert f"{TIMEOUT:g} s" in body["detail"] and "UNKG_QUERY_TIMEOUT" in body["detail"]
        assert "--query-timeout" in body["detail"]
    assert answered < TIMEOUT + 1.0
    # The limit plus one second after the request: the whole process tree is idle again.
    time.sleep(max(0.0, started + TIMEOUT + 1.0 - time.monotonic()))
    before = tree_cpu_seconds(pid)
    time.sleep(0.5)
    assert tree_cpu_seconds(pid) - before < 0.2
    # ... and a fresh worker answers the next query.
    assert _get(limited, "ASK { ?s ?p ?o }").json()["boolean"] is True


def test_the_killed_worker_is_replaced_and_the_pool_stays_bounded(limited: Service) -> None:
    before = set(descendants(limited.process.pid))
    assert _get(limited, RUNAWAYS["cartesian count"]).status_code == 504
    assert _get(limited, "ASK { ?s ?p ?o }").status_code == 200
    after = set(descendants(limited.process.pid))
    assert len(after) == len(before)  # service, resource tracker, fork server, one worker
    assert after != before  # the worker is a new process


def test_a_timeout_is_text_for_a_client_preferring_text(limited: Service) -> None:
    response = httpx.get(limited.url + "/sparql", params={"query": RUNAWAYS["cartesian count"]},
                         headers={"Accept": "text/plain"}, timeout=30)
    assert response.status_code == 504
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("query timeout:") and "UNKG_QUERY_TIMEOUT" in response.text


def test_rows_over_the_cap_are_cut_and_say_so(limited: Service) -> None:
    response = _get(limited, "SELECT ?b { ?a ?b ?c }")
    assert response.status_code == 200
    assert response.headers["x-unkg-truncated"] == "rows=100"
    body = response.json()
    assert len(body["results"]["bindings"]) == 100
    assert body["head"]["link"] == ["urn:unkg:truncated:rows=100"]
    csv = _get(limited, "SELECT ?b { ?a ?b ?c }", format="csv")
    assert csv.headers["x-unkg-truncated"] == "rows=100" and len(csv.text.splitlines()) == 101
    xml = _get(limited, "SELECT ?b { ?a ?b ?c }", format="xml")
    assert '<link href="urn:unkg:truncated:rows=100"/>' in xml.text


def test_bytes_over_the_cap_are_cut_to_a_whole_document_and_say_so(limited: Service) -> None:
    padded = 'SELECT ?a (CONCAT(STR(?a), "' + "x" * 1000 + '") AS ?pad) { ?a ?b ?c }'
    for fmt in ("json", "xml", "tsv"):
        response = _get(limited, padded, format=fmt)
        assert response.status_code == 200
        assert response.headers["x-unkg-truncated"] == "bytes=65536"
        assert len(response.content) <= 65536
    assert 0 < len(_get(limited, padded).json()["results"]["bindings"]) < 100
    graph = _get(limited, "CONSTRUCT WHERE { ?s ?p ?o }", format="ntriples")
    assert graph.headers["x-unkg-truncated"].startswith(("rows=", "bytes="))
    assert graph.text.startswith("# unkg: this answer was truncated")
    assert len([line for line in graph.text.splitlines() if not line.startswith("#")]) <= 100


def test_an_answer_within_the_caps_carries_no_truncation_signal(limited: Service) -> None:
    response = _get(limited, "SELECT ?b { ?a ?b ?c } LIMIT 5")
    assert "x-unkg-truncated" not in response.headers
    assert "link" not in response.json()["head"]


def test_a_query_waits_briefly_for_a_busy_worker_then_gets_503_with_retry_after(limited: Service) -> None:
    runaway: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: runaway.append(_get(limited, RUNAWAYS["cartesian count"])))
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    response = _get(limited, "ASK { ?s ?p ?o }")
    waited = time.monotonic() - started
    thread.join()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json()["error"] == "service busy"
    assert 0.4 < waited < 1.5
    assert runaway[0].status_code == 504


def test_lookups_do_not_wait_for_busy_query_workers(limited: Service) -> None:
    runaway = threading.Thread(target=lambda: _get(limited, RUNAWAYS["cartesian count"]))
    runaway.start()
    time.sleep(0.3)
    started = time.monotonic()
    response = httpx.get(limited.url + "/api/documents/A/RES/72/1", timeout=10)
    elapsed = time.monotonic() - started
    runaway.join()
    assert response.status_code == 200 and elapsed < 0.5


def test_a_query_over_the_length_limit_is_413(limited: Service) -> None:
    long_query = "SELECT * { ?s ?p ?o } # " + "x" * 5000
    response = httpx.post(limited.url + "/sparql", data={"query": long_query}, timeout=30)
    assert response.status_code == 413
    assert "5000" in response.json()["detail"]


def test_a_body_over_the_limit_is_413_declared_or_chunked(limited: Service) -> None:
    body = b"SELECT * { ?s ?p ?o } #" + b"x" * 9000
    declared = httpx.post(limited.url + "/sparql", content=body, timeout=30,
                          headers={"Content-Type": "application/sparql-query"})
    assert declared.status_code == 413 and "8192" in declared.json()["detail"]

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 1000):
            yield body[start:start + 1000]

    chunked = httpx.post(limited.url + "/sparql", content=chunks(), timeout=30,
                         headers={"Content-Type": "application/sparql-query"})
    assert chunked.status_code == 413
    assert limited.process.poll() is None


def test_serve_takes_the_query_timeout_flag(corpus_store: Path) -> None:
    running = start_service(corpus_store, {"UNKG_QUERY_TIMEOUT": "30"}, ["--query-timeout", "0.5"])
    try:
        started = time.monotonic()
        response = _get(running, RUNAWAYS["cartesian count"])
        assert response.status_code == 504 and "0.5 s" in response.json()["detail"]
        assert time.monotonic() - started < 1.5
    finally:
        running.process.kill()
        running.process.wait(timeout=20)
