"""The body of one query worker process: open the store read-only, answer jobs until told to stop.

Public SPARQL queries run here and not in the service process because
pyoxigraph cannot stop a query: the only way to end a runaway one is to end
the process running it (``api.query_pool`` sends SIGKILL and starts another).
Everything a worker does is single-threaded, so a pyoxigraph iterator never
meets a second thread, and it hands back bytes only.

At start a worker, before any thread exists:

* moves into a network namespace of its own when the kernel allows it
  (``unshare(CLONE_NEWNET)``): the loopback there is down and nothing else
  exists, so even a ``SERVICE`` the lexical guard missed cannot reach any
  host — a second wall behind ``api.sparql_guard``;
* lowers its scheduling priority (``nice``), so a runaway query yields the
  CPU to the service's own lookups;
* asks to be killed when its parent dies, so no query outlives the service.

The protocol over the pipe: the worker first sends ``("ready", isolated, error)``,
then answers each job dict with ``("ok", kind, format, data, truncated)`` or
``("error", code, message)``; ``None`` stops it.
"""

from __future__ import annotations

import ctypes
import os
import signal
from multiprocessing.connection import Connection
from typing import Any

from ingest.store import (
    GraphStore,
    InvalidQueryError,
    ResultLimits,
    StoreError,
    UnservableResultError,
    open_store,
)

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
WORKER_NICENESS = 10


def isolate_from_network() -> bool:
    """Enter a fresh network namespace (no interface but a downed loopback); ``False`` where not permitted."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    unshare = getattr(libc, "unshare", None)
    if unshare is None:
        return False
    # Root may make a network namespace directly; anyone else needs a user namespace around it.
    return any(unshare(flags) == 0 for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET))


PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Have the kernel SIGKILL this worker when its parent (the fork server) ends, e.g. after a SIGKILL
    of the service: a worker left behind would run its query to the end with nobody waiting."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def run_job(store: GraphStore, job: dict[str, Any]) -> tuple[Any, ...]:
    """Answer one job; every failure becomes an ``("error", code, message)`` reply."""
    try:
        result = store.query_serialized(
            job["query"], results_format=job["results_format"], graph_format=job["graph_format"],
            default_graphs=job.get("default_graphs"), named_graphs=job.get("named_graphs"),
            union_default_graph=job.get("union_default_graph", True),
            limits=ResultLimits(job["max_rows"], job["max_bytes"]), bindings=job.get("bindings"))
    except UnservableResultError as exc:
        return ("error", "unservable", exc.kind)
    except InvalidQueryError as exc:
        return ("error", "invalid", str(exc))
    except StoreError as exc:
        return ("error", "failed", str(exc))
    except MemoryError:
        return ("error", "memory", "the query needed more memory than a worker may use")
    return ("ok", result.kind, result.format, result.data, result.truncated)


def serve(conn: Connection, store_path: str, isolate: bool = True) -> None:
    """The worker's main loop (the target of its ``multiprocessing.Process``)."""
    die_with_parent()
    isolated = isolate_from_network() if isolate else False
    try:
        os.nice(WORKER_NICENESS)
    except OSError:
        pass
    try:
        store = open_store(store_path, read_only=True)
    except StoreError as exc:
        conn.send(("ready", isolated, str(exc)))
        return
    conn.send(("ready", isolated, None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(run_job(store, job))
