"""The store on a SPARQL server: the ``GraphStore`` interface over the SPARQL 1.1 Protocol and Graph Store Protocol.

When one process on one machine is outgrown, ``--store http://HOST:PORT``
points every command and the service at a SPARQL server holding the graphs
instead of a directory.  An Oxigraph server (``oxigraph serve``) is the
reference; other servers work by the standards once their endpoints are named
(see ``RemoteEndpoints``).

``RemoteStore`` is a ``GraphStore`` so that every caller typed for the
embedded store (the loader, the exports, the service) takes it unchanged; it
overrides every operation that would touch a local database.  It only speaks
HTTP (httpx): answers are parsed, capped and re-serialized by the functions of
``ingest.store`` that serve the embedded store, so both backends answer with
the same bytes.

Writes: one document graph per request.  A graph with nothing else to drop is
a Graph Store Protocol ``PUT ?graph=IRI`` with a Turtle body, which Oxigraph
applies as one transaction (a failed body leaves the old graph in place, and
readers never see it half-written).  A graph that replaces others (a file
whose document identifier changed: the loader's ``also_drop``) is one SPARQL
Update, ``DROP ... ; INSERT DATA ...``, because the old graphs must vanish in
the same transaction in which the new one appears, and separate ``DELETE``
requests cannot promise that.

Reads rely on the default graph being the union of all graphs, as the
embedded store queries by default.  Oxigraph does that per request when asked
with its ``union-default-graph`` parameter, which unkg sends on every query
without a dataset of its own — and not on a query with ``FROM``, which keeps
its meaning.  (Starting Oxigraph with ``--union-default-graph`` instead would
also override every ``FROM``, so that is refused.)  A reader checks this when
it opens the store, and again while the store is still empty, with a probe
query; a server that does neither gets a ``StoreConfigurationError`` that
names the URL and the fix.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, BinaryIO, NoReturn
from urllib.parse import parse_qsl, urlsplit, urlunsplit

import httpx
from rdflib.term import Node

from .sparql_text import with_prefixes, with_values
from .store import (
    PREFIXES,
    GraphLike,
    GraphStore,
    InvalidQueryError,
    MalformedAnswerError,
    RdfTriple,
    ResultLimits,
    Rows,
    SerializedResult,
    StoreError,
    answer_kind,
    check_graph_iri,
    dump_quad_stream,
    graph_turtle,
    graph_update,
    read_answer,
    read_triples,
    serialize_answer,
    sparql_term,
    stored_graph_matches,
)

DEFAULT_TIMEOUT = 300.0
"""Seconds any one request may take unless the URL says ``timeout=``; the service's public queries have their own."""
CONNECT_TIMEOUT = 10.0
ANSWER_TYPES = "application/sparql-results+json, application/n-triples"
"""What a query asks for: SELECT/ASK answers as SPARQL JSON, CONSTRUCT/DESCRIBE as N-Triples."""
NO_GRAPH = "urn:unkg:probe:no-such-graph"
"""A graph name no store holds: a dataset of it alone is empty."""
_UNION_PROBE = ("SELECT ?union WHERE { { SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1 } "
                "BIND(EXISTS { ?s ?p ?o } AS ?union) }")
_OPTIONS = ("query", "update", "gsp", "dataset", "union", "timeout")
_CHUNK = 1 << 16


class RemoteStoreError(StoreError):
    """A SPARQL server that failed a request; the message names its URL."""


class StoreUnreachableError(RemoteStoreError):
    """Nothing answers at the store's URL (connection refused, unknown host)."""


class StoreTimeoutError(RemoteStoreError):
    """The server did not answer (or finish answering) within the time allowed."""


class StoreConfigurationError(RemoteStoreError):
    """A server that is not a SPARQL server, or does not query the union of its graphs as unkg needs."""


@dataclass(frozen=True)
class RemoteEndpoints:
    """Where a SPARQL server takes queries, updates and graphs, from the URL given as ``--store``.

    ``http://HOST:PORT`` uses Oxigraph's paths: ``/query``, ``/update``,
    ``/store`` (Graph Store Protocol; a GET without ``graph=`` is the whole
    dataset).  Options in the URL's query string name other paths, relative to
    the URL or absolute: ``http://fuseki:3030/unkg?query=query&update=update&gsp=data&dataset=.&union=server``.

    * ``union=param`` (the default) sends Oxigraph's ``union-default-graph``
      request parameter; ``union=server`` sends nothing and expects a server
      configured to query the union of its named graphs (Fuseki/TDB2:
      ``tdb2:unionDefaultGraph true``);
    * ``timeout=SECONDS`` bounds every request (default 300).
    """

    url: str
    """The URL without options: what messages name."""
    query: str
    update: str
    gsp: str
    dataset: str
    union: str = "param"
    timeout: float = DEFAULT_TIMEOUT

    @classmethod
    def parse(cls, location: str) -> RemoteEndpoints:
        """The endpoints of ``location``; ``StoreError`` naming the URL for a malformed one."""
        try:
            parts = urlsplit(location.strip())
            port = parts.port
        except ValueError as exc:
            raise StoreError(f"cannot open the store {location}: not a valid URL ({exc})") from None
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise StoreError(f"cannot open the store {location}: give an http:// or https:// URL with a host, "
                             "e.g. http://127.0.0.1:7878")
        if port == 0:
            raise StoreError(f"cannot open the store {location}: port 0 is not a server's port")
        options = dict(parse_qsl(parts.query, keep_blank_values=True))
        unknown = sorted(set(options) - set(_OPTIONS))
        if unknown:
            raise StoreError(f"cannot open the store {location}: unknown option(s) {', '.join(unknown)} "
                             f"(the URL takes {', '.join(_OPTIONS)})")
        base = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + "/", "", ""))
        url = base.rstrip("/")
        union = options.get("union", "param")
        if union not in ("param", "server"):
            raise StoreError(f"cannot open the store {location}: union={union!r}; give union=param or union=server")
        try:
            timeout = float(options.get("timeout", DEFAULT_TIMEOUT))
        except ValueError:
            timeout = -1.0
        if not 0 < timeout <= 86400:
            raise StoreError(f"cannot open the store {location}: timeout= takes seconds between 0 and 86400")
        gsp = str(httpx.URL(base).join(options.get("gsp", "store")))
        return cls(url=_without_credentials(url), query=str(httpx.URL(base).join(options.get("query", "query"))),
                   update=str(httpx.URL(base).join(options.get("update", "update"))), gsp=gsp,
                   dataset=str(httpx.URL(base).join(options["dataset"])) if "dataset" in options else gsp,
                   union=union, timeout=timeout)


def _without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))


def _server_message(response: httpx.Response) -> str:
    """The first line or so of an error body, for a one-line message."""
    try:
        text = response.read()[:400].decode("utf-8", "replace")
    except httpx.HTTPError:
        return ""
    return " ".join(text.split())[:300]


class _ResponseStream(io.RawIOBase):
    """A streamed HTTP body as a file for pyoxigraph's parsers, which stop reading when the caps are reached.

    Each read checks the deadline, so a server that trickles an endless answer
    is cut off on time even though every single read is quick.
    """

    def __init__(self, store: RemoteStore, response: httpx.Response, deadline: float, what: str,
                 seconds: float | None = None) -> None:
        super().__init__()
        self._store, self._chunks, self._deadline, self._what = store, response.iter_bytes(_CHUNK), deadline, what
        self._seconds = seconds
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if time.monotonic() > self._deadline:
            self._store.timed_out(self._what, self._seconds)
        if not self._pending:
            try:
                self._pending = next(self._chunks, b"")
            except httpx.TimeoutException:
                self._store.timed_out(self._what, self._seconds)
            except httpx.HTTPError as exc:
                raise RemoteStoreError(f"the SPARQL store at {self._store.url} broke off {self._what}: {exc}") from None
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


class RemoteStore(GraphStore):
    """A ``GraphStore`` whose graphs live on a SPARQL server; open it with ``open_store(URL)``."""

    def __init__(self, endpoints: RemoteEndpoints, *, read_only: bool = False) -> None:
        # GraphStore.__init__ is not called: no local database stands behind this store.
        self._handle = None
        self.path = None
        self.read_only = read_only
        self.endpoints = endpoints
        self.url = endpoints.url
        self._client: httpx.Client | None = httpx.Client(headers={"User-Agent": "unkg"})
        self._dataset_checked = not read_only
        """Writers only read single graphs by name; readers must see the union (checked on open)."""

    @classmethod
    def open(cls, path: Any, *, read_only: bool = False) -> RemoteStore:
        """Connect to the server at URL ``path`` and check that it answers SPARQL (and, for readers, the union)."""
        store = cls(RemoteEndpoints.parse(str(path)), read_only=read_only)
        try:
            if read_only:
                store._check_dataset()
            else:
                store._ask("ASK { }", union=False)
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def in_memory(cls) -> GraphStore:
        raise TypeError("a remote store cannot live in memory; use GraphStore.in_memory()")

    @property
    def location(self) -> str:
        return self.url

    @property
    def _store(self) -> NoReturn:
        # An embedded-store code path that this class does not override would end up here.
        raise StoreError(f"this operation is not available on the remote store {self.url}")

    @property
    def _http(self) -> httpx.Client:
        if self._client is None:
            raise StoreError("the store is closed")
        return self._client

    def close(self) -> None:
        """Release the connections; every write was committed by the server when it answered."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def flush(self) -> None:
        """Nothing to do: the server committed each write before answering it."""

    # -- HTTP ------------------------------------------------------------------------------------

    def timed_out(self, what: str, seconds: float | None = None) -> NoReturn:
        limit = f"{seconds if seconds is not None else self.endpoints.timeout:g}"
        raise StoreTimeoutError(f"the SPARQL store at {self.url} did not finish {what} within {limit} s "
                                "(a slow or overloaded server; add ?timeout=SECONDS to the store URL to wait longer)")

    def _failed(self, response: httpx.Response, what: str) -> NoReturn:
        message = _server_message(response)
        status = f"{response.status_code} {response.reason_phrase}".strip()
        if response.status_code in (404, 405, 501):
            raise StoreConfigurationError(
                f"the server at {self.url} has no SPARQL endpoint at {response.url.copy_with(query=None)} "
                f"({status} while {what}): is it a SPARQL server? For servers other than Oxigraph name the "
                "endpoints in the URL: ?query=PATH&update=PATH&gsp=PATH")
        raise RemoteStoreError(f"the SPARQL store at {self.url} answered {status} while {what}"
                               + (f": {message}" if message else ""))

    def _request(self, method: str, url: str, what: str, *, stream: bool = False, seconds: float | None = None,
                 **kwargs: Any) -> httpx.Response:
        """Send one request; connection failures and timeouts become store errors naming the URL."""
        seconds = seconds if seconds is not None else self.endpoints.timeout
        timeout = httpx.Timeout(seconds, connect=min(CONNECT_TIMEOUT, seconds))
        try:
            request = self._http.build_request(method, url, timeout=timeout, **kwargs)
            return self._http.send(request, stream=stream)
        except httpx.TimeoutException:
            self.timed_out(what, seconds)
        except httpx.ConnectError as exc:
            raise StoreUnreachableError(f"cannot reach the SPARQL store at {self.url}: {exc} "
                                        "(is the server running, and is the URL right?)") from None
        except httpx.HTTPError as exc:
            raise RemoteStoreError(f"the SPARQL store at {self.url} failed while {what}: {exc}") from None

    def _send(self, method: str, url: str, what: str, *, ok: Iterable[int] = (200, 201, 204),
              **kwargs: Any) -> httpx.Response:
        """One request, read whole, that must answer with a status in ``ok``."""
        response = self._request(method, url, what, **kwargs)
        if response.status_code not in ok:
            self._failed(response, what)
        return response

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"the store {self.url} is open read-only")

    @contextmanager
    def _answer(self, sparql: str, *, union: bool, default_graphs: Sequence[str] | None = None,
                named_graphs: Sequence[str] | None = None, bindings: dict[str, Node] | None = None,
                timeout: float | None = None) -> Iterator[tuple[BinaryIO, str]]:
        """Send a query (SPARQL 1.1 Protocol, POST form) and yield its streamed answer and content type."""
        text = with_prefixes(sparql, PREFIXES)
        if bindings:
            text = with_values(text, {name: sparql_term(value) for name, value in bindings.items()})
        form: dict[str, Any] = {"query": text}
        if default_graphs is not None or named_graphs is not None:
            form["default-graph-uri"] = [check_graph_iri(g) for g in default_graphs or ()]
            form["named-graph-uri"] = [check_graph_iri(g) for g in named_graphs or ()]
            if not form["default-graph-uri"] and not form["named-graph-uri"]:
                form["named-graph-uri"] = [NO_GRAPH]  # the protocol has no word for "an empty dataset"
        elif union and self.endpoints.union == "param":
            form["union-default-graph"] = "true"
        seconds = timeout if timeout is not None else self.endpoints.timeout
        what = "answering a query"
        deadline = time.monotonic() + seconds
        response = self._request("POST", self.endpoints.query, what, stream=True, seconds=seconds, data=form,
                                 headers={"Accept": ANSWER_TYPES})
        try:
            if response.status_code == 400:
                raise InvalidQueryError(f"invalid SPARQL query: {_server_message(response)}")
            if response.status_code != 200:
                self._failed(response, what)
            content_type = response.headers.get("content-type", "")
            if answer_kind(content_type) is None:
                raise StoreConfigurationError(
                    f"the server at {self.url} answered a query with {content_type or 'no content type'}, "
                    f"not SPARQL results: is {self.endpoints.query} a SPARQL query endpoint?")
            stream = io.BufferedReader(_ResponseStream(self, response, deadline, what, seconds), _CHUNK)
            try:
                yield stream, content_type
            except MalformedAnswerError as exc:
                raise MalformedAnswerError(f"the SPARQL store at {self.url} sent a broken answer: {exc}") from None
        finally:
            response.close()

    def _ask(self, sparql: str, *, union: bool) -> bool:
        with self._answer(sparql, union=union) as (stream, content_type):
            answer = read_answer(stream, content_type)
        if not isinstance(answer, bool):
            raise StoreConfigurationError(f"the server at {self.url} did not answer an ASK query with a boolean")
        return answer

    def _check_dataset(self) -> None:
        """Make sure the default graph is the union of the graphs and ``FROM`` is honoured (see the module doc).

        An empty store proves nothing either way: it is checked again on the
        next read, until some graph holds a triple.
        """
        if self._dataset_checked:
            return
        with self._answer(_UNION_PROBE, union=True) as (stream, content_type):
            rows = read_answer(stream, content_type)
        if not isinstance(rows, Rows):
            raise StoreConfigurationError(f"the server at {self.url} did not answer a SELECT query with rows")
        if not rows:
            return
        if str(rows[0].get("union")) not in ("true", "1"):
            raise StoreConfigurationError(
                f"the SPARQL store at {self.url} does not query the union of its graphs: unkg needs the default "
                "graph to be the union of all named graphs. Oxigraph does this per request (leave union=param); "
                "for another server configure its union default graph (Fuseki/TDB2: tdb2:unionDefaultGraph true) "
                "and add ?union=server to the store URL")
        if self._ask(f"ASK FROM <{NO_GRAPH}> {{ ?s ?p ?o }}", union=False):
            raise StoreConfigurationError(
                f"the SPARQL store at {self.url} ignores FROM in queries (an Oxigraph server started with "
                "--union-default-graph does): restart it without --union-default-graph; unkg asks for the "
                "union default graph per request")
        self._dataset_checked = True

    # -- writing ---------------------------------------------------------------------------------

    def replace_graph(self, graph: GraphLike, *, also_drop: Iterable[str] = ()) -> None:
        """Replace the named graph ``graph.iri`` by ``graph.triples`` in one request, hence one transaction.

        A Graph Store Protocol PUT when only this graph changes; one SPARQL
        Update when ``also_drop`` names graphs that must vanish at the same moment.
        """
        self._writable()
        others = [iri for iri in dict.fromkeys(also_drop) if iri != graph.iri]
        what = f"writing the graph {graph.iri}"
        if others or not graph.triples:
            self._send("POST", self.endpoints.update, what, content=graph_update(graph, others).encode("utf-8"),
                       headers={"Content-Type": "application/sparql-update"})
            return
        check_graph_iri(graph.iri)
        self._send("PUT", self.endpoints.gsp, what, params={"graph": graph.iri}, content=graph_turtle(graph),
                   headers={"Content-Type": "text/turtle; charset=utf-8"})

    def drop_graph(self, iri: str) -> None:
        """Remove a named graph (a Graph Store Protocol DELETE; no error if it is not there)."""
        self._writable()
        self._send("DELETE", self.endpoints.gsp, f"dropping the graph {iri}", ok=(200, 202, 204, 404),
                   params={"graph": check_graph_iri(iri)})

    # -- reading ---------------------------------------------------------------------------------

    def has_graph(self, iri: str) -> bool:
        response = self._send("HEAD", self.endpoints.gsp, f"looking for the graph {iri}", ok=(200, 204, 404),
                              params={"graph": check_graph_iri(iri)})
        return response.status_code != 404

    def named_graphs(self) -> list[str]:
        """The names of all graphs, sorted."""
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }", union_default_graph=False)
        return sorted(str(r["g"]) for r in rows)

    @contextmanager
    def _graph(self, iri: str) -> Iterator[tuple[BinaryIO, str] | None]:
        """A Graph Store Protocol GET of one graph as a stream, or ``None`` when the store has no such graph."""
        what = f"reading the graph {iri}"
        deadline = time.monotonic() + self.endpoints.timeout
        response = self._request("GET", self.endpoints.gsp, what, stream=True, params={"graph": check_graph_iri(iri)},
                                 headers={"Accept": "application/n-triples"})
        try:
            if response.status_code == 404:
                yield None
                return
            if response.status_code != 200:
                self._failed(response, what)
            stream = io.BufferedReader(_ResponseStream(self, response, deadline, what), _CHUNK)
            try:
                yield stream, response.headers.get("content-type", "application/n-triples")
            except MalformedAnswerError as exc:
                raise MalformedAnswerError(f"the SPARQL store at {self.url} sent a broken graph: {exc}") from None
        finally:
            response.close()

    def graph_triples(self, iri: str) -> list[RdfTriple]:
        """The triples of one named graph as rdflib terms (none if the graph does not exist)."""
        with self._graph(iri) as found:
            return read_triples(*found) if found is not None else []

    def same_content(self, graph: GraphLike, *, ignore_predicates: Iterable[str] = ()) -> bool:
        """``GraphStore.same_content``, against the graph as the server sends it back."""
        with self._graph(graph.iri) as found:
            if found is None:
                return False
            return stored_graph_matches(graph, *found, ignore_predicates=ignore_predicates)

    def __len__(self) -> int:
        """Quads in the named graphs (unkg writes nothing to the default graph)."""
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", union_default_graph=False)
        return int(rows[0]["n"]) if rows and rows[0]["n"] is not None else 0

    def query(self, sparql: str, *, union_default_graph: bool = True,
              bindings: dict[str, Node] | None = None) -> Rows | bool | list[RdfTriple]:
        """``GraphStore.query`` through the SPARQL protocol: ``Rows``, ``bool`` or triples, as rdflib terms."""
        self._check_dataset()
        with self._answer(sparql, union=union_default_graph, bindings=bindings) as (stream, content_type):
            return read_answer(stream, content_type)

    def query_serialized(self, sparql: str, *, results_format: str | None, graph_format: str | None,
                         default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None,
                         union_default_graph: bool = True, limits: ResultLimits | None = None,
                         bindings: dict[str, Node] | None = None, timeout: float | None = None) -> SerializedResult:
        """``GraphStore.query_serialized`` through the SPARQL protocol, with the same bytes and caps.

        ``timeout`` (seconds, default the URL's ``timeout=``) bounds the whole
        exchange: the request is cut when it passes, and ``StoreTimeoutError``
        raised.  The server may go on computing (see ``docs/scaling.md``).
        """
        self._check_dataset()
        with self._answer(sparql, union=union_default_graph, default_graphs=default_graphs,
                          named_graphs=named_graphs, bindings=bindings, timeout=timeout) as (stream, content_type):
            return serialize_answer(stream, content_type, results_format=results_format,
                                    graph_format=graph_format, limits=limits)

    # -- export ----------------------------------------------------------------------------------

    def dump(self, out: BinaryIO, fmt: str) -> None:
        """``GraphStore.dump``: the server streams its whole dataset as N-Quads, written out as it comes."""
        what = "sending its dataset"
        deadline = time.monotonic() + self.endpoints.timeout
        response = self._request("GET", self.endpoints.dataset, what, stream=True,
                                 headers={"Accept": "application/n-quads"})
        try:
            if response.status_code != 200:
                self._failed(response, what)
            try:
                dump_quad_stream(io.BufferedReader(_ResponseStream(self, response, deadline, what), _CHUNK), out, fmt)
            except MalformedAnswerError as exc:
                raise MalformedAnswerError(f"the SPARQL store at {self.url} sent a broken dataset: {exc}") from None
        finally:
            response.close()
