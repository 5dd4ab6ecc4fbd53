"""The FastAPI application: ``create_app(settings)`` wires the routers to one read-only ``Graph``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request

from ingest import __version__

from .errors import install_error_handlers
from .graph import Graph
from .settings import ServiceSettings


def create_app(settings: ServiceSettings | None = None, graph: Graph | None = None) -> FastAPI:
    """Build the service; the store is opened at start-up (or ``graph`` is used as given)."""
    settings = settings or ServiceSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = graph is None
        app.state.graph = graph or Graph.open(settings.store, settings.base_iri)
        try:
            yield
        finally:
            if opened:
                app.state.graph.close()

    app = FastAPI(
        title="unkg",
        version=__version__,
        summary="A knowledge graph of United Nations resolutions: SPARQL, citation lookups, dumps.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    from .models import ErrorBody
    from .routes import documents, dumps, entities, exports, pages, queries, sparql

    # Every route may answer with the service's error body, 422 included (errors.py shapes it).
    errors = {code: {"model": ErrorBody} for code in (400, 404, 422)}
    for module in (sparql, documents, entities, queries, exports, dumps, pages):
        app.include_router(module.router, responses=errors)  # type: ignore[arg-type]
    return app


def get_graph(request: Request) -> Graph:
    """The dependency that hands routes the store."""
    graph: Graph = request.app.state.graph
    return graph


def get_settings(request: Request) -> ServiceSettings:
    settings: ServiceSettings = request.app.state.settings
    return settings
