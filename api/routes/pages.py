"""Routes: every IRI minted under the base dereferences here, content-negotiated; ``/ontology`` too.

``GET /document/A/RES/72/1`` describes ``{base}document/A/RES/72/1``: Turtle,
JSON-LD, N-Triples or RDF/XML by ``Accept`` (or ``?format=`` for links a
browser can follow), and an HTML page for a browser.  Every answer carries
``Vary: Accept`` so caches keep the variants apart.  ``*/*`` gets Turtle:
a client that asks for nothing in particular is more likely a program.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from rdflib import RDF, URIRef
from rdflib import Graph as RdfGraph
from rdflib.namespace import OWL, RDFS

from ingest.rdf import UNKG, graph_iri_for, normalize_base

from ..app import get_graph
from ..entity_lookups import SCHEMES, entity_by_key, entity_documents, resolve_entity
from ..errors import NotFound, error_body
from ..graph import Graph
from ..html import document_link, local_link, render, term_view
from ..linked_data import (
    ALIASES,
    HTML,
    NEGOTIABLE,
    NQUADS,
    TURTLE,
    RdfFormat,
    content_type,
    describe,
    graph_overview,
    named_graph,
    negotiate,
    ontology_graph,
    ontology_text,
    serialize,
)
from ..lookups import citations_of, cited_by, document_detail, document_node, sponsor_links
from ..models import ErrorBody
from ..web import by_year, footnotes, marked_text

router = APIRouter(tags=["linked data"])

GraphDep = Annotated[Graph, Depends(get_graph)]
FormatParam = Annotated[str | None, Query(alias="format", description="turtle, jsonld, nt, rdfxml or html; "
                                                                     "overrides Accept.")]
VARY = {"Vary": "Accept"}
PAGE_ROWS = 200
"""Entity pages list this many documents; the JSON API pages through the rest."""
RDF_CONTENT: dict[str, Any] = {"content": {f.media_type: {} for f in NEGOTIABLE},
                               "description": "The resource's description."}
FAILURES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "Unknown resource: JSON, or an HTML page for a browser."},
    406: {"model": ErrorBody, "description": "None of the accepted media types can be served."},
}
PAGE_RESPONSES: dict[int | str, dict[str, Any]] = {200: RDF_CONTENT, **FAILURES}


def choose(request: Request, format_name: str | None, offered: tuple[RdfFormat, ...] = NEGOTIABLE) -> RdfFormat:
    """The format to answer in: ``?format=`` first, then ``Accept``; 406 when nothing offered is acceptable."""
    if format_name:
        fmt = ALIASES.get(format_name.lower())
        if fmt is None or fmt not in offered:
            raise _Unacceptable(offered)
        return fmt
    fmt = negotiate(request.headers.get("accept"), offered)
    if fmt is None:
        raise _Unacceptable(offered)
    return fmt


class _Unacceptable(Exception):
    def __init__(self, offered: tuple[RdfFormat, ...]) -> None:
        self.offered = offered


def _not_acceptable(exc: _Unacceptable) -> Response:
    return JSONResponse(error_body("not acceptable", {"available": [f.media_type for f in exc.offered],
                                                      "formats": sorted({f.name for f in exc.offered})}),
                        status_code=406, headers=VARY)


def not_found(fmt: RdfFormat, base: str, error: str, message: str, near: Sequence[tuple[str, str]] = ()) -> Response:
    """A 404 in the negotiated kind: an HTML page for a browser, JSON ``{"error","detail"}`` otherwise."""
    if fmt is HTML:
        page = render("error.html", base=base, error=error, message=message,
                      suggestions=[{"text": t, "href": h} for t, h in near])
        return HTMLResponse(page, status_code=404, headers=VARY)
    detail = {"message": message, "suggestions": [t for t, _ in near]}
    return JSONResponse(error_body(error, detail), status_code=404, headers=VARY)


def rdf_response(rdf: RdfGraph, fmt: RdfFormat) -> Response:
    return Response(serialize(rdf, fmt), media_type=content_type(fmt), headers=VARY)


def _html(page: str) -> HTMLResponse:
    return HTMLResponse(page, headers=VARY)


@router.get("/document/{symbol:path}", response_class=Response, responses=PAGE_RESPONSES)
def document_page(symbol: str, request: Request, graph: GraphDep, format: FormatParam = None) -> Response:
    """A document (ingested or only cited): its metadata, paragraphs, citations and the documents citing it."""
    try:
        fmt = choose(request, format)
    except _Unacceptable as exc:
        return _not_acceptable(exc)
    try:
        detail = document_detail(graph, symbol)
    except NotFound as exc:
        near = exc.detail.get("suggestions", []) if isinstance(exc.detail, dict) else []
        return not_found(fmt, graph.base, "unknown document", f"No document {symbol!r} is ingested or cited here.",
                         [(s, document_link(s)) for s in near])
    if fmt is not HTML:
        return rdf_response(describe(graph, detail.iri, document=True), fmt)
    node = document_node(graph, detail.identifier)
    sponsor_keys = dict(sponsor_links(graph, node))
    citations = citations_of(graph, node)
    blocks, notes = marked_text(detail.paragraphs, footnotes(graph, node), citations)
    return _html(render("document.html", base=graph.base, iri=detail.iri, doc=detail, sponsor_keys=sponsor_keys,
                        citations=citations, cited_by=cited_by(graph, node), blocks=blocks, notes=notes))


def _entity_page(kind: str, key: str, request: Request, graph: GraphDep, format_name: str | None) -> Response:
    try:
        fmt = choose(request, format_name)
    except _Unacceptable as exc:
        return _not_acceptable(exc)
    entity = entity_by_key(graph, kind, key)
    if entity is None:
        try:
            entity = resolve_entity(graph, kind, key)
        except NotFound as exc:
            near = exc.detail.get("suggestions", []) if isinstance(exc.detail, dict) else []
            return not_found(fmt, graph.base, f"unknown {kind}", f"No {kind} has the key {key!r}.",
                             [(s, f"/{kind}/{s}") for s in near])
        # a name or alias: send the client to the canonical IRI's page
        return RedirectResponse(local_link(entity.iri, graph.base) + _query(request), status_code=303, headers=VARY)
    if fmt is not HTML:
        return rdf_response(describe(graph, entity.iri), fmt)
    documents = entity_documents(graph, kind, entity)
    return _html(render("entity.html", base=graph.base, iri=entity.iri, kind=kind, entity=entity,
                        documents=documents, years=by_year(documents[:PAGE_ROWS]), shown=PAGE_ROWS,
                        api_link=f"/api/{SCHEMES[kind]}/{entity.key}"))


def _query(request: Request) -> str:
    return f"?{request.url.query}" if request.url.query else ""


@router.get("/instrument/{key}", response_class=Response, responses=PAGE_RESPONSES)
def instrument_page(key: str, request: Request, graph: GraphDep, format: FormatParam = None) -> Response:
    """An international instrument and the documents naming it."""
    return _entity_page("instrument", key, request, graph, format)


@router.get("/body/{key}", response_class=Response, responses=PAGE_RESPONSES)
def body_page(key: str, request: Request, graph: GraphDep, format: FormatParam = None) -> Response:
    """A UN body and the documents it adopted, recommended or that name it."""
    return _entity_page("body", key, request, graph, format)


@router.get("/state/{key}", response_class=Response, responses=PAGE_RESPONSES)
def state_page(key: str, request: Request, graph: GraphDep, format: FormatParam = None) -> Response:
    """A Member State, the drafts it sponsored and the documents naming it."""
    return _entity_page("state", key, request, graph, format)


@router.get("/graph/{name:path}", response_class=Response,
            responses={200: {"content": {f.media_type: {} for f in (*NEGOTIABLE, NQUADS)},
                             "description": "The graph's triples, or its provenance as HTML."}, **FAILURES})
def graph_page(name: str, request: Request, graph: GraphDep, format: FormatParam = None) -> Response:
    """A named graph: its triples as RDF (N-Quads keeps the name), its provenance record as HTML."""
    try:
        fmt = choose(request, format, (*NEGOTIABLE, NQUADS))
    except _Unacceptable as exc:
        return _not_acceptable(exc)
    iri = graph_iri_for(name, graph.base)
    size, statements = graph_overview(graph, iri)
    if not size:
        return not_found(fmt, graph.base, "unknown graph", f"No named graph {iri} is in the store.")
    if fmt is not HTML:
        return rdf_response(named_graph(graph, iri), fmt)
    outgoing = [(term_view(p, graph.base), term_view(o, graph.base)) for p, o in statements]
    summary = [("Triples", str(size))]
    links = [("Turtle of the whole graph", "?format=turtle"), ("N-Quads", "?format=nq")]
    return _html(render("resource.html", base=graph.base, iri=iri, title=name, kind="named graph",
                        summary=summary, outgoing=outgoing, incoming=[], extra_links=links))


def _by_text(pair: tuple[object, object]) -> tuple[str, str]:
    return str(pair[0]), str(pair[1])


def _resource_page(path: str, request: Request, graph: GraphDep, format_name: str | None) -> Response:
    """Any other IRI under the base (concept schemes, the ingest agent): its statements."""
    try:
        fmt = choose(request, format_name)
    except _Unacceptable as exc:
        return _not_acceptable(exc)
    iri = normalize_base(graph.base) + path
    rdf = describe(graph, iri)
    if not len(rdf):
        return not_found(fmt, graph.base, "unknown resource", f"Nothing is known about {iri}.")
    if fmt is not HTML:
        return rdf_response(rdf, fmt)
    node = URIRef(iri)
    outgoing = [(term_view(p, graph.base), term_view(o, graph.base))
                for p, o in sorted(rdf.predicate_objects(node), key=_by_text)]
    incoming = [(term_view(s, graph.base), term_view(p, graph.base))
                for s, p in sorted(rdf.subject_predicates(node), key=_by_text)][:PAGE_ROWS]
    labels = [str(o) for o in rdf.objects(node, URIRef("http://purl.org/dc/terms/title"))]
    return _html(render("resource.html", base=graph.base, iri=iri, title=labels[0] if labels else path,
                        kind=path.split("/")[0], summary=[], outgoing=outgoing, incoming=incoming, extra_links=[]))


@router.get("/scheme/{name}", response_class=Response, responses=PAGE_RESPONSES)
def scheme_page(name: str, request: Request, graph: GraphDep, format: FormatParam = None) -> Response:
    """A SKOS concept scheme (instruments, bodies, states) and its concepts."""
    return _resource_page(f"scheme/{name}", request, graph, format)


@router.get("/agent/{name}", response_class=Response, responses=PAGE_RESPONSES)
def agent_page(name: str, request: Request, graph: GraphDep, format: FormatParam = None) -> Response:
    """The software agent every document graph is attributed to."""
    return _resource_page(f"agent/{name}", request, graph, format)


@router.get("/ontology", response_class=Response, responses={200: RDF_CONTENT, 406: FAILURES[406]})
def ontology(request: Request, graph: GraphDep, format: FormatParam = None) -> Response:
    """The unkg ontology (``ontology/unkg.ttl``): Turtle as written, other RDF formats, or an HTML reference."""
    try:
        fmt = choose(request, format)
    except _Unacceptable as exc:
        return _not_acceptable(exc)
    if fmt is TURTLE:
        return Response(ontology_text(), media_type=content_type(TURTLE), headers=VARY)
    rdf = ontology_graph()
    if fmt is not HTML:
        return rdf_response(rdf, fmt)
    return _html(render("ontology.html", base=graph.base, iri=str(UNKG).rstrip("#"), **_ontology_view(graph.base)))


def _ontology_view(base: str) -> dict[str, object]:
    """Classes and properties of the ontology with labels, comments and their relations, for the page."""
    rdf = ontology_graph()
    ontology_iri = URIRef(str(UNKG).rstrip("#"))

    def first(subject: URIRef, predicate: URIRef) -> str | None:
        values = [str(v) for v in rdf.objects(subject, predicate)]
        return sorted(values)[0] if values else None

    def linked(subject: URIRef, predicate: URIRef) -> list[dict[str, object]]:
        return [term_view(v, base) for v in sorted(rdf.objects(subject, predicate), key=str)]

    sections = []
    for title, classes in (("Classes", (OWL.Class,)),
                           ("Object properties", (OWL.ObjectProperty,)),
                           ("Datatype properties", (OWL.DatatypeProperty,)),
                           ("Annotation properties", (OWL.AnnotationProperty,))):
        terms = sorted({s for cls in classes for s in rdf.subjects(RDF.type, cls)
                        if isinstance(s, URIRef) and str(s).startswith(str(UNKG))})
        sections.append((title, [{
            "name": str(t)[len(str(UNKG)):], "label": first(t, RDFS.label), "comment": first(t, RDFS.comment),
            "relations": [("Subclass of", linked(t, RDFS.subClassOf)),
                          ("Subproperty of", linked(t, RDFS.subPropertyOf)),
                          ("Domain", linked(t, RDFS.domain)), ("Range", linked(t, RDFS.range))],
        } for t in terms]))
    return {"title": first(ontology_iri, RDFS.label) or "unkg ontology",
            "comment": first(ontology_iri, RDFS.comment) or "", "namespace": str(UNKG),
            "version": first(ontology_iri, OWL.versionInfo) or "", "sections": sections}

