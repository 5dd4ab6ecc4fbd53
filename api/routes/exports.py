"""``/api/export``: the citation network and the document table as files for networkx, Gephi and pandas.

The same bytes as ``unkg export``: both call ``queries.exports`` and
``queries.network_formats``.  The format is the file suffix
(``/api/export/edges.graphml``), so a browser or ``curl -O`` saves a file
that analysis tools recognise by its name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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


def _export(graph: Any, name: str, fmt: str, writers: Mapping[str, Callable[[Any], bytes]],
            build: Callable[[Any, str], Any]) -> Response:
    """Check the format, read what the export needs from the store, write it as a download."""
    fmt = fmt.lower()
    writer = writers.get(fmt)
    if writer is None:
        raise NotFound("unknown export", f"{name}.{fmt}: choose one of " + ", ".join(f"{name}.{f}" for f in writers))
    try:
        data = build(graph, graph.base)
    except StoreError as exc:
        raise ApiError(500, "export failed", str(exc)) from exc
    return _file(writer(data), f"unkg-{name}.{fmt}", fmt)


def _file(data: bytes, name: str, fmt: str) -> Response:
    return Response(data, media_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get(
    "/api/export/edges.{fmt}", summary="The document citation network: edges.csv, .graphml, .gexf or .jsonl",
    responses={200: {"content": {MEDIA_TYPES[f].split(";")[0]: {} for f in EDGE_WRITERS}}, **UNKNOWN},
)
def export_edges(fmt: str, graph: GraphDep) -> Response:
    """One edge per citing/cited pair: occurrences, paragraphs, verbs, characterizations, years, bodies."""
    return _export(graph, "edges", fmt, EDGE_WRITERS, citation_network)


@router.get(
    "/api/export/documents.{fmt}", summary="One row per ingested document: documents.csv or .jsonl",
    responses={200: {"content": {MEDIA_TYPES[f].split(";")[0]: {} for f in DOCUMENT_WRITERS}}, **UNKNOWN},
)
def export_documents(fmt: str, graph: GraphDep) -> Response:
    """The metadata of each ingested document with its citation counts, for spreadsheets."""
    return _export(graph, "documents", fmt, DOCUMENT_WRITERS, corpus_documents)
