"""``/dump``: the whole graph as one file, in Turtle, N-Triples, N-Quads, TriG or JSON-LD.

A dump is written once per store version and format to a file in a cache
directory, by the worker thread that serves the request (pyoxigraph iterators
must stay in the thread that made them), and is then sent from disk by a
``FileResponse``: the response streams in constant memory and many clients
can download the same dump at once.  Files appear atomically (``os.replace``
of a finished temporary file), so a reader never sees half a dump, and a
per-file lock keeps concurrent first requests from writing it twice.

The ``ETag`` is the store version plus the format, so it changes exactly when
the data does and survives restarts; ``Last-Modified`` is the newest ingest time.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import FileResponse, Response

from ingest.store import StoreError

from ..app import get_graph
from ..errors import ApiError, BadRequest, NotFound
from ..graph import Graph
from ..negotiation import negotiate


@dataclass(frozen=True)
class DumpFormat:
    """A dump serialization: its name in ``format=``, file suffix, media type and ``GraphStore.dump`` name."""

    name: str
    suffix: str
    media_type: str
    store_format: str


DUMP_FORMATS = {f.name: f for f in (
    DumpFormat("turtle", "ttl", "text/turtle", "turtle"),
    DumpFormat("ntriples", "nt", "application/n-triples", "nt"),
    DumpFormat("nquads", "nq", "application/n-quads", "nq"),
    DumpFormat("trig", "trig", "application/trig", "trig"),
    DumpFormat("jsonld", "jsonld", "application/ld+json", "jsonld"),
)}
"""Turtle, N-Triples and JSON-LD hold the union of all graphs; N-Quads and TriG keep the named graphs."""

BY_SUFFIX = {f.suffix: f for f in DUMP_FORMATS.values()}
ALIASES = {"ttl": "turtle", "nt": "ntriples", "n-triples": "ntriples", "nq": "nquads", "n-quads": "nquads",
           "json-ld": "jsonld"}
FORMAT_LIST = ", ".join(DUMP_FORMATS)


class DumpCache:
    """The dump files of one running service, in a private temporary directory removed at shutdown.

    Files are named by store version and format, so a file, once written, is
    right for as long as the version holds; a newer version's file replaces
    the older one of the same format.
    """

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="unkg-dumps-"))
        self._lock = threading.Lock()
        self._file_locks: dict[str, threading.Lock] = {}

    def _file_lock(self, name: str) -> threading.Lock:
        with self._lock:
            return self._file_locks.setdefault(name, threading.Lock())

    def dump_file(self, graph: Graph, version: str, fmt: DumpFormat) -> Path:
        """The dump of ``graph`` at ``version`` in ``fmt``, written now unless an earlier request did."""
        target = self.directory / f"unkg-{version}.{fmt.suffix}"
        with self._file_lock(target.name):
            if target.is_file():
                return target
            handle, partial = tempfile.mkstemp(dir=self.directory, prefix=".partial-", suffix=f".{fmt.suffix}")
            try:
                with os.fdopen(handle, "wb") as out:
                    graph.dump(out, fmt.store_format)
                os.replace(partial, target)
            except BaseException:
                Path(partial).unlink(missing_ok=True)
                raise
            for stale in self.directory.glob(f"unkg-*.{fmt.suffix}"):
                if stale != target:
                    stale.unlink(missing_ok=True)
        return target

    def close(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


@asynccontextmanager
async def _dump_cache_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Give the app its dump cache, and remove the files at shutdown.

    Merged into the app's lifespan by ``include_router``.  Not ``atexit``:
    uvicorn re-raises SIGTERM after a graceful shutdown, so exit hooks never run.
    """
    app.state.dump_cache = DumpCache()
    try:
        yield
    finally:
        app.state.dump_cache.close()


router = APIRouter(tags=["dumps"], lifespan=_dump_cache_lifespan)
_fallback_lock = threading.Lock()


def _cache(request: Request) -> DumpCache:
    """The app's dump cache; made on first use if the app was started without its lifespan."""
    state = request.app.state
    with _fallback_lock:
        if getattr(state, "dump_cache", None) is None:
            state.dump_cache = DumpCache()
    cache: DumpCache = state.dump_cache
    return cache


def _etag_matches(header: str, etag: str) -> bool:
    """``If-None-Match`` uses weak comparison: ``W/"x"`` matches ``"x"``; ``*`` matches anything."""
    if header.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in header.split(","))


def _not_modified(request: Request, etag: str, modified: datetime | None) -> bool:
    """Whether the client's copy is current; ``If-None-Match`` wins over ``If-Modified-Since`` (RFC 9110)."""
    if (if_none_match := request.headers.get("if-none-match")) is not None:
        return _etag_matches(if_none_match, etag)
    if (since := request.headers.get("if-modified-since")) and modified is not None:
        try:
            return modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def _serve(request: Request, fmt: DumpFormat, vary: bool = False) -> Response:
    """Answer one dump request: 304 if the client has it, else the cached file (written first if needed)."""
    graph = get_graph(request)
    try:
        version = graph.version()
        modified = graph.last_modified()
        headers = {"ETag": f'"{version}-{fmt.name}"'}
        if modified is not None:
            headers["Last-Modified"] = format_datetime(modified.astimezone(UTC), usegmt=True)
        if vary:
            headers["Vary"] = "Accept"
        if _not_modified(request, headers["ETag"], modified):
            return Response(status_code=304, headers=headers)
        path = _cache(request).dump_file(graph, version, fmt)
    except StoreError as exc:
        raise ApiError(500, "dump failed", str(exc)) from exc
    return FileResponse(path, media_type=fmt.media_type, filename=f"unkg.{fmt.suffix}", headers=headers)


@router.head("/dump", include_in_schema=False)
@router.get(
    "/dump", summary="The whole graph as one file (HEAD too)",
    responses={200: {"content": {f.media_type: {} for f in DUMP_FORMATS.values()}},
               304: {"description": "the client's copy (If-None-Match) is current"},
               400: {"description": "unknown format"}, 406: {"description": "no acceptable format"}},
)
def dump(
    request: Request,
    format: Annotated[str | None, Query(description=f"One of {FORMAT_LIST}; without it, by Accept "
                                        "(Turtle by default).")] = None,
) -> Response:
    """Turtle, N-Triples and JSON-LD hold the union of all graphs; N-Quads and TriG keep each named graph."""
    if format is not None:
        name = ALIASES.get(format.strip().lower(), format.strip().lower())
        if name not in DUMP_FORMATS:
            raise BadRequest("unknown dump format", f"format={format!r}; choose one of {FORMAT_LIST}")
        return _serve(request, DUMP_FORMATS[name])
    media = negotiate(request.headers.get("accept"), [f.media_type for f in DUMP_FORMATS.values()])
    if media is None:
        raise ApiError(406, "not acceptable", "dumps are available as "
                       + ", ".join(f.media_type for f in DUMP_FORMATS.values()) + f" or with format={FORMAT_LIST}")
    chosen = next(f for f in DUMP_FORMATS.values() if f.media_type == media)
    return _serve(request, chosen, vary=True)


@router.head("/dump.{suffix}", include_in_schema=False)
@router.get(
    "/dump.{suffix}", summary="The whole graph as one file, format by suffix (HEAD too)",
    responses={200: {"content": {f.media_type: {} for f in DUMP_FORMATS.values()}},
               404: {"description": "unknown suffix"}},
)
def dump_by_suffix(request: Request, suffix: str) -> Response:
    """``/dump.ttl``, ``/dump.nt``, ``/dump.nq``, ``/dump.trig``, ``/dump.jsonld``."""
    fmt = BY_SUFFIX.get(suffix.lower())
    if fmt is None:
        raise NotFound("unknown dump", f"/dump.{suffix}: choose one of "
                       + ", ".join(f"/dump.{s}" for s in BY_SUFFIX))
    return _serve(request, fmt)
