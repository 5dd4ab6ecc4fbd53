"""Settings of the service: the store and base IRI of ``ingest.settings`` plus where to listen and the limits.

Every field can be set by an ``UNKG_*`` environment variable (``UNKG_QUERY_TIMEOUT=30``);
``unkg serve`` flags override them.  The limits exist because the endpoint is
public: see ``docs/reliability.md`` for what each one protects and how it was measured.
"""

from __future__ import annotations

from pydantic import Field, SecretStr, field_validator

from ingest.settings import Settings

MIN_ADMIN_TOKEN_LENGTH = 16


class ServiceSettings(Settings):
    """``UNKG_HOST``, ``UNKG_PORT`` and the limits of the public endpoint, next to ``UNKG_STORE``/``UNKG_BASE_IRI``."""

    host: str = "127.0.0.1"
    port: int = 8000
    max_page_size: int = 500
    max_path_depth: int = 6
    max_network_depth: int = 3

    query_timeout: float = Field(default=10.0, gt=0, le=86400)
    """Seconds a public SPARQL query may run before its worker is killed (504)."""
    query_workers: int = Field(default=2, ge=1, le=64)
    """Worker processes, hence queries running at once; keep it below the number of cores."""
    query_queue: int = Field(default=64, ge=0, le=10000)
    """Requests that may wait for a busy worker; more are turned away at once (503)."""
    query_queue_wait: float = Field(default=5.0, ge=0, le=600)
    """Seconds a request waits for a worker before it gets 503 with Retry-After."""
    query_max_rows: int = Field(default=100_000, ge=1)
    """Solutions (SELECT) or triples (CONSTRUCT/DESCRIBE) in one answer; more are cut, with X-Unkg-Truncated."""
    query_max_bytes: int = Field(default=32 * 2**20, ge=1024)
    """Bytes of one serialized answer; a longer one is cut, with X-Unkg-Truncated."""
    query_max_length: int = Field(default=100_000, ge=100)
    """Characters of one query text (413 beyond)."""
    query_memory_mb: int = Field(default=2048, ge=64)
    """Resident memory a query worker may reach before it is killed (503)."""
    isolate_query_workers: bool = True
    """Run query workers in a network namespace of their own where the kernel allows it."""
    max_body_bytes: int = Field(default=2 * 2**20, ge=1024)
    """Request bodies larger than this get 413 (``POST /admin/ingest`` has its own limit)."""
    max_upload_bytes: int = Field(default=64 * 2**20, ge=1024)
    """The whole ``POST /admin/ingest`` request."""
    admin_token: SecretStr | None = None
    """Enables ``POST /admin/ingest`` for requests bearing this token; without it the route does not exist."""
    store_reload_interval: float = Field(default=1.0, gt=0, le=3600)
    """Seconds between checks for data written by ``unkg ingest`` while the service runs."""

    @field_validator("admin_token")
    @classmethod
    def _admin_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        if len(value.get_secret_value()) < MIN_ADMIN_TOKEN_LENGTH:
            raise ValueError(f"UNKG_ADMIN_TOKEN must be at least {MIN_ADMIN_TOKEN_LENGTH} characters long")
        return value
