"""What ``unkg query`` prints: a saved query, a file or a SPARQL text resolved, and its answer in four formats.

A terminal gets a table meant for reading -- IRIs shortened to the symbols
and keys they were minted from, long texts cut -- and anything else (a pipe,
a file) gets CSV meant for programs, with full IRIs and nothing cut, unless
``--format`` says otherwise.  JSON is a list of objects with numbers and
booleans as JSON values; CSV and TSV are the W3C SPARQL result formats (TSV
writes terms in Turtle syntax), as ``/api/queries/{name}`` sends them.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from rdflib import Literal, URIRef
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ingest.rdf import normalize_base
from ingest.store import PREFIXES, Rows
from queries import NAME, SavedQuery, UnknownQueryError, adhoc_query, is_saved_query, load_query, read_query_file
from queries.results import results_csv, results_tsv

TABLE_CELL_LIMIT = 160
"""Characters of a cell a table shows; machine formats always carry the whole value."""
XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMBERS = {XSD + t for t in ("integer", "int", "long", "short", "decimal", "double", "float", "nonNegativeInteger")}


class QueryFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"


def default_format() -> QueryFormat:
    """A table for a person at a terminal, CSV for a program reading a pipe or a file."""
    return QueryFormat.table if sys.stdout.isatty() else QueryFormat.csv


def resolve_query(target: str) -> SavedQuery:
    """``@FILE``, a saved query's name, an existing ``.rq`` file, or else the SPARQL text itself.

    A single word that is neither a saved query nor a file is a misspelt name,
    not SPARQL: ``UnknownQueryError`` says so instead of a parse error.
    """
    if target.startswith("@"):
        return read_query_file(Path(target[1:]))
    if is_saved_query(target):
        return load_query(target)
    if "\n" not in target and len(target) < 4096 and Path(target).is_file():
        return read_query_file(Path(target))
    if NAME.match(target):
        raise UnknownQueryError(target)
    return adhoc_query(target)


def compact(term: Any, base: str) -> str:
    """A term as a person reads it: ``{base}document/A/RES/72/1`` -> ``A/RES/72/1``, ``cito:confirms``."""
    if term is None:
        return ""
    if not isinstance(term, URIRef):
        return str(term)
    text, base = str(term), normalize_base(base)
    if text.startswith(base):
        kind, _, rest = text[len(base):].partition("/")
        return unquote(rest) if kind in ("document", "instrument", "body", "state") and rest else text
    for prefix, namespace in PREFIXES.items():
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return text


def _json_value(term: Any) -> Any:
    """Numbers and booleans as JSON values; everything else as its string (IRIs in full)."""
    if isinstance(term, Literal) and term.datatype is not None:
        datatype = str(term.datatype)
        try:
            if datatype == XSD + "boolean":
                return str(term) in ("true", "1")
            if datatype in _NUMBERS:
                number = float(str(term))
                return int(number) if number.is_integer() and "." not in str(term) else number
        except ValueError:
            pass
    return None if term is None else str(term)


def print_result(result: Rows | bool | list[Any], fmt: QueryFormat, base: str,
                 bindings: Mapping[str, Any] | None = None) -> None:
    """ASK prints true/false; CONSTRUCT prints triples; SELECT prints rows, in ``fmt``.

    A table leaves out the columns of bound parameters (every row holds the
    same value) and names their values in its title instead.
    """
    if isinstance(result, bool):
        _write(json.dumps(result) + "\n")
        return
    if isinstance(result, Rows):
        header = list(result.variables)
        rows: list[dict[str, Any]] = list(result)
    else:
        header = ["subject", "predicate", "object"]
        rows = [dict(zip(header, triple, strict=True)) for triple in result]
    if fmt is QueryFormat.json:
        _write(json.dumps([{h: _json_value(row.get(h)) for h in header} for row in rows],
                          ensure_ascii=False, indent=2) + "\n")
    elif fmt is QueryFormat.csv:
        _write(results_csv(rows, header, line_end="\n"))
    elif fmt is QueryFormat.tsv:
        _write(results_tsv(rows, header))
    else:
        bound = {name: value for name, value in (bindings or {}).items() if name in header}
        shown = [h for h in header if h not in bound] or header
        title = ", ".join(f"{name} = {compact(value, base)}" for name, value in bound.items()) or None
        table = Table(*shown, title=title, caption=f"{len(rows)} rows")
        for row in rows:
            table.add_row(*(Text(_cut(compact(row.get(h), base))) for h in shown))
        Console().print(table)


def _cut(text: str) -> str:
    return text if len(text) <= TABLE_CELL_LIMIT else text[:TABLE_CELL_LIMIT - 1] + "…"


def parameter_summary(query: SavedQuery) -> str:
    """``symbol (document)``, ``body? (body)``, ``symbol=A/RES/64/293 (document)``: one line per query listing."""
    parts = []
    for p in query.parameters:
        name = f"{p.name}={p.default}" if p.default else (f"{p.name}?" if p.optional else p.name)
        parts.append(f"{name} ({p.kind})")
    return ", ".join(parts)


def print_listing(queries: list[SavedQuery], fmt: QueryFormat) -> None:
    """The saved queries: name, title and parameters (JSON: everything the header says)."""
    if fmt is QueryFormat.json:
        listing = [{"name": q.name, "title": q.title, "question": q.question, "example": q.example,
                    "parameters": [{"name": p.name, "kind": p.kind, "required": p.required, "optional": p.optional,
                                    "default": p.default, "description": p.description} for p in q.parameters]}
                   for q in queries]
        _write(json.dumps(listing, ensure_ascii=False, indent=2) + "\n")
        return
    header = ["name", "title", "parameters", "example"]
    rows = [[q.name, q.title, parameter_summary(q), q.example or ""] for q in queries]
    if fmt is QueryFormat.table:
        table = Table("name", "title", "parameters", caption=f"{len(rows)} saved queries; "
                      "run one with `unkg query NAME [--param NAME=VALUE ...]`")
        for row in rows:
            table.add_row(*(Text(cell) for cell in row[:3]))
        Console().print(table)
        return
    _write(_delimited(header, rows, "\t" if fmt is QueryFormat.tsv else ","))


def _delimited(header: list[str], rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _write(text: str) -> None:
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
