"""The store on a real on-disk Oxigraph: atomic replacement, isolation of graphs, dumps, stats, threads.

Graphs are built by hand here, so these tests do not depend on the extraction.
"""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, XSD, BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from ingest.rdf import NamedGraph
from ingest.store import (
    PROV_GENERATED_AT,
    GraphStore,
    Rows,
    StoreError,
    StoreLockedError,
    StoreNotFoundError,
    open_store,
)

BASE = "https://w3id.org/unkg/"
UNKG = Namespace("https://w3id.org/unkg/ontology#")
CITO = Namespace("http://purl.org/spar/cito/")
PROV = Namespace("http://www.w3.org/ns/prov#")
DCTERMS = Namespace("http://purl.org/dc/terms/")


def doc(symbol: str) -> URIRef:
    return URIRef(f"{BASE}document/{symbol}")


def document_graph(symbol: str, cites: list[str], *, sha: str = "0" * 64, title: str = "A title",
                   source: str | None = None) -> NamedGraph:
    """A small document graph in the shape of docs/rdf-model.md: provenance, citations, mentions."""
    g = URIRef(f"{BASE}graph/{symbol}")
    d = doc(symbol)
    triples = [
        (d, RDF.type, UNKG.Resolution),
        (d, DCTERMS.identifier, Literal(symbol)),
        (d, DCTERMS.title, Literal(title, lang="en")),
        (d, UNKG.namesState, URIRef(f"{BASE}state/mexico")),
        (d, UNKG.namesBody, URIRef(f"{BASE}body/unodc")),
        (d, UNKG.namesInstrument, URIRef(f"{BASE}instrument/untoc")),
        (g, RDF.type, PROV.Entity),
        (g, UNKG.sourceFile, Literal(source or f"{symbol.replace('/', '_')}.txt")),
        (g, UNKG.sha256, Literal(sha)),
        (g, UNKG.pipelineVersion, Literal("0.1.0")),
        (g, PROV.generatedAtTime, Literal("2026-01-01T10:00:00Z", datatype=XSD.dateTime)),
        (g, UNKG.describes, d),
    ]
    for n, target in enumerate(cites, start=1):
        c = URIRef(f"{d}#cite-{n}")
        triples += [
            (c, RDF.type, CITO.Citation), (c, CITO.hasCitingEntity, d), (c, CITO.hasCitedEntity, doc(target)),
            (c, UNKG.startOffset, Literal(n * 10)), (c, UNKG.surface, Literal(f'resolution "{target}"\n')),
            (d, CITO.cites, doc(target)), (doc(target), DCTERMS.identifier, Literal(target)),
        ]
    return NamedGraph(str(g), tuple(triples))


def _term_key(term: object) -> object:
    """Literals by value: Oxigraph stores canonical forms ("+00:00" comes back as "Z")."""
    if isinstance(term, Literal) and term.value is not None:
        return ("literal", term.value, term.datatype, term.language)
    return term.n3()  # type: ignore[attr-defined]


def triple_set(triples) -> set[tuple[object, ...]]:
    return {tuple(_term_key(t) for t in triple) for triple in triples}


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "store") as s:
        yield s


def test_replace_leaves_exactly_the_new_triples(store: GraphStore) -> None:
    old = document_graph("A/RES/72/1", ["A/RES/64/293", "A/RES/70/1"], sha="a" * 64)
    new = document_graph("A/RES/72/1", ["A/RES/71/1"], sha="b" * 64, title="Another title")
    store.replace_graph(old)
    assert triple_set(store.graph_triples(old.iri)) == triple_set(old.triples)
    store.replace_graph(new)
    assert triple_set(store.graph_triples(new.iri)) == triple_set(new.triples)
    assert len(store) == len(new.triples)


def test_replace_does_not_touch_other_graphs(store: GraphStore) -> None:
    one, two = document_graph("A/RES/72/1", ["A/RES/70/1"]), document_graph("E/RES/2017/18", ["A/RES/70/1"])
    store.replace_graph(one)
    store.replace_graph(two)
    before = triple_set(store.graph_triples(two.iri))
    store.replace_graph(document_graph("A/RES/72/1", []))
    assert triple_set(store.graph_triples(two.iri)) == before
    store.drop_graph(one.iri)
    assert store.named_graphs() == [two.iri]
    assert triple_set(store.graph_triples(two.iri)) == before


def test_failed_replace_keeps_the_old_graph(store: GraphStore) -> None:
    """DROP and INSERT are one update: when the insert is refused the drop is undone too."""
    good = document_graph("A/RES/72/1", ["A/RES/70/1"])
    store.replace_graph(good)
    bad = NamedGraph(good.iri, (*good.triples, (URIRef("relative-iri"), RDF.type, UNKG.Document)))
    with pytest.raises(StoreError):
        store.replace_graph(bad)
    assert triple_set(store.graph_triples(good.iri)) == triple_set(good.triples)


def test_readers_never_see_a_half_replaced_graph(store: GraphStore) -> None:
    small = document_graph("A/RES/72/1", ["A/RES/70/1"])
    large = document_graph("A/RES/72/1", [f"A/RES/70/{n}" for n in range(1, 200)])
    sizes = {len(small.triples), len(large.triples)}
    store.replace_graph(small)
    seen: set[int] = set()
    stop = threading.Event()
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{small.iri}> {{ ?s ?p ?o }} }}"

    def read() -> None:
        while not stop.is_set():
            rows = store.query(count)
            seen.add(int(rows[0]["n"]))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(40):
            store.replace_graph(large if n % 2 == 0 else small)
    finally:
        stop.set()
        reader.join()
    assert seen <= sizes


def test_also_drop_removes_the_old_graph_of_a_renamed_document(store: GraphStore) -> None:
    local = document_graph("local/004_draft", [], source="004.txt")
    store.replace_graph(local)
    named = document_graph("A/C.3/72/L.13", [], source="004.txt")
    assert store.graphs_from_source("004.txt") == [local.iri]
    store.replace_graph(named, also_drop=store.graphs_from_source("004.txt"))
    assert store.named_graphs() == [named.iri]
    assert store.graphs_from_source("004.txt") == [named.iri]
    assert store.graphs_from_source("other.txt") == []


def test_replacing_with_the_same_triples_keeps_the_dump_identical(store: GraphStore) -> None:
    graph = document_graph("A/RES/72/1", ["A/RES/70/1", "A/RES/64/293"])
    store.replace_graph(graph)
    first = io.BytesIO()
    store.dump(first, "nq")
    store.replace_graph(graph)
    second = io.BytesIO()
    store.dump(second, "nq")
    assert first.getvalue() == second.getvalue()


def test_same_content_ignores_ingest_time_and_compares_blank_nodes(store: GraphStore) -> None:
    graph = document_graph("A/RES/72/1", ["A/RES/70/1"])
    extra = (BNode("x"), RDF.value, Literal("01", datatype=XSD.integer))
    with_bnode = NamedGraph(graph.iri, (*graph.triples, extra))
    store.replace_graph(with_bnode)
    assert store.same_content(with_bnode)
    new_time = Literal("2027-01-01T00:00:00Z", datatype=XSD.dateTime)
    later = tuple((s, p, new_time if p == PROV.generatedAtTime else o) for s, p, o in with_bnode.triples)
    assert not store.same_content(NamedGraph(graph.iri, later))
    assert store.same_content(NamedGraph(graph.iri, later), ignore_predicates=[PROV_GENERATED_AT])
    assert not store.same_content(graph)
    assert not store.same_content(document_graph("A/RES/1/1", []))


def test_provenance(store: GraphStore) -> None:
    graph = document_graph("A/RES/72/1", [], sha="c" * 64)
    assert store.graph_provenance(graph.iri) is None
    store.replace_graph(graph)
    prov = store.graph_provenance(graph.iri)
    assert prov is not None
    assert prov["sha256"] == "c" * 64
    assert prov["pipelineVersion"] == "0.1.0"
    assert prov["sourceFile"] == "A_RES_72_1.txt"
    assert prov["generatedAtTime"] == "2026-01-01T10:00:00Z"
    assert prov["describes"] == str(doc("A/RES/72/1"))


def test_stats(store: GraphStore) -> None:
    store.replace_graph(document_graph("A/RES/72/1", ["A/RES/64/293", "A/RES/70/1"]))
    store.replace_graph(document_graph("E/RES/2017/18", ["A/RES/64/293"]))
    store.replace_graph(NamedGraph(f"{BASE}graph/authority", (
        (URIRef(f"{BASE}scheme/states"), RDF.type, URIRef("http://www.w3.org/2004/02/skos/core#ConceptScheme")),
    )))
    stats = store.stats()
    assert stats.documents == 2
    assert stats.graphs == 3
    assert stats.citations == 3
    assert stats.cited_documents == 2
    assert (stats.instruments, stats.bodies, stats.states) == (1, 1, 1)
    assert stats.triples == len(store) == sum(len(store.graph_triples(g)) for g in store.named_graphs())
    assert stats.as_dict()["documents"] == 2


def test_query_results_are_plain_python_and_cross_threads(store: GraphStore) -> None:
    store.replace_graph(document_graph("A/RES/72/1", ["A/RES/64/293"]))
    select = "SELECT ?d ?t WHERE { ?d cito:cites ?t . OPTIONAL { ?d unkg:nothing ?x } }"
    with ThreadPoolExecutor(max_workers=1) as pool:
        rows = pool.submit(store.query, select).result()  # made in another thread, read here
        asked = pool.submit(store.query, "ASK { ?s a unkg:Resolution }").result()
        built = pool.submit(store.query, "CONSTRUCT { ?d cito:cites ?t } WHERE { ?d cito:cites ?t }").result()
    assert isinstance(rows, Rows) and isinstance(rows, list)
    assert rows.variables == ["d", "t"]
    assert rows == [{"d": doc("A/RES/72/1"), "t": doc("A/RES/64/293")}]
    assert type(rows[0]["d"]) is URIRef
    assert asked is True
    assert built == [(doc("A/RES/72/1"), CITO.cites, doc("A/RES/64/293"))]
    main_rows = store.query("SELECT ?s WHERE { ?s a unkg:Resolution }")
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(lambda: [str(r["s"]) for r in main_rows]).result() == [str(doc("A/RES/72/1"))]
    only_default = store.query("SELECT ?s WHERE { ?s a unkg:Resolution }", union_default_graph=False)
    assert only_default == []


def test_literals_keep_their_lexical_form(store: GraphStore) -> None:
    store.replace_graph(document_graph("A/RES/72/1", []))
    rows = store.query("SELECT ?t WHERE { ?g prov:generatedAtTime ?t }")
    assert str(rows[0]["t"]) == "2026-01-01T10:00:00Z"
    rows = store.query("SELECT ?t WHERE { ?d dcterms:title ?t }")
    assert rows[0]["t"] == Literal("A title", lang="en")


def test_invalid_query_is_a_store_error(store: GraphStore) -> None:
    with pytest.raises(StoreError, match="invalid SPARQL"):
        store.query("SELECT WHERE {")


FORMATS = ["turtle", "nt", "nq", "trig", "jsonld"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_dumps_parse_back(store: GraphStore, fmt: str) -> None:
    one = document_graph("A/RES/72/1", ["A/RES/64/293"])
    two = document_graph("E/RES/2017/18", ["A/RES/64/293"])  # shares the triples about A/RES/64/293
    store.replace_graph(one)
    store.replace_graph(two)
    out = io.BytesIO()
    store.dump(out, fmt)
    data = out.getvalue()
    union = Graph()
    for triple in (*one.triples, *two.triples):
        union.add(triple)
    if fmt in ("nq", "trig"):
        dataset = Dataset()
        dataset.parse(data=data, format="nquads" if fmt == "nq" else "trig")
        graphs = {str(g.identifier): triple_set(g) for g in dataset.graphs() if len(g)}
        assert graphs == {one.iri: triple_set(one.triples), two.iri: triple_set(two.triples)}
        quads = list(ox.parse(data, ox.RdfFormat.N_QUADS if fmt == "nq" else ox.RdfFormat.TRIG))
        assert len(quads) == len(one.triples) + len(two.triples)
    else:
        parsed = Graph().parse(data=data, format={"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt])
        assert isomorphic(parsed, union)
        assert len(parsed) < len(one.triples) + len(two.triples)  # a union, not a concatenation
        if fmt != "jsonld":
            ox_format = ox.RdfFormat.TURTLE if fmt == "turtle" else ox.RdfFormat.N_TRIPLES
            assert all(q.graph_name == ox.DefaultGraph() for q in ox.parse(data, ox_format))


def test_unknown_dump_format(store: GraphStore) -> None:
    with pytest.raises(StoreError, match="unknown dump format"):
        store.dump(io.BytesIO(), "rdfxml")


def test_read_only_open(tmp_path: Path) -> None:
    path = tmp_path / "store"
    graph = document_graph("A/RES/72/1", ["A/RES/70/1"])
    with open_store(path) as writable:
        writable.replace_graph(graph)
    with open_store(path, read_only=True) as readable:
        assert readable.read_only
        assert readable.named_graphs() == [graph.iri]
        assert triple_set(readable.graph_triples(graph.iri)) == triple_set(graph.triples)
        with pytest.raises(StoreError, match="read-only"):
            readable.replace_graph(graph)
    with pytest.raises(StoreNotFoundError, match="no store at"):
        open_store(tmp_path / "missing", read_only=True)


def test_a_locked_store_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with open_store(path):
        with pytest.raises(StoreLockedError, match="in use by another process"):
            open_store(path)
    open_store(path).close()  # closing released the lock


def test_closed_store_and_remote_location(tmp_path: Path) -> None:
    store = open_store(tmp_path / "store")
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.named_graphs()
    with pytest.raises(StoreError, match="unsupported scheme 'ftp'"):  # http(s): tests/test_remote_store.py
        open_store("ftp://localhost:7878/store")
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="not a directory"):
        open_store(tmp_path / "file")


def test_in_memory_store() -> None:
    store = GraphStore.in_memory()
    store.replace_graph(document_graph("A/RES/72/1", []))
    assert store.stats().documents == 1
    store.close()
