"""The JSON API as clients meet it: the real ``unkg serve`` on a loopback port, over the five seed documents.

Known answers come from the seeds: E/RES/2017/18 (ECOSOC 2017), A/RES/72/1
(the 2017 political declaration), the 2017 Third Committee draft (no symbol
printed: ``local/002_2c4a999f42950be4``), E/RES/2021/25 (ECOSOC 2021) and
the 2015 CCPCJ draft (``local/004_78eb58398bb90172``).

Every test runs twice: over the embedded store and over a remote Oxigraph
server (``unkg serve --store http://...``); the answers must be the same.
"""

from __future__ import annotations

import httpx
import pytest
from conftest import Service
from rdflib import Dataset, Graph, URIRef


@pytest.fixture(scope="module")
def service(backend_service: Service) -> Service:
    return backend_service


THIRD_COMMITTEE_DRAFT = "local/002_2c4a999f42950be4"
CCPCJ_DRAFT = "local/004_78eb58398bb90172"
SEEDS = {"E/RES/2017/18", "A/RES/72/1", THIRD_COMMITTEE_DRAFT, "E/RES/2021/25", CCPCJ_DRAFT}
BASE = "https://w3id.org/unkg/"


def identifiers(page: dict) -> list[str]:
    return [item["identifier"] for item in page["items"]]


def sources(client: httpx.Client, symbol: str) -> set[str]:
    response = client.get(f"/api/documents/{symbol}/cited-by")
    assert response.status_code == 200, response.text
    return {entry["source"] for entry in response.json()["cited_by"]}


# --------------------------------------------------------------------------- /api/stats


def test_stats_count_the_five_seed_documents(client: httpx.Client) -> None:
    stats = client.get("/api/stats").json()
    assert stats["documents"] == 5
    assert stats["citations"] > 0 and stats["triples"] > stats["citations"]
    assert set(stats) == {"documents", "triples", "citations", "cited_documents", "instruments", "bodies",
                          "states", "graphs"}


# --------------------------------------------------------------------------- /api/documents


def test_document_list_holds_every_seed_newest_first(client: httpx.Client) -> None:
    page = client.get("/api/documents").json()
    assert page["total"] == 5 and page["limit"] == 50 and page["offset"] == 0
    assert set(identifiers(page)) == SEEDS
    dates = [item["date"] for item in page["items"]]
    assert dates == sorted(dates, reverse=True)
    assert identifiers(page)[0] == "E/RES/2021/25"


def test_pages_add_up_to_the_total(client: httpx.Client) -> None:
    whole = identifiers(client.get("/api/documents").json())
    pages = [client.get("/api/documents", params={"limit": 2, "offset": offset}).json() for offset in (0, 2, 4)]
    assert all(page["total"] == 5 and page["limit"] == 2 for page in pages)
    assert [len(page["items"]) for page in pages] == [2, 2, 1]
    assert [i for page in pages for i in identifiers(page)] == whole
    beyond = client.get("/api/documents", params={"offset": 10}).json()
    assert beyond["total"] == 5 and beyond["items"] == []


@pytest.mark.parametrize(("params", "expected"), [
    ({"instrument": "untoc"}, SEEDS),
    ({"instrument": "Organized Crime Convention"}, SEEDS),
    ({"sponsor": "Cuba"}, {CCPCJ_DRAFT}),
    ({"sponsor": "cuba"}, {CCPCJ_DRAFT}),
    ({"sponsor": "Russian Federation"}, {THIRD_COMMITTEE_DRAFT}),
    ({"cites": "A/RES/72/1"}, {"E/RES/2021/25", THIRD_COMMITTEE_DRAFT}),
    ({"cites": "E/RES/2017/18"}, {THIRD_COMMITTEE_DRAFT}),
    ({"cites": "A/RES/64/293"}, SEEDS),
    ({"cites": "A/RES/1/1"}, set()),
    ({"body": "ecosoc"}, {"E/RES/2017/18", "E/RES/2021/25"}),
    ({"body": "Economic and Social Council"}, {"E/RES/2017/18", "E/RES/2021/25"}),
    ({"type": "resolution"}, {"E/RES/2017/18", "E/RES/2021/25"}),
    ({"type": "revised_draft_resolution"}, {THIRD_COMMITTEE_DRAFT, CCPCJ_DRAFT}),
    ({"year": 2017}, {"E/RES/2017/18", "A/RES/72/1", THIRD_COMMITTEE_DRAFT}),
    ({"year": 2021}, {"E/RES/2021/25"}),
    ({"from": "2017-07-07", "to": "2017-12-31"}, {"A/RES/72/1", THIRD_COMMITTEE_DRAFT}),
    ({"to": "2016-01-01"}, {CCPCJ_DRAFT}),
    ({"q": "COORDINATION of efforts"}, {THIRD_COMMITTEE_DRAFT}),
    ({"q": "political declaration"}, {"A/RES/72/1"}),
    ({"q": "global plan", "body": "ecosoc", "year": 2021}, {"E/RES/2021/25"}),
])
def test_document_filters_find_the_known_seeds(client: httpx.Client, params: dict, expected: set[str]) -> None:
    page = client.get("/api/documents", params=params).json()
    assert set(identifiers(page)) == expected
    assert page["total"] == len(expected)


@pytest.mark.parametrize(("params", "error"), [
    ({"body": "unodd"}, "unknown body"),
    ({"instrument": "no-such-treaty"}, "unknown instrument"),
    ({"sponsor": "Narnia"}, "unknown state"),
    ({"year": 2017, "from": "2017-01-01"}, "conflicting parameters"),
    ({"from": "2018-01-01", "to": "2017-01-01"}, "empty date range"),
    ({"limit": 100000}, "limit too large"),
])
def test_document_list_rejects_bad_filters_with_a_reason(client: httpx.Client, params: dict, error: str) -> None:
    response = client.get("/api/documents", params=params)
    assert response.status_code == 400
    assert response.json()["error"] == error


def test_unknown_filter_entity_comes_with_suggestions(client: httpx.Client) -> None:
    detail = client.get("/api/documents", params={"body": "unodd"}).json()["detail"]
    assert "unodc" in detail["suggestions"]


@pytest.mark.parametrize("params", [{"limit": 0}, {"offset": -1}, {"year": "soon"}, {"from": "yesterday"}])
def test_malformed_parameters_are_422_json(client: httpx.Client, params: dict) -> None:
    response = client.get("/api/documents", params=params)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid request parameters"


# --------------------------------------------------------------------------- one document


def test_document_detail_has_schema_metadata_paragraphs_and_counts(client: httpx.Client) -> None:
    doc = client.get("/api/documents/E/RES/2017/18").json()
    assert doc["identifier"] == doc["symbol"] == "E/RES/2017/18"
    assert doc["in_corpus"] is True
    assert (doc["doc_type"], doc["body"], doc["recommended_by"]) == ("resolution", "ecosoc", "ccpcj")
    assert doc["adoption_date"] == "2017-07-06" and doc["resolution_number"] == "2017/18"
    assert doc["session"] == "2017 session" and doc["agenda_item"] == "19 (c)"
    assert doc["related_symbols"] == ["E/2017/30"]
    assert "untoc" in doc["instruments"] and "unodc" in doc["bodies"]
    assert doc["graph"] == BASE + "graph/E/RES/2017/18"
    counts = doc["counts"]
    assert counts["preambular"] == 19 and counts["operative"] == 13 and counts["paragraphs"] == 32
    assert counts["cited_by"] == 1 and counts["citations"] >= counts["cited_documents"] > 0
    assert counts["instruments"] == len(doc["instruments"]) and counts["bodies"] == len(doc["bodies"])
    first = doc["paragraphs"][0]
    assert first["id"] == "P1" and first["kind"] == "preambular" and first["number"] == 1
    assert first["verb"] == "Reiterating" and first["text"].startswith("Reiterating")
    assert doc["paragraphs"][19]["id"] == "O1"


def test_draft_without_a_symbol_is_found_by_its_local_identifier(client: httpx.Client) -> None:
    doc = client.get(f"/api/documents/{CCPCJ_DRAFT}").json()
    assert doc["symbol"] is None and doc["identifier"] == CCPCJ_DRAFT
    assert "Cuba" in doc["sponsors"] and doc["body"] == "ccpcj"


def test_cited_only_document_answers_with_in_corpus_false(client: httpx.Client) -> None:
    response = client.get("/api/documents/A/RES/64/293")
    assert response.status_code == 200
    doc = response.json()
    assert doc["in_corpus"] is False and doc["symbol"] == "A/RES/64/293"
    assert doc["title"] is None and doc["paragraphs"] == []
    assert doc["counts"]["cited_by"] == 5
    assert doc["adopted_instruments"] == ["global-plan-of-action"]


@pytest.mark.parametrize("path", ["/api/documents/A/RES/72/01", "/api/documents/A/RES/72/01/citations",
                                  "/api/documents/A/RES/72/01/cited-by", "/api/documents/A/RES/72/01/network",
                                  "/api/documents/A/RES/72/01.ttl"])
def test_unknown_symbol_is_404_with_near_symbols(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    body = response.json()
    assert body["error"] == "unknown document"
    assert body["detail"]["symbol"] == "A/RES/72/01"
    assert "A/RES/72/1" in body["detail"]["suggestions"]


# --------------------------------------------------------------------------- citations both ways


def test_citations_are_listed_in_document_order_with_their_context(client: httpx.Client) -> None:
    body = client.get(f"/api/documents/{THIRD_COMMITTEE_DRAFT}/citations").json()
    assert body["symbol"] == THIRD_COMMITTEE_DRAFT
    by_target = {c["target"]: c for c in body["citations"]}
    assert {"A/RES/72/1", "E/RES/2017/18", "A/RES/64/293"} <= set(by_target)
    ecosoc = by_target["E/RES/2017/18"]
    assert ecosoc["in_corpus"] is True and ecosoc["target_title"].startswith("Implementation of the United Nations")
    assert ecosoc["paragraph"] == "P10" and ecosoc["verb"] == "Recalling"
    assert ecosoc["characterization"] == "cito:obtainsBackgroundFrom" and ecosoc["target_date"] == "2017-07-06"
    assert "2017/18" in ecosoc["text"]
    assert by_target["A/RES/64/293"]["in_corpus"] is False and by_target["A/RES/64/293"]["target_title"] is None
    assert set(body["citations"][0]) == {"target", "target_title", "paragraph", "verb", "characterization", "text",
                                         "target_date", "in_corpus"}


def test_a_cited_only_document_cites_nothing(client: httpx.Client) -> None:
    body = client.get("/api/documents/A/RES/64/293/citations").json()
    assert body == {"symbol": "A/RES/64/293", "citations": []}


def test_political_declaration_is_cited_by_ecosoc_2021_and_the_third_committee_draft(client: httpx.Client) -> None:
    assert sources(client, "A/RES/72/1") == {"E/RES/2021/25", THIRD_COMMITTEE_DRAFT}


def test_ecosoc_2017_is_cited_by_the_third_committee_draft(client: httpx.Client) -> None:
    assert sources(client, "E/RES/2017/18") == {THIRD_COMMITTEE_DRAFT}


def test_global_plan_of_action_is_cited_by_every_seed_though_not_ingested(client: httpx.Client) -> None:
    body = client.get("/api/documents/A/RES/64/293/cited-by").json()
    assert {entry["source"] for entry in body["cited_by"]} == SEEDS
    entry = next(e for e in body["cited_by"] if e["source"] == "E/RES/2017/18")
    assert entry["source_title"] and entry["date"] == "2017-07-06" and entry["paragraph"].startswith(("P", "O"))
    dates = [e["date"] for e in body["cited_by"]]
    assert dates == sorted(dates, reverse=True)


# --------------------------------------------------------------------------- paths and networks


def test_third_committee_draft_reaches_the_global_plan_in_one_step(client: httpx.Client) -> None:
    body = client.get("/api/citations/path", params={"from": THIRD_COMMITTEE_DRAFT, "to": "A/RES/64/293"}).json()
    assert body == {"from": THIRD_COMMITTEE_DRAFT, "to": "A/RES/64/293", "length": 1,
                    "paths": [[THIRD_COMMITTEE_DRAFT, "A/RES/64/293"]], "truncated": False}


def test_two_step_path_goes_through_ecosoc_2017(client: httpx.Client) -> None:
    params = {"from": THIRD_COMMITTEE_DRAFT, "to": "A/RES/71/287"}
    body = client.get("/api/citations/path", params=params).json()
    assert body["length"] == 2
    assert body["paths"] == [[THIRD_COMMITTEE_DRAFT, "E/RES/2017/18", "A/RES/71/287"]]
    too_short = client.get("/api/citations/path", params={**params, "max_depth": 1})
    assert too_short.status_code == 404 and too_short.json()["error"] == "no citation path"


def test_path_against_the_citation_direction_is_404_with_a_hint(client: httpx.Client) -> None:
    response = client.get("/api/citations/path", params={"from": "A/RES/64/293", "to": "E/RES/2021/25"})
    assert response.status_code == 404
    assert "swap" in response.json()["detail"]["message"]


@pytest.mark.parametrize(("params", "status"), [
    ({"from": "A/RES/72/01", "to": "A/RES/64/293"}, 404),
    ({"from": "A/RES/72/1", "to": "A/RES/64/293", "max_depth": 99}, 400),
    ({"from": "A/RES/72/1"}, 422),
])
def test_path_errors(client: httpx.Client, params: dict, status: int) -> None:
    assert client.get("/api/citations/path", params=params).status_code == status


def test_network_links_a_document_to_what_it_cites_and_what_cites_it(client: httpx.Client) -> None:
    body = client.get("/api/documents/E/RES/2017/18/network", params={"depth": 1}).json()
    nodes = {n["symbol"]: n for n in body["nodes"]}
    assert {"E/RES/2017/18", THIRD_COMMITTEE_DRAFT, "A/RES/64/293"} <= set(nodes)
    assert nodes[THIRD_COMMITTEE_DRAFT]["in_corpus"] is True and nodes["A/RES/64/293"]["in_corpus"] is False
    edges = {(e["source"], e["target"]): e["count"] for e in body["edges"]}
    assert edges[(THIRD_COMMITTEE_DRAFT, "E/RES/2017/18")] >= 1
    assert edges[("E/RES/2017/18", "A/RES/64/293")] >= 1
    assert all(s in nodes and t in nodes for s, t in edges)
    wider = client.get("/api/documents/E/RES/2017/18/network", params={"depth": 2}).json()
    assert len(wider["nodes"]) > len(body["nodes"])


def test_network_depth_is_bounded(client: httpx.Client) -> None:
    response = client.get("/api/documents/E/RES/2017/18/network", params={"depth": 99})
    assert response.status_code == 400 and response.json()["detail"]["max"] == 3


# --------------------------------------------------------------------------- one document's graph


@pytest.mark.parametrize(("suffix", "media_type", "rdf_format"), [
    (".ttl", "text/turtle", "turtle"), (".nt", "application/n-triples", "nt"),
    (".jsonld", "application/ld+json", "json-ld"),
])
def test_document_graph_downloads_parse_and_hold_the_document(client: httpx.Client, suffix: str, media_type: str,
                                                              rdf_format: str) -> None:
    response = client.get(f"/api/documents/A/RES/72/1{suffix}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    graph = Graph().parse(data=response.text, format=rdf_format)
    document = URIRef(BASE + "document/A/RES/72/1")
    assert (document, None, None) in graph
    assert len(graph) > 100


def test_document_graph_as_nquads_keeps_the_graph_name(client: httpx.Client) -> None:
    response = client.get("/api/documents/E/RES/2017/18.nq")
    assert response.headers["content-type"].startswith("application/n-quads")
    dataset = Dataset().parse(data=response.text, format="nquads")
    assert URIRef(BASE + "graph/E/RES/2017/18") in {g.identifier for g in dataset.graphs()}


def test_cited_only_document_has_no_graph_to_download(client: httpx.Client) -> None:
    response = client.get("/api/documents/A/RES/64/293.ttl")
    assert response.status_code == 404 and response.json()["error"] == "document not in the corpus"


# --------------------------------------------------------------------------- instruments, bodies, States


def test_instrument_list_is_paginated_and_counts_documents(client: httpx.Client) -> None:
    first = client.get("/api/instruments", params={"limit": 10}).json()
    assert first["total"] > 10 and len(first["items"]) == 10
    everything = client.get("/api/instruments", params={"limit": 500}).json()
    untoc = next(i for i in everything["items"] if i["key"] == "untoc")
    assert untoc["documents"] == 5 and untoc["unts"] == {"volume": 2225, "number": 39574}
    assert "Organized Crime Convention" in untoc["aliases"]
    assert len(everything["items"]) == everything["total"]


def test_instrument_detail_groups_documents_by_year(client: httpx.Client) -> None:
    body = client.get("/api/instruments/untoc").json()
    assert body["label"] == "United Nations Convention against Transnational Organized Crime"
    assert body["related_documents"]["total"] == 5
    years = {group["year"]: set(group["documents"]) for group in body["by_year"]}
    assert years[2017] == {"E/RES/2017/18", "A/RES/72/1", THIRD_COMMITTEE_DRAFT}
    assert years[2021] == {"E/RES/2021/25"} and years[2015] == {CCPCJ_DRAFT}
    assert list(years) == sorted(years, reverse=True)


def test_instrument_adopted_by_a_cited_document(client: httpx.Client) -> None:
    body = client.get("/api/instruments/global-plan-of-action").json()
    assert body["adopted_by"] == "A/RES/64/293"


def test_body_detail_says_which_documents_it_adopted(client: httpx.Client) -> None:
    body = client.get("/api/bodies/ecosoc").json()
    roles = {d["identifier"]: d["roles"] for d in body["related_documents"]["items"]}
    assert "adopted" in roles["E/RES/2017/18"] and "adopted" in roles["E/RES/2021/25"]
    assert body["adopted"] == 2
    listing = client.get("/api/bodies", params={"limit": 500}).json()
    assert any(b["key"] == "unodc" and b["documents"] == 5 for b in listing["items"])


def test_state_by_name_lists_its_sponsorships(client: httpx.Client) -> None:
    body = client.get("/api/states/Cuba").json()
    assert body["key"] == "cuba" and body["sponsored"] == 1
    [draft] = body["related_documents"]["items"]
    assert draft["identifier"] == CCPCJ_DRAFT and "sponsor" in draft["roles"]
    assert client.get("/api/states/cuba").json()["key"] == "cuba"
    assert client.get("/api/states", params={"limit": 5}).json()["total"] > 150


@pytest.mark.parametrize(("path", "error", "near"), [
    ("/api/instruments/untok", "unknown instrument", "untoc"),
    ("/api/bodies/unodd", "unknown body", "unodc"),
    ("/api/states/Kuba", "unknown state", "cuba"),
])
def test_unknown_entities_are_404_with_suggestions(client: httpx.Client, path: str, error: str, near: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["error"] == error and near in response.json()["detail"]["suggestions"]


@pytest.mark.parametrize("path", ["/api/instruments", "/api/bodies", "/api/states", "/api/instruments/untoc"])
def test_entity_lists_are_bounded(client: httpx.Client, path: str) -> None:
    assert client.get(path, params={"limit": 501}).status_code == 400


# --------------------------------------------------------------------------- OpenAPI


def test_openapi_lists_every_route_with_its_response_model(client: httpx.Client) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in ["/api/documents", "/api/documents/{symbol}", "/api/documents/{symbol}/citations",
                 "/api/documents/{symbol}/cited-by", "/api/documents/{symbol}/network", "/api/citations/path",
                 "/api/documents/{symbol}.ttl", "/api/documents/{symbol}.nt", "/api/documents/{symbol}.nq",
                 "/api/documents/{symbol}.jsonld", "/api/instruments", "/api/instruments/{key}", "/api/bodies",
                 "/api/bodies/{key}", "/api/states", "/api/states/{name}", "/api/stats", "/document/{symbol}",
                 "/instrument/{key}", "/body/{key}", "/state/{key}", "/graph/{name}", "/ontology"]:
        assert "get" in paths[path], path
    ok = paths["/api/documents/{symbol}/cited-by"]["get"]["responses"]["200"]["content"]["application/json"]
    assert ok["schema"]["$ref"].endswith("/CitedByList")
    assert {"DocumentDetail", "CitationList", "CitationPaths", "CitationNetwork", "Stats"} <= set(
        schema["components"]["schemas"])
    assert "from" in schema["components"]["schemas"]["CitationPaths"]["properties"]


# --------------------------------------------------------------------------- concurrency


def test_concurrent_lookups_and_pages_all_succeed(service: object, client: httpx.Client) -> None:
    """Store iterators are thread-bound: lookups run whole in one pool thread, so parallel requests are safe."""
    from concurrent.futures import ThreadPoolExecutor

    paths = ["/api/documents?instrument=untoc", "/api/documents/A/RES/72/1", "/api/documents/A/RES/64/293/cited-by",
             f"/api/documents/{THIRD_COMMITTEE_DRAFT}/citations", "/api/documents/E/RES/2017/18/network?depth=3",
             f"/api/citations/path?from={THIRD_COMMITTEE_DRAFT}&to=A/RES/71/287", "/api/instruments/untoc",
             "/api/bodies/ecosoc", "/api/states/Cuba", "/api/stats", "/api/documents/A/RES/72/1.ttl",
             "/document/A/RES/72/1", "/instrument/untoc", "/graph/authority", "/ontology"] * 4
    with ThreadPoolExecutor(max_workers=50) as pool:
        statuses = list(pool.map(lambda path: client.get(path).status_code, paths))
    assert statuses == [200] * len(paths)
    assert service.process.poll() is None  # type: ignore[attr-defined]
