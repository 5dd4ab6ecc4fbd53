"""The ``unkg`` console script, run as a subprocess on temporary stores.

Tests that need the extraction skip (with the reason) while
``ingest.pipeline.extract_file`` is still a stub; the others run on stores
filled by hand through ``GraphStore``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import free_port
from rdflib import RDF, XSD, Dataset, Graph, Literal, Namespace, URIRef

from ingest.loader import expand_paths
from ingest.rdf import NamedGraph
from ingest.store import GraphStore, open_store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
FIRST_SEED = CORPUS / "000_1eeb48090b00f45d.txt"
SCRIPT = Path(sys.executable).with_name("unkg")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "api"]
SEED_COUNT = len(list(CORPUS.glob("*.txt")))

BASE = "https://w3id.org/unkg/"
UNKG = Namespace("https://w3id.org/unkg/ontology#")
CITO = Namespace("http://purl.org/spar/cito/")
PROV = Namespace("http://www.w3.org/ns/prov#")


def unkg(*args: object, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run the real console script; ``UNKG_*`` variables of the caller are not inherited."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("UNKG_")}
    clean.update(env or {})
    return subprocess.run([*COMMAND, *map(str, args)], cwd=cwd, env=clean, capture_output=True, timeout=900)


def err_lines(result: subprocess.CompletedProcess[bytes]) -> list[str]:
    return [line for line in result.stderr.decode().splitlines() if line.startswith("error: ")]


@lru_cache(maxsize=1)
def pipeline_missing() -> str | None:
    from ingest.pipeline import extract_file

    try:
        extract_file(FIRST_SEED)
    except NotImplementedError:
        return "ingest.pipeline.extract_file is still a stub (raises NotImplementedError)"
    return None


@pytest.fixture
def pipeline() -> None:
    reason = pipeline_missing()
    if reason:
        pytest.skip(reason)


def hand_built_store(path: Path) -> None:
    """Two small document graphs sharing a cited document, written through GraphStore."""
    with open_store(path) as store:
        for symbol, target in (("A/RES/72/1", "A/RES/64/293"), ("E/RES/2017/18", "A/RES/64/293")):
            g, d, t = URIRef(f"{BASE}graph/{symbol}"), URIRef(f"{BASE}document/{symbol}"), URIRef(
                f"{BASE}document/{target}")
            cite = URIRef(f"{d}#cite-1")
            store.replace_graph(NamedGraph(str(g), (
                (d, RDF.type, UNKG.Resolution), (d, CITO.cites, t), (t, RDF.type, UNKG.Document),
                (cite, RDF.type, CITO.Citation), (cite, CITO.hasCitedEntity, t),
                (cite, UNKG.surface, Literal("résolution « 64/293 »")),
                (g, UNKG.sourceFile, Literal(symbol.replace("/", "_") + ".txt")), (g, UNKG.describes, d),
                (g, PROV.generatedAtTime, Literal("2026-01-01T00:00:00Z", datatype=XSD.dateTime)),
            )))


@pytest.fixture
def small_store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    hand_built_store(path)
    return path


# -------------------------------------------------------------------------------- without extraction


def test_help_lists_the_commands(tmp_path: Path) -> None:
    result = unkg("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("ingest", "extract", "stats", "dump", "validate", "query", "serve"):
        assert command in result.stdout.decode()


def test_serve_on_a_store_held_by_another_process_says_so(tmp_path: Path) -> None:
    held = GraphStore.open(tmp_path / "s")
    try:
        result = unkg("serve", "--store", tmp_path / "s", "--host", "127.0.0.1", "--port", "0", cwd=tmp_path)
    finally:
        held.close()
    assert result.returncode == 1
    assert "in use by another process" in result.stderr.decode()


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = unkg("ingest", "--store", tmp_path / "s", tmp_path / "nope.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert err_lines(result) == [f"error: {tmp_path / 'nope.txt'}: no such file or directory"]
    assert not (tmp_path / "s").exists()
    assert unkg("extract", tmp_path / "nope.txt", cwd=tmp_path).returncode == 2


def test_read_commands_on_a_missing_store(tmp_path: Path) -> None:
    for args in (["stats"], ["dump", "--format", "nt"], ["validate"], ["query", "ASK {}"]):
        result = unkg(*args, "--store", tmp_path / "none", cwd=tmp_path)
        assert result.returncode == 1, args
        assert "no store at" in result.stderr.decode()
        assert b"Traceback" not in result.stderr


def test_an_unreachable_remote_store_from_the_environment_is_one_clear_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there; tests/test_remote_store.py has live servers
    result = unkg("stats", cwd=tmp_path, env={"UNKG_STORE": url})
    assert result.returncode == 1
    assert result.stderr.decode().startswith(f"error: cannot reach the SPARQL store at {url}")


def test_locked_store_gives_a_clear_error(small_store: Path, tmp_path: Path) -> None:
    with open_store(small_store):  # this process holds the write lock
        result = unkg("ingest", "--store", small_store, FIRST_SEED, cwd=tmp_path)
        assert result.returncode == 1
        assert "in use by another process" in result.stderr.decode()
        assert b"Traceback" not in result.stderr
        readers = unkg("stats", "--json", "--store", small_store, cwd=tmp_path)  # read-only opens still work
        assert readers.returncode == 0, readers.stderr
        assert json.loads(readers.stdout)["documents"] == 2


def test_store_from_the_environment(small_store: Path, tmp_path: Path) -> None:
    result = unkg("stats", "--json", cwd=tmp_path, env={"UNKG_STORE": str(small_store)})
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout)
    assert counts["documents"] == 2 and counts["citations"] == 2 and counts["cited_documents"] == 1
    table = unkg("stats", "--store", small_store, cwd=tmp_path)
    assert table.returncode == 0 and "citations" in table.stdout.decode()


@pytest.mark.parametrize("fmt", ["turtle", "nt", "nq", "trig", "jsonld"])
def test_dump_formats(small_store: Path, tmp_path: Path, fmt: str) -> None:
    result = unkg("dump", "--store", small_store, "--format", fmt, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out" / f"dump.{fmt}"
    assert unkg("dump", "--store", small_store, "--format", fmt, "--out", out, cwd=tmp_path).returncode == 0
    assert out.read_bytes() == result.stdout
    if fmt in ("nq", "trig"):
        dataset = Dataset().parse(data=result.stdout, format="nquads" if fmt == "nq" else "trig")
        assert {str(g.identifier) for g in dataset.graphs() if len(g)} == {
            f"{BASE}graph/A/RES/72/1", f"{BASE}graph/E/RES/2017/18"}
    else:
        rdflib_format = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}[fmt]
        graph = Graph().parse(data=result.stdout, format=rdflib_format)
        assert len(graph) == 17  # 2 x 9 triples, the one about the shared cited document once
        assert (None, UNKG.surface, Literal("résolution « 64/293 »")) in graph


def test_query_formats(small_store: Path, tmp_path: Path) -> None:
    select = "SELECT ?d ?t WHERE { ?d cito:cites ?t } ORDER BY ?d"
    as_json = unkg("query", "--store", small_store, "--format", "json", select, cwd=tmp_path)
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout) == [
        {"d": f"{BASE}document/A/RES/72/1", "t": f"{BASE}document/A/RES/64/293"},
        {"d": f"{BASE}document/E/RES/2017/18", "t": f"{BASE}document/A/RES/64/293"},
    ]
    query_file = tmp_path / "q.rq"
    query_file.write_text(select, encoding="utf-8")
    as_csv = unkg("query", "--store", small_store, "--format", "csv", f"@{query_file}", cwd=tmp_path)
    rows = list(csv.reader(io.StringIO(as_csv.stdout.decode())))
    assert rows[0] == ["d", "t"] and len(rows) == 3
    table = unkg("query", "--store", small_store, "--format", "table", select, cwd=tmp_path)
    assert table.returncode == 0 and "2 rows" in table.stdout.decode()
    piped = unkg("query", "--store", small_store, select, cwd=tmp_path)  # not a terminal: CSV by default
    assert piped.stdout == as_csv.stdout
    ask = unkg("query", "--store", small_store, "ASK { ?x a cito:Citation }", cwd=tmp_path)
    assert ask.stdout.decode().strip() == "true"
    bad = unkg("query", "--store", small_store, "SELECT WHERE {", cwd=tmp_path)
    assert bad.returncode == 1 and "invalid SPARQL" in bad.stderr.decode() and b"Traceback" not in bad.stderr


def test_expand_paths(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    names = ("b.txt", "a.md", "c.xml", "a.meta.json", ".dot.txt", "notes.pdf", "sub/d.txt", ".hidden/e.txt")
    for name in names:
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])] == [
        "a.md", "b.txt", "c.xml", "sub/d.txt"]
    assert expand_paths([tmp_path / "notes.pdf", tmp_path / "b.txt", tmp_path])[:2] == [
        tmp_path / "notes.pdf", tmp_path / "b.txt"]  # named files are taken as given, once
    with pytest.raises(FileNotFoundError):
        expand_paths([tmp_path / "missing"])


# -------------------------------------------------------------------------------- with extraction


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[bytes]]:
    reason = pipeline_missing()
    if reason:
        pytest.skip(reason)
    work = tmp_path_factory.mktemp("corpus")
    store = work / "store"
    return store, unkg("ingest", "--store", store, CORPUS, cwd=work)


def test_ingest_corpus(corpus_store: tuple[Path, subprocess.CompletedProcess[bytes]], tmp_path: Path) -> None:
    store, result = corpus_store
    assert result.returncode == 0, result.stderr.decode()
    assert err_lines(result) == []
    assert "documents ingested" in result.stdout.decode()
    counts = json.loads(unkg("stats", "--json", "--store", store, cwd=tmp_path).stdout)
    assert counts["documents"] == SEED_COUNT
    assert counts["graphs"] == SEED_COUNT + 2  # plus the authority and ontology graphs
    assert counts["citations"] > 0 and counts["triples"] > 0


def test_validate_a_good_store(corpus_store: tuple[Path, subprocess.CompletedProcess[bytes]],
                               tmp_path: Path) -> None:
    store, _ = corpus_store
    result = unkg("validate", "--store", store, cwd=tmp_path)
    assert result.returncode == 0, result.stdout.decode() + result.stderr.decode()


def test_reingest_leaves_the_store_byte_identical(
        corpus_store: tuple[Path, subprocess.CompletedProcess[bytes]], tmp_path: Path) -> None:
    store, _ = corpus_store
    before = unkg("dump", "--store", store, "--format", "nq", cwd=tmp_path).stdout
    again = unkg("ingest", "--store", store, CORPUS, cwd=tmp_path)
    assert again.returncode == 0, again.stderr.decode()
    after = unkg("dump", "--store", store, "--format", "nq", cwd=tmp_path).stdout
    assert before and before == after
    forced = unkg("ingest", "--store", store, "--force", FIRST_SEED, cwd=tmp_path)
    assert forced.returncode == 0
    forced_dump = unkg("dump", "--store", store, "--format", "nq", cwd=tmp_path).stdout
    assert len(forced_dump.splitlines()) == len(before.splitlines())  # same triples, a new ingest time


def test_failed_files_are_isolated(pipeline: None, tmp_path: Path) -> None:
    good = sorted(CORPUS.glob("*.txt"))[:2]
    only_good, mixed = tmp_path / "good", tmp_path / "mixed"
    for folder in (only_good, mixed):
        folder.mkdir()
        for path in good:
            shutil.copy(path, folder / path.name)
    bad = {"empty.txt": b"", "binary.txt": bytes(range(256)) * 8,
           "latin1.txt": "The General Assembly,\n\nRecalling its résolution 64/293,\n".encode("latin-1")}
    for name, data in bad.items():
        (mixed / name).write_bytes(data)
    result = unkg("ingest", "--store", tmp_path / "mixed-store", mixed, cwd=tmp_path)
    assert result.returncode == 1
    errors = err_lines(result)
    assert len(errors) == len(bad), errors
    for name in bad:
        assert sum(str(mixed / name) in line for line in errors) == 1, (name, errors)
    assert b"Traceback" not in result.stderr
    assert unkg("ingest", "--store", tmp_path / "good-store", only_good, cwd=tmp_path).returncode == 0
    stats = [json.loads(unkg("stats", "--json", "--store", tmp_path / s, cwd=tmp_path).stdout)
             for s in ("mixed-store", "good-store")]
    assert stats[0] == stats[1]
    assert stats[0]["documents"] == len(good)
    with open_store(tmp_path / "mixed-store", read_only=True) as store:
        assert not any(name in " ".join(store.document_graphs()) for name in ("empty", "binary", "latin1"))
        assert sorted(store.graph_provenance(g)["sourceFile"] for g in store.document_graphs()) == [
            p.name for p in good]


def test_extract_prints_schema_json(pipeline: None, tmp_path: Path) -> None:
    one = unkg("extract", FIRST_SEED, cwd=tmp_path)
    assert one.returncode == 0, one.stderr.decode()
    data = json.loads(one.stdout)
    assert isinstance(data, dict)
    assert data["source"] == FIRST_SEED.name
    for key in ("document", "paragraphs", "citations", "instruments", "bodies", "treaty_series", "events"):
        assert key in data
    assert set(data["paragraphs"]) == {"preambular", "operative"}
    assert {"symbol", "doc_type", "body", "title", "sponsors", "related_symbols"} <= set(data["document"])
    for citation in data["citations"]:
        assert {"target", "surface", "paragraph", "target_date"} <= set(citation)
    several = unkg("extract", *sorted(CORPUS.glob("*.txt"))[:2], cwd=tmp_path)
    assert several.returncode == 0
    sources = [d["source"] for d in json.loads(several.stdout)]
    assert sources == [p.name for p in sorted(CORPUS.glob("*.txt"))[:2]]


def test_extract_out_dir_and_failures(pipeline: None, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / "pred"
    result = unkg("extract", "--out", out, CORPUS, tmp_path / "empty.txt", cwd=tmp_path)
    assert result.returncode == 1
    assert len(err_lines(result)) == 1 and "empty.txt" in err_lines(result)[0]
    written = sorted(p.name for p in out.glob("*.json"))
    assert written == sorted(p.stem + ".json" for p in CORPUS.glob("*.txt"))
    first = json.loads((out / "000_1eeb48090b00f45d.json").read_text(encoding="utf-8"))
    assert first["source"] == FIRST_SEED.name
    assert result.stdout == b""


def test_oxigraph_reads_what_the_cli_dumps(corpus_store: tuple[Path, subprocess.CompletedProcess[bytes]],
                                           tmp_path: Path) -> None:
    store, _ = corpus_store
    for fmt, ox_format in (("turtle", ox.RdfFormat.TURTLE), ("trig", ox.RdfFormat.TRIG)):
        data = unkg("dump", "--store", store, "--format", fmt, cwd=tmp_path).stdout
        assert list(ox.parse(data, ox_format))
