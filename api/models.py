"""Response models of the JSON API: they make the OpenAPI schema at ``/docs`` say exactly what comes back.

Documents are named by their *identifier*: the symbol as printed
(``A/RES/72/1``) or, for a draft whose symbol is not printed,
``local/<file stem>`` -- the part of the document IRI after ``{base}document/``.
Dates are ISO strings as stored (``xsd:date`` lexical forms).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class DocumentSummary(BaseModel):
    """One document of the corpus in a list."""

    identifier: str = Field(description="The symbol, or local/<file stem> when no symbol is printed.")
    symbol: str | None = Field(None, description="The document's own symbol, when known.")
    iri: str
    title: str | None = None
    doc_type: str | None = Field(None, description="resolution, draft_resolution, revised_draft_resolution, ...")
    body: str | None = Field(None, description="Key of the body that adopts it (or receives the draft).")
    adoption_date: str | None = None
    distribution_date: str | None = None
    date: str | None = Field(None, description="The adoption date, or the distribution date of a draft "
                                                "(drafts have none); what year/from/to filter and sort on.")
    in_corpus: bool = True


class DocumentPage(BaseModel):
    """A page of a filtered document list; ``total`` counts every match, not only this page."""

    total: int
    limit: int
    offset: int
    items: list[DocumentSummary]


class Paragraph(BaseModel):
    id: str = Field(description="P<n> (preambular) or O<n> (operative); the fragment of the paragraph IRI.")
    kind: str = Field(description="preambular or operative")
    number: int | None = None
    verb: str | None = Field(None, description="The clause verb that opens it (Recalling, Urges ...).")
    text: str | None = None


class DocumentCounts(BaseModel):
    paragraphs: int
    preambular: int
    operative: int
    citations: int = Field(description="Citation occurrences in this document.")
    cited_documents: int = Field(description="Distinct documents it cites.")
    cited_by: int = Field(description="Distinct documents of the corpus citing it.")
    instruments: int
    bodies: int
    states: int


class DocumentDetail(BaseModel):
    """A document's metadata (the fields of the gold schema's ``document``), paragraphs and counts.

    A document that is only cited (not ingested) has ``in_corpus: false``,
    no metadata and no paragraphs, but its ``cited_by`` count and the
    instruments it adopted are known.
    """

    identifier: str
    iri: str
    in_corpus: bool
    graph: str | None = Field(None, description="IRI of the named graph holding the document.")
    source_file: str | None = None
    symbol: str | None = None
    doc_type: str | None = None
    body: str | None = None
    recommended_by: str | None = None
    title: str | None = None
    resolution_number: str | None = None
    adoption_date: str | None = None
    distribution_date: str | None = None
    distribution: str | None = None
    session: str | None = None
    agenda_item: str | None = None
    meeting: str | None = None
    sponsors: list[str] = Field(default_factory=list, description="Sponsoring Member States' names.")
    related_symbols: list[str] = Field(default_factory=list)
    instruments: list[str] = Field(default_factory=list, description="Keys of the instruments it names.")
    bodies: list[str] = Field(default_factory=list, description="Keys of the bodies it names.")
    states: list[str] = Field(default_factory=list, description="Keys of the Member States it names.")
    adopted_instruments: list[str] = Field(default_factory=list,
                                           description="Keys of instruments this document adopted.")
    paragraphs: list[Paragraph] = Field(default_factory=list)
    counts: DocumentCounts


class Citation(BaseModel):
    """One occurrence of a citation, in the citing document's order."""

    target: str = Field(description="Identifier of the cited document.")
    target_title: str | None = Field(None, description="Title of the cited document, if it is in the corpus.")
    paragraph: str | None = Field(None, description="P<n>, O<n>, header, or 'footnote <n>'.")
    verb: str | None = None
    characterization: str | None = Field(None, description="The CiTO characterization, e.g. cito:confirms.")
    text: str | None = Field(None, description="The citation as printed.")
    target_date: str | None = Field(None, description="Date printed for the cited document.")
    in_corpus: bool


class CitationList(BaseModel):
    symbol: str
    citations: list[Citation]


class CitedBy(BaseModel):
    """One occurrence of the document being cited by a document of the corpus."""

    source: str = Field(description="Identifier of the citing document.")
    source_title: str | None = None
    paragraph: str | None = None
    verb: str | None = None
    characterization: str | None = None
    text: str | None = None
    date: str | None = Field(None, description="The citing document's date (adoption, or distribution of a draft).")


class CitedByList(BaseModel):
    symbol: str
    cited_by: list[CitedBy]


class CitationPaths(BaseModel):
    """Every shortest chain ``from`` cites ... cites ``to`` (up to a cap)."""

    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    length: int = Field(description="Citation steps in each path.")
    paths: list[list[str]]
    truncated: bool = Field(False, description="More shortest paths exist than were returned.")


class NetworkNode(BaseModel):
    symbol: str
    title: str | None = None
    in_corpus: bool


class NetworkEdge(BaseModel):
    source: str
    target: str
    count: int = Field(description="Citation occurrences from source to target.")


class CitationNetwork(BaseModel):
    """The citation neighbourhood of a document, following citations both ways."""

    symbol: str
    depth: int
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]
    truncated: bool = Field(False, description="The node cap was reached before the full depth.")


class TreatySeries(BaseModel):
    volume: int
    number: int


class EntityBase(BaseModel):
    key: str
    iri: str
    label: str
    aliases: list[str] = Field(default_factory=list)


class InstrumentSummary(EntityBase):
    unts: TreatySeries | None = Field(None, description="United Nations Treaty Series registration.")
    adopted_by: str | None = Field(None, description="Identifier of the document that adopted it.")
    documents: int = Field(0, description="Documents of the corpus naming it.")


class BodySummary(EntityBase):
    parent: str | None = Field(None, description="Key of the body it belongs to.")
    documents: int = Field(0, description="Documents of the corpus naming it.")
    adopted: int = Field(0, description="Documents of the corpus it adopted (or that were submitted to it).")


class StateSummary(EntityBase):
    sponsored: int = Field(0, description="Drafts of the corpus it sponsored.")
    documents: int = Field(0, description="Documents of the corpus naming it.")


class RoleDocument(DocumentSummary):
    roles: list[str] = Field(description="How the document relates to the entity: named, adopted, "
                                         "recommended, sponsor.")


class EntityDocuments(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[RoleDocument]


class YearGroup(BaseModel):
    year: int | None
    documents: list[str] = Field(description="Identifiers of this page's documents of that year.")


class InstrumentDetail(InstrumentSummary):
    related_documents: EntityDocuments = Field(description="Documents naming it, newest first.")
    by_year: list[YearGroup] = Field(description="The same page of documents grouped by year, newest first.")


class BodyDetail(BodySummary):
    related_documents: EntityDocuments


class StateDetail(StateSummary):
    related_documents: EntityDocuments = Field(description="Drafts it sponsored and documents naming it.")


class InstrumentPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[InstrumentSummary]


class BodyPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[BodySummary]


class StatePage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[StateSummary]


class Stats(BaseModel):
    documents: int
    triples: int
    citations: int
    cited_documents: int
    instruments: int
    bodies: int
    states: int
    graphs: int


class ErrorBody(BaseModel):
    """What every error looks like."""

    error: str
    detail: object | None = None


class QueryParameterInfo(BaseModel):
    """A parameter of a saved query: a SPARQL variable bound to a typed value before the query runs."""

    name: str = Field(description="Pass it as a query-string parameter: ?symbol=A/RES/64/293.")
    kind: str = Field(description="document (a symbol), instrument, body or state (a key, label or alias), "
                                  "year (an integer) or string.")
    required: bool
    default: str | None = Field(None, description="The value used when none is given.")
    description: str


class QueryInfo(BaseModel):
    """A saved research query: the question it answers and how to run it."""

    name: str
    title: str
    question: str
    parameters: list[QueryParameterInfo]
    example: str | None = Field(None, description="A command line that runs it (`unkg query ...`).")
    url: str = Field(description="Where to run it: GET this path with the parameters in the query string.")


class FailedFile(BaseModel):
    """One uploaded file that was not ingested, and why (the same reasons ``unkg ingest`` prints)."""

    file: str
    reason: str


class AdminIngestReport(BaseModel):
    """What ``POST /admin/ingest`` did with the uploaded files."""

    documents: int
    """Files written as new or replaced document graphs."""
    unchanged: int
    failed: list[FailedFile]
    graphs: list[str]
    triples_written: int
