"""Server-rendered HTML for the Linked Data pages: Jinja2 templates under ``api/templates/``, autoescaped.

Links point at this service, not at the base IRI: a deployment may publish
under a domain that does not (yet) redirect here, and a reader browsing the
pages should stay on them.  ``local_link`` maps an IRI under the base to the
path that dereferences it; ontology terms go to ``/ontology#Term``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from rdflib import Literal, URIRef
from rdflib.term import Node

from ingest.rdf import UNKG, normalize_base
from ingest.store import PREFIXES

TEMPLATES = Path(__file__).parent / "templates"


def local_link(iri: str, base: str) -> str:
    """The path on this service that dereferences ``iri``; other IRIs are returned as they are."""
    base = normalize_base(base)
    if iri.startswith(str(UNKG)):
        return "/ontology#" + iri[len(str(UNKG)):]
    if iri == str(UNKG).rstrip("#"):
        return "/ontology"
    if iri.startswith(base):
        path, hash_, fragment = iri[len(base):].partition("#")
        return "/" + quote(path, safe="/()-._~!$&'*+,;=:@%") + hash_ + fragment
    return iri


def quote_path(identifier: str) -> str:
    """An identifier as a URL path, slashes and parentheses kept as the UN prints them."""
    return quote(identifier, safe="/()-._~!$&'*+,;=:@")


def document_link(identifier: str) -> str:
    """``/document/A/RES/72/1``: the page of a document from its identifier."""
    return "/document/" + quote_path(identifier)


def curie(iri: str) -> str:
    """``dcterms:title`` for a known namespace, the IRI otherwise (for tables of triples)."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(document_link=document_link, quote_path=quote_path, curie=curie)
    return env


def render(template: str, *, base: str, **context: Any) -> str:
    """The page ``template`` with ``context``; ``link(iri)`` in templates is ``local_link`` for this base."""
    env = environment()
    return env.get_template(template).render(link=lambda iri: local_link(str(iri), base), base=base, **context)


def term_view(term: Node, base: str) -> dict[str, Any]:
    """A term for a table cell: its text, a link when it is an IRI, and its datatype or language."""
    value = str(term)
    if isinstance(term, URIRef):
        return {"text": curie(value), "href": local_link(value, base), "note": None}
    note = None
    if isinstance(term, Literal):
        note = term.language or (curie(str(term.datatype)) if term.datatype else None)
    return {"text": value, "href": None, "note": note}
