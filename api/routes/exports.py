"""``/api/export``: the citation network and the document table as files for networkx, Gephi and pandas.

The same bytes as ``unkg export``: both call ``queries.exports`` and
``queries.network_formats``.  The format is the file suffix
(``/api/export/edges.graphml``), so a browser or ``curl -O`` saves a file
that analysis tools recognise by its name.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from ingest.store import StoreError
from queries.exports import citation_network, corpus_documents
from queries.network_formats import DOCUMENT_WRITERS, EDGE_WRITERS, MEDIA_TYPES

from ..app import get_graph
from ..errors import ApiError, NotFound
from ..graph import Graph
from ..models import ErrorBody

router = APIRouter(tags=["exports"])

GraphDep = Annotated[Graph, Depends(get_graph)]
UNKNOWN: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "Unknown export format (suffix)."}}


def _file(data: bytes, name: str, fmt: str) -> Response:
    return Response(data, media_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get(
    "/api/export/edges.{fmt}", summary="The document citation network: edges.csv, .graphml, .gexf or .jsonl",
    responses={200: {"content": {MEDIA_TYPES[f].split(";")[0]: {} for f in EDGE_WRITERS}}, **UNKNOWN},
)
def export_edges(fmt: str, graph: GraphDep) -> Response:
    """One edge per citing/cited pair: occurrences, paragraphs, verbs, characterizations, years, bodies."""
    writer = EDGE_WRITERS.get(fmt.lower())
    if writer is None:
        raise NotFound("unknown export", f"edges.{fmt}: choose one of "
                       + ", ".join(f"edges.{f}" for f in EDGE_WRITERS))
    try:
        network = citation_network(graph, graph.base)
    except StoreError as exc:
        raise ApiError(500, "export failed", str(exc)) from exc
    return _file(writer(network), f"unkg-edges.{fmt.lower()}", fmt.lower())


@router.get(
    "/api/export/documents.{fmt}", summary="One row per ingested document: documents.csv or .jsonl",
    responses={200: {"content": {MEDIA_TYPES[f].split(";")[0]: {} for f in DOCUMENT_WRITERS}}, **UNKNOWN},
)
def export_documents(fmt: str, graph: GraphDep) -> Response:
    """The metadata of each ingested document with its citation counts, for spreadsheets."""
    writer = DOCUMENT_WRITERS.get(fmt.lower())
    if writer is None:
        raise NotFound("unknown export", f"documents.{fmt}: choose one of "
                       + ", ".join(f"documents.{f}" for f in DOCUMENT_WRITERS))
    try:
        records = corpus_documents(graph, graph.base)
    except StoreError as exc:
        raise ApiError(500, "export failed", str(exc)) from exc
    return _file(writer(records), f"unkg-documents.{fmt.lower()}", fmt.lower())
