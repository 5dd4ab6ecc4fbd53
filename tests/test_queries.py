"""The saved research queries: each one answers its question on the seed corpus, from Python, the CLI and HTTP.

Known answers come from reading the five seed texts: all five cite the Global
Plan of Action (A/RES/64/293); E/RES/2017/18 O1 urges States to ratify the
Organized Crime Convention and its Trafficking in Persons Protocol and O6
requests UNODC to continue its work; the Third Committee draft has sixteen
sponsors.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import httpx
import pytest
from rdflib import RDF, Literal, Namespace, URIRef

from ingest.rdf import NamedGraph
from ingest.store import GraphStore
from queries import QueryHeaderError, UnknownQueryError, list_queries, load_query, parse_query
from queries.binding import ParameterError, bind_parameters, parse_assignments
from queries.results import results_csv, results_tsv

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).with_name("unkg")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "api"]
BASE = "https://w3id.org/unkg/"
DOC = BASE + "document/"
UNKG = Namespace("https://w3id.org/unkg/ontology#")
CITO = Namespace("http://purl.org/spar/cito/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # rdflib's XSD object upsets pytest's collection

THIRD_COMMITTEE_DRAFT = "local/002_2c4a999f42950be4"
CCPCJ_DRAFT = "local/004_78eb58398bb90172"
SEEDS = {"E/RES/2017/18", "A/RES/72/1", "E/RES/2021/25", THIRD_COMMITTEE_DRAFT, CCPCJ_DRAFT}
THIRD_COMMITTEE_SPONSORS = {
    "Armenia", "Belarus", "Central African Republic", "Ecuador", "Kazakhstan", "Libya", "Mexico", "Qatar",
    "Russian Federation", "Syrian Arab Republic", "Tajikistan", "Thailand", "Turkmenistan",
    "United States of America", "Uzbekistan", "Venezuela (Bolivarian Republic of)",
}

Row = dict[str, str | None]


@pytest.fixture(scope="module")
def store(corpus_store: Path) -> Iterator[GraphStore]:
    with GraphStore.open(corpus_store, read_only=True) as opened:
        yield opened


def run(graph_store: GraphStore, name: str, **params: str) -> list[Row]:
    """Run a saved query the way the CLI and the API do: typed bindings, never spliced text."""
    query = load_query(name)
    rows = graph_store.select(query.sparql, bindings=bind_parameters(query, params, graph_store, BASE))
    return [{k: None if v is None else str(v) for k, v in row.items()} for row in rows]


def unkg(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNKG_")}
    return subprocess.run([*COMMAND, *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


# --------------------------------------------------------------------------- the library itself


def test_at_least_twelve_queries_each_with_a_complete_header() -> None:
    queries = list_queries()
    assert len(queries) >= 12
    for query in queries:
        assert query.title and query.question and query.examples, query.name
        for example in query.examples:
            words = shlex.split(example)
            assert words[:3] == ["unkg", "query", query.name], example
        assert query.sparql.count("SELECT") >= 1


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_every_example_runs_on_the_seed_corpus(store: GraphStore, name: str) -> None:
    query = load_query(name)
    for example in query.examples:
        words = shlex.split(example)
        params = parse_assignments([words[i + 1] for i, w in enumerate(words) if w in ("--param", "-p")])
        rows = run(store, name, **params)
        if name != "unresolved-citations":  # the seed corpus has nothing unresolved (tested below)
            assert rows, example


def test_issue_bullets_are_covered() -> None:
    names = {q.name for q in list_queries()}
    assert {"cites", "cited-by", "gpa-chain", "most-cited-documents", "most-cited-documents-by-body",
            "most-cited-documents-by-year", "most-cited-instruments", "most-cited-instruments-by-body",
            "most-cited-instruments-by-year", "co-citation", "bibliographic-coupling", "ratify", "requests-to-body",
            "sponsors", "co-sponsorship", "timeline", "cited-not-in-corpus", "unresolved-citations"} <= names


# --------------------------------------------------------------------------- header parsing


def test_header_fields_parameters_and_continuation_lines() -> None:
    query = parse_query(
        "# title: T\n# question: first line\n#   and its continuation\n"
        "# param: symbol (document): the document\n"
        "# param: body (body, optional): a body\n"
        "# param: year (year) = 2017: a year\n"
        "# example: unkg query q --param symbol=A/RES/72/1\n"
        "SELECT ?symbol ?body ?year WHERE { ?symbol ?p ?body }\n", "q")
    assert query.title == "T" and query.question == "first line and its continuation"
    symbol, body, year = query.parameters
    assert (symbol.kind, symbol.required) == ("document", True)
    assert (body.kind, body.optional, body.required) == ("body", True, False)
    assert (year.default, year.required) == ("2017", False)
    assert query.example == "unkg query q --param symbol=A/RES/72/1"


@pytest.mark.parametrize("header", [
    "# param: symbol: no kind in brackets\n",
    "# param: symbol (planet): an unknown kind\n",
    "# param: symbol (document): one\n# param: symbol (document): twice\n",
])
def test_malformed_parameter_lines_are_refused(header: str) -> None:
    with pytest.raises(QueryHeaderError):
        parse_query(header + "SELECT ?symbol WHERE { ?symbol ?p ?o }", "q")


def test_a_parameter_must_be_projected_because_oxigraph_substitutes_only_projected_variables() -> None:
    with pytest.raises(QueryHeaderError, match=r"\?symbol"):
        parse_query("# param: symbol (document): x\nSELECT ?o WHERE { ?symbol ?p ?o }", "q")


def test_unknown_query_name() -> None:
    with pytest.raises(UnknownQueryError, match="unkg query --list"):
        load_query("no-such-query")


# --------------------------------------------------------------------------- binding


def test_bindings_are_typed_terms(store: GraphStore) -> None:
    sponsors = load_query("sponsors")
    bound = bind_parameters(sponsors, {"symbol": THIRD_COMMITTEE_DRAFT, "state": "Mexico"}, store, BASE)
    assert bound == {"symbol": URIRef(DOC + THIRD_COMMITTEE_DRAFT), "state": URIRef(BASE + "state/mexico")}
    by_year = bind_parameters(load_query("timeline"), {"year": "2017"}, store, BASE)
    assert by_year == {"year": Literal("2017", datatype=XSD.integer)}
    assert bind_parameters(load_query("gpa-chain"), {}, store, BASE) == {"symbol": URIRef(DOC + "A/RES/64/293")}
    assert bind_parameters(sponsors, {}, store, BASE) == {}  # optional parameters stay free


@pytest.mark.parametrize("value", ["unodc", "UNODC", "United Nations Office on Drugs and Crime", "  unodc "])
def test_entities_are_found_by_key_label_or_alias(store: GraphStore, value: str) -> None:
    bound = bind_parameters(load_query("requests-to-body"), {"body": value}, store, BASE)
    assert bound == {"body": URIRef(BASE + "body/unodc")}


@pytest.mark.parametrize(("name", "values", "message"), [
    ("cited-by", {}, "needs the parameter symbol"),
    ("cited-by", {"symbol": "A/RES/64/2930"}, "did you mean A/RES/64/293"),
    ("cited-by", {"symbol": "A/RES/64/293", "body": "ecosoc"}, "does not take 'body'"),
    ("requests-to-body", {"body": "Office of Nowhere"}, "no body has the key, name or alias"),
    ("most-cited-documents-by-year", {"year": "twenty"}, "must be a year"),
    ("co-citation", {"symbol": "A/RES/64/293"}, "it takes no parameters"),
])
def test_parameter_errors_say_what_to_give(store: GraphStore, name: str, values: dict[str, str],
                                           message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        bind_parameters(load_query(name), values, store, BASE)


def test_parse_assignments() -> None:
    assert parse_assignments(["symbol=A/RES/72/1", "q=a=b"]) == {"symbol": "A/RES/72/1", "q": "a=b"}
    with pytest.raises(ParameterError):
        parse_assignments(["symbol"])


# --------------------------------------------------------------------------- known answers


def test_cites_lists_occurrences_in_document_order(store: GraphStore) -> None:
    rows = run(store, "cites", symbol="E/RES/2017/18")
    gpa = [(r["paragraph"], r["verb"], r["characterization"]) for r in rows if r["cited"] == "A/RES/64/293"]
    assert gpa == [("P5", "Recognizing", "cito:citesForInformation"), ("O2", "Urges", "cito:citesAsAuthority"),
                   ("O13", "Recalls", "cito:obtainsBackgroundFrom")]
    order = [(r["paragraph"] or "")[0] for r in rows]
    assert order == sorted(order, key="PO".index)  # preambular before operative
    assert all(r["inCorpus"] == "false" for r in rows)


def test_cited_by_returns_all_five_seeds(store: GraphStore) -> None:
    rows = run(store, "cited-by", symbol="A/RES/64/293")
    assert {r["citing"] for r in rows} == SEEDS
    assert len(rows) == 11
    assert [r["date"] for r in rows] == sorted(r["date"] or "" for r in rows)
    assert {"citing": "E/RES/2017/18", "paragraph": "O2", "verb": "Urges"}.items() <= next(
        r for r in rows if r["citing"] == "E/RES/2017/18" and r["paragraph"] == "O2").items()


def test_gpa_chain_is_in_date_order_with_what_each_reaffirms(store: GraphStore) -> None:
    rows = run(store, "gpa-chain")
    assert [r["document"] for r in rows] == [CCPCJ_DRAFT, "E/RES/2017/18", "A/RES/72/1", THIRD_COMMITTEE_DRAFT,
                                             "E/RES/2021/25"]
    dates = [r["date"] for r in rows]
    assert dates == sorted(d or "" for d in dates)
    chain = {r["document"]: r for r in rows}
    assert chain["E/RES/2017/18"]["citedIn"] == "P5 Recognizing; O2 Urges; O13 Recalls"
    assert set((chain["A/RES/72/1"]["reaffirmedDocuments"] or "").split("; ")) == {
        "A/RES/64/293", "A/RES/68/192", "A/RES/48/134"}
    assert {"untoc", "tip-protocol"} <= set((chain["E/RES/2021/25"]["reaffirmedInstruments"] or "").split("; "))
    assert chain["E/RES/2021/25"]["reaffirmingParagraphs"] == "P1 P2 P6 P8"


def test_most_cited_documents(store: GraphStore) -> None:
    rows = run(store, "most-cited-documents")
    assert [(r["cited"], r["citingDocuments"], r["citations"]) for r in rows[:2]] == [
        ("A/RES/64/293", "5", "11"), ("A/RES/68/192", "5", "8")]
    counted = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?c a cito:Citation }")
    assert sum(int(r["citations"] or 0) for r in rows) == int(counted[0]["n"])
    assert next(r for r in rows if r["cited"] == "A/RES/72/1")["inCorpus"] == "true"


def test_most_cited_documents_per_body(store: GraphStore) -> None:
    every = run(store, "most-cited-documents-by-body")
    assert {r["body"] for r in every} == {BASE + f"body/{k}" for k in
                                          ("ccpcj", "ecosoc", "general-assembly", "third-committee")}
    ecosoc = run(store, "most-cited-documents-by-body", body="Economic and Social Council")
    assert {r["body"] for r in ecosoc} == {BASE + "body/ecosoc"}
    assert (ecosoc[0]["cited"], ecosoc[0]["citingDocuments"], ecosoc[0]["citations"]) == ("A/RES/64/293", "2", "6")
    assert [r for r in every if r["body"] == BASE + "body/ecosoc"] == ecosoc


def test_most_cited_documents_per_year(store: GraphStore) -> None:
    assert {r["year"] for r in run(store, "most-cited-documents-by-year")} == {"2015", "2017", "2021"}
    in_2017 = run(store, "most-cited-documents-by-year", year="2017")
    assert {r["year"] for r in in_2017} == {"2017"}
    assert (in_2017[0]["cited"], in_2017[0]["citingDocuments"]) == ("A/RES/64/293", "3")
    assert run(store, "most-cited-documents-by-year", year="1999") == []


def test_most_cited_instruments(store: GraphStore) -> None:
    rows = {r["instrument"]: r for r in run(store, "most-cited-instruments")}
    for key in ("untoc", "tip-protocol", "global-plan-of-action"):
        assert rows[key]["namingDocuments"] == "5"
    assert rows["global-plan-of-action"]["citingAdoptingDocument"] == "5"  # every seed cites A/RES/64/293
    assert int(rows["tip-protocol"]["treatySeriesReferences"] or 0) >= 1
    by_body = run(store, "most-cited-instruments-by-body", body="ccpcj")
    assert {r["instrument"] for r in by_body} == {"untoc", "tip-protocol", "global-plan-of-action"}
    by_year = run(store, "most-cited-instruments-by-year", year="2021")
    assert {r["year"] for r in by_year} == {"2021"} and "agenda-2030" in {r["instrument"] for r in by_year}


def test_co_citation_pairs_the_global_plan_with_resolution_68_192(store: GraphStore) -> None:
    rows = run(store, "co-citation")
    first = rows[0]
    assert (first["first"], first["second"], first["coCitingDocuments"]) == ("A/RES/64/293", "A/RES/68/192", "5")
    assert set((first["citedTogetherBy"] or "").split("; ")) == SEEDS
    assert all((r["first"] or "") < (r["second"] or "") for r in rows)


def test_bibliographic_coupling(store: GraphStore) -> None:
    rows = run(store, "bibliographic-coupling")
    pair = next(r for r in rows if (r["first"], r["second"]) == ("E/RES/2017/18", THIRD_COMMITTEE_DRAFT))
    assert pair["sharedSources"] == "5" and "A/RES/64/293" in (pair["sources"] or "")
    assert len(rows) == 10  # every pair of the five seeds shares at least A/RES/64/293


def test_ratify_finds_the_convention_and_protocol_urged_in_2017_18(store: GraphStore) -> None:
    rows = run(store, "ratify")
    found = {(r["document"], r["paragraph"], r["verb"], r["instrument"]) for r in rows}
    assert {("E/RES/2017/18", "O1", "Urges", "untoc"), ("E/RES/2017/18", "O1", "Urges", "tip-protocol")} <= found
    assert all((r["verb"] or "").lower().startswith(("urge", "call")) for r in rows)
    assert {r["treaty"] for r in rows} == {"true"}
    only = run(store, "ratify", symbol="E/RES/2017/18")
    assert {(r["paragraph"], r["instrument"]) for r in only} == {("O1", "untoc"), ("O1", "tip-protocol")}


def test_requests_to_unodc_include_2017_18_o6(store: GraphStore) -> None:
    rows = run(store, "requests-to-body", body="unodc")
    o6 = next(r for r in rows if (r["document"], r["paragraph"]) == ("E/RES/2017/18", "O6"))
    assert o6["verb"] == "Requests" and o6["addressee"] == "true"
    assert next(r for r in rows if (r["document"], r["paragraph"]) == ("E/RES/2017/18", "O5"))["addressee"] == "false"


def test_requests_to_the_secretary_general_tell_addressee_from_mention(store: GraphStore) -> None:
    rows = {(r["document"], r["paragraph"]): r for r in run(store, "requests-to-body", body="secretary-general")}
    assert (rows[(THIRD_COMMITTEE_DRAFT, "O22")]["verb"], rows[(THIRD_COMMITTEE_DRAFT, "O22")]["addressee"]) == (
        "Requests", "true")
    # "Recalls the request made to the Secretary-General by the General Assembly ..."
    assert rows[("E/RES/2017/18", "O13")]["addressee"] == "false"


def test_sponsors_of_the_third_committee_draft_are_the_sixteen_states(store: GraphStore) -> None:
    rows = run(store, "sponsors", symbol=THIRD_COMMITTEE_DRAFT)
    assert {r["sponsor"] for r in rows} == THIRD_COMMITTEE_SPONSORS
    assert {r["sponsors"] for r in rows} == {"16"} and {r["body"] for r in rows} == {"third-committee"}
    assert {r["document"] for r in run(store, "sponsors", state="Belarus")} == {THIRD_COMMITTEE_DRAFT, CCPCJ_DRAFT}
    assert {r["document"] for r in run(store, "sponsors")} == {THIRD_COMMITTEE_DRAFT, CCPCJ_DRAFT}


def test_co_sponsorship(store: GraphStore) -> None:
    rows = run(store, "co-sponsorship", state="belarus")
    assert {r["first"] for r in rows} == {"Belarus"}
    assert len(rows) == 18  # fifteen partners on the Third Committee draft, three on the CCPCJ draft
    assert next(r for r in rows if r["second"] == "Costa Rica")["documents"] == CCPCJ_DRAFT


def test_timeline_is_in_date_order(store: GraphStore) -> None:
    rows = run(store, "timeline")
    when = [r["when"] or "" for r in rows]
    assert when == sorted(when)
    assert ("World Day against Trafficking", "--07-30") in {(r["event"], r["when"]) for r in rows}
    in_2017 = run(store, "timeline", year="2017")
    assert ("high-level meeting of the General Assembly", "2017-09-27", "2017-09-28") in {
        (r["event"], r["when"], r["until"]) for r in in_2017}
    assert not any((r["when"] or "").startswith("2013") for r in in_2017)
    assert any(r["when"] == "--07-30" for r in in_2017)  # a recurring day falls in every year


def test_cited_not_in_corpus(store: GraphStore) -> None:
    rows = {r["cited"]: r for r in run(store, "cited-not-in-corpus")}
    assert rows["A/RES/64/293"]["citingDocuments"] == "5"
    assert rows["A/RES/64/293"]["printedDate"] == "2010-07-30"
    assert "A/RES/72/1" not in rows and "E/RES/2017/18" not in rows  # cited, but ingested


def test_instrument_mentions_by_alias(store: GraphStore) -> None:
    rows = run(store, "instrument-mentions", instrument="Trafficking in Persons Protocol")
    assert ("E/RES/2017/18", "O1", "operative", "Urges") in {
        (r["document"], r["paragraph"], r["kind"], r["verb"]) for r in rows}
    assert {r["instrument"] for r in rows} == {BASE + "instrument/tip-protocol"}


def test_unresolved_citations_is_empty_on_the_seed_corpus(store: GraphStore) -> None:
    assert run(store, "unresolved-citations") == []


def test_unresolved_citations_finds_each_kind_of_problem() -> None:
    doc, graph = URIRef(DOC + "X/RES/1/1"), URIRef(BASE + "graph/X/RES/1/1")
    part, footnote = URIRef(f"{doc}#O1"), URIRef(f"{doc}#fn9")
    triples: list[tuple[Any, Any, Any]] = [
        (graph, UNKG.describes, doc), (doc, RDF.type, UNKG.Document), (part, RDF.type, UNKG.OperativeParagraph),
        (footnote, RDF.type, UNKG.Footnote),
    ]
    for n, (target, where) in enumerate([(None, part), (DOC + "not-a-symbol", part), (DOC + "A/RES/1/2", None),
                                         (DOC + "A/RES/1/3", footnote)], start=1):
        cite = URIRef(f"{doc}#cite-{n}")
        triples += [(cite, RDF.type, CITO.Citation), (cite, CITO.hasCitingEntity, doc),
                    (cite, UNKG.surface, Literal(f"surface {n}"))]
        if target is not None:
            triples.append((cite, CITO.hasCitedEntity, URIRef(target)))
        if where is not None:
            triples.append((cite, UNKG.inParagraph, where))
    unts = URIRef(f"{doc}#unts-1-2")
    triples += [(doc, UNKG.hasTreatySeriesReference, unts), (unts, RDF.type, UNKG.TreatySeriesReference),
                (unts, DCTERMS.bibliographicCitation, Literal("United Nations, Treaty Series, vol. 1, No. 2"))]
    with GraphStore.in_memory() as memory:
        memory.replace_graph(NamedGraph(str(graph), tuple(triples)))
        rows = run(memory, "unresolved-citations")
    problems = {(r["item"], r["problem"]) for r in rows}
    assert problems == {
        ("cite-1", "no cited document"),
        ("cite-2", "cited symbol not well formed: not-a-symbol"),
        ("cite-3", "not attached to a paragraph"),
        ("cite-4", "in a footnote no paragraph marks"),
        ("unts-1-2", "Treaty Series reference without an instrument"),
    }


# --------------------------------------------------------------------------- result formats


def test_csv_and_tsv_follow_the_w3c_recommendation() -> None:
    rows = [{"s": URIRef("http://x/a"), "n": Literal(3), "t": Literal('a "b"\tc', lang="en")},
            {"s": URIRef("http://x/b"), "n": None, "t": Literal("2017-07-06", datatype=XSD.date)}]
    variables = ["s", "n", "t"]
    as_csv = results_csv(rows, variables)
    assert as_csv.startswith("s,n,t\r\n")
    assert list(csv.reader(io.StringIO(as_csv)))[1:] == [["http://x/a", "3", 'a "b"\tc'],
                                                         ["http://x/b", "", "2017-07-06"]]
    tsv = results_tsv(rows, variables).splitlines()
    assert tsv == ["?s\t?n\t?t", '<http://x/a>\t3\t"a \\"b\\"\\tc"@en',
                   '<http://x/b>\t\t"2017-07-06"^^<http://www.w3.org/2001/XMLSchema#date>']


# --------------------------------------------------------------------------- the command line


def test_cli_lists_the_saved_queries(tmp_path: Path) -> None:
    listing = unkg("query", "--list", cwd=tmp_path)  # no store needed
    assert listing.returncode == 0, listing.stderr
    names = [row["name"] for row in csv.DictReader(io.StringIO(listing.stdout))]
    assert names == [q.name for q in list_queries()]
    as_json = json.loads(unkg("query", "--list", "--format", "json", cwd=tmp_path).stdout)
    cited_by = next(q for q in as_json if q["name"] == "cited-by")
    assert cited_by["parameters"][0] == {"name": "symbol", "kind": "document", "required": True, "optional": False,
                                         "default": None, "description": cited_by["parameters"][0]["description"]}
    table = unkg("query", "--list", "--format", "table", cwd=tmp_path)
    assert "saved queries" in table.stdout and "gpa-chain" in table.stdout


def test_cli_runs_a_saved_query_with_a_parameter_in_every_format(corpus_store: Path, tmp_path: Path) -> None:
    args = ["query", "--store", corpus_store, "cited-by", "--param", "symbol=A/RES/64/293"]
    piped = unkg(*args, cwd=tmp_path)  # not a terminal: CSV
    assert piped.returncode == 0, piped.stderr
    rows = list(csv.DictReader(io.StringIO(piped.stdout)))
    assert len(rows) == 11 and {r["citing"] for r in rows} == SEEDS
    assert rows[0]["symbol"] == DOC + "A/RES/64/293"
    as_json = json.loads(unkg(*args, "--format", "json", cwd=tmp_path).stdout)
    assert len(as_json) == 11 and as_json[0]["paragraph"] == "P1"
    tsv = unkg(*args, "-f", "tsv", cwd=tmp_path).stdout.splitlines()
    assert tsv[0].split("\t")[:3] == ["?symbol", "?date", "?citing"] and len(tsv) == 12
    table = unkg(*args, "--format", "table", cwd=tmp_path).stdout
    assert "11 rows" in table and "symbol = A/RES/64/293" in table
    counts = json.loads(unkg("query", "--store", corpus_store, "most-cited-documents", "-f", "json",
                             cwd=tmp_path).stdout)
    assert counts[0] == {"cited": "A/RES/64/293", "citingDocuments": 5, "citations": 11, "inCorpus": False}


def test_cli_parameter_errors_are_clear(corpus_store: Path, tmp_path: Path) -> None:
    missing = unkg("query", "--store", corpus_store, "cited-by", cwd=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.strip() == ("error: cited-by needs the parameter symbol: symbol of the cited document, "
                                      "e.g. A/RES/64/293 (give it as --param symbol=VALUE)")
    unknown = unkg("query", "--store", corpus_store, "cited-bye", cwd=tmp_path)
    assert unknown.returncode == 2 and "no saved query 'cited-bye'" in unknown.stderr
    adhoc = unkg("query", "--store", corpus_store, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "--param", "s=x",
                 cwd=tmp_path)
    assert adhoc.returncode == 2 and "it takes no parameters" in adhoc.stderr
    assert "Traceback" not in missing.stderr + unknown.stderr + adhoc.stderr


def test_cli_runs_a_query_file_with_its_own_header(corpus_store: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.rq"
    mine.write_text("# title: Mine\n# param: symbol (document): a document\n"
                    "SELECT ?symbol ?t WHERE { ?symbol unkg:cites ?t }\n", encoding="utf-8")
    for target in (f"@{mine}", str(mine)):
        result = unkg("query", "--store", corpus_store, target, "-p", "symbol=E/RES/2021/25", "-f", "csv",
                      cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert len(list(csv.DictReader(io.StringIO(result.stdout)))) == 5


# --------------------------------------------------------------------------- over HTTP


def test_api_lists_the_saved_queries(client: httpx.Client) -> None:
    response = client.get("/api/queries")
    assert response.status_code == 200
    listing = response.json()
    assert [q["name"] for q in listing] == [q.name for q in list_queries()]
    requests = next(q for q in listing if q["name"] == "requests-to-body")
    assert requests["parameters"][0]["name"] == "body" and requests["parameters"][0]["required"] is True
    assert requests["url"] == "/api/queries/requests-to-body" and requests["example"].startswith("unkg query")


def test_api_runs_a_query_with_parameters_in_json_and_csv(client: httpx.Client) -> None:
    response = client.get("/api/queries/cited-by", params={"symbol": "A/RES/64/293"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    bindings = response.json()["results"]["bindings"]
    assert {b["citing"]["value"] for b in bindings} == SEEDS
    assert bindings[0]["symbol"] == {"type": "uri", "value": DOC + "A/RES/64/293"}
    as_csv = client.get("/api/queries/requests-to-body", params={"body": "UNODC"}, headers={"Accept": "text/csv"})
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert ("E/RES/2017/18", "O6", "Requests") in {(r["document"], r["paragraph"], r["verb"]) for r in rows}
    by_param = client.get("/api/queries/requests-to-body", params={"body": "unodc", "format": "csv"})
    assert by_param.text == as_csv.text
    tsv = client.get("/api/queries/gpa-chain", params={"format": "tsv"})
    assert tsv.headers["content-type"].startswith("text/tab-separated-values") and tsv.text.startswith("?symbol\t")
    xml = client.get("/api/queries/sponsors", params={"symbol": THIRD_COMMITTEE_DRAFT},
                     headers={"Accept": "application/sparql-results+xml"})
    assert len(list(ET.fromstring(xml.content).iter("{http://www.w3.org/2005/sparql-results#}result"))) == 16


@pytest.mark.parametrize(("path", "params", "status", "error"), [
    ("/api/queries/no-such-query", {}, 404, "unknown query"),
    ("/api/queries/cited-by", {}, 400, "invalid parameter"),
    ("/api/queries/cited-by", {"symbol": "A/RES/64/2930"}, 400, "invalid parameter"),
    ("/api/queries/cited-by", {"symbol": "A/RES/64/293", "colour": "red"}, 400, "invalid parameter"),
    ("/api/queries/timeline", {"year": "last"}, 400, "invalid parameter"),
    ("/api/queries/timeline", {"format": "yaml"}, 400, "unknown format"),
])
def test_api_query_errors(client: httpx.Client, path: str, params: dict[str, str], status: int, error: str) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    assert response.json()["error"] == error


def test_api_refuses_a_format_it_cannot_serve(client: httpx.Client) -> None:
    response = client.get("/api/queries/timeline", headers={"Accept": "image/png"})
    assert response.status_code == 406
