"""Routes: documents, their citations both ways, citation paths and networks, and one document's graph.

Symbols contain slashes and are used as printed (``/api/documents/A/RES/72/1``),
so the routes with a suffix after the symbol (``/citations``, ``.ttl`` ...)
are declared before the plain ``{symbol:path}`` route that would swallow them.
Endpoints are plain ``def``: FastAPI runs them in its thread pool, where each
store call runs to completion in one thread.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from rdflib import URIRef

from ..app import get_graph, get_settings
from ..citation_graph import cached_citation_graph, edges_among, neighbourhood, shortest_paths
from ..entity_lookups import resolve_entity
from ..errors import BadRequest, NotFound
from ..graph import Graph
from ..linked_data import JSONLD, NQUADS, NTRIPLES, TURTLE, RdfFormat, content_type, named_graph, serialize
from ..lookups import (
    DocumentFilters,
    citation_edges,
    citations_of,
    cited_by,
    corpus_summaries,
    document_detail,
    document_node,
    identifier_of,
    list_documents,
    require_document,
)
from ..models import (
    CitationList,
    CitationNetwork,
    CitationPaths,
    CitedByList,
    DocumentDetail,
    DocumentPage,
    ErrorBody,
    NetworkEdge,
    NetworkNode,
)
from ..settings import ServiceSettings

router = APIRouter(tags=["documents"])

GraphDep = Annotated[Graph, Depends(get_graph)]
SettingsDep = Annotated[ServiceSettings, Depends(get_settings)]
Responses = dict[int | str, dict[str, Any]]
NOT_FOUND: Responses = {404: {"model": ErrorBody,
                              "description": "Unknown document (with near symbols as suggestions)."}}
BAD_REQUEST: Responses = {400: {"model": ErrorBody, "description": "Conflicting or out-of-range parameters."}}
MAX_PATHS = 50


def check_page(limit: int, settings: ServiceSettings) -> None:
    if limit > settings.max_page_size:
        raise BadRequest("limit too large", {"limit": limit, "max": settings.max_page_size})


def _resolve_filter(graph: Graph, kind: str, name: str | None) -> URIRef | None:
    """The IRI of the entity a filter names; an unknown one is a bad request, not an empty list."""
    if name is None:
        return None
    try:
        return URIRef(resolve_entity(graph, kind, name).iri)
    except NotFound as exc:
        raise BadRequest(exc.error, exc.detail) from None


@router.get("/api/documents", response_model=DocumentPage, responses=BAD_REQUEST)
def documents(
    graph: GraphDep, settings: SettingsDep,
    body: Annotated[str | None, Query(description="Key or name of the adopting body (ecosoc, ...).")] = None,
    type: Annotated[str | None, Query(description="doc_type: resolution, draft_resolution, ...")] = None,
    year: Annotated[int | None, Query(ge=1945, le=2999, description="Year of the document's date.")] = None,
    date_from: Annotated[date | None, Query(alias="from", description="Earliest date (ISO), inclusive.")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="Latest date (ISO), inclusive.")] = None,
    instrument: Annotated[str | None, Query(description="Key or name of an instrument the document names.")] = None,
    sponsor: Annotated[str | None, Query(description="Name or key of a sponsoring Member State.")] = None,
    cites: Annotated[str | None, Query(description="Symbol of a document it cites.")] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=200, description="Words in the title.")] = None,
    limit: Annotated[int, Query(ge=1, description="Page size, at most max_page_size (500).")] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> DocumentPage:
    """Documents of the corpus, newest first; the date is the adoption date (the distribution date of a draft)."""
    check_page(limit, settings)
    if year is not None:
        if date_from or date_to:
            raise BadRequest("conflicting parameters", "give either year or from/to, not both")
        date_from, date_to = date(year, 1, 1), date(year, 12, 31)
    if date_from and date_to and date_from > date_to:
        raise BadRequest("empty date range", {"from": date_from.isoformat(), "to": date_to.isoformat()})
    filters = DocumentFilters(
        body=_resolve_filter(graph, "body", body), doc_type=type, date_from=date_from, date_to=date_to,
        instrument=_resolve_filter(graph, "instrument", instrument),
        sponsor=_resolve_filter(graph, "state", sponsor),
        cites=document_node(graph, cites.strip()) if cites else None, q=q,
    )
    total, items = list_documents(graph, filters, limit, offset)
    return DocumentPage(total=total, limit=limit, offset=offset, items=items)


@router.get("/api/documents/{symbol:path}/citations", response_model=CitationList, responses=NOT_FOUND)
def document_citations(symbol: str, graph: GraphDep) -> CitationList:
    """The citations this document makes, in document order (empty for a document that is only cited)."""
    node, _ = require_document(graph, symbol)
    return CitationList(symbol=identifier_of(graph, node), citations=citations_of(graph, node))


@router.get("/api/documents/{symbol:path}/cited-by", response_model=CitedByList, responses=NOT_FOUND)
def document_cited_by(symbol: str, graph: GraphDep) -> CitedByList:
    """Where the corpus cites this document, also when the document itself is not ingested."""
    node, _ = require_document(graph, symbol)
    return CitedByList(symbol=identifier_of(graph, node), cited_by=cited_by(graph, node))


@router.get("/api/documents/{symbol:path}/network", response_model=CitationNetwork,
            responses={**NOT_FOUND, **BAD_REQUEST})
def document_network(
    symbol: str, graph: GraphDep, settings: SettingsDep,
    depth: Annotated[int, Query(ge=1, description="Citation steps, at most max_network_depth (3).")] = 1,
) -> CitationNetwork:
    """The citation neighbourhood: documents within ``depth`` steps, following citations both ways."""
    if depth > settings.max_network_depth:
        raise BadRequest("depth too large", {"depth": depth, "max": settings.max_network_depth})
    node, _ = require_document(graph, symbol)
    citations = cached_citation_graph(graph, graph.version(), lambda: citation_edges(graph))
    nodes, truncated = neighbourhood(citations, str(node), depth)
    summaries = corpus_summaries(graph)
    ordered = sorted(nodes, key=lambda iri: identifier_of(graph, iri))
    return CitationNetwork(
        symbol=identifier_of(graph, node), depth=depth, truncated=truncated,
        nodes=[NetworkNode(symbol=identifier_of(graph, iri), in_corpus=iri in summaries,
                           title=summaries[iri].title if iri in summaries else None) for iri in ordered],
        edges=[NetworkEdge(source=identifier_of(graph, s), target=identifier_of(graph, t), count=n)
               for s, t, n in edges_among(citations, nodes)],
    )


@router.get("/api/citations/path", response_model=CitationPaths, response_model_by_alias=True,
            responses={404: {"model": ErrorBody, "description": "Unknown document, or no chain within max_depth."},
                       **BAD_REQUEST})
def citation_path(
    graph: GraphDep, settings: SettingsDep,
    source: Annotated[str, Query(alias="from", description="Symbol of the citing end.")],
    target: Annotated[str, Query(alias="to", description="Symbol of the cited end.")],
    max_depth: Annotated[int | None, Query(ge=1, description="At most max_path_depth (6).")] = None,
) -> CitationPaths:
    """Every shortest chain in which ``from`` cites a document that cites ... ``to`` (up to 50 chains)."""
    depth = settings.max_path_depth if max_depth is None else max_depth
    if depth > settings.max_path_depth:
        raise BadRequest("max_depth too large", {"max_depth": depth, "max": settings.max_path_depth})
    start, _ = require_document(graph, source)
    goal, _ = require_document(graph, target)
    citations = cached_citation_graph(graph, graph.version(), lambda: citation_edges(graph))
    paths, truncated = shortest_paths(citations, str(start), str(goal), depth, cap=MAX_PATHS)
    start_id, goal_id = identifier_of(graph, start), identifier_of(graph, goal)
    if not paths:
        reverse, _ = shortest_paths(citations, str(goal), str(start), depth, cap=1)
        hint = "; the other direction has one: swap from and to" if reverse else ""
        raise NotFound("no citation path", {"from": start_id, "to": goal_id, "max_depth": depth,
                                            "message": f"{start_id} does not reach {goal_id} through "
                                                       f"at most {depth} citations{hint}"})
    return CitationPaths.model_validate({
        "from": start_id, "to": goal_id, "length": len(paths[0]) - 1, "truncated": truncated,
        "paths": [[identifier_of(graph, iri) for iri in path] for path in paths]})


def _graph_response(graph: Graph, symbol: str, fmt: RdfFormat) -> Response:
    """One document's named graph; a document that is only cited has none."""
    node, in_corpus = require_document(graph, symbol)
    rows = graph.select("SELECT ?doc ?g WHERE { GRAPH ?g { ?g unkg:describes ?doc } } LIMIT 1", bindings={"doc": node})
    if not in_corpus or not rows:
        raise NotFound("document not in the corpus", {
            "symbol": symbol, "message": "the document is only cited, so it has no graph of its own; "
                                         f"its description is at /document/{symbol}"})
    body = serialize(named_graph(graph, str(rows[0]["g"])), fmt)
    return Response(body, media_type=content_type(fmt))


RDF_RESPONSES: Responses = {**NOT_FOUND, 200: {"content": {TURTLE.media_type: {}}}}


@router.get("/api/documents/{symbol:path}.ttl", response_class=Response, responses=RDF_RESPONSES)
def document_turtle(symbol: str, graph: GraphDep) -> Response:
    """The document's named graph as Turtle."""
    return _graph_response(graph, symbol, TURTLE)


@router.get("/api/documents/{symbol:path}.nt", response_class=Response,
            responses={**NOT_FOUND, 200: {"content": {NTRIPLES.media_type: {}}}})
def document_ntriples(symbol: str, graph: GraphDep) -> Response:
    """The document's named graph as N-Triples."""
    return _graph_response(graph, symbol, NTRIPLES)


@router.get("/api/documents/{symbol:path}.nq", response_class=Response,
            responses={**NOT_FOUND, 200: {"content": {NQUADS.media_type: {}}}})
def document_nquads(symbol: str, graph: GraphDep) -> Response:
    """The document's named graph as N-Quads (the graph name kept)."""
    return _graph_response(graph, symbol, NQUADS)


@router.get("/api/documents/{symbol:path}.jsonld", response_class=Response,
            responses={**NOT_FOUND, 200: {"content": {JSONLD.media_type: {}}}})
def document_jsonld(symbol: str, graph: GraphDep) -> Response:
    """The document's named graph as JSON-LD."""
    return _graph_response(graph, symbol, JSONLD)


@router.get("/api/documents/{symbol:path}", response_model=DocumentDetail, responses=NOT_FOUND)
def document(symbol: str, graph: GraphDep) -> DocumentDetail:
    """Metadata, paragraphs and counts; ``in_corpus: false`` for a document that is only cited."""
    return document_detail(graph, symbol)

