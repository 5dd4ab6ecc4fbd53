"""The RDF stage: an ``Extraction`` becomes the triples of one named graph.

``docs/rdf-model.md`` is the contract this module implements.  Two rules
shape the code:

* No blank nodes.  Every node (paragraph, footnote, citation occurrence,
  Treaty Series reference, event) gets an IRI derived from the document's
  identifier and its position, so re-ingesting a file produces exactly the
  same triples and the store can replace a graph wholesale.
* Oxigraph does no reasoning, so the super-property and super-class triples
  that simple queries rely on (``cito:cites``, ``eli:cites``, ``a
  unkg:Document``) are written next to the specific ones.

Terms are rdflib terms; only ``ingest.store`` talks to pyoxigraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS
from rdflib.term import Node

from . import PIPELINE_VERSION
from .authority import Authority, AuthorityEntry, load_authority, slugify, state_key  # noqa: F401  (re-exported)
from .models import Extraction, Paragraph

UNKG = Namespace("https://w3id.org/unkg/ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
CITO = Namespace("http://purl.org/spar/cito/")

DEFAULT_BASE = "https://w3id.org/unkg/"
DEFAULT_CHARACTERIZATION = str(CITO.citesForInformation)

Triple = tuple[Node, Node, Node]

DOCUMENT_CLASSES: dict[str, URIRef] = {
    "resolution": UNKG.Resolution,
    "draft_resolution": UNKG.DraftResolution,
    "revised_draft_resolution": UNKG.DraftResolution,
    "political_declaration": UNKG.Declaration,
    "decision": UNKG.Decision,
}
"""The schema's ``doc_type`` -> the most specific class; anything else is a plain ``unkg:Document``."""

"""Adverbs that may open a clause ("Also recalling", "Further requests") without changing its verb."""

# Characters that may not appear in an IRI (RFC 3987), plus the three that
# would change its structure if a symbol ever contained them.
_IRI_UNSAFE = frozenset(' <>"{}|\\^`#?%')
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARAGRAPH_ID = re.compile(r"^[PO]\d+$")
_FOOTNOTE_REF = re.compile(r"^(?:footnote\s*|fn)(\d+)$", re.IGNORECASE)


@dataclass(frozen=True)
class NamedGraph:
    """The triples of one named graph, ready for ``GraphStore.replace_graph`` or validation."""

    iri: str
    triples: tuple[Triple, ...]

    def to_graph(self) -> Graph:
        """The triples as an rdflib ``Graph`` (for pyshacl and for serializing in tests)."""
        graph = Graph(identifier=URIRef(self.iri))
        graph += self.triples
        return graph


# --------------------------------------------------------------------------- IRIs


def normalize_base(base: str) -> str:
    """IRIs are minted as ``{base}document/...``, so the base must end with a separator."""
    return base if base.endswith(("/", "#")) else base + "/"


def _encode(path: str) -> str:
    """Percent-encode only what an IRI cannot hold, so ``A/RES/72/1`` stays readable."""
    return "".join(quote(ch, safe="") if ch in _IRI_UNSAFE or ord(ch) < 0x21 or 0x7F <= ord(ch) <= 0x9F
                   else ch for ch in path)


def target_iri(symbol: str, base: str = DEFAULT_BASE) -> str:
    """``{base}document/{symbol}``: the IRI of any document, ingested or only cited."""
    return f"{normalize_base(base)}document/{_encode(symbol)}"


def document_iri(extraction_or_identifier: Extraction | str, base: str = DEFAULT_BASE) -> str:
    """The IRI of an ingested document from its identifier (symbol, or ``local/<file stem>``)."""
    identifier = (extraction_or_identifier.identifier if isinstance(extraction_or_identifier, Extraction)
                  else extraction_or_identifier)
    return target_iri(identifier, base)


def graph_iri_for(identifier: str, base: str = DEFAULT_BASE) -> str:
    """``{base}graph/{symbol}`` or ``{base}graph/local/{stem}``: the named graph of one document."""
    return f"{normalize_base(base)}graph/{_encode(identifier)}"


def authority_graph_iri(base: str = DEFAULT_BASE) -> str:
    return f"{normalize_base(base)}graph/authority"


def ontology_graph_iri(base: str = DEFAULT_BASE) -> str:
    return f"{normalize_base(base)}graph/ontology"


def entity_iri(kind: str, key: str, base: str = DEFAULT_BASE) -> str:
    """``{base}instrument/{key}``, ``{base}body/{key}`` or ``{base}state/{key}``."""
    return f"{normalize_base(base)}{kind}/{_encode(key)}"


def agent_iri(base: str = DEFAULT_BASE) -> str:
    """The software agent every document graph is attributed to."""
    return f"{normalize_base(base)}agent/unkg-ingest"


# --------------------------------------------------------------------------- authority lookups


def _cito(value: str) -> str:
    """``cito:confirms``, ``confirms`` or a full IRI -> the full CiTO IRI."""
    if value.startswith(("http://", "https://")):
        return value
    return str(CITO) + value.removeprefix("cito:")


def characterization_for(verb: str | None, authority: Authority, kind: str | None = None) -> str:
    """The CiTO characterization (full IRI) of a citation in a paragraph opened by ``verb``.

    Unknown or missing verbs fall back to ``cito:citesForInformation``, the neutral characterization.
    """
    found = authority.characterization(verb, kind)
    return _cito(found) if found else DEFAULT_CHARACTERIZATION


# --------------------------------------------------------------------------- literals

Value = Node | str | int | None
"""What the builder accepts as an object: a term, or a Python value turned into a literal."""


def _term(value: Node | str | int) -> Node:
    """Strings become plain literals, ints ``xsd:integer``; terms pass through."""
    if isinstance(value, Node):
        return value
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    return Literal(value)


def _date(value: str | None) -> Literal | None:
    """``xsd:date`` for a full, valid ISO date; reduced dates (``--07-30``, ``2017-03``) stay strings."""
    if not value:
        return None
    if _FULL_DATE.match(value):
        try:
            date.fromisoformat(value)
            return Literal(value, datatype=XSD.date)
        except ValueError:
            pass
    return Literal(value)


def _datetime(value: datetime) -> Literal:
    """UTC, to the second, with a ``Z``: the same instant always has the same lexical form."""
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    lexical = moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return Literal(lexical, datatype=XSD.dateTime, normalize=False)


# --------------------------------------------------------------------------- document graph


class _DocumentGraphBuilder:
    """Collects the triples of one document in a fixed order, without duplicates."""

    def __init__(self, extraction: Extraction, base: str, authority: Authority) -> None:
        self.x = extraction
        self.base = normalize_base(base)
        self.authority = authority
        self.doc = URIRef(document_iri(extraction, self.base))
        self.triples: dict[Triple, None] = {}
        self.footnotes_needed: set[int] = set()
        self.header_needed = False
        self.marker_paragraph = {m.number: p.id for p in extraction.parsed.paragraphs for m in p.markers}

    def add(self, subject: Node, *pairs: tuple[Node, Value]) -> None:
        """Add ``subject p o`` for each pair; empty values (``None``, ``""``) are skipped."""
        for predicate, value in pairs:
            if value is not None and value != "":
                self.triples[(subject, predicate, _term(value))] = None

    def part(self, fragment: str) -> URIRef:
        return URIRef(f"{self.doc}#{fragment}")

    def part_for(self, ref: str | None) -> URIRef | None:
        """The node a citation or event is "in": ``P5``/``O3``, ``header``, or ``footnote 5``."""
        ref = (ref or "").strip()
        if _PARAGRAPH_ID.match(ref):
            return self.part(ref)
        if ref.casefold() == "header":
            self.header_needed = True
            return self.part("header")
        footnote = _FOOTNOTE_REF.match(ref)
        if not footnote:
            return None
        number = int(footnote.group(1))
        if number in self.marker_paragraph:
            return self.part(self.marker_paragraph[number])
        self.footnotes_needed.add(number)
        return self.part(f"fn{number}")

    def entity(self, kind: str, key: str | None) -> URIRef | None:
        return URIRef(entity_iri(kind, key, self.base)) if key else None

    def build(self, source_path: Path, ingested_at: datetime) -> NamedGraph:
        source_uri = URIRef(source_path.resolve().as_uri())
        self.document(source_uri)
        for order, paragraph in enumerate(self.x.parsed.paragraphs, start=1):
            self.paragraph(paragraph, order)
        self.citations()
        self.treaty_series()
        self.events()
        self.footnotes()
        self.header()
        self.provenance(source_uri, source_path, ingested_at)
        return NamedGraph(graph_iri_for(self.x.identifier, self.base), tuple(self.triples))

    def document(self, source_uri: URIRef) -> None:
        meta, doc = self.x.document, self.doc
        adopted = _date(meta.adoption_date)
        if adopted is not None and adopted.datatype != XSD.date:
            adopted = None  # ELI's range is xsd:date: a partial adoption date is not written there
        self.add(doc, (RDF.type, DOCUMENT_CLASSES.get(meta.doc_type, UNKG.Document)),
                 (RDF.type, UNKG.Document), (DCTERMS.identifier, meta.symbol),
                 (DCTERMS.title, (meta.title or "").strip()), (UNKG.documentType, meta.doc_type),
                 (ELI.passed_by, self.entity("body", meta.body)),
                 (UNKG.recommendedBy, self.entity("body", meta.recommended_by)),
                 (UNKG.resolutionNumber, meta.resolution_number), (ELI.date_document, adopted),
                 (UNKG.distributionDate, _date(meta.distribution_date)),
                 (UNKG.distribution, meta.distribution), (UNKG.session, meta.session),
                 (UNKG.agendaItem, meta.agenda_item), (UNKG.meeting, meta.meeting))
        for name in meta.sponsors:
            key = state_key(name, self.authority)
            state = self.entity("state", key)
            self.add(doc, (UNKG.sponsor, state))
            if state is not None and self.authority.by_key(key) is None:
                self.add(state, (RDFS.label, name))  # not in the authority: keep the printed name
        self.add(doc, *((UNKG.relatedSymbol, symbol) for symbol in meta.related_symbols))
        self.add(doc, (UNKG.preambularParagraphCount, len(self.x.parsed.preambular)),
                 (UNKG.operativeParagraphCount, len(self.x.parsed.operative)))
        self.add(doc, *((UNKG.namesInstrument, self.entity("instrument", k)) for k in self.x.instruments),
                 *((UNKG.namesBody, self.entity("body", k)) for k in self.x.bodies),
                 *((UNKG.namesState, self.entity("state", k)) for k in self.x.states),
                 (PROV.wasDerivedFrom, source_uri))

    def paragraph(self, paragraph: Paragraph, order: int) -> None:
        kind = UNKG.PreambularParagraph if paragraph.kind == "preambular" else UNKG.OperativeParagraph
        node = self.part(paragraph.id)
        self.add(node, (RDF.type, kind), (ELI.is_part_of, self.doc),
                 (DCTERMS.isPartOf, self.doc), (DCTERMS.identifier, paragraph.id),
                 (UNKG.paragraphNumber, paragraph.number), (UNKG.order, order),
                 (UNKG.clauseVerb, paragraph.verb), (RDF.value, paragraph.text))
        # What each paragraph names (its own text or a footnote it carries), so that a question such as
        # "which instruments does an operative paragraph urge States to ratify" needs no text matching.
        names = {"instrument": UNKG.namesInstrument, "body": UNKG.namesBody, "state": UNKG.namesState}
        self.add(node, *dict.fromkeys((names[m.kind], self.entity(m.kind, m.key))
                                      for m in self.x.mentions if m.paragraph == paragraph.id))

    def citations(self) -> None:
        """Reified occurrences numbered in document order, then the direct edges per target."""
        verbs = {p.id: p.verb for p in self.x.parsed.paragraphs}
        ordered = sorted(self.x.citations, key=lambda c: (c.start, c.end, c.target, c.paragraph))
        for n, citation in enumerate(ordered, start=1):
            # a cited document is a node with its symbol even when it is not in the corpus
            target = URIRef(target_iri(citation.target, self.base))
            self.add(target, (RDF.type, UNKG.Document), (DCTERMS.identifier, citation.target))
            verb = citation.verb or verbs.get(citation.paragraph)
            kind = {"P": "preambular", "O": "operative"}.get(citation.paragraph[:1])
            footnote = None
            if citation.footnote is not None:
                self.footnotes_needed.add(citation.footnote)
                footnote = self.part(f"fn{citation.footnote}")
            self.add(self.part(f"cite-{n}"), (RDF.type, CITO.Citation), (RDF.type, UNKG.Citation),
                     (CITO.hasCitingEntity, self.doc), (CITO.hasCitedEntity, target),
                     (CITO.hasCitationCharacterization,
                      URIRef(characterization_for(verb, self.authority, kind))),
                     (UNKG.inParagraph, self.part_for(citation.paragraph)), (UNKG.clauseVerb, verb),
                     (UNKG.surface, citation.surface), (UNKG.startOffset, citation.start),
                     (UNKG.endOffset, citation.end), (UNKG.targetDate, _date(citation.target_date)),
                     (UNKG.viaFootnote, footnote))
        for symbol in dict.fromkeys(c.target for c in ordered):
            cited = URIRef(target_iri(symbol, self.base))
            self.add(self.doc, (UNKG.cites, cited), (CITO.cites, cited), (ELI.cites, cited))

    def treaty_series(self) -> None:
        """One node per (volume, number); its instrument from the extraction, else from the authority."""
        instruments: dict[tuple[int, int], str | None] = {}
        for ref in self.x.treaty_series:
            if instruments.get((ref.volume, ref.number)) is None:
                instruments[(ref.volume, ref.number)] = ref.instrument
        for (volume, number), instrument in instruments.items():
            if instrument is None:
                entry = self.authority.instrument_by_unts(volume, number)
                instrument = entry.key if entry else None
            node = self.part(f"unts-{volume}-{number}")
            self.add(self.doc, (UNKG.hasTreatySeriesReference, node))
            printed = f"United Nations, Treaty Series, vol. {volume}, No. {number}"
            self.add(node, (RDF.type, UNKG.TreatySeriesReference), (UNKG.volume, volume),
                     (UNKG.number, number), (DCTERMS.bibliographicCitation, printed),
                     (UNKG.refersTo, self.entity("instrument", instrument)))

    def events(self) -> None:
        for n, event in enumerate(self.x.events, start=1):
            node = self.part(f"event-{n}")
            self.add(self.doc, (UNKG.mentionsEvent, node))
            self.add(node, (RDF.type, UNKG.Event), (RDFS.label, event.label), (UNKG.date, _date(event.date)),
                     (UNKG.startDate, _date(event.start)), (UNKG.endDate, _date(event.end)),
                     (UNKG.inParagraph, self.part_for(event.paragraph)))

    def footnotes(self) -> None:
        """Every printed footnote, plus any one a citation points to that the parser did not keep."""
        parsed = self.x.parsed.footnotes
        for number in sorted(set(parsed) | self.footnotes_needed):
            marked = self.marker_paragraph.get(number)
            text = parsed[number].text if number in parsed else None
            self.add(self.part(f"fn{number}"), (RDF.type, UNKG.Footnote), (ELI.is_part_of, self.doc),
                     (UNKG.footnoteNumber, number), (RDF.value, text),
                     (UNKG.markedIn, self.part(marked) if marked else None))

    def header(self) -> None:
        if self.header_needed:
            self.add(self.part("header"), (RDF.type, UNKG.Header), (ELI.is_part_of, self.doc),
                     (DCTERMS.isPartOf, self.doc), (RDF.value, self.x.parsed.header))

    def provenance(self, source_uri: URIRef, source_path: Path, ingested_at: datetime) -> None:
        agent = URIRef(agent_iri(self.base))
        self.add(URIRef(graph_iri_for(self.x.identifier, self.base)), (RDF.type, PROV.Entity),
                 (PROV.wasDerivedFrom, source_uri), (UNKG.sourceFile, source_path.name),
                 (UNKG.sha256, self.x.checksum.lower()), (PROV.generatedAtTime, _datetime(ingested_at)),
                 (UNKG.pipelineVersion, PIPELINE_VERSION), (PROV.wasAttributedTo, agent),
                 (UNKG.describes, self.doc))
        self.add(agent, (RDF.type, PROV.SoftwareAgent), (RDFS.label, "unkg ingest pipeline"))


def build_document_graph(extraction: Extraction, *, base: str = DEFAULT_BASE, source_path: Path,
                         ingested_at: datetime, authority: Authority | None = None) -> NamedGraph:
    """The named graph of one source document, as ``docs/rdf-model.md`` describes it.

    Deterministic: the same extraction, path and time give the same triples in
    the same order.  ``ingested_at`` is the only input that changes between
    runs; a caller that wants a re-ingest of an unchanged file to leave the
    store identical passes the time already recorded for that checksum.
    """
    builder = _DocumentGraphBuilder(extraction, base, authority or load_authority())
    return builder.build(Path(source_path), ingested_at)


# --------------------------------------------------------------------------- authority graph

_SCHEMES = (("instrument", "instruments", UNKG.Instrument, "International instruments"),
            ("body", "bodies", UNKG.Body, "United Nations bodies and other organizations"),
            ("state", "states", UNKG.MemberState, "Member States"))


def _concept(entry: AuthorityEntry, cls: URIRef, scheme: URIRef, base: str) -> Iterable[Triple]:
    node = URIRef(entity_iri(entry.kind, entry.key, base))
    yield node, RDF.type, SKOS.Concept
    yield node, RDF.type, cls
    if entry.unts:
        yield node, RDF.type, UNKG.Treaty
    yield node, SKOS.inScheme, scheme
    yield node, SKOS.prefLabel, _term(entry.label)
    for alias in entry.aliases:
        if alias != entry.label:  # SKOS: prefLabel and altLabel are disjoint
            yield node, SKOS.altLabel, _term(alias)
    yield node, SKOS.notation, _term(entry.key)
    if entry.unts:
        yield node, UNKG.untsVolume, _term(entry.unts[0])
        yield node, UNKG.untsNumber, _term(entry.unts[1])
    if entry.adopted_by:
        adopting = URIRef(target_iri(entry.adopted_by, base))
        yield node, UNKG.adoptedBy, adopting
        yield adopting, RDF.type, UNKG.Document
        yield adopting, DCTERMS.identifier, _term(entry.adopted_by)
    if entry.parent:
        yield node, SKOS.broader, URIRef(entity_iri(entry.kind, entry.parent, base))


def build_authority_graph(authority: Authority, base: str = DEFAULT_BASE) -> NamedGraph:
    """Instruments, bodies and Member States as SKOS concepts in three concept schemes."""
    base = normalize_base(base)
    triples: dict[Triple, None] = {}
    entries = {"instrument": authority.instruments, "body": authority.bodies, "state": authority.states}
    for kind, plural, cls, title in _SCHEMES:
        scheme = URIRef(f"{base}scheme/{plural}")
        triples[(scheme, RDF.type, SKOS.ConceptScheme)] = None
        triples[(scheme, DCTERMS.title, _term(title))] = None
        for entry in entries[kind]:
            for triple in _concept(entry, cls, scheme, base):
                triples[triple] = None
    return NamedGraph(authority_graph_iri(base), tuple(triples))


# --------------------------------------------------------------------------- ontology graph


@lru_cache(maxsize=1)
def _ontology_triples() -> tuple[Triple, ...]:
    text = resources.files("ontology").joinpath("unkg.ttl").read_text(encoding="utf-8")
    graph = Graph().parse(data=text, format="turtle")
    if any(isinstance(term, BNode) for triple in graph for term in triple):
        raise ValueError("ontology/unkg.ttl must not use blank nodes: reloading it would duplicate them")
    return tuple(sorted(graph, key=lambda t: tuple(term.n3() for term in t)))


def build_ontology_graph(base: str = DEFAULT_BASE) -> NamedGraph:
    """The triples of ``ontology/unkg.ttl`` in the graph ``{base}graph/ontology``."""
    return NamedGraph(ontology_graph_iri(base), _ontology_triples())
