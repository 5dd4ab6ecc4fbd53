"""The remote store: unkg against a real ``oxigraph serve`` on a loopback port (``--store http://...``).

The service tests (``test_service_api.py``, ``test_service_sparql.py``) run
over both backends; this module pins what only a remote store has: writes of
one document graph per request, the checks a server must pass when it is
opened, the errors when it is down or not a SPARQL store, the limits on public
queries without worker processes, and that both backends hold and answer the
same thing.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, UNKG, Service, StoreServer, free_port, ingest_into, start_service, start_store_server
from rdflib import Dataset, Graph, Literal, URIRef

from ingest.loader import ingest_paths
from ingest.rdf import NamedGraph
from ingest.remote_store import RemoteStore, StoreConfigurationError, StoreTimeoutError, StoreUnreachableError
from ingest.store import GraphStore, InvalidQueryError, ResultLimits, StoreError, open_store
from queries import SavedQuery, list_queries
from queries.binding import bind_parameters, parse_assignments

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

CORPUS = sorted((ROOT / "corpus").glob("*.txt"))
EX = "https://example.org/"
GENERATED_AT = "<http://www.w3.org/ns/prov#generatedAtTime>"


@pytest.fixture()
def empty_server(tmp_path: Path) -> Iterator[StoreServer]:
    """A fresh, empty Oxigraph server of its own."""
    server = start_store_server(tmp_path / "oxigraph")
    yield server
    server.stop()


def small_graph(name: str, size: int = 3, value: str = "v") -> NamedGraph:
    return NamedGraph(f"{EX}graph/{name}", tuple(
        (URIRef(f"{EX}s/{i}"), URIRef(f"{EX}p"), Literal(f"{value}{i}")) for i in range(size)))


def nquads(store: GraphStore) -> set[str]:
    """The store's dump as a set of N-Quads lines, the ingest times left out (they differ between ingests)."""
    from io import BytesIO

    out = BytesIO()
    store.dump(out, "nq")
    return {line for line in out.getvalue().decode().splitlines() if GENERATED_AT not in line}


def unkg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*UNKG, *args], capture_output=True, text=True, cwd=ROOT)


# -- writes: one graph per request ------------------------------------------------------------------

def test_reingest_replaces_each_document_graph_and_never_duplicates_it(empty_server: StoreServer) -> None:
    with open_store(empty_server.url) as store:
        first = ingest_paths(store, CORPUS[:2])
        sizes = {iri: len(store.graph_triples(iri)) for iri in first.graphs}
        total = len(store)
        again = ingest_paths(store, CORPUS[:2], force=True)
        assert again.documents == 2 and again.graphs == first.graphs
        assert {iri: len(store.graph_triples(iri)) for iri in first.graphs} == sizes
        assert len(store) == total


def test_a_graph_being_replaced_is_never_seen_half_written(empty_server: StoreServer) -> None:
    """Readers see the old graph or the new one whole, as with the embedded store's transactions."""
    size = 2000
    with open_store(empty_server.url) as store:
        store.replace_graph(small_graph("big", size))
        seen: set[int] = set()
        done = threading.Event()

        def read() -> None:
            with open_store(empty_server.url, read_only=True) as reader:
                while not done.is_set():
                    rows = reader.select(f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{EX}graph/big> {{ ?s ?p ?o }} }}")
                    seen.add(int(rows[0]["n"]))

        reader_thread = threading.Thread(target=read)
        reader_thread.start()
        try:
            for round_ in range(15):
                store.replace_graph(small_graph("big", size, value=f"round{round_}-"))
        finally:
            done.set()
            reader_thread.join()
    assert seen == {size}


def test_also_drop_removes_the_old_graph_in_the_same_request(empty_server: StoreServer) -> None:
    with open_store(empty_server.url) as store:
        store.replace_graph(small_graph("old"))
        store.replace_graph(small_graph("new", 2), also_drop=[f"{EX}graph/old"])
        assert store.named_graphs() == [f"{EX}graph/new"]
        assert len(store) == 2
        store.drop_graph(f"{EX}graph/new")
        store.drop_graph(f"{EX}graph/never-there")
        assert store.named_graphs() == [] and not store.has_graph(f"{EX}graph/new")


def test_a_graph_the_server_refuses_leaves_the_stored_one_as_it_was(empty_server: StoreServer) -> None:
    with open_store(empty_server.url) as store:
        store.replace_graph(small_graph("doc"))
        before = store.graph_triples(f"{EX}graph/doc")
        # a private-use character: rdflib writes the IRI, Oxigraph refuses it while parsing the body
        broken = NamedGraph(f"{EX}graph/doc", (*small_graph("doc", 5, "new").triples,
                                               (URIRef(f"{EX}s/x"), URIRef(f"{EX}p/\ue000"), Literal("x"))))
        with pytest.raises(StoreError, match=re.escape(empty_server.url)):
            store.replace_graph(broken)
        assert sorted(store.graph_triples(f"{EX}graph/doc")) == sorted(before)


def test_unchanged_reingest_writes_nothing(empty_server: StoreServer) -> None:
    with open_store(empty_server.url) as store:
        ingest_paths(store, CORPUS[:2])
        before = nquads(store)
        again = ingest_paths(store, CORPUS[:2])
        assert (again.documents, again.skipped_unchanged) == (0, 2)
        assert nquads(store) == before


def test_bad_input_leaves_the_remote_store_as_it_was(empty_server: StoreServer, tmp_path: Path) -> None:
    """Through the real CLI: the bad file is named, and the store holds what it held."""
    assert ingest_into(empty_server.url, CORPUS[0]).returncode == 0
    with open_store(empty_server.url, read_only=True) as store:
        before = nquads(store)
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01 not a resolution \xff" * 10)
    run = ingest_into(empty_server.url, bad)
    assert run.returncode == 1
    assert "broken.txt" in run.stderr
    with open_store(empty_server.url, read_only=True) as store:
        assert nquads(store) == before


# -- opening a store: clear errors -----------------------------------------------------------------

def test_a_url_where_no_server_listens_is_one_clear_line() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    run = unkg("stats", "--store", url)
    assert run.returncode == 1
    assert run.stderr.startswith(f"error: cannot reach the SPARQL store at {url}")
    assert len(run.stderr.strip().splitlines()) == 1
    with pytest.raises(StoreUnreachableError):
        open_store(url, read_only=True)


def test_a_server_that_is_not_a_sparql_store_is_named_as_such(tmp_path: Path) -> None:
    port = free_port()
    with open(tmp_path / "http.log", "wb") as log:
        web = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                                "--directory", str(tmp_path)], stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        run = unkg("stats", "--store", url)
        assert run.returncode == 1
        assert f"the server at {url} has no SPARQL endpoint" in run.stderr
        assert "is it a SPARQL server?" in run.stderr
    finally:
        web.terminate()
        web.wait(timeout=20)


@pytest.mark.parametrize(("location", "message"), [
    ("ftp://127.0.0.1:7878", "unsupported scheme 'ftp'"),
    ("http://:7878", "with a host"),
    ("http://127.0.0.1:99999", "not a valid URL"),
    ("http://127.0.0.1:7878?querypath=/sparql", "unknown option(s) querypath"),
    ("http://127.0.0.1:7878?union=maybe", "union=param or union=server"),
    ("http://127.0.0.1:7878?timeout=soon", "timeout= takes seconds"),
])
def test_a_malformed_store_url_is_refused_before_any_request(location: str, message: str) -> None:
    with pytest.raises(StoreError, match=re.escape(message)):
        open_store(location, read_only=True)


def test_a_server_that_does_not_query_the_union_is_refused_with_the_fix(empty_server: StoreServer) -> None:
    with open_store(empty_server.url) as writer:
        writer.replace_graph(small_graph("doc"))
    run = unkg("stats", "--store", empty_server.url + "?union=server")  # the server is told nothing
    assert run.returncode == 1
    assert f"the SPARQL store at {empty_server.url} does not query the union of its graphs" in run.stderr
    assert "union default graph" in run.stderr


def test_an_oxigraph_started_with_union_default_graph_is_refused_since_it_ignores_from(tmp_path: Path) -> None:
    server = start_store_server(tmp_path / "oxigraph", ["--union-default-graph"])
    try:
        with open_store(server.url) as writer:  # writers only read graphs by name: they may
            writer.replace_graph(small_graph("doc"))
        with pytest.raises(StoreConfigurationError, match="restart it without --union-default-graph"):
            open_store(server.url, read_only=True)
    finally:
        server.stop()


def test_an_empty_store_is_served_and_checked_again_once_it_holds_data(empty_server: StoreServer,
                                                                        tmp_path: Path) -> None:
    service = start_service(empty_server.url, log_dir=tmp_path)
    try:
        assert httpx.get(service.url + "/api/stats", timeout=30).json()["documents"] == 0
        assert ingest_into(empty_server.url, CORPUS[0]).returncode == 0
        # no view to reload: the next request reads the server's current data
        assert httpx.get(service.url + "/api/stats", timeout=30).json()["documents"] == 1
        answer = httpx.get(service.url + "/sparql", timeout=30,
                           params={"query": "SELECT (COUNT(*) AS ?n) { ?d a unkg:Document }"}).json()
        assert int(answer["results"]["bindings"][0]["n"]["value"]) >= 1
    finally:
        service.stop()


# -- both backends hold and answer the same --------------------------------------------------------

@pytest.fixture(scope="module")
def both(corpus_store: Path, remote_store: StoreServer) -> Iterator[tuple[GraphStore, GraphStore]]:
    """The seed corpus in a directory and on an Oxigraph server, each ingested by the real CLI."""
    with open_store(corpus_store, read_only=True) as embedded, open_store(remote_store.url, read_only=True) as remote:
        yield embedded, remote


def test_both_backends_hold_the_same_quads(both: tuple[GraphStore, GraphStore]) -> None:
    embedded, remote = both
    assert isinstance(remote, RemoteStore)
    assert nquads(remote) == nquads(embedded)
    assert remote.stats() == embedded.stats()
    assert remote.named_graphs() == embedded.named_graphs()
    assert remote.document_graphs() == embedded.document_graphs()


@pytest.mark.parametrize("saved", list_queries(), ids=lambda q: q.name)
def test_every_saved_query_answers_the_same_on_both_backends(both: tuple[GraphStore, GraphStore],
                                                            saved: SavedQuery) -> None:
    """Saved queries bind their parameters (a substitution in the embedded store, VALUES rows on a server)."""
    embedded, remote = both
    example = next((e for e in saved.examples if "--param" in e), "")
    values = parse_assignments(re.findall(r"--param (\S+)", example))
    bindings = bind_parameters(saved, values, embedded, "https://w3id.org/unkg/")
    expected = embedded.query(saved.sparql, bindings=bindings)
    answer = remote.query(saved.sparql, bindings=bindings)
    assert answer == expected
    if hasattr(expected, "variables"):
        assert answer.variables == expected.variables  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", ["nq", "trig", "nt", "turtle", "jsonld"])
def test_every_dump_format_writes_the_same_triples_on_both_backends(both: tuple[GraphStore, GraphStore],
                                                                    fmt: str) -> None:
    from io import BytesIO

    def parsed(store: GraphStore) -> set[tuple[str, ...]]:
        out = BytesIO()
        store.dump(out, fmt)
        data = Dataset() if fmt in ("nq", "trig") else Graph()
        data.parse(data=out.getvalue(), format={"nq": "nquads", "nt": "nt"}.get(fmt, "json-ld" if fmt == "jsonld"
                                                                                   else fmt))
        quads = data.quads((None, None, None, None)) if isinstance(data, Dataset) else data
        return {tuple(str(t) for t in quad[:3]) for quad in quads if str(quad[1]) not in GENERATED_AT}

    embedded, remote = both
    assert parsed(remote) == parsed(embedded)


def test_a_dump_loaded_into_another_server_dumps_the_same(remote_store: StoreServer, empty_server: StoreServer,
                                                          tmp_path: Path) -> None:
    """Round trip: ``unkg dump --format nq`` of one server, loaded into another, dumped again."""
    first = tmp_path / "first.nq"
    assert unkg("dump", "--store", remote_store.url, "--format", "nq", "--out", str(first)).returncode == 0
    loaded = httpx.post(empty_server.url + "/store", content=first.read_bytes(),
                        headers={"Content-Type": "application/n-quads"}, timeout=60)
    assert loaded.status_code in (200, 204)
    second = tmp_path / "second.nq"
    assert unkg("dump", "--store", empty_server.url, "--format", "nq", "--out", str(second)).returncode == 0
    assert set(second.read_text().splitlines()) == set(first.read_text().splitlines())
    assert len(first.read_text().splitlines()) > 1000


def test_the_cli_reads_a_remote_store_as_it_reads_a_directory(corpus_store: Path, remote_store: StoreServer) -> None:
    for command in (["stats", "--json"], ["query", "cites", "--param", "symbol=A/RES/72/1", "--format", "csv"],
                    ["export", "edges", "--format", "csv"], ["export", "documents", "--format", "jsonl"]):
        embedded = unkg(*command, "--store", str(corpus_store))
        remote = unkg(*command, "--store", remote_store.url)
        assert embedded.returncode == remote.returncode == 0, remote.stderr
        assert remote.stdout == embedded.stdout, command
    validated = unkg("validate", "--store", remote_store.url)
    assert validated.returncode == 0 and "5 document graphs validated: conforms" in validated.stderr


# -- queries: caps, timeouts, refusals -------------------------------------------------------------

def test_query_caps_apply_while_the_answer_streams_in(both: tuple[GraphStore, GraphStore]) -> None:
    embedded, remote = both
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    for fmt in ("json", "xml", "csv"):
        capped = remote.query_serialized(query, results_format=fmt, graph_format=None, limits=ResultLimits(10, 10**6))
        assert capped.truncated == "rows=10"
        assert capped == embedded.query_serialized(query, results_format=fmt, graph_format=None,
                                                   limits=ResultLimits(10, 10**6))
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    cut = remote.query_serialized(construct, results_format=None, graph_format="ntriples",
                                  limits=ResultLimits(10**6, 4096))
    assert cut.truncated == "bytes=4096" and len(cut.data) <= 4096


def test_an_invalid_query_is_an_invalid_query_error_from_the_server(both: tuple[GraphStore, GraphStore]) -> None:
    _, remote = both
    with pytest.raises(InvalidQueryError):
        remote.query("SELEC ?s WHERE { ?s ?p ?o }")


@pytest.fixture()
def slow_server(tmp_path: Path) -> Iterator[StoreServer]:
    """A server holding enough triples for a cross join to run for a long time (it stops itself after 20 s)."""
    server = start_store_server(tmp_path / "oxigraph", ["--timeout-s", "20"])
    with open_store(server.url) as writer:
        writer.replace_graph(small_graph("many", 2000))
    yield server
    server.stop()


SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_query_past_its_time_is_cut_with_a_timeout_error(slow_server: StoreServer) -> None:
    with open_store(slow_server.url, read_only=True) as store:
        assert isinstance(store, RemoteStore)
        with pytest.raises(StoreTimeoutError, match=re.escape(slow_server.url)):
            store.query_serialized(SLOW_QUERY, results_format="json", graph_format=None, timeout=0.5)


def test_the_public_endpoint_answers_504_for_a_query_past_the_limit(slow_server: StoreServer,
                                                                   tmp_path: Path) -> None:
    service = start_service(slow_server.url, {"UNKG_QUERY_TIMEOUT": "0.5"}, log_dir=tmp_path)
    try:
        response = httpx.post(service.url + "/sparql", data={"query": SLOW_QUERY}, timeout=60)
        assert response.status_code == 504
        assert "query timeout" in response.text
        assert httpx.get(service.url + "/api/stats", timeout=30).status_code == 200
    finally:
        service.stop()


@pytest.fixture(scope="module")
def remote_only(remote_service: Service) -> Service:
    return remote_service


@pytest.mark.parametrize("query", [
    "INSERT DATA { <https://example.org/a> <https://example.org/b> <https://example.org/c> }",
    "DROP ALL",
    "LOAD <http://127.0.0.1:1/x.ttl>",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
])
def test_the_public_endpoint_still_refuses_updates_and_service(remote_only: Service, query: str) -> None:
    before = httpx.get(remote_only.url + "/api/stats", timeout=30).json()
    for response in (httpx.post(remote_only.url + "/sparql", data={"query": query}, timeout=30),
                     httpx.post(remote_only.url + "/sparql", data={"update": query}, timeout=30)):
        assert response.status_code == 403
    assert httpx.get(remote_only.url + "/api/stats", timeout=30).json() == before
