"""The typed values that pass between the ingest stages.

text file -> ``NormalizedText`` -> ``ParsedDocument`` -> ``Extraction`` -> RDF quads.

Every stage takes the previous stage's value and returns the next one; nothing
reaches back.  Character offsets (``start``/``end``) always index
``ParsedDocument.text``, the clean text of the whole document (header,
paragraphs with footnote markers removed, footnotes), so that
``text[start:end]`` is exactly the quoted evidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ParagraphKind = Literal["preambular", "operative"]
MentionKind = Literal["instrument", "body", "state"]


@dataclass(frozen=True)
class NormalizedText:
    """Raw text with export noise removed, lines kept.

    ``fmt`` names the export the text came from (``markdown`` from PDF,
    ``wordproc`` with ODS metadata, ``plain`` rendering of the UN's XML);
    ``ods`` holds the ODS metadata lines (``DOC SYMBOL1`` -> ``A/RES/72/1``);
    ``furniture`` the lines set aside as page furniture (running heads,
    job numbers, the print layout after the ODS block), kept for metadata.
    """

    source: str
    lines: tuple[str, ...]
    fmt: str
    ods: dict[str, str] = field(default_factory=dict)
    furniture: tuple[str, ...] = ()


@dataclass(frozen=True)
class FootnoteMarker:
    """A footnote marker carried by a paragraph, at ``offset`` in the paragraph text."""

    number: int
    offset: int


@dataclass(frozen=True)
class Footnote:
    number: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Paragraph:
    """A preambular (``P<n>``) or operative (``O<n>``) paragraph of the body.

    Sub-items (a), (b) ... are part of their parent paragraph.  ``text`` has
    markup and footnote markers removed; ``start`` is its offset in the
    document text.
    """

    kind: ParagraphKind
    number: int
    text: str
    start: int
    verb: str | None
    markers: tuple[FootnoteMarker, ...] = ()

    @property
    def id(self) -> str:
        return f"{'P' if self.kind == 'preambular' else 'O'}{self.number}"

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class ParsedDocument:
    """The structure of one resolution text.

    ``header`` is the cover and heading (everything before the body opener
    such as "The General Assembly,"), ``opener`` the body that speaks
    ("General Assembly"), ``closing`` the lines after the last operative
    paragraph (meeting and date).
    """

    source: str
    fmt: str
    text: str
    header: str
    header_start: int
    opener: str | None
    paragraphs: tuple[Paragraph, ...]
    footnotes: dict[int, Footnote]
    closing: str
    ods: dict[str, str] = field(default_factory=dict)
    furniture: tuple[str, ...] = ()
    chapeau: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def preambular(self) -> tuple[Paragraph, ...]:
        return tuple(p for p in self.paragraphs if p.kind == "preambular")

    @property
    def operative(self) -> tuple[Paragraph, ...]:
        return tuple(p for p in self.paragraphs if p.kind == "operative")


@dataclass(frozen=True)
class Citation:
    """One reference to another UN document, normalized to its symbol.

    ``paragraph`` is ``P<n>``/``O<n>`` (or ``header``); a citation found in a
    footnote is attributed to the paragraph carrying the marker and keeps the
    footnote number.  ``start``/``end`` locate ``surface`` in the document text.
    """

    target: str
    surface: str
    paragraph: str
    target_date: str | None
    verb: str | None
    start: int
    end: int
    footnote: int | None = None


@dataclass(frozen=True)
class TreatySeriesRef:
    """A United Nations Treaty Series reference (``vol. 2225, No. 39574``), Ibid. resolved."""

    volume: int
    number: int
    instrument: str | None
    paragraph: str | None
    footnote: int | None


@dataclass(frozen=True)
class Mention:
    """An instrument, body or Member State named in the text (authority key)."""

    key: str
    kind: MentionKind
    paragraph: str
    surface: str
    start: int
    end: int


@dataclass(frozen=True)
class Event:
    """A dated event: ``date`` (ISO, possibly reduced: ``--07-30``, ``2017-03``, ``2014``) or a range."""

    label: str
    paragraph: str
    date: str | None = None
    start: str | None = None
    end: str | None = None


@dataclass
class DocumentMetadata:
    """The document's own metadata, fields as in the gold schema's ``document``."""

    symbol: str | None = None
    doc_type: str = "other"
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
    sponsors: list[str] = field(default_factory=list)
    related_symbols: list[str] = field(default_factory=list)


SCHEMA_DOCUMENT_FIELDS = (
    "symbol", "doc_type", "body", "recommended_by", "title", "resolution_number", "adoption_date",
    "distribution_date", "distribution", "session", "agenda_item", "meeting", "sponsors", "related_symbols",
)


@dataclass
class Extraction:
    """Everything extracted from one source file; ``to_schema`` is the `unkg extract` contract."""

    source: str
    identifier: str
    checksum: str
    parsed: ParsedDocument
    document: DocumentMetadata
    citations: list[Citation]
    mentions: list[Mention]
    treaty_series: list[TreatySeriesRef]
    events: list[Event]
    warnings: list[str] = field(default_factory=list)

    def keys(self, kind: MentionKind) -> list[str]:
        """Authority keys of one kind, in order of first mention."""
        return list(dict.fromkeys(m.key for m in self.mentions if m.kind == kind))

    @property
    def instruments(self) -> list[str]:
        return self.keys("instrument")

    @property
    def bodies(self) -> list[str]:
        return self.keys("body")

    @property
    def states(self) -> list[str]:
        return self.keys("state")

    def to_schema(self) -> dict[str, Any]:
        """The extraction in the JSON schema of ``shared/gold/SCHEMA.md``.

        Citations keep one entry per (target, paragraph) pair, the first
        occurrence, as the schema asks; offsets, verb and footnote are extra keys.
        """
        seen: set[tuple[str, str]] = set()
        citations = []
        for c in self.citations:
            if (c.target, c.paragraph) in seen:
                continue
            seen.add((c.target, c.paragraph))
            citations.append({
                "target": c.target, "surface": c.surface, "paragraph": c.paragraph,
                "target_date": c.target_date, "verb": c.verb, "start": c.start, "end": c.end,
                "footnote": c.footnote,
            })
        treaties: dict[tuple[int, int], dict[str, Any]] = {}
        for t in self.treaty_series:
            treaties.setdefault((t.volume, t.number),
                                {"volume": t.volume, "number": t.number, "instrument": t.instrument})
        events = []
        for e in self.events:
            item: dict[str, Any] = {"label": e.label}
            if e.date:
                item["date"] = e.date
            if e.start:
                item["start"], item["end"] = e.start, e.end
            events.append(item)
        doc = {f: getattr(self.document, f) for f in SCHEMA_DOCUMENT_FIELDS}
        return {
            "source": self.source,
            "identifier": self.identifier,
            "document": doc,
            "paragraphs": {"preambular": len(self.parsed.preambular), "operative": len(self.parsed.operative)},
            "citations": citations,
            "instruments": self.instruments,
            "bodies": self.bodies,
            "states": self.states,
            "treaty_series": list(treaties.values()),
            "events": events,
            "warnings": self.warnings,
        }
