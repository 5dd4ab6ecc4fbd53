"""Proof that no spelling of SERVICE reaches the network: the guard, and the workers' missing network.

``SPELLINGS`` is a corpus of ways to write a SERVICE call, from the plain
keyword to forms that only Oxigraph's PEG parser reads as one (a keyword glued
to a number, a boolean, a datatype IRI, or to ``:x`` with the empty prefix).
Each is first run *unguarded* on an in-memory store against a listener on a
loopback port, which shows which spellings really connect; every one of those
must be refused by ``api.sparql_guard``.  The HTTP tests then send every
spelling to the running service and assert the listener never hears a
connection, and a worker process is shown to have no network at all.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from conftest import Service, start_service
from loopback_trap import Trap, trap

from api.query_worker import isolate_from_network
from api.sparql_guard import inspect_query
from ingest.store import GraphStore, StoreError

G = "https://example.org/g"
DATA = f"""INSERT DATA {{ GRAPH <{G}> {{
  <http://a> <http://b> <http://c> , 1 , 1.5e3 , 2.5 , true , "x"@en , "1"^^<http://x> , "s" .
}} }}"""

SPELLINGS = [
    "SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * {{ service <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ SeRvIcE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ SERVICE\tSILENT\n<{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ SERVICE<{url}>{{ ?s ?p ?o }} }}",
    "SELECT * {{ ?s ?p ?o .SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?s ?p ?o # comment\n SERVICE # another }} comment\n <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ {{ ?s ?p ?o }}SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ FILTER(true)SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * {{ ?s ?p ?o MINUS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * {{ {{ SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "ASK {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "DESCRIBE ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?s ?p 1SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?s ?p 1.5e3SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?s ?p 2.5SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?s ?p trueSERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?s ?p \"1\"^^<http://x>SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?s ?p \"s\"SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?s ?p \"x\"@en SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "PREFIX : <{url}#> SELECT * {{ SERVICE:x {{ ?s ?p ?o }} }}",
    "PREFIX : <{url}#> SELECT * {{ service:x {{ ?s ?p ?o }} }}",
    "PREFIX SERVICE: <http://x/> PREFIX : <{url}#> SELECT * {{ SERVICE:x {{ ?s ?p ?o }} }}",
    "PREFIX ex: <{url}#> SELECT * {{ SERVICE ex:x {{ ?s ?p ?o }} }}",
    "BASE <{url}> SELECT * {{ SERVICE <> {{ ?s ?p ?o }} }}",
    "SELECT * {{ SERVICE <http://127.0.0.1:{port}/\\u0073parql> {{ ?s ?p ?o }} }}",
    "SELECT * {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ SERV\\u0049CE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ \\U00000053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ \\u005Cu0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ \u017fERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * {{ BIND(IRI(\"{url}\") AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * {{ BIND(URI(CONCAT(\"http://127.0.0.1:\", \"{port}/sparql\")) AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?s ?p ?o SERVICE?e {{ ?s ?p ?o }} }} VALUES ?e {{ <{url}> }}",
    "SELECT * FROM <{url}> {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{url}> {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "DESCRIBE <{url}>",
    "LOAD <{url}>",
    "LOAD SILENT <{url}> INTO GRAPH <http://example.org/g>",
    "\\u004cOAD <{url}>",
]
"""Every way found to write a call to another endpoint ({url} is the listener's address)."""


def _spelled(template: str, listener: Trap) -> str:
    return template.format(url=listener.url, port=listener.port)


def _run_unguarded(text: str) -> None:
    store = GraphStore.in_memory()
    store._update(DATA)
    try:
        store.query_serialized(text, results_format="json", graph_format="turtle")
    except StoreError:
        pass


@pytest.fixture(scope="module")
def listener() -> Iterator[Trap]:
    with trap() as listening:
        yield listening


@pytest.mark.parametrize("template", SPELLINGS)
def test_every_spelling_that_reaches_the_network_unguarded_is_refused_by_the_guard(listener: Trap,
                                                                                  template: str) -> None:
    text = _spelled(template, listener)
    before = listener.hits
    _run_unguarded(text)
    if listener.hits > before:  # Oxigraph really called out: the guard must refuse this spelling
        assert inspect_query(text).forbidden is not None, text


def test_the_corpus_holds_spellings_a_whole_word_search_would_miss(listener: Trap) -> None:
    """The glued forms are real: Oxigraph connects for them (so the test above is not vacuous)."""
    glued = ["SELECT * {{ ?s ?p 1SERVICE <{url}> {{ ?s ?p ?o }} }}",
             "PREFIX : <{url}#> SELECT * {{ SERVICE:x {{ ?s ?p ?o }} }}"]
    for template in glued:
        before = listener.hits
        _run_unguarded(_spelled(template, listener))
        assert listener.hits > before, template


def _isolated_service_call(url: str, queue: Any) -> None:
    isolated = isolate_from_network()
    store = GraphStore.in_memory()
    store._update(DATA)
    try:
        store.query_serialized(f"SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}", results_format="json",
                               graph_format=None)
        queue.put((isolated, "answered"))
    except StoreError as exc:
        queue.put((isolated, str(exc)))


def test_a_query_worker_has_no_network_even_if_the_guard_were_bypassed(listener: Trap) -> None:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_isolated_service_call, args=(listener.url, queue))
    before = listener.hits
    process.start()
    isolated, outcome = queue.get(timeout=60)
    process.join(timeout=30)
    if not isolated:
        pytest.skip("this kernel does not allow network namespaces; the lexical guard is the only wall here")
    assert listener.hits == before
    assert "unreachable" in outcome.lower() or "error" in outcome.lower()


@pytest.fixture(scope="module")
def guard_only_service(corpus_store: Any) -> Iterator[Service]:
    """A service whose workers keep the network, so the guard alone is what the HTTP test proves."""
    running = start_service(corpus_store, {"UNKG_ISOLATE_QUERY_WORKERS": "false"})
    yield running
    running.process.terminate()
    running.process.wait(timeout=20)


@pytest.mark.parametrize("form", ["get", "post-form", "post-query"])
def test_no_spelling_sent_to_the_service_ever_connects_to_the_listener(guard_only_service: Service,
                                                                       listener: Trap, form: str) -> None:
    before = listener.hits
    with httpx.Client(base_url=guard_only_service.url, timeout=30) as http:
        for template in SPELLINGS:
            text = _spelled(template, listener)
            if form == "get":
                response = http.get("/sparql", params={"query": text})
            elif form == "post-form":
                response = http.post("/sparql", data={"query": text})
            else:
                response = http.post("/sparql", content=text.encode(),
                                     headers={"Content-Type": "application/sparql-query"})
            # FROM/DESCRIBE name the listener without calling it: they may run; the rest is refused
            assert response.status_code in (200, 403), (text, response.status_code, response.text)
    assert listener.hits == before
