"""``/sparql``: the SPARQL 1.1 Protocol (query only), its Service Description, and ``/void``.

Queries run and are serialized to bytes in a worker process of the query
pool (``Graph.run_query``), under the service's limits: a time limit after
which the worker is killed (504), caps on rows and bytes (an answer that was
cut carries ``X-Unkg-Truncated: rows=N`` or ``bytes=N``, and SPARQL JSON/XML
answers also list ``urn:unkg:truncated:...`` in ``head.link``), a bounded
number of queries at once (503 with ``Retry-After``) and a maximum query
length (413).  Updates, ``SERVICE`` and ``LOAD`` are refused before any store
sees the text (``api.sparql_guard``); writes happen through ``unkg ingest``.
"""

from __future__ import annotations

import threading
from typing import Annotated
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from ingest.store import InvalidQueryError, StoreError, UnservableResultError

from ..app import get_graph, get_settings
from ..errors import error_body
from ..graph import DatasetStatistics, Graph
from ..negotiation import negotiate, parse_accept, quality
from ..query_pool import QueryRejected
from ..service_description import serialize, service_description, void_description
from ..sparql_guard import inspect_query

router = APIRouter(tags=["sparql"])

TRUNCATED_HEADER = "X-Unkg-Truncated"
RESULT_MEDIA = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_MEDIA = {"turtle": "text/turtle", "ntriples": "application/n-triples", "rdfxml": "application/rdf+xml",
               "jsonld": "application/ld+json", "nquads": "application/n-quads", "trig": "application/trig"}

# What a client may ask for, in the service's order of preference; generic types map to the nearest format.
RESULT_OFFERS = {**{media: fmt for fmt, media in RESULT_MEDIA.items()},
                 "application/json": "json", "application/xml": "xml", "text/xml": "xml"}
GRAPH_OFFERS = {**{media: fmt for fmt, media in GRAPH_MEDIA.items()},
                "application/x-turtle": "turtle", "application/json": "jsonld", "application/xml": "rdfxml",
                "text/xml": "rdfxml"}
DESCRIPTION_OFFERS = {"text/turtle": "turtle", "application/n-triples": "ntriples",
                      "application/rdf+xml": "rdfxml", "application/ld+json": "jsonld",
                      "application/json": "jsonld", "text/html": "turtle", "text/plain": "turtle"}
DESCRIPTION_MEDIA = {"turtle": "text/turtle", "ntriples": "application/n-triples",
                     "rdfxml": "application/rdf+xml", "jsonld": "application/ld+json"}

FORMAT_NAMES: dict[str, tuple[str | None, str | None]] = {
    "json": ("json", "jsonld"), "xml": ("xml", "rdfxml"), "csv": ("csv", None), "tsv": ("tsv", None),
    "turtle": (None, "turtle"), "ttl": (None, "turtle"), "ntriples": (None, "ntriples"), "nt": (None, "ntriples"),
    "rdfxml": (None, "rdfxml"), "jsonld": (None, "jsonld"), "json-ld": (None, "jsonld"),
    "nquads": (None, "nquads"), "nq": (None, "nquads"), "trig": (None, "trig"),
}
"""``format=`` values: the (SELECT/ASK format, CONSTRUCT/DESCRIBE format) each one asks for."""

READ_ONLY = "this endpoint is read-only; writes happen through `unkg ingest`"
Formats = tuple[str | None, str | None]


class SparqlError(Exception):
    """An error answered as JSON ``{"error", "detail"}`` or as plain text, whichever the client prefers."""

    def __init__(self, status: int, error: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(error)
        self.status, self.error, self.detail, self.headers = status, error, detail, headers or {}


def _error_response(request: Request, exc: SparqlError) -> Response:
    headers = {"Vary": "Accept", **exc.headers}
    if _prefers_text(request.headers.get("accept")):
        return PlainTextResponse(f"{exc.error}: {exc.detail}\n", status_code=exc.status, headers=headers)
    return JSONResponse(error_body(exc.error, exc.detail), status_code=exc.status, headers=headers)


def _prefers_text(accept: str | None) -> bool:
    """Text when the client rates text/plain above JSON, or accepts some text/* and no JSON (a CSV client)."""
    ranges = parse_accept(accept)
    json_q, text_q = quality(ranges, "application/json"), quality(ranges, "text/plain")
    if text_q > json_q:
        return True
    return json_q == 0 and any(r.type == "text" and r.q > 0 for r in ranges)


def _choose_formats(accept: str | None, format_param: str | None) -> Formats:
    """The format for a SELECT/ASK answer and for a CONSTRUCT/DESCRIBE answer (``None``: not acceptable)."""
    if format_param:
        name = format_param.strip().lower()
        if name in FORMAT_NAMES:
            return FORMAT_NAMES[name]
        if name in RESULT_OFFERS or name in GRAPH_OFFERS:  # a media type given as the format
            return RESULT_OFFERS.get(name), GRAPH_OFFERS.get(name)
        raise SparqlError(400, "unknown format", f"format={format_param!r}; choose one of {', '.join(FORMAT_NAMES)}")
    result_media = negotiate(accept, list(RESULT_OFFERS))
    graph_media = negotiate(accept, list(GRAPH_OFFERS))
    return (RESULT_OFFERS[result_media] if result_media else None,
            GRAPH_OFFERS[graph_media] if graph_media else None)


def _not_acceptable(kind: str) -> SparqlError:
    if kind == "graph":
        media, names, what = GRAPH_MEDIA.values(), [n for n, (_, g) in FORMAT_NAMES.items() if g], "CONSTRUCT/DESCRIBE"
    else:
        media, names, what = RESULT_MEDIA.values(), [n for n, (r, _) in FORMAT_NAMES.items() if r], "SELECT/ASK"
    return SparqlError(406, "not acceptable",
                       f"a {what} result is available as {', '.join(media)} "
                       f"(Accept header) or format={'|'.join(names)}")


def _content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media.startswith("text/") else media


def _check(text: str, max_length: int) -> bool:
    """Refuse what must never run (too long, updates, SERVICE, LOAD); tell whether the query has its own FROM."""
    if len(text) > max_length:
        raise SparqlError(413, "query too long", f"the query has {len(text)} characters; this endpoint takes at most "
                          f"{max_length} (UNKG_QUERY_MAX_LENGTH when you run your own)")
    inspection = inspect_query(text)
    if inspection.is_update:
        raise SparqlError(403, "update refused", f"{inspection.form} is a SPARQL Update: {READ_ONLY}")
    if inspection.forbidden:
        raise SparqlError(403, f"{inspection.forbidden} refused",
                          f"{inspection.forbidden} is not allowed on this endpoint: it would make the server "
                          f"fetch data from other sites; query the graph held here only "
                          f"(the word counts wherever the parser could read it as the keyword, "
                          f"e.g. a prefix named {inspection.forbidden.lower()}:)")
    return inspection.has_dataset_clause


async def _run_query(request: Request, text: str, formats: Formats, default_graphs: list[str],
                     named_graphs: list[str]) -> Response:
    """Check, run (in the query pool) and answer one query."""
    settings = get_settings(request)
    has_dataset_clause = await run_in_threadpool(_check, text, settings.query_max_length)
    # The SPARQL protocol: a dataset given by the request replaces the query's own (an absent list is empty).
    dataset_given = bool(default_graphs or named_graphs)
    try:
        result = await get_graph(request).run_query(
            text, results_format=formats[0], graph_format=formats[1],
            default_graphs=default_graphs if dataset_given else None,
            named_graphs=named_graphs if dataset_given else None,
            union_default_graph=not has_dataset_clause)
    except QueryRejected as exc:
        raise SparqlError(exc.status, exc.error, exc.detail, exc.headers) from exc
    except UnservableResultError as exc:
        raise _not_acceptable(exc.kind) from exc
    except InvalidQueryError as exc:
        raise SparqlError(400, "malformed query", str(exc)) from exc
    except StoreError as exc:
        raise SparqlError(500, "query failed", str(exc)) from exc
    media = (GRAPH_MEDIA if result.kind == "graph" else RESULT_MEDIA)[result.format]
    headers = {"Content-Type": _content_type(media), "Vary": "Accept"}
    if result.truncated:
        headers[TRUNCATED_HEADER] = result.truncated
    return Response(result.data, headers=headers)


async def _answer(request: Request, texts: list[str], default_graphs: list[str], named_graphs: list[str],
                  format_param: str | None) -> Response:
    try:
        if len(texts) != 1:
            raise SparqlError(400, "malformed request", f"expected exactly one query, got {len(texts)}")
        # No acceptable format is reported only after parsing: a malformed query deserves its 400 first.
        formats = _choose_formats(request.headers.get("accept"), format_param)
        return await _run_query(request, texts[0], formats, default_graphs, named_graphs)
    except SparqlError as exc:
        return _error_response(request, exc)


@router.get(
    "/sparql",
    summary="SPARQL 1.1 query (GET), or the Service Description when there is no query",
    responses={200: {"content": {m: {} for m in [*RESULT_MEDIA.values(), *GRAPH_MEDIA.values()]}},
               400: {"description": "malformed query"}, 403: {"description": "update, SERVICE or LOAD"},
               406: {"description": "no acceptable result format"}, 413: {"description": "query too long"},
               503: {"description": "all query workers busy (Retry-After), or the query needed too much memory"},
               504: {"description": "the query ran past the time limit and was stopped"}},
)
async def sparql_get(
    request: Request,
    query: Annotated[str | None, Query(description="The SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE).")] = None,
    default_graph_uri: Annotated[list[str] | None, Query(alias="default-graph-uri",
                                                         description="Graphs merged into the default graph.")] = None,
    named_graph_uri: Annotated[list[str] | None, Query(alias="named-graph-uri",
                                                       description="Graphs visible to GRAPH.")] = None,
    format: Annotated[str | None, Query(description="Result format, overriding Accept: "
                                        + ", ".join(FORMAT_NAMES))] = None,
) -> Response:
    """Without ``query``: the Service Description (Turtle, N-Triples, RDF/XML or JSON-LD by Accept)."""
    params = request.query_params
    if "update" in params:
        return _error_response(request, SparqlError(403, "update refused", READ_ONLY))
    if query is None:
        return await _description(request, format, service=True)
    return await _answer(request, params.getlist("query"), params.getlist("default-graph-uri"),
                         params.getlist("named-graph-uri"), format)


@router.post(
    "/sparql",
    summary="SPARQL 1.1 query (POST, form-encoded or application/sparql-query)",
    openapi_extra={"requestBody": {"content": {
        "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
            "query": {"type": "string"}, "default-graph-uri": {"type": "array", "items": {"type": "string"}},
            "named-graph-uri": {"type": "array", "items": {"type": "string"}}}, "required": ["query"]}},
        "application/sparql-query": {"schema": {"type": "string"}}}}},
    responses={200: {"content": {m: {} for m in [*RESULT_MEDIA.values(), *GRAPH_MEDIA.values()]}},
               403: {"description": "SPARQL Update is refused"}, 413: {"description": "query or body too large"},
               415: {"description": "unsupported body type"},
               503: {"description": "all query workers busy (Retry-After), or the query needed too much memory"},
               504: {"description": "the query ran past the time limit and was stopped"}},
)
async def sparql_post(request: Request) -> Response:
    """The query travels in the body; ``default-graph-uri``/``named-graph-uri`` in the URL or the form."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    params = request.query_params
    try:
        if "update" in params or media == "application/sparql-update":
            raise SparqlError(403, "update refused", READ_ONLY)
        body = await _read_body(request)
        if media == "application/x-www-form-urlencoded":
            fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
            if "update" in fields:
                raise SparqlError(403, "update refused", READ_ONLY)
            return await _answer(
                request, fields.get("query", []) + params.getlist("query"),
                fields.get("default-graph-uri", []) + params.getlist("default-graph-uri"),
                fields.get("named-graph-uri", []) + params.getlist("named-graph-uri"),
                next(iter(fields.get("format", [])), params.get("format")))
        if media == "application/sparql-query":
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise SparqlError(400, "malformed query", f"the query is not UTF-8: {exc}") from exc
            return await _answer(request, [text], params.getlist("default-graph-uri"),
                                 params.getlist("named-graph-uri"), params.get("format"))
        raise SparqlError(415, "unsupported media type",
                          "POST the query as application/sparql-query or application/x-www-form-urlencoded "
                          f"(query=...), not {media or 'an untyped body'}")
    except SparqlError as exc:
        return _error_response(request, exc)


async def _read_body(request: Request) -> bytes:
    """The body, read up to the service's body limit (``api.security`` stops a larger one)."""
    chunks, size, limit = [], 0, get_settings(request).max_body_bytes
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise SparqlError(413, "request too large", f"the body exceeds {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


# -- Service Description and VoID ------------------------------------------------------------------

_statistics_lock = threading.Lock()
_statistics_cache: dict[tuple[int, str], DatasetStatistics] = {}


def _statistics(graph: Graph) -> DatasetStatistics:
    """The dataset's counts, computed once per store version (they take a pass over the store)."""
    key = (id(graph), graph.version())
    with _statistics_lock:
        if key not in _statistics_cache:
            _statistics_cache.clear()
            _statistics_cache[key] = graph.statistics()
        return _statistics_cache[key]


def _render_description(graph: Graph, root: str, base_iri: str, fmt: str, service: bool) -> bytes:
    build = service_description if service else void_description
    return serialize(build(root, base_iri, _statistics(graph), graph.last_modified()), fmt)


async def _description(request: Request, format_param: str | None, *, service: bool) -> Response:
    """The Service Description (``service``) or the VoID alone, content-negotiated; browsers get Turtle as text."""
    accept = request.headers.get("accept")
    if format_param:
        fmt = {"ttl": "turtle", "nt": "ntriples", "json-ld": "jsonld", "json": "jsonld"}.get(
            format_param.lower(), format_param.lower())
        media = DESCRIPTION_MEDIA.get(fmt)
    else:
        media = negotiate(accept, list(DESCRIPTION_OFFERS))
        fmt = DESCRIPTION_OFFERS.get(media or "", "")
    if not media or fmt not in DESCRIPTION_MEDIA:
        return _error_response(request, SparqlError(
            406, "not acceptable", f"the description is available as {', '.join(DESCRIPTION_MEDIA.values())} "
            f"(Accept header) or format={'|'.join(DESCRIPTION_MEDIA)}"))
    root = str(request.base_url)
    data = await run_in_threadpool(_render_description, get_graph(request), root,
                                   get_settings(request).base_iri, fmt, service)
    content_type = "text/plain" if media in ("text/html", "text/plain") else DESCRIPTION_MEDIA[fmt]
    return Response(data, headers={"Content-Type": _content_type(content_type), "Vary": "Accept"})


@router.get("/void", summary="The VoID description of the dataset (Turtle by default)",
            responses={200: {"content": {m: {} for m in DESCRIPTION_MEDIA.values()}},
                       406: {"description": "no acceptable format"}})
async def void(
    request: Request,
    format: Annotated[str | None, Query(description="turtle, ntriples, rdfxml or jsonld, overriding Accept")] = None,
) -> Response:
    """Triples, documents, named graphs with their sizes, the endpoint and the dumps."""
    return await _description(request, format, service=False)
