"""The one place where run-time defaults live: store location and base IRI.

Every command and (later) the service read ``Settings()``, so the default
store ``./data/store`` and the base IRI are written once; the environment
overrides them (``UNKG_STORE``, ``UNKG_BASE_IRI``) and command-line flags
override the environment.
"""

from __future__ import annotations

import os

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_STORE = "./data/store"
DEFAULT_BASE_IRI = "https://w3id.org/unkg/"


def normalize_base_iri(value: str) -> str:
    """IRIs are minted as ``{base}document/...``, so the base must end with a separator."""
    value = value.strip()
    if not value:
        raise ValueError("the base IRI must not be empty")
    if "://" not in value and not value.startswith("urn:"):
        raise ValueError(f"the base IRI {value!r} is not an absolute IRI")
    return value if value.endswith(("/", "#")) else value + "/"


class Settings(BaseSettings):
    """Defaults for the store and the IRIs, read from ``UNKG_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="UNKG_", extra="ignore")

    store: str = DEFAULT_STORE
    base_iri: str = DEFAULT_BASE_IRI
    ingest_workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    """Processes that prepare documents during ``unkg ingest`` (the writer is one more, mostly idle)."""

    @field_validator("base_iri")
    @classmethod
    def _base_iri(cls, value: str) -> str:
        return normalize_base_iri(value)
