"""Settings of the service: the store and base IRI of ``ingest.settings`` plus where to listen."""

from __future__ import annotations

from ingest.settings import Settings


class ServiceSettings(Settings):
    """``UNKG_HOST``, ``UNKG_PORT`` and the limits of the public endpoint, next to ``UNKG_STORE``/``UNKG_BASE_IRI``."""

    host: str = "127.0.0.1"
    port: int = 8000
    max_page_size: int = 500
    max_path_depth: int = 6
    max_network_depth: int = 3
