"""What every response of the public service carries, and what every request may weigh.

One pure ASGI middleware (no per-request task or body buffering, unlike
``BaseHTTPMiddleware``) does three things:

* **security headers** on every answer: ``X-Content-Type-Options: nosniff``,
  ``Referrer-Policy: no-referrer``, ``X-Frame-Options: DENY`` and a
  ``Content-Security-Policy`` — ``default-src 'none'`` for data, a policy
  allowing only the pages' own inline style for HTML, and one allowing the
  Swagger/ReDoc assets on ``/docs`` and ``/redoc``;
* **CORS on the read-only routes only**: any origin may read (``*``, no
  credentials) everything except ``/admin/``, which gets no CORS headers at all,
  so no web page can make a browser post to it; preflights are answered here;
* **a request body limit**: a declared ``Content-Length`` over the limit is
  answered 413 before the body is read, and a chunked body is counted as it
  arrives (``max_body_bytes``; ``max_upload_bytes`` for ``/admin/``).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI
from starlette.exceptions import HTTPException

from .settings import ServiceSettings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DATA_CSP = "default-src 'none'; frame-ancestors 'none'"
HTML_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
"""The web interface's pages load their scripts and styles from ``/static`` and fetch from this origin only."""
DOCS_CSP = ("default-src 'none'; script-src 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
            "font-src https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
            "https://cdn.redoc.ly; worker-src blob:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'")
"""FastAPI's ``/docs`` and ``/redoc`` pages load their scripts from a CDN and start them inline."""

CORS_EXPOSED = "ETag, Last-Modified, Content-Disposition, Retry-After, X-Unkg-Truncated, Link"
CORS_HEADERS = "Accept, Content-Type, If-None-Match, If-Modified-Since"
ADMIN_PREFIX = "/admin/"


class RequestTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body too large: the limit is {limit} bytes")


_PATH_REFUSED = {"Cc", "Cs", "Co", "Cn"}
_VALUE_REFUSED = {"Cs"}


def _bad_characters(path: str, query_string: bytes) -> str | None:
    """Why the URL cannot be served, or ``None``: strict input validation before any route sees it.

    The path (symbols, keys, names) may hold no control, surrogate, private-use
    or unassigned characters; a query-string value may hold no control
    character but tab and line breaks (a SPARQL query has those) and no
    surrogates.  Nothing valid in this graph is spelled with them, and
    refusing them here keeps them from every lookup and log line.
    """
    for char in path:
        if unicodedata.category(char) in _PATH_REFUSED:
            return f"the path holds the character U+{ord(char):04X}, which no identifier here contains"
    try:
        values = [v for _, v in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, errors="strict")]
    except (UnicodeDecodeError, ValueError):
        return "the query string is not valid UTF-8"
    for value in values:
        for char in value:
            category = unicodedata.category(char)
            if category in _VALUE_REFUSED or (category == "Cc" and char not in "\t\n\r"):
                return f"a parameter holds the character U+{ord(char):04X}, which no valid value contains"
    return None


def _security_headers(path: str, content_type: str) -> list[tuple[bytes, bytes]]:
    if path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        csp = DOCS_CSP
    elif content_type.startswith("text/html"):
        csp = HTML_CSP
    else:
        csp = DATA_CSP
    return [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"), (b"content-security-policy", csp.encode())]


class SecurityMiddleware:
    """Headers, CORS and body limits for every HTTP request (see the module docstring)."""

    def __init__(self, app: ASGIApp, max_body_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        admin = path.startswith(ADMIN_PREFIX)
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        origin = headers.get(b"origin")
        if (scope["method"] == "OPTIONS" and origin is not None and not admin
                and b"access-control-request-method" in headers):
            await self._preflight(path, send)
            return
        if (bad := _bad_characters(path, scope.get("query_string", b""))) is not None:
            await self._json(path, 400, "invalid characters", bad, send)
            return
        limit = self.max_upload_bytes if admin else self.max_body_bytes
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._too_large(path, limit, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RequestTooLarge(limit)
            return message

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                content_type = next((v.decode("latin-1") for k, v in raw if k.lower() == b"content-type"), "")
                present = {k.lower() for k, _ in raw}
                raw += [h for h in _security_headers(path, content_type) if h[0] not in present]
                if origin is not None and not admin:
                    raw += [(b"access-control-allow-origin", b"*"),
                            (b"access-control-expose-headers", CORS_EXPOSED.encode())]
                message["headers"] = raw
            await send(message)

        await self.app(scope, limited_receive, send_with_headers)

    async def _preflight(self, path: str, send: Send) -> None:
        methods = b"GET, HEAD, POST, OPTIONS" if path == "/sparql" else b"GET, HEAD, OPTIONS"
        headers = [(b"access-control-allow-origin", b"*"), (b"access-control-allow-methods", methods),
                   (b"access-control-allow-headers", CORS_HEADERS.encode()), (b"access-control-max-age", b"86400"),
                   (b"content-length", b"0"), *_security_headers(path, "")]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

    async def _too_large(self, path: str, limit: int, send: Send) -> None:
        await self._json(path, 413, "request too large",
                         f"the request body exceeds this endpoint's limit of {limit} bytes", send)

    async def _json(self, path: str, status: int, error: str, detail: str, send: Send) -> None:
        body = json.dumps({"error": error, "detail": detail}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close"), *_security_headers(path, "application/json")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def install_security(app: FastAPI, settings: ServiceSettings) -> None:
    """Wrap the app in ``SecurityMiddleware`` with the settings' body limits."""
    app.add_middleware(SecurityMiddleware, max_body_bytes=settings.max_body_bytes,  # type: ignore[arg-type]
                       max_upload_bytes=settings.max_upload_bytes)
