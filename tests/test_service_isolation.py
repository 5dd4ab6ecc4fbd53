"""Runaway queries must not slow the other clients: JSON lookups keep their latency, measured as a ratio.

Four client threads send JSON lookups, first with the query workers idle,
then while runaway queries keep every worker busy at full CPU.  The p99
latency under load must stay within three times the idle p99: the runaways
run in separate, lower-priority processes, so they cannot hold the service's
GIL or its thread pool.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from conftest import Service, start_service
from proc_stats import percentile

RUNAWAY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LOOKUPS = ["/api/documents/A/RES/72/1", "/api/documents/A/RES/64/293/cited-by",
           "/api/documents/E/RES/2021/25/citations", "/api/stats", "/api/instruments/untoc?limit=5",
           "/api/states/Cuba?limit=5"]
CLIENTS, ROUNDS = 4, 30


@pytest.fixture(scope="module")
def two_workers(corpus_store: Path) -> Iterator[Service]:
    running = start_service(corpus_store, {"UNKG_QUERY_TIMEOUT": "12", "UNKG_QUERY_WORKERS": "2"})
    yield running
    running.process.kill()
    running.process.wait(timeout=20)


def _latencies(service: Service) -> list[float]:
    def client(_: int) -> list[float]:
        times = []
        with httpx.Client(base_url=service.url, timeout=30) as http:
            for round_ in range(ROUNDS):
                path = LOOKUPS[round_ % len(LOOKUPS)]
                started = time.perf_counter()
                response = http.get(path)
                times.append(time.perf_counter() - started)
                assert response.status_code == 200, (path, response.status_code)
        return times

    with ThreadPoolExecutor(CLIENTS) as pool:
        return [t for times in pool.map(client, range(CLIENTS)) for t in times]


def test_lookup_p99_under_runaway_queries_stays_within_three_times_idle(two_workers: Service) -> None:
    _latencies(two_workers)  # warm the caches
    idle = _latencies(two_workers)
    answers: list[int] = []
    runaways = [threading.Thread(target=lambda: answers.append(
        httpx.get(two_workers.url + "/sparql", params={"query": RUNAWAY}, timeout=60).status_code))
        for _ in range(2)]
    for thread in runaways:
        thread.start()
    time.sleep(1.0)  # both workers are now at full CPU
    loaded = _latencies(two_workers)
    for thread in runaways:
        thread.join()
    idle_p99, loaded_p99 = percentile(idle, 0.99), percentile(loaded, 0.99)
    print(f"lookup p99 idle {idle_p99 * 1000:.1f} ms, under two runaway queries {loaded_p99 * 1000:.1f} ms "
          f"(ratio {loaded_p99 / idle_p99:.2f}); p50 {percentile(idle, 0.5) * 1000:.1f} -> "
          f"{percentile(loaded, 0.5) * 1000:.1f} ms")
    assert answers == [504, 504]  # the runaways really ran through the whole measurement
    assert loaded_p99 <= 3 * idle_p99
