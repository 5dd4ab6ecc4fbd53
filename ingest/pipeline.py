"""From a file on disk to an ``Extraction``: read, normalize, parse, extract."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from .akn import AknDocument, parse_akn
from .errors import IngestError
from .extract import extract
from .models import Extraction
from .normalize import decode_text, normalize, read_text
from .parse import parse

SUFFIXES = (".txt", ".md", ".text", ".xml")
XML_SUFFIXES = (".xml",)


def sidecar_path(path: Path) -> Path:
    """``NAME.meta.json`` next to ``NAME.txt``."""
    return path.with_name(path.name.split(".")[0] + ".meta.json")


def read_sidecar(path: Path) -> dict[str, Any] | None:
    side = sidecar_path(path)
    if not side.exists():
        return None
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IngestError(side, f"sidecar is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise IngestError(side, "sidecar must hold a JSON object of document fields")
    return data


def extract_text(source: str, raw: str, *, checksum: str = "", sidecar: dict[str, Any] | None = None) -> Extraction:
    """Extraction of a text already in memory (the pipeline without the file system)."""
    parsed = parse(normalize(source, raw))
    return extract(parsed, checksum=checksum, sidecar=sidecar)


def extract_akn(document: AknDocument, *, checksum: str = "", sidecar: dict[str, Any] | None = None) -> Extraction:
    """Extraction of an AKN4UN document: its markup's metadata and links join the text rules'."""
    return extract(document.parsed, checksum=checksum, sidecar=sidecar, defaults=document.metadata,
                   extra_citations=document.links)


def extract_file(path: Path) -> Extraction:
    """Run the whole extraction on one file; raise ``IngestError`` naming the file on failure.

    ``.xml`` files are read as AKN4UN XML, everything else as text.
    """
    path = Path(path)
    raw = read_text(path)
    checksum = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    if path.suffix.lower() in XML_SUFFIXES:
        result = extract_akn(parse_akn(path, raw), checksum=checksum, sidecar=read_sidecar(path))
    else:
        result = extract_text(path.name, raw, checksum=checksum, sidecar=read_sidecar(path))
    if not result.parsed.paragraphs and not result.citations:
        raise IngestError(path, "no recognizable resolution structure (no opener, no paragraphs, no citations)")
    return result


def extract_bytes(name: str, data: bytes) -> Extraction:
    """Extraction of uploaded bytes, with the same checks as a file."""
    raw = decode_text(name, data)
    if Path(name).suffix.lower() in XML_SUFFIXES:
        return extract_akn(parse_akn(name, raw), checksum=hashlib.sha256(data).hexdigest())
    return extract_text(name, raw, checksum=hashlib.sha256(data).hexdigest())
