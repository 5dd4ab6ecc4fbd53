"""The RDF store: an embedded Oxigraph database on disk, one named graph per source document.

This is the only module that imports ``pyoxigraph``: everything it hands out
is plain Python (rdflib terms, lists, dicts, bools), converted inside the
call, because pyoxigraph iterators are bound to the thread that made them and
the service will answer queries from a thread pool.

Writes go through ``replace_graph``: one SPARQL update that drops the graph
and inserts its new triples.  Oxigraph runs an update as one transaction, so
a reader sees either the old graph or the new one, never half of it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

UNKG = "https://w3id.org/unkg/ontology#"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
PROV_GENERATED_AT = "http://www.w3.org/ns/prov#generatedAtTime"

PREFIXES: dict[str, str] = {
    "unkg": UNKG, "eli": "http://data.europa.eu/eli/ontology#", "cito": "http://purl.org/spar/cito/",
    "dcterms": "http://purl.org/dc/terms/", "doco": "http://purl.org/spar/doco/",
    "skos": "http://www.w3.org/2004/02/skos/core#", "prov": "http://www.w3.org/ns/prov#",
    "frbr": "http://purl.org/vocab/frbr/core#", "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#", "sh": "http://www.w3.org/ns/shacl#",
}
"""Prefixes known to every query (a query's own PREFIX wins) and used by the dumps."""

DUMP_FORMATS = ("turtle", "nt", "nq", "trig", "jsonld")
_FORMAT_ALIASES = {"ttl": "turtle", "ntriples": "nt", "n-triples": "nt", "nquads": "nq",
                   "n-quads": "nq", "json-ld": "jsonld", "json": "jsonld"}

RdfTriple = tuple[Node, Node, Node]


class StoreError(Exception):
    """A store that cannot be opened, read or written; the message is meant for the user."""


class StoreLockedError(StoreError):
    """The store directory is held by another process (RocksDB allows one writer)."""


class StoreNotFoundError(StoreError):
    """A read-only open of a directory that holds no store."""


class InvalidQueryError(StoreError):
    """A SPARQL query or update that does not parse."""


class InvalidTermError(StoreError):
    """A value to bind that no RDF term can hold (an IRI with a space or a private-use character)."""


class UnservableResultError(StoreError):
    """A query whose kind of answer (``select``, ``ask``, ``graph``) was given no format to serialize to."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"no format was chosen for a {kind} result")
        self.kind = kind


@dataclass(frozen=True)
class SerializedResult:
    """A query answer already serialized: what kind of answer it was, in which format, and the bytes."""

    kind: str
    """``select``, ``ask`` or ``graph`` (CONSTRUCT and DESCRIBE)."""
    format: str
    data: bytes
    truncated: str | None = None
    """``rows=N`` or ``bytes=N`` when ``ResultLimits`` cut the answer short (the data is still a whole document)."""


@dataclass(frozen=True)
class ResultLimits:
    """Caps on one query answer: solutions (or triples) and serialized bytes.

    A public endpoint must not let one query fill the memory of the server or
    the network; an answer over a cap is cut to a valid document holding the
    first rows, and ``SerializedResult.truncated`` says which cap cut it.
    """

    max_rows: int
    max_bytes: int


RESULTS_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                   "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
"""Serializations of SELECT and ASK answers, by the names the service uses."""

GRAPH_FORMATS = ("turtle", "ntriples", "rdfxml", "jsonld", "nquads", "trig")
"""Serializations of CONSTRUCT and DESCRIBE answers; the quad formats put the triples in the default graph."""


class GraphLike(Protocol):
    """What ``replace_graph`` needs: ``ingest.rdf.NamedGraph`` has this shape."""

    @property
    def iri(self) -> str: ...

    @property
    def triples(self) -> Sequence[RdfTriple]: ...


@dataclass(frozen=True)
class StoreStats:
    """Counts shown by ``unkg stats``; documents are graphs with provenance of a source file."""

    documents: int
    triples: int
    citations: int
    cited_documents: int
    instruments: int
    bodies: int
    states: int
    graphs: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


class Rows(list[dict[str, Any]]):
    """SELECT results: a list of ``{variable: rdflib term or None}``, with the variables in order.

    ``variables`` lets a caller print a header even when there are no rows.
    """

    def __init__(self, variables: list[str], rows: Iterable[dict[str, Any]] = ()) -> None:
        super().__init__(rows)
        self.variables = variables


def to_rdflib(term: Any) -> Any:
    """A pyoxigraph term as the rdflib term with the same value (``None`` for the default graph)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        # normalize=False keeps the lexical form as stored ("...Z", not rdflib's "+00:00")
        if term.language:
            return Literal(term.value, lang=term.language, normalize=False)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value, normalize=False)
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    if isinstance(term, ox.Triple):
        return (to_rdflib(term.subject), to_rdflib(term.predicate), to_rdflib(term.object))
    return None


def _iri(iri: str) -> str:
    """``<iri>`` for a SPARQL text; rdflib refuses IRIs that would break out of the brackets."""
    try:
        return URIRef(iri).n3()
    except Exception as exc:  # rdflib raises a bare Exception for invalid IRIs
        raise StoreError(f"invalid graph IRI {iri!r}: {exc}") from exc


def _triples_text(graph: GraphLike) -> str:
    """The triples of ``graph`` one per line, in the syntax shared by Turtle and SPARQL ``INSERT DATA``."""
    try:
        return "\n".join(f"{s.n3()} {p.n3()} {o.n3()} ." for s, p, o in graph.triples)
    except Exception as exc:
        raise StoreError(f"graph {graph.iri} holds a term that cannot be written: {exc}") from exc


def _insert_update(graph: GraphLike, also_drop: Iterable[str] = ()) -> str:
    """DROP (the graph and ``also_drop``) + INSERT DATA as one update text, triples in N-Triples syntax."""
    g = _iri(graph.iri)
    body = _triples_text(graph)
    drops = " ;\n".join(f"DROP SILENT GRAPH {_iri(i)}" for i in dict.fromkeys([graph.iri, *also_drop]))
    if not body:
        return drops
    return f"{drops} ;\nINSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}"


def _open_error(path: Path, exc: OSError) -> StoreError:
    message = str(exc)
    if "lock" in message.lower():
        return StoreLockedError(
            f"the store {path} is in use by another process (a running `unkg ingest` or "
            f"`unkg serve`?); wait for it or stop it, then try again")
    return StoreError(f"cannot open the store {path}: {message}")


class GraphStore:
    """A quad store of named graphs; open it with ``open_store`` or ``GraphStore.in_memory``."""

    def __init__(self, store: ox.Store, *, path: Path | None = None, read_only: bool = False) -> None:
        self._handle: ox.Store | None = store
        self.path = path
        self.read_only = read_only

    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False) -> GraphStore:
        """Open (read-write: create) the store in directory ``path``."""
        path = Path(path).expanduser()
        if read_only:
            if not (path / "CURRENT").is_file():
                raise StoreNotFoundError(f"no store at {path} (run `unkg ingest --store {path} ...` first)")
            try:
                return cls(ox.Store.read_only(str(path)), path=path, read_only=True)
            except OSError as exc:
                raise _open_error(path, exc) from exc
        if path.exists() and not path.is_dir():
            raise StoreError(f"cannot open the store {path}: it is a file, not a directory")
        try:
            path.mkdir(parents=True, exist_ok=True)
            return cls(ox.Store(str(path)), path=path)
        except OSError as exc:
            raise _open_error(path, exc) from exc

    @classmethod
    def in_memory(cls) -> GraphStore:
        """A store that lives in memory only, for tests and throw-away work."""
        return cls(ox.Store())

    @property
    def location(self) -> str:
        """Where the store lives, for messages: its directory (``memory`` for an in-memory store)."""
        return str(self.path) if self.path is not None else "memory"

    @property
    def _store(self) -> ox.Store:
        if self._handle is None:
            raise StoreError("the store is closed")
        return self._handle

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------------

    def _update(self, text: str) -> None:
        if self.read_only:
            raise StoreError(f"the store {self.path} is open read-only")
        try:
            self._store.update(text)
        except SyntaxError as exc:
            raise InvalidQueryError(f"invalid SPARQL update: {exc}") from exc
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"cannot write to the store: {exc}") from exc

    def replace_graph(self, graph: GraphLike, *, also_drop: Iterable[str] = ()) -> None:
        """Replace the named graph ``graph.iri`` by ``graph.triples`` in one transaction.

        ``also_drop`` names graphs removed in the same transaction: the earlier
        graph of a file whose document identifier changed must vanish at the
        moment the new one appears, not before.
        """
        drops = [iri for iri in dict.fromkeys([graph.iri, *also_drop])
                 if self._store.contains_named_graph(_graph_name(iri))]
        if drops or self.read_only:
            self._update(_insert_update(graph, also_drop))
            return
        # A new graph with nothing to drop: one ``extend`` is one transaction too, and skips
        # writing and re-parsing the triples as SPARQL text (most of a first ingest's write time).
        name = _graph_name(graph.iri)
        try:
            quads = [ox.Quad(_to_oxigraph(s), _to_oxigraph(p), _to_oxigraph(o), name) for s, p, o in graph.triples]
        except (InvalidTermError, TypeError) as exc:
            raise StoreError(f"graph {graph.iri} holds a term that cannot be written: {exc}") from exc
        try:
            self._store.extend(quads)
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"cannot write to the store: {exc}") from exc

    def drop_graph(self, iri: str) -> None:
        """Remove a named graph and all its triples (no error if it is not there)."""
        self._update(f"DROP SILENT GRAPH {_iri(iri)}")

    def flush(self) -> None:
        """Make sure every write is on disk (Oxigraph flushes in the background otherwise)."""
        if not self.read_only and self._handle is not None:
            try:
                self._handle.flush()
            except (OSError, RuntimeError) as exc:
                raise StoreError(f"cannot flush the store: {exc}") from exc

    def close(self) -> None:
        """Flush and release the store; dropping the handle releases the RocksDB lock."""
        if self._handle is not None:
            try:
                self.flush()
            finally:
                self._handle = None

    # -- reading ---------------------------------------------------------------------------------

    def has_graph(self, iri: str) -> bool:
        return bool(self._store.contains_named_graph(ox.NamedNode(iri)))

    def document_graphs(self) -> list[str]:
        """The graphs of source documents (those with a provenance record), sorted."""
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { { ?g unkg:describes ?d } UNION "
                          "{ ?g unkg:sourceFile ?f } } }")
        return sorted(str(r["g"]) for r in rows)

    def named_graphs(self) -> list[str]:
        """The names of all graphs, sorted."""
        return sorted(g.value for g in self._store.named_graphs())

    def graph_triples(self, iri: str) -> list[RdfTriple]:
        """The triples of one named graph as rdflib terms (to validate them with pyshacl)."""
        quads = self._store.quads_for_pattern(None, None, None, ox.NamedNode(iri))
        return [(to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)) for q in quads]

    def same_content(self, graph: GraphLike, *, ignore_predicates: Iterable[str] = ()) -> bool:
        """Whether the store's graph ``graph.iri`` holds exactly ``graph.triples``.

        Triples with one of ``ignore_predicates`` (the ingest time) are left out
        on both sides.  The new triples go through an in-memory Oxigraph first,
        so both sides have Oxigraph's canonical literals (``"01"^^xsd:integer``
        is stored as ``"1"``); blank nodes are compared after RDFC-1.0
        canonicalization, since INSERT DATA gives them fresh labels.
        """
        if not self.has_graph(graph.iri):
            return False
        stored = self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph.iri))
        return _same_triples(graph, stored, ignore_predicates)

    def graph_provenance(self, iri: str) -> dict[str, str] | None:
        """The PROV record a document graph keeps about itself, or ``None`` if there is none.

        Keys: sha256, pipelineVersion, sourceFile, generatedAtTime, wasDerivedFrom, describes.
        """
        rows = self.select(
            """SELECT ?g ?sha256 ?pipelineVersion ?sourceFile ?generatedAtTime ?wasDerivedFrom ?describes
               WHERE { GRAPH ?g {
                 OPTIONAL { ?g unkg:sha256 ?sha256 } OPTIONAL { ?g unkg:pipelineVersion ?pipelineVersion }
                 OPTIONAL { ?g unkg:sourceFile ?sourceFile }
                 OPTIONAL { ?g prov:generatedAtTime ?generatedAtTime }
                 OPTIONAL { ?g prov:wasDerivedFrom ?wasDerivedFrom } OPTIONAL { ?g unkg:describes ?describes }
               } } LIMIT 1""",
            bindings={"g": URIRef(iri)},
        )
        if not rows:
            return None
        found = {k: str(v) for k, v in rows[0].items() if v is not None and k != "g"}
        return found or None

    def graphs_from_source(self, source_file_name: str) -> list[str]:
        """The graphs whose provenance names this source file (by file name, not path)."""
        rows = self.select("SELECT DISTINCT ?g ?name WHERE { GRAPH ?g { ?g unkg:sourceFile ?name } }",
                          bindings={"name": Literal(source_file_name)})
        return sorted(str(r["g"]) for r in rows)

    def __len__(self) -> int:
        return len(self._store)

    def stats(self) -> StoreStats:
        """Counts over all graphs; each is one SPARQL aggregate."""

        def count(pattern: str) -> int:
            rows = self.select(f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH ?g {{ {pattern} }} }}")
            return int(rows[0]["n"]) if rows and rows[0]["n"] is not None else 0

        return StoreStats(
            documents=len(self.document_graphs()),
            triples=len(self),
            citations=count("?x a cito:Citation"),
            cited_documents=count("?c cito:hasCitedEntity ?x"),
            instruments=count("?d unkg:namesInstrument ?x"),
            bodies=count("?d unkg:namesBody ?x"),
            states=count("?d unkg:namesState ?x"),
            graphs=len(self.named_graphs()),
        )

    def select(self, sparql: str, *, union_default_graph: bool = True,
               bindings: dict[str, Node] | None = None) -> Rows:
        """``query`` for a SELECT, typed as such."""
        result = self.query(sparql, union_default_graph=union_default_graph, bindings=bindings)
        if not isinstance(result, Rows):
            raise InvalidQueryError("expected a SELECT query")
        return result

    def query(self, sparql: str, *, union_default_graph: bool = True,
              bindings: dict[str, Node] | None = None) -> Rows | bool | list[RdfTriple]:
        """Run a SPARQL query and return plain Python: ``Rows`` (SELECT), ``bool`` (ASK), triples.

        ``union_default_graph`` makes patterns outside ``GRAPH`` see every graph,
        which is what a user of a one-graph-per-document store expects.
        ``bindings`` substitutes values for variables (no string splicing of user input);
        Oxigraph wants each bound variable in the SELECT projection.
        """
        substitutions = {ox.Variable(k): _to_oxigraph(v) for k, v in (bindings or {}).items()}
        result: Any = None
        try:
            result = self._store.query(sparql, use_default_graph_as_union=union_default_graph,
                                       prefixes=PREFIXES, substitutions=substitutions or None)
            return _python_answer(result)
        except SyntaxError as exc:
            raise InvalidQueryError(f"invalid SPARQL query: {exc}") from exc
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"the query failed: {exc}") from exc
        finally:
            # A traceback keeps this frame alive; the iterator must not be freed by another thread.
            result = None

    # -- export ----------------------------------------------------------------------------------

    def _union(self) -> Iterator[ox.Triple]:
        """The triples of every graph, streamed in the store's index order (reproducible for one content).

        A triple asserted in several graphs comes once per graph: RDF graphs are
        sets, so every parser reads the union, and the dump needs no memory that
        grows with the store (deduplicating 10 million triples would).
        """
        return (ox.Triple(q.subject, q.predicate, q.object) for q in self._store)

    def dump(self, out: BinaryIO, fmt: str) -> None:
        """Write the store to ``out``: turtle, nt (union of all graphs), nq, trig (graphs kept), jsonld."""
        fmt = _FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
        if fmt not in DUMP_FORMATS:
            raise StoreError(f"unknown dump format {fmt!r}; choose one of {', '.join(DUMP_FORMATS)}")
        try:
            if fmt == "nq":
                self._store.dump(out, ox.RdfFormat.N_QUADS)
            elif fmt == "trig":
                self._store.dump(out, ox.RdfFormat.TRIG, prefixes=PREFIXES)
            elif fmt == "nt":
                ox.serialize(self._union(), out, ox.RdfFormat.N_TRIPLES)
            elif fmt == "turtle":
                ox.serialize(self._union(), out, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
            else:
                out.write(self._jsonld())
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"cannot dump the store: {exc}") from exc

    def _jsonld(self) -> bytes:
        """JSON-LD of the union through rdflib, compacted with the usual prefixes.

        rdflib emits nodes and values in set order, which changes from run to
        run; they are sorted (``@list`` arrays excepted) so exports are reproducible.
        """
        return _jsonld_of(self._union())

    # -- the SPARQL protocol ----------------------------------------------------------------------

    def query_serialized(self, sparql: str, *, results_format: str | None, graph_format: str | None,
                         default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
                         union_default_graph: bool = True, limits: ResultLimits | None = None,
                         bindings: dict[str, Node] | None = None) -> SerializedResult:
        """Run a query and serialize its answer to bytes, both in the calling thread.

        The public endpoint uses this instead of ``query``: pyoxigraph result
        iterators must not leave the thread that made them, and bytes can be
        handed to any thread.  ``results_format`` (a ``RESULTS_FORMATS`` name)
        serves SELECT and ASK, ``graph_format`` (a ``GRAPH_FORMATS`` name)
        CONSTRUCT and DESCRIBE; ``None`` for the kind the query turns out to be
        raises ``UnservableResultError`` before any solution is computed.

        ``default_graphs``/``named_graphs`` set the dataset (the SPARQL
        protocol's ``default-graph-uri``/``named-graph-uri``; an empty list is
        an empty set); without ``default_graphs`` the default graph is the
        union of all graphs unless ``union_default_graph`` is false (a query
        with its own ``FROM``, which the union option would silently override).

        ``limits`` caps the answer (see ``ResultLimits``); without it the whole
        answer is serialized, however large.  ``bindings`` substitutes values
        for variables, as in ``query``.
        """
        options: dict[str, Any] = {"prefixes": PREFIXES}
        if bindings:
            options["substitutions"] = {ox.Variable(k): _to_oxigraph(v) for k, v in bindings.items()}
        if default_graphs is not None:
            options["default_graph"] = [_graph_name(g) for g in default_graphs]
        elif union_default_graph:
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = [_graph_name(g) for g in named_graphs]
        result: Any = None
        try:
            result = self._store.query(sparql, **options)
            return _serialized_answer(result, results_format, graph_format, limits)
        except SyntaxError as exc:
            raise InvalidQueryError(str(exc)) from exc
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"the query failed: {exc}") from exc
        finally:
            # A traceback keeps this frame alive; the iterator must not be freed by another thread.
            result = None


def _python_answer(result: Any) -> Rows | bool | list[RdfTriple]:
    """A pyoxigraph query answer (from the store or parsed from a server's reply) as plain Python."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        return Rows(names, ({n: to_rdflib(s[n]) for n in names} for s in result))
    return [to_rdflib(t) for t in result]


def _serialized_answer(result: Any, results_format: str | None, graph_format: str | None,
                       limits: ResultLimits | None) -> SerializedResult:
    """A pyoxigraph query answer serialized as ``GraphStore.query_serialized`` describes (read lazily)."""
    if isinstance(result, ox.QueryBoolean | ox.QuerySolutions):
        kind = "ask" if isinstance(result, ox.QueryBoolean) else "select"
        if results_format is None:
            raise UnservableResultError(kind)
        if kind == "select" and limits is not None:
            data, truncated = _capped_solutions(result, results_format, limits)
            return SerializedResult(kind, results_format, data, truncated)
        serialized = result.serialize(format=RESULTS_FORMATS[results_format])
        return SerializedResult(kind, results_format, serialized or b"")
    if graph_format is None:
        raise UnservableResultError("graph")
    if limits is not None:
        data, truncated = _capped_triples(result, graph_format, limits)
        return SerializedResult("graph", graph_format, data, truncated)
    return SerializedResult("graph", graph_format, _serialize_triples(result, graph_format))


def _same_triples(graph: GraphLike, stored: Iterable[Any], ignore_predicates: Iterable[str]) -> bool:
    """Whether ``stored`` (quads or triples of one graph) holds exactly ``graph.triples``; see ``same_content``."""
    ignored = {ox.NamedNode(p) for p in ignore_predicates}
    scratch = ox.Store()
    try:
        scratch.update(_insert_update(graph))
    except (SyntaxError, OSError) as exc:
        raise StoreError(f"graph {graph.iri} cannot be written: {exc}") from exc

    def triples(quads: Iterable[Any]) -> list[ox.Quad]:
        return [ox.Quad(q.subject, q.predicate, q.object) for q in quads if q.predicate not in ignored]

    new = triples(scratch.quads_for_pattern(None, None, None, ox.NamedNode(graph.iri)))
    old = triples(stored)
    if len(new) != len(old):
        return False
    if not any(isinstance(t, ox.BlankNode) for q in new + old for t in (q.subject, q.object)):
        return {str(q) for q in new} == {str(q) for q in old}
    new_ds, old_ds = ox.Dataset(new), ox.Dataset(old)
    new_ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    old_ds.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return bool(new_ds == old_ds)


TRUNCATION_NOTE = "urn:unkg:truncated:"
"""Start of the IRI a capped SPARQL JSON/XML answer lists in ``head.link`` (``urn:unkg:truncated:rows=N``)."""

_COMMENTED_GRAPH_FORMATS = ("turtle", "ntriples", "nquads", "trig")


def _json_term(term: Any) -> dict[str, Any]:
    """One RDF term as the SPARQL 1.1 JSON results format writes it."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


def _results_document(names: list[str], rows: list[str], truncated: str | None) -> bytes:
    head: dict[str, Any] = {"vars": names}
    if truncated:
        head["link"] = [TRUNCATION_NOTE + truncated]
    text = '{"head":' + json.dumps(head, separators=(",", ":"), ensure_ascii=False)
    return (text + ',"results":{"bindings":[' + ",".join(rows) + "]}}").encode("utf-8")


def _capped_solutions(result: Any, fmt: str, limits: ResultLimits) -> tuple[bytes, str | None]:
    """SELECT solutions up to the caps, as a whole document in ``fmt``, and which cap cut them.

    Rows are written as SPARQL JSON while they are read (so the byte count is
    known row by row); other formats are converted from that JSON by
    pyoxigraph's own serializers, and cut again if the conversion outgrew the
    byte cap (XML is about twice as long as JSON).
    """
    names = [v.value for v in result.variables]
    rows: list[str] = []
    size, truncated = 64 + sum(len(n) + 3 for n in names), None
    for solution in result:
        if len(rows) >= limits.max_rows:
            truncated = f"rows={limits.max_rows}"
            break
        row = json.dumps({n: _json_term(solution[n]) for n in names if solution[n] is not None},
                         separators=(",", ":"), ensure_ascii=False)
        size += len(row.encode("utf-8")) + 1
        if size > limits.max_bytes:
            truncated = f"bytes={limits.max_bytes}"
            break
        rows.append(row)
    while True:
        document = _results_document(names, rows, truncated)
        if fmt == "json":
            data = document
        else:
            parsed = ox.parse_query_results(document, format=ox.QueryResultsFormat.JSON)
            data = parsed.serialize(format=RESULTS_FORMATS[fmt]) or b""
            if truncated and fmt == "xml":
                data = data.replace(b"</head>", f'<link href="{TRUNCATION_NOTE}{truncated}"/></head>'.encode(), 1)
        if len(data) <= limits.max_bytes or not rows:
            return data, truncated
        rows = rows[: int(len(rows) * limits.max_bytes / len(data) * 0.95)]
        truncated = f"bytes={limits.max_bytes}"


def _capped_triples(result: Any, fmt: str, limits: ResultLimits) -> tuple[bytes, str | None]:
    """CONSTRUCT/DESCRIBE triples up to the caps, serialized in ``fmt``, and which cap cut them.

    The byte count while reading is the N-Triples length; the serialized
    document is cut again if it still outgrows the cap.  Turtle, N-Triples,
    N-Quads and TriG answers that were cut start with a comment saying so.
    """
    triples: list[Any] = []
    size, truncated = 0, None
    for triple in result:
        if len(triples) >= limits.max_rows:
            truncated = f"rows={limits.max_rows}"
            break
        size += len(str(triple).encode("utf-8")) + 3
        if size > limits.max_bytes:
            truncated = f"bytes={limits.max_bytes}"
            break
        triples.append(triple)
    while True:
        data = _serialize_triples(triples, fmt)
        if truncated and fmt in _COMMENTED_GRAPH_FORMATS:
            data = f"# unkg: this answer was truncated ({truncated}); add LIMIT or download /dump\n".encode() + data
        if len(data) <= limits.max_bytes or not triples:
            return data, truncated
        triples = triples[: int(len(triples) * limits.max_bytes / len(data) * 0.95)]
        truncated = f"bytes={limits.max_bytes}"


def store_fingerprint(path: str | Path) -> tuple[tuple[str, int, int], ...]:
    """What changes on disk when a writer commits: the names, sizes and times of the store's files.

    The service keeps read-only views of the store and compares this before
    and after to learn that ``unkg ingest`` wrote something; RocksDB's info
    logs (``LOG*``) are left out, since opening a view may touch them.
    """
    entries = []
    try:
        with os.scandir(path) as listing:
            for entry in listing:
                if entry.name.startswith("LOG") or not entry.is_file(follow_symlinks=False):
                    continue
                info = entry.stat(follow_symlinks=False)
                entries.append((entry.name, info.st_size, info.st_mtime_ns))
    except OSError:
        return ()
    return tuple(sorted(entries))


def writer_active(path: str | Path) -> bool:
    """Whether some process holds the store's write lock (a running ``unkg ingest``).

    RocksDB takes a POSIX lock on the ``LOCK`` file; Linux lists every lock in
    ``/proc/locks`` by device and inode, which lets the service see a writer
    without touching the lock itself (taking it, even briefly, would make that
    writer fail).  Where ``/proc/locks`` does not exist the answer is ``False``.
    """
    try:
        info = os.stat(Path(path) / "LOCK")
        with open("/proc/locks", encoding="ascii", errors="replace") as locks:
            table = locks.read()
    except OSError:
        return False
    wanted = f":{info.st_ino} "
    for line in table.splitlines():
        fields = line.split()
        # "1: POSIX  ADVISORY  WRITE 1234 08:01:5678 0 EOF" (a blocked waiter has "->" as the second field)
        if len(fields) >= 6 and fields[1] != "->" and (fields[5] + " ").endswith(wanted):
            major, minor = (int(part, 16) for part in fields[5].split(":")[:2])
            if os.makedev(major, minor) == info.st_dev:
                return True
    return False


def _graph_name(iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise InvalidQueryError(f"invalid graph IRI {iri!r}: {exc}") from exc


def _serialize_triples(triples: Iterable[ox.Triple], fmt: str) -> bytes:
    """A CONSTRUCT/DESCRIBE answer in ``fmt``; N-Quads and TriG carry it as the default graph."""
    if fmt in ("nquads", "trig"):
        quads = (ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        if fmt == "nquads":
            return ox.serialize(quads, None, ox.RdfFormat.N_QUADS) or b""
        return ox.serialize(quads, None, ox.RdfFormat.TRIG, prefixes=PREFIXES) or b""
    if fmt == "jsonld":
        # rdflib compacts with the usual prefixes, as the JSON-LD dump does
        from rdflib import Graph

        graph = Graph()
        graph.parse(data=ox.serialize(triples, None, ox.RdfFormat.N_TRIPLES) or b"", format="nt")
        return graph.serialize(format="json-ld", context=dict(PREFIXES), encoding="utf-8")
    formats = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "rdfxml": ox.RdfFormat.RDF_XML}
    if fmt not in formats:
        raise StoreError(f"unknown graph format {fmt!r}; choose one of {', '.join(GRAPH_FORMATS)}")
    prefixes = None if fmt == "ntriples" else PREFIXES
    return ox.serialize(triples, None, formats[fmt], prefixes=prefixes) or b""


def _stable_json(value: Any, *, ordered: bool = False) -> Any:
    """JSON-LD with every unordered array sorted (an ``@list`` keeps its order)."""
    if isinstance(value, dict):
        return {k: _stable_json(v, ordered=k == "@list") for k, v in value.items()}
    if isinstance(value, list):
        items = [_stable_json(v) for v in value]
        return items if ordered else sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def _to_oxigraph(term: Node) -> Any:
    """The pyoxigraph term for a value to bind; ``InvalidTermError`` when Oxigraph refuses it.

    Values to bind often come from requests (a symbol in a URL), and rdflib
    accepts IRIs that Oxigraph's stricter parser refuses.
    """
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(str(term))
        if isinstance(term, Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
    except ValueError as exc:
        raise InvalidTermError(f"{str(term)[:200]!r} is not a valid RDF term: {exc}") from None
    raise TypeError(f"cannot bind {term!r}")


def _jsonld_of(triples: Iterable[ox.Triple]) -> bytes:
    """JSON-LD of ``triples`` through rdflib, compacted with the usual prefixes and sorted (see ``_jsonld``)."""
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=ox.serialize(triples, None, ox.RdfFormat.N_TRIPLES), format="nt")
    document = json.loads(graph.serialize(format="json-ld", context=dict(PREFIXES)))
    text = json.dumps(_stable_json(document), ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode("utf-8")


# -- the RDF side of the remote store -----------------------------------------------------------------
# ``ingest.remote_store`` speaks HTTP; parsing and writing RDF stays here, with pyoxigraph, so that a
# remote answer is read, capped and serialized by exactly the code that serves the embedded store.

class MalformedAnswerError(StoreError):
    """A SPARQL server's answer that is not what its media type says (a truncated or foreign body)."""


def _media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def answer_kind(content_type: str) -> str | None:
    """``results`` (SPARQL results of a SELECT/ASK), ``graph`` (an RDF triples syntax) or ``None`` (neither)."""
    media = _media_type(content_type)
    if ox.QueryResultsFormat.from_media_type(media) is not None:
        return "results"
    rdf = ox.RdfFormat.from_media_type(media)
    return "graph" if rdf is not None and not rdf.supports_datasets else None


def _parsed_answer(stream: BinaryIO, content_type: str) -> Any:
    """The pyoxigraph reader of a server's answer; it reads ``stream`` only as far as it is iterated."""
    media = _media_type(content_type)
    results = ox.QueryResultsFormat.from_media_type(media)
    if results is not None:
        return ox.parse_query_results(stream, format=results)
    rdf = ox.RdfFormat.from_media_type(media)
    if rdf is None or rdf.supports_datasets:
        raise MalformedAnswerError(f"an answer of type {media!r} is neither SPARQL results nor RDF triples")
    return (ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(stream, format=rdf))


def read_answer(stream: BinaryIO, content_type: str) -> Rows | bool | list[RdfTriple]:
    """A server's answer to a query as ``GraphStore.query`` returns it: ``Rows``, ``bool`` or triples."""
    try:
        return _python_answer(_parsed_answer(stream, content_type))
    except (SyntaxError, ValueError) as exc:
        raise MalformedAnswerError(f"the answer does not parse: {exc}") from exc


def serialize_answer(stream: BinaryIO, content_type: str, *, results_format: str | None,
                     graph_format: str | None, limits: ResultLimits | None) -> SerializedResult:
    """A server's answer re-serialized as ``GraphStore.query_serialized`` serializes its own.

    The answer is parsed while it streams in, so the caps stop reading it:
    a huge answer costs no more memory than a capped one.
    """
    try:
        return _serialized_answer(_parsed_answer(stream, content_type), results_format, graph_format, limits)
    except (SyntaxError, ValueError) as exc:
        raise MalformedAnswerError(f"the answer does not parse: {exc}") from exc


def read_triples(stream: BinaryIO, content_type: str) -> list[RdfTriple]:
    """The triples of a Graph Store Protocol answer (one graph) as rdflib terms."""
    try:
        return [to_rdflib(t) for t in _parsed_answer(stream, content_type)]
    except (SyntaxError, ValueError) as exc:
        raise MalformedAnswerError(f"the graph does not parse: {exc}") from exc


def stored_graph_matches(graph: GraphLike, stream: BinaryIO, content_type: str, *,
                         ignore_predicates: Iterable[str] = ()) -> bool:
    """``GraphStore.same_content`` for a graph a server sent back (a Graph Store Protocol GET)."""
    try:
        return _same_triples(graph, list(_parsed_answer(stream, content_type)), ignore_predicates)
    except (SyntaxError, ValueError) as exc:
        raise MalformedAnswerError(f"the stored graph {graph.iri} does not parse: {exc}") from exc


def dump_quad_stream(stream: BinaryIO, out: BinaryIO, fmt: str) -> None:
    """``GraphStore.dump`` of a dataset streamed as N-Quads (a Graph Store Protocol GET of the whole store).

    Every format is written while the quads stream in, as the embedded dump
    is; JSON-LD alone holds the union in memory (rdflib needs it whole).
    """
    fmt = _FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
    if fmt not in DUMP_FORMATS:
        raise StoreError(f"unknown dump format {fmt!r}; choose one of {', '.join(DUMP_FORMATS)}")
    try:
        quads = ox.parse(stream, format=ox.RdfFormat.N_QUADS)
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
        if fmt == "nq":
            ox.serialize(quads, out, ox.RdfFormat.N_QUADS)
        elif fmt == "trig":
            ox.serialize(quads, out, ox.RdfFormat.TRIG, prefixes=PREFIXES)
        elif fmt == "nt":
            ox.serialize(triples, out, ox.RdfFormat.N_TRIPLES)
        elif fmt == "turtle":
            ox.serialize(triples, out, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        else:
            out.write(_jsonld_of(triples))
    except (SyntaxError, ValueError) as exc:
        raise MalformedAnswerError(f"the dataset does not parse: {exc}") from exc
    except (OSError, RuntimeError) as exc:
        raise StoreError(f"cannot dump the store: {exc}") from exc


def sparql_term(term: Node) -> str:
    """``term`` in SPARQL syntax, for a ``VALUES`` row sent to a server; checked as ``_to_oxigraph`` checks it."""
    if isinstance(term, BNode):
        raise InvalidTermError("a blank node cannot be bound in a query sent to a SPARQL server")
    return str(_to_oxigraph(term))


def check_graph_iri(iri: str) -> str:
    """``iri`` if Oxigraph takes it as a graph name; ``InvalidQueryError`` otherwise (as the embedded store says)."""
    _graph_name(iri)
    return iri


def graph_turtle(graph: GraphLike) -> bytes:
    """The triples of ``graph`` as a Turtle document (the body of a Graph Store Protocol PUT)."""
    return (_triples_text(graph) + "\n").encode("utf-8")


def graph_update(graph: GraphLike, also_drop: Iterable[str] = ()) -> str:
    """The SPARQL update that replaces ``graph`` and drops ``also_drop`` in one transaction."""
    return _insert_update(graph, also_drop)


REMOTE_SCHEMES = ("http", "https")


def is_url(location: str | Path) -> bool:
    """Whether ``location`` is a URL (``scheme://...``) rather than a store directory."""
    scheme, sep, _ = str(location).partition("://")
    return bool(sep) and scheme[:1].isalpha() and scheme.replace("+", "").replace("-", "").replace(".", "").isalnum()


def open_store(location: str | Path, read_only: bool = False) -> GraphStore:
    """The store at ``location``: a directory (embedded Oxigraph) or an ``http(s)://`` SPARQL server.

    A remote store is an ``ingest.remote_store.RemoteStore``, which is a
    ``GraphStore`` to every caller; a location with another ``scheme://`` is
    refused rather than taken for a directory of that odd name.
    """
    text = str(location)
    if is_url(text):
        scheme = text.partition("://")[0]
        if scheme.lower() not in REMOTE_SCHEMES:
            raise StoreError(f"cannot open the store {text}: unsupported scheme {scheme!r} "
                             "(give a store directory or an http:// or https:// SPARQL server URL)")
        from .remote_store import RemoteStore

        return RemoteStore.open(text, read_only=read_only)
    return GraphStore.open(text, read_only=read_only)
