"""Errors of the service: raised as typed exceptions, turned into JSON ``{"error", "detail"}`` in one place."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ingest.store import InvalidTermError


class ApiError(Exception):
    """An error a client can act on: status code, short error, helpful detail."""

    def __init__(self, status: int, error: str, detail: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.detail = detail
        self.headers = headers


class NotFound(ApiError):
    def __init__(self, error: str, detail: Any = None) -> None:
        super().__init__(404, error, detail)


class BadRequest(ApiError):
    def __init__(self, error: str, detail: Any = None) -> None:
        super().__init__(400, error, detail)


def error_body(error: str, detail: Any = None) -> dict[str, Any]:
    return {"error": error, "detail": detail}


def install_error_handlers(app: FastAPI) -> None:
    """Every error leaves the service as JSON with a proper status code."""

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.error, exc.detail), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(InvalidTermError)
    async def _invalid_term(_: Request, exc: InvalidTermError) -> JSONResponse:
        # An identifier from the request that cannot even be an IRI cannot name anything in the graph.
        return JSONResponse(error_body("invalid identifier", str(exc)), status_code=400)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in exc.errors()]
        return JSONResponse(error_body("invalid request parameters", detail), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(error_body(str(exc.detail)), status_code=exc.status_code, headers=exc.headers)
