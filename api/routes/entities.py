"""Routes: instruments, bodies, Member States (authority concepts with the documents relating to them), stats.

Lists are paginated like ``/api/documents`` (``limit``, ``offset``, ``total``);
an entity is found by its key and also by its label or any alias, so
``/api/states/Cuba`` and ``/api/states/cuba`` are the same State.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ..app import get_graph, get_settings
from ..entity_lookups import Entity, entity_documents, load_entities, resolve_entity
from ..graph import Graph
from ..models import (
    BodyDetail,
    BodyPage,
    BodySummary,
    EntityDocuments,
    ErrorBody,
    InstrumentDetail,
    InstrumentPage,
    InstrumentSummary,
    StateDetail,
    StatePage,
    StateSummary,
    Stats,
    TreatySeries,
    YearGroup,
)
from ..settings import ServiceSettings
from .documents import BAD_REQUEST, Responses, check_page

router = APIRouter(tags=["entities"])

GraphDep = Annotated[Graph, Depends(get_graph)]
SettingsDep = Annotated[ServiceSettings, Depends(get_settings)]
Limit = Annotated[int, Query(ge=1, description="Page size, at most max_page_size (500).")]
Offset = Annotated[int, Query(ge=0)]


def _not_found(kind: str) -> Responses:
    return {404: {"model": ErrorBody, "description": f"Unknown {kind} (with near names as suggestions)."},
            **BAD_REQUEST}


def _instrument(entity: Entity) -> InstrumentSummary:
    return InstrumentSummary(key=entity.key, iri=entity.iri, label=entity.label, aliases=entity.aliases,
                             unts=TreatySeries(volume=entity.unts[0], number=entity.unts[1]) if entity.unts else None,
                             adopted_by=entity.adopted_by, documents=entity.counts.get("named", 0))


def _body(entity: Entity) -> BodySummary:
    return BodySummary(key=entity.key, iri=entity.iri, label=entity.label, aliases=entity.aliases,
                       parent=entity.parent, documents=entity.counts.get("named", 0),
                       adopted=entity.counts.get("adopted", 0))


def _state(entity: Entity) -> StateSummary:
    return StateSummary(key=entity.key, iri=entity.iri, label=entity.label, aliases=entity.aliases,
                        sponsored=entity.counts.get("sponsor", 0), documents=entity.counts.get("named", 0))


def _page(graph: Graph, kind: str, entity: Entity, limit: int, offset: int) -> EntityDocuments:
    related = entity_documents(graph, kind, entity)
    return EntityDocuments(total=len(related), limit=limit, offset=offset, items=related[offset:offset + limit])


def _sorted(graph: Graph, kind: str) -> list[Entity]:
    return sorted(load_entities(graph, kind).values(), key=lambda e: e.key)


@router.get("/api/instruments", response_model=InstrumentPage, responses=BAD_REQUEST)
def instruments(graph: GraphDep, settings: SettingsDep, limit: Limit = 50, offset: Offset = 0) -> InstrumentPage:
    """International instruments of the authority list (and any other the corpus names), by key."""
    check_page(limit, settings)
    entities = _sorted(graph, "instrument")
    return InstrumentPage(total=len(entities), limit=limit, offset=offset,
                          items=[_instrument(e) for e in entities[offset:offset + limit]])


@router.get("/api/instruments/{key}", response_model=InstrumentDetail, responses=_not_found("instrument"))
def instrument(key: str, graph: GraphDep, settings: SettingsDep,
               limit: Limit = 50, offset: Offset = 0) -> InstrumentDetail:
    """One instrument with the documents naming it, newest first, and the same page grouped by year."""
    check_page(limit, settings)
    entity = resolve_entity(graph, "instrument", key)
    page = _page(graph, "instrument", entity, limit, offset)
    years: dict[int | None, list[str]] = {}
    for document in page.items:
        year = int(document.date[:4]) if document.date and document.date[:4].isdigit() else None
        years.setdefault(year, []).append(document.identifier)
    return InstrumentDetail(**_instrument(entity).model_dump(), related_documents=page,
                            by_year=[YearGroup(year=y, documents=d) for y, d in years.items()])


@router.get("/api/bodies", response_model=BodyPage, responses=BAD_REQUEST)
def bodies(graph: GraphDep, settings: SettingsDep, limit: Limit = 50, offset: Offset = 0) -> BodyPage:
    """UN bodies, agencies, mechanisms and other organizations, by key."""
    check_page(limit, settings)
    entities = _sorted(graph, "body")
    return BodyPage(total=len(entities), limit=limit, offset=offset,
                    items=[_body(e) for e in entities[offset:offset + limit]])


@router.get("/api/bodies/{key}", response_model=BodyDetail, responses=_not_found("body"))
def body(key: str, graph: GraphDep, settings: SettingsDep, limit: Limit = 50, offset: Offset = 0) -> BodyDetail:
    """One body with the documents it adopted, recommended or that name it (roles say which)."""
    check_page(limit, settings)
    entity = resolve_entity(graph, "body", key)
    return BodyDetail(**_body(entity).model_dump(), related_documents=_page(graph, "body", entity, limit, offset))


@router.get("/api/states", response_model=StatePage, responses=BAD_REQUEST)
def states(graph: GraphDep, settings: SettingsDep, limit: Limit = 50, offset: Offset = 0) -> StatePage:
    """Member States (and any other sponsor the corpus prints), by key."""
    check_page(limit, settings)
    entities = _sorted(graph, "state")
    return StatePage(total=len(entities), limit=limit, offset=offset,
                     items=[_state(e) for e in entities[offset:offset + limit]])


@router.get("/api/states/{name}", response_model=StateDetail, responses=_not_found("state"))
def state(name: str, graph: GraphDep, settings: SettingsDep,
          limit: Limit = 50, offset: Offset = 0) -> StateDetail:
    """One Member State by name or key: the drafts it sponsored and the documents naming it."""
    check_page(limit, settings)
    entity = resolve_entity(graph, "state", name)
    return StateDetail(**_state(entity).model_dump(), related_documents=_page(graph, "state", entity, limit, offset))


@router.get("/api/stats", response_model=Stats, tags=["service"])
def stats(graph: GraphDep) -> Stats:
    """Counts over the whole store: documents, triples, citations, cited documents, entities named, graphs."""
    return Stats(**graph.stats().as_dict())
