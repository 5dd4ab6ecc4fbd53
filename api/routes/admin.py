"""``POST /admin/ingest``: the only write over HTTP, and only when ``UNKG_ADMIN_TOKEN`` is set.

Without the token the router is not even mounted, so the path answers 404
like any unknown one.  With it, a request must carry
``Authorization: Bearer <token>``; the comparison is constant-time
(``hmac.compare_digest``) and happens before the body is read, so an
anonymous client cannot make the service spool an upload.

Uploaded files go through exactly the pipeline of ``unkg ingest``
(``ingest.loader.ingest_paths``: the same refusals, SHACL validation, one
transaction per document), run in a child process: the service itself only
holds read-only views of the store, and the child takes RocksDB's write lock
like any ``unkg ingest`` would — if one is already running, the answer is 409.
When the child is done the service reopens its view at once.
"""

from __future__ import annotations

import asyncio
import hmac
import multiprocessing
import re
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..app import get_graph, get_settings
from ..errors import ApiError
from ..models import AdminIngestReport, ErrorBody, FailedFile

router = APIRouter(tags=["admin"])

MAX_FILES = 200
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ ()+\-]{0,199}$")
ACCEPTED_SUFFIXES = (".txt", ".md", ".xml", ".meta.json")
_CHUNK = 1 << 20


def _check_token(request: Request) -> None:
    expected = get_settings(request).admin_token
    if expected is None:  # the router is only mounted with a token; this is a second lock on the door
        raise ApiError(404, "not found")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise ApiError(401, "authentication required", "send Authorization: Bearer <UNKG_ADMIN_TOKEN>",
                       headers={"WWW-Authenticate": 'Bearer realm="unkg admin"'})
    if not hmac.compare_digest(given.strip().encode(), expected.get_secret_value().encode()):
        raise ApiError(403, "forbidden", "the token does not match")


def safe_upload_name(name: str | None) -> str:
    """The upload's file name, refused unless it is a plain name with an accepted suffix (no paths)."""
    if not name or not SAFE_NAME.match(name) or ".." in name or not name.lower().endswith(ACCEPTED_SUFFIXES):
        raise ApiError(400, "bad file name", {
            "name": name, "message": "a plain file name (letters, digits, . _ - + ( ) and spaces, no folders) "
                                     f"ending in {', '.join(ACCEPTED_SUFFIXES)}"})
    return name


def ingest_in_child(store: str, base: str, paths: list[str]) -> dict[str, Any]:
    """Run the loader on ``paths`` (in the child process); a store held by another writer is reported, not raised."""
    from ingest.loader import ingest_paths
    from ingest.store import StoreError, StoreLockedError, open_store

    try:
        graph_store = open_store(store)
    except StoreLockedError as exc:
        return {"locked": str(exc)}
    except StoreError as exc:
        return {"error": str(exc)}
    with graph_store:
        report = ingest_paths(graph_store, [Path(p) for p in paths], base=base)
    return {"documents": report.documents, "unchanged": report.skipped_unchanged,
            "failed": [{"file": Path(p).name, "reason": r} for p, r in report.failed],
            "graphs": report.graphs, "triples_written": report.triples_written}


def _run_child(store: str, base: str, paths: list[str]) -> dict[str, Any]:
    # spawn, not fork: the service has threads (and pyoxigraph handles) that a fork would copy half-way.
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as executor:
        result: dict[str, Any] = executor.submit(ingest_in_child, store, base, paths).result()
        return result


async def _save(upload: UploadFile, target: Path, limit: int) -> None:
    size = 0
    with target.open("wb") as out:
        while chunk := await upload.read(_CHUNK):
            size += len(chunk)
            if size > limit:
                raise ApiError(413, "file too large", {"name": upload.filename, "limit": limit})
            out.write(chunk)


_lock = asyncio.Lock()


@router.post(
    "/admin/ingest", response_model=AdminIngestReport,
    summary="Ingest uploaded resolution texts (only with UNKG_ADMIN_TOKEN; Bearer token)",
    openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
        "required": ["files"]}}}}},
    responses={401: {"model": ErrorBody}, 403: {"model": ErrorBody}, 409: {"model": ErrorBody},
               413: {"model": ErrorBody}},
)
async def admin_ingest(request: Request) -> AdminIngestReport:
    """Each uploaded file (form field ``files``) becomes one document graph, exactly as with ``unkg ingest``."""
    _check_token(request)
    settings, graph = get_settings(request), get_graph(request)
    if graph.location is None:
        raise ApiError(409, "no store on disk", "this service does not read a store directory")
    if _lock.locked():
        raise ApiError(409, "ingest running", "another upload is being ingested; try again when it has finished")
    async with _lock:
        try:
            form = await request.form(max_files=MAX_FILES, max_fields=MAX_FILES)
        except Exception as exc:  # a malformed multipart body
            raise ApiError(400, "malformed upload", f"send multipart/form-data with files: {exc}") from None
        uploads = [item for item in form.getlist("files") if isinstance(item, UploadFile)]
        if not uploads:
            raise ApiError(400, "no files", "send the texts as multipart/form-data field 'files'")
        from ingest.normalize import MAX_FILE_BYTES

        with tempfile.TemporaryDirectory(prefix="unkg-upload-") as folder:
            paths: list[str] = []
            for upload in uploads:
                name = safe_upload_name(upload.filename)
                target = Path(folder) / name
                if target.exists():
                    raise ApiError(400, "duplicate file name", {"name": name})
                await _save(upload, target, MAX_FILE_BYTES)
                if not name.lower().endswith(".meta.json"):
                    paths.append(str(target))
            await form.close()
            if not paths:
                raise ApiError(400, "no texts", "only sidecars were sent; add the .txt, .md or .xml files")
            outcome = await run_in_threadpool(_run_child, graph.location, settings.base_iri, paths)
    if "locked" in outcome:
        raise ApiError(409, "store busy", outcome["locked"])
    if "error" in outcome:
        raise ApiError(500, "ingest failed", outcome["error"])
    if await run_in_threadpool(graph.refresh_if_changed) and graph.pool is not None:
        graph.pool.reload()
    return AdminIngestReport(documents=outcome["documents"], unchanged=outcome["unchanged"],
                             failed=[FailedFile(**f) for f in outcome["failed"]], graphs=outcome["graphs"],
                             triples_written=outcome["triples_written"])
