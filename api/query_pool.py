"""A bounded pool of query worker processes: public SPARQL queries that can really be stopped.

pyoxigraph has no timeout and no cancellation, and a query releases the GIL
while it runs, so a thread cannot be interrupted and a runaway query would
keep a core busy long after its client gave up.  Each public query therefore
runs in a worker process (``api.query_worker``) holding a read-only view of
the store; the service waits for its answer at most ``timeout`` seconds and
then kills the worker with SIGKILL, which frees its CPU and memory at once,
and starts a fresh one.

Bounds, all from ``ServiceSettings``:

* ``workers`` queries run at once (one process each; keep it below the number
  of cores so the service's own lookups always have one);
* up to ``queue`` more requests wait at most ``queue_wait`` seconds for a free
  worker, then get ``QueryBusy`` (503 with ``Retry-After``); beyond that they
  are turned away at once;
* a worker whose resident memory passes ``memory_bytes`` is killed like a
  runaway (the parent reads ``/proc/PID/statm`` while it waits);
* every answer is capped in rows and bytes by the worker itself.

Workers come from a ``forkserver`` (started once, with the worker module
preloaded), so replacing a killed one takes milliseconds, not an interpreter
start.  Waiting happens in a private thread pool of ``workers`` threads and
admission in the event loop, so queued queries hold neither FastAPI's thread
pool (which serves the JSON lookups) nor a worker.
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import os
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from ingest.store import InvalidQueryError, SerializedResult, StoreError, UnservableResultError

from .query_worker import serve

T = TypeVar("T")

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class PoolLimits:
    """How much work public queries may do; see the module docstring."""

    timeout: float
    workers: int
    queue: int
    queue_wait: float
    max_rows: int
    max_bytes: int
    memory_bytes: int


class QueryRejected(Exception):
    """A query the pool did not answer: status, short error, detail, headers for the HTTP answer."""

    status = 503

    def __init__(self, error: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(error)
        self.error, self.detail, self.headers = error, detail, headers or {}


class QueryTimeout(QueryRejected):
    """The query ran past the time limit; its worker was killed."""

    status = 504


class QueryBusy(QueryRejected):
    """Every worker was busy for longer than the queue wait, or too many requests were waiting."""

    status = 503


class QueryTooLarge(QueryRejected):
    """The query's worker passed the memory limit and was killed."""

    status = 503


class QueryCrashed(QueryRejected):
    """The worker died without answering (the store could not be opened, or the process aborted)."""

    status = 500


def resident_bytes(pid: int) -> int:
    """Resident memory of a process from ``/proc/PID/statm`` (0 where that file does not exist)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return 0


def _context() -> Any:
    """The forkserver context with the worker module preloaded (spawn where fork servers do not exist)."""
    try:
        context = multiprocessing.get_context("forkserver")
    except ValueError:
        return multiprocessing.get_context("spawn")
    # Preloading only the worker module (not ``__main__``) keeps the CLI from running in the fork server.
    context.set_forkserver_preload(["api.query_worker"])
    return context


class Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context: Any, store_path: str, generation: int, isolate: bool) -> None:
        parent, child = context.Pipe(duplex=True)
        self.conn: Connection = parent
        self.generation = generation
        self.process = context.Process(target=serve, args=(child, store_path, isolate), daemon=True,
                                       name="unkg-query-worker")
        self.process.start()
        child.close()
        self.ready = False
        self.isolated: bool | None = None
        self.start_error: str | None = None

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def wait_ready(self, timeout: float) -> bool:
        """Read the worker's ``ready`` message; ``False`` if it did not come in time or reported an error."""
        if not self.ready:
            try:
                if not self.conn.poll(timeout):
                    return False
                _, self.isolated, self.start_error = self.conn.recv()
            except (EOFError, OSError):
                self.start_error = "the worker exited while opening the store"
                return False
            self.ready = True
        return self.start_error is None

    def kill(self) -> None:
        """SIGKILL: the only way to stop a query inside pyoxigraph."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def call(self, job: dict[str, Any], limits: PoolLimits) -> tuple[Any, ...]:
        """Send one job and wait for its answer within the time and memory limits (blocks a thread)."""
        deadline = time.monotonic() + limits.timeout
        if not self.wait_ready(max(0.0, deadline - time.monotonic())):
            self.kill()
            if self.start_error:
                raise QueryCrashed("query failed", f"the query worker could not open the store: {self.start_error}")
            raise _timeout(limits)
        self.conn.send(job)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise _timeout(limits)
            try:
                if self.conn.poll(min(_POLL_SECONDS, remaining)):
                    reply: tuple[Any, ...] = self.conn.recv()
                    return reply
            except (EOFError, OSError):
                self.kill()
                raise QueryCrashed("query failed", "the query worker died without answering") from None
            if resident_bytes(self.process.pid or 0) > limits.memory_bytes:
                self.kill()
                raise QueryTooLarge("query too large", (
                    f"the query needed more than {limits.memory_bytes // 2**20} MiB of memory and was stopped; "
                    "narrow it (more specific patterns, LIMIT) or run it locally with `unkg query`"))
            if not self.process.is_alive():
                self.kill()
                raise QueryCrashed("query failed", "the query worker died without answering")


def _timeout(limits: PoolLimits) -> QueryTimeout:
    seconds = f"{limits.timeout:g}"
    return QueryTimeout("query timeout", (
        f"the query ran longer than this endpoint's limit of {seconds} s and was stopped. "
        "Make it more selective (LIMIT, more specific patterns), or run it on your own copy without this limit: "
        f"`unkg query '...'`, or `unkg serve --query-timeout {max(60, int(limits.timeout) * 6)}` "
        "(environment variable UNKG_QUERY_TIMEOUT)"))


class Admission:
    """The queue in front of a fixed number of query places (worker processes, or a remote store's slots).

    At most ``queue`` requests wait, each at most ``queue_wait`` seconds; past
    either bound the request gets ``QueryBusy`` (503 with ``Retry-After``).
    """

    def __init__(self, limits: PoolLimits, places: str) -> None:
        self.limits, self.places = limits, places
        self.waiting = 0

    def _retry(self) -> dict[str, str]:
        return {"Retry-After": str(max(1, math.ceil(self.limits.queue_wait)))}

    def shutting_down(self) -> QueryBusy:
        return QueryBusy("service busy", "the service is shutting down", self._retry())

    async def enter(self, all_busy: bool, take: Callable[[], Awaitable[T]]) -> T:
        """``take()`` a place, waiting in the bounded queue when ``all_busy``."""
        if all_busy and self.waiting >= self.limits.queue:
            raise QueryBusy("service busy", (
                f"{self.limits.workers} queries are running and {self.waiting} are waiting; "
                "try again shortly"), self._retry())
        self.waiting += 1
        try:
            return await asyncio.wait_for(take(), timeout=self.limits.queue_wait)
        except TimeoutError:
            raise QueryBusy("service busy", (
                f"all {self.limits.workers} {self.places} stayed busy for {self.limits.queue_wait:g} s; "
                "try again shortly"), self._retry()) from None
        finally:
            self.waiting -= 1


class QueryPool:
    """The workers of one running service; created and closed by the app's lifespan."""

    def __init__(self, store_path: str, limits: PoolLimits, *, isolate: bool = True) -> None:
        self.store_path = store_path
        self.limits = limits
        self.isolate = isolate
        self.generation = 0
        self._context = _context()
        self._executor = ThreadPoolExecutor(max_workers=max(1, limits.workers), thread_name_prefix="unkg-query")
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._all: set[Worker] = set()
        self._admission = Admission(limits, "query workers")
        self._closed = False
        self.network_isolated: bool | None = None
        """Whether the workers could leave the network (``None`` until one has started)."""

    def _spawn(self) -> Worker:
        worker = Worker(self._context, self.store_path, self.generation, self.isolate)
        self._all.add(worker)
        return worker

    async def start(self) -> None:
        """Start the workers and wait until they have opened the store (so the first query is not slow)."""
        workers = [self._spawn() for _ in range(max(1, self.limits.workers))]
        loop = asyncio.get_running_loop()
        for worker in workers:
            await loop.run_in_executor(self._executor, worker.wait_ready, 60.0)
            if self.network_isolated is None and worker.ready:
                self.network_isolated = bool(worker.isolated)
            self._idle.put_nowait(worker)

    @property
    def pids(self) -> list[int]:
        return [w.process.pid for w in self._all if w.process.pid is not None]

    async def run(self, job: dict[str, Any]) -> SerializedResult:
        """Run one query on a free worker; raise ``QueryRejected`` or a store error for the route to answer."""
        worker = await self._acquire()
        loop = asyncio.get_running_loop()
        job = {**job, "max_rows": self.limits.max_rows, "max_bytes": self.limits.max_bytes}
        try:
            reply = await loop.run_in_executor(self._executor, worker.call, job, self.limits)
        finally:
            self._release(worker)
        if reply[0] == "ok":
            _, kind, fmt, data, truncated = reply
            return SerializedResult(kind, fmt, data, truncated)
        _, code, message = reply
        if code == "unservable":
            raise UnservableResultError(message)
        if code == "invalid":
            raise InvalidQueryError(message)
        raise StoreError(message)

    async def _acquire(self) -> Worker:
        if self._closed:
            raise self._admission.shutting_down()
        return await self._admission.enter(self._idle.empty(), self._idle.get)

    def _release(self, worker: Worker) -> None:
        """Put a worker back, or replace it when it was killed or holds an older view of the store."""
        if self._closed:
            self._all.discard(worker)
            worker.kill()
            return
        if worker.alive and worker.generation == self.generation:
            self._idle.put_nowait(worker)
            return
        self._all.discard(worker)
        worker.kill()  # idle and read-only: nothing is lost
        self._idle.put_nowait(self._spawn())

    def reload(self) -> None:
        """The store changed: idle workers are replaced now, busy ones when their query ends."""
        self.generation += 1
        stale: list[Worker] = []
        while not self._idle.empty():
            stale.append(self._idle.get_nowait())
        for worker in stale:
            self._release(worker)

    async def close(self) -> None:
        self._closed = True
        for worker in list(self._all):
            worker.kill()
        self._all.clear()
        self._executor.shutdown(wait=False, cancel_futures=True)
