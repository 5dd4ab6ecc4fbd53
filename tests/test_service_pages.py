"""Dereferencing: every IRI minted under the base answers on the service, content-negotiated.

The store uses the default base ``https://w3id.org/unkg/``; the path after
it is the path on the service (``{base}document/A/RES/72/1`` ->
``/document/A/RES/72/1``).  RDF answers are parsed with rdflib to prove they
are well-formed and describe the resource; HTML pages are checked for the
links a reader follows.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import httpx
import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS

BASE = "https://w3id.org/unkg/"
UNKG = "https://w3id.org/unkg/ontology#"
THIRD_COMMITTEE_DRAFT = "local/002_2c4a999f42950be4"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDF_FORMATS = [("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/n-triples", "nt"),
               ("application/rdf+xml", "xml")]
RESOURCES = ["document/A/RES/72/1", f"document/{THIRD_COMMITTEE_DRAFT}", "document/A/RES/64/293",
             "instrument/untoc", "body/ecosoc", "state/cuba", "scheme/instruments", "agent/unkg-ingest"]


class Links(HTMLParser):
    """Collects ``href``s and element ids of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "href" and value and tag == "a":
                self.hrefs.append(value)
            if name == "id" and value:
                self.ids.add(value)


def links(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def fetch_rdf(client: httpx.Client, path: str, accept: str, rdf_format: str) -> Graph:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(accept)
    assert "Accept" in response.headers["vary"]
    return Graph().parse(data=response.content, format=rdf_format)


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize(("accept", "rdf_format"), RDF_FORMATS)
def test_every_minted_iri_dereferences_to_rdf_about_itself(client: httpx.Client, resource: str, accept: str,
                                                           rdf_format: str) -> None:
    graph = fetch_rdf(client, f"/{resource}", accept, rdf_format)
    assert (URIRef(BASE + resource), None, None) in graph


def test_document_description_holds_its_paragraphs_and_citations(client: httpx.Client) -> None:
    graph = fetch_rdf(client, "/document/E/RES/2017/18", "text/turtle", "turtle")
    document = URIRef(BASE + "document/E/RES/2017/18")
    assert (document, DCTERMS.title, None) in graph
    assert (URIRef(f"{document}#P1"), RDF.value, None) in graph
    citations = set(graph.subjects(URIRef("http://purl.org/spar/cito/hasCitingEntity"), document))
    assert len(citations) == 10
    cited_by = set(graph.subjects(URIRef(UNKG + "cites"), document))
    assert URIRef(BASE + "document/" + THIRD_COMMITTEE_DRAFT) in cited_by


def test_cited_only_document_is_described_by_who_cites_it(client: httpx.Client) -> None:
    graph = fetch_rdf(client, "/document/A/RES/64/293", "application/ld+json", "json-ld")
    document = URIRef(BASE + "document/A/RES/64/293")
    assert (document, DCTERMS.identifier, Literal("A/RES/64/293")) in graph
    assert len(set(graph.subjects(URIRef(UNKG + "cites"), document))) == 5


def test_instrument_description_has_its_skos_labels(client: httpx.Client) -> None:
    graph = fetch_rdf(client, "/instrument/untoc", "text/turtle", "turtle")
    untoc = URIRef(BASE + "instrument/untoc")
    assert (untoc, SKOS.prefLabel, Literal("United Nations Convention against Transnational Organized Crime")) in graph
    assert (untoc, SKOS.notation, Literal("untoc")) in graph


@pytest.mark.parametrize(("name", "accept", "rdf_format"), [
    ("A/RES/72/1", "text/turtle", "turtle"), (THIRD_COMMITTEE_DRAFT, "application/ld+json", "json-ld"),
    ("authority", "application/n-triples", "nt"),
])
def test_graph_iris_dereference_to_the_graph_content(client: httpx.Client, name: str, accept: str,
                                                     rdf_format: str) -> None:
    graph = fetch_rdf(client, f"/graph/{name}", accept, rdf_format)
    assert len(graph) > 50
    if name != "authority":
        assert (URIRef(BASE + f"graph/{name}"), URIRef(UNKG + "describes"), None) in graph


def test_format_parameter_overrides_accept(client: httpx.Client) -> None:
    response = client.get("/document/A/RES/72/1", params={"format": "turtle"}, headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert client.get("/graph/A/RES/72/1", params={"format": "nq"}).headers["content-type"].startswith(
        "application/n-quads")


def test_any_media_type_gets_turtle(client: httpx.Client) -> None:
    response = client.get("/document/A/RES/72/1", headers={"Accept": "*/*"})
    assert response.headers["content-type"].startswith("text/turtle")


def test_unacceptable_media_type_is_406(client: httpx.Client) -> None:
    response = client.get("/document/A/RES/72/1", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "text/turtle" in response.json()["detail"]["available"]
    assert client.get("/document/A/RES/72/1", params={"format": "pdf"}).status_code == 406


# --------------------------------------------------------------------------- HTML


def browse(client: httpx.Client, path: str) -> tuple[str, Links]:
    response = client.get(path, headers={"Accept": BROWSER})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert "Accept" in response.headers["vary"]
    return response.text, links(response.text)


def test_document_page_links_citations_citers_and_entities(client: httpx.Client) -> None:
    html, page = browse(client, "/document/E/RES/2017/18")
    assert "<h1>Implementation of the United Nations Global Plan of Action" in html
    assert "/document/A/RES/64/293" in page.hrefs  # a cited document
    assert f"/document/{THIRD_COMMITTEE_DRAFT}" in page.hrefs  # a citing document
    assert "/instrument/untoc" in page.hrefs and "/body/ecosoc" in page.hrefs
    assert "/graph/E/RES/2017/18" in page.hrefs
    assert {"P1", "O13"} <= page.ids  # paragraph anchors: {document}#P1 lands on the paragraph


def test_draft_page_links_its_sponsors(client: httpx.Client) -> None:
    _, page = browse(client, "/document/local/004_78eb58398bb90172")
    assert "/state/cuba" in page.hrefs


def test_cited_only_document_page_lists_the_documents_citing_it(client: httpx.Client) -> None:
    html, page = browse(client, "/document/A/RES/64/293")
    assert "not in the corpus" in html
    for source in ["E/RES/2017/18", "A/RES/72/1", "E/RES/2021/25", THIRD_COMMITTEE_DRAFT]:
        assert f"/document/{source}" in page.hrefs
    assert "/instrument/global-plan-of-action" in page.hrefs


@pytest.mark.parametrize(("path", "expected"), [
    ("/instrument/untoc", "/document/A/RES/72/1"),
    ("/body/ecosoc", "/document/E/RES/2021/25"),
    ("/state/cuba", "/document/local/004_78eb58398bb90172"),
    ("/graph/A/RES/72/1", "/document/A/RES/72/1"),
    ("/scheme/instruments", "/instrument/untoc"),
    ("/agent/unkg-ingest", "/graph/A/RES/72/1"),
])
def test_entity_and_graph_pages_link_to_related_resources(client: httpx.Client, path: str, expected: str) -> None:
    _, page = browse(client, path)
    assert expected in page.hrefs


def test_entity_name_redirects_to_its_canonical_page(client: httpx.Client) -> None:
    response = client.get("/state/Cuba", headers={"Accept": BROWSER})
    assert response.status_code == 303 and response.headers["location"] == "/state/cuba"


def test_page_text_is_escaped(client: httpx.Client) -> None:
    response = client.get("/document/<script>alert(1)</script>", headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert "<script>alert(1)</script>" not in response.text and "&lt;script&gt;" in response.text


@pytest.mark.parametrize("path", ["/document/A/RES/72/01", "/instrument/untok", "/body/nobody", "/state/narnia",
                                  "/graph/A/RES/1/1", "/scheme/nothing", "/agent/nobody"])
def test_unknown_resources_are_404_html_for_browsers_and_json_otherwise(client: httpx.Client, path: str) -> None:
    as_html = client.get(path, headers={"Accept": BROWSER})
    assert as_html.status_code == 404 and as_html.headers["content-type"].startswith("text/html")
    assert "Accept" in as_html.headers["vary"]
    as_rdf = client.get(path, headers={"Accept": "text/turtle"})
    assert as_rdf.status_code == 404 and "error" in as_rdf.json()


def test_unknown_document_page_suggests_near_symbols(client: httpx.Client) -> None:
    response = client.get("/document/A/RES/72/01", headers={"Accept": BROWSER})
    assert "/document/A/RES/72/1" in links(response.text).hrefs


# --------------------------------------------------------------------------- ontology and home


def test_ontology_turtle_is_the_shipped_file(client: httpx.Client) -> None:
    response = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    assert (URIRef(UNKG + "Document"), RDF.type, OWL.Class) in graph
    assert (URIRef(UNKG.rstrip("#")), RDF.type, OWL.Ontology) in graph


def test_ontology_json_ld_parses(client: httpx.Client) -> None:
    graph = fetch_rdf(client, "/ontology", "application/ld+json", "json-ld")
    assert (URIRef(UNKG + "Citation"), RDF.type, OWL.Class) in graph


def test_ontology_page_lists_classes_and_properties_with_anchors(client: httpx.Client) -> None:
    html, page = browse(client, "/ontology")
    assert {"Document", "Citation", "inParagraph", "clauseVerb"} <= page.ids
    assert re.search(r"Classes \(\d+\)", html) and "Object properties" in html
    assert "#Document" in page.hrefs
