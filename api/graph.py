"""The one module through which the service reads the store.

Routes ask this module for data and never see pyoxigraph: switching the
embedded store for a remote SPARQL server touches this file (and the store
module) only.  Every call runs to completion in the calling thread and
returns plain Python or bytes, because pyoxigraph's result iterators must not
cross threads; routes call it from FastAPI's thread pool (plain ``def``
endpoints), never from the event loop.

The service never writes: this wrapper exposes no write operation, and the
store is opened read-only, so ``unkg ingest`` can write while the service
runs.  A read-only view does not see later commits; ``refresh_if_changed``
(called by the app every ``store_reload_interval`` seconds) notices that the
files changed, waits until no writer holds the store, and swaps in a fresh
view — the service sees new data a second or so after an ingest ends.

A remote store (``--store http://...``, ``ingest.remote_store``) has no files
and no views: every query reads the server's current data.  ``Graph.open``
then only connects (the store checks that the server answers SPARQL over the
union of its graphs), ``refresh_if_changed`` compares ``version()`` at most
every ``REMOTE_CHECK_SECONDS``, and public queries go through
``api.remote_queries`` (same limits, no worker processes).

Public SPARQL queries go through ``run_query``: with a ``QueryPool`` attached
they run in worker processes under the time, memory, row and byte limits
(the saved-query routes should use it too); ``sparql`` runs in the calling
thread without any limit and is for the service's own fixed queries.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, BinaryIO

from rdflib.term import Node

from ingest.store import (
    GraphStore,
    Rows,
    SerializedResult,
    StoreError,
    StoreLockedError,
    StoreStats,
    is_url,
    open_store,
    store_fingerprint,
    writer_active,
)

if TYPE_CHECKING:
    from .query_pool import QueryPool
    from .remote_queries import RemoteQueryGate

REMOTE_CHECK_SECONDS = 3.0
"""How often, at most, the service asks a remote store whether its data changed (one query over the graphs)."""


@dataclass(frozen=True)
class DatasetStatistics:
    """The numbers a VoID description publishes about the whole dataset."""

    triples: int
    """Distinct triples of the union of all graphs: what the Turtle and N-Triples dumps hold."""
    quads: int
    distinct_subjects: int
    documents: int
    graph_sizes: dict[str, int]
    """Triples per named graph."""


@dataclass
class Graph:
    """Read-only access to the store, with the base IRI that minted its IRIs."""

    store: GraphStore
    base: str
    location: str | None = None
    """The store directory or URL, when the graph reads one (``None`` for an in-memory store)."""
    pool: QueryPool | RemoteQueryGate | None = None
    """Worker processes (or, for a remote store, the gate) for public queries; ``run_query`` falls back to
    the calling thread without one."""
    fingerprint: tuple[Any, ...] = field(default=(), repr=False)
    checked_at: float = field(default=0.0, repr=False)
    _check_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _version: tuple[Any, str] | None = field(default=None, repr=False)
    """(the store view, its version): a read-only view never changes, so its version is computed once."""

    @property
    def remote(self) -> bool:
        """Whether the store is a SPARQL server (``--store http://...``) rather than a directory."""
        return self.location is not None and is_url(self.location)

    @classmethod
    def open(cls, location: str, base: str) -> Graph:
        """A read-only view of the store at ``location``; refused while a writer holds it.

        Opening a view while ``unkg ingest`` writes is undefined behaviour in
        RocksDB (the open can read a half-written manifest), so the service
        says so and lets the user start it afterwards.  A URL opens a remote
        store, which any number of writers and services may share.
        """
        if is_url(location):
            graph = cls(open_store(location, read_only=True), base, location=location)
            try:
                graph.fingerprint, graph.checked_at = (graph.compute_version(),), time.monotonic()
            except BaseException:
                graph.close()
                raise
            return graph
        if writer_active(location):
            raise StoreLockedError(
                f"the store {location} is in use by another process (a running `unkg ingest`?); "
                "start the service when it has finished (the service sees later ingests by itself)")
        fingerprint = store_fingerprint(location)
        return cls(open_store(location, read_only=True), base, location=location, fingerprint=fingerprint)

    def close(self) -> None:
        self.store.close()

    def refresh_if_changed(self, attempts: int = 3) -> bool:
        """Swap in a fresh read-only view if a writer committed since the last one; ``True`` if it did.

        Nothing happens while a writer still holds the store: the old view
        stays consistent (RocksDB never changes files it reads) and the next
        check after the writer ends picks up everything it wrote.  The old view
        is not closed: requests still using it finish on it.
        """
        if self.location is None:
            return False
        if self.remote:
            return self._remote_changed()
        fingerprint = store_fingerprint(self.location)
        if fingerprint == self.fingerprint or writer_active(self.location):
            return False
        for attempt in range(attempts):
            try:
                fresh = open_store(self.location, read_only=True)
            except StoreError:
                if attempt + 1 == attempts:
                    return False
                time.sleep(0.2)
                continue
            self.store, self.fingerprint = fresh, fingerprint
            return True
        return False

    def _remote_changed(self) -> bool:
        """Whether a remote store's ``version()`` changed since the last check (at most one check per interval)."""
        with self._check_lock:
            if time.monotonic() - self.checked_at < REMOTE_CHECK_SECONDS:
                return False
            self.checked_at = time.monotonic()
            fingerprint = (self.compute_version(),)
            changed, self.fingerprint = fingerprint != self.fingerprint, fingerprint
            return changed

    async def run_query(self, sparql: str, *, results_format: str | None, graph_format: str | None,
                        default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
                        union_default_graph: bool = True,
                        bindings: dict[str, Node] | None = None) -> SerializedResult:
        """A public query under the service's limits, answered as bytes.

        Raises ``api.query_pool.QueryRejected`` (timeout, busy, memory) and the
        store's ``InvalidQueryError``/``UnservableResultError``/``StoreError``.
        Callers check the text with ``api.sparql_guard`` first.  ``bindings``
        substitutes values for variables (saved queries' parameters).
        """
        if self.pool is None:
            from starlette.concurrency import run_in_threadpool

            return await run_in_threadpool(
                self.store.query_serialized, sparql, results_format=results_format, graph_format=graph_format,
                default_graphs=default_graphs, named_graphs=named_graphs, union_default_graph=union_default_graph,
                bindings=bindings)
        return await self.pool.run({
            "query": sparql, "results_format": results_format, "graph_format": graph_format,
            "default_graphs": list(default_graphs) if default_graphs is not None else None,
            "named_graphs": list(named_graphs) if named_graphs is not None else None,
            "union_default_graph": union_default_graph, "bindings": bindings})

    def select(self, sparql: str, bindings: dict[str, Node] | None = None) -> Rows:
        return self.store.select(sparql, bindings=bindings)

    def query(self, sparql: str, bindings: dict[str, Node] | None = None) -> Any:
        return self.store.query(sparql, bindings=bindings)

    def stats(self) -> StoreStats:
        return self.store.stats()

    def version(self) -> str:
        """A tag that changes whenever a document graph is added, replaced or removed (for ETags, caches).

        Asked on every lookup that caches by version, so it must be cheap: an
        embedded view's version is computed once (the view is read-only and is
        swapped, not changed, when an ingest commits); a remote store's is the
        one its change check last computed (at most ``REMOTE_CHECK_SECONDS`` old).
        """
        if self.remote:
            self._remote_changed()
            return str(self.fingerprint[0])
        store, cached = self.store, self._version
        if cached is None or cached[0] is not store:
            cached = self._version = (store, self.compute_version())
        return cached[1]

    def compute_version(self) -> str:
        """``version()`` computed afresh: one pass over every document graph's checksum and ingest time."""
        rows = self.store.select(
            "SELECT ?g ?sha ?t WHERE { GRAPH ?g { ?g unkg:sha256 ?sha . OPTIONAL { ?g prov:generatedAtTime ?t } } }",
            )
        digest = hashlib.sha256()
        for row in sorted(rows, key=lambda r: str(r["g"])):
            digest.update(f"{row['g']} {row['sha']} {row.get('t')}\n".encode())
        digest.update(str(len(self.store)).encode())
        return digest.hexdigest()[:32]

    def sparql(self, sparql: str, *, results_format: str | None, graph_format: str | None,
               default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
               union_default_graph: bool = True) -> SerializedResult:
        """A query answered as bytes in the calling thread, without limits (see ``GraphStore.query_serialized``)."""
        return self.store.query_serialized(
            sparql, results_format=results_format, graph_format=graph_format,
            default_graphs=default_graphs, named_graphs=named_graphs, union_default_graph=union_default_graph)

    def dump(self, out: BinaryIO, fmt: str) -> None:
        """Write the whole store to ``out`` in ``fmt`` (``GraphStore.dump`` formats)."""
        self.store.dump(out, fmt)

    def statistics(self) -> DatasetStatistics:
        """Counts for the VoID description; a few aggregates, so callers cache them by ``version()``."""

        def count(sparql: str) -> int:
            rows = self.store.select(sparql)
            return int(rows[0]["n"]) if rows and rows[0]["n"] is not None else 0

        sizes = self.store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return DatasetStatistics(
            triples=count("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"),
            quads=len(self.store),
            distinct_subjects=count("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
            documents=len(self.store.document_graphs()),
            graph_sizes={str(row["g"]): int(row["n"]) for row in sorted(sizes, key=lambda r: str(r["g"]))},
        )

    def last_modified(self) -> datetime | None:
        """When the newest document graph was ingested (its ``prov:generatedAtTime``), for Last-Modified."""
        rows = self.store.select("SELECT (MAX(?t) AS ?latest) WHERE { GRAPH ?g { ?g prov:generatedAtTime ?t } }")
        latest = rows[0]["latest"] if rows else None
        if latest is None:
            return None
        try:
            return datetime.fromisoformat(str(latest).replace("Z", "+00:00"))
        except ValueError:
            return None
