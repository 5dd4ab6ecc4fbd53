"""The exports load into the tools they are for, without massaging, and agree with the graph.

GraphML goes through networkx (a test dependency only: the writer is the
standard library's), CSV through the csv module, GEXF through ElementTree and
networkx; node and edge counts are checked against SPARQL counts of the
direct ``unkg:cites`` edges.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx
import networkx as nx
import pytest

from ingest.store import GraphStore
from queries.exports import citation_network, corpus_documents
from queries.network_formats import EDGE_COLUMNS, edges_gexf, edges_graphml

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).with_name("unkg")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "api"]
BASE = "https://w3id.org/unkg/"
GEXF = "{http://gexf.net/1.3}"
THIRD_COMMITTEE_DRAFT = "local/002_2c4a999f42950be4"


@pytest.fixture(scope="module")
def store(corpus_store: Path) -> Iterator[GraphStore]:
    with GraphStore.open(corpus_store, read_only=True) as opened:
        yield opened


@pytest.fixture(scope="module")
def expected(store: GraphStore) -> dict[str, int]:
    """What the graph says: direct citation edges, the documents at their ends plus the corpus, occurrences."""

    def count(sparql: str) -> int:
        return int(store.select(sparql)[0]["n"])

    return {
        "edges": count("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?t WHERE { ?s unkg:cites ?t } }"),
        "nodes": count("""SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {
            { ?d unkg:cites ?t } UNION { ?s unkg:cites ?d } UNION { GRAPH ?g { ?g unkg:describes ?d } } }"""),
        "occurrences": count("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a cito:Citation }"),
        "documents": count("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { GRAPH ?g { ?g unkg:describes ?d } }"),
    }


def unkg(*args: object, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNKG_")}
    return subprocess.run([*COMMAND, *map(str, args)], cwd=cwd, env=env, capture_output=True, timeout=300)


def test_the_seed_network_is_not_trivial(expected: dict[str, int]) -> None:
    assert expected["edges"] == 41 and expected["nodes"] == 29 and expected["occurrences"] == 52


def test_graphml_loads_with_networkx_and_matches_the_graph(corpus_store: Path, tmp_path: Path,
                                                           expected: dict[str, int]) -> None:
    out = tmp_path / "out" / "edges.graphml"
    result = unkg("export", "edges", "--store", corpus_store, "--format", "graphml", "--out", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    graph = nx.read_graphml(out)
    assert isinstance(graph, nx.DiGraph)
    assert graph.number_of_edges() == expected["edges"] and graph.number_of_nodes() == expected["nodes"]
    edge = graph.edges["E/RES/2017/18", "A/RES/64/293"]
    assert edge["occurrences"] == 3 and edge["paragraphs"] == "P5; O2; O13"
    assert edge["verbs"] == "Recognizing; Urges; Recalls"
    assert (edge["source_year"], edge["target_year"]) == (2017, 2010)  # typed: integers, not strings
    assert (edge["source_body"], edge["target_body"], edge["target_in_corpus"]) == (
        "ecosoc", "general-assembly", False)
    seed = graph.nodes["A/RES/72/1"]
    assert seed["in_corpus"] is True and seed["year"] == 2017 and seed["doc_type"] == "political_declaration"
    assert "title" not in graph.nodes["A/RES/64/293"]  # unknown values are left out, not ""
    assert sum(d["occurrences"] for _, _, d in graph.edges(data=True)) == expected["occurrences"]


def test_csv_loads_with_the_csv_module(corpus_store: Path, tmp_path: Path, expected: dict[str, int]) -> None:
    result = unkg("export", "edges", "--store", corpus_store, cwd=tmp_path)  # CSV is the default
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode("utf-8"))))
    assert tuple(rows[0]) == EDGE_COLUMNS
    assert len(rows) == expected["edges"]
    assert len({r["source"] for r in rows} | {r["target"] for r in rows}) == expected["nodes"]
    assert sum(int(r["occurrences"]) for r in rows) == expected["occurrences"]
    row = next(r for r in rows if (r["source"], r["target"]) == ("E/RES/2017/18", "A/RES/64/293"))
    assert row["characterizations"] == "cito:citesForInformation; cito:citesAsAuthority; cito:obtainsBackgroundFrom"
    unknown_year = next(r for r in rows if r["target"] == "A/71/119")
    assert unknown_year["target_year"] == "" and unknown_year["target_body"] == ""


def test_gexf_parses_and_declares_typed_attributes(corpus_store: Path, tmp_path: Path,
                                                   expected: dict[str, int]) -> None:
    result = unkg("export", "edges", "--store", corpus_store, "--format", "gexf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    root = ET.fromstring(result.stdout)
    assert root.tag == f"{GEXF}gexf" and root.get("version") == "1.3"
    graph = root.find(f"{GEXF}graph")
    assert graph is not None and graph.get("defaultedgetype") == "directed"
    assert len(graph.findall(f"{GEXF}nodes/{GEXF}node")) == expected["nodes"]
    edges = graph.findall(f"{GEXF}edges/{GEXF}edge")
    assert len(edges) == expected["edges"]
    types = {a.get("title"): a.get("type") for a in graph.iter(f"{GEXF}attribute")}
    assert types["occurrences"] == "integer" and types["target_in_corpus"] == "boolean"
    assert sum(float(e.get("weight", "0")) for e in edges) == expected["occurrences"]
    loaded = nx.read_gexf(io.BytesIO(result.stdout))
    assert loaded.number_of_edges() == expected["edges"]


def test_jsonl_has_one_edge_per_line_with_lists(corpus_store: Path, tmp_path: Path, expected: dict[str, int]) -> None:
    result = unkg("export", "edges", "--store", corpus_store, "-f", "jsonl", cwd=tmp_path)
    edges = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(edges) == expected["edges"]
    edge = next(e for e in edges if (e["source"], e["target"]) == ("E/RES/2017/18", "A/RES/64/293"))
    assert edge["paragraphs"] == ["P5", "O2", "O13"] and edge["target_year"] == 2010


def test_documents_export(corpus_store: Path, tmp_path: Path, expected: dict[str, int]) -> None:
    as_csv = unkg("export", "documents", "--store", corpus_store, cwd=tmp_path)
    assert as_csv.returncode == 0, as_csv.stderr
    rows = {r["identifier"]: r for r in csv.DictReader(io.StringIO(as_csv.stdout.decode()))}
    assert len(rows) == expected["documents"]
    resolution = rows["E/RES/2017/18"]
    assert (resolution["body"], resolution["recommended_by"], resolution["adoption_date"], resolution["year"]) == (
        "ecosoc", "ccpcj", "2017-07-06", "2017")
    assert (resolution["operative_paragraphs"], resolution["citations"], resolution["cited_by"]) == ("13", "10", "1")
    assert "untoc" in resolution["instruments"].split("; ")
    assert len(rows[THIRD_COMMITTEE_DRAFT]["sponsors"].split("; ")) == 16
    as_jsonl = unkg("export", "documents", "--store", corpus_store, "--format", "jsonl", cwd=tmp_path)
    records = [json.loads(line) for line in as_jsonl.stdout.decode().splitlines()]
    assert {r["identifier"] for r in records} == set(rows)
    draft = next(r for r in records if r["identifier"] == THIRD_COMMITTEE_DRAFT)
    assert len(draft["sponsors"]) == 16 and draft["symbol"] is None and draft["operative_paragraphs"] == 22


def test_network_writers_agree(store: GraphStore) -> None:
    network = citation_network(store, BASE)
    from_graphml = nx.read_graphml(io.BytesIO(edges_graphml(network)))
    from_gexf = nx.read_gexf(io.BytesIO(edges_gexf(network)))
    assert set(from_graphml.edges) == set(from_gexf.edges) == {(e.source, e.target) for e in network.edges}
    assert [d.identifier for d in corpus_documents(store, BASE)][0] == "local/004_78eb58398bb90172"  # oldest first


def test_api_edges_csv_and_graphml(client: httpx.Client, expected: dict[str, int]) -> None:
    as_csv = client.get("/api/export/edges.csv")
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    assert 'filename="unkg-edges.csv"' in as_csv.headers["content-disposition"]
    assert len(list(csv.DictReader(io.StringIO(as_csv.text)))) == expected["edges"]
    graphml = client.get("/api/export/edges.graphml")
    assert graphml.status_code == 200 and graphml.headers["content-type"] == "application/graphml+xml"
    graph = nx.read_graphml(io.BytesIO(graphml.content))
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (expected["nodes"], expected["edges"])
    assert client.get("/api/export/edges.gexf").status_code == 200
    assert client.get("/api/export/documents.csv").text.count("\n") == expected["documents"] + 1


def test_api_unknown_export_is_404(client: httpx.Client) -> None:
    response = client.get("/api/export/edges.xlsx")
    assert response.status_code == 404 and response.json()["error"] == "unknown export"
    assert client.get("/api/export/documents.graphml").status_code == 404
