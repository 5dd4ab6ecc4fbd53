"""SHACL: the graphs the RDF stage builds conform, and broken ones fail with a readable violation."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import resources

import pytest
from rdflib import RDF, Dataset, Literal, URIRef
from rdflib import namespace as rdf_namespaces
from rdflib.namespace import DCTERMS, SKOS
from test_rdf import BASE, DOC, build, make_authority, make_extraction

from ingest.rdf import (
    CITO,
    ELI,
    UNKG,
    NamedGraph,
    Triple,
    build_authority_graph,
    build_ontology_graph,
)
from ingest.validate import ValidationReport, validate_graphs

STRING = rdf_namespaces.XSD.string


def edited(graph: NamedGraph, *, drop: Callable[[Triple], bool] = lambda t: False,
           add: Iterable[Triple] = ()) -> NamedGraph:
    """A copy of ``graph`` without the triples ``drop`` selects and with ``add``."""
    kept = tuple(t for t in graph.triples if not drop(t))
    return NamedGraph(graph.iri, kept + tuple(add))


def only_violation(report: ValidationReport, *fragments: str) -> str:
    """The violation line that mentions every fragment; fails with the whole report otherwise."""
    assert not report.conforms
    matches = [v for v in report.violations if all(f in v for f in fragments)]
    assert matches, str(report)
    return matches[0]


# --------------------------------------------------------------------------- graphs that conform


def test_document_graph_conforms() -> None:
    report = validate_graphs([build()])
    assert report.conforms, str(report)
    assert report.violations == []


def test_draft_with_sponsors_and_no_symbol_conforms() -> None:
    extraction = make_extraction(symbol=None, sponsors=("Armenia", "Holy See"))
    report = validate_graphs([build(extraction), build_authority_graph(make_authority(), BASE)])
    assert report.conforms, str(report)


def test_everything_together_conforms_including_the_ontology_graph() -> None:
    graphs = [build(), build(make_extraction(symbol=None)), build_authority_graph(make_authority(), BASE),
              build_ontology_graph(BASE)]
    assert validate_graphs(graphs, batch_size=1).conforms
    assert validate_graphs(graphs, batch_size=10).conforms


def test_a_dataset_validates_like_its_named_graphs() -> None:
    dataset = Dataset()
    for named in (build(), build_authority_graph(make_authority(), BASE)):
        graph = dataset.graph(URIRef(named.iri))
        for triple in named.triples:
            graph.add(triple)
    assert validate_graphs(dataset).conforms
    broken = dataset.graph(URIRef(f"{BASE}graph/E/RES/2017/18"))
    broken.remove((URIRef(f"{DOC}#cite-1"), CITO.hasCitedEntity, None))
    assert not validate_graphs(dataset).conforms


def test_shipped_authority_graph_conforms() -> None:
    ontology = resources.files("ontology")
    if not all(ontology.joinpath(n).is_file() for n in ("member_states.json", "clause_verbs.json")):
        pytest.skip("authority data not shipped yet")
    from ingest.authority import load_authority

    assert validate_graphs([build_authority_graph(load_authority(), BASE)]).conforms


# --------------------------------------------------------------------------- graphs that do not


def test_citation_without_cited_entity_fails() -> None:
    cite = URIRef(f"{DOC}#cite-2")
    graph = edited(build(), drop=lambda t: t[0] == cite and t[1] == CITO.hasCitedEntity)
    line = only_violation(validate_graphs([graph]), "cite-2", "cito:hasCitedEntity")
    assert line.startswith(f"{DOC}#cite-2: cito:hasCitedEntity: ")


def test_paragraph_identifier_must_be_p_or_o_and_a_number() -> None:
    p1 = URIRef(f"{DOC}#P1")
    graph = edited(build(), drop=lambda t: t[0] == p1 and t[1] == DCTERMS.identifier,
                   add=[(p1, DCTERMS.identifier, Literal("X1"))])
    line = only_violation(validate_graphs([graph]), "#P1", "dcterms:identifier", "P<n>")
    assert '"X1"' in line


def test_cited_document_needs_its_symbol() -> None:
    target = URIRef(f"{BASE}document/A/71/119")
    graph = edited(build(), drop=lambda t: t[0] == target and t[1] == DCTERMS.identifier)
    only_violation(validate_graphs([graph]), "cito:hasCitedEntity")


def test_characterization_must_be_a_cito_term() -> None:
    cite = URIRef(f"{DOC}#cite-1")
    graph = edited(build(), drop=lambda t: t[0] == cite and t[1] == CITO.hasCitationCharacterization,
                   add=[(cite, CITO.hasCitationCharacterization, URIRef("https://example.org/recalls"))])
    only_violation(validate_graphs([graph]), "cite-1", "cito:hasCitationCharacterization", "CiTO")


def test_start_offset_must_precede_end_offset() -> None:
    cite = URIRef(f"{DOC}#cite-1")
    graph = edited(build(), drop=lambda t: t[0] == cite and t[1] == UNKG.endOffset,
                   add=[(cite, UNKG.endOffset, Literal(0))])
    only_violation(validate_graphs([graph]), "cite-1", "unkg:startOffset")


def test_citation_in_a_paragraph_that_does_not_exist_fails() -> None:
    cite = URIRef(f"{DOC}#cite-1")
    graph = edited(build(), drop=lambda t: t[0] == cite and t[1] == UNKG.inParagraph,
                   add=[(cite, UNKG.inParagraph, URIRef(f"{DOC}#P99"))])
    only_violation(validate_graphs([graph]), "cite-1", "unkg:inParagraph")


def test_document_type_outside_the_schema_fails() -> None:
    graph = edited(build(), drop=lambda t: t[1] == UNKG.documentType,
                   add=[(DOC, UNKG.documentType, Literal("memo"))])
    only_violation(validate_graphs([graph]), "unkg:documentType")


def test_document_with_two_titles_fails() -> None:
    graph = edited(build(), add=[(DOC, DCTERMS.title, Literal("Another title"))])
    only_violation(validate_graphs([graph]), "dcterms:title")


def test_adoption_date_must_be_an_xsd_date() -> None:
    graph = edited(build(), drop=lambda t: t[1] == ELI.date_document,
                   add=[(DOC, ELI.date_document, Literal("6 July 2017"))])
    only_violation(validate_graphs([graph]), "eli:date_document")


def test_treaty_series_volume_must_be_an_integer() -> None:
    unts = URIRef(f"{DOC}#unts-2225-39574")
    graph = edited(build(), drop=lambda t: t[0] == unts and t[1] == UNKG.volume,
                   add=[(unts, UNKG.volume, Literal("2225", datatype=STRING))])
    only_violation(validate_graphs([graph]), "unts-2225-39574", "unkg:volume")


def test_provenance_needs_a_sha256_checksum() -> None:
    graph = edited(build(), drop=lambda t: t[1] == UNKG.sha256,
                   add=[(URIRef(build().iri), UNKG.sha256, Literal("not-a-checksum"))])
    only_violation(validate_graphs([graph]), "unkg:sha256", "hex")


def test_authority_concept_needs_one_label_and_one_notation() -> None:
    untoc = URIRef(f"{BASE}instrument/untoc")
    graph = edited(build_authority_graph(make_authority(), BASE),
                   drop=lambda t: t[0] == untoc and t[1] == SKOS.notation,
                   add=[(untoc, SKOS.prefLabel, Literal("UNTOC"))])
    report = validate_graphs([graph])
    only_violation(report, "instrument/untoc", "skos:notation")
    only_violation(report, "instrument/untoc", "skos:prefLabel")


def test_violations_are_reported_once_and_sorted() -> None:
    graph = edited(build(), drop=lambda t: t[1] == RDF.value)
    report = validate_graphs([graph, graph])
    assert report.violations == sorted(set(report.violations))
    assert len(report.violations) == 4  # one per paragraph
