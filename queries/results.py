"""SELECT answers in the W3C "SPARQL 1.1 Query Results CSV and TSV Formats", for ``unkg query``.

The command runs a query with bindings through ``GraphStore.query``, which
hands back rdflib terms, so the CSV and TSV it prints are written here; the
service answers the same formats with Oxigraph's own serializers.  CSV
carries plain values (an IRI, a literal's lexical form); TSV carries RDF terms
in Turtle syntax, so the two are not interchangeable and both are offered.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from rdflib import BNode, Literal, URIRef

XSD = "http://www.w3.org/2001/XMLSchema#"
_BARE_IN_TSV = {XSD + "integer", XSD + "decimal", XSD + "double", XSD + "boolean"}
"""Datatypes whose lexical forms Turtle (and so TSV) writes without quotes."""

Row = Mapping[str, Any]


def csv_cell(term: Any) -> str:
    """The CSV form: IRIs and literals as their plain value, blank nodes as ``_:label``, unbound as empty."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


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


def results_csv(rows: Sequence[Row], variables: Sequence[str], *, line_end: str = "\r\n") -> str:
    """The CSV format: a header of variable names, then one line per solution (RFC 4180 ends lines with CRLF)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=line_end)
    writer.writerow(variables)
    writer.writerows([csv_cell(row.get(v)) for v in variables] for row in rows)
    return out.getvalue()


def results_tsv(rows: Sequence[Row], variables: Sequence[str]) -> str:
    """The TSV format: a header of ``?variables``, then one line of Turtle terms per solution."""
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join(tsv_cell(row.get(v)) for v in variables) for row in rows]
    return "\n".join(lines) + "\n"
