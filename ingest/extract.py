"""``ParsedDocument`` -> ``Extraction``: metadata, citations, names, Treaty Series, events."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .citations import find_citations
from .entities import find_mentions, find_treaty_series
from .events import find_events
from .metadata import extract_metadata
from .models import SCHEMA_DOCUMENT_FIELDS, Citation, DocumentMetadata, Extraction, ParsedDocument
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


def apply_defaults(meta: DocumentMetadata, defaults: dict[str, Any]) -> None:
    """Fill the fields the text leaves empty from what the source states elsewhere (an XML's FRBR block).

    Unlike a sidecar, defaults never overrule what the text prints.
    """
    for key, value in defaults.items():
        if key not in SCHEMA_DOCUMENT_FIELDS or value in (None, "", []):
            continue
        if key == "symbol" and not normalize_symbol(str(value)):
            continue
        current = getattr(meta, key)
        if current in (None, "", []) or (key == "doc_type" and current == "other"):
            setattr(meta, key, value)


def _symbol_key(symbol: str) -> str:
    return re.sub(r"\s+", "", symbol).upper()


def merge_citations(found: list[Citation], extra: Iterable[Citation], own: set[str]) -> list[Citation]:
    """Add the citations a source marks up itself (an XML's links) to those the text rules found.

    A marked-up citation is dropped when its target is the document's own
    symbol, when the text rules found the same target in the same paragraph,
    or when they read a reference at the same place (overlapping spans): the
    text rule read the number in its context (the body, the part letter, the
    year), which a hand-made link can get wrong ("its resolutions 5/1" of the
    Human Rights Council linked to A/RES/5/1).  So a linked reference counts
    once, and an unlinked one is still found by the text rules.
    """
    seen = {(_symbol_key(c.target), c.paragraph) for c in found}
    own_keys = {_symbol_key(s) for s in own}
    added: list[Citation] = []
    for c in extra:
        key = (_symbol_key(c.target), c.paragraph)
        if key[0] in own_keys or key in seen:
            continue
        if any(f.paragraph == c.paragraph and f.start < c.end and c.start < f.end for f in found):
            continue
        seen.add(key)
        added.append(c)
    return found + sorted(added, key=lambda c: (c.start, c.end))


def extract(
    parsed: ParsedDocument,
    *,
    checksum: str = "",
    sidecar: dict[str, Any] | None = None,
    defaults: dict[str, Any] | None = None,
    extra_citations: Iterable[Citation] = (),
) -> Extraction:
    """Run every extractor over a parsed document.

    ``defaults`` are document fields the source states outside its printed
    text (an XML's FRBR block), used where the text is silent; a sidecar
    then overrules both.  ``extra_citations`` are citations the source marks
    up (an XML's undocs.org links), merged with those the text rules find.
    """
    meta = extract_metadata(parsed)
    warnings = list(parsed.warnings)
    if defaults:
        apply_defaults(meta, defaults)
    if sidecar:
        warnings += apply_sidecar(meta, sidecar)
    excluded = {s for s in [meta.symbol, *meta.related_symbols] if s}
    citations = find_citations(parsed, excluded)
    if extra_citations:
        citations = merge_citations(citations, extra_citations, {meta.symbol} if meta.symbol else set())
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
