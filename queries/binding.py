"""Typed parameter values: what a researcher types becomes the RDF term the query's variable is bound to.

Values are never spliced into a query's text: each becomes an rdflib term that
``GraphStore.query(..., bindings=...)`` hands to Oxigraph as a substitution.
The kind declared in the header decides the term:

* ``document``: a symbol (``A/RES/64/293``) or ``local/<file stem>`` becomes the
  document IRI minted by ``ingest.rdf.target_iri``; it must be a document the
  store knows (ingested or cited), else near identifiers are suggested;
* ``instrument``, ``body``, ``state``: a key, label or alias (``unodc``,
  ``UNODC``, ``United Nations Office on Drugs and Crime``) becomes the entity
  IRI of ``ingest.rdf.entity_iri``;
* ``year``: an ``xsd:integer`` (what SPARQL's ``YEAR()`` returns);
* ``string``: a plain literal.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any, Protocol

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from ingest.authority import slugify
from ingest.rdf import entity_iri, normalize_base, target_iri
from ingest.symbols import normalize_symbol

from . import QueryParameter, SavedQuery

SCHEMES = {"instrument": "instruments", "body": "bodies", "state": "states"}
YEARS = range(1945, 2200)


class Selectable(Protocol):
    """Anything that answers a SELECT with bindings: ``GraphStore`` for the CLI, ``api.graph.Graph`` for the API."""

    def select(self, sparql: str, *, bindings: dict[str, Node] | None = None) -> Any: ...


class ParameterError(ValueError):
    """A missing, unknown or malformed parameter value; the message tells the user what to type instead."""

    def __init__(self, message: str, suggestions: list[str] | None = None, missing: str | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []
        self.missing = missing
        """The name of a required parameter that was not given (the CLI then shows how to give it)."""


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """``["symbol=A/RES/72/1", ...]`` from ``--param`` as a dict; the value may itself hold ``=``."""
    values: dict[str, str] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name.strip():
            raise ParameterError(f"--param takes NAME=VALUE, not {pair!r}")
        if name.strip() in values:
            raise ParameterError(f"parameter {name.strip()!r} is given twice")
        values[name.strip()] = value.strip()
    return values


def bind_parameters(query: SavedQuery, values: Mapping[str, str], store: Selectable, base: str) -> dict[str, Node]:
    """The ``bindings`` for ``query``: given values (or defaults), typed and checked against the store.

    Unknown parameter names, missing required ones and values that name
    nothing in the store raise ``ParameterError``; optional parameters without
    a value are left out, so their variables stay free.
    """
    unknown = sorted(set(values) - {p.name for p in query.parameters})
    if unknown:
        takes = ", ".join(p.name for p in query.parameters) or "no parameters"
        raise ParameterError(f"{query.name} does not take {', '.join(map(repr, unknown))} (it takes {takes})")
    bindings: dict[str, Node] = {}
    for parameter in query.parameters:
        value = values.get(parameter.name)
        if value is None or value == "":
            if parameter.required:
                raise ParameterError(f"{query.name} needs the parameter {parameter.name}: {parameter.description}",
                                     missing=parameter.name)
            value = parameter.default
        if value is None:
            continue
        bindings[parameter.name] = bind_value(parameter, value, store, base)
    return bindings


def bind_value(parameter: QueryParameter, value: str, store: Selectable, base: str) -> Node:
    """One value as the RDF term of its parameter's kind."""
    if parameter.kind == "document":
        return _document(parameter, value, store, base)
    if parameter.kind in SCHEMES:
        return _entity(parameter, value, store, base)
    if parameter.kind == "year":
        try:
            year = int(value)
        except ValueError:
            year = -1
        if year not in YEARS:
            raise ParameterError(f"{parameter.name} must be a year such as 2017, not {value!r}")
        return Literal(str(year), datatype=XSD.integer)
    return Literal(value)


def _document(parameter: QueryParameter, value: str, store: Selectable, base: str) -> URIRef:
    prefix = normalize_base(base) + "document/"
    identifier = value[len(prefix):] if value.startswith(prefix) else value
    candidates = dict.fromkeys(c for c in (identifier, normalize_symbol(identifier)) if c)
    for candidate in candidates:
        node = URIRef(target_iri(candidate, base))
        if store.select("SELECT ?doc WHERE { ?doc a unkg:Document } LIMIT 1", bindings={"doc": node}):
            return node
    known = [str(r["doc"])[len(prefix):] for r in store.select("SELECT DISTINCT ?doc WHERE { ?doc a unkg:Document }")
             if str(r["doc"]).startswith(prefix)]
    folded = {k.casefold(): k for k in known}
    close = [folded[c] for c in difflib.get_close_matches(identifier.casefold(), list(folded), n=5, cutoff=0.6)]
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise ParameterError(f"{parameter.name}: no document {value!r} is ingested or cited in this store{hint}", close)


def _entity(parameter: QueryParameter, value: str, store: Selectable, base: str) -> URIRef:
    """A key first (one lookup); else any label or alias, compared ignoring case, accents and punctuation."""
    kind = parameter.kind
    direct = URIRef(entity_iri(kind, value.strip(), base))
    if store.select("SELECT ?e WHERE { { ?e ?p ?o } UNION { ?s ?p ?e } } LIMIT 1", bindings={"e": direct}):
        return direct
    scheme = URIRef(f"{normalize_base(base)}scheme/{SCHEMES[kind]}")
    rows = store.select(
        """SELECT ?scheme ?e ?name WHERE {
             ?e skos:inScheme ?scheme .
             { ?e skos:notation ?name } UNION { ?e skos:prefLabel ?name } UNION { ?e skos:altLabel ?name } }""",
        bindings={"scheme": scheme})
    names = {slugify(str(r["name"]).replace("\u2019", "'")): URIRef(str(r["e"])) for r in rows}
    wanted = slugify(value.replace("\u2019", "'"))
    if wanted in names:
        return names[wanted]
    close = difflib.get_close_matches(wanted, list(names), n=5, cutoff=0.6)
    keys = list(dict.fromkeys(str(names[c]).rsplit("/", 1)[-1] for c in close))
    hint = f"; did you mean {', '.join(keys)}?" if keys else ""
    raise ParameterError(f"{parameter.name}: no {kind} has the key, name or alias {value!r}{hint}", keys)
