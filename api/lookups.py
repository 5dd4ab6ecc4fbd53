"""The SPARQL behind the document and citation routes, and the shaping of its rows into response models.

Every value that comes from a request is bound through ``bindings=`` as a
typed rdflib term; the query texts below only ever vary by which fixed
fragments they include.  Oxigraph requires a bound variable to appear in
the SELECT projection, so each query projects the variables it binds.

Metadata is read inside ``GRAPH ?g { ?g unkg:describes ?doc ... }``: the
union default graph repeats a triple once per graph holding it (a cited
document's identifier sits in every graph citing it), while a document's own
metadata lives in its own graph only.
"""

from __future__ import annotations

import difflib
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any
from urllib.parse import unquote

from rdflib import XSD, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from ingest.rdf import CITO, ELI, UNKG, normalize_base, target_iri

from .errors import NotFound
from .graph import Graph
from .models import (
    Citation,
    CitedBy,
    DocumentCounts,
    DocumentDetail,
    DocumentSummary,
    Paragraph,
)

SUMMARY_VARIABLES = "?doc ?symbol ?title ?type ?body ?adopted ?distributed"
SUMMARY_PATTERN = """
    OPTIONAL { ?doc dcterms:identifier ?symbol }
    OPTIONAL { ?doc dcterms:title ?title }
    OPTIONAL { ?doc unkg:documentType ?type }
    OPTIONAL { ?doc eli:passed_by ?body }
    OPTIONAL { ?doc eli:date_document ?adopted }
    OPTIONAL { ?doc unkg:distributionDate ?distributed }
"""
"""The columns of a ``DocumentSummary``; goes inside ``GRAPH ?g { ?g unkg:describes ?doc ... }``."""


# --------------------------------------------------------------------------- IRIs and identifiers


def document_node(graph: Graph, identifier: str) -> URIRef:
    """The IRI a symbol (or ``local/<stem>``) is minted as: the same function ingest uses."""
    return URIRef(target_iri(identifier, graph.base))


def identifier_of(graph: Graph, iri: Node | str) -> str:
    """The identifier a document IRI was minted from (``A/RES/72/1``, ``local/002_...``)."""
    text = str(iri)
    prefix = normalize_base(graph.base) + "document/"
    return unquote(text[len(prefix):]) if text.startswith(prefix) else text


def key_of(graph: Graph, kind: str, iri: Node | str | None) -> str | None:
    """The authority key of ``{base}{kind}/{key}``; other IRIs are returned as they are."""
    if iri is None:
        return None
    text = str(iri)
    prefix = f"{normalize_base(graph.base)}{kind}/"
    return unquote(text[len(prefix):]) if text.startswith(prefix) else text


def text(term: Node | None) -> str | None:
    return None if term is None else str(term)


def paragraph_label(part: Node | None) -> str | None:
    """The gold schema's paragraph reference from a part IRI: ``P5``, ``O3``, ``header``, ``footnote 7``."""
    if part is None:
        return None
    fragment = str(part).rpartition("#")[2]
    if fragment.startswith("fn") and fragment[2:].isdigit():
        return f"footnote {fragment[2:]}"
    return fragment


def characterization(term: Node | None) -> str | None:
    value = text(term)
    return "cito:" + value[len(CITO):] if value and value.startswith(str(CITO)) else value


def _occurrence(citation: Node) -> int:
    """``#cite-12`` -> 12: citation occurrences are numbered in document order."""
    number = str(citation).rpartition("#cite-")[2]
    return int(number) if number.isdigit() else 0


def _int(term: Node | None) -> int:
    try:
        return int(str(term)) if term is not None else 0
    except ValueError:
        return 0


# --------------------------------------------------------------------------- summaries and lists


def summary_from_row(graph: Graph, row: dict[str, Any]) -> DocumentSummary:
    """A ``DocumentSummary`` from a row holding the ``SUMMARY_VARIABLES``."""
    adopted, distributed = text(row.get("adopted")), text(row.get("distributed"))
    return DocumentSummary(
        identifier=identifier_of(graph, row["doc"]), symbol=text(row.get("symbol")), iri=str(row["doc"]),
        title=text(row.get("title")), doc_type=text(row.get("type")), body=key_of(graph, "body", row.get("body")),
        adoption_date=adopted, distribution_date=distributed, date=adopted or distributed, in_corpus=True,
    )


@dataclass
class DocumentFilters:
    """The filters of ``GET /api/documents``, already resolved to RDF terms."""

    body: URIRef | None = None
    doc_type: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    instrument: URIRef | None = None
    sponsor: URIRef | None = None
    cites: URIRef | None = None
    q: str | None = None

    def clauses(self) -> tuple[str, dict[str, Node]]:
        """The fixed SPARQL fragments of the filters that are set, and the values to bind for them."""
        parts: list[str] = []
        bindings: dict[str, Node] = {}

        def add(name: str, value: Node | None, clause: str) -> None:
            if value is not None:
                bindings[name] = value
                parts.append(clause)

        add("f_body", self.body, "?doc eli:passed_by ?f_body .")
        add("f_type", Literal(self.doc_type) if self.doc_type else None, "?doc unkg:documentType ?f_type .")
        add("f_instrument", self.instrument, "?doc unkg:namesInstrument ?f_instrument .")
        add("f_sponsor", self.sponsor, "?doc unkg:sponsor ?f_sponsor .")
        add("f_cites", self.cites, "?doc unkg:cites ?f_cites .")
        add("f_q", Literal(self.q) if self.q else None,
            "?doc dcterms:title ?f_title . FILTER(CONTAINS(LCASE(STR(?f_title)), LCASE(STR(?f_q))))")
        add("f_from", _xsd_date(self.date_from), "FILTER(?date >= ?f_from)")
        add("f_to", _xsd_date(self.date_to), "FILTER(?date <= ?f_to)")
        return "\n    ".join(parts), bindings


def _xsd_date(value: date | None) -> Literal | None:
    return Literal(value.isoformat(), datatype=XSD.date) if value else None


def list_documents(graph: Graph, filters: DocumentFilters, limit: int,
                   offset: int) -> tuple[int, list[DocumentSummary]]:
    """One page of the corpus documents matching ``filters``, newest first, and the number of all matches."""
    clauses, bindings = filters.clauses()
    where = f"""WHERE {{ GRAPH ?g {{
    ?g unkg:describes ?doc .
    {clauses}
    {SUMMARY_PATTERN}
    BIND(COALESCE(?adopted, ?distributed) AS ?date)
}} }}"""
    bound = " ".join(f"?{name}" for name in bindings)  # Oxigraph wants bound variables projected
    group = f"GROUP BY {bound}" if bound else ""
    counted = graph.select(f"SELECT {bound} (COUNT(DISTINCT ?doc) AS ?n) {where} {group}", bindings=bindings)
    total = _int(counted[0]["n"]) if counted else 0
    # limit and offset are validated integers, never text from the request
    rows = graph.select(
        f"SELECT DISTINCT {SUMMARY_VARIABLES} ?date {bound} {where} "
        f"ORDER BY DESC(?date) ?symbol ?doc LIMIT {int(limit)} OFFSET {int(offset)}",
        bindings=bindings,
    )
    return total, [summary_from_row(graph, row) for row in rows]


_summaries_lock = threading.Lock()
_summaries: dict[int, tuple[str, Mapping[str, DocumentSummary]]] = {}


def corpus_summaries(graph: Graph) -> Mapping[str, DocumentSummary]:
    """Every document of the corpus by IRI (for titles in networks and paths), read once per store version.

    A network or the home page needs it on every request, and reading it is a
    pass over every document graph (170 ms at 1,000 documents).
    """
    version = graph.version()
    with _summaries_lock:
        hit = _summaries.get(id(graph))
        if hit and hit[0] == version:
            return hit[1]
    rows = graph.select(f"SELECT DISTINCT {SUMMARY_VARIABLES} WHERE {{ GRAPH ?g {{ ?g unkg:describes ?doc . "
                        f"{SUMMARY_PATTERN} }} }}")
    summaries = MappingProxyType({str(row["doc"]): summary_from_row(graph, row) for row in rows})
    with _summaries_lock:
        _summaries[id(graph)] = (version, summaries)
    return summaries


# --------------------------------------------------------------------------- one document


def known_identifiers(graph: Graph) -> list[str]:
    """Identifiers of every document node, ingested or only cited."""
    rows = graph.select("SELECT DISTINCT ?doc WHERE { ?doc a unkg:Document }")
    return sorted(identifier_of(graph, row["doc"]) for row in rows)


def suggestions(graph: Graph, identifier: str, limit: int = 5) -> list[str]:
    """Near identifiers for a 404: ``a/res/72/1`` or ``A/RES/72/01`` finds ``A/RES/72/1``."""
    known = known_identifiers(graph)
    folded = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(identifier.casefold(), list(folded), n=limit, cutoff=0.6)
    return [folded[c] for c in close]


def require_document(graph: Graph, identifier: str) -> tuple[URIRef, bool]:
    """The document's IRI and whether it is in the corpus; 404 with suggestions when it is unknown."""
    node = document_node(graph, identifier)
    rows = graph.select("SELECT ?doc ?g WHERE { ?doc a unkg:Document . "
                        "OPTIONAL { GRAPH ?g { ?g unkg:describes ?doc } } } LIMIT 1", bindings={"doc": node})
    if not rows:
        raise NotFound("unknown document", {
            "symbol": identifier,
            "message": f"no document {identifier!r} is ingested or cited in this graph",
            "suggestions": suggestions(graph, identifier),
        })
    return node, rows[0].get("g") is not None


SINGLE_FIELDS = {
    str(DCTERMS.identifier): "symbol", str(UNKG.documentType): "doc_type", str(DCTERMS.title): "title",
    str(UNKG.resolutionNumber): "resolution_number", str(ELI.date_document): "adoption_date",
    str(UNKG.distributionDate): "distribution_date", str(UNKG.distribution): "distribution",
    str(UNKG.session): "session", str(UNKG.agendaItem): "agenda_item", str(UNKG.meeting): "meeting",
}
"""Document predicates with one value, by the ``DocumentDetail`` field they fill."""
ENTITY_FIELDS = {str(UNKG.namesInstrument): ("instruments", "instrument"),
                 str(UNKG.namesBody): ("bodies", "body"), str(UNKG.namesState): ("states", "state")}


def document_detail(graph: Graph, identifier: str) -> DocumentDetail:
    """Metadata, paragraphs and counts of one document (minimal for a document that is only cited)."""
    node, in_corpus = require_document(graph, identifier)
    bind: dict[str, Node] = {"doc": node}
    values: dict[str, Any] = {"identifier": identifier_of(graph, node), "iri": str(node), "in_corpus": in_corpus,
                              "sponsors": [], "related_symbols": [], "instruments": [], "bodies": [], "states": []}
    for row in graph.select("SELECT ?doc ?g ?p ?o WHERE { GRAPH ?g { ?g unkg:describes ?doc . ?doc ?p ?o } }",
                            bindings=bind):
        values["graph"] = str(row["g"])
        predicate, obj = str(row["p"]), row["o"]
        if predicate in SINGLE_FIELDS:
            values[SINGLE_FIELDS[predicate]] = str(obj)
        elif predicate in ENTITY_FIELDS:
            name, kind = ENTITY_FIELDS[predicate]
            values[name].append(key_of(graph, kind, obj))
        elif predicate == str(UNKG.relatedSymbol):
            values["related_symbols"].append(str(obj))
        elif predicate == str(ELI.passed_by):
            values["body"] = key_of(graph, "body", obj)
        elif predicate == str(UNKG.recommendedBy):
            values["recommended_by"] = key_of(graph, "body", obj)
    if not in_corpus:  # a cited node: only its symbol is known
        rows = graph.select("SELECT DISTINCT ?doc ?id WHERE { ?doc dcterms:identifier ?id }", bindings=bind)
        values["symbol"] = text(rows[0]["id"]) if rows else values["identifier"]
    for name in ("related_symbols", "instruments", "bodies", "states"):
        values[name] = sorted(set(values[name]))
    values["sponsors"] = [name for name, _ in sponsor_links(graph, node)]
    values["adopted_instruments"] = sorted(
        key_of(graph, "instrument", row["i"]) or ""
        for row in graph.select("SELECT DISTINCT ?doc ?i WHERE { ?i unkg:adoptedBy ?doc }", bindings=bind))
    if values.get("graph"):
        rows = graph.select("SELECT ?g ?f WHERE { GRAPH ?g { ?g unkg:sourceFile ?f } }",
                            bindings={"g": URIRef(values["graph"])})
        values["source_file"] = text(rows[0]["f"]) if rows else None
    paragraphs = document_paragraphs(graph, node)
    values["paragraphs"] = paragraphs
    values["counts"] = _counts(graph, node, paragraphs, values)
    return DocumentDetail(**values)


def sponsor_links(graph: Graph, node: URIRef) -> list[tuple[str, str]]:
    """(name, key) of each sponsor, by name: the authority label, or the printed name of a State outside it."""
    rows = graph.select("""SELECT DISTINCT ?doc ?state ?pref ?printed WHERE {
        GRAPH ?g { ?g unkg:describes ?doc . ?doc unkg:sponsor ?state }
        OPTIONAL { ?state skos:prefLabel ?pref } OPTIONAL { ?state rdfs:label ?printed } }""",
                        bindings={"doc": node})
    names: dict[str, str] = {}
    for row in rows:
        key = key_of(graph, "state", row["state"]) or str(row["state"])
        names.setdefault(key, text(row.get("pref") or row.get("printed")) or key)
    return sorted(((name, key) for key, name in names.items()), key=lambda pair: pair[0])


def document_paragraphs(graph: Graph, node: URIRef) -> list[Paragraph]:
    rows = graph.select("""SELECT ?doc ?part ?kind ?id ?number ?order ?verb ?value WHERE {
        GRAPH ?g { ?g unkg:describes ?doc .
          ?part eli:is_part_of ?doc ; a ?kind ; unkg:order ?order .
          FILTER(?kind IN (unkg:PreambularParagraph, unkg:OperativeParagraph))
          OPTIONAL { ?part dcterms:identifier ?id } OPTIONAL { ?part unkg:paragraphNumber ?number }
          OPTIONAL { ?part unkg:clauseVerb ?verb } OPTIONAL { ?part rdf:value ?value } } }""",
                        bindings={"doc": node})
    ordered = sorted(rows, key=lambda r: _int(r["order"]))
    return [Paragraph(id=text(r.get("id")) or paragraph_label(r["part"]) or "",
                      kind="preambular" if str(r["kind"]).endswith("PreambularParagraph") else "operative",
                      number=_int(r["number"]) if r.get("number") is not None else None,
                      verb=text(r.get("verb")), text=text(r.get("value"))) for r in ordered]


def _counts(graph: Graph, node: URIRef, paragraphs: list[Paragraph], values: dict[str, Any]) -> DocumentCounts:
    rows = graph.select("""SELECT ?doc (COUNT(DISTINCT ?c) AS ?n) (COUNT(DISTINCT ?t) AS ?targets) WHERE {
        ?c cito:hasCitingEntity ?doc ; cito:hasCitedEntity ?t } GROUP BY ?doc""", bindings={"doc": node})
    citing = graph.select("""SELECT ?doc (COUNT(DISTINCT ?s) AS ?n) WHERE {
        ?c cito:hasCitedEntity ?doc ; cito:hasCitingEntity ?s } GROUP BY ?doc""", bindings={"doc": node})
    preambular = sum(1 for p in paragraphs if p.kind == "preambular")
    return DocumentCounts(
        paragraphs=len(paragraphs), preambular=preambular, operative=len(paragraphs) - preambular,
        citations=_int(rows[0]["n"]) if rows else 0, cited_documents=_int(rows[0]["targets"]) if rows else 0,
        cited_by=_int(citing[0]["n"]) if citing else 0, instruments=len(values["instruments"]),
        bodies=len(values["bodies"]), states=len(values["states"]),
    )


# --------------------------------------------------------------------------- citations


def citations_of(graph: Graph, node: URIRef) -> list[Citation]:
    """The citation occurrences in one document, in document order."""
    rows = graph.select("""SELECT ?doc ?c ?target ?part ?verb ?char ?surface ?tdate ?tg ?ttitle WHERE {
        GRAPH ?g { ?c cito:hasCitingEntity ?doc ; cito:hasCitedEntity ?target .
          OPTIONAL { ?c unkg:inParagraph ?part } OPTIONAL { ?c unkg:clauseVerb ?verb }
          OPTIONAL { ?c cito:hasCitationCharacterization ?char } OPTIONAL { ?c unkg:surface ?surface }
          OPTIONAL { ?c unkg:targetDate ?tdate } }
        OPTIONAL { GRAPH ?tg { ?tg unkg:describes ?target . OPTIONAL { ?target dcterms:title ?ttitle } } } }""",
                        bindings={"doc": node})
    ordered = sorted(rows, key=lambda r: (_occurrence(r["c"]), str(r["c"])))
    return [Citation(target=identifier_of(graph, r["target"]), target_title=text(r.get("ttitle")),
                     paragraph=paragraph_label(r.get("part")), verb=text(r.get("verb")),
                     characterization=characterization(r.get("char")), text=text(r.get("surface")),
                     target_date=text(r.get("tdate")), in_corpus=r.get("tg") is not None) for r in ordered]


def cited_by(graph: Graph, node: URIRef) -> list[CitedBy]:
    """Citation occurrences of this document in the corpus, newest citing document first."""
    rows = graph.select("""SELECT ?doc ?c ?source ?part ?verb ?char ?surface ?stitle ?adopted ?distributed WHERE {
        GRAPH ?g { ?c cito:hasCitedEntity ?doc ; cito:hasCitingEntity ?source .
          OPTIONAL { ?c unkg:inParagraph ?part } OPTIONAL { ?c unkg:clauseVerb ?verb }
          OPTIONAL { ?c cito:hasCitationCharacterization ?char } OPTIONAL { ?c unkg:surface ?surface }
          OPTIONAL { ?source dcterms:title ?stitle } OPTIONAL { ?source eli:date_document ?adopted }
          OPTIONAL { ?source unkg:distributionDate ?distributed } } }""", bindings={"doc": node})
    items = [(r, CitedBy(source=identifier_of(graph, r["source"]), source_title=text(r.get("stitle")),
                         paragraph=paragraph_label(r.get("part")), verb=text(r.get("verb")),
                         characterization=characterization(r.get("char")), text=text(r.get("surface")),
                         date=text(r.get("adopted") or r.get("distributed")))) for r in rows]
    items.sort(key=lambda pair: (pair[1].source, _occurrence(pair[0]["c"])))
    items.sort(key=lambda pair: pair[1].date or "", reverse=True)
    return [item for _, item in items]


def citation_edges(graph: Graph) -> dict[tuple[str, str], int]:
    """Every (citing, cited) pair of the store with its number of occurrences, by IRI."""
    rows = graph.select("""SELECT ?s ?t (COUNT(DISTINCT ?c) AS ?n) WHERE {
        GRAPH ?g { ?c cito:hasCitingEntity ?s ; cito:hasCitedEntity ?t } } GROUP BY ?s ?t""")
    return {(str(r["s"]), str(r["t"])): _int(r["n"]) for r in rows}
