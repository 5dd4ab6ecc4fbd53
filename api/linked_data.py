"""Linked Data: the RDF description of one resource, content negotiation, and serialization with rdflib.

Descriptions are read with SELECT (the resource is bound, so it has to be
projected) and assembled into an rdflib ``Graph`` here; only this module
decides what "the description of a resource" is:

* any resource: its own triples, the triples pointing at it (capped), and the
  labels, titles and identifiers of what it links to;
* a document, in addition: its parts (paragraphs, footnotes, header), its
  citation occurrences, and the provenance record of its graph.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rdflib import Dataset, URIRef
from rdflib import Graph as RdfGraph
from rdflib.term import Node

from ingest.store import PREFIXES

from .graph import Graph
from .negotiation import parse_accept, quality

INCOMING_CAP = 2000
"""At most this many triples pointing at a resource go into its description (a body is named by thousands)."""

DOCUMENT_DESCRIPTION = """SELECT DISTINCT ?r ?s ?p ?o WHERE {
  { ?r ?p ?o . BIND(?r AS ?s) }
  UNION { ?s eli:is_part_of ?r . ?s ?p ?o }
  UNION { ?s cito:hasCitingEntity ?r . ?s ?p ?o }
  UNION { ?s unkg:describes ?r . ?s ?p ?o }
  UNION { ?r ?link ?s . ?s ?p ?o . FILTER(?p IN (skos:prefLabel, rdfs:label, dcterms:identifier, dcterms:title)) }
}"""
"""A document, its parts and citation occurrences, its graph's provenance, and names of what it links to."""

RESOURCE_DESCRIPTION = """SELECT DISTINCT ?r ?s ?p ?o WHERE {
  { ?r ?p ?o . BIND(?r AS ?s) }
  UNION { ?r ?link ?s . ?s ?p ?o . FILTER(?p IN (skos:prefLabel, rdfs:label, dcterms:identifier, dcterms:title)) }
}"""

INCOMING = f"SELECT DISTINCT ?r ?s ?p WHERE {{ ?s ?p ?r }} ORDER BY ?s ?p LIMIT {INCOMING_CAP}"


@dataclass(frozen=True)
class RdfFormat:
    """A serialization the Linked Data routes can produce."""

    name: str
    media_type: str
    rdflib_format: str


TURTLE = RdfFormat("turtle", "text/turtle", "turtle")
JSONLD = RdfFormat("jsonld", "application/ld+json", "json-ld")
NTRIPLES = RdfFormat("nt", "application/n-triples", "nt")
NQUADS = RdfFormat("nq", "application/n-quads", "nquads")
RDFXML = RdfFormat("rdfxml", "application/rdf+xml", "xml")
HTML = RdfFormat("html", "text/html", "html")

NEGOTIABLE = (TURTLE, HTML, JSONLD, NTRIPLES, RDFXML)
"""What a resource IRI can answer, in the server's order of preference (``*/*`` gets Turtle)."""

ALIASES = {"ttl": TURTLE, "turtle": TURTLE, "jsonld": JSONLD, "json-ld": JSONLD, "nt": NTRIPLES,
           "ntriples": NTRIPLES, "n-triples": NTRIPLES, "nq": NQUADS, "nquads": NQUADS, "rdfxml": RDFXML,
           "rdf": RDFXML, "xml": RDFXML, "html": HTML}
"""Names accepted by ``?format=`` (for browsers and links) and by the ``.ttl`` style suffixes."""

EXTRA_MEDIA_TYPES = {TURTLE: ("application/x-turtle",), HTML: ("application/xhtml+xml",),
                     JSONLD: ("application/json",), NTRIPLES: ("text/plain",)}
"""Other names clients use for the same formats."""


def negotiate(accept: str | None, offered: tuple[RdfFormat, ...] = NEGOTIABLE) -> RdfFormat | None:
    """The offered format the client prefers (ties go to the earlier offer); ``None`` means a 406."""
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]

    def score(fmt: RdfFormat) -> float:
        return max(quality(ranges, media) for media in (fmt.media_type, *EXTRA_MEDIA_TYPES.get(fmt, ())))

    best = max(offered, key=lambda f: (score(f), -offered.index(f)))
    return best if score(best) > 0 else None


def describe(graph: Graph, iri: str, *, document: bool = False) -> RdfGraph:
    """The description of one resource as an rdflib graph (empty when the store knows nothing of it)."""
    node = URIRef(iri)
    result = new_graph()
    query = DOCUMENT_DESCRIPTION if document else RESOURCE_DESCRIPTION
    for row in graph.select(query, bindings={"r": node}):
        result.add((row["s"], row["p"], row["o"]))
    for row in graph.select(INCOMING, bindings={"r": node}):
        result.add((row["s"], row["p"], node))
    return result


def named_graph(graph: Graph, iri: str) -> RdfGraph:
    """The triples of one named graph (a document's graph, the authority graph ...)."""
    triples = graph.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"g": URIRef(iri)})
    result = new_graph(URIRef(iri))
    for triple in triples:
        result.add(triple)
    return result


def graph_overview(graph: Graph, iri: str) -> tuple[int, list[tuple[Node, Node]]]:
    """How many triples a named graph holds and what it says about itself (its provenance), without loading it."""
    node = URIRef(iri)
    counted = graph.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                           bindings={"g": node})
    size = int(str(counted[0]["n"])) if counted else 0
    rows = graph.select("SELECT ?g ?p ?o WHERE { GRAPH ?g { ?g ?p ?o } }", bindings={"g": node})
    return size, sorted(((r["p"], r["o"]) for r in rows), key=lambda pair: (str(pair[0]), str(pair[1])))


def new_graph(identifier: URIRef | None = None) -> RdfGraph:
    """An rdflib graph with the usual prefixes bound, so Turtle output reads like the dumps."""
    result = RdfGraph(identifier=identifier)
    for prefix, namespace in PREFIXES.items():
        result.bind(prefix, namespace, override=True)
    return result


def serialize(rdf: RdfGraph, fmt: RdfFormat) -> bytes:
    """Bytes in ``fmt``; JSON-LD is compacted with the prefixes as its context."""
    if fmt is NQUADS:
        dataset = Dataset()
        named = dataset.graph(rdf.identifier if isinstance(rdf.identifier, URIRef) else None)
        for triple in rdf:
            named.add(triple)
        return dataset.serialize(format="nquads", encoding="utf-8")
    if fmt is JSONLD:
        document = json.loads(rdf.serialize(format="json-ld", context=dict(PREFIXES)))
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return rdf.serialize(format=fmt.rdflib_format, encoding="utf-8")


def content_type(fmt: RdfFormat) -> str:
    return f"{fmt.media_type}; charset=utf-8" if fmt in (TURTLE, HTML, NTRIPLES, NQUADS) else fmt.media_type


@lru_cache(maxsize=1)
def ontology_text() -> str:
    """``ontology/unkg.ttl`` as shipped (the file the store's ontology graph is loaded from)."""
    return resources.files("ontology").joinpath("unkg.ttl").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def ontology_graph() -> RdfGraph:
    return RdfGraph().parse(data=ontology_text(), format="turtle")
