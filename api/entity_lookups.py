"""The SPARQL behind the instrument, body and State routes, and name resolution for the document filters.

Instruments, bodies and Member States are SKOS concepts of the authority
graph (``{base}scheme/instruments`` ...).  A sponsor missing from the States
list is a node with only an ``rdfs:label`` in the document graph; it is
listed too, so every entity a document points at can be looked up.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from ingest.rdf import ELI, UNKG, entity_iri, normalize_base, slugify

from .errors import NotFound
from .graph import Graph
from .lookups import SUMMARY_PATTERN, SUMMARY_VARIABLES, identifier_of, key_of, summary_from_row
from .models import RoleDocument

KINDS = ("instrument", "body", "state")
SCHEMES = {"instrument": "instruments", "body": "bodies", "state": "states"}
RELATIONS: dict[str, dict[str, str]] = {
    "instrument": {str(UNKG.namesInstrument): "named"},
    "body": {str(UNKG.namesBody): "named", str(ELI.passed_by): "adopted", str(UNKG.recommendedBy): "recommended"},
    "state": {str(UNKG.namesState): "named", str(UNKG.sponsor): "sponsor"},
}
"""Per kind, the document predicates pointing at an entity and the role each one means."""


@dataclass
class Entity:
    """An authority concept (or a node only named in documents) with its counts per role."""

    key: str
    iri: str
    label: str
    aliases: list[str] = field(default_factory=list)
    unts: tuple[int, int] | None = None
    adopted_by: str | None = None
    parent: str | None = None
    counts: dict[str, int] = field(default_factory=dict)


def _prefix(graph: Graph, kind: str) -> str:
    return f"{normalize_base(graph.base)}{kind}/"


def load_entities(graph: Graph, kind: str, only: URIRef | None = None) -> dict[str, Entity]:
    """Every entity of ``kind`` (or just ``only``): labels, Treaty Series data, adopting document, parent, counts."""
    scheme = URIRef(f"{normalize_base(graph.base)}scheme/{SCHEMES[kind]}")
    one: dict[str, Node] = {"e": only} if only is not None else {}
    facts: dict[str, dict[str, list[Any]]] = {}
    rows = graph.select("""SELECT DISTINCT ?scheme ?e ?p ?o WHERE { ?e skos:inScheme ?scheme ; ?p ?o .
        FILTER(?p IN (skos:prefLabel, skos:altLabel, unkg:untsVolume, unkg:untsNumber, unkg:adoptedBy,
                      skos:broader)) }""", bindings={"scheme": scheme, **one})
    for row in rows:
        facts.setdefault(str(row["e"]), {}).setdefault(str(row["p"]), []).append(row["o"])
    entities: dict[str, Entity] = {}
    for iri, props in facts.items():
        key = key_of(graph, kind, iri) or iri
        labels = sorted(str(v) for v in props.get(str(SKOS.prefLabel), []))
        volume, number = props.get(str(UNKG.untsVolume)), props.get(str(UNKG.untsNumber))
        adopted = props.get(str(UNKG.adoptedBy))
        parent = props.get(str(SKOS.broader))
        entities[key] = Entity(
            key=key, iri=iri, label=labels[0] if labels else key,
            aliases=sorted({str(v) for v in props.get(str(SKOS.altLabel), [])}),
            unts=(int(volume[0]), int(number[0])) if volume and number else None,
            adopted_by=identifier_of(graph, adopted[0]) if adopted else None,
            parent=key_of(graph, kind, parent[0]) if parent else None,
        )
    relations = RELATIONS[kind]
    rows = graph.select("""SELECT ?e ?rel (COUNT(DISTINCT ?d) AS ?n) WHERE {
        GRAPH ?g { ?g unkg:describes ?d . ?d ?rel ?e } } GROUP BY ?e ?rel""", bindings=one or None)
    printed = {str(r["e"]): str(r["label"]) for r in graph.select(
        "SELECT DISTINCT ?e ?label WHERE { GRAPH ?g { ?g unkg:describes ?d . ?e rdfs:label ?label } }",
        bindings=one or None)}
    prefix = _prefix(graph, kind)
    for row in rows:
        iri, rel = str(row["e"]), str(row["rel"])
        if rel not in relations or not iri.startswith(prefix):
            continue
        key = key_of(graph, kind, iri) or iri
        entity = entities.setdefault(key, Entity(key=key, iri=iri, label=printed.get(iri, key)))
        entity.counts[relations[rel]] = int(str(row["n"]))
    return entities


def entity_by_key(graph: Graph, kind: str, key: str) -> Entity | None:
    """The entity ``{base}{kind}/{key}``, read on its own (the common case: a link or a typed key)."""
    found = load_entities(graph, kind, only=URIRef(entity_iri(kind, key, graph.base)))
    return next(iter(found.values()), None)


def _fold(name: str) -> str:
    """Compare names ignoring case, accents and punctuation: ``cote d'ivoire`` = ``Côte d’Ivoire``."""
    return slugify(name.replace("\u2019", "'"))


def resolve_entity(graph: Graph, kind: str, name: str) -> Entity:
    """The entity named by a key, label or alias; 404 with near names when there is none."""
    direct = entity_by_key(graph, kind, name)
    if direct is not None:
        return direct
    entities = load_entities(graph, kind)
    wanted = _fold(name)
    for entity in entities.values():
        if wanted in {_fold(entity.key), _fold(entity.label), *(_fold(a) for a in entity.aliases)}:
            return entity
    names = {n: e.key for e in entities.values() for n in (e.key, e.label)}
    close = difflib.get_close_matches(name.casefold(), [n.casefold() for n in names], n=5, cutoff=0.6)
    folded = {n.casefold(): n for n in names}
    raise NotFound(f"unknown {kind}", {
        kind: name,
        "message": f"no {kind} has the key, name or alias {name!r}; GET /api/{SCHEMES[kind]} lists them",
        "suggestions": list(dict.fromkeys(names[folded[c]] for c in close)),
    })


def entity_documents(graph: Graph, kind: str, entity: Entity) -> list[RoleDocument]:
    """Documents of the corpus related to the entity, each with its roles, newest first."""
    relations = RELATIONS[kind]
    rows = graph.select(f"""SELECT DISTINCT ?e ?rel {SUMMARY_VARIABLES} WHERE {{ GRAPH ?g {{
        ?g unkg:describes ?doc . ?doc ?rel ?e . {SUMMARY_PATTERN} }} }}""", bindings={"e": URIRef(entity.iri)})
    documents: dict[str, RoleDocument] = {}
    for row in rows:
        role = relations.get(str(row["rel"]))
        if role is None:
            continue
        doc = str(row["doc"])
        if doc not in documents:
            documents[doc] = RoleDocument(**summary_from_row(graph, row).model_dump(), roles=[])
        if role not in documents[doc].roles:
            documents[doc].roles.append(role)
    ordered = sorted(documents.values(), key=lambda d: d.identifier)
    ordered.sort(key=lambda d: d.date or "", reverse=True)
    for document in ordered:
        document.roles.sort()
    return ordered
