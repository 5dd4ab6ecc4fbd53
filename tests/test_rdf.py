"""The RDF stage: IRIs, reified citations, direct edges, determinism and the ontology's coverage.

The extraction is built by hand (no parser involved) so that these tests pin
``docs/rdf-model.md`` alone; ``make_extraction`` and ``make_authority`` are
shared with ``test_shapes``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib import namespace as rdf_namespaces
from rdflib.namespace import DCTERMS, PROV, SKOS

from ingest.authority import Authority, AuthorityEntry, ClauseVerb
from ingest.models import (
    Citation,
    DocumentMetadata,
    Event,
    Extraction,
    Footnote,
    FootnoteMarker,
    Mention,
    Paragraph,
    ParsedDocument,
    TreatySeriesRef,
)
from ingest.rdf import (
    CITO,
    DEFAULT_BASE,
    ELI,
    UNKG,
    NamedGraph,
    build_authority_graph,
    build_document_graph,
    build_ontology_graph,
    characterization_for,
    document_iri,
    graph_iri_for,
    state_key,
    target_iri,
)

# rdflib's XSD namespace warns when pytest probes it for fixtures: keep only its terms here
DATE, INTEGER, DATETIME = rdf_namespaces.XSD.date, rdf_namespaces.XSD.integer, rdf_namespaces.XSD.dateTime
ROOT = Path(__file__).resolve().parents[1]
BASE = "https://example.org/unkg/"
INGESTED_AT = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)
SOURCE = Path("/tmp/corpus/000_sample.txt")
CHECKSUM = "ab" * 32


def make_authority() -> Authority:
    """A small authority, so the tests do not depend on the shipped JSON lists."""
    return Authority(
        instruments=(
            AuthorityEntry("untoc", "instrument",
                           "United Nations Convention against Transnational Organized Crime",
                           ("United Nations Convention against Transnational Organized Crime",
                            "Organized Crime Convention"),
                           unts=(2225, 39574), adopted_by="A/RES/55/25"),
            AuthorityEntry("global-plan-of-action", "instrument",
                           "United Nations Global Plan of Action to Combat Trafficking in Persons",
                           ("United Nations Global Plan of Action to Combat Trafficking in Persons",),
                           adopted_by="A/RES/64/293"),
        ),
        bodies=(
            AuthorityEntry("ecosoc", "body", "Economic and Social Council",
                           ("Economic and Social Council", "Council")),
            AuthorityEntry("ccpcj", "body", "Commission on Crime Prevention and Criminal Justice",
                           ("Commission on Crime Prevention and Criminal Justice",)),
            AuthorityEntry("secretary-general", "body", "Secretary-General", ("Secretary-General",)),
        ),
        states=(
            AuthorityEntry("armenia", "state", "Armenia", ("Armenia",)),
            AuthorityEntry("bolivia", "state", "Bolivia (Plurinational State of)",
                           ("Bolivia (Plurinational State of)", "Bolivia")),
            AuthorityEntry("cote-d-ivoire", "state", "Côte d'Ivoire", ("Côte d'Ivoire",)),
        ),
        verbs=(
            ClauseVerb("recall", ("Recalling", "Recalls"), "cito:obtainsBackgroundFrom", "any"),
            ClauseVerb("reaffirm", ("Reaffirming", "Reaffirms"), "cito:confirms", "any"),
            ClauseVerb("take note", ("Taking note", "Takes note"), "cito:usesDataFrom", "any"),
            ClauseVerb("take", ("Taking",), "cito:citesForInformation", "any"),
            ClauseVerb("urge", ("Urges",), "cito:citesAsAuthority", "operative"),
            ClauseVerb("request", ("Requests",), "http://purl.org/spar/cito/citesAsAuthority", "operative"),
        ),
    )


def make_extraction(*, symbol: str | None = "E/RES/2017/18", identifier: str | None = None,
                    sponsors: tuple[str, ...] = ()) -> Extraction:
    """A two-preambular, two-operative resolution with a footnote, built with consistent offsets."""
    header = "Resolution 2017/18\nImplementation of the Global Plan of Action\n"
    bodies = [
        ("preambular", 1, "Recalling", "Recalling its resolution 2013/41 of 25 July 2013,"),
        ("preambular", 2, "Also reaffirming",
         "Also reaffirming General Assembly resolution 64/293 of 30 July 2010 and the "
         "United Nations Convention against Transnational Organized Crime,"),
        ("operative", 1, "Urges", "Urges Member States, including Armenia, to ratify the Convention;"),
        ("operative", 2, "Requests",
         "Requests the Secretary-General to report, taking into account A/71/119, on the "
         "World Day against Trafficking in Persons, 30 July;"),
    ]
    text = header
    paragraphs = []
    for kind, number, verb, body in bodies:
        start = len(text)
        markers = (FootnoteMarker(1, len(body) - 1),) if (kind, number) == ("preambular", 2) else ()
        paragraphs.append(Paragraph(kind, number, body, start, verb, markers))  # type: ignore[arg-type]
        text += body + "\n"
    footnote_text = "United Nations, Treaty Series, vol. 2225, No. 39574. See also resolution 55/25."
    fn_start = len(text)
    text += footnote_text + "\n"
    footnotes = {1: Footnote(1, footnote_text, fn_start, fn_start + len(footnote_text))}

    def span(surface: str, after: int = 0) -> tuple[int, int]:
        start = text.index(surface, after)
        return start, start + len(surface)

    def cite(target: str, surface: str, paragraph: str, date: str | None, verb: str | None,
             after: int = 0, footnote: int | None = None) -> Citation:
        start, end = span(surface, after)
        return Citation(target, surface, paragraph, date, verb, start, end, footnote)

    citations = [
        # deliberately out of document order: numbering must follow the offsets
        cite("A/71/119", "A/71/119", "O2", None, "Requests"),
        cite("E/RES/2013/41", "resolution 2013/41 of 25 July 2013", "P1", "2013-07-25", "Recalling"),
        cite("A/RES/64/293", "resolution 64/293 of 30 July 2010", "P2", "2010-07-30", "Also reaffirming"),
        cite("A/RES/55/25", "resolution 55/25", "P2", None, "Also reaffirming", after=fn_start, footnote=1),
    ]
    parsed = ParsedDocument(
        source=SOURCE.name, fmt="plain", text=text, header=header, header_start=0,
        opener="Economic and Social Council", paragraphs=tuple(paragraphs), footnotes=footnotes,
        closing="40th plenary meeting\n6 July 2017",
    )
    untoc = span("United Nations Convention against Transnational Organized Crime")
    armenia = span("Armenia")
    sg = span("Secretary-General")
    return Extraction(
        source=SOURCE.name,
        identifier=identifier or symbol or f"local/{SOURCE.stem}",
        checksum=CHECKSUM,
        parsed=parsed,
        document=DocumentMetadata(
            symbol=symbol, doc_type="resolution", body="ecosoc", recommended_by="ccpcj",
            title="Implementation of the Global Plan of Action", resolution_number="2017/18",
            adoption_date="2017-07-06", distribution_date="2017-08-18", distribution="General",
            session="2017 session", agenda_item="19 (c)", meeting="40th plenary meeting",
            sponsors=list(sponsors), related_symbols=["E/2017/30"],
        ),
        citations=citations,
        mentions=[
            Mention("untoc", "instrument", "P2", "United Nations Convention against Transnational "
                    "Organized Crime", *untoc),
            Mention("armenia", "state", "O1", "Armenia", *armenia),
            Mention("secretary-general", "body", "O2", "Secretary-General", *sg),
        ],
        treaty_series=[TreatySeriesRef(2225, 39574, "untoc", "P2", 1)],
        events=[Event("World Day against Trafficking in Persons", "O2", date="--07-30"),
                Event("high-level meeting", "header", start="2017-09-27", end="2017-09-28")],
    )


def build(extraction: Extraction | None = None) -> NamedGraph:
    return build_document_graph(extraction or make_extraction(), base=BASE, source_path=SOURCE,
                                ingested_at=INGESTED_AT, authority=make_authority())


@pytest.fixture
def graph() -> Graph:
    return build().to_graph()


DOC = URIRef(f"{BASE}document/E/RES/2017/18")


# --------------------------------------------------------------------------- IRIs


@pytest.mark.parametrize(("symbol", "iri"), [
    ("A/RES/72/1", "https://w3id.org/unkg/document/A/RES/72/1"),
    ("S/RES/2331(2016)", "https://w3id.org/unkg/document/S/RES/2331(2016)"),
    ("E/CN.15/2015/L.3/Rev.1", "https://w3id.org/unkg/document/E/CN.15/2015/L.3/Rev.1"),
    ("A/RES/S-26/2", "https://w3id.org/unkg/document/A/RES/S-26/2"),
    ("local/003 draft", "https://w3id.org/unkg/document/local/003%20draft"),
    ('A/<odd>"{x}|^`\\', "https://w3id.org/unkg/document/A/%3Codd%3E%22%7Bx%7D%7C%5E%60%5C"),
])
def test_target_iri_keeps_symbols_readable_and_encodes_only_unsafe_characters(symbol: str, iri: str) -> None:
    assert target_iri(symbol, DEFAULT_BASE) == iri


def test_document_and_graph_iris_follow_the_identifier() -> None:
    extraction = make_extraction()
    assert document_iri(extraction, BASE) == str(DOC)
    assert document_iri("local/002_x", BASE) == f"{BASE}document/local/002_x"
    assert graph_iri_for("E/RES/2017/18", BASE) == f"{BASE}graph/E/RES/2017/18"
    assert graph_iri_for("local/002_x", "https://example.org/unkg") == f"{BASE}graph/local/002_x"
    assert build().iri == f"{BASE}graph/E/RES/2017/18"


def test_document_without_symbol_gets_a_local_iri_and_no_identifier() -> None:
    g = build(make_extraction(symbol=None)).to_graph()
    doc = URIRef(f"{BASE}document/local/000_sample")
    assert (doc, RDF.type, UNKG.Resolution) in g
    assert g.value(doc, DCTERMS.identifier) is None
    assert (URIRef(f"{BASE}graph/local/000_sample"), UNKG.describes, doc) in g


def test_parts_are_minted_under_the_document(graph: Graph) -> None:
    assert (URIRef(f"{DOC}#P2"), RDF.type, UNKG.PreambularParagraph) in graph
    assert (URIRef(f"{DOC}#O1"), RDF.type, UNKG.OperativeParagraph) in graph
    assert (URIRef(f"{DOC}#fn1"), RDF.type, UNKG.Footnote) in graph
    assert (URIRef(f"{DOC}#unts-2225-39574"), RDF.type, UNKG.TreatySeriesReference) in graph
    assert (URIRef(f"{DOC}#event-1"), RDF.type, UNKG.Event) in graph
    assert (URIRef(f"{DOC}#cite-4"), RDF.type, CITO.Citation) in graph
    assert (URIRef(f"{DOC}#cite-5"), None, None) not in graph


# --------------------------------------------------------------------------- document metadata


def test_document_metadata(graph: Graph) -> None:
    assert (DOC, RDF.type, UNKG.Resolution) in graph
    assert (DOC, RDF.type, UNKG.Document) in graph
    assert graph.value(DOC, DCTERMS.identifier) == Literal("E/RES/2017/18")
    assert graph.value(DOC, ELI.passed_by) == URIRef(f"{BASE}body/ecosoc")
    assert graph.value(DOC, UNKG.recommendedBy) == URIRef(f"{BASE}body/ccpcj")
    assert graph.value(DOC, ELI.date_document) == Literal("2017-07-06", datatype=DATE)
    assert graph.value(DOC, UNKG.distributionDate) == Literal("2017-08-18", datatype=DATE)
    assert graph.value(DOC, UNKG.preambularParagraphCount) == Literal(2, datatype=INTEGER)
    assert graph.value(DOC, UNKG.operativeParagraphCount) == Literal(2, datatype=INTEGER)
    assert graph.value(DOC, UNKG.relatedSymbol) == Literal("E/2017/30")
    assert (DOC, UNKG.namesInstrument, URIRef(f"{BASE}instrument/untoc")) in graph
    assert (DOC, UNKG.namesState, URIRef(f"{BASE}state/armenia")) in graph
    assert (DOC, UNKG.namesBody, URIRef(f"{BASE}body/secretary-general")) in graph
    assert (DOC, PROV.wasDerivedFrom, URIRef(SOURCE.resolve().as_uri())) in graph


def test_sponsors_are_mapped_to_state_keys_and_unknown_ones_slugified() -> None:
    extraction = make_extraction(symbol=None, sponsors=("Bolivia (Plurinational State of)",
                                                        "Cote d\u2019Ivoire", "Holy See"))
    g = build(extraction).to_graph()
    doc = URIRef(document_iri(extraction, BASE))
    sponsors = set(g.objects(doc, UNKG.sponsor))
    assert sponsors == {URIRef(f"{BASE}state/bolivia"), URIRef(f"{BASE}state/cote-d-ivoire"),
                        URIRef(f"{BASE}state/holy-see")}
    assert g.value(URIRef(f"{BASE}state/holy-see"), RDFS.label) == Literal("Holy See")


def test_state_key_ignores_case_accents_and_apostrophes() -> None:
    authority = make_authority()
    assert state_key("BOLIVIA", authority) == "bolivia"
    assert state_key("Côte d'Ivoire", authority) == "cote-d-ivoire"
    assert state_key("Republic of Moldova", authority) == "republic-of-moldova"


# --------------------------------------------------------------------------- citations


def test_citations_are_numbered_in_document_order(graph: Graph) -> None:
    surfaces = [str(graph.value(URIRef(f"{DOC}#cite-{n}"), UNKG.surface)) for n in range(1, 5)]
    assert surfaces == ["resolution 2013/41 of 25 July 2013", "resolution 64/293 of 30 July 2010",
                        "A/71/119", "resolution 55/25"]


def test_reified_citation_has_citing_cited_characterization_and_paragraph(graph: Graph) -> None:
    cite = URIRef(f"{DOC}#cite-1")
    target = URIRef(f"{BASE}document/E/RES/2013/41")
    assert (cite, RDF.type, UNKG.Citation) in graph
    assert graph.value(cite, CITO.hasCitingEntity) == DOC
    assert graph.value(cite, CITO.hasCitedEntity) == target
    assert graph.value(cite, CITO.hasCitationCharacterization) == CITO.obtainsBackgroundFrom
    assert graph.value(cite, UNKG.inParagraph) == URIRef(f"{DOC}#P1")
    assert graph.value(cite, UNKG.clauseVerb) == Literal("Recalling")
    assert graph.value(cite, UNKG.targetDate) == Literal("2013-07-25", datatype=DATE)
    start = graph.value(cite, UNKG.startOffset).toPython()  # type: ignore[union-attr]
    end = graph.value(cite, UNKG.endOffset).toPython()  # type: ignore[union-attr]
    assert make_extraction().parsed.text[start:end] == "resolution 2013/41 of 25 July 2013"


def test_adverb_does_not_hide_the_clause_verb(graph: Graph) -> None:
    assert graph.value(URIRef(f"{DOC}#cite-2"), CITO.hasCitationCharacterization) == CITO.confirms


def test_footnote_citation_keeps_the_footnote_and_the_marking_paragraph(graph: Graph) -> None:
    cite = URIRef(f"{DOC}#cite-4")
    assert graph.value(cite, UNKG.viaFootnote) == URIRef(f"{DOC}#fn1")
    assert graph.value(cite, UNKG.inParagraph) == URIRef(f"{DOC}#P2")
    assert graph.value(URIRef(f"{DOC}#fn1"), UNKG.markedIn) == URIRef(f"{DOC}#P2")


def test_direct_cites_edges_exist_for_every_target(graph: Graph) -> None:
    for symbol in ("E/RES/2013/41", "A/RES/64/293", "A/71/119", "A/RES/55/25"):
        target = URIRef(f"{BASE}document/{symbol}")
        for prop in (UNKG.cites, CITO.cites, ELI.cites):
            assert (DOC, prop, target) in graph, (prop, symbol)


def test_cited_targets_are_document_nodes_with_their_symbol(graph: Graph) -> None:
    target = URIRef(f"{BASE}document/A/RES/64/293")
    assert (target, RDF.type, UNKG.Document) in graph
    assert graph.value(target, DCTERMS.identifier) == Literal("A/RES/64/293")


@pytest.mark.parametrize(("verb", "kind", "expected"), [
    ("Recalling", "preambular", "obtainsBackgroundFrom"),
    ("Also recalling", "preambular", "obtainsBackgroundFrom"),
    ("Further recalling", None, "obtainsBackgroundFrom"),
    ("Once again reaffirming", None, "confirms"),
    ("Taking note with appreciation", "preambular", "usesDataFrom"),
    ("Taking into account", "preambular", "citesForInformation"),
    ("Further requests", "operative", "citesAsAuthority"),
    ("Strongly urges", "operative", "citesAsAuthority"),
    ("Expressing concern", "preambular", "citesForInformation"),
    (None, None, "citesForInformation"),
    ("", None, "citesForInformation"),
])
def test_characterization_for_clause_verbs(verb: str | None, kind: str | None, expected: str) -> None:
    assert characterization_for(verb, make_authority(), kind) == str(CITO[expected])


# --------------------------------------------------------------------------- other nodes


def test_treaty_series_reference_and_events(graph: Graph) -> None:
    unts = URIRef(f"{DOC}#unts-2225-39574")
    assert (DOC, UNKG.hasTreatySeriesReference, unts) in graph
    assert graph.value(unts, UNKG.volume) == Literal(2225, datatype=INTEGER)
    assert graph.value(unts, UNKG.refersTo) == URIRef(f"{BASE}instrument/untoc")
    day, meeting = URIRef(f"{DOC}#event-1"), URIRef(f"{DOC}#event-2")
    assert graph.value(day, UNKG.date) == Literal("--07-30")
    assert graph.value(day, UNKG.inParagraph) == URIRef(f"{DOC}#O2")
    assert graph.value(meeting, UNKG.startDate) == Literal("2017-09-27", datatype=DATE)
    assert graph.value(meeting, UNKG.inParagraph) == URIRef(f"{DOC}#header")
    assert (URIRef(f"{DOC}#header"), ELI.is_part_of, DOC) in graph


def test_paragraph_nodes(graph: Graph) -> None:
    o2 = URIRef(f"{DOC}#O2")
    assert graph.value(o2, DCTERMS.identifier) == Literal("O2")
    assert graph.value(o2, UNKG.paragraphNumber) == Literal(2, datatype=INTEGER)
    assert graph.value(o2, UNKG.order) == Literal(4, datatype=INTEGER)
    assert graph.value(o2, ELI.is_part_of) == DOC
    assert str(graph.value(o2, RDF.value)).startswith("Requests the Secretary-General")


def test_provenance_of_the_graph(graph: Graph) -> None:
    g = URIRef(f"{BASE}graph/E/RES/2017/18")
    assert graph.value(g, UNKG.sha256) == Literal(CHECKSUM)
    assert graph.value(g, UNKG.sourceFile) == Literal("000_sample.txt")
    assert graph.value(g, PROV.generatedAtTime) == Literal("2026-11-23T10:00:00Z", datatype=DATETIME,
                                                           normalize=False)
    assert graph.value(g, UNKG.describes) == DOC


def test_building_twice_yields_identical_triples_and_no_blank_nodes() -> None:
    first, second = build(), build()
    assert first == second
    assert len(first.triples) == len(set(first.triples))
    assert all(isinstance(term, (URIRef, Literal)) for triple in first.triples for term in triple)


def test_authority_graph_has_concepts_in_schemes() -> None:
    g = build_authority_graph(make_authority(), BASE).to_graph()
    untoc = URIRef(f"{BASE}instrument/untoc")
    assert {UNKG.Instrument, UNKG.Treaty, SKOS.Concept} <= set(g.objects(untoc, RDF.type))
    assert g.value(untoc, SKOS.notation) == Literal("untoc")
    assert g.value(untoc, SKOS.inScheme) == URIRef(f"{BASE}scheme/instruments")
    assert set(g.objects(untoc, SKOS.altLabel)) == {Literal("Organized Crime Convention")}
    assert g.value(untoc, UNKG.untsNumber) == Literal(39574, datatype=INTEGER)
    assert g.value(untoc, UNKG.adoptedBy) == URIRef(f"{BASE}document/A/RES/55/25")
    assert (URIRef(f"{BASE}state/bolivia"), RDF.type, UNKG.MemberState) in g
    assert build_authority_graph(make_authority(), BASE) == build_authority_graph(make_authority(), BASE)


# --------------------------------------------------------------------------- the ontology


def _ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "unkg.ttl", format="turtle")


def test_ontology_and_shapes_parse() -> None:
    ontology = _ontology()
    owl_ontology = URIRef("http://www.w3.org/2002/07/owl#Ontology")
    assert (URIRef("https://w3id.org/unkg/ontology"), RDF.type, owl_ontology) in ontology
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle")
    assert len(shapes) > 50


def test_ontology_graph_is_the_ttl_without_blank_nodes() -> None:
    named = build_ontology_graph(BASE)
    assert named.iri == f"{BASE}graph/ontology"
    assert set(named.triples) == set(_ontology())


def test_every_unkg_term_used_is_declared_with_label_and_comment() -> None:
    ontology = _ontology()
    graphs = [build(), build(make_extraction(symbol=None, sponsors=("Armenia",))),
              build_authority_graph(make_authority(), BASE)]
    used = {term for g in graphs for triple in g.triples for term in triple
            if isinstance(term, URIRef) and str(term).startswith(str(UNKG))}
    assert used
    for term in sorted(used):
        assert (term, RDF.type, None) in ontology, f"{term} is not declared in unkg.ttl"
        assert (term, RDFS.label, None) in ontology, term
        assert (term, RDFS.comment, None) in ontology, term


def test_every_declared_term_specialises_an_established_one_or_says_why_not() -> None:
    """Every unkg class has a super-class outside its namespace or inside it (a chain up to one)."""
    ontology = _ontology()
    owl = Namespace("http://www.w3.org/2002/07/owl#")
    for cls in ontology.subjects(RDF.type, owl.Class):
        supers = set(ontology.transitive_objects(cls, RDFS.subClassOf)) - {cls}
        assert any(not str(s).startswith(str(UNKG)) for s in supers), cls
