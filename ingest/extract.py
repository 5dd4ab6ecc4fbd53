"""``ParsedDocument`` -> ``Extraction``: metadata, citations, names, Treaty Series, events."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from .citations import find_citations
from .entities import find_mentions, find_treaty_series
from .events import find_events
from .metadata import extract_metadata
from .models import SCHEMA_DOCUMENT_FIELDS, DocumentMetadata, Extraction, ParsedDocument
from .symbols import normalize_symbol


def local_identifier(source: str) -> str:
    """The stable identifier of a document that prints no symbol: its file stem."""
    stem = Path(source).name.split(".")[0]
    return f"local/{stem}"


def apply_sidecar(meta: DocumentMetadata, sidecar: dict[str, Any]) -> list[str]:
    """Overlay a ``NAME.meta.json`` sidecar on the metadata read from the text; return warnings."""
    warnings = []
    for key, value in sidecar.items():
        if key not in SCHEMA_DOCUMENT_FIELDS:
            warnings.append(f"sidecar field {key!r} is not a document field; ignored")
            continue
        if key == "symbol" and value is not None and not normalize_symbol(str(value)):
            warnings.append(f"sidecar symbol {value!r} is not a well-formed UN symbol; ignored")
            continue
        setattr(meta, key, value)
    return warnings


def extract(parsed: ParsedDocument, *, checksum: str = "", sidecar: dict[str, Any] | None = None) -> Extraction:
    """Run every extractor over a parsed document."""
    meta = extract_metadata(parsed)
    warnings = list(parsed.warnings)
    if sidecar:
        warnings += apply_sidecar(meta, sidecar)
    excluded = {s for s in [meta.symbol, *meta.related_symbols] if s}
    citations = find_citations(parsed, excluded)
    mentions = find_mentions(parsed)
    treaties = find_treaty_series(parsed, mentions)
    events = find_events(parsed)
    if not citations and not parsed.paragraphs:
        warnings.append("nothing extracted: no paragraphs and no citations")
    return Extraction(
        source=parsed.source,
        identifier=meta.symbol or local_identifier(parsed.source),
        checksum=checksum or hashlib.sha256(parsed.text.encode()).hexdigest(),
        parsed=parsed,
        document=meta,
        citations=citations,
        mentions=mentions,
        treaty_series=treaties,
        events=events,
        warnings=warnings,
    )
