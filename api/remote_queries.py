"""Public SPARQL queries against a remote store: the query pool's limits without worker processes.

With ``--store http://...`` the queries run on the SPARQL server, so the
worker processes of ``api.query_pool`` have nothing to isolate (and a worker
cut off from the network could not reach the store anyway).  What stays is
everything the service itself must bound, from the same ``PoolLimits``:

* ``workers`` queries are sent at once; up to ``queue`` more wait at most
  ``queue_wait`` seconds, then get ``QueryBusy`` (503 with ``Retry-After``),
  exactly as with the pool;
* each query may take ``timeout`` seconds, counted until its answer has been
  read: past that the HTTP request is cut and the client gets ``QueryTimeout``
  (504) with the pool's message;
* each answer is capped in rows and bytes while it streams in, so memory
  stays bounded without a per-process memory limit.

The server is not stopped by a cut request when it computes before it writes
(ORDER BY, aggregates): give it its own timeout (``oxigraph serve --timeout-s``),
see ``docs/scaling.md``.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ingest.remote_store import RemoteStore, StoreTimeoutError
from ingest.store import ResultLimits, SerializedResult

from .query_pool import Admission, PoolLimits, _timeout


class RemoteQueryGate:
    """The bounded concurrency of ``QueryPool`` for a remote store; same ``run``/``reload``/``close`` methods."""

    network_isolated = False
    """Nothing to isolate: the queries run on the store's server."""

    def __init__(self, store: RemoteStore, limits: PoolLimits) -> None:
        self.store = store
        self.limits = limits
        self._executor = ThreadPoolExecutor(max_workers=max(1, limits.workers), thread_name_prefix="unkg-remote")
        self._slots: asyncio.Semaphore | None = None
        self._admission = Admission(limits, "query slots")
        self._closed = False

    @property
    def pids(self) -> list[int]:
        return []

    async def start(self) -> None:
        self._slots = asyncio.Semaphore(max(1, self.limits.workers))

    async def run(self, job: dict[str, Any]) -> SerializedResult:
        """Send one query under the limits; raise ``QueryRejected`` or a store error for the route to answer."""
        slots = await self._acquire()
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, self._call, job)
        finally:
            slots.release()

    def _call(self, job: dict[str, Any]) -> SerializedResult:
        try:
            return self.store.query_serialized(
                job["query"], results_format=job["results_format"], graph_format=job["graph_format"],
                default_graphs=job.get("default_graphs"), named_graphs=job.get("named_graphs"),
                union_default_graph=job.get("union_default_graph", True),
                limits=ResultLimits(self.limits.max_rows, self.limits.max_bytes), bindings=job.get("bindings"),
                timeout=self.limits.timeout)
        except StoreTimeoutError:
            raise _timeout(self.limits) from None

    async def _acquire(self) -> asyncio.Semaphore:
        slots = self._slots
        if self._closed or slots is None:
            raise self._admission.shutting_down()
        await self._admission.enter(slots.locked(), slots.acquire)
        return slots

    def reload(self) -> None:
        """Nothing to reload: every query reads the server's current data."""

    async def close(self) -> None:
        self._closed = True
        self._executor.shutdown(wait=False, cancel_futures=True)
