"""``/api/queries``: the saved research queries of ``queries/``, listed and run with bound parameters.

A query runs with its parameters bound as typed RDF terms (``queries.binding``),
never spliced into its text, under the same limits as a ``/sparql`` query
(``Graph.run_query``), and its answer comes in any SPARQL result format:
JSON by default, CSV, TSV or XML by ``Accept`` or ``format=``.  Every query
string parameter other than ``format`` is one of the query's parameters; an
unknown one, a missing required one, or a value naming nothing in the store
is a 400 that says what to send instead.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ingest.store import StoreError, UnservableResultError
from queries import QueryHeaderError, SavedQuery, UnknownQueryError, list_queries, load_query
from queries.binding import ParameterError, bind_parameters

from ..app import get_graph
from ..errors import ApiError, BadRequest, NotFound
from ..graph import Graph
from ..models import ErrorBody, QueryInfo, QueryParameterInfo
from ..negotiation import negotiate
from ..query_pool import QueryRejected

router = APIRouter(tags=["queries"])

GraphDep = Annotated[Graph, Depends(get_graph)]
RESULT_FORMATS = ("json", "xml", "csv", "tsv")
MEDIA_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
               "csv": "text/csv", "tsv": "text/tab-separated-values"}
TRUNCATED_HEADER = "X-Unkg-Truncated"
"""Set, as on ``/sparql``, when the service's row or byte limit cut the answer short."""
OFFERS = {**{media: fmt for fmt, media in MEDIA_TYPES.items()}, "application/json": "json",
          "application/xml": "xml", "text/xml": "xml"}
"""Media types a client may ask for, in the service's order of preference (JSON first)."""
FORMAT_ALIASES = {**{fmt: fmt for fmt in RESULT_FORMATS}, **OFFERS}


def query_info(query: SavedQuery) -> QueryInfo:
    return QueryInfo(
        name=query.name, title=query.title, question=query.question, example=query.example,
        url=f"/api/queries/{query.name}",
        parameters=[QueryParameterInfo(name=p.name, kind=p.kind, required=p.required, default=p.default,
                                       description=p.description) for p in query.parameters])


@router.get("/api/queries", response_model=list[QueryInfo], summary="The saved research queries")
def saved_queries() -> list[QueryInfo]:
    """Each saved query with the question it answers, its parameters and an example."""
    try:
        return [query_info(q) for q in list_queries()]
    except QueryHeaderError as exc:
        raise ApiError(500, "broken saved query", str(exc)) from exc


def _format(request: Request, format_param: str | None) -> str:
    if format_param:
        name = FORMAT_ALIASES.get(format_param.strip().lower())
        if name is None:
            raise BadRequest("unknown format", f"format={format_param!r}; choose one of {', '.join(RESULT_FORMATS)}")
        return name
    media = negotiate(request.headers.get("accept"), list(OFFERS))
    if media is None:
        raise ApiError(406, "not acceptable", "query results are available as " + ", ".join(MEDIA_TYPES.values())
                       + f" (Accept header) or format={'|'.join(RESULT_FORMATS)}")
    return OFFERS[media]


@router.get(
    "/api/queries/{name}", summary="Run a saved query with its parameters in the query string",
    responses={200: {"content": {media: {} for media in MEDIA_TYPES.values()}},
               400: {"model": ErrorBody, "description": "Missing, unknown or invalid parameter."},
               404: {"model": ErrorBody, "description": "No saved query has this name."},
               406: {"model": ErrorBody, "description": "No acceptable result format."}},
)
async def run_saved_query(
    name: str, request: Request, graph: GraphDep,
    format: Annotated[str | None, Query(description="json, xml, csv or tsv, overriding Accept.")] = None,
) -> Response:
    """The answer in the SPARQL 1.1 results format chosen by ``format=`` or ``Accept`` (JSON by default).

    The query runs like a public ``/sparql`` query (``Graph.run_query``: the
    query pool's time, row and byte limits), with its parameters as bindings.
    """
    try:
        query = load_query(name)
    except UnknownQueryError as exc:
        raise NotFound("unknown query", {"query": name, "message": str(exc).replace(
            "`unkg query --list` lists them", "GET /api/queries lists them")}) from exc
    except QueryHeaderError as exc:
        raise ApiError(500, "broken saved query", str(exc)) from exc
    fmt = _format(request, format)
    values: dict[str, str] = {}
    for key in request.query_params:
        if key == "format":
            continue
        given = request.query_params.getlist(key)
        if len(given) != 1:
            raise BadRequest("invalid parameter", f"{key} is given {len(given)} times; give it once")
        values[key] = given[0]
    try:
        bindings = await run_in_threadpool(bind_parameters, query, values, graph, graph.base)
    except ParameterError as exc:
        raise BadRequest("invalid parameter", {"query": name, "message": str(exc),
                                               "suggestions": exc.suggestions}) from exc
    except StoreError as exc:
        raise ApiError(500, "query failed", str(exc)) from exc
    try:
        result = await graph.run_query(query.sparql, results_format=fmt, graph_format=None, bindings=bindings)
    except QueryRejected as exc:
        raise ApiError(exc.status, exc.error, exc.detail, exc.headers) from exc
    except UnservableResultError as exc:
        raise ApiError(500, "broken saved query", f"{name} is not a SELECT or ASK query") from exc
    except StoreError as exc:
        raise ApiError(500, "query failed", str(exc)) from exc
    media = MEDIA_TYPES[fmt]
    headers = {"Content-Type": f"{media}; charset=utf-8" if media.startswith("text/") else media, "Vary": "Accept"}
    if result.truncated:
        headers[TRUNCATED_HEADER] = result.truncated
    return Response(result.data, headers=headers)
