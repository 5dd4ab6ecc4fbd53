"""AKN4UN XML (the UN's Akoma Ntoso) -> the same ``ParsedDocument`` the text parser builds.

The UN publishes its resolutions as Akoma Ntoso XML, where the structure the
text parser has to infer is marked up: the cover page, the enacting formula
("The General Assembly,"), the recitals, the operative paragraphs with their
printed numbers, the footnotes (``authorialNote``) at the place of their
marker, and the documents cited, linked to undocs.org.  The document is laid
out exactly as ``parse.parse`` lays out a text (``akn_layout``), so
metadata, citations, entities and events run unchanged and the graph cannot
tell an XML source from a text one.

What only the markup states is kept beside the ``ParsedDocument``: the
document fields of the FRBR block and the cover's elements (used where the
printed cover is silent: ``extract.apply_defaults``) and the citations its
links give (merged with the text rules' own: ``extract.merge_citations``).

The standard library parser expands internal entities, so a document that
declares any (a DOCTYPE, an ENTITY) is refused before parsing; AKN4UN
declares none.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .akn_layout import LaidOut, lay_out
from .akn_text import AKN, AKN_NS, local_name
from .errors import IngestError
from .models import Citation, Paragraph, ParsedDocument
from .normalize import read_text
from .symbols import DATE, iso_date
from .undocs import symbol_from_href

# Entity declarations can expand a few bytes into gigabytes ("billion laughs").
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)\b", re.I)
# FRBR work URIs: /akn/un/statement/deliberation/unga/2020-12-10/75-112/!main/
_FRBR_URI = re.compile(r"/akn/un/[^/]+/[^/]+/(?P<org>[a-z-]+)/(?P<date>\d{4}-\d\d-\d\d)/(?P<num>[^/!]+)/")
_FRBR_NUMBER = re.compile(r"(?P<a>(?:E?S-)?\d{1,4})-(?P<b>\d{1,4})(?P<letter>[A-Z](?:-[A-Z])?)?")
_ORGANS = {  # FRBR author of the work -> (body key, resolution symbol, draft symbol)
    "unga": ("general-assembly", "A/RES/{a}/{b}", None),
    "unga-hrc": ("hrc", "A/HRC/RES/{a}/{b}", None),
    "unecosoc": ("ecosoc", "E/RES/{a}/{b}", None),
    "unsc": ("security-council", "S/RES/{a}({b})", "S/{a}/{b}"),
}


@dataclass(frozen=True)
class AknDocument:
    """What an AKN4UN file gives: the parsed document and what only the markup states.

    ``metadata`` holds document fields (schema names) from the FRBR block and
    the cover's markup, to be used where the printed cover is silent;
    ``links`` the citations given by undocs.org links, attributed like the
    text rules' own; ``unplaced_links`` the hrefs of links outside any
    paragraph or footnote (headings, annexes), which cite from no paragraph.
    """

    parsed: ParsedDocument
    metadata: dict[str, Any]
    links: tuple[Citation, ...]
    unplaced_links: tuple[str, ...] = ()


# --------------------------------------------------------------------------- reading


def read_akn(path: Path) -> AknDocument:
    """Read an AKN4UN file; raise ``IngestError`` naming the file when it is not one."""
    path = Path(path)
    return parse_akn(path, read_text(path))


def parse_akn(source: Path | str, raw: str) -> AknDocument:
    """Parse the XML text of one AKN4UN document (``source`` names it in errors and output)."""
    name = Path(source).name
    declaration = _DECLARATION.search(raw)
    if declaration:
        line = raw.count("\n", 0, declaration.start()) + 1
        raise IngestError(source, f"XML with a <!{declaration.group(1).upper()}> declaration (line {line}) is "
                                  "refused: entity declarations can expand without bound, and AKN4UN uses none")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        line, column = exc.position
        reason = re.sub(r":? line \d+, column \d+$", "", str(exc))
        raise IngestError(source, f"malformed XML at line {line}, column {column + 1}: {reason}") from None
    if root.tag != f"{AKN}akomaNtoso":
        raise IngestError(source, f"not an Akoma Ntoso document: the root element is <{root.tag}>, "
                                  f"not <akomaNtoso> in the namespace {AKN_NS}")
    statements = _statements(root)
    if not statements:
        raise IngestError(source, "Akoma Ntoso document without a statement (no resolution in it)")
    laid = lay_out(name, root, statements)
    return AknDocument(laid.parsed, frbr_metadata(root, statements[0]), tuple(_link_citations(laid)),
                       laid.unplaced)


def _statements(root: ET.Element) -> list[ET.Element]:
    """The resolution itself, or its parts (A, B) when it is published as a collection."""
    top = next((c for c in root if local_name(c) in ("statement", "documentCollection")), None)
    if top is None:
        return []
    if local_name(top) == "statement":
        return [top]
    return root.findall(f"{AKN}components/{AKN}component/{AKN}statement")


# --------------------------------------------------------------------------- links and FRBR


def _link_citations(laid: LaidOut) -> list[Citation]:
    """One citation per undocs.org link, where the text rules would put it: its paragraph, or the
    paragraphs carrying its footnote (else ``footnote N``); surface and offsets are the link text's."""
    parsed: ParsedDocument = laid.parsed
    citations: list[Citation] = []
    carriers: dict[int, list[Paragraph]] = {}
    for para, run in zip(parsed.paragraphs, laid.runs, strict=True):
        for marker in para.markers:
            carriers.setdefault(marker.number, [])
            if para not in carriers[marker.number]:
                carriers[marker.number].append(para)
        for start, end, href in run.links:
            symbol = _printed_part(symbol_from_href(href), para.text[end:])
            if symbol and end > start:
                date = re.match(rf"\s+of\s+({DATE})", para.text[end:])
                citations.append(Citation(symbol, para.text[start:end], para.id,
                                          iso_date(date.group(1)) if date else None, para.verb,
                                          para.start + start, para.start + end))
    for number, run in laid.note_runs.items():
        note = parsed.footnotes[number]
        for start, end, href in run.links:
            symbol = _printed_part(symbol_from_href(href), note.text[end:])
            if not symbol or end <= start:
                continue
            places = [(p.id, p.verb) for p in carriers.get(number, [])] or [(f"footnote {number}", None)]
            for place, verb in places:
                citations.append(Citation(symbol, note.text[start:end], place, None, verb,
                                          note.start + start, note.start + end, footnote=number))
    return citations


def _printed_part(symbol: str | None, after: str) -> str | None:
    """A General Assembly resolution in parts cited by one part: "<a>74/255</a> B" is A/RES/74/255B.

    Editors link the number and leave the part letter outside the link, often
    pointing to all the parts (``A/RES/74/255a-b``); the schema keeps the
    printed letter, as the text rules do.
    """
    letter = re.match(r"\s?([A-H])(?![\w(’'/-])", after)
    if symbol and letter and re.fullmatch(r"A/RES/\d{1,3}/\d{1,4}(?:[A-H]-[A-H])?", symbol):
        return re.sub(r"[A-H]-[A-H]$", "", symbol) + letter.group(1)
    return symbol


def frbr_metadata(root: ET.Element, statement: ET.Element) -> dict[str, Any]:
    """Document fields stated by the markup: the FRBR block (work URI, dates) and the cover's elements.

    ``/akn/un/statement/deliberation/unsc/2023-02-15/2675-2023/`` names the
    organ and the number (``S/RES/2675(2023)``); a draft resolution
    (``statement name="draftResolution"``) is ``S/2023/212`` and has no
    adoption.  Only fields the markup states are returned.
    """
    fields: dict[str, Any] = {}
    top = next(c for c in root if local_name(c) in ("statement", "documentCollection"))
    draft = "draft" in (statement.get("name") or "").lower()
    work = top.find(f"{AKN}meta/{AKN}identification/{AKN}FRBRWork")
    expression = top.find(f"{AKN}meta/{AKN}identification/{AKN}FRBRExpression")
    if work is not None:
        this = work.find(f"{AKN}FRBRthis")
        uri = _FRBR_URI.search(this.get("value") or "") if this is not None else None
        number = _FRBR_NUMBER.fullmatch(uri.group("num")) if uri else None
        if uri and uri.group("org") in _ORGANS:
            body, resolution, draft_symbol = _ORGANS[uri.group("org")]
            fields["body"] = body
            fields["doc_type"] = "draft_resolution" if draft else "resolution"
            template = draft_symbol if draft else resolution
            if number and template and not number.group("letter"):
                a, b = number.group("a"), number.group("b")
                fields["symbol"] = template.format(a=a, b=b)
                if not draft:
                    fields["resolution_number"] = f"{a} ({b})" if "({b})" in template else f"{a}/{b}"
        given = work.find(f"{AKN}FRBRnumber")
        if given is not None and given.get("value"):
            fields["symbol"] = re.sub(r"\s+", "", given.get("value") or "")
        for date in work.findall(f"{AKN}FRBRdate"):
            if date.get("name") == "adoption" and not draft:
                fields["adoption_date"] = date.get("date")
    if expression is not None:
        for date in expression.findall(f"{AKN}FRBRdate"):
            if date.get("name") == "publication":
                fields["distribution_date"] = date.get("date")
    cover = top.find(f"{AKN}coverPage")
    if cover is not None:
        session = cover.find(f".//{AKN}session")
        if session is not None and "".join(session.itertext()).strip():
            fields["session"] = re.sub(r"\s+", " ", "".join(session.itertext())).strip()
        for inline in cover.iter(f"{AKN}inline"):
            if inline.get("name") == "agenda item" and (inline.get("title") or "").strip():
                fields["agenda_item"] = (inline.get("title") or "").strip()
    for el in root.iter():
        if el.get("name") == "adoptionMeeting" or el.get("refersTo") == "#adoptionMeeting":
            text = re.sub(r"\s+", " ", "".join(el.itertext())).strip()
            if re.fullmatch(r"\d{1,5}(?:st|nd|rd|th)\s+(?:plenary\s+)?meeting", text):
                fields["meeting"] = text
                break
    return {k: v for k, v in fields.items() if v}
