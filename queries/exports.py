"""The citation network and the document table, read from the store for analysis tools.

``unkg export`` and ``/api/export/...`` both call this module, so the CLI and
the service hand out the same files.  The network has one edge per
(citing, cited) pair -- the direct ``unkg:cites`` edges of the graph -- with
the occurrences behind it (paragraph, clause verb, CiTO characterization, in
document order) folded into aligned lists and a weight, because networkx,
Gephi and pandas all expect a simple directed graph, not one edge per
occurrence.  Its nodes are the documents of the corpus and every document
they cite.

The writers live in ``queries.network_formats``; this module only reads.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from rdflib.term import Node

from ingest.rdf import normalize_base
from ingest.symbols import FAMILIES

from .binding import Selectable

CITO = "http://purl.org/spar/cito/"


@dataclass(frozen=True)
class DocumentNode:
    """A document of the network: ingested (with its metadata) or only cited (with what its symbol tells)."""

    identifier: str
    iri: str
    in_corpus: bool
    title: str | None = None
    doc_type: str | None = None
    body: str | None = None
    date: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class CitationEdge:
    """All the citations from one document to another: ``occurrences`` of them, described in aligned lists."""

    source: str
    target: str
    occurrences: int
    paragraphs: tuple[str, ...]
    verbs: tuple[str, ...]
    characterizations: tuple[str, ...]
    source_year: int | None
    target_year: int | None
    source_body: str | None
    target_body: str | None
    target_in_corpus: bool


@dataclass(frozen=True)
class CitationNetwork:
    nodes: tuple[DocumentNode, ...]
    edges: tuple[CitationEdge, ...]


@dataclass
class DocumentRecord:
    """One row of the document table: the metadata of one ingested document and its counts."""

    identifier: str
    iri: str
    symbol: str | None = None
    title: str | None = None
    doc_type: str | None = None
    body: str | None = None
    recommended_by: str | None = None
    resolution_number: str | None = None
    adoption_date: str | None = None
    distribution_date: str | None = None
    year: int | None = None
    distribution: str | None = None
    session: str | None = None
    agenda_item: str | None = None
    meeting: str | None = None
    preambular_paragraphs: int | None = None
    operative_paragraphs: int | None = None
    citations: int = 0
    cited_documents: int = 0
    cited_by: int = 0
    sponsors: list[str] = field(default_factory=list)
    related_symbols: list[str] = field(default_factory=list)
    instruments: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    source_file: str | None = None


DOCUMENT_COLUMNS = tuple(DocumentRecord.__dataclass_fields__)
"""The columns of ``unkg export documents``, in order."""

_SINGLE = {
    "dcterms:identifier": "symbol", "dcterms:title": "title", "unkg:documentType": "doc_type",
    "eli:passed_by": "body", "unkg:recommendedBy": "recommended_by", "unkg:resolutionNumber": "resolution_number",
    "eli:date_document": "adoption_date", "unkg:distributionDate": "distribution_date",
    "unkg:distribution": "distribution", "unkg:session": "session", "unkg:agendaItem": "agenda_item",
    "unkg:meeting": "meeting", "unkg:preambularParagraphCount": "preambular_paragraphs",
    "unkg:operativeParagraphCount": "operative_paragraphs",
}
_MULTI = {"unkg:sponsor": "sponsors", "unkg:relatedSymbol": "related_symbols",
          "unkg:namesInstrument": "instruments", "unkg:namesBody": "bodies", "unkg:namesState": "states"}
_INTEGERS = {"preambular_paragraphs", "operative_paragraphs"}
_KEYED = {"body", "recommended_by", "sponsors", "instruments", "bodies", "states"}
"""Fields holding an authority IRI, exported as the key (``ecosoc``, ``untoc``)."""


class _Names:
    """Readable names for the IRIs of one base: document identifiers and authority keys."""

    def __init__(self, base: str) -> None:
        self.base = normalize_base(base)
        self.documents = self.base + "document/"

    def identifier(self, iri: Node | str) -> str:
        text = str(iri)
        return unquote(text[len(self.documents):]) if text.startswith(self.documents) else text

    def key(self, iri: Node | str | None) -> str | None:
        if iri is None:
            return None
        text = str(iri)
        if text.startswith(self.base):
            return unquote(text[len(self.base):].partition("/")[2])
        return text


def _year(value: Any) -> int | None:
    text = str(value) if value is not None else ""
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


def _family_body(identifier: str) -> str | None:
    """The body whose resolution or decision series a symbol belongs to (``A/RES/64/293`` -> general-assembly)."""
    prefixes = sorted(((pattern.split("{n}")[0], family.name) for family in FAMILIES.values()
                       for pattern in (family.resolution, family.decision) if pattern), key=lambda p: -len(p[0]))
    return next((name for prefix, name in prefixes if identifier.startswith(prefix)), None)


# --------------------------------------------------------------------------- documents


def corpus_documents(store: Selectable, base: str) -> list[DocumentRecord]:
    """Every ingested document with its metadata and counts, oldest first (undated last)."""
    names = _Names(base)
    records: dict[str, DocumentRecord] = {}
    rows = store.select("""SELECT ?doc ?p ?o ?file WHERE { GRAPH ?g {
        ?g unkg:describes ?doc . OPTIONAL { ?g unkg:sourceFile ?file } OPTIONAL { ?doc ?p ?o } } }""")
    predicates = {_expand(k): v for k, v in {**_SINGLE, **_MULTI}.items()}
    for row in rows:
        iri = str(row["doc"])
        record = records.setdefault(iri, DocumentRecord(identifier=names.identifier(iri), iri=iri))
        if row.get("file") is not None:
            record.source_file = str(row["file"])
        name = predicates.get(str(row.get("p")))
        if name is None or row.get("o") is None:
            continue
        value: Any = names.key(row["o"]) if name in _KEYED else str(row["o"])
        if name in _MULTI.values():
            getattr(record, name).append(value)
        else:
            setattr(record, name, int(value) if name in _INTEGERS else value)
    for iri, counts in _citation_counts(store).items():
        if iri in records:
            record = records[iri]
            record.citations, record.cited_documents, record.cited_by = counts
    for record in records.values():
        record.year = _year(record.adoption_date or record.distribution_date)
        for name in _MULTI.values():
            setattr(record, name, sorted(set(getattr(record, name))))
    return sorted(records.values(), key=lambda r: (r.adoption_date or r.distribution_date or "9999", r.identifier))


def _expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    namespaces = {"dcterms": "http://purl.org/dc/terms/", "eli": "http://data.europa.eu/eli/ontology#",
                  "unkg": "https://w3id.org/unkg/ontology#"}
    return namespaces[prefix] + local


def _citation_counts(store: Selectable) -> dict[str, tuple[int, int, int]]:
    """Per document IRI: citation occurrences in it, distinct documents it cites, corpus documents citing it."""
    made = store.select("""SELECT ?doc (COUNT(DISTINCT ?c) AS ?n) (COUNT(DISTINCT ?t) AS ?targets) WHERE {
        ?c cito:hasCitingEntity ?doc ; cito:hasCitedEntity ?t } GROUP BY ?doc""")
    received = store.select("""SELECT ?doc (COUNT(DISTINCT ?s) AS ?n) WHERE {
        ?s unkg:cites ?doc . GRAPH ?g { ?g unkg:describes ?s } } GROUP BY ?doc""")
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in made:
        counts[str(row["doc"])][0:2] = [int(row["n"]), int(row["targets"])]
    for row in received:
        counts[str(row["doc"])][2] = int(row["n"])
    return {iri: (c[0], c[1], c[2]) for iri, c in counts.items()}


# --------------------------------------------------------------------------- the citation network


def citation_network(store: Selectable, base: str) -> CitationNetwork:
    """The document citation network: one edge per direct ``unkg:cites`` edge, nodes for all its ends."""
    names = _Names(base)
    corpus = {r.iri: r for r in corpus_documents(store, base)}
    occurrences: dict[tuple[str, str], list[tuple[int, int, str, str, str]]] = defaultdict(list)
    printed_years: dict[str, list[int]] = defaultdict(list)
    rows = store.select("""SELECT ?s ?t ?part ?order ?start ?verb ?char ?tdate WHERE {
        ?c cito:hasCitingEntity ?s ; cito:hasCitedEntity ?t .
        OPTIONAL { ?c unkg:inParagraph ?part . OPTIONAL { ?part unkg:order ?order } }
        OPTIONAL { ?c unkg:startOffset ?start } OPTIONAL { ?c unkg:clauseVerb ?verb }
        OPTIONAL { ?c cito:hasCitationCharacterization ?char } OPTIONAL { ?c unkg:targetDate ?tdate } }""")
    for row in rows:
        source, target = str(row["s"]), str(row["t"])
        char = str(row["char"]) if row.get("char") is not None else ""
        occurrences[(source, target)].append((
            int(row["order"]) if row.get("order") is not None else 0,
            int(row["start"]) if row.get("start") is not None else 0,
            str(row["part"]).rpartition("#")[2] if row.get("part") is not None else "",
            str(row["verb"]) if row.get("verb") is not None else "",
            "cito:" + char[len(CITO):] if char.startswith(CITO) else char))
        if (year := _year(row.get("tdate"))) is not None:
            printed_years[target].append(year)
    pairs = {(str(r["s"]), str(r["t"])) for r in store.select("SELECT DISTINCT ?s ?t WHERE { ?s unkg:cites ?t }")}
    pairs |= set(occurrences)  # an occurrence always has its direct edge; this only guards a partial graph

    def node(iri: str) -> DocumentNode:
        if iri in corpus:
            record = corpus[iri]
            return DocumentNode(record.identifier, iri, True, record.title, record.doc_type, record.body,
                                record.adoption_date or record.distribution_date, record.year)
        identifier = names.identifier(iri)
        years = printed_years.get(iri)
        return DocumentNode(identifier, iri, False, body=_family_body(identifier), year=min(years) if years else None)

    nodes = {iri: node(iri) for iri in sorted({*corpus, *(end for pair in pairs for end in pair)})}
    edges = []
    for source, target in sorted(pairs, key=lambda p: (nodes[p[0]].identifier, nodes[p[1]].identifier)):
        found = sorted(occurrences.get((source, target), []))
        edges.append(CitationEdge(
            source=nodes[source].identifier, target=nodes[target].identifier, occurrences=len(found),
            paragraphs=tuple(o[2] for o in found), verbs=tuple(o[3] for o in found),
            characterizations=tuple(o[4] for o in found), source_year=nodes[source].year,
            target_year=nodes[target].year, source_body=nodes[source].body, target_body=nodes[target].body,
            target_in_corpus=nodes[target].in_corpus))
    ordered = sorted(nodes.values(), key=lambda n: (not n.in_corpus, n.identifier))
    return CitationNetwork(tuple(ordered), tuple(edges))
