"""SPARQL query results written in the W3C result formats: JSON, XML, CSV and TSV.

A saved query is run with bindings through ``GraphStore.query``, which hands
back rdflib terms (the store's serializing path takes no bindings), so the
answer is serialized here.  The four writers follow the W3C recommendations
("SPARQL 1.1 Query Results JSON/CSV and TSV Formats", "SPARQL Query Results
XML Format") so that any SPARQL client library, pandas or a spreadsheet reads
them as it would the answer of ``/sparql``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree as ET

from rdflib import BNode, Literal, URIRef

RESULT_FORMATS = ("json", "xml", "csv", "tsv")
MEDIA_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
               "csv": "text/csv", "tsv": "text/tab-separated-values"}
SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
XSD = "http://www.w3.org/2001/XMLSchema#"
_BARE_IN_TSV = {XSD + "integer", XSD + "decimal", XSD + "double", XSD + "boolean"}
"""Datatypes whose lexical forms Turtle (and so TSV) writes without quotes."""


def serialize_results(result: Any, variables: Sequence[str], fmt: str) -> bytes:
    """A SELECT answer (a list of ``{variable: term or None}``) or an ASK answer (a bool) in ``fmt``."""
    if fmt not in RESULT_FORMATS:
        raise ValueError(f"unknown result format {fmt!r}; choose one of {', '.join(RESULT_FORMATS)}")
    writer = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[fmt]
    return writer(result, list(variables))


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    value: dict[str, str] = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            value["xml:lang"] = term.language
        elif term.datatype is not None:
            value["datatype"] = str(term.datatype)
    return value


def _json(result: Any, variables: list[str]) -> bytes:
    if isinstance(result, bool):
        document: dict[str, Any] = {"head": {}, "boolean": result}
    else:
        bindings = [{v: _json_term(row[v]) for v in variables if row.get(v) is not None} for row in result]
        document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return (json.dumps(document, ensure_ascii=False) + "\n").encode("utf-8")


def _xml(result: Any, variables: list[str]) -> bytes:
    ET.register_namespace("", SPARQL_RESULTS_NS)
    ns = "{" + SPARQL_RESULTS_NS + "}"
    root = ET.Element(ns + "sparql")
    head = ET.SubElement(root, ns + "head")
    if isinstance(result, bool):
        ET.SubElement(root, ns + "boolean").text = "true" if result else "false"
    else:
        for variable in variables:
            ET.SubElement(head, ns + "variable", name=variable)
        results = ET.SubElement(root, ns + "results")
        for row in result:
            solution = ET.SubElement(results, ns + "result")
            for variable in variables:
                term = row.get(variable)
                if term is None:
                    continue
                binding = ET.SubElement(solution, ns + "binding", name=variable)
                described = _json_term(term)
                tag = {"uri": "uri", "bnode": "bnode"}.get(described["type"], "literal")
                node = ET.SubElement(binding, ns + tag)
                node.text = described["value"]
                if "xml:lang" in described:
                    node.set("{http://www.w3.org/XML/1998/namespace}lang", described["xml:lang"])
                elif "datatype" in described:
                    node.set("datatype", described["datatype"])
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def csv_cell(term: Any) -> str:
    """The CSV form: IRIs and literals as their plain value, blank nodes as ``_:label``, unbound as empty."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _csv(result: Any, variables: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # the W3C CSV results format (RFC 4180) ends lines with CRLF
    if isinstance(result, bool):
        writer.writerows([["boolean"], ["true" if result else "false"]])
    else:
        writer.writerow(variables)
        writer.writerows([csv_cell(row.get(v)) for v in variables] for row in result)
    return out.getvalue().encode("utf-8")


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
            .replace("\t", "\\t"))


def tsv_cell(term: Any) -> str:
    """The TSV form: terms in Turtle syntax (``<iri>``, ``"text"@en``, ``"2017-07-06"^^<...#date>``, bare numbers)."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        if term.language:
            return f'"{_escape(str(term))}"@{term.language}'
        if term.datatype is not None:
            if str(term.datatype) in _BARE_IN_TSV:
                return str(term)
            return f'"{_escape(str(term))}"^^<{term.datatype}>'
    return f'"{_escape(str(term))}"'


def _tsv(result: Any, variables: list[str]) -> bytes:
    if isinstance(result, bool):
        return f"?boolean\n{'true' if result else 'false'}\n".encode()
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(tsv_cell(row.get(v)) for v in variables) for row in result]
    return ("\n".join(lines) + "\n").encode("utf-8")
