"""Dumps as downloaders meet them: every format parses, holds the whole store, and caches by ETag."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph
import pytest
from conftest import ROOT, UNKG, Service, start_service
from rdflib import Dataset, Graph

# rdflib's own N-Quads and TriG parsers use its deprecated Dataset API
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

FORMATS = [  # (format=, suffix, media type, rdflib parser, holds named graphs)
    ("turtle", "ttl", "text/turtle", "turtle", False),
    ("ntriples", "nt", "application/n-triples", "nt", False),
    ("nquads", "nq", "application/n-quads", "nquads", True),
    ("trig", "trig", "application/trig", "trig", True),
    ("jsonld", "jsonld", "application/ld+json", "json-ld", False),
]
OXIGRAPH_FORMATS = {"ttl": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
                    "nq": pyoxigraph.RdfFormat.N_QUADS, "trig": pyoxigraph.RdfFormat.TRIG}


def count(client: httpx.Client, query: str) -> int:
    response = client.get("/sparql", params={"query": query})
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def distinct_triples(client: httpx.Client) -> int:
    return count(client, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")


def quads(client: httpx.Client) -> int:
    return count(client, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")


@pytest.mark.parametrize(("name", "suffix", "media", "rdflib_format", "named"), FORMATS)
def test_every_dump_format_parses_and_is_served_as_an_attachment(client: httpx.Client, name: str, suffix: str,
                                                                 media: str, rdflib_format: str, named: bool) -> None:
    by_suffix = client.get(f"/dump.{suffix}")
    by_parameter = client.get("/dump", params={"format": name})
    for response in (by_suffix, by_parameter):
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media
        assert response.headers["content-disposition"] == f'attachment; filename="unkg.{suffix}"'
        assert response.headers["etag"] and response.headers["last-modified"]
    assert by_suffix.content == by_parameter.content
    parsed: Graph = Dataset() if named else Graph()
    parsed.parse(data=by_suffix.content, format=rdflib_format)
    if named:
        assert sum(len(g) for g in parsed.graphs()) == quads(client)  # type: ignore[attr-defined]
    else:
        assert len(parsed) == distinct_triples(client)


@pytest.mark.parametrize("suffix", ["ttl", "nt"])
def test_turtle_and_ntriples_hold_the_union_of_all_graphs(client: httpx.Client, suffix: str) -> None:
    triples = set(pyoxigraph.parse(client.get(f"/dump.{suffix}").content, OXIGRAPH_FORMATS[suffix]))
    assert len(triples) == distinct_triples(client) > 0


@pytest.mark.parametrize("suffix", ["nq", "trig"])
def test_nquads_and_trig_keep_every_named_graph(client: httpx.Client, suffix: str) -> None:
    read = list(pyoxigraph.parse(client.get(f"/dump.{suffix}").content, OXIGRAPH_FORMATS[suffix]))
    assert len(read) == quads(client)
    graphs = {q.graph_name.value for q in read}  # type: ignore[union-attr]
    assert "https://w3id.org/unkg/graph/E/RES/2021/25" in graphs and len(graphs) == 7


def test_the_etag_is_stable_and_answers_if_none_match_with_304(client: httpx.Client) -> None:
    first, second = client.get("/dump.ttl"), client.get("/dump.ttl")
    etag = first.headers["etag"]
    assert etag == second.headers["etag"] and first.headers["last-modified"] == second.headers["last-modified"]
    for header in (etag, f"W/{etag}", f'"something-else", {etag}', "*"):
        cached = client.get("/dump.ttl", headers={"If-None-Match": header})
        assert cached.status_code == 304 and cached.content == b""
        assert cached.headers["etag"] == etag
    assert client.get("/dump.ttl", headers={"If-None-Match": '"stale"'}).status_code == 200


def test_if_modified_since_the_last_modification_is_304(client: httpx.Client) -> None:
    modified = client.get("/dump.nt").headers["last-modified"]
    assert client.get("/dump.nt", headers={"If-Modified-Since": modified}).status_code == 304


def test_each_format_has_its_own_etag(client: httpx.Client) -> None:
    etags = {client.head(f"/dump.{suffix}").headers["etag"] for _, suffix, *_ in FORMATS}
    assert len(etags) == len(FORMATS)


def test_head_gives_the_headers_without_the_body(client: httpx.Client) -> None:
    response = client.head("/dump.nq")
    assert response.status_code == 200 and response.content == b""
    assert int(response.headers["content-length"]) == len(client.get("/dump.nq").content)


@pytest.mark.parametrize(("accept", "media"), [
    (None, "text/turtle"), ("*/*", "text/turtle"), ("application/n-quads", "application/n-quads"),
    ("application/trig;q=0.4, application/ld+json;q=0.6", "application/ld+json"),
])
def test_dump_without_a_format_is_content_negotiated(client: httpx.Client, accept: str | None, media: str) -> None:
    response = client.get("/dump", headers={"Accept": accept} if accept else {})
    assert response.headers["content-type"].split(";")[0] == media
    assert response.headers["vary"] == "Accept"


def test_an_unknown_format_is_400_listing_the_formats(client: httpx.Client) -> None:
    response = client.get("/dump", params={"format": "csv"})
    assert response.status_code == 400
    assert all(name in response.json()["detail"] for name, *_ in FORMATS)


@pytest.mark.parametrize(("path", "headers", "status"), [
    ("/dump", {"Accept": "image/png"}, 406), ("/dump.zip", {}, 404),
])
def test_unservable_dumps(client: httpx.Client, path: str, headers: dict[str, str], status: int) -> None:
    response = client.get(path, headers=headers)
    assert response.status_code == status
    assert set(response.json()) == {"error", "detail"}


def _ingest(store: Path, *files: str) -> None:
    run = subprocess.run([*UNKG, "ingest", "--store", str(store), *(str(ROOT / "corpus" / f) for f in files)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr


def _dump_headers(store: Path) -> dict[str, Any]:
    """ETag and Last-Modified of the Turtle dump from a service started on ``store`` (stopped afterwards)."""
    running: Service = start_service(store)
    try:
        response = httpx.get(running.url + "/dump.ttl", timeout=60)
        return {"etag": response.headers["etag"], "last-modified": response.headers["last-modified"],
                "size": len(response.content)}
    finally:
        running.process.terminate()
        running.process.wait(timeout=20)


def test_the_etag_survives_a_restart_and_changes_with_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    _ingest(store, "000_1eeb48090b00f45d.txt")
    before, restarted = _dump_headers(store), _dump_headers(store)
    assert restarted == before
    _ingest(store, "001_956f3021139d2d4a.txt")
    after = _dump_headers(store)
    assert after["etag"] != before["etag"] and after["size"] > before["size"]
