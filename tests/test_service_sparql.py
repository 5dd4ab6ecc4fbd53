"""The SPARQL endpoint as clients meet it: the real service over HTTP, every protocol form and format.

Every test runs twice: over the embedded store and over a remote Oxigraph
server (``unkg serve --store http://...``); the answers must be the same.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from typing import Any

import httpx
import pytest
from conftest import Service
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from sparql_helpers import BASE, PROTOCOL_FORMS, column, count, send, triple_count

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"

# rdflib's own N-Quads and TriG parsers use its deprecated Dataset API
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")


@pytest.fixture(scope="module")
def service(backend_service: Service) -> Service:
    return backend_service

CITES_72_1 = f"SELECT ?d WHERE {{ ?d cito:cites <{BASE}document/A/RES/72/1> }} ORDER BY ?d"
CITATIONS = "CONSTRUCT { ?d cito:cites ?t } WHERE { ?d cito:cites ?t }"
DRAFT_2017 = f"{BASE}document/local/002_2c4a999f42950be4"
"""The 2017 Third Committee draft: printed without a symbol, so named after its file."""


# -- protocol forms ---------------------------------------------------------------------------------

@pytest.mark.parametrize("form", PROTOCOL_FORMS)
def test_every_protocol_form_answers_the_same_select(client: httpx.Client, form: str) -> None:
    response = send(client, form, CITES_72_1)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert column(response, "d") == [f"{BASE}document/E/RES/2021/25", DRAFT_2017]


@pytest.mark.parametrize("form", PROTOCOL_FORMS)
def test_every_protocol_form_honours_the_dataset_parameters(client: httpx.Client, form: str) -> None:
    graph = f"{BASE}graph/E/RES/2021/25"
    size = count(client, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    response = send(client, form, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", **{"default-graph-uri": graph})
    assert int(column(response, "n")[0]) == size


# -- result formats ---------------------------------------------------------------------------------

def parse_select(body: bytes, fmt: str) -> list[str]:
    """The values of ``?d`` in a SELECT answer, read with a parser for that format."""
    if fmt == "json":
        return [b["d"]["value"] for b in json.loads(body)["results"]["bindings"]]
    if fmt == "xml":
        root = ET.fromstring(body)
        return [uri.text or "" for uri in root.iter(f"{SPARQL_RESULTS}uri")]
    rows = list(csv.reader(io.StringIO(body.decode()), delimiter="," if fmt == "csv" else "\t"))
    assert rows[0] == (["d"] if fmt == "csv" else ["?d"])
    return [row[0].strip("<>") for row in rows[1:]]


SELECT_FORMATS = [("json", "application/sparql-results+json"), ("xml", "application/sparql-results+xml"),
                  ("csv", "text/csv"), ("tsv", "text/tab-separated-values")]


@pytest.mark.parametrize(("fmt", "media"), SELECT_FORMATS)
def test_select_results_in_every_format_by_accept_and_by_parameter(client: httpx.Client, fmt: str, media: str) -> None:
    expected = [f"{BASE}document/E/RES/2021/25", DRAFT_2017]
    by_accept = client.get("/sparql", params={"query": CITES_72_1}, headers={"Accept": media})
    by_parameter = client.get("/sparql", params={"query": CITES_72_1, "format": fmt})
    for response in (by_accept, by_parameter):
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media
        assert parse_select(response.content, fmt) == expected


@pytest.mark.parametrize(("fmt", "media"), SELECT_FORMATS[:2])
def test_ask_results_in_json_and_xml(client: httpx.Client, fmt: str, media: str) -> None:
    query = f"ASK {{ ?d cito:cites <{BASE}document/A/RES/64/293> }}"
    response = client.get("/sparql", params={"query": query}, headers={"Accept": media})
    assert response.headers["content-type"].split(";")[0] == media
    if fmt == "json":
        assert json.loads(response.content)["boolean"] is True
    else:
        assert ET.fromstring(response.content).find(f"{SPARQL_RESULTS}boolean").text == "true"  # type: ignore[union-attr]


GRAPH_FORMATS = [("turtle", "text/turtle", "turtle"), ("ntriples", "application/n-triples", "nt"),
                 ("rdfxml", "application/rdf+xml", "xml"), ("jsonld", "application/ld+json", "json-ld"),
                 ("nquads", "application/n-quads", "nquads"), ("trig", "application/trig", "trig")]


@pytest.mark.parametrize(("fmt", "media", "rdflib_format"), GRAPH_FORMATS)
def test_construct_in_every_format_parses_to_the_same_triples(client: httpx.Client, fmt: str, media: str,
                                                              rdflib_format: str) -> None:
    expected = count(client, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?d ?t { ?d cito:cites ?t } }")
    by_accept = client.get("/sparql", params={"query": CITATIONS}, headers={"Accept": media})
    by_parameter = client.post("/sparql", data={"query": CITATIONS, "format": fmt})
    for response in (by_accept, by_parameter):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].split(";")[0] == media
        parsed = Dataset() if fmt in ("nquads", "trig") else Graph()
        parsed.parse(data=response.content, format=rdflib_format)
        assert len(parsed) == expected > 0


def test_describe_returns_the_resource_as_turtle(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": f"DESCRIBE <{BASE}document/E/RES/2021/25>"})
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    assert (URIRef(f"{BASE}document/E/RES/2021/25"), None, Literal("E/RES/2021/25")) in graph


@pytest.mark.parametrize(("accept", "media"), [
    ("application/sparql-results+json;q=0.5, text/csv", "text/csv"),
    ("text/csv;q=0, */*", "application/sparql-results+json"),
    ("application/*;q=0.2, text/tab-separated-values;q=0.3", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "application/sparql-results+xml"),
])
def test_accept_q_values_choose_the_format(client: httpx.Client, accept: str, media: str) -> None:
    response = client.get("/sparql", params={"query": CITES_72_1}, headers={"Accept": accept})
    assert response.headers["content-type"].split(";")[0] == media


# -- service description and VoID -------------------------------------------------------------------

def test_service_description_names_the_endpoint_and_counts_the_dataset(client: httpx.Client, service: Any) -> None:
    response = client.get("/sparql")
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    endpoint = URIRef(f"{service.url}/sparql")
    services = list(graph.subjects(SD.endpoint, endpoint))
    assert len(services) == 1
    assert (services[0], SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (services[0], SD.feature, SD.UnionDefaultGraph) in graph
    assert len(list(graph.objects(services[0], SD.resultFormat))) == 10
    dataset = graph.value(services[0], SD.defaultDataset)
    distinct = count(client, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
    assert graph.value(dataset, VOID.triples).toPython() == distinct  # type: ignore[union-attr]
    assert graph.value(dataset, VOID.documents).toPython() == 5  # type: ignore[union-attr]
    assert (dataset, VOID.sparqlEndpoint, endpoint) in graph
    assert (dataset, VOID.dataDump, URIRef(f"{service.url}/dump.nq")) in graph
    names = {str(graph.value(n, SD.name)) for n in graph.objects(dataset, SD.namedGraph)}
    listed = column(client.get("/sparql", params={"query": "SELECT DISTINCT ?g { GRAPH ?g { } }"}), "g")
    assert names == set(listed) and f"{BASE}graph/E/RES/2021/25" in names


@pytest.mark.parametrize(("accept", "media", "rdflib_format"), [
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("text/html,application/xhtml+xml;q=0.9", "text/plain", "turtle"),
])
def test_service_description_is_content_negotiated(client: httpx.Client, accept: str, media: str,
                                                   rdflib_format: str) -> None:
    response = client.get("/sparql", headers={"Accept": accept})
    assert response.headers["content-type"].split(";")[0] == media
    graph = Graph().parse(data=response.content, format=rdflib_format)
    assert any(graph.triples((None, SD.endpoint, None)))


def test_void_is_served_on_its_own(client: httpx.Client, service: Any) -> None:
    response = client.get("/void")
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    dataset = URIRef(f"{service.url}/void#dataset")
    assert (dataset, VOID.uriSpace, Literal(BASE)) in graph
    assert graph.value(dataset, VOID.triples) is not None


# -- the dataset: union default graph, default-graph-uri, named-graph-uri, FROM ----------------------

def test_the_default_graph_is_the_union_of_all_graphs(client: httpx.Client) -> None:
    assert count(client, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }") == triple_count(client) > 0


def test_default_graph_uri_makes_one_document_graph_the_default(client: httpx.Client) -> None:
    graph = f"{BASE}graph/A/RES/72/1"
    size = count(client, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert 0 < count(client, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", **{"default-graph-uri": graph}) == size < \
        triple_count(client)


def test_several_default_graph_uris_are_merged(client: httpx.Client) -> None:
    graphs = [f"{BASE}graph/A/RES/72/1", f"{BASE}graph/E/RES/2017/18"]
    both = count(client, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }",
                 **{"default-graph-uri": graphs})
    inside = ", ".join(f"<{g}>" for g in graphs)
    expected = count(client, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o "
                             f"{{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g IN ({inside})) }} }}")
    assert both == expected


@pytest.mark.parametrize("form", PROTOCOL_FORMS)
def test_named_graph_uri_restricts_graph_patterns(client: httpx.Client, form: str) -> None:
    graph = f"{BASE}graph/E/RES/2017/18"
    response = send(client, form, "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }", **{"named-graph-uri": graph})
    assert column(response, "g") == [graph]


def test_a_from_clause_is_honoured_despite_the_union_default(client: httpx.Client) -> None:
    graph = f"{BASE}graph/E/RES/2017/18"
    size = count(client, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert count(client, f"SELECT (COUNT(*) AS ?n) FROM <{graph}> {{ ?s ?p ?o }}") == size


def test_an_invalid_graph_iri_is_400(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": CITES_72_1, "default-graph-uri": "not an iri"})
    assert response.status_code == 400


# -- known answers from the seeds ------------------------------------------------------------------

def test_a_res_64_293_is_cited_by_every_seed(client: httpx.Client) -> None:
    ask = f"ASK {{ ?d cito:cites <{BASE}document/A/RES/64/293> }}"
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is True
    citing = count(client, f"SELECT (COUNT(DISTINCT ?d) AS ?n) {{ ?g unkg:describes ?d . "
                           f"?d cito:cites <{BASE}document/A/RES/64/293> }}")
    assert citing == 5


def test_a_res_72_1_is_cited_by_e_res_2021_25_and_the_2017_draft(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": CITES_72_1})
    assert {f"{BASE}document/E/RES/2021/25", DRAFT_2017} <= set(column(response, "d"))


def test_e_res_2017_18_is_cited_by_the_2017_draft(client: httpx.Client) -> None:
    query = f"SELECT ?d {{ ?d cito:cites <{BASE}document/E/RES/2017/18> }}"
    assert DRAFT_2017 in column(client.get("/sparql", params={"query": query}), "d")


# -- an independent client ---------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparql_store_runs_select_ask_and_construct(service: Any, method: str) -> None:
    prologue = "PREFIX cito: <http://purl.org/spar/cito/> "
    json_client = Graph(store=SPARQLStore(query_endpoint=f"{service.url}/sparql", returnFormat="json", method=method))
    rows = json_client.query(prologue + f"SELECT ?d WHERE {{ ?d cito:cites <{BASE}document/A/RES/72/1> }}")
    assert {str(row[0]) for row in rows} == {f"{BASE}document/E/RES/2021/25", DRAFT_2017}  # type: ignore[index]
    ask = json_client.query(
        prologue + f"ASK {{ <{BASE}document/E/RES/2021/25> cito:cites <{BASE}document/A/RES/72/1> }}")
    assert ask.askAnswer is True
    assert json_client.query(prologue + "ASK { <http://example.org/nobody> cito:cites ?x }").askAnswer is False
    # rdflib asks for RDF/XML when its result format is XML: the graph path of the protocol
    xml_client = Graph(store=SPARQLStore(query_endpoint=f"{service.url}/sparql", returnFormat="xml", method=method))
    constructed = xml_client.query(prologue + CITATIONS)
    assert constructed.graph is not None and len(constructed.graph) > 0
