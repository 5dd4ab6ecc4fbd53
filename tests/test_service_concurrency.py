"""Many clients at once: SPARQL, JSON lookups and dumps together must never fail or bring the service down.

pyoxigraph aborts the whole process when a result iterator is used from a
thread other than the one that made it, so a concurrency bug here does not
show as a wrong answer but as a dead server: the tests check both.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

BASE = "https://w3id.org/unkg/"

SELECT = f"SELECT ?d ?p WHERE {{ ?c cito:hasCitingEntity ?d ; cito:hasCitedEntity <{BASE}document/A/RES/64/293> ; " \
         "unkg:inParagraph ?p } ORDER BY ?d ?p"
COUNT = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
CONSTRUCT = "CONSTRUCT { ?c ?p ?o } WHERE { ?c a cito:Citation ; ?p ?o }"

MIX: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/sparql", {"params": {"query": SELECT}}),
    ("POST", "/sparql", {"data": {"query": COUNT}, "headers": {"Accept": "text/csv"}}),
    ("POST", "/sparql", {"content": CONSTRUCT, "headers": {"Content-Type": "application/sparql-query",
                                                           "Accept": "text/turtle"}}),
    ("GET", "/sparql", {"params": {"query": CONSTRUCT, "format": "jsonld"}}),
    ("GET", "/api/documents/E/RES/2021/25/citations", {}),
    ("GET", "/api/documents/A/RES/64/293/cited-by", {}),
    ("GET", "/api/stats", {}),
    ("GET", "/dump.nq", {}),
    ("GET", "/sparql", {"params": {"query": SELECT}, "headers": {"Accept": "application/sparql-results+xml"}}),
    ("GET", "/dump", {"params": {"format": "turtle"}}),
]
"""Ten kinds of request; fifty requests cycle through them."""

REQUESTS = [MIX[i % len(MIX)] for i in range(50)]


def test_fifty_concurrent_threads_mixing_sparql_lookups_and_dumps_all_succeed(service: Any) -> None:
    start = threading.Barrier(len(REQUESTS))

    def call(request: tuple[str, str, dict[str, Any]]) -> tuple[str, int, int]:
        method, path, options = request
        with httpx.Client(base_url=service.url, timeout=120) as http:
            start.wait(timeout=60)  # release all fifty together
            response = http.request(method, path, **options)
        return path, response.status_code, len(response.content)

    with ThreadPoolExecutor(max_workers=len(REQUESTS)) as pool:
        results = list(pool.map(call, REQUESTS))
    failures = [(path, status) for path, status, _ in results if not 200 <= status < 300]
    assert failures == []
    assert all(size > 0 for _, _, size in results)
    assert service.process.poll() is None
    assert httpx.get(service.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_fifty_concurrent_async_requests_get_identical_answers(service: Any) -> None:
    """The same query fifty times at once: every answer is complete and identical."""

    async def run() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=service.url, timeout=120,
                                     limits=httpx.Limits(max_connections=50)) as http:
            return await asyncio.gather(*(http.get("/sparql", params={"query": CONSTRUCT},
                                                   headers={"Accept": "application/n-triples"})
                                          for _ in range(50)))

    responses = asyncio.run(run())
    assert {r.status_code for r in responses} == {200}
    assert len({frozenset(r.text.splitlines()) for r in responses}) == 1
    assert service.process.poll() is None
