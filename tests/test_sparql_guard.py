"""The lexical guard of the public endpoint: updates, SERVICE and LOAD found however they are spelled."""

from __future__ import annotations

import pytest

from api.negotiation import negotiate
from api.sparql_guard import decode_codepoint_escapes, inspect_query

FORBIDDEN = [
    ("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
    ("select * { service <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * { SeRvIcE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
    (r"SELECT * { \u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
    (r"SELECT * { \U00000053\u0045RVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * { # a comment\n SERVICE # another\n <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * { ?s ?p ?o .SERVICE<http://127.0.0.1:9/>{ ?s ?p ?o } }", "SERVICE"),
    ("SELECT * { ?s ?p '''a\nb''' . SERVICE ?endpoint { ?s ?p ?o } }", "SERVICE"),
    ('SELECT * { ?s ?p "a\\"b" SERVICE <http://127.0.0.1:9/> { } }', "SERVICE"),
    ("SELECT * { FILTER(?a < ?b) SERVICE <http://127.0.0.1:9/> { } }", "SERVICE"),
    ("LOAD <http://127.0.0.1:9/data.ttl>", "LOAD"),
    ("PREFIX ex: <http://example.org/>\nload silent <http://127.0.0.1:9/x> INTO GRAPH ex:g", "LOAD"),
    (r"\u004cOAD <http://127.0.0.1:9/x>", "LOAD"),
]


@pytest.mark.parametrize(("text", "keyword"), FORBIDDEN)
def test_service_and_load_are_found_in_every_spelling(text: str, keyword: str) -> None:
    assert inspect_query(text).forbidden == keyword


HARMLESS = [
    'SELECT * { ?s ?p "SERVICE" }',
    "SELECT * { ?s ?p 'load the SERVICE' }",
    "SELECT * { ?s <http://example.org/service/load> ?o }",
    "SELECT ?service ?load { ?service ?p ?load }",
    "SELECT * { ?s ?p ?o } # SERVICE in a comment",
    'SELECT * { ?s ?p "x"@en-service }',
    "PREFIX ex: <http://example.org/> SELECT * { ?s ex:SERVICE ?o }",
]


@pytest.mark.parametrize("text", HARMLESS)
def test_the_words_in_strings_iris_comments_and_names_are_not_keywords(text: str) -> None:
    inspection = inspect_query(text)
    assert inspection.forbidden is None
    assert not inspection.is_update


UPDATES = [
    "INSERT DATA { <http://a> <http://b> <http://c> }",
    "DROP ALL",
    "drop silent graph <http://example.org/g>",
    "PREFIX ex: <http://example.org/> # comment\nBASE <http://example.org/>\nDELETE WHERE { ?s ex:p ?o }",
    "WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "CLEAR DEFAULT", "CREATE GRAPH <http://g>", "ADD <http://a> TO <http://b>",
    "MOVE DEFAULT TO <http://b>", "COPY <http://a> TO DEFAULT",
    r"\u0044ROP ALL",
]


@pytest.mark.parametrize("text", UPDATES)
def test_updates_are_recognised_after_the_prologue(text: str) -> None:
    assert inspect_query(text).is_update


@pytest.mark.parametrize(("text", "form", "has_from"), [
    ("SELECT * { ?s ?p ?o }", "SELECT", False),
    ("PREFIX ex: <http://example.org/> ASK { ?s ex:p ?o }", "ASK", False),
    ("# c\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False),
    ("DESCRIBE <http://example.org/x>", "DESCRIBE", False),
    ("SELECT * FROM <http://g> { ?s ?p ?o }", "SELECT", True),
    ("SELECT * FROM NAMED <http://g> { GRAPH ?g { ?s ?p ?o } }", "SELECT", True),
    ('SELECT * { ?s ?p "FROM" }', "SELECT", False),
])
def test_query_form_and_dataset_clause(text: str, form: str, has_from: bool) -> None:
    inspection = inspect_query(text)
    assert (inspection.form, inspection.has_dataset_clause) == (form, has_from)


def test_codepoint_escapes_decode_both_lengths_and_leave_invalid_ones() -> None:
    assert decode_codepoint_escapes(r"\u0053\U00000045") == "SE"
    assert decode_codepoint_escapes(r"\uD800 \U00110000") == r"\uD800 \U00110000"


@pytest.mark.parametrize(("accept", "offers", "chosen"), [
    (None, ["a/x", "b/y"], "a/x"),
    ("*/*", ["a/x", "b/y"], "a/x"),
    ("b/y", ["a/x", "b/y"], "b/y"),
    ("a/x;q=0.5, b/y", ["a/x", "b/y"], "b/y"),
    ("a/*;q=0.9, */*;q=0.1", ["b/y", "a/x"], "a/x"),
    ("a/x;q=0, */*", ["a/x", "b/y"], "b/y"),
    ("c/z", ["a/x", "b/y"], None),
    ("garbage, b/y;q=oops, a/x", ["a/x", "b/y"], "a/x"),
])
def test_negotiation_honours_q_values_and_specificity(accept: str | None, offers: list[str],
                                                       chosen: str | None) -> None:
    assert negotiate(accept, offers) == chosen


REFUSED_ON_PURPOSE = [
    # The parser reads "SERVICE:x" as the keyword and ":x"; a prefix named service: is refused wholesale.
    "PREFIX service: <http://example.org/> SELECT * { ?s service:load ?o }",
    "PREFIX download: <http://example.org/> SELECT * { ?s download:x ?o }",
]


@pytest.mark.parametrize("text", REFUSED_ON_PURPOSE)
def test_prefixes_spelled_like_the_keywords_are_refused(text: str) -> None:
    assert inspect_query(text).forbidden is not None


def test_escapes_nested_beyond_any_honest_query_are_refused() -> None:
    text = "SELECT * { " + "\\u005C" * 6 + "u0053ERVICE <http://127.0.0.1:9/> { } }"
    assert inspect_query(text).forbidden == "SERVICE"
