"""Routes: the web interface's own pages — the home page, search and the SPARQL editor.

The Linked Data pages (documents, instruments, bodies, States) live in
``pages``; these have no IRI of their own to describe, so they answer HTML
only.  Scripts and styles come from ``/static`` (vendored libraries included),
never from another origin: the pages work offline and under a strict CSP.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse

from ingest.rdf import normalize_base
from ingest.store import PREFIXES
from queries import list_queries

from ..app import get_graph
from ..graph import Graph
from ..html import render
from ..web import corpus_overview, search_documents

router = APIRouter(tags=["web interface"], include_in_schema=False)
GraphDep = Annotated[Graph, Depends(get_graph)]

DEFAULT_QUERY = """SELECT ?doc ?title WHERE {
  GRAPH ?g { ?g unkg:describes ?doc . ?doc dcterms:title ?title }
}
LIMIT 20"""


@router.get("/", response_class=HTMLResponse)
def home(graph: GraphDep) -> HTMLResponse:
    """The corpus at a glance, a search box and the ways in: editor, saved queries, API, dumps."""
    return HTMLResponse(render("home.html", base=graph.base, iri=None, overview=corpus_overview(graph),
                               saved=list_queries()))


@router.get("/search", response_class=HTMLResponse)
def search(graph: GraphDep, q: Annotated[str, Query(max_length=200)] = "") -> HTMLResponse:
    """Documents whose symbol or title contains ``q``."""
    results = search_documents(graph, q)
    return HTMLResponse(render("search.html", base=graph.base, iri=None, q=q, results=results))


@router.get("/query", response_class=HTMLResponse)
def query_editor(graph: GraphDep) -> HTMLResponse:
    """The SPARQL editor; the script (``static/js/query.js``) reads its settings from ``data-`` attributes."""
    prefixes = "\n".join(f"PREFIX {name}: <{iri}>" for name, iri in sorted(PREFIXES.items()))
    saved = list_queries()
    # "<" escaped: the JSON sits in a <script type="application/json"> element
    examples = json.dumps({q.name: q.sparql for q in saved}).replace("<", "\\u003c")
    return HTMLResponse(render("query.html", base=graph.base, iri=None, prefixes=prefixes, saved=saved,
                               examples=examples, initial=f"{prefixes}\n\n{DEFAULT_QUERY}",
                               site_base=normalize_base(graph.base)))
