"""SHACL validation of the graphs the RDF stage builds (and of a store's content).

The shapes (``ontology/shapes.ttl``) check the contract of
``docs/rdf-model.md``; the ontology (``ontology/unkg.ttl``) is mixed into the
data so that ``sh:targetClass`` and ``sh:class`` follow ``rdfs:subClassOf``,
and no other inference runs: Oxigraph does none either, so the data must
carry every triple a query needs.

pyshacl's cost grows with the data graph and has a fixed cost per call, so
document graphs are validated in batches (their union, a few dozen at a time)
and the authority graph once on its own: no shape relates a document to the
authority data, so nothing is lost by splitting, and a graph's violations are
reported once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from pyshacl import validate as shacl_validate
from rdflib import RDF, Dataset, Graph, Namespace, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from .rdf import CITO, ELI, UNKG, NamedGraph

SH = Namespace("http://www.w3.org/ns/shacl#")
DEFAULT_BATCH_SIZE = 25
"""Document graphs per pyshacl call: large enough to amortize its set-up, small enough to stay fast."""


@dataclass
class ValidationReport:
    """The outcome of a validation: ``violations`` are ``"focus node: path: message"`` lines."""

    conforms: bool
    violations: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        if self.conforms:
            return "conforms"
        return "\n".join([f"{len(self.violations)} violation(s):", *self.violations])


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """``ontology/shapes.ttl``, parsed once per process."""
    return _read_turtle("shapes.ttl")


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """``ontology/unkg.ttl``, parsed once per process."""
    return _read_turtle("unkg.ttl")


def _read_turtle(name: str) -> Graph:
    text = resources.files("ontology").joinpath(name).read_text(encoding="utf-8")
    return Graph().parse(data=text, format="turtle")


@lru_cache(maxsize=1)
def _namespaces() -> NamespaceManager:
    manager = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, namespace in (("unkg", UNKG), ("eli", ELI), ("cito", CITO), ("sh", SH),
                              ("dcterms", Namespace("http://purl.org/dc/terms/")),
                              ("prov", Namespace("http://www.w3.org/ns/prov#")),
                              ("skos", Namespace("http://www.w3.org/2004/02/skos/core#")),
                              ("rdf", Namespace(str(RDF))),
                              ("rdfs", Namespace("http://www.w3.org/2000/01/rdf-schema#")),
                              ("xsd", Namespace("http://www.w3.org/2001/XMLSchema#"))):
        manager.bind(prefix, namespace, override=True)
    return manager


def _show(node: Node | None) -> str:
    """A term as a reader wants it: a prefixed name where one fits, else the bare IRI."""
    if node is None:
        return "-"
    if isinstance(node, URIRef):
        try:
            prefix, _, local = _namespaces().compute_qname(str(node), generate=False)
            return f"{prefix}:{local}"
        except (KeyError, ValueError):
            return str(node)
    return node.n3(_namespaces())


def _violations(results: Graph) -> Iterator[str]:
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        value = results.value(result, SH.value)
        message = "; ".join(messages) or _show(results.value(result, SH.sourceConstraintComponent))
        if value is not None and _show(value) not in message:
            message += f" (value: {_show(value)})"
        yield f"{_show(focus)}: {_show(path)}: {message}"


def _validate_union(graphs: Iterable[Graph | NamedGraph]) -> tuple[bool, list[str]]:
    data = Graph()
    for graph in graphs:
        for triple in (graph.triples if isinstance(graph, NamedGraph) else graph):
            data.add(triple)
    conforms, results, _text = shacl_validate(
        data, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="none",
        abort_on_first=False, allow_infos=True, allow_warnings=True,
    )
    return bool(conforms), list(_violations(results))


def _is_graph(iri: str, name: str) -> bool:
    return iri.rstrip("/").endswith(f"graph/{name}")


def _named(graphs: Iterable[NamedGraph] | Dataset) -> Iterator[tuple[str, Graph | NamedGraph]]:
    if isinstance(graphs, Dataset):
        for graph in graphs.graphs():
            if len(graph):
                yield str(graph.identifier), graph
    else:
        for named in graphs:
            yield named.iri, named


def validate_graphs(graphs: Iterable[NamedGraph] | Dataset, *,
                    batch_size: int = DEFAULT_BATCH_SIZE) -> ValidationReport:
    """Validate named graphs against ``ontology/shapes.ttl``.

    ``graphs`` are ``NamedGraph`` values from ``ingest.rdf`` or the named
    graphs of an rdflib ``Dataset`` (what ``unkg validate`` reads from the
    store).  The ontology graph, if given, is not validated as data: it is
    the vocabulary the shapes are read against.
    """
    batches: list[list[Graph | NamedGraph]] = [[]]
    authority: list[Graph | NamedGraph] = []
    for iri, graph in _named(graphs):
        if _is_graph(iri, "ontology"):
            continue
        if _is_graph(iri, "authority"):
            authority.append(graph)
            continue
        if len(batches[-1]) >= max(1, batch_size):
            batches.append([])
        batches[-1].append(graph)
    conforms, violations = True, []
    for batch in ([authority] if authority else []) + [b for b in batches if b]:
        ok, found = _validate_union(batch)
        conforms = conforms and ok
        violations.extend(found)
    return ValidationReport(conforms, sorted(dict.fromkeys(violations)))
