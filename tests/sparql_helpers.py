"""Small helpers shared by the SPARQL service tests: the three protocol forms and one-number queries."""

from __future__ import annotations

from typing import Any

import httpx

BASE = "https://w3id.org/unkg/"
"""The default base IRI the seed store is minted under."""

PROTOCOL_FORMS = ["get", "post-form", "post-query"]


def count(client: httpx.Client, query: str, **params: Any) -> int:
    """The ``?n`` of a one-row SELECT, asked over HTTP."""
    response = client.get("/sparql", params={"query": query, **params})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def column(response: httpx.Response, name: str) -> list[str]:
    return [b[name]["value"] for b in response.json()["results"]["bindings"] if name in b]


def triple_count(client: httpx.Client) -> int:
    return count(client, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")


def send(client: httpx.Client, form: str, query: str, **params: Any) -> httpx.Response:
    """One query by one of the three forms of the SPARQL 1.1 Protocol."""
    if form == "get":
        return client.get("/sparql", params={"query": query, **params})
    if form == "post-form":
        return client.post("/sparql", data={"query": query, **params})
    return client.post("/sparql", content=query.encode(), params=params,
                       headers={"Content-Type": "application/sparql-query"})
