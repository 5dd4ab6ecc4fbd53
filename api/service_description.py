"""The SPARQL 1.1 Service Description of ``/sparql`` and the VoID description of the dataset.

Both are small RDF graphs built with rdflib from the store's statistics, so a
crawler or a SPARQL client can learn, without running a query, what the
endpoint speaks (query language, result formats, the union default graph)
and what the dataset holds (triples, documents, named graphs, dumps).
The dataset is named ``{service}/void#dataset``, so it dereferences here.
"""

from __future__ import annotations

from datetime import datetime

from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from .graph import DatasetStatistics

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")
UNKG_ONTOLOGY = URIRef("https://w3id.org/unkg/ontology")

RESULT_FORMAT_IRIS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                      "Turtle", "N-Triples", "RDF_XML", "JSON-LD", "N-Quads", "TriG")
"""The W3C format IRIs (``http://www.w3.org/ns/formats/``) of every result format the endpoint serves."""

DUMP_SUFFIXES = ("nq", "trig", "ttl", "nt", "jsonld")
VOCABULARIES = ("https://w3id.org/unkg/ontology#", "http://purl.org/spar/cito/", "http://data.europa.eu/eli/ontology#",
                "http://purl.org/dc/terms/", "http://www.w3.org/ns/prov#", "http://www.w3.org/2004/02/skos/core#")

SERIALIZATIONS = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld"}
"""The service's format names and rdflib's serializer for each."""


def dataset_iri(root: str) -> URIRef:
    """The IRI of the dataset: a fragment of the VoID document, which ``/void`` serves."""
    return URIRef(f"{root}void#dataset")


def _bind(graph: Graph) -> Graph:
    for prefix, namespace in (("sd", SD), ("void", VOID), ("formats", FORMATS), ("dcterms", DCTERMS),
                              ("entailment", ENTAILMENT)):
        graph.bind(prefix, namespace)
    return graph


def void_description(root: str, base_iri: str, stats: DatasetStatistics,
                     last_modified: datetime | None = None) -> Graph:
    """The VoID description of the dataset served at ``root`` (the service's URL, ending in ``/``).

    ``void:triples`` counts the distinct triples of the union of all graphs,
    i.e. what ``SELECT (COUNT(*) AS ?n) { SELECT DISTINCT * { ?s ?p ?o } }``
    answers and the Turtle dump holds; each named graph is listed with its size.
    """
    graph = _bind(Graph())
    dataset = dataset_iri(root)
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, DCTERMS.title, Literal("unkg: a knowledge graph of United Nations resolutions")))
    graph.add((dataset, VOID.triples, Literal(stats.triples)))
    graph.add((dataset, VOID.distinctSubjects, Literal(stats.distinct_subjects)))
    graph.add((dataset, VOID.documents, Literal(stats.documents)))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(f"{root}sparql")))
    graph.add((dataset, VOID.uriSpace, Literal(base_iri)))
    for namespace in VOCABULARIES:
        graph.add((dataset, VOID.vocabulary, URIRef(namespace)))
    graph.add((dataset, DCTERMS.conformsTo, UNKG_ONTOLOGY))
    for suffix in DUMP_SUFFIXES:
        graph.add((dataset, VOID.dataDump, URIRef(f"{root}dump.{suffix}")))
    if last_modified is not None:
        graph.add((dataset, DCTERMS.modified, Literal(last_modified.isoformat(), datatype=XSD.dateTime)))

    default = BNode("default-graph")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, VOID.triples, Literal(stats.triples)))
    for name, size in stats.graph_sizes.items():
        named, described = BNode(), BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, URIRef(name)))
        graph.add((named, SD.graph, described))
        graph.add((described, RDF.type, SD.Graph))
        graph.add((described, VOID.triples, Literal(size)))
    return graph


def service_description(root: str, base_iri: str, stats: DatasetStatistics,
                        last_modified: datetime | None = None) -> Graph:
    """The Service Description of ``{root}sparql``, with the dataset's VoID description inside."""
    graph = void_description(root, base_iri, stats, last_modified)
    endpoint = URIRef(f"{root}sparql")
    service = URIRef(f"{root}sparql#service")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, endpoint))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, SD.defaultEntailmentRegime, ENTAILMENT.Simple))
    for name in RESULT_FORMAT_IRIS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    graph.add((service, SD.defaultDataset, dataset_iri(root)))
    return graph


def serialize(graph: Graph, fmt: str) -> bytes:
    """``graph`` in one of ``SERIALIZATIONS`` (the service's format names), UTF-8; JSON-LD compacted."""
    if fmt == "jsonld":
        context = {"sd": str(SD), "void": str(VOID), "formats": str(FORMATS), "dcterms": str(DCTERMS),
                   "entailment": str(ENTAILMENT), "xsd": str(XSD)}
        return graph.serialize(format="json-ld", context=context, encoding="utf-8")
    return graph.serialize(format=SERIALIZATIONS[fmt], encoding="utf-8")
