"""The one module through which the service reads the store.

Routes ask this module for data and never see pyoxigraph: switching the
embedded store for a remote SPARQL server touches this file (and the store
module) only.  Every call runs to completion in the calling thread and
returns plain Python or bytes, because pyoxigraph's result iterators must not
cross threads; routes call it from FastAPI's thread pool (plain ``def``
endpoints), never from the event loop.

The service never writes: this wrapper exposes no write operation.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from rdflib.term import Node

from ingest.store import GraphStore, Rows, StoreStats, open_store


@dataclass
class Graph:
    """Read-only access to the store, with the base IRI that minted its IRIs."""

    store: GraphStore
    base: str

    @classmethod
    def open(cls, location: str, base: str) -> Graph:
        return cls(open_store(location), base)

    def close(self) -> None:
        self.store.close()

    def select(self, sparql: str, bindings: dict[str, Node] | None = None) -> Rows:
        return self.store.select(sparql, bindings=bindings)

    def query(self, sparql: str, bindings: dict[str, Node] | None = None) -> Any:
        return self.store.query(sparql, bindings=bindings)

    def stats(self) -> StoreStats:
        return self.store.stats()

    def version(self) -> str:
        """A tag that changes whenever a document graph is added, replaced or removed (for ETags)."""
        rows = self.store.select(
            "SELECT ?g ?sha ?t WHERE { GRAPH ?g { ?g unkg:sha256 ?sha . OPTIONAL { ?g prov:generatedAtTime ?t } } }",
            )
        digest = hashlib.sha256()
        for row in sorted(rows, key=lambda r: str(r["g"])):
            digest.update(f"{row['g']} {row['sha']} {row.get('t')}\n".encode())
        digest.update(str(len(self.store)).encode())
        return digest.hexdigest()[:32]
