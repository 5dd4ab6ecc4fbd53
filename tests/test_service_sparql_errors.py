"""What the SPARQL endpoint refuses, and how: malformed queries, unservable formats, updates, SERVICE, LOAD."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sparql_helpers import BASE, PROTOCOL_FORMS, send, triple_count

CITES_72_1 = f"SELECT ?d WHERE {{ ?d cito:cites <{BASE}document/A/RES/72/1> }}"
CITATIONS = "CONSTRUCT { ?d cito:cites ?t } WHERE { ?d cito:cites ?t }"


# -- errors ------------------------------------------------------------------------------------------

POSITION = re.compile(r"\b\d+:\d+\b")


@pytest.mark.parametrize("form", PROTOCOL_FORMS)
def test_a_malformed_query_is_400_with_message_and_position_as_json(client: httpx.Client, form: str) -> None:
    response = send(client, form, "SELECT * WHERE {\n  ?s ?p\n}")
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["error"] == "malformed query"
    assert POSITION.search(body["detail"]) and "expected" in body["detail"]


@pytest.mark.parametrize("accept", ["text/plain", "text/csv", "text/plain, application/json;q=0.5"])
def test_a_malformed_query_is_400_as_text_for_clients_preferring_text(client: httpx.Client, accept: str) -> None:
    response = client.get("/sparql", params={"query": "SELEC ?x"}, headers={"Accept": accept})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("malformed query:") and POSITION.search(response.text)


def test_a_second_query_parameter_is_400(client: httpx.Client) -> None:
    response = client.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert response.status_code == 400


def test_an_unknown_body_type_is_415(client: httpx.Client) -> None:
    response = client.post("/sparql", content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


UPDATE_REQUESTS = [
    ("form update=", {"data": {"update": "DROP ALL"}}),
    ("query string update=", {"params": {"update": "DROP ALL"}}),
    ("INSERT DATA body", {"content": f"INSERT DATA {{ GRAPH <{BASE}graph/x> {{ <{BASE}a> <{BASE}b> 1 }} }}",
                          "headers": {"Content-Type": "application/sparql-query"}}),
    ("DROP ALL body", {"content": "DROP ALL", "headers": {"Content-Type": "application/sparql-query"}}),
    ("DROP ALL as form query=", {"data": {"query": "# bye\nDROP ALL"}}),
    ("sparql-update body", {"content": "CLEAR ALL", "headers": {"Content-Type": "application/sparql-update"}}),
]


@pytest.mark.parametrize(("name", "request_args"), UPDATE_REQUESTS, ids=[n for n, _ in UPDATE_REQUESTS])
def test_updates_are_refused_and_change_nothing(client: httpx.Client, name: str, request_args: dict[str, Any]) -> None:
    before = triple_count(client)
    response = client.post("/sparql", **request_args)
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"] and "unkg ingest" in response.json()["detail"]
    assert triple_count(client) == before


class Trap:
    """A listening socket that records whatever connects to it, standing in for a remote endpoint."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}/sparql"
        self.hits: list[bytes] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._listen, daemon=True)
        self.thread.start()

    def _listen(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except OSError:
                continue
            with conn:
                self.hits.append(conn.recv(1024))

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.server.close()


@pytest.fixture()
def trap() -> Iterator[Trap]:
    listening = Trap()
    yield listening
    listening.close()


SERVICE_SPELLINGS = [
    "SELECT * {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * {{ service <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ SeRvIcE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ ?s ?p ?o # comment\n SERVICE # another }} comment\n <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("spelling", SERVICE_SPELLINGS)
@pytest.mark.parametrize("form", ["get", "post-query"])
def test_service_is_refused_in_every_spelling_and_never_called(client: httpx.Client, trap: Trap,
                                                               spelling: str, form: str) -> None:
    response = send(client, form, spelling.format(url=trap.url))
    assert response.status_code == 403
    assert "SERVICE" in response.json()["error"]
    assert trap.hits == []


@pytest.mark.parametrize("text", ["LOAD <http://127.0.0.1:9/data.ttl>",
                                  "load silent <http://127.0.0.1:9/d.ttl> into graph <http://example.org/g>"])
def test_load_is_refused(client: httpx.Client, text: str) -> None:
    before = triple_count(client)
    response = client.post("/sparql", content=text, headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 403
    assert triple_count(client) == before


def test_the_word_service_inside_a_string_is_not_refused(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": 'SELECT * { ?s ?p "SERVICE <http://127.0.0.1:9/>" }'})
    assert response.status_code == 200


# -- formats that cannot be served -------------------------------------------------------------------

@pytest.mark.parametrize(("query", "headers", "params"), [
    (CITES_72_1, {"Accept": "image/png"}, {}),
    (CITES_72_1, {}, {"format": "turtle"}),
    (CITATIONS, {}, {"format": "csv"}),
    (CITATIONS, {"Accept": "application/sparql-results+json"}, {}),
])
def test_an_unservable_format_is_406_listing_the_acceptable_types(
        client: httpx.Client, query: str, headers: dict[str, str], params: dict[str, str]) -> None:
    response = client.get("/sparql", params={"query": query, **params}, headers=headers)
    assert response.status_code == 406
    detail = response.json()["detail"] if "json" in response.headers["content-type"] else response.text
    assert ("text/turtle" in detail) if query == CITATIONS else ("application/sparql-results+json" in detail)


def test_an_unknown_format_parameter_is_400(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": CITES_72_1, "format": "yaml"})
    assert response.status_code == 400
    assert "json" in response.json()["detail"]
