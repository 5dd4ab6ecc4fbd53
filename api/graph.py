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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from rdflib.term import Node

from ingest.store import GraphStore, Rows, SerializedResult, StoreStats, open_store


@dataclass(frozen=True)
class DatasetStatistics:
    """The numbers a VoID description publishes about the whole dataset."""

    triples: int
    """Distinct triples of the union of all graphs: what the Turtle and N-Triples dumps hold."""
    quads: int
    distinct_subjects: int
    documents: int
    graph_sizes: dict[str, int]
    """Triples per named graph."""


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

    def sparql(self, sparql: str, *, results_format: str | None, graph_format: str | None,
               default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
               union_default_graph: bool = True) -> SerializedResult:
        """A public query answered as bytes in the calling thread (see ``GraphStore.query_serialized``)."""
        return self.store.query_serialized(
            sparql, results_format=results_format, graph_format=graph_format,
            default_graphs=default_graphs, named_graphs=named_graphs, union_default_graph=union_default_graph)

    def dump(self, out: BinaryIO, fmt: str) -> None:
        """Write the whole store to ``out`` in ``fmt`` (``GraphStore.dump`` formats)."""
        self.store.dump(out, fmt)

    def statistics(self) -> DatasetStatistics:
        """Counts for the VoID description; a few aggregates, so callers cache them by ``version()``."""

        def count(sparql: str) -> int:
            rows = self.store.select(sparql)
            return int(rows[0]["n"]) if rows and rows[0]["n"] is not None else 0

        sizes = self.store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return DatasetStatistics(
            triples=count("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"),
            quads=len(self.store),
            distinct_subjects=count("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
            documents=len(self.store.document_graphs()),
            graph_sizes={str(row["g"]): int(row["n"]) for row in sorted(sizes, key=lambda r: str(r["g"]))},
        )

    def last_modified(self) -> datetime | None:
        """When the newest document graph was ingested (its ``prov:generatedAtTime``), for Last-Modified."""
        rows = self.store.select("SELECT (MAX(?t) AS ?latest) WHERE { GRAPH ?g { ?g prov:generatedAtTime ?t } }")
        latest = rows[0]["latest"] if rows else None
        if latest is None:
            return None
        try:
            return datetime.fromisoformat(str(latest).replace("Z", "+00:00"))
        except ValueError:
            return None
