"""The FastAPI application: ``create_app(settings)`` wires the routers to one read-only ``Graph``.

The lifespan opens the store read-only, starts the query worker pool that
runs public SPARQL queries under their limits (``api.query_pool``), and
watches the store for data that ``unkg ingest`` commits while the service runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from ingest import __version__
from ingest.remote_store import RemoteStore

from .errors import install_error_handlers
from .graph import Graph
from .query_pool import PoolLimits, QueryPool
from .remote_queries import RemoteQueryGate
from .security import install_security
from .settings import ServiceSettings

log = logging.getLogger("unkg")
STATIC = Path(__file__).parent / "static"


def pool_limits(settings: ServiceSettings) -> PoolLimits:
    """The ``PoolLimits`` the settings ask for."""
    return PoolLimits(timeout=settings.query_timeout, workers=settings.query_workers, queue=settings.query_queue,
                      queue_wait=settings.query_queue_wait, max_rows=settings.query_max_rows,
                      max_bytes=settings.query_max_bytes, memory_bytes=settings.query_memory_mb * 2**20)


async def _watch_store(app: FastAPI, graph: Graph, interval: float) -> None:
    """Every ``interval`` seconds: if ``unkg ingest`` committed since, reopen the view and recycle the workers."""
    while True:
        await asyncio.sleep(interval)
        try:
            changed = await run_in_threadpool(graph.refresh_if_changed)
        except Exception:  # a failed check must not end the watcher; the next one tries again
            log.exception("unkg: checking the store for new data failed")
            continue
        if changed:
            log.info("unkg: the store changed on disk; serving the new data")
            if graph.pool is not None:
                graph.pool.reload()


def create_app(settings: ServiceSettings | None = None, graph: Graph | None = None) -> FastAPI:
    """Build the service; the store is opened at start-up (or ``graph`` is used as given)."""
    settings = settings or ServiceSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = graph is None
        current = graph or Graph.open(settings.store, settings.base_iri)
        app.state.graph = current
        watcher = None
        if current.remote and isinstance(current.store, RemoteStore):
            # Queries run on the store's server: the same limits, without worker processes (api.remote_queries).
            gate = RemoteQueryGate(current.store, pool_limits(settings))
            await gate.start()
            current.pool = gate
            log.warning("unkg: remote store %s, %d queries at once, %g s per query",
                        current.store.url, settings.query_workers, settings.query_timeout)
            watcher = asyncio.create_task(_watch_store(app, current, settings.store_reload_interval))
        elif current.location is not None:
            pool = QueryPool(current.location, pool_limits(settings), isolate=settings.isolate_query_workers)
            await pool.start()
            current.pool = pool
            log.warning("unkg: %d query workers, %g s per query, network isolation %s",
                        settings.query_workers, settings.query_timeout, "on" if pool.network_isolated else "off")
            watcher = asyncio.create_task(_watch_store(app, current, settings.store_reload_interval))
        try:
            yield
        finally:
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher
            if current.pool is not None:
                await current.pool.close()
                current.pool = None
            if opened:
                current.close()

    app = FastAPI(
        title="unkg",
        version=__version__,
        summary="A knowledge graph of United Nations resolutions: SPARQL, citation lookups, dumps.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    from .models import ErrorBody
    from .routes import admin, documents, dumps, entities, exports, pages, queries, sparql, web

    # Every route may answer with the service's error body, 422 included (errors.py shapes it).
    errors = {code: {"model": ErrorBody} for code in (400, 404, 413, 422)}
    for module in (sparql, documents, entities, queries, exports, dumps, web, pages):
        app.include_router(module.router, responses=errors)  # type: ignore[arg-type]
    if settings.admin_token is not None:
        app.include_router(admin.router, responses=errors)  # type: ignore[arg-type]
    # the web interface's styles, scripts and vendored libraries (web/build.sh); same origin only
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    install_security(app, settings)
    return app


def get_graph(request: Request) -> Graph:
    """The dependency that hands routes the store."""
    graph: Graph = request.app.state.graph
    return graph


def get_settings(request: Request) -> ServiceSettings:
    settings: ServiceSettings = request.app.state.settings
    return settings
