"""What the web interface's pages show beyond the JSON lookups: the corpus overview, search, footnotes and
citations marked up inside the text of a document.

Citation offsets in the store (``unkg:startOffset``) count from the start of
the whole normalized document, not of a paragraph, and paragraph texts are
stored without their position in it; so a citation is placed in its
paragraph (or in a footnote the paragraph marks) by finding its printed
surface there, left to right, each occurrence after the previous one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from .entity_lookups import load_entities
from .graph import Graph
from .html import document_link
from .lookups import citation_edges, corpus_summaries, identifier_of, known_identifiers, text
from .models import Citation, DocumentSummary, Paragraph, RoleDocument

TOP = 10
"""How many most-cited documents and instruments the home page lists."""
SEARCH_LIMIT = 100


@dataclass(frozen=True)
class Segment:
    """A run of a paragraph's text, and the citation it prints if it is one."""

    text: str
    citation: Citation | None = None


@dataclass
class TextBlock:
    """A paragraph or footnote as segments, for the template to mark citations up."""

    id: str
    label: str
    kind: str
    text: str
    segments: list[Segment] = field(default_factory=list)
    spans: list[tuple[int, int, Citation]] = field(default_factory=list)


@dataclass(frozen=True)
class Ranked:
    """A document or instrument with its count, for the home page's top lists."""

    label: str
    href: str
    count: int
    note: str | None = None


def corpus_overview(graph: Graph) -> dict[str, Any]:
    """Documents by body and year, the most-cited documents and instruments: the home page's figures."""
    summaries = list(corpus_summaries(graph).values())
    by_body_year: Counter[tuple[str, str]] = Counter(
        (s.body or "unknown", (s.date or "")[:4] or "undated") for s in summaries)
    years = sorted({year for _, year in by_body_year})
    bodies = sorted({body for body, _ in by_body_year})
    table = [(body, [by_body_year.get((body, year), 0) for year in years],
              sum(by_body_year.get((body, year), 0) for year in years)) for body in bodies]
    return {"total": len(summaries), "years": years, "table": table,
            "documents": most_cited_documents(graph), "instruments": most_cited_instruments(graph)}


def most_cited_documents(graph: Graph, limit: int = TOP) -> list[Ranked]:
    """Documents cited by the most distinct documents of the corpus."""
    citing: Counter[str] = Counter()
    for (_, target), _count in citation_edges(graph).items():
        citing[target] += 1
    titles = {iri: s.title for iri, s in corpus_summaries(graph).items()}
    ranked = sorted(citing.items(), key=lambda item: (-item[1], item[0]))[:limit]
    out = []
    for iri, count in ranked:
        identifier = identifier_of(graph, iri)
        out.append(Ranked(identifier, document_link(identifier), count, titles.get(iri)))
    return out


def most_cited_instruments(graph: Graph, limit: int = TOP) -> list[Ranked]:
    """Instruments named by the most documents of the corpus."""
    rows = graph.select("""SELECT ?i (COUNT(DISTINCT ?doc) AS ?n) WHERE {
        GRAPH ?g { ?g unkg:describes ?doc . ?doc unkg:namesInstrument ?i } } GROUP BY ?i""")
    entities = {e.iri: e for e in load_entities(graph, "instrument").values()}
    counted = sorted(((str(r["i"]), int(str(r["n"]))) for r in rows), key=lambda item: (-item[1], item[0]))
    out = []
    for iri, count in counted[:limit]:
        entity = entities.get(iri)
        key = entity.key if entity else iri.rstrip("/").rpartition("/")[2]
        out.append(Ranked(entity.label if entity else key, f"/instrument/{key}", count, key))
    return out


def search_documents(graph: Graph, query: str, limit: int = SEARCH_LIMIT) -> list[DocumentSummary]:
    """Documents whose symbol or title contains ``query`` (case-insensitive); cited-only ones by symbol.

    Exact symbol matches come first, then the corpus, newest first.
    """
    needle = query.strip().casefold()
    if not needle:
        return []
    summaries = corpus_summaries(graph)
    hits = [s for s in summaries.values()
            if needle in s.identifier.casefold() or needle in (s.title or "").casefold()]
    in_corpus = {s.identifier for s in summaries.values()}
    hits.sort(key=lambda s: s.date or "", reverse=True)
    hits.sort(key=lambda s: s.identifier.casefold() != needle)
    cited_only = [DocumentSummary(identifier=i, iri="", in_corpus=False, symbol=i, doc_type=None, body=None, date=None)
                  for i in known_identifiers(graph)
                  if i not in in_corpus and needle in i.casefold()]
    return (hits + cited_only)[:limit]


def footnotes(graph: Graph, node: URIRef) -> list[tuple[int, str, str | None]]:
    """(number, text, id of the paragraph marking it) for every footnote of a document, in order."""
    rows = graph.select("""SELECT ?doc ?part ?number ?value ?marked WHERE {
        GRAPH ?g { ?g unkg:describes ?doc . ?part eli:is_part_of ?doc ; a unkg:Footnote .
          OPTIONAL { ?part unkg:footnoteNumber ?number } OPTIONAL { ?part rdf:value ?value }
          OPTIONAL { ?part unkg:markedIn ?marked } } }""", bindings={"doc": node})
    notes = []
    for row in rows:
        number = int(str(row["number"])) if row.get("number") is not None else 0
        marked = text(row.get("marked"))
        notes.append((number, text(row.get("value")) or "", marked.rpartition("#")[2] if marked else None))
    return sorted(notes)


def marked_text(paragraphs: list[Paragraph], notes: list[tuple[int, str, str | None]],
                citations: list[Citation]) -> tuple[list[TextBlock], list[TextBlock]]:
    """Paragraphs and footnotes split into segments, each citation found by its surface where it is printed."""
    blocks = [TextBlock(p.id, p.id, p.kind, p.text or "") for p in paragraphs]
    note_blocks = [TextBlock(f"fn{n}", str(n), "footnote", value) for n, value, _ in notes]
    by_id = {b.id: b for b in blocks}
    notes_of: dict[str, list[TextBlock]] = defaultdict(list)
    for block, (_, _, marked) in zip(note_blocks, notes, strict=True):
        if marked:
            notes_of[marked].append(block)
    for citation in citations:
        if not citation.text:
            continue
        home = by_id.get(citation.paragraph or "")
        candidates = ([home] if home else []) + notes_of.get(citation.paragraph or "", []) + note_blocks
        for block in candidates:
            if _place(block, citation):
                break
    for block in (*blocks, *note_blocks):
        block.segments = _segments(block)
    return blocks, note_blocks


def _place(block: TextBlock, citation: Citation) -> bool:
    """Record the first occurrence of the citation's surface after the block's last placed citation."""
    surface = citation.text or ""
    start = block.spans[-1][1] if block.spans else 0
    found = block.text.find(surface, start)
    if found < 0:
        return False
    block.spans.append((found, found + len(surface), citation))
    return True


def _segments(block: TextBlock) -> list[Segment]:
    out: list[Segment] = []
    position = 0
    for start, end, citation in sorted(block.spans, key=lambda span: span[0]):
        if start < position:
            continue
        if start > position:
            out.append(Segment(block.text[position:start]))
        out.append(Segment(block.text[start:end], citation))
        position = end
    if position < len(block.text) or not out:
        out.append(Segment(block.text[position:]))
    return out


def by_year(documents: list[RoleDocument]) -> list[tuple[str, list[RoleDocument]]]:
    """Documents grouped by the year of their date, newest year first; undated last."""
    groups: dict[str, list[RoleDocument]] = defaultdict(list)
    for document in documents:
        groups[(document.date or "")[:4] or "undated"].append(document)
    return _newest_first(groups)


def _newest_first(groups: dict[str, list[RoleDocument]]) -> list[tuple[str, list[RoleDocument]]]:
    dated = sorted(((y, d) for y, d in groups.items() if y != "undated"), reverse=True)
    return dated + ([("undated", groups["undated"])] if "undated" in groups else [])
